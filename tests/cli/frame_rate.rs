//! The frame rate a person would name, measured from timestamps: constant rates through the
//! rounding of millisecond time bases, variable rates from phones, soft pulldown, and the rule
//! that names a variable rate as the cause.

use crate::media::preset::H264_ULTRAFAST;
use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn video(path: &Path) -> Value {
    let (code, out, err) = run(&["probe", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0]["video"][0].clone()
}

fn near(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|f| (f - want).abs() < 1e-3)
}

/// 30 fps whose frames come early or late by up to 4 ms, as a phone writes them.
fn variable_rate() -> PathBuf {
    lavfi(
        "fr-vfr.mp4",
        &["testsrc2=size=160x90:rate=30:duration=3"],
        &[
            &[
                "-vf",
                "settb=1/90000,setpts=(N/30+0.004*(1+sin(N*2.1)))/TB",
                "-enc_time_base",
                "1/90000",
            ][..],
            &["-fps_mode", "vfr", "-video_track_timescale", "90000"],
            H264_ULTRAFAST,
        ]
        .concat(),
    )
}

#[test]
fn a_constant_rate_in_a_millisecond_time_base_is_the_rate_not_the_time_base() {
    // Matroska and FLV count in milliseconds: 29.97 fps frames are 33 or 34 ms apart.
    let mkv = lavfi(
        "fr-2997.mkv",
        &["testsrc2=size=160x90:rate=30000/1001:duration=4"],
        H264_ULTRAFAST,
    );
    let v = video(&mkv);
    assert!(near(&v["fps"], 30000.0 / 1001.0), "{v:#}");
    assert_eq!(v["frame_rate_mode"], "constant");
    assert_eq!(v["fps_min"], v["fps"]);
    let flv = lavfi(
        "fr-25.flv",
        &["testsrc2=size=160x90:rate=25:duration=2"],
        H264_ULTRAFAST,
    );
    let v = video(&flv);
    assert!(near(&v["fps"], 25.0), "{v:#}");
    assert_eq!(v["frame_rate_mode"], "constant");
    assert_eq!(v["pulldown"], Value::Null);
}

#[test]
fn uneven_frame_spacing_is_a_variable_rate_named_by_its_typical_rate() {
    let v = video(&variable_rate());
    assert_eq!(v["frame_rate_mode"], "variable", "{v:#}");
    assert!(near(&v["fps"], 30.0), "{v:#}");
    let (min, max) = (
        v["fps_min"].as_f64().unwrap(),
        v["fps_max"].as_f64().unwrap(),
    );
    assert!(min < 29.0 && max > 31.0, "{v:#}");
}

#[test]
fn the_frame_rate_rule_names_a_variable_rate() {
    let (_, out, err) = run(&[
        "check",
        "--format",
        "json",
        variable_rate().to_str().unwrap(),
    ]);
    let report = json(&out);
    let results = report["files"][0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{err}"));
    let rule = |id: &str| results.iter().find(|r| r["id"] == id).cloned().unwrap();
    let vfr = rule("video.constant_frame_rate");
    assert_eq!(vfr["status"], "fail", "{vfr:#}");
    assert_eq!(vfr["severity"], "warning");
    assert!(vfr["message"]
        .as_str()
        .unwrap()
        .contains("variable frame rate"));
    // The variable rate is the one cause, with one warning: the standard-rate rule is for
    // constant rates.
    assert_eq!(rule("video.frame_rate")["status"], "skip");

    let (_, out, _) = run(&[
        "check",
        "--format",
        "json",
        film("fr-cfr.mp4", 2).to_str().unwrap(),
    ]);
    let report = json(&out);
    let results = report["files"][0]["results"].as_array().unwrap();
    let vfr = results
        .iter()
        .find(|r| r["id"] == "video.constant_frame_rate")
        .unwrap();
    assert_eq!(vfr["status"], "pass", "{vfr:#}");
}

#[test]
fn soft_telecine_is_the_film_rate_with_pulldown() {
    // From the real-media set: 23.976 progressive frames flagged to show at 29.97.
    let ts =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real/bt601-525_480_telecined_soft.ts");
    let v = video(&ts);
    assert!(near(&v["fps"], 24000.0 / 1001.0), "{v:#}");
    assert_eq!(v["pulldown"], "soft");
    assert_eq!(v["frame_rate_mode"], "constant");
}

fn video_decoded(path: &Path) -> Value {
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "video",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0]["video"][0].clone()
}

/// Interlaced 25 fps H.264 coded as field pictures (PAFF) in a transport stream, every field
/// with its own timestamp, as AVCHD cameras and broadcast encoders write it: two seconds, 50
/// frames of 160x96.
fn field_coded_ts() -> PathBuf {
    // Each field is coded by x264 as a picture of its own (half the frame's height, 50 a
    // second), then rewritten as the fields of 25 frames (see `field_pictures`).
    let fields = lavfi(
        "fr-fields.264",
        &["testsrc2=size=160x48:rate=50:duration=2"],
        &[
            "-c:v",
            "libx264",
            "-profile:v",
            "baseline",
            "-x264-params",
            "keyint=1:bframes=0",
        ],
    );
    let paired = crate::field_pictures::pair_fields(&std::fs::read(fields).unwrap());
    let es = save("fr-paff.264", &paired);
    media(
        "fr-paff.ts",
        &[
            "-r",
            "25",
            "-f",
            "h264",
            "-i",
            es.to_str().unwrap(),
            "-c",
            "copy",
            // One timestamp per field, 1/50 s apart.
            "-bsf:v",
            "setts=ts=N*1800:duration=1800:time_base=1/90000",
        ],
    )
}

#[test]
fn field_coded_h264_is_read_at_its_frame_rate_and_its_frames_are_whole() {
    let ts = field_coded_ts();
    let v = video(&ts);
    assert!(near(&v["fps"], 25.0), "a field pair is one frame: {v:#}");
    assert_eq!(v["frame_rate_mode"], "constant");
    assert_eq!(v["interlaced"], true);
    let v = video_decoded(&ts);
    assert_eq!(v["frames_decoded"], 50, "{v:#}");
    assert_eq!(v["missing_frames"], 0, "{v:#}");
    assert_eq!(v["dropped_frames"], 0, "{v:#}");
    assert_eq!(v["damaged_at"], Value::Null, "{v:#}");
}

#[test]
fn a_film_rate_stamped_on_a_video_clock_is_variable_not_dropped_frames() {
    // 24 fps on a 1/30 s clock: frames one and two ticks apart, a gap every fourth frame.
    let mp4 = lavfi(
        "fr-24-on-30.mp4",
        &["testsrc2=size=160x90:rate=24:duration=4"],
        &[
            &["-fps_mode", "passthrough", "-enc_time_base", "1/30"][..],
            &["-video_track_timescale", "30"],
            H264_ULTRAFAST,
        ]
        .concat(),
    );
    let v = video_decoded(&mp4);
    assert_eq!(v["frame_rate_mode"], "variable", "{v:#}");
    assert!(near(&v["fps"], 24.0), "{v:#}");
    assert!(
        near(&v["fps_min"], 15.0) && near(&v["fps_max"], 30.0),
        "{v:#}"
    );
    assert_eq!(v["dropped_frames"], 0, "{v:#}");
    assert_eq!(v["damaged_at"], Value::Null, "{v:#}");
}

#[test]
fn a_late_frame_keeps_a_constant_rate() {
    // 25 fps in milliseconds; from the 13th frame on, every frame 21 ms late: one 61 ms step.
    let mkv = lavfi(
        "fr-late-frame.mkv",
        &["testsrc2=size=160x90:rate=25:duration=4"],
        &[
            &["-vf", "settb=1/1000,setpts='if(gte(N,12),PTS+21,PTS)'"][..],
            &["-fps_mode", "passthrough", "-enc_time_base", "1/1000"],
            H264_ULTRAFAST,
        ]
        .concat(),
    );
    let v = video(&mkv);
    assert!(near(&v["fps"], 25.0), "{v:#}");
    assert_eq!(v["frame_rate_mode"], "constant", "{v:#}");
}

/// 30 fps with frames dropped: `pick` is a select expression of the frames kept.
fn dropped(name: &str, rate: &str, pick: &str) -> PathBuf {
    let src = format!("testsrc2=size=160x90:rate={rate}:duration=4");
    lavfi(
        name,
        &[&src],
        &[
            &["-vf", &format!("select='{pick}'")][..],
            &["-fps_mode", "passthrough"],
            H264_ULTRAFAST,
        ]
        .concat(),
    )
}

#[test]
fn dropped_frames_are_counted_apart_from_damage_and_warned_of() {
    // A 60 fps screen recording that dropped two frames: 60 constant, two dropped, no damage.
    let two = dropped("fr-60-two-dropped.mp4", "60", "not(eq(n,10)+eq(n,30))");
    let v = video_decoded(&two);
    assert!(near(&v["fps"], 60.0), "{v:#}");
    assert_eq!(v["frame_rate_mode"], "constant", "{v:#}");
    assert_eq!(v["dropped_frames"], 2, "{v:#}");
    assert_eq!(v["damaged_at"], Value::Null, "{v:#}");
    // A phone that dropped one frame in five, anywhere: the screening rules warn of it, and
    // the picture is not called damaged.
    let many = dropped(
        "fr-30-many-dropped.mp4",
        "30",
        "not(eq(mod(n*7,11),3)+eq(mod(n,13),5)+eq(mod(n*3,17),1))",
    );
    let (_, out, err) = run(&[
        "check",
        "--rules",
        "screening",
        "--format",
        "json",
        many.to_str().unwrap(),
    ]);
    let report = json(&out);
    let file = &report["files"][0];
    let v = &file["facts"]["video"][0];
    assert!(near(&v["fps"], 30.0), "{v:#} {err}");
    let share = v["dropped_share"].as_f64().unwrap();
    assert!((0.15..0.3).contains(&share), "{v:#}");
    let results = file["results"].as_array().unwrap();
    let rule = |id: &str| results.iter().find(|r| r["id"] == id).cloned().unwrap();
    let dropped = rule("qc.dropped_frames");
    assert_eq!(dropped["status"], "fail", "{dropped:#}");
    assert_eq!(dropped["severity"], "warning");
    assert_eq!(rule("qc.undamaged")["status"], "pass");
}

#[test]
fn a_single_intra_frame_has_the_rate_its_file_states() {
    // One DNxHR HQX frame in MXF: the time base is the rate (1/24), and one frame has no
    // spacing to measure; its stated length gives the rate, as for other one-frame files.
    let mxf = lavfi(
        "fr-one-dnxhr.mxf",
        &["testsrc2=size=1280x720:rate=24:duration=1"],
        &[
            "-frames:v",
            "1",
            "-c:v",
            "dnxhd",
            "-profile:v",
            "dnxhr_hqx",
            "-pix_fmt",
            "yuv422p10le",
        ],
    );
    let v = video(&mxf);
    assert!(near(&v["fps"], 24.0), "{v:#}");
    assert_eq!(v["frame_rate_mode"], Value::Null);
}

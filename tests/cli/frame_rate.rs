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

//! The video analyzer (`--with video`): one decode of every frame for decode integrity, the
//! scan the picture shows, flashing, freezes and black inside the film, the active area; and
//! the `screening` and `filmhub` rule sets that use it.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The facts of `probe --with video` on one file.
fn probe_video(path: &Path) -> Value {
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "video",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}{out}");
    json(&out)[0].clone()
}

fn rule(report: &Value, id: &str) -> Value {
    report["files"][0]["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no result for {id}: {report}"))
}

fn check(rules: &str, film: &Path) -> (i32, Value) {
    let (code, out, err) = run(&[
        "check",
        "--rules",
        rules,
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    assert!(!err.contains("panick"), "{err}");
    (code, json(&out))
}

/// A 12 s, 320x180, 25 fps H.264 film with a keyframe every second and a sound track.
fn clean_h264() -> PathBuf {
    lavfi(
        "qc-clean.mp4",
        &[
            "testsrc2=size=320x180:rate=25",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[
            "-t",
            "12",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
    )
}

/// (time, byte offset, size) of each video packet, as ffprobe lists them.
fn video_packets(film: &Path) -> Vec<(f64, usize, usize)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args(["packet=pts_time,pos,size", "-of", "csv=p=0"])
        .arg(film)
        .output()
        .expect("ffprobe");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split(',');
            let t = f.next()?.parse().ok()?;
            let size = f.next()?.parse().ok()?;
            let pos = f.next()?.parse().ok()?;
            Some((t, pos, size))
        })
        .collect()
}

/// A copy of `film` with the video packets between `from` and `to` seconds scrambled in
/// their second half (the slice headers stay, so the decoder tries and has to conceal).
fn damaged_copy(film: &Path, name: &str, from: f64, to: f64) -> PathBuf {
    let mut bytes = std::fs::read(film).unwrap();
    let mut x: u32 = 12345;
    let mut hit = 0;
    for (t, pos, size) in video_packets(film) {
        if t + 1e-6 < from || t >= to {
            continue;
        }
        hit += 1;
        for b in &mut bytes[pos + size / 2..pos + size] {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
    }
    assert!(hit > 0, "no packet between {from} and {to}");
    save(name, &bytes)
}

#[test]
fn a_clean_film_decodes_to_the_end_without_damage() {
    let f = probe_video(&clean_h264());
    let v = &f["video"][0];
    assert_eq!(v["frames_decoded"], 300, "{v}");
    assert_eq!(v["decode_errors"], 0, "{v}");
    assert_eq!(v["missing_frames"], 0, "{v}");
    assert_eq!(v["decoded_to_end"], true, "{v}");
    assert_eq!(v["damaged"], serde_json::json!([]), "{v}");
    assert!(v["damaged_at"].is_null(), "{v}");
    // Without --with video, nothing is decoded and the facts are absent.
    let (_, out, _) = run(&["probe", "--format", "json", clean_h264().to_str().unwrap()]);
    assert!(json(&out)[0]["video"][0].get("decode_errors").is_none());
}

#[test]
fn damaged_packets_in_the_middle_are_found_with_their_times() {
    let film = damaged_copy(&clean_h264(), "qc-damaged.mp4", 6.0, 6.3);
    let v = probe_video(&film)["video"][0].clone();
    assert!(v["decode_errors"].as_u64().unwrap() > 0, "{v}");
    let spans = v["damaged"].as_array().unwrap();
    assert!(!spans.is_empty(), "{v}");
    // Found within one second of where the damage is, and nowhere else.
    for s in spans {
        let (a, b) = (s["start_s"].as_f64().unwrap(), s["end_s"].as_f64().unwrap());
        assert!(a >= 5.0 && b <= 8.0, "{s} in {v}");
    }
    assert!(
        (spans[0]["start_s"].as_f64().unwrap() - 6.0).abs() <= 1.0,
        "{v}"
    );
    assert!(v["damaged_at"].as_str().unwrap().contains("0:06"), "{v}");

    // The screening rules fail it and name the times.
    let (code, report) = check("screening", &film);
    assert_eq!(code, 1, "{report}");
    let r = rule(&report, "qc.undamaged");
    assert_eq!(r["status"], "fail", "{r}");
    assert!(r["actual"].as_str().unwrap().contains("0:06"), "{r}");
    let (_, report) = check("screening", &clean_h264());
    assert_eq!(rule(&report, "qc.undamaged")["status"], "pass");
}

#[test]
fn a_film_that_stops_decoding_halfway_keeps_what_was_measured() {
    let src = lavfi(
        "qc-whole.mkv",
        &["testsrc2=size=320x180:rate=25"],
        &[
            "-t",
            "10",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
        ],
    );
    let bytes = std::fs::read(&src).unwrap();
    let film = save("qc-cut.mkv", &bytes[..bytes.len() / 2]);
    let f = probe_video(&film);
    assert!(f["error"].is_null(), "{f}");
    let v = &f["video"][0];
    let frames = v["frames_decoded"].as_u64().unwrap();
    assert!(frames > 50 && frames < 250, "{v}");
    assert_eq!(v["decoded_to_end"], false, "{v}");
    assert!(v["damaged_at"].as_str().unwrap().ends_with("–end"), "{v}");
    assert!(v["scan_detected"].is_string(), "measured up to there: {v}");
    let (code, report) = check("screening", &film);
    assert_eq!(code, 1);
    assert_eq!(rule(&report, "qc.decodes_to_end")["status"], "fail");
}

#[test]
fn the_built_in_festival_rules_do_not_decode_every_frame() {
    let (_, out, _) = run(&["check", "--format", "json", clean_h264().to_str().unwrap()]);
    let report = json(&out);
    let v = &report["files"][0]["facts"]["video"][0];
    assert!(v.get("frames_decoded").is_none(), "{v}");
    let (_, report) = check("screening", &clean_h264());
    let v = &report["files"][0]["facts"]["video"][0];
    assert_eq!(v["frames_decoded"], 300, "{v}");
}

/// A 6 s, 320x240 H.264 film of `source` (a lavfi graph), sharp enough to keep combing.
fn scan_film(name: &str, source: &str) -> PathBuf {
    lavfi(
        name,
        &[source],
        &[
            "-t",
            "6",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "16",
            "-pix_fmt",
            "yuv420p",
        ],
    )
}

#[test]
fn the_scan_is_read_from_the_picture_not_the_header() {
    let cases = [
        (
            "qc-progressive.mp4",
            "testsrc2=size=320x240:rate=25",
            Some("progressive"),
        ),
        (
            "qc-tff.mp4",
            "testsrc2=size=320x240:rate=50,interlace=scan=tff",
            Some("interlaced_tff"),
        ),
        (
            "qc-bff.mp4",
            "testsrc2=size=320x240:rate=50,interlace=scan=bff",
            Some("interlaced_bff"),
        ),
        (
            "qc-fractal-tff.mp4",
            "mandelbrot=size=320x240:rate=50,interlace=scan=tff",
            Some("interlaced_tff"),
        ),
        (
            "qc-telecined.mp4",
            "testsrc2=size=320x240:rate=24000/1001,telecine=pattern=23",
            Some("telecined"),
        ),
        // A still picture, even interlaced, has nothing to tell.
        (
            "qc-still.mp4",
            "smptebars=size=320x240:rate=25,interlace=scan=tff",
            None,
        ),
    ];
    for (name, source, want) in cases {
        let film = scan_film(name, source);
        let v = probe_video(&film)["video"][0].clone();
        assert_eq!(v["scan_detected"].as_str(), want, "{name}: {v}");
        // The encoder flagged every one of them progressive: only the picture tells.
        assert_ne!(v["interlaced"], true, "{name}: {v}");
    }
    let (_, report) = check("screening", &scan_film("qc-tff.mp4", cases[1].1));
    let r = rule(&report, "qc.progressive_picture");
    assert_eq!(
        (&r["status"], &r["severity"]),
        (&"fail".into(), &"warning".into()),
        "{r}"
    );
    assert_eq!(r["actual"], "interlaced_tff", "{r}");
}

/// 4 s of black with a box (`area`, drawbox's x:y:w:h) flashing in `colour` `hz` times a
/// second.
fn flashing(name: &str, hz: f64, area: &str, colour: &str) -> PathBuf {
    let graph = format!(
        "color=black:s=320x180:r=25,drawbox={area}:color={colour}:t=fill:enable='lt(mod(t\\,{})\\,{})'",
        1.0 / hz,
        0.5 / hz
    );
    lavfi(
        name,
        &[&graph],
        &[
            "-t",
            "4",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    )
}

#[test]
fn flashing_is_judged_by_bt1702_at_and_around_its_limits() {
    let full = "x=0:y=0:w=iw:h=ih";
    let cases = [
        ("qc-flash-2.mp4", 2.0, full, "white", None),
        ("qc-flash-3.mp4", 3.0, full, "white", None),
        ("qc-flash-4.mp4", 4.0, full, "white", Some(4)),
        ("qc-flash-10.mp4", 10.0, full, "white", Some(10)),
        // A sixteenth of the screen is under the quarter that counts; half of it is over.
        (
            "qc-flash-10-small.mp4",
            10.0,
            "x=0:y=0:w=iw/4:h=ih/4",
            "white",
            None,
        ),
        (
            "qc-flash-10-half.mp4",
            10.0,
            "x=0:y=0:w=iw/2:h=ih",
            "white",
            Some(10),
        ),
        ("qc-flash-10-red.mp4", 10.0, full, "red", Some(10)),
    ];
    for (name, hz, area, colour, want) in cases {
        let v = probe_video(&flashing(name, hz, area, colour))["video"][0].clone();
        let found = v["flash_violations"].as_array().unwrap().clone();
        match want {
            None => assert!(found.is_empty(), "{name}: {v}"),
            Some(per_s) => {
                assert!(!found.is_empty(), "{name}: {v}");
                let most = found
                    .iter()
                    .filter_map(|f| f["flashes_per_s"].as_u64())
                    .max()
                    .unwrap();
                assert!(most.abs_diff(per_s) <= 1, "{name}: {v}");
                assert!(found[0]["start_s"].as_f64().unwrap() < 1.0, "{name}: {v}");
            }
        }
        if colour == "red" {
            assert!(found.iter().any(|f| f["kind"] == "red"), "{name}: {v}");
        }
    }
    let (_, report) = check(
        "screening",
        &flashing("qc-flash-10.mp4", 10.0, full, "white"),
    );
    let r = rule(&report, "qc.flashing");
    assert_eq!(r["status"], "fail", "{r}");
    assert!(r["actual"].as_str().unwrap().contains("0:00"), "{r}");
}

#[test]
fn held_pictures_and_black_inside_the_film_are_noted() {
    let film = lavfi(
        "qc-held-black.mp4",
        &["testsrc2=s=320x180:r=25:d=3[a];smptebars=s=320x180:r=25:d=3[b];color=black:s=320x180:r=25:d=3[c];testsrc2=s=320x180:r=25:d=3[d];[a][b][c][d]concat=n=4"],
        &["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    );
    let v = probe_video(&film)["video"][0].clone();
    let spans = |key: &str| -> Vec<(f64, f64)> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["start_s"].as_f64().unwrap(), s["end_s"].as_f64().unwrap()))
            .collect()
    };
    let near = |got: Vec<(f64, f64)>, want: (f64, f64)| {
        assert_eq!(got.len(), 1, "{v}");
        assert!(
            (got[0].0 - want.0).abs() <= 0.08 && (got[0].1 - want.1).abs() <= 0.08,
            "{v}"
        );
    };
    near(spans("frozen"), (3.0, 6.0));
    near(spans("black_spans"), (6.0, 9.0));
    let (_, report) = check("screening", &film);
    let r = rule(&report, "qc.frozen_picture");
    assert_eq!(
        (&r["status"], &r["severity"]),
        (&"fail".into(), &"info".into()),
        "{r}"
    );
    assert_eq!(rule(&report, "qc.black_inside")["status"], "fail");
}

#[test]
fn burned_in_bars_are_measured_and_filmhub_rejects_them() {
    let make = |name: &str, graph: &str| {
        lavfi(
            name,
            &[graph, "sine=frequency=440:sample_rate=48000"],
            &[
                "-t",
                "4",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
            ],
        )
    };
    let letterbox = make(
        "qc-letterbox.mp4",
        "testsrc2=size=320x136:rate=25,pad=320:180:0:22",
    );
    let pillarbox = make(
        "qc-pillarbox.mp4",
        "testsrc2=size=240x180:rate=25,pad=320:180:40:0",
    );
    let full = make("qc-full-frame.mp4", "testsrc2=size=320x180:rate=25");
    let area = |f: &Path| probe_video(f)["video"][0]["active_area"].clone();
    let a = area(&letterbox);
    assert_eq!(a["bars"], "letterbox", "{a}");
    assert_eq!(
        (a["y"].as_u64(), a["height"].as_u64()),
        (Some(22), Some(136)),
        "{a}"
    );
    assert!(
        (a["aspect"].as_f64().unwrap() - 320.0 / 136.0).abs() < 0.02,
        "{a}"
    );
    let a = area(&pillarbox);
    assert_eq!(a["bars"], "pillarbox", "{a}");
    assert!(a["x"].as_u64().unwrap().abs_diff(40) <= 2, "{a}");
    assert_eq!(area(&full)["bars"], "none");

    let (_, report) = check("filmhub", &letterbox);
    assert_eq!(rule(&report, "video.no_burned_in_bars")["status"], "fail");
    let (_, report) = check("filmhub", &full);
    assert_eq!(rule(&report, "video.no_burned_in_bars")["status"], "pass");
}

#[test]
fn the_prores_flavour_is_read_from_the_header_and_filmhub_rejects_proxy_and_lt() {
    let prores = |profile: &str| {
        lavfi(
            &format!("qc-prores-{profile}.mov"),
            &[
                "testsrc2=size=320x180:rate=25",
                "sine=frequency=440:sample_rate=48000",
            ],
            &[
                "-t",
                "2",
                "-c:v",
                "prores_ks",
                "-profile:v",
                profile,
                "-pix_fmt",
                "yuv422p10le",
                "-c:a",
                "pcm_s16le",
            ],
        )
    };
    let names = ["proxy", "lt", "standard", "hq"];
    for (n, name) in names.iter().enumerate() {
        let film = prores(&n.to_string());
        let (_, out, _) = run(&["probe", "--format", "json", film.to_str().unwrap()]);
        let v = &json(&out)[0]["video"][0];
        assert_eq!(v["prores_profile"], *name, "{v}");
        let (_, report) = check("filmhub", &film);
        let r = rule(&report, "video.prores_flavour");
        let want = if n < 2 { "fail" } else { "pass" };
        assert_eq!(r["status"], want, "{name}: {r}");
    }
    let (_, out, _) = run(&["probe", "--format", "json", clean_h264().to_str().unwrap()]);
    assert!(json(&out)[0]["video"][0]["prores_profile"].is_null());
}

#[test]
fn a_film_longer_than_the_time_limit_is_timed_out_with_its_partial_facts() {
    let film = lavfi(
        "qc-long-720p.mp4",
        &["testsrc2=size=1280x720:rate=25"],
        &[
            "-t",
            "120",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let (code, out, err) = run(&[
        "check",
        "--rules",
        "screening",
        "--timeout",
        "3",
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    let report = json(&out);
    let f = &report["files"][0];
    assert_eq!(f["status"], "error", "{err}{f}");
    assert!(f["error"].as_str().unwrap().starts_with("timed out"), "{f}");
    // The cause travels typed from the analysis that stopped: a time limit, not a file that
    // cannot be read (and so never reused from the cache or a journal).
    assert_eq!(f["error_code"], "timeout", "{f}");
    assert_eq!(f["facts"]["failure"], "timeout", "{f}");
    let v = &f["facts"]["video"][0];
    let frames = v["frames_decoded"].as_u64().unwrap();
    assert!(frames > 0 && frames < 3000, "{v}");
    assert!(
        v["decoded_to_end"].is_null(),
        "not reached is not damaged: {v}"
    );
    assert_ne!(code, 0);
}

// ── Head of the film: bars, slate, countdown, line-up tone ──────────────────────────────────

const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// A film made of the video `parts` (each a lavfi source chain ending in 320x180, 25 fps,
/// yuv420p) and the audio `sounds`, joined in order.
fn head_film(name: &str, parts: &[&str], sounds: &[&str]) -> PathBuf {
    let mut graph = String::new();
    for (i, p) in parts.iter().enumerate() {
        graph += &format!("{p},format=yuv420p,setsar=1[v{i}];");
    }
    for i in 0..parts.len() {
        graph += &format!("[v{i}]");
    }
    graph += &format!("concat=n={}:v=1:a=0[v];", parts.len());
    for (i, s) in sounds.iter().enumerate() {
        graph += &format!("{s}[a{i}];");
    }
    for i in 0..sounds.len() {
        graph += &format!("[a{i}]");
    }
    graph += &format!("concat=n={}:v=0:a=1[a]", sounds.len());
    media(
        name,
        &[
            "-filter_complex",
            &graph,
            "-map",
            "[v]",
            "-map",
            "[a]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-c:a",
            "aac",
            "-ac",
            "2",
        ],
    )
}

/// The film proper: moving colourful picture and a 440 Hz sound.
const FILM: &str = "testsrc2=s=320x180:r=25:d=3";
const SOUND: &str = "sine=f=440:sample_rate=48000:d=3";
/// A countdown of `from` numbers, one a second, centred on a grey card.
fn countdown(from: u32) -> String {
    format!(
        "color=c=0x404040:s=320x180:r=25:d={from},drawtext=fontfile={FONT}:text='%{{eif\\:{from}-t\\:d}}':fontsize=100:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2"
    )
}
/// A slate: a grey card with lines of text.
fn slate(secs: u32) -> String {
    format!(
        "color=c=0x303030:s=320x180:r=25:d={secs},drawtext=fontfile={FONT}:text='TITLE  MY FILM':fontsize=16:fontcolor=white:x=30:y=40,drawtext=fontfile={FONT}:text='DIRECTOR  A. PERSON':fontsize=16:fontcolor=white:x=30:y=80,drawtext=fontfile={FONT}:text='TRT 0\\:03  2026-11-28':fontsize=16:fontcolor=white:x=30:y=120"
    )
}

fn near(v: &Value, want: f64, tol: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((x - want).abs() <= tol, "{x} is not {want} ± {tol}");
}

#[test]
fn smpte_bars_and_tone_at_the_head_are_found_with_their_end() {
    let film = head_film(
        "head-bars-tone.mp4",
        &["smptebars=s=320x180:r=25:d=3", FILM],
        &["sine=f=1000:sample_rate=48000:d=3", SOUND],
    );
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "video,audio",
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let f = json(&out)[0].clone();
    let v = &f["video"][0];
    assert_eq!(v["head_content"], "bars", "{v}");
    near(&v["head_content_end_s"], 3.0, 0.05);
    assert_eq!(v["head_content_at"], "bars 0:00.00–0:03.00", "{v}");
    let a = &f["audio"][0];
    let tone = &a["head_tone"];
    assert_eq!(tone["frequency_hz"], 1000.0, "{a}");
    near(&tone["start_s"], 0.0, 0.05);
    // AAC's priming and the crossfade-free cut leave the end within a block or two.
    near(&tone["end_s"], 3.0, 0.15);
    // FFmpeg's sine source plays at 1/8 of full scale (-18.1 dBFS), and its mono made stereo
    // is 3 dB lower on each side.
    near(&tone["level_dbfs"], -21.1, 0.3);
}

#[test]
fn hd_bars_a_slate_and_a_countdown_make_one_leader() {
    let film = head_film(
        "head-hdbars-slate-countdown.mp4",
        &[
            "smptehdbars=s=320x180:r=25:d=2",
            &slate(2),
            &countdown(5),
            FILM,
        ],
        &["anullsrc=r=48000:cl=stereo:d=9", SOUND],
    );
    let f = probe_video(&film);
    let v = &f["video"][0];
    assert_eq!(v["head_content"], "bars, slate, countdown", "{v}");
    let parts = v["head_parts"].as_array().unwrap();
    near(&parts[0]["end_s"], 2.0, 0.05);
    near(&parts[1]["start_s"], 2.0, 0.05);
    near(&parts[2]["start_s"], 4.0, 0.1);
    near(&v["head_content_end_s"], 9.0, 0.1);
}

#[test]
fn a_film_opening_on_colour_or_a_title_card_has_no_leader() {
    // A colourful moving scene from the first frame.
    let v = probe_video(&clean_h264())["video"][0].clone();
    assert_eq!(v["head_content"], "none", "{v}");
    assert_eq!(v["head_content_end_s"], 0.0, "{v}");
    assert!(v["head_content_at"].is_null(), "{v}");
    // A colourful still (a frame of the film held for 3 s) is not bars.
    let film = head_film(
        "head-colour-still.mp4",
        &[
            "testsrc2=s=320x180:r=25:d=1,trim=end_frame=1,loop=loop=75:size=1",
            FILM,
        ],
        &["anullsrc=r=48000:cl=stereo:d=3", SOUND],
    );
    let v = probe_video(&film)["video"][0].clone();
    assert_eq!(v["head_content"], "none", "{v}");
    // A still title card, then the film: a card alone is the film's, not a slate.
    let film = head_film(
        "head-title-card.mp4",
        &[&slate(3), FILM],
        &["anullsrc=r=48000:cl=stereo:d=3", SOUND],
    );
    let v = probe_video(&film)["video"][0].clone();
    assert_eq!(v["head_content"], "none", "{v}");
}

#[test]
fn filmhub_rejects_a_leader_and_tone_and_screening_warns() {
    let film = head_film(
        "head-bars-tone.mp4",
        &["smptebars=s=320x180:r=25:d=3", FILM],
        &["sine=f=1000:sample_rate=48000:d=3", SOUND],
    );
    let (_, report) = check("filmhub", &film);
    for id in ["qc.no_leader", "qc.no_tone"] {
        let r = rule(&report, id);
        assert_eq!(
            (&r["status"], &r["severity"]),
            (&"fail".into(), &"error".into()),
            "{r}"
        );
    }
    assert!(rule(&report, "qc.no_leader")["actual"]
        .as_str()
        .unwrap()
        .contains("bars 0:00.00–0:03.00"));
    let (_, report) = check("screening", &film);
    for id in ["qc.no_leader", "qc.no_tone"] {
        let r = rule(&report, id);
        assert_eq!(
            (&r["status"], &r["severity"]),
            (&"fail".into(), &"warning".into()),
            "{r}"
        );
    }
    // A film that opens on the film passes both.
    let (_, report) = check("filmhub", &clean_h264());
    for id in ["qc.no_leader", "qc.no_tone"] {
        assert_eq!(rule(&report, id)["status"], "pass");
    }
}

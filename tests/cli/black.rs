//! Black padding at the head and tail of the picture, and the rules that warn about it.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// A 320x180, 10 fps film of `parts` in order (each a lavfi source for that many seconds),
/// with a sound track as long as the picture.
fn padded(name: &str, parts: &[(&str, f64)]) -> PathBuf {
    let mut graph = String::new();
    for (i, (src, secs)) in parts.iter().enumerate() {
        let sep = if src.contains('=') { ':' } else { '=' };
        graph += &format!("{src}{sep}s=320x180:r=10:d={secs},format=yuv420p,setsar=1[p{i}];");
    }
    for i in 0..parts.len() {
        graph += &format!("[p{i}]");
    }
    graph += &format!("concat=n={}:v=1:a=0[v]", parts.len());
    let secs: f64 = parts.iter().map(|(_, s)| s).sum();
    let sine = format!("sine=frequency=440:sample_rate=48000:duration={secs}");
    media(
        name,
        &[
            "-filter_complex",
            &graph,
            "-f",
            "lavfi",
            "-i",
            &sine,
            "-map",
            "[v]",
            "-map",
            "0:a",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
    )
}

/// (exit code, the file's facts, stderr) of `probe --with black --format json`.
fn probe_black(path: &Path) -> (i32, Value, String) {
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "black",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    (code, json(&out)[0].clone(), err)
}

fn black_ends(path: &Path) -> (Value, Value) {
    let (code, facts, err) = probe_black(path);
    assert_eq!(code, 0, "{err}");
    let v = &facts["video"][0];
    (v["black_head_s"].clone(), v["black_tail_s"].clone())
}

fn near(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("no value: {v}"));
    // One frame at 10 fps.
    assert!((got - expected).abs() <= 0.101, "{got} vs {expected}");
}

fn rule(report: &Value, id: &str) -> Value {
    report["files"][0]["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no result for {id}: {report}"))
}

#[test]
fn black_padding_is_measured_and_warned_about() {
    let film = padded(
        "black-3s-head-1s-tail.mp4",
        &[
            ("color=black", 3.0),
            ("testsrc2", 60.0),
            ("color=black", 1.0),
        ],
    );
    let (head, tail) = black_ends(&film);
    near(&head, 3.0);
    near(&tail, 1.0);
    let (_, text, _) = run(&["probe", "--with", "black", film.to_str().unwrap()]);
    assert!(text.contains("black 3 s at head, 1 s at tail"), "{text}");

    // The built-in rules measure it in a default check: a warning, so the film still passes.
    let (code, out, err) = run(&["check", "--format", "json", film.to_str().unwrap()]);
    let report = json(&out);
    assert_eq!(code, 0, "{err}{out}");
    let h = rule(&report, "video.black_head");
    assert_eq!(
        (&h["status"], &h["severity"]),
        (&"fail".into(), &"warning".into()),
        "{h}"
    );
    assert!(h["actual"].as_str().unwrap().contains("3 s"), "{h}");
    assert_eq!(rule(&report, "video.black_tail")["status"], "pass");
    let (code, _, _) = run(&["check", "--strict", film.to_str().unwrap()]);
    assert_eq!(code, 1, "--strict fails on the warning");
}

#[test]
fn a_title_card_or_stars_on_black_are_picture_not_padding() {
    let film = media(
        "black-title-and-stars.mp4",
        &[
            "-filter_complex",
            &format!(
                "color=black:s=320x180:r=10:d=3,drawtext=fontfile={FONT}:text='A FILM BY':fontsize=20:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2,format=yuv420p[a];\
                 testsrc2=s=320x180:r=10:d=10,format=yuv420p[b];\
                 color=black:s=320x180:r=10:d=4,geq=lum='if(lt(random(1)\\,0.003)\\,235\\,16)':cb=128:cr=128,format=yuv420p[c];\
                 [a][b][c]concat=n=3:v=1:a=0[v]"
            ),
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
        ],
    );
    let (head, tail) = black_ends(&film);
    near(&head, 0.0);
    near(&tail, 0.0);
}

#[test]
fn black_needs_a_picture_and_runs_only_when_asked() {
    let sound = lavfi(
        "black-sound-only.m4a",
        &["sine=frequency=440:sample_rate=48000:duration=3"],
        &["-c:a", "aac"],
    );
    let (code, facts, err) = probe_black(&sound);
    assert_eq!(code, 0, "{err}");
    assert_eq!(facts["video"], serde_json::json!([]));

    let film = film("pass-61s.mp4", 61);
    let (_, out, _) = run(&["probe", "--format", "json", film.to_str().unwrap()]);
    let v = &json(&out)[0]["video"][0];
    assert!(
        v.get("black_head_s").is_none(),
        "header facts decode nothing: {v}"
    );
    let (_, out, _) = run(&[
        "check",
        "--quick",
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    assert_eq!(rule(&json(&out), "video.black_head")["status"], "skip");
}

#[test]
fn a_damaged_tail_gives_a_measure_or_a_clear_error() {
    let src = padded(
        "black-damaged-src.mp4",
        &[
            ("color=black", 2.0),
            ("testsrc2", 20.0),
            ("color=black", 4.0),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(&src).unwrap();
    // Scramble the last fifth: the index sits at the front, so the picture's tail is damaged
    // while the file still opens.
    let from = bytes.len() * 4 / 5;
    let mut x: u32 = 977;
    for b in &mut bytes[from..] {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *b = (x >> 16) as u8;
    }
    let film = dir.path().join("damaged.mp4");
    std::fs::write(&film, &bytes).unwrap();
    let (code, f, err) = probe_black(&film);
    assert!(!err.contains("panick"), "{err}");
    match f["error"].as_str() {
        Some(e) => assert!(code == 1 && !e.is_empty() && !e.contains('\n'), "{e}"),
        None => {
            assert_eq!(code, 0, "{err}");
            near(&f["video"][0]["black_head_s"], 2.0);
            // Where nothing decodes the tail is unknown (absent), never a made-up length.
            let tail = &f["video"][0]["black_tail_s"];
            assert!(
                tail.is_null() || tail.as_f64().is_some_and(|t| t >= 0.0),
                "{f}"
            );
        }
    }
}

#[test]
fn mpeg4_part_2_tails_are_measured_to_the_frame_with_and_without_b_pictures() {
    // Black from 6.3 s, mid-GOP (a keyframe every 1.2 s), to the end at 8.8 s. Without
    // B-pictures every keyframe starts decoding afresh, so the tail is taken from the credits'
    // end scan; with them it is decoded on its own. Both must read the same 2.5 s.
    for (name, bframes) in [("mpeg4-tail-ip.avi", "0"), ("mpeg4-tail-ipb.avi", "2")] {
        let film = media(
            name,
            &[
                "-filter_complex",
                "testsrc2=s=320x180:r=10:d=6.3,format=yuv420p[a];\
                 color=black:s=320x180:r=10:d=2.5,format=yuv420p[b];\
                 [a][b]concat=n=2:v=1:a=0[v]",
                "-map",
                "[v]",
                "-c:v",
                "mpeg4",
                "-q:v",
                "4",
                "-g",
                "12",
                "-bf",
                bframes,
            ],
        );
        let (head, tail) = black_ends(&film);
        near(&head, 0.0);
        near(&tail, 2.5);
    }
}

//! Hostile and broken inputs: each gets a clear per-file error or a correct result, the exit
//! code is right, and nothing else in the batch is lost.

mod input;
mod intake;
mod output;
mod tags;
mod verdicts;

use crate::samples;
use crate::support::*;
use std::path::Path;

fn check_dir(dir: &Path) -> (i32, Vec<(String, String, String)>) {
    let (code, out, err) = run(&[
        "check",
        "--format",
        "json",
        "--no-cache",
        "--timeout",
        "60",
        dir.to_str().unwrap(),
    ]);
    assert!(!err.contains("panicked"), "{err}");
    (code, statuses(&json(&out)))
}

fn find<'a>(files: &'a [(String, String, String)], name: &str) -> &'a (String, String, String) {
    files
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("{name} not in {files:?}"))
}

#[test]
fn broken_and_disguised_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_into(&samples::good(), d, "good.mp4");
    std::fs::write(d.join("zero.mp4"), b"").unwrap();
    std::fs::write(d.join("text.mp4"), "Director's statement.\n".repeat(50)).unwrap();
    let png = lavfi("still.png", &["testsrc2=size=160x90"], &["-frames:v", "1"]);
    copy_into(&png, d, "image.mp4");

    // Truncated at 1 %, 50 % and 99 %, with the index at the front and at the end.
    let front = std::fs::read(samples::good()).unwrap();
    let back = std::fs::read(samples::variant("slow-start.mp4")).unwrap();
    for pct in [1usize, 50, 99] {
        std::fs::write(
            d.join(format!("front-{pct}.mp4")),
            &front[..front.len() * pct / 100],
        )
        .unwrap();
        std::fs::write(
            d.join(format!("back-{pct}.mp4")),
            &back[..back.len() * pct / 100],
        )
        .unwrap();
    }
    // An MP4 without its moov atom: drop the box whole.
    let mut no_moov = Vec::new();
    let mut off = 0;
    while off + 8 <= back.len() {
        let size = u32::from_be_bytes(back[off..off + 4].try_into().unwrap()) as usize;
        if &back[off + 4..off + 8] != b"moov" {
            no_moov.extend_from_slice(&back[off..off + size]);
        }
        off += size;
    }
    std::fs::write(d.join("no-moov.mp4"), &no_moov).unwrap();
    // Random bytes after the header; bit flips in the middle.
    let mut noise = front[..4096].to_vec();
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    std::fs::write(d.join("noise.mp4"), &noise).unwrap();
    let mut flipped = front.clone();
    for i in (front.len() / 3..front.len() * 2 / 3).step_by(997) {
        flipped[i] ^= 0x5A;
    }
    std::fs::write(d.join("flipped.mp4"), &flipped).unwrap();

    let (code, files) = check_dir(d);
    assert_eq!(code, 1);
    assert_eq!(files.len(), 13, "{files:?}");
    assert_eq!(find(&files, "good.mp4").1, "pass");
    assert_eq!(find(&files, "zero.mp4").2, "empty file (0 bytes)");
    assert!(
        find(&files, "text.mp4").2.contains("not a media file"),
        "{files:?}"
    );
    assert!(
        // As people name the picture, not as FFmpeg's demuxer does ("piped png sequence").
        find(&files, "image.mp4").2 == "a still image (PNG), not a film",
        "{files:?}"
    );
    for pct in [1, 50, 99] {
        let f = find(&files, &format!("front-{pct}.mp4"));
        assert_eq!(f.1, "error", "{f:?}");
        assert!(
            f.2.starts_with("incomplete: ") && f.2.contains(" arrived"),
            "{f:?}"
        );
        let b = find(&files, &format!("back-{pct}.mp4"));
        assert_eq!(b.1, "error", "{b:?}");
        assert!(
            b.2.starts_with("incomplete: ") || b.2.contains("moov"),
            "{b:?}"
        );
    }
    assert!(
        find(&files, "no-moov.mp4")
            .2
            .contains("without its index (moov atom)"),
        "{files:?}"
    );
    // Noise after a valid header: either refused or measured; never a crash.
    let noise = find(&files, "noise.mp4");
    assert!(
        noise.1 == "fail" || (noise.1 == "error" && !noise.2.is_empty()),
        "{noise:?}"
    );
    // Flipped bits inside the media data leave the header, and so its facts, intact.
    assert_eq!(find(&files, "flipped.mp4").1, "pass", "{files:?}");
    for f in &files {
        assert!(!f.2.contains('\n'), "{f:?}");
    }
}

#[test]
fn absurd_claims_in_tiny_files_are_reported_as_measured() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A Y4M header claiming a 60000x60000 picture, with almost no data.
    let mut y4m = b"YUV4MPEG2 W60000 H60000 F25:1 Ip A1:1 C420jpeg\nFRAME\n".to_vec();
    y4m.extend_from_slice(&[0u8; 64]);
    std::fs::write(d.join("huge.y4m"), &y4m).unwrap();
    // An MP4 whose movie header claims a duration of about 13 hours.
    let mut mp4 = std::fs::read(samples::good()).unwrap();
    let at = mp4.windows(4).position(|w| w == b"mvhd").unwrap();
    // version 0: size(4) type(4) version/flags(4) ctime(4) mtime(4) timescale(4) duration(4)
    mp4[at + 20..at + 24].copy_from_slice(&47_000_000u32.to_be_bytes());
    std::fs::write(d.join("long-claim.mp4"), &mp4).unwrap();
    let (code, files) = check_dir(d);
    assert_eq!(code, 1);
    let (_, out, _) = run(&[
        "probe",
        "--format",
        "json",
        d.join("huge.y4m").to_str().unwrap(),
    ]);
    let v = json(&out);
    if v[0]["error"].is_null() {
        assert_eq!(v[0]["video"][0]["width"], 60000);
    }
    // The runtime is what plays, whatever the header claims.
    assert_eq!(find(&files, "long-claim.mp4").1, "pass", "{files:?}");
    let (_, out, _) = run(&[
        "probe",
        "--format",
        "json",
        d.join("long-claim.mp4").to_str().unwrap(),
    ]);
    let c = &json(&out)[0]["container"];
    assert!(
        (c["duration_s"].as_f64().unwrap() - 61.0).abs() < 0.5,
        "{c}"
    );
    // FFmpeg 5.1 reports the claim; FFmpeg 7 and later work the duration out of the sample
    // tables themselves. Either way the claim is only ever the header's, never the runtime.
    let claim = c["header_duration_s"].as_f64().unwrap();
    assert!(claim > 40_000.0 || (claim - 61.0).abs() < 0.5, "{c}");
}

#[test]
fn awkward_names_survive_intact() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "with space.mp4",
        "quote\"d 'name'.mp4",
        "new\nline.mp4",
        "Ünïcödé 電影.mp4",
    ];
    for n in names {
        copy_into(&samples::good(), dir.path(), n);
    }
    let (code, files) = check_dir(dir.path());
    // Passing files: the name rule only warns.
    assert_eq!(code, 0, "{files:?}");
    let mut got: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    got.sort();
    let mut want = names.to_vec();
    want.sort();
    assert_eq!(got, want);
    assert!(files.iter().all(|f| f.1 == "pass"));
    // In the text report every file stays on its own line.
    let (_, text, _) = run(&["check", "--no-cache", dir.path().to_str().unwrap()]);
    assert!(text.contains("new\\nline.mp4"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("PASS")).count(),
        4,
        "{text}"
    );
}

#[test]
fn links_pipes_and_folders_named_like_films() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_into(&samples::good(), d, "good.mp4");
    std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
    let fifo = d.join("pipe.mp4");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::create_dir(d.join("folder.mp4")).unwrap();
    copy_into(&samples::good(), &d.join("folder.mp4"), "inner.mp4");

    let (code, files) = check_dir(d);
    assert_eq!(code, 1, "the link loop is reported: {files:?}");
    assert_eq!(find(&files, "good.mp4").1, "pass");
    assert_eq!(find(&files, "inner.mp4").1, "pass");
    assert_eq!(find(&files, "loop").2, "symbolic link loop");
    assert!(files.iter().all(|f| f.0 != "folder.mp4"), "{files:?}");
    assert_eq!(
        find(&files, "pipe.mp4").2,
        "not a regular file (a named pipe)"
    );

    // Named on the command line, a FIFO must not block the run.
    let (code, out, _) = run(&[
        "check",
        "--format",
        "json",
        "--no-cache",
        fifo.to_str().unwrap(),
        d.join("good.mp4").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let files = statuses(&json(&out));
    assert!(
        find(&files, "pipe.mp4").2.contains("not a regular file"),
        "{files:?}"
    );
    assert_eq!(find(&files, "good.mp4").1, "pass");
}

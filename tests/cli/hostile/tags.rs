//! Tags that are not UTF-8 (a Latin-1 title in an AVI, a flipped byte in a Matroska language
//! tag): once they hung the whole run. Each file is read, its tags shown with the bad bytes
//! replaced, and every report stays valid.

use crate::support::*;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `base` remuxed with `-metadata KEY=PLACEHOLDER`, then the placeholder's bytes replaced by
/// `bytes` (same length) in the file itself, as a tagger writing Latin-1 would leave them.
fn with_raw_tag(name: &str, base: &str, tag: &[&str], placeholder: &[u8], bytes: &[u8]) -> PathBuf {
    assert_eq!(placeholder.len(), bytes.len());
    let film = film(base, 2);
    let mut args = vec!["-i", film.to_str().unwrap(), "-c", "copy"];
    args.extend_from_slice(tag);
    let tagged = media(&format!("utf8-{name}"), &args);
    let mut data = std::fs::read(tagged).unwrap();
    let at = data
        .windows(placeholder.len())
        .position(|w| w == placeholder)
        .unwrap_or_else(|| panic!("{name}: the tag is not stored as written"));
    data[at..at + bytes.len()].copy_from_slice(bytes);
    save(name, &data)
}

/// "Café" in Latin-1, the title of an AVI.
fn latin1_title() -> PathBuf {
    with_raw_tag(
        "latin1.avi",
        "utf8-base.avi",
        &["-metadata", "title=CafeQ"],
        b"CafeQ",
        b"Caf\xe9Q",
    )
}

/// A Matroska audio language tag with one byte flipped into an invalid UTF-8 lead byte.
fn flipped_language() -> PathBuf {
    with_raw_tag(
        "flipped.mkv",
        "utf8-base.mkv",
        &["-metadata:s:a:0", "title=zqxjv"],
        b"zqxjv",
        b"zq\xffjv",
    )
}

#[test]
fn a_tag_that_is_not_utf8_is_read_lossily_and_never_hangs_the_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&latin1_title(), dir.path(), "latin1.avi");
    copy_into(&flipped_language(), dir.path(), "flipped.mkv");
    copy_into(&film("utf8-good.mp4", 2), dir.path(), "good.mp4");
    let started = Instant::now();
    let (code, out, err) = run(&[
        "check",
        "--format",
        "json",
        "--timeout",
        "60",
        "--with",
        "provenance",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "the run waited on a worker"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Every film is short of the 1-minute minimum: a failure, not an error.
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "{report:#}");
    for f in files {
        assert_eq!(f["status"], "fail", "{f:#}");
        assert!(f["error"].is_null(), "{f:#}");
    }
    let title = |name: &str| -> Value {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap()["facts"]
            .clone()
    };
    assert_eq!(
        title("latin1.avi")["container"]["tags"]["title"],
        "Caf\u{fffd}Q"
    );
    assert_eq!(title("flipped.mkv")["audio"][0]["title"], "zq\u{fffd}jv");
}

#[test]
fn probe_prints_valid_json_and_escaped_text_for_such_tags() {
    let file = latin1_title();
    let (code, out, err) = run(&["probe", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let facts = json(&out);
    assert_eq!(facts[0]["container"]["tags"]["title"], "Caf\u{fffd}Q");
    let (code, text, err) = run(&["probe", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Caf\u{fffd}Q"), "{text}");
}

/// Names that are not UTF-8: once a worker panic in `check` and a Rust panic in `probe` and
/// `credits`; two such names showed identically, so `merge` took one report for two.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_read_and_kept_apart() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let film = crate::samples::good();
    let a = dir.path().join(OsStr::from_bytes(b"\xfe\xff.mp4"));
    let b = dir.path().join(OsStr::from_bytes(b"\xfe\xfe.mp4"));
    std::fs::copy(&film, &a).unwrap();
    std::fs::copy(&film, &b).unwrap();

    let out = dir.path().join("names.json");
    let (code, _, err) = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let report = json(&std::fs::read_to_string(&out).unwrap());
    let names: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["facts"]["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["\\xfe\\xfe.mp4", "\\xfe\\xff.mp4"], "{report:#}");

    // probe and credits open the file by its bytes.
    let probe = crate::support::command()
        .args(["probe", "--format", "json"])
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(probe.status.code(), Some(0));
    let facts = json(&String::from_utf8_lossy(&probe.stdout));
    assert_eq!(facts[0]["file_name"], "\\xfe\\xff.mp4", "{facts:#}");
    assert!(facts[0]["error"].is_null(), "{facts:#}");
    assert_eq!(facts[0]["video"][0]["codec"], "h264");
    let credits = crate::support::command()
        .arg("credits")
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(
        credits.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&credits.stderr)
    );

    // One report holds two different files.
    let (code, text, err) = run(&["merge", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("2 files: 2 passed"), "{text}");
}

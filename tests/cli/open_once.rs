//! A probe opens the film once: every reader (FFmpeg's demuxers, the MP4 box walk, the XMP
//! search, the C2PA reader) borrows the one open file. Counted with strace, as the system sees
//! it, on the formats whose probes opened it most (an MP4, a Matroska, a WAV with a C2PA
//! manifest, each with every analyzer): at most two opens, which leaves room for one more reader
//! that cannot borrow a handle but not for a pass that opens the path again.

use crate::support::*;
use std::path::Path;
use std::process::Command;

/// The most opens of the film's own path one probe may make.
const MAX_OPENS: usize = 2;

/// Whether strace can run here; when it cannot, the test is skipped, except in CI (`CI` set),
/// where `make test` installs it (scripts/install-deps.sh) and a missing strace must fail.
fn strace_runs() -> bool {
    let runs = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is not installed: `apt-get install strace` (make test does)"
        );
        eprintln!("SKIPPED: strace is not installed (apt-get install strace)");
    }
    runs
}

/// How many times `reelcheck probe --with all` (in this process, so that every open is
/// traced in one place) opens `film`'s own path (files beside it are other files), and the
/// facts it printed.
fn opens_of(film: &Path) -> (usize, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("strace.log");
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=open,openat", "-o"])
        .arg(&log)
        .arg(bin())
        .args(["probe", "--with", "all", "--in-process", "--format", "json"])
        .arg(film)
        // A cache of its own, so no facts come from an earlier run.
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {stderr}", film.display());
    let facts = json(&String::from_utf8_lossy(&out.stdout));
    assert!(
        facts[0]["error"].is_null(),
        "{}: {}",
        film.display(),
        facts[0]["error"]
    );
    let trace = std::fs::read_to_string(&log).unwrap();
    let quoted = format!("\"{}\"", film.display());
    let opens = trace
        .lines()
        .filter(|l| (l.contains(" open(") || l.contains(" openat(")) && l.contains(&quoted))
        .count();
    assert!(
        opens > 0,
        "strace saw no open of {} at all: is it tracing? {stderr}\n{trace}",
        film.display()
    );
    (opens, facts)
}

#[test]
fn a_probe_opens_the_film_at_most_twice() {
    if !strace_runs() {
        return;
    }
    let mp4 = film("open-once.mp4", 2);
    let mkv = media(
        "open-once.mkv",
        &["-i", mp4.to_str().unwrap(), "-c", "copy", "-f", "matroska"],
    );
    // The WAV the provenance tests sign, signed the same way.
    let wav = lavfi(
        "provfmt.wav",
        &["sine=frequency=440:sample_rate=48000:duration=1"],
        &["-c:a", "pcm_s16le"],
    );
    let wav = crate::provenance_formats::signed_ai(&wav, "audio/wav", "signed.wav");
    for film in [&mp4, &mkv, &wav] {
        let (opens, facts) = opens_of(film);
        assert!(
            opens <= MAX_OPENS,
            "{} was opened {opens} times in one probe (at most {MAX_OPENS})",
            film.display()
        );
        if film == &wav {
            // The C2PA reader ran over the borrowed file and found the manifest.
            assert_eq!(facts[0]["provenance"]["c2pa"]["present"], true, "{facts:#}");
        }
    }
}

//! `reelcheck watch`: films copied in slowly are checked only once whole, films renamed in are
//! checked, a changed film is checked again, a deleted one leaves the report, and SIGTERM ends
//! the watch with a last report.

use crate::support::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// The files of a JSON report as (file name, status, track), or nothing while it is not there.
fn entries(report: &Path) -> Vec<(String, String, String)> {
    let Ok(text) = std::fs::read_to_string(report) else {
        return Vec::new();
    };
    // Written atomically: a report that exists is always whole.
    let v = json(&text);
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap()).file_name().unwrap();
            (
                name.to_string_lossy().into_owned(),
                f["status"].as_str().unwrap().to_string(),
                f["track"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Waits (at most two minutes: the machine may be busy) until the report satisfies `ok`.
fn wait_for(
    report: &Path,
    child: &mut Child,
    what: &str,
    ok: impl Fn(&[(String, String, String)]) -> bool,
) {
    let started = Instant::now();
    loop {
        let now = entries(report);
        if ok(&now) {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("watch ended ({status}) before {what}: {now:?}");
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{what}: not in the report after 2 minutes: {now:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Copies `src` to `dst` in five chunks, `gap` apart, as a slow upload writes it.
fn copy_slowly(src: &Path, dst: &Path, gap: Duration, report: &Path) {
    let bytes = std::fs::read(src).unwrap();
    let mut out = std::fs::File::create(dst).unwrap();
    let name = dst.file_name().unwrap().to_string_lossy().into_owned();
    for chunk in bytes.chunks(bytes.len().div_ceil(5)) {
        out.write_all(chunk).unwrap();
        out.flush().unwrap();
        std::thread::sleep(gap);
        // A film still arriving is never judged.
        assert!(
            !entries(report).iter().any(|(n, _, _)| *n == name),
            "{name} was checked half-way: {:?}",
            entries(report)
        );
    }
}

fn sigterm(child: &Child) {
    // SAFETY: sends SIGTERM to the child this test started.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
}

#[test]
fn watch_checks_films_as_they_arrive_change_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let intake = dir.path().join("intake");
    std::fs::create_dir_all(intake.join("human")).unwrap();
    std::fs::create_dir_all(intake.join("ai")).unwrap();
    let staging = dir.path().join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    let report = dir.path().join("report.json");
    let journal = dir.path().join("journal.jsonl");
    let log = std::fs::File::create(dir.path().join("stderr.txt")).unwrap();
    let good: PathBuf = film("pass-61s.mp4", 61);
    let short: PathBuf = film("short-3s.mp4", 3);

    let mut child = command()
        .args([
            "watch",
            intake.to_str().unwrap(),
            "--track-from",
            "folder",
            "--settle",
            "3",
            "--journal",
            journal.to_str().unwrap(),
            "-o",
            report.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start reelcheck watch");
    wait_for(&report, &mut child, "the first report", |_| report.exists());
    assert!(entries(&report).is_empty());

    // Copied in slowly: each chunk comes sooner than the settle time, so the film is checked
    // only once it is whole, and then it passes.
    let a = intake.join("human/a.mp4");
    copy_slowly(&good, &a, Duration::from_millis(300), &report);
    wait_for(&report, &mut child, "a.mp4 passing", |e| {
        e.iter()
            .any(|(n, s, t)| n == "a.mp4" && s == "pass" && t == "human")
    });

    // Renamed in from elsewhere on the same disk: it appears whole, at once.
    std::fs::copy(&short, staging.join("b.mp4")).unwrap();
    std::fs::rename(staging.join("b.mp4"), intake.join("ai/b.mp4")).unwrap();
    wait_for(&report, &mut child, "b.mp4 failing", |e| {
        e.iter()
            .any(|(n, s, t)| n == "b.mp4" && s == "fail" && t == "ai")
    });

    // Replaced by a film that fails: checked again.
    std::fs::copy(&short, staging.join("a.mp4")).unwrap();
    std::fs::rename(staging.join("a.mp4"), &a).unwrap();
    wait_for(&report, &mut child, "a.mp4 checked again", |e| {
        e.iter().any(|(n, s, _)| n == "a.mp4" && s == "fail")
    });

    // Deleted: it leaves the report.
    std::fs::remove_file(intake.join("ai/b.mp4")).unwrap();
    wait_for(&report, &mut child, "b.mp4 gone", |e| {
        e.len() == 1 && e[0].0 == "a.mp4"
    });

    sigterm(&child);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "watch did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let err = std::fs::read_to_string(dir.path().join("stderr.txt")).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        entries(&report),
        [("a.mp4".to_string(), "fail".to_string(), "human".to_string())]
    );
    // Each check went to the journal as it finished: a.mp4 twice, b.mp4 once.
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(json)
        .collect();
    let count = |name: &str| {
        lines
            .iter()
            .filter(|l| l["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .count()
    };
    assert_eq!((count("a.mp4"), count("b.mp4")), (2, 1), "{lines:?}");
    assert!(err.contains("reelcheck: watching "), "{err}");
    assert!(err.contains("reelcheck: wrote "), "{err}");
    // No temporary report file was left beside the report.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".reelcheck-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn watch_needs_a_folder_and_a_report_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["watch", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("-o FILE"), "{err}");
    let film = film("short-3s.mp4", 3);
    let report = dir.path().join("r.json");
    let (code, _, err) = run(&[
        "watch",
        film.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a folder"), "{err}");
    let (code, _, err) = run(&[
        "watch",
        dir.path().to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
        "--settle",
        "-1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("'-1' is not a number of seconds"), "{err}");
}

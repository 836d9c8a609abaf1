//! Hostile input, round three: what an intake folder holds besides films. Every file in it is
//! in the report exactly once, checked or listed with the reason; a link that leads out of
//! the folder is not followed; and `merge` knows an entry by what it is, not by the path it
//! was reached by.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `check ARGS --format json --no-cache`: the exit code and the report.
fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json", "--no-cache"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert!(!err.contains("panicked"), "{err}");
    assert!(code == 0 || code == 1, "{err}");
    (code, json(&out))
}

/// Each entry of a report as (its path relative to `root`, status, error code).
fn entries(report: &Value, root: &Path) -> Vec<(String, String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = Path::new(f["path"].as_str().unwrap());
            (
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .into_owned(),
                f["status"].as_str().unwrap().to_string(),
                f["error_code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn entry<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no entry {key} in {report:#}"))
}

fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

// ── 1. Every file in the folder, once ────────────────────────────────────────────────────────

#[test]
fn every_file_in_an_intake_folder_is_in_the_report_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let film = film("pass-61s.mp4", 61);
    copy_into(&film, d, "night.mp4");
    std::fs::write(
        d.join("night.en.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n",
    )
    .unwrap();
    std::fs::write(d.join("night.xmp"), "<x:xmpmeta/>").unwrap();
    // A film without an extension, found by its first bytes.
    copy_into(&film, d, "day");
    let tone = lavfi(
        "intake-tone.wav",
        &["sine=frequency=440:sample_rate=48000"],
        &["-t", "1"],
    );
    copy_into(&tone, d, "score.wav");
    std::fs::write(d.join("A001_C002.braw"), b"not really raw, never read").unwrap();
    std::fs::write(d.join("synopsis.txt"), "A night, a day.\n").unwrap();
    std::fs::write(d.join("credits"), "Directed by someone\n").unwrap();
    std::fs::write(d.join("poster.jpg"), b"\xff\xd8\xff\xe0").unwrap();
    std::fs::write(d.join("orphan.srt"), "1\n").unwrap();
    for system in [".DS_Store", "._night.mp4", "Thumbs.db"] {
        std::fs::write(d.join(system), b"\0\0\0\x01Bud1").unwrap();
    }
    copy_into(&film, d, ".draft.mp4");
    copy_into(&film, d, "drafts/cut-1.mp4");

    let (code, report) = check_json(&[d.to_str().unwrap()]);
    assert_eq!(
        code, 1,
        "a sound file and a camera original fail: {report:#}"
    );
    assert_eq!(
        entries(&report, d),
        owned(&[
            (".draft.mp4", "ignored", "hidden"),
            ("A001_C002.braw", "error", "camera_original"),
            ("credits", "ignored", "not_a_film"),
            ("day", "pass", ""),
            ("drafts/cut-1.mp4", "pass", ""),
            ("night.mp4", "pass", ""),
            ("orphan.srt", "ignored", "not_a_film"),
            ("poster.jpg", "ignored", "not_a_film"),
            ("score.wav", "error", "sound_file"),
            ("synopsis.txt", "ignored", "not_a_film"),
        ])
    );
    assert_eq!(
        entry(&report, "score.wav")["error"],
        "a WAV sound file, not a film"
    );
    assert_eq!(
        entry(&report, "A001_C002.braw")["error"],
        "a Blackmagic RAW camera original: export a film from it"
    );
    assert_eq!(
        entry(&report, "synopsis.txt")["error"],
        "a text file, not a film"
    );
    // The sidecars are the film's: its facts, not entries of their own.
    let subs = &entry(&report, "night.mp4")["facts"]["subtitles"];
    assert_eq!(subs.as_array().map(Vec::len), Some(1), "{subs:#}");
    let s = &report["summary"];
    assert_eq!(
        (&s["files"], &s["passed"], &s["errors"], &s["ignored"]),
        (&10.into(), &3.into(), &2.into(), &5.into())
    );
    assert_eq!(s["system_files"], 3, "{s:#}");

    // People read the same: each entry once, with why, and the system files counted. An
    // organizer's pattern lists a folder's files instead of checking them.
    let (_, text, _) = run(&[
        "check",
        "--no-cache",
        "--ignore",
        "drafts",
        d.to_str().unwrap(),
    ]);
    assert!(
        text.contains("drafts/cut-1.mp4\n       ignored by --ignore 'drafts'"),
        "{text}"
    );
    assert!(
        text.contains("score.wav\n       a WAV sound file, not a film"),
        "{text}"
    );
    assert!(
        text.contains("IGNORED  ") && text.contains("synopsis.txt\n       a text file"),
        "{text}"
    );
    assert!(text.contains("3 system files ignored"), "{text}");
    assert!(
        text.contains("\n10 files: 2 passed") && text.contains(", 0 failed, 2 errors, 6 ignored, "),
        "{text}"
    );

    // Ignored files are no failure: with the sound and the raw left out, the intake passes.
    let (code, report) = check_json(&[
        "--ignore",
        "drafts",
        "--ignore",
        "*.WAV",
        "--ignore",
        "*.braw",
        d.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(entry(&report, "score.wav")["status"], "ignored");
    assert_eq!(report["files"].as_array().unwrap().len(), 10);

    // A pattern that is no glob is a wrong command.
    let (code, _, err) = run(&["check", "--ignore", "a[", d.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--ignore 'a[': not a glob pattern"), "{err}");
}

/// Runs reelcheck as the user `nobody`, for whom a file of mode 000 cannot be read; `None`
/// where that cannot be arranged (root without `setpriv`).
fn run_unprivileged(args: &[&str]) -> Option<(i32, String, String)> {
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let mut cmd = std::process::Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        cmd
    } else {
        std::process::Command::new(bin())
    };
    let out = cmd.args(args).output().unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn a_film_without_an_extension_that_cannot_be_read_is_an_error_not_dropped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The folder may be searched by anyone; the film without an extension read by no one.
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let film = film("pass-61s.mp4", 61);
    let readable = copy_into(&film, d, "readable.mp4");
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).unwrap();
    let locked = copy_into(&film, d, "locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();

    let args = [
        "check",
        "--format",
        "json",
        "--no-cache",
        d.to_str().unwrap(),
    ];
    let Some((code, out, err)) = run_unprivileged(&args) else {
        eprintln!("skipped: running as root without setpriv, a file cannot be made unreadable");
        return;
    };
    assert_eq!(code, 1, "{err}\n{out}");
    let report = json(&out);
    assert_eq!(
        entries(&report, d),
        owned(&[
            ("locked", "error", "permission_denied"),
            ("readable.mp4", "pass", ""),
        ])
    );
    assert_eq!(
        entry(&report, "locked")["error"],
        "cannot be read: permission denied"
    );
}

// ── 2. Links that lead out of the folder ─────────────────────────────────────────────────────

#[test]
fn links_that_lead_out_of_the_intake_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("intake");
    let film = film("pass-61s.mp4", 61);
    copy_into(&film, &d, "a.mp4");
    // A private film elsewhere on the machine, reached by a link planted in the intake.
    let private = copy_into(&film, &root.path().join("private"), "rushes.mp4");
    symlink(&private, d.join("entry.mp4")).unwrap();
    symlink("/etc/passwd", d.join("passwd")).unwrap();
    symlink(root.path().join("private"), d.join("more")).unwrap();
    // Links inside the folder keep working; a file reached twice is one entry.
    symlink(d.join("a.mp4"), d.join("b.mp4")).unwrap();
    std::fs::create_dir(d.join("human")).unwrap();
    copy_into(&film, &d.join("human"), "c.mp4");
    symlink(d.join("human"), d.join("also-human")).unwrap();

    let html = root.path().join("report.html");
    let (code, _, err) = run(&[
        "check",
        "--no-cache",
        d.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let (code, report) = check_json(&[d.to_str().unwrap()]);
    assert_eq!(code, 1, "{report:#}");
    let real = std::fs::canonicalize(root.path()).unwrap();
    assert_eq!(
        entries(&report, &d),
        owned(&[
            ("a.mp4", "pass", ""),
            ("entry.mp4", "error", "link_outside"),
            ("human/c.mp4", "pass", ""),
            ("more", "error", "link_outside"),
            ("passwd", "error", "link_outside"),
        ])
    );
    assert_eq!(
        entry(&report, "entry.mp4")["error"],
        format!(
            "a link to {} outside the intake folder: not followed (--follow-links-outside follows it)",
            real.join("private/rushes.mp4").display()
        )
    );
    assert_eq!(
        entry(&report, "passwd")["error"],
        "a link to /etc/passwd outside the intake folder: not followed (--follow-links-outside follows it)"
    );
    assert!(entry(&report, "entry.mp4")["facts"]["container"].is_null());
    // The page meant to be shared shows nothing of the private film: pictures of the two
    // films in the folder only, and, the two being copies of one film, their posters side by
    // side under "Same film?".
    let page = std::fs::read_to_string(&html).unwrap();
    let (top, details) = page
        .split_once("<section id=\"details\">")
        .unwrap_or_else(|| panic!("no details: {page}"));
    assert_eq!(details.matches("<figure>").count(), 2, "{page}");
    let similar = top
        .split_once("<section class=\"similar\"")
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no similar section: {page}"));
    assert_eq!(similar.matches("<figure>").count(), 2, "{page}");
    assert_eq!(page.matches("<figure>").count(), 4, "{page}");
    assert!(page.contains("outside the intake folder: not followed"));

    // The organizer may follow them on purpose.
    let (code, report) = check_json(&["--follow-links-outside", d.to_str().unwrap()]);
    let got = entries(&report, &d);
    assert!(
        got.contains(&("entry.mp4".into(), "pass".into(), String::new())),
        "{got:?}"
    );
    // `/etc/passwd` is followed too, and is no film: listed, no failure.
    assert_eq!(code, 0, "{got:?}");
    assert!(got
        .iter()
        .all(|(name, _, code)| name != "passwd" || code == "not_a_film"));
    assert!(!got.iter().any(|(name, _, _)| name == "more/rushes.mp4"));
}

// ── 3. merge: one entry, however its intake was mounted ──────────────────────────────────────

#[test]
fn one_run_checked_under_two_mount_points_merges_into_each_film_once() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("intake");
    let pass = film("pass-61s.mp4", 61);
    let short = film("short-3s.mp4", 3);
    // Two films of one name in two folders are two entries.
    copy_into(&pass, &d, "human/a.mp4");
    copy_into(&pass, &d, "ai/a.mp4");
    copy_into(&short, &d, "ai/b.mp4");
    copy_into(&pass, &d, "c.mp4");
    // The same folder reached another way: a second mount point.
    let mount = root.path().join("mnt");
    symlink(&d, &mount).unwrap();

    let report = |root_arg: &Path, name: &str, extra: &[&str]| -> PathBuf {
        let out = root.path().join(name);
        let mut args = vec![
            "check",
            "--no-cache",
            root_arg.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, _, err) = run(&args);
        assert_eq!(code, 1, "{err}");
        out
    };
    let a = report(&d, "a.json", &[]);
    let b = report(&mount, "b.json", &[]);

    let (code, out, err) = run(&[
        "merge",
        "--format",
        "json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let merged = json(&out);
    assert_eq!(
        merged["files"].as_array().unwrap().len(),
        4,
        "each film once: {merged:#}"
    );
    // Reports name each entry by its key, which is the same under both mount points.
    let saved = json(&std::fs::read_to_string(&b).unwrap());
    assert_eq!(entry(&saved, "human/a.mp4")["key"], "human/a.mp4");
    let keys: Vec<&str> = merged["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["ai/a.mp4", "ai/b.mp4", "c.mp4", "human/a.mp4"]);
    let s = &merged["summary"];
    assert_eq!(
        (&s["files"], &s["passed"], &s["failed"]),
        (&4.into(), &3.into(), &1.into())
    );

    // The same entry judged two ways (another track) is refused, naming both reports.
    let ai = report(&mount, "ai.json", &["--track", "ai"]);
    let (code, out, err) = run(&["merge", a.to_str().unwrap(), ai.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains(&format!(
            "is in both {} and {} with two verdicts",
            a.display(),
            ai.display()
        )),
        "{err}"
    );
}

//! Hostile input, round three: `merge` knows an entry by what it is, not by the path it was
//! reached by.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn entry<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no entry {key} in {report:#}"))
}

// ── merge: one entry, however its intake was mounted ──────────────────────────────────────

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

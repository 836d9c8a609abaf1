//! `--shard K/N` and `reelcheck merge`: the shards of a run hold every file exactly once, and
//! merging their reports gives the report of the unsharded run.

use crate::support::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Eight entries over both tracks, one of them unreadable.
/// How many entries `intake` holds.
const FILES: usize = 8;

fn intake() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pass = film("pass-61s.mp4", 61);
    let short = film("short-3s.mp4", 3);
    for i in 0..3 {
        copy_into(&pass, dir.path(), &format!("human/h{i}.mp4"));
        copy_into(&short, dir.path(), &format!("ai/a{i}.mp4"));
    }
    copy_into(&pass, dir.path(), "ai/sub/deep.mp4");
    std::fs::write(dir.path().join("human/broken.mp4"), b"junk").unwrap();
    dir
}

fn paths(report: &serde_json::Value) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn check(dir: &Path, root: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", root, "--track-from", "folder", "--format", "json"];
    args.extend(extra);
    let (code, out, err) = run_in(dir, &args);
    assert!(code == 0 || code == 1, "{err}");
    (code, json(&out))
}

#[test]
fn shards_hold_every_file_once_and_merge_into_the_unsharded_report() {
    let dir = intake();
    let (code, whole) = check(dir.path(), ".", &[]);
    assert_eq!(whole["files"].as_array().unwrap().len(), 8);

    let mut seen = Vec::new();
    let mut reports = Vec::new();
    // Reports go beside the intake: written into it, each would be a file of the next shard.
    let results = tempfile::tempdir().unwrap();
    for k in 1..=3 {
        let out = results.path().join(format!("shard-{k}.json"));
        let shard = format!("{k}/3");
        let (_, o, err) = run_in(
            dir.path(),
            &[
                "check",
                ".",
                "--track-from",
                "folder",
                "--shard",
                &shard,
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(o, "", "{err}");
        let part = json(&std::fs::read_to_string(&out).unwrap());
        seen.extend(paths(&part));
        reports.push(out);
    }
    seen.sort();
    assert_eq!(seen, paths(&whole), "every file in exactly one shard");

    let mut args = vec!["merge"];
    args.extend(reports.iter().map(|p| p.to_str().unwrap()));
    let (merged_code, out, err) = run_in(dir.path(), &[&args[..], &["--format", "json"]].concat());
    assert_eq!(merged_code, code, "{err}");
    let merged = json(&out);
    assert_eq!(merged["summary"], whole["summary"]);
    assert_eq!(merged["rule_set"], whole["rule_set"]);
    // The intake holds copies of one film, in different shards: the whole run groups them,
    // and so does the merge.
    let groups = whole["similar"].as_array().map_or(0, Vec::len);
    assert!(groups >= 1, "the copies of one film are grouped: {whole:#}");
    assert_eq!(merged, whole, "the merged report is the unsharded one");

    // Any format from the merged reports.
    let (_, csv, _) = run_in(dir.path(), &[&args[..], &["--format", "csv"]].concat());
    assert_eq!(csv.lines().count(), 9);
}

#[test]
fn a_files_shard_does_not_depend_on_where_the_intake_is_mounted() {
    let dir = intake();
    let abs = dir.path().to_str().unwrap();
    let mut all = BTreeSet::new();
    for k in ["1/2", "2/2"] {
        let rel = |r: &serde_json::Value, root: &str| -> BTreeSet<String> {
            paths(r)
                .iter()
                .map(|p| {
                    p.strip_prefix(root)
                        .unwrap()
                        .trim_start_matches('/')
                        .to_string()
                })
                .collect()
        };
        let (_, a) = check(dir.path(), ".", &["--shard", k]);
        let (_, b) = check(Path::new("/"), abs, &["--shard", k]);
        let (a, b) = (rel(&a, "."), rel(&b, abs));
        // Two empty shards would agree too: each shard must hold some of the intake.
        assert!(!a.is_empty(), "shard {k} is empty");
        assert_eq!(a, b, "shard {k}");
        all.extend(a);
    }
    assert_eq!(
        all.len(),
        FILES,
        "the two shards together hold every film once"
    );
}

#[test]
fn merge_takes_an_entry_once_and_refuses_two_verdicts_of_it() {
    let dir = intake();
    let results = tempfile::tempdir().unwrap();
    let save = |name: &str, extra: &[&str]| {
        let out = results.path().join(name);
        let mut args = vec![
            "check",
            ".",
            "--track-from",
            "folder",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, _, err) = run_in(dir.path(), &args);
        assert_eq!(code, 1, "{err}");
        out
    };
    let all = save("all.json", &[]);
    let o = all.to_str().unwrap();
    // One report given twice holds each entry twice, judged alike: each is merged once.
    let (code, stdout, err) = run(&["merge", "--format", "json", o, o]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&stdout)["summary"]["files"], FILES);
    // Judged another way (--strict fails the warnings), the same entries are refused.
    let strict = save("strict.json", &["--strict"]);
    let (code, stdout, err) = run(&["merge", o, strict.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{err}");
    assert!(
        err.contains(&format!("is in both {o} and {}", strict.display()))
            && err.contains("with two verdicts (pass (")
            && err.contains("fail ("),
        "{err}"
    );
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let dir = intake();
    for bad in ["0/2", "3/2", "1", "x/y"] {
        let (code, _, err) = run(&["check", dir.path().to_str().unwrap(), "--shard", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("K/N"), "{err}");
    }
}

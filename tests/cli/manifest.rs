//! A track per entry: from a manifest (`--manifest entries.csv`) or from the folders entries
//! sit in (`--track-from folder`), and the errors a bad manifest gives.

use crate::support::*;
use std::path::Path;

fn manifest_dir(csv: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "films/one.mp4");
    copy_into(&film("short-3s.mp4", 3), dir.path(), "films/two.mp4");
    std::fs::write(dir.path().join("entries.csv"), csv).unwrap();
    dir
}

fn check_manifest(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let manifest = dir.join("entries.csv");
    let mut args = vec!["check", "--manifest", manifest.to_str().unwrap()];
    args.extend(extra);
    run(&args)
}

#[test]
fn manifest_names_each_entrys_track_id_and_title() {
    // As a submission platform exports it: a byte-order mark, columns in its own order and case,
    // a quoted title with a comma, a column reelcheck does not use.
    let dir = manifest_dir(
        "\u{feff}ID,File,Title,Track,Email\n\
         17,films/one.mp4,\"Night, Again\",Human,a@example.org\n\
         18,films/two.mp4,,ai,b@example.org\n",
    );
    let (code, out, err) = check_manifest(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let names: Vec<&str> = report["rule_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["track"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["human", "ai"]);
    let files = files_by_name(&report);
    assert_eq!(files["one.mp4"]["track"], "human");
    assert_eq!(files["one.mp4"]["id"], "17");
    assert_eq!(files["one.mp4"]["title"], "Night, Again");
    assert_eq!(files["one.mp4"]["status"], "pass");
    assert_eq!(files["two.mp4"]["track"], "ai");
    assert!(
        files["two.mp4"].get("title").is_none(),
        "an empty title is no title"
    );
    assert_eq!(files["two.mp4"]["status"], "fail");

    let (_, text, _) = check_manifest(dir.path(), &[]);
    assert!(text.contains("two.mp4  [ai]"), "{text}");
}

#[test]
fn manifest_mistakes_are_named_with_file_and_line() {
    let cases = [
        (
            "file,id\nfilms/one.mp4,1\n",
            "entries.csv:1: no 'track' column",
        ),
        ("track\nhuman\n", "entries.csv:1: no 'file' column"),
        (
            "file,track\nfilms/one.mp4,human\nfilms/one.mp4,ai\n",
            "entries.csv:3: films/one.mp4 is listed twice (first on line 2)",
        ),
        ("file,track\n", "entries.csv: no entries"),
    ];
    for (csv, want) in cases {
        let dir = manifest_dir(csv);
        let (code, out, err) = check_manifest(dir.path(), &[]);
        assert_eq!(code, 2, "{csv}: {err}");
        assert_eq!(out, "");
        assert!(err.contains(want), "{csv}\nwanted: {want}\ngot: {err}");
        assert!(err.starts_with("reelcheck: "), "{err}");
    }
}

#[test]
fn a_row_that_cannot_be_checked_is_an_error_entry_and_the_rest_is_checked() {
    let dir = manifest_dir(
        "file,track\n\
         films/one.mp4,human\n\
         films/missing.mp4,ai\n\
         films/two.mp4,documentary\n\
         films,human\n",
    );
    let (code, out, err) = check_manifest(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let files = files_by_name(&report);
    assert_eq!(files["one.mp4"]["status"], "pass", "{out}");
    let want = [
        (
            "missing.mp4",
            "missing",
            "entries.csv:3: films/missing.mp4: no such file",
        ),
        (
            "two.mp4",
            "unknown_track",
            "entries.csv:4: unknown track 'documentary' for films/two.mp4 (known: human, ai)",
        ),
        ("films", "not_a_file", "entries.csv:5: films is a folder"),
    ];
    for (name, code, reason) in want {
        let f = &files[name];
        assert_eq!(f["status"], "error", "{name}: {f}");
        assert_eq!(f["error_code"], code, "{name}: {f}");
        assert!(f["error"].as_str().unwrap().contains(reason), "{name}: {f}");
    }
    assert_eq!(files["two.mp4"]["track"], "documentary");
    assert_eq!(report["summary"]["errors"], 3);

    let (code, _, err) = check_manifest(
        dir.path(),
        &["-o", dir.path().join("r.json").to_str().unwrap()],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("4 files: 1 passed, 0 failed, 3 errors"),
        "the summary line on stderr: {err}"
    );
}

#[test]
fn manifest_and_paths_do_not_mix() {
    let dir = manifest_dir("file,track\nfilms/one.mp4,human\n");
    let (code, _, err) = check_manifest(dir.path(), &[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn track_from_folder_takes_the_nearest_track_folder_inside_the_path() {
    let dir = tempfile::tempdir().unwrap();
    // The intake itself sits in a folder named `human`: that must not count.
    let intake = dir.path().join("human").join("intake");
    copy_into(&film("pass-61s.mp4", 61), &intake, "human/a.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "AI/batch 2/b.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "c.mp4");
    let root = intake.to_str().unwrap();

    let (code, out, err) = run(&["check", root, "--track-from", "folder", "--format", "json"]);
    assert_eq!(code, 1, "c.mp4 has no track: {err}");
    let files = files_by_name(&json(&out));
    assert_eq!(files["a.mp4"]["track"], "human");
    assert_eq!(files["b.mp4"]["track"], "ai");
    assert_eq!(files["c.mp4"]["status"], "error");
    assert!(files["c.mp4"]["error"]
        .as_str()
        .unwrap()
        .contains("no track"));

    let (code, out, err) = run(&[
        "check",
        root,
        "--track-from",
        "folder",
        "--track",
        "ai",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let files = files_by_name(&json(&out));
    assert_eq!(files["c.mp4"]["track"], "ai");
    assert_eq!(files["a.mp4"]["track"], "human");
}

//! Bad input: each gets a clear one-line reason naming the file, the batch carries on, the exit
//! code is right and nothing panics.

use crate::samples;
use crate::support::*;
use serde_json::Value;
use std::path::Path;

fn errors_by_name(v: &Value) -> Vec<(String, String, String)> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                f["status"].as_str().unwrap().to_string(),
                f["error"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn broken_files_are_errors_and_the_batch_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = copy_into(&samples::good(), d, "good.mp4");
    std::fs::write(d.join("empty.mp4"), b"").unwrap();
    std::fs::write(
        d.join("notes.mp4"),
        b"These are my director's notes, not a film.\n",
    )
    .unwrap();
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(d.join("truncated.mp4"), &bytes[..bytes.len() / 2]).unwrap();
    // Cut before the header is complete: FFmpeg cannot even open it.
    std::fs::write(d.join("stub.mp4"), &bytes[..200]).unwrap();
    let mkv = std::fs::read(samples::codec("h264-mkv")).unwrap();
    std::fs::write(d.join("cut.mkv"), &mkv[..300]).unwrap();

    let (code, out, err) = run(&["check", "--format", "json", d.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let files = errors_by_name(&json(&out));
    let get = |n: &str| {
        files
            .iter()
            .find(|f| f.0 == n)
            .unwrap_or_else(|| panic!("{n} missing: {files:?}"))
            .clone()
    };
    assert_eq!(get("good.mp4").1, "pass");
    assert_eq!(
        get("empty.mp4"),
        (
            "empty.mp4".into(),
            "error".into(),
            "empty file (0 bytes)".into()
        )
    );
    assert!(get("notes.mp4").2.contains("not a media file"), "{files:?}");
    let t = get("truncated.mp4");
    assert_eq!(t.1, "error");
    // How much arrived, in a filmmaker's words.
    assert!(
        t.2.starts_with("incomplete: ") && t.2.contains(" arrived; the upload or copy stopped"),
        "{t:?}"
    );
    assert_eq!(
        files_by_name(&json(&out))["truncated.mp4"]["error_code"],
        "truncated"
    );
    assert_eq!(get("stub.mp4").1, "error");
    assert_eq!(get("cut.mkv").1, "error");
    for f in &files {
        assert!(!f.2.contains('\n'), "one line: {f:?}");
    }
    assert_eq!(files.len(), 6);

    let (_, text, _) = run(&["check", d.to_str().unwrap()]);
    assert!(
        text.contains("ERROR  ") && text.contains("empty.mp4\n       empty file (0 bytes)"),
        "{text}"
    );
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let (code, out, err) = run(&["check", "/no/such/folder"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        "reelcheck: /no/such/folder: no such file or folder"
    );
}

#[test]
fn a_folder_without_media_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readme.txt"), "no films here").unwrap();
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("no media files in {}", dir.path().display())),
        "{err}"
    );
    // Beside a folder that has films, an empty one is only a note.
    let film = samples::good();
    let (code, _, err) = run(&[
        "check",
        dir.path().to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no media files in"), "{err}");
}

#[test]
fn unreadable_files_and_folders_are_errors_not_crashes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = copy_into(&samples::good(), d, "locked.mp4");
    let sub = d.join("private");
    std::fs::create_dir(&sub).unwrap();
    copy_into(&samples::good(), &sub, "inside.mp4");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    copy_into(&samples::good(), d, "fine.mp4");

    // Root reads everything whatever the permission bits (CI runs as root): run reelcheck as
    // the unprivileged user `nobody` instead, from a copy of the binary it can execute.
    let out = if is_root() {
        let exe = d.join("reelcheck");
        std::fs::copy(bin(), &exe).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&exe)
            .args(["check", "--no-cache", "--quick", "--format", "json"])
            .arg(d)
            .output()
            .expect("setpriv (util-linux) runs")
    } else {
        command()
            .args(["check", "--no-cache", "--quick", "--format", "json"])
            .arg(d)
            .output()
            .unwrap()
    };
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    let files = errors_by_name(&json(&String::from_utf8_lossy(&out.stdout)));
    assert!(
        files.iter().any(|f| f.0 == "fine.mp4" && f.1 == "pass"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.0 == "locked.mp4" && f.2 == "permission denied: cannot read the file"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.0 == "private" && f.2 == "permission denied: cannot read the folder"),
        "{files:?}"
    );
}

/// Root (as in CI containers) bypasses permission bits.
fn is_root() -> bool {
    std::fs::read("/proc/self/status")
        .map(|s| {
            String::from_utf8_lossy(&s)
                .lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn bad_flags_are_usage_errors() {
    let film = samples::good();
    let f = film.to_str().unwrap();
    for args in [
        vec!["check", "--track", "documentary", f],
        vec!["check", "--jobs", "0", f],
        vec!["check", "--format", "pdf", f],
        vec!["check", "--with", "magic", f],
        vec!["check"],
        vec!["frobnicate"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.is_empty());
    }
}

//! Inputs kept from fuzzing (fuzz/regressions/): each must load, probe or merge to a clear answer
//! through the real binary, never a panic; worker answers go through the parent's own reader.

use crate::support::*;
use std::path::Path;

fn inputs(kind: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

#[test]
fn rule_file_inputs_load_or_report_problems() {
    for file in inputs("rule_file") {
        let (code, out, err) = run(&["rules", "validate", file.to_str().unwrap()]);
        assert!(
            code == 0 || code == 2,
            "{}: exit {code}\n{err}",
            file.display()
        );
        assert!(!err.contains("panicked"), "{}: {err}", file.display());
        if code == 2 {
            // file:line:col: message
            let first = err.lines().next().unwrap_or("");
            let rest = first.strip_prefix(file.to_str().unwrap()).unwrap_or("");
            assert!(
                rest.starts_with(':')
                    && rest
                        .split(':')
                        .nth(1)
                        .is_some_and(|l| l.parse::<u32>().is_ok()),
                "{first}"
            );
        } else {
            assert!(out.contains("OK"), "{out}");
        }
    }
}

#[test]
fn probe_inputs_give_facts_or_a_one_line_error() {
    for file in inputs("probe") {
        let (code, out, err) = run(&[
            "probe",
            "--format",
            "json",
            "--with",
            "all",
            file.to_str().unwrap(),
        ]);
        assert!(
            code == 0 || code == 1,
            "{}: exit {code}\n{err}",
            file.display()
        );
        assert!(!err.contains("panicked"), "{}: {err}", file.display());
        let v = json(&out);
        if let Some(e) = v[0]["error"].as_str() {
            assert!(!e.is_empty() && !e.contains('\n'), "{e}");
        }
    }
}

#[test]
fn merge_inputs_merge_or_give_a_one_line_reason() {
    for file in inputs("merge") {
        let (code, out, err) = run(&["merge", "--format", "json", file.to_str().unwrap()]);
        assert!(
            (0..=2).contains(&code),
            "{}: exit {code}\n{err}",
            file.display()
        );
        assert!(!err.contains("panicked"), "{}: {err}", file.display());
        if code == 2 {
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        } else {
            let v = json(&out);
            assert!(v["files"].is_array(), "{out}");
        }
    }
}

/// A worker's line is read by the parent as the pool reads it: lossily, as UTF-8.
#[test]
fn worker_answer_inputs_give_an_answer_or_a_reason() {
    for file in inputs("worker_answer") {
        let bytes = std::fs::read(&file).unwrap();
        let line = String::from_utf8_lossy(&bytes);
        if let Err(e) = reelcheck_facts::protocol::parse_answer(&line) {
            assert!(
                !e.is_empty() && !e.contains('\n'),
                "{}: {e}",
                file.display()
            );
        }
    }
}

/// XMP packets kept for the `xmp` target, each in an MP4's XMP box: the film is probed, the
/// packet read or refused with a reason.
#[test]
fn xmp_inputs_are_read_or_refused_in_a_film() {
    for file in inputs("xmp") {
        let packet = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        let name = format!("fuzz-{}.mp4", file.file_stem().unwrap().to_string_lossy());
        let film = crate::provenance::with_xmp(&name, &packet);
        let (code, out, err) = run(&[
            "probe",
            "--with",
            "provenance",
            "--format",
            "json",
            film.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{}: {err}", file.display());
        let xmp = &json(&out)[0]["provenance"]["xmp"];
        assert_eq!(xmp["present"], true, "{}: {xmp}", file.display());
        for e in xmp["errors"].as_array().unwrap() {
            assert!(!e.as_str().unwrap().contains('\n'), "{e}");
        }
    }
}

/// Manifest stores kept for the `c2pa_walk` target, each as the `.c2pa` sidecar of a film
/// it does not describe: read and walked, its hashes found not to match, never a panic.
#[test]
fn c2pa_stores_are_read_as_sidecars() {
    let dir = tempfile::tempdir().unwrap();
    for file in inputs("c2pa_walk") {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let film = copy_into(
            &crate::provenance::base(),
            dir.path(),
            &format!("{stem}.mp4"),
        );
        std::fs::copy(&file, dir.path().join(format!("{stem}.c2pa"))).unwrap();
        let (code, out, err) = run(&[
            "probe",
            "--with",
            "provenance",
            "--format",
            "json",
            film.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{}: {err}", file.display());
        let c2pa = &json(&out)[0]["provenance"]["c2pa"];
        assert_eq!(c2pa["source"], "sidecar", "{}: {c2pa}", file.display());
        assert_eq!(
            c2pa["validation_state"],
            "invalid",
            "{}: {c2pa}",
            file.display()
        );
    }
}

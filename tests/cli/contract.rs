//! What scripts rely on in the JSON reports: the schema and reelcheck versions, measured values
//! as numbers with units, a stable code for every reason a file could not be read; and the
//! batch's own promises: an unknown --output extension is refused, -o prints one summary line.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn reports_carry_their_schema_and_reelcheck_versions() {
    let film = film("short-3s.mp4", 3);
    let (_, out, _) = run(&["check", film.to_str().unwrap(), "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["reelcheck_version"], env!("CARGO_PKG_VERSION"));
    let (_, out, _) = run(&["check", film.to_str().unwrap(), "--format", "jsonl"]);
    let line = json(out.lines().next().unwrap());
    assert_eq!(line["schema_version"], 2);
    assert_eq!(line["reelcheck_version"], env!("CARGO_PKG_VERSION"));
    assert!(line["path"].as_str().unwrap().ends_with("short-3s.mp4"));
}

#[test]
fn actual_values_are_numbers_with_units_beside_the_display_text() {
    let film = film("short-3s.mp4", 3);
    let (_, out, _) = run(&["check", film.to_str().unwrap(), "--format", "json"]);
    let f = &json(&out)["files"][0];
    let result = |id: &str| {
        f["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    let runtime = result("runtime.min");
    assert_eq!(runtime["actual_value"]["unit"], "s", "{runtime}");
    let measured = f["facts"]["container"]["duration_s"].as_f64().unwrap();
    assert_eq!(runtime["actual_value"]["value"].as_f64(), Some(measured));
    assert!((measured - 3.0).abs() < 0.2, "{measured}");
    assert_eq!(runtime["actual"], "3 s");
    let width = result("video.min_width");
    assert_eq!(width["actual_value"]["value"], 160.0, "{width}");
    assert_eq!(width["actual_value"]["unit"], "");
    // Text has no number to give.
    let codec = result("video.codec");
    assert!(codec.get("actual_value").is_none(), "{codec}");
    assert!(codec["actual"].is_string());
}

#[cfg(feature = "fault-injection")]
#[test]
fn every_unreadable_file_has_a_stable_error_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = film("pass-61s.mp4", 61);
    copy_into(&good, d, "ok.mp4");
    copy_into(&good, d, "crash.mp4");
    copy_into(&good, d, "hang.mp4");
    copy_into(&good, d, "oom.mp4");
    std::fs::write(d.join("text.mp4"), b"this is not a film at all, only words").unwrap();
    std::fs::write(d.join("empty.mp4"), b"").unwrap();
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(d.join("cut.mp4"), &bytes[..bytes.len() / 2]).unwrap();
    let (code, out, err) = run_env(
        &[
            "check",
            d.to_str().unwrap(),
            "--format",
            "json",
            "--timeout",
            "10",
            "--memory-limit",
            "512 MB",
        ],
        &[("REELCHECK_FAULT", "crash:crash,hang:hang,oom:oom")],
    );
    assert_eq!(code, 1, "{err}");
    let codes: BTreeMap<String, (String, String)> = json(&out)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap()).file_name().unwrap();
            (
                name.to_string_lossy().into_owned(),
                (
                    f["error_code"].as_str().unwrap_or("").to_string(),
                    f["error"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect();
    let want = [
        ("ok.mp4", ""),
        ("crash.mp4", "crashed"),
        ("hang.mp4", "timeout"),
        ("oom.mp4", "out_of_memory"),
        ("text.mp4", "not_media"),
        ("empty.mp4", "empty"),
        ("cut.mp4", "truncated"),
    ];
    for (name, code) in want {
        assert_eq!(codes[name].0, code, "{name}: {:?}", codes[name]);
    }
}

#[test]
fn every_error_code_is_documented() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reports.md"))
            .unwrap();
    for code in reelcheck_facts::error_code::all() {
        assert!(
            doc.contains(&format!("| `{code}` |")),
            "docs/reports.md does not list the error code {code}"
        );
    }
}

#[test]
fn an_unknown_output_extension_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let film = film("short-3s.mp4", 3);
    let target = dir.path().join("report.pdf");
    let (code, out, err) = run(&[
        "check",
        film.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("report.pdf: no report format is written as .pdf"),
        "{err}"
    );
    assert!(
        err.contains(".json") && err.contains(".html") && err.contains(".csv"),
        "{err}"
    );
    assert!(!target.exists());
    // --format names it anyway.
    let (code, _, err) = run(&[
        "check",
        film.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::read_to_string(&target).unwrap().contains("FAIL"));
}

#[test]
fn writing_the_report_to_a_file_prints_one_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "in/a.mp4");
    copy_into(&film("short-3s.mp4", 3), dir.path(), "in/b.mp4");
    let target = dir.path().join("report.json");
    let (code, out, err) = run(&[
        "check",
        dir.path().join("in").to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    let report = json(&std::fs::read_to_string(&target).unwrap());
    let s = &report["summary"];
    let want = format!(
        "reelcheck: wrote {}: 2 files: 1 passed, 1 failed, 0 errors, {} warnings",
        target.display(),
        s["warnings"]
    );
    assert_eq!(lines[0], want);
}

#[test]
fn one_progress_bar_counts_the_whole_batch_across_tracks() {
    // The bar shows only on a terminal: `script` gives the run one.
    let dir = tempfile::tempdir().unwrap();
    for name in ["human/a.mp4", "human/b.mp4"] {
        copy_into(
            &film("pass-61s.mp4", 61),
            dir.path(),
            &format!("intake/{name}"),
        );
    }
    for name in ["ai/c.mp4", "ai/d.mp4", "ai/e.mp4"] {
        copy_into(
            &film("short-3s.mp4", 3),
            dir.path(),
            &format!("intake/{name}"),
        );
    }
    let command = format!(
        "'{}' check intake --track-from folder --no-cache -o report.json",
        bin().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .output()
        .expect("run script (util-linux) for a terminal");
    let screen = String::from_utf8_lossy(&out.stdout);
    let counts: std::collections::BTreeSet<String> = screen
        .split(['\r', '\n', '\u{1b}'])
        .filter_map(|part| part.split("checking ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(!counts.is_empty(), "no progress shown:\n{screen}");
    assert!(
        counts.iter().all(|c| c.ends_with("/5")),
        "every count is of the whole batch: {counts:?}"
    );
    assert!(dir.path().join("report.json").exists());
}

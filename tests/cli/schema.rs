//! `reelcheck schema`: every machine output has a JSON Schema, printed by the command and kept
//! in docs/schema/, and real outputs (check JSON, JSON Lines, probe JSON, merge) validate
//! against it; a broken output does not.

use crate::support::*;
use std::path::Path;

fn schema(name: &str) -> jsonschema::Validator {
    let (code, out, err) = run(&["schema", name]);
    assert_eq!(code, 0, "{err}");
    // The command prints what the repository keeps.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(format!("{name}.json"));
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        out,
        "{} is not what `reelcheck schema {name}` prints",
        kept.display()
    );
    jsonschema::validator_for(&json(&out)).expect("a valid JSON Schema")
}

fn assert_valid(validator: &jsonschema::Validator, value: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// A pass, a failure, a file that is not a film and a document that is not checked.
fn intake(dir: &Path) {
    copy_into(&crate::samples::good(), dir, "good.mp4");
    copy_into(&film("short-3s.mp4", 3), dir, "short.mp4");
    std::fs::write(dir.join("broken.mp4"), b"not a film at all").unwrap();
    std::fs::write(dir.join("notes.pdf"), b"%PDF-1.4").unwrap();
}

#[test]
fn every_machine_output_validates_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("in");
    intake(&films);
    let f = films.to_str().unwrap();

    let (code, out, err) = run(&["check", f, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(report["schema_version"], 2);
    assert_valid(&schema("check"), &report, "check --format json");
    // `fix` is an array of lines, `expected_value` stands beside `actual_value`.
    let runtime = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["results"].as_array().unwrap())
        .find(|r| r["id"] == "runtime.min" && r["status"] == "fail")
        .unwrap()
        .clone();
    let fix = runtime["fix"].as_array().expect("fix is an array");
    assert!(fix.len() >= 3, "a line per tool: {runtime}");
    assert!(fix.iter().all(|l| !l.as_str().unwrap().contains('\n')));
    assert_eq!(runtime["expected_value"]["op"], "ge", "{runtime}");
    assert_eq!(runtime["expected_value"]["value"], 60.0, "{runtime}");
    assert_eq!(runtime["expected_value"]["unit"], "s", "{runtime}");
    assert_eq!(runtime["actual_value"]["unit"], "s", "{runtime}");
    assert_eq!(runtime["fact"], "container.duration_s", "{runtime}");

    let (code, out, err) = run(&["check", f, "--format", "jsonl"]);
    assert_eq!(code, 1, "{err}");
    let lines = schema("jsonl");
    let records: Vec<serde_json::Value> = out.lines().map(json).collect();
    for (i, line) in records.iter().enumerate() {
        assert_valid(&lines, line, &format!("JSON Lines line {}", i + 1));
    }
    // One line per entry, then the run's closing record with the report's summary.
    let (last, files) = records.split_last().unwrap();
    assert_eq!(files.len(), report["files"].as_array().unwrap().len());
    assert!(files.iter().all(|l| l["record"] == "file"));
    assert_eq!(last["record"], "run", "{last}");
    assert_eq!(last["summary"], report["summary"]);
    assert!(last.get("files").is_none());

    let film = films.join("good.mp4");
    let (code, out, err) = run(&[
        "probe",
        film.to_str().unwrap(),
        "--format",
        "json",
        "--with",
        "all",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_valid(&schema("probe"), &json(&out), "probe --format json");

    // merge reads the JSON report and the JSON Lines report alike, closing record included.
    let saved = dir.path().join("r.json");
    std::fs::write(&saved, report.to_string()).unwrap();
    let streamed = dir.path().join("r.jsonl");
    std::fs::write(&streamed, out_of(&["check", f, "--format", "jsonl"])).unwrap();
    for input in [&saved, &streamed] {
        let (code, out, err) = run(&["merge", input.to_str().unwrap(), "--format", "json"]);
        assert_eq!(code, 1, "{err}");
        let merged = json(&out);
        assert_valid(&schema("merge"), &merged, "merge --format json");
        assert_eq!(merged["summary"], report["summary"], "{}", input.display());
        assert_eq!(
            merged["rule_set"],
            report["rule_set"],
            "{}",
            input.display()
        );
    }
}

fn out_of(args: &[&str]) -> String {
    run(args).1
}

#[test]
fn a_broken_report_does_not_validate() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let (_, out, _) = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    let report = json(&out);
    let check = schema("check");
    assert_valid(&check, &report, "as written");
    // A film that was read, with rule results and facts.
    let read = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["status"] == "pass")
        .unwrap();
    for (pointer, bad) in [
        (format!("/files/{read}/status"), serde_json::json!("maybe")),
        ("/summary/files".to_string(), serde_json::json!("four")),
        (
            format!("/files/{read}/results/0/severity"),
            serde_json::json!("fatal"),
        ),
        (
            format!("/files/{read}/facts/container/duration_s"),
            serde_json::json!("61 s"),
        ),
    ] {
        let pointer = pointer.as_str();
        let mut broken = report.clone();
        *broken
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer}")) = bad;
        assert!(!check.is_valid(&broken), "{pointer} broken still validates");
    }
    // Version 1's `fix`, one text, is not version 2's.
    let mut text_fix = report.clone();
    text_fix["files"][read]["results"][0]["fix"] = "one text".into();
    assert!(
        !check.is_valid(&text_fix),
        "fix as one text still validates"
    );
    let mut no_summary = report.clone();
    no_summary.as_object_mut().unwrap().remove("summary");
    assert!(!check.is_valid(&no_summary), "a report without its summary");
}

#[test]
fn merge_reads_reports_of_schema_version_1() {
    // Version 1 wrote `fix` as one text with a line per tool.
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&film("short-3s.mp4", 3), dir.path(), "short.mp4");
    let (_, out, _) = run(&["check", film.to_str().unwrap(), "--format", "json"]);
    let mut report = json(&out);
    report["schema_version"] = 1.into();
    for r in report["files"][0]["results"].as_array_mut().unwrap() {
        if let Some(lines) = r.get("fix").and_then(|f| f.as_array()).cloned() {
            let text: Vec<&str> = lines.iter().map(|l| l.as_str().unwrap()).collect();
            r["fix"] = text.join("\n").into();
        }
    }
    let old = dir.path().join("v1.json");
    std::fs::write(&old, report.to_string()).unwrap();
    let (code, out, err) = run(&["merge", old.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let merged = json(&out);
    let runtime = merged["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "runtime.min")
        .unwrap()
        .clone();
    assert!(runtime["fix"].as_array().unwrap().len() >= 3, "{runtime}");
    assert_eq!(merged["schema_version"], 2);
}

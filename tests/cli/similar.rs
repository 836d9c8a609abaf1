//! The same film twice (`similar` in the report): films the ffmpeg CLI makes from two real
//! clips (`fixtures/similar.rs`), checked as one batch; the pairs that must be found, as what,
//! and those that must not; facts rules can name; earlier reports (`--compare-with`).

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "../../fixtures/similar.rs"]
mod recipes;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The films of `names` (all when empty) copied into a folder of their own.
fn batch(names: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for r in recipes::recipes(root()) {
        if names.is_empty() || names.contains(&r.name) {
            let made = media(
                r.name,
                &r.args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            out.push(copy_into(&made, dir.path(), r.name));
        }
    }
    (dir, out)
}

fn name(path: &Value) -> String {
    Path::new(path.as_str().unwrap_or(""))
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The group of `a` and `b`, with its entries by file name.
fn group<'a>(report: &'a Value, a: &str, b: &str) -> Option<(&'a Value, Vec<String>)> {
    report["similar"].as_array()?.iter().find_map(|g| {
        let names: Vec<String> = g["entries"].as_array()?.iter().map(name).collect();
        (names.iter().any(|n| n == a) && names.iter().any(|n| n == b)).then_some((g, names))
    })
}

#[test]
fn the_same_film_is_found_and_other_films_are_not() {
    let (dir, _) = batch(&[]);
    let (code, out, err) = run(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert!(code <= 1, "{err}");
    let report = json(&out);
    let mut wrong = Vec::new();
    for e in recipes::EXPECT {
        let found = group(&report, e.a, e.b);
        match (e.kind, found) {
            (None, None) => {}
            (None, Some((g, _))) => wrong.push(format!("{} / {} ({}): found {g}", e.a, e.b, e.why)),
            (Some(kind), None) => wrong.push(format!(
                "{} / {} ({}): no group, expected {kind}",
                e.a, e.b, e.why
            )),
            (Some(kind), Some((g, names))) => {
                if g["kind"] != kind {
                    wrong.push(format!(
                        "{} / {} ({}): {g}, expected {kind}",
                        e.a, e.b, e.why
                    ));
                }
                // The film that contains the other comes first.
                if kind == "contains" && names[0] != e.a {
                    wrong.push(format!("{} / {}: {names:?}, the container first", e.a, e.b));
                }
                if g["sound"].as_str() != e.sound {
                    wrong.push(format!(
                        "{} / {} ({}): sound {}, expected {:?}",
                        e.a, e.b, e.why, g["sound"], e.sound
                    ));
                }
                let sim = g["similarity"].as_f64().unwrap_or(-1.0);
                let shared = g["shared_s"].as_f64().unwrap_or(-1.0);
                if !(0.5..=1.0).contains(&sim)
                    || shared < 5.0
                    || g["ranges"].as_array().is_none_or(Vec::is_empty)
                {
                    wrong.push(format!("{} / {} ({}): {g}", e.a, e.b, e.why));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Where the trailer was cut from: 20 s into the film, for 16 s.
    let (g, _) = group(&report, "b.mp4", "b-trailer.mp4").expect("the trailer");
    let r = &g["ranges"][0];
    let start = r[0].as_f64().unwrap_or(-1.0);
    assert!((start - 20.0).abs() <= 2.0, "{g}");
    assert!(r[2].as_f64().unwrap_or(-1.0) <= 2.0, "{g}");
    // Each entry carries its fingerprint, a few KB at most; those with sound, the sound's.
    for f in report["files"].as_array().unwrap() {
        let fp = &f["facts"]["fingerprint"];
        let pictures = fp["frames"].as_str().unwrap_or("");
        assert!(
            !pictures.is_empty() && pictures.len() < 6000,
            "{}: {}",
            f["path"],
            pictures.len()
        );
        let heard = fp["sound"]["blocks"].as_str().map(str::len);
        let has_sound = f["facts"]["audio"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        assert_eq!(heard.is_some(), has_sound, "{}: {fp}", f["path"]);
        assert!(heard.unwrap_or(0) < 4000, "{}", f["path"]);
    }
}

#[test]
fn the_text_report_closes_with_the_pairs() {
    let (dir, _) = batch(&["b.mp4", "b-trailer.mp4", "a.mp4"]);
    let (_, out, err) = run(&["check", dir.path().to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Same film? 1 pair"))
        .unwrap_or_else(|| panic!("{out}\n{err}"));
    let pair = lines[at + 1];
    assert!(
        pair.contains("contains") && pair.contains("b.mp4") && pair.contains("b-trailer.mp4"),
        "{pair}"
    );
    // Where the trailer was cut from the film (0:20 to 0:36), within the 2 s a match allows.
    let secs = |t: &str| -> f64 {
        let (m, s) = t
            .trim()
            .split_once(':')
            .unwrap_or_else(|| panic!("{t}: {pair}"));
        m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
    };
    let ranges = pair
        .split("shared: ")
        .nth(1)
        .unwrap_or_else(|| panic!("{pair}"));
    let ranges = ranges.trim_end_matches(')');
    let (a, b) = ranges.split_once(" ↔ ").unwrap_or_else(|| panic!("{pair}"));
    let times: Vec<f64> = [a, b]
        .iter()
        .flat_map(|r| r.split('–').map(secs).collect::<Vec<_>>())
        .collect();
    assert_eq!(times.len(), 4, "{pair}");
    for (got, want) in times.iter().zip([20.0, 36.0, 0.0, 16.0]) {
        assert!((got - want).abs() <= 2.0, "{got} for {want}: {pair}");
    }
    // The totals stay the last line.
    assert!(lines.last().unwrap().contains("files:"), "{out}");

    // The HTML report's "Same film?" section: the pair, each entry with its poster frame.
    let page = dir.path().join("report.html");
    let (_, _, err) = run(&[
        "check",
        "-o",
        page.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}: {err}"));
    let at = html
        .find("<section class=\"similar\" id=\"similar\">")
        .expect("the section");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    assert!(section.contains("<h2>Same film?</h2>"), "{section}");
    assert_eq!(section.matches("class=\"pair\"").count(), 1, "{section}");
    assert!(section.contains("data-kind=\"contains\""), "{section}");
    for name in ["b.mp4", "b-trailer.mp4"] {
        assert!(section.contains(name), "{name}: {section}");
    }
    assert!(!section.contains("a.mp4<"), "{section}");
    assert_eq!(
        section.matches("src=\"data:image/jpeg;base64,").count(),
        2,
        "{section}"
    );
}

const RULES: &str = r#"
[[rule]]
id = "similar.other_track"
fact = "similar.same_as_other_track"
op = "eq"
value = false
severity = "error"
message = "The same film was entered on the other track."

[[rule]]
id = "similar.resubmitted"
fact = "similar.resubmission"
op = "eq"
value = false
severity = "warning"
message = "This film was entered before."
"#;

#[test]
fn a_twin_on_the_other_track_fails_by_rule_and_an_earlier_entry_warns() {
    let rules = input_file("toml", RULES);
    let dir = tempfile::tempdir().unwrap();
    copy_into(&made("a.mp4"), dir.path(), "human/a.mp4");
    copy_into(&made("a-half-rate.mp4"), dir.path(), "ai/a-half-rate.mp4");
    copy_into(&made("b.mp4"), dir.path(), "human/b.mp4");
    let d = dir.path().to_str().unwrap();
    let old = dir.path().join("old.json");
    let (code, _, err) = run(&[
        "check",
        "--track-from",
        "folder",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        old.to_str().unwrap(),
        &format!("{d}/human"),
        &format!("{d}/ai"),
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&std::fs::read_to_string(&old).unwrap());
    let by = files_by_name(&report);
    assert_eq!(by["a.mp4"]["status"], "fail", "{}", by["a.mp4"]);
    assert_eq!(by["a.mp4"]["facts"]["similar"]["same_as_other_track"], true);
    assert_eq!(by["a-half-rate.mp4"]["status"], "fail");
    assert_eq!(by["b.mp4"]["status"], "pass", "{}", by["b.mp4"]);
    assert_eq!(by["b.mp4"]["facts"]["similar"]["count"], 0);

    // JSON Lines: with rules on `similar.*`, no line goes out before the batch is grouped, so
    // the twin's line carries the failing verdict, and the run record the pair.
    let (code, out, err) = run(&[
        "check",
        "--track-from",
        "folder",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "jsonl",
        &format!("{d}/human"),
        &format!("{d}/ai"),
    ]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<Value> = out.lines().map(json).collect();
    let line_of = |n: &str| {
        lines
            .iter()
            .find(|l| l["record"] == "file" && name(&l["path"]) == n)
            .unwrap_or_else(|| panic!("no line for {n}: {out}"))
    };
    assert_eq!(line_of("a.mp4")["status"], "fail", "{out}");
    assert_eq!(
        line_of("a.mp4")["facts"]["similar"]["same_as_other_track"],
        true
    );
    assert_eq!(line_of("b.mp4")["status"], "pass");
    let run_record = lines.last().unwrap();
    assert_eq!(run_record["record"], "run");
    assert_eq!(run_record["similar"], report["similar"], "{out}");

    // Next year: the trimmed film again, checked against last year's report.
    let next = tempfile::tempdir().unwrap();
    copy_into(&made("a-trimmed.mp4"), next.path(), "a-trimmed.mp4");
    let (code, out, err) = run(&[
        "check",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
        "--compare-with",
        old.to_str().unwrap(),
        next.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    let f = &report["files"][0];
    assert_eq!(f["facts"]["similar"]["resubmission"], true, "{f}");
    let warned = f["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "similar.resubmitted" && r["status"] == "fail");
    assert!(warned, "{f}");
    let g = &report["similar"][0];
    assert_eq!(g["kind"], "same", "{report}");
    assert_eq!(g["reports"][0], Value::Null);
    assert_eq!(g["reports"][1].as_str(), old.to_str());
}

/// The film of the recipe `name`, made once.
fn made(name: &str) -> PathBuf {
    let r = recipes::recipes(root())
        .into_iter()
        .find(|r| r.name == name)
        .unwrap();
    media(
        r.name,
        &r.args.iter().map(String::as_str).collect::<Vec<_>>(),
    )
}

#[test]
fn merged_reports_pair_entries_across_them_and_a_verdict_that_could_not_see_the_twin_is_provisional(
) {
    let rules = input_file("toml", RULES);
    let dir = tempfile::tempdir().unwrap();
    copy_into(&made("a.mp4"), dir.path(), "human/a.mp4");
    copy_into(&made("b.mp4"), dir.path(), "human/b.mp4");
    copy_into(&made("a-half-rate.mp4"), dir.path(), "ai/a-half-rate.mp4");
    let d = dir.path().to_str().unwrap();
    // Each track checked on its own (as two shards would be): neither sees the twin.
    let mut reports = Vec::new();
    for track in ["human", "ai"] {
        let out = dir.path().join(format!("{track}.json"));
        let (code, _, err) = run(&[
            "check",
            "--track",
            track,
            "--rules",
            rules.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            &format!("{d}/{track}"),
        ]);
        assert_eq!(code, 0, "{track}: {err}");
        reports.push(out);
    }
    let (code, out, err) = run(&[
        "merge",
        "--format",
        "json",
        reports[0].to_str().unwrap(),
        reports[1].to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let merged = json(&out);
    let (g, _) = group(&merged, "a.mp4", "a-half-rate.mp4").unwrap_or_else(|| panic!("{err}"));
    assert_eq!(g["kind"], "same", "{g}");
    let by = files_by_name(&merged);
    for twin in ["a.mp4", "a-half-rate.mp4"] {
        let f = &by[twin];
        assert_eq!(f["facts"]["similar"]["same_as_other_track"], true, "{f}");
        assert_eq!(f["provisional"], true, "{twin}: {f}");
        // Its shard passed the rule without the twin: the merged entry does not pass.
        assert_eq!(f["status"], "fail", "{twin}: {f}");
        let rule = f["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "similar.other_track")
            .expect("the rule");
        assert_eq!(rule["status"], "fail", "{rule}");
        assert!(
            rule["reason"].as_str().unwrap_or("").contains("own shard"),
            "{rule}"
        );
    }
    // The film without a twin keeps its verdict as it was.
    assert_eq!(by["b.mp4"]["status"], "pass");
    assert_ne!(by["b.mp4"]["provisional"], true, "{}", by["b.mp4"]);
    assert_eq!(merged["summary"]["provisional"], 2, "{}", merged["summary"]);
}

#[test]
fn no_similar_takes_no_fingerprint_and_lists_no_pair() {
    let (dir, _) = batch(&["a.mp4", "a-half-rate.mp4"]);
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(&["check", "--no-similar", "--format", "json", d]);
    assert!(code <= 1, "{err}");
    let report = json(&out);
    assert!(report.get("similar").is_none(), "{}", report["similar"]);
    for f in report["files"].as_array().unwrap() {
        assert!(f["facts"].get("fingerprint").is_none(), "{}", f["path"]);
        // The films were decoded all the same.
        assert!(f["facts"]["credits"].is_object(), "{}", f["path"]);
    }
    let (_, out, _) = run(&["check", "--format", "json", d]);
    assert!(group(&json(&out), "a.mp4", "a-half-rate.mp4").is_some());
    let (code, _, err) = run(&["check", "--no-similar", "--compare-with", "old.json", d]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn an_unreadable_earlier_report_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let film = film("similar-any.mp4", 2);
    for (name, text) in [
        ("empty.json", ""),
        ("not-a-report.json", "{\"files\": {\"a\": 1}}"),
        ("bad-fingerprint.json", "{\"files\":[{\"path\":\"x\",\"facts\":{\"fingerprint\":{\"version\":1,\"duration_s\":5,\"frames\":\"AAAA\"}}}]}"),
        ("bad-sound.json", "{\"files\":[{\"path\":\"x\",\"facts\":{\"fingerprint\":{\"version\":1,\"duration_s\":5,\"frames\":\"\",\"sound\":{\"start_s\":0,\"block_s\":0.124,\"blocks\":\"AAA\"}}}}]}"),
        ("endless-sound.json", "{\"files\":[{\"path\":\"x\",\"facts\":{\"fingerprint\":{\"version\":1,\"duration_s\":5,\"frames\":\"\",\"sound\":{\"start_s\":0,\"block_s\":1e300,\"blocks\":\"AAAAAA==\"}}}}]}"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let (code, _, err) = run(&["check", "--compare-with", p.to_str().unwrap(), film.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(name), "{err}");
    }
}

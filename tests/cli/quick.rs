//! Honest quick checks: --quick reads no picture or sound, says in every report how many rules
//! it skipped and why, marks a verdict that left requirements unchecked (--strict fails it),
//! and still reads the provenance markers that need no decoding.

use crate::support::*;
use std::path::Path;

/// A rule file whose one requirement needs decoding (the credits), beside a header rule.
fn decoding_requirement(dir: &Path) -> std::path::PathBuf {
    let rules = dir.join("needs-credits.toml");
    std::fs::write(
        &rules,
        "name = \"needs-credits\"\n\
         [[rule]]\nid = \"credits.present\"\nfact = \"credits.present\"\nop = \"eq\"\nvalue = true\n\
         severity = \"error\"\nmessage = \"No end credits were found.\"\n\
         [[rule]]\nid = \"runtime.min\"\nfact = \"container.duration_s\"\nop = \"ge\"\nvalue = \"1s\"\n\
         severity = \"error\"\nmessage = \"Too short.\"\n",
    )
    .unwrap();
    rules
}

#[test]
fn quick_reports_say_what_they_skipped_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let a = copy_into(&film("pass-61s.mp4", 61), dir.path(), "a.mp4");
    copy_into(&film("short-3s.mp4", 3), dir.path(), "b.mp4");
    let root = dir.path().to_str().unwrap();

    let (code, out, err) = run(&["check", root, "--quick", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let results: Vec<&serde_json::Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["results"].as_array().unwrap())
        .collect();
    let needs_decoding = results
        .iter()
        .filter(|r| r["skip_cause"] == "needs_decoding")
        .count();
    assert!(needs_decoding > 0, "{out}");
    assert!(results
        .iter()
        .filter(|r| r["skip_cause"] == "needs_decoding")
        .all(|r| r["status"] == "skip"));
    assert_eq!(
        report["summary"]["skipped"]["needs_decoding"], needs_decoding,
        "{}",
        report["summary"]
    );
    // The provenance rules ran: they need no decoding.
    assert!(results
        .iter()
        .any(|r| r["id"] == "provenance.no_ai_declared" && r["status"] == "pass"));

    let (_, text, _) = run(&["check", root, "--quick"]);
    assert!(
        text.contains(&format!(
            "Skipped: {needs_decoding} checks need decoding and were skipped (--quick)"
        )),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("warnings"),
        "the totals stay last: {text}"
    );

    let (_, xml, _) = run(&["check", a.to_str().unwrap(), "--quick", "--format", "junit"]);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    // One test case for the film; what --quick left out is counted on it, half of the run's
    // being a.mp4's.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1,
        "{xml}"
    );
    let property = doc
        .descendants()
        .find(|n| n.has_tag_name("property") && n.attribute("name") == Some("skipped"))
        .and_then(|n| n.attribute("value"))
        .unwrap_or_default();
    assert!(
        property.starts_with(&format!("{} checks need decoding", needs_decoding / 2)),
        "{xml}"
    );

    let (_, page, _) = run(&[
        "check",
        root,
        "--quick",
        "--format",
        "html",
        "--no-pictures",
    ]);
    assert!(
        page.contains(&format!(
            "id=\"skipped\">Skipped: {needs_decoding} checks need decoding and were skipped (--quick)"
        )),
        "the HTML summary says it too"
    );

    // Without --quick nothing is skipped for want of decoding.
    let (_, out, _) = run(&["check", a.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json(&out)["summary"]["skipped"]["needs_decoding"], 0);
}

#[test]
fn a_quick_pass_with_requirements_unchecked_is_not_final_and_strict_fails_it() {
    let dir = tempfile::tempdir().unwrap();
    let rules = decoding_requirement(dir.path());
    let film = film("pass-61s.mp4", 61);
    let args = |extra: &[&str]| {
        let mut a = vec![
            "check".to_string(),
            film.to_str().unwrap().to_string(),
            "--rules".to_string(),
            rules.to_str().unwrap().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let call = |extra: &[&str]| {
        let a = args(extra);
        run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let (code, out, err) = call(&["--quick", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let f = &json(&out)["files"][0];
    assert_eq!(f["status"], "pass");
    assert_eq!(f["provisional"], true, "{f}");
    assert_eq!(json(&out)["summary"]["provisional"], 1);

    let (code, text, _) = call(&["--quick"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("not final: 1 requirement needs decoding and was not checked (--quick)"),
        "{text}"
    );
    assert!(text.contains("1 verdict is not final"), "{text}");

    let (code, out, _) = call(&["--quick", "--strict", "--format", "json"]);
    assert_eq!(code, 1, "--quick --strict fails an unchecked requirement");
    assert_eq!(json(&out)["files"][0]["status"], "fail");
    let (code, xml, _) = call(&["--quick", "--strict", "--format", "junit"]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    // The film's one test case fails, naming the requirement left unchecked.
    let failed: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .filter_map(|n| n.attribute("message"))
        .collect();
    assert_eq!(failed, ["1 rule failed: credits.present"], "{xml}");

    // Decoded, the requirement is checked: this film has no credits, so it fails, for real.
    let (code, out, _) = call(&["--format", "json"]);
    assert_eq!(code, 1);
    let f = &json(&out)["files"][0];
    assert!(f.get("provisional").is_none(), "{f}");
}

//! Report formats: JUnit and CSV read back agree with the JSON report; JSON Lines holds the
//! same file reports; --output writes whole files; the HTML report as Chromium shows it.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A passing film, a failing (too short) one, and a file that is not media, in `dir`.
fn intake(dir: &Path) {
    copy_into(&film("pass-61s.mp4", 61), dir, "pass.mp4");
    copy_into(&film("short-3s.mp4", 3), dir, "short.mp4");
    std::fs::write(dir.join("broken.mp4"), b"not a film at all").unwrap();
}

fn check_json(dir: &Path) -> serde_json::Value {
    let (code, out, err) = run(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    json(&out)
}

fn count(results: &serde_json::Value, status: &str, severity: Option<&str>) -> usize {
    results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == status && severity.is_none_or(|s| r["severity"] == s))
        .count()
}

#[test]
fn junit_agrees_with_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let report = check_json(dir.path());
    let (code, xml, err) = run(&["check", dir.path().to_str().unwrap(), "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is XML");
    let suites: BTreeMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| (n.attribute("name").unwrap(), n))
        .collect();
    let files = report["files"].as_array().unwrap();
    assert_eq!(suites.len(), files.len());
    for file in files {
        let suite = suites[file["path"].as_str().unwrap()];
        let attr = |k: &str| suite.attribute(k).unwrap().parse::<usize>().unwrap();
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        if file["status"] == "error" {
            assert_eq!((attr("errors"), cases.len()), (1, 1));
            let error = cases[0]
                .children()
                .find(|n| n.has_tag_name("error"))
                .unwrap();
            assert_eq!(error.attribute("message"), file["error"].as_str());
            continue;
        }
        let results = &file["results"];
        assert_eq!(attr("tests"), results.as_array().unwrap().len());
        assert_eq!(attr("failures"), count(results, "fail", Some("error")));
        assert_eq!(attr("skipped"), count(results, "skip", None));
        assert_eq!(attr("errors"), 0);
        for (case, result) in cases.iter().zip(results.as_array().unwrap()) {
            assert_eq!(case.attribute("name"), result["id"].as_str());
            let failure = case.children().find(|n| n.has_tag_name("failure"));
            let fails = result["status"] == "fail" && result["severity"] == "error";
            assert_eq!(failure.is_some(), fails, "{result}");
            if let Some(f) = failure {
                assert_eq!(f.attribute("message"), result["message"].as_str());
            }
        }
    }
}

#[test]
fn csv_agrees_with_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let report = check_json(dir.path());
    let (code, text, err) = run(&["check", dir.path().to_str().unwrap(), "--format", "csv"]);
    assert_eq!(code, 1, "{err}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        &headers.iter().collect::<Vec<_>>()[..5],
        ["path", "id", "title", "track", "status"]
    );
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_string)
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    let files = report["files"].as_array().unwrap();
    assert_eq!(rows.len(), files.len());
    for (row, file) in rows.iter().zip(files) {
        assert_eq!(row["path"], file["path"].as_str().unwrap());
        assert_eq!(row["status"], file["status"].as_str().unwrap());
        assert_eq!(row["track"], "human");
        let failed: Vec<&str> = file["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "fail" && r["severity"] == "error")
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(row["failed_rules"], failed.join(" "));
        assert_eq!(row["failed"], failed.len().to_string());
        assert_eq!(
            row["warned"],
            count(&file["results"], "fail", Some("warning")).to_string()
        );
        match file["facts"]["container"]["duration_s"].as_f64() {
            Some(d) => assert!((row["runtime_s"].parse::<f64>().unwrap() - d).abs() < 0.001),
            None => assert_eq!(row["runtime_s"], ""),
        }
        assert_eq!(row["error"], file["error"].as_str().unwrap_or(""));
    }
}

#[test]
fn jsonl_holds_the_same_file_reports_one_per_line() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let report = check_json(dir.path());
    let (code, text, err) = run(&["check", dir.path().to_str().unwrap(), "--format", "jsonl"]);
    assert_eq!(code, 1, "{err}");
    let mut lines: Vec<serde_json::Value> = text.lines().map(json).collect();
    // Each line carries the versions the whole report carries once.
    for line in &mut lines {
        let obj = line.as_object_mut().unwrap();
        assert_eq!(
            obj.remove("schema_version").unwrap(),
            report["schema_version"]
        );
        assert_eq!(
            obj.remove("reelcheck_version").unwrap(),
            report["reelcheck_version"]
        );
    }
    lines.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    assert_eq!(&lines, report["files"].as_array().unwrap());
}

#[test]
fn output_file_is_written_whole_in_the_format_its_name_says() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let out = tempfile::tempdir().unwrap();
    for (name, starts) in [
        ("r.json", "{"),
        ("r.csv", "path,"),
        ("r.xml", "<?xml"),
        ("r.jsonl", "{"),
    ] {
        let target = out.path().join(name);
        let (code, stdout, err) = run(&[
            "check",
            dir.path().to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{err}");
        assert_eq!(stdout, "", "the report goes to the file only");
        let text = std::fs::read_to_string(&target).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");

    let (code, _, err) = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "-o",
        "/nonexistent/dir/r.json",
    ]);
    assert_eq!(code, 2, "a wrong command, found before checking");
    assert!(err.contains("cannot write in /nonexistent/dir"), "{err}");
}

/// Headless Chromium's DOM of `url` after the page's scripts ran; `None` (test skipped) when
/// Chromium is not installed, except in CI, where a missing browser must fail the run.
fn chromium_dom(url: &str) -> Option<String> {
    let browser = ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(browser) = browser else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed: `apt-get install chromium` (make test does)"
        );
        eprintln!("SKIPPED: chromium is not installed (apt-get install chromium)");
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .args(["120", browser])
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && dom.contains("data-ready=\"true\""),
        "chromium did not run the page ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(dom)
}

/// The `<tr>` rows of the entries table that the page's script left visible.
fn visible_rows(dom: &str) -> Vec<&str> {
    let body = dom
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    body.split("<tr ")
        .skip(1)
        .filter(|r| !r.split('>').next().unwrap().contains("hidden"))
        .collect()
}

#[test]
fn html_report_shows_entries_pictures_and_filters_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let tricky = "a <b> & \"q\" 'x'.mp4";
    copy_into(&film("pass-61s.mp4", 61), dir.path(), tricky);
    let page = dir.path().join("out").join("report.html");
    std::fs::create_dir(page.parent().unwrap()).unwrap();
    let (code, stdout, err) = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{err}");
    let html = std::fs::read_to_string(&page).unwrap();

    // Self-contained: nothing is fetched from anywhere.
    for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(external), "{external}");
    }
    // Pictures are JPEGs inlined as data: URIs, one poster per readable film.
    let jpegs: Vec<&str> = html
        .split("src=\"data:image/jpeg;base64,")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(jpegs.len(), 3, "a poster for each of the three films");
    for j in jpegs {
        assert!(j.starts_with("/9j/"), "JPEG data starts with FF D8 FF");
    }

    let Some(dom) = chromium_dom(&format!("file://{}", page.display())) else {
        return;
    };
    let rows = visible_rows(&dom);
    assert_eq!(rows.len(), 4, "{dom}");
    let status_of = |name: &str| {
        rows.iter()
            .find(|r| r.contains(name))
            .and_then(|r| r.split("data-status=\"").nth(1))
            .map(|s| s.split('"').next().unwrap().to_string())
    };
    assert_eq!(status_of(">pass.mp4<").as_deref(), Some("pass"));
    assert_eq!(status_of(">short.mp4<").as_deref(), Some("fail"));
    assert_eq!(status_of(">broken.mp4<").as_deref(), Some("error"));
    // The tricky name is text on the page, not markup.
    assert!(dom.contains("a &lt;b&gt; &amp; \"q\" 'x'.mp4"), "{dom}");
    assert!(!dom.contains("<b> &"));
    assert!(dom.contains("data-count=\"4\"><b>4</b>entries"));
    assert!(
        dom.contains("data-rule=\"runtime.min\""),
        "the failing rule is listed"
    );
    assert!(dom.contains("≥ 1:00"), "with what was expected");

    // A filtered view from the address, as a shared link would open it.
    let dom = chromium_dom(&format!("file://{}#status=fail&q=short", page.display())).unwrap();
    let rows = visible_rows(&dom);
    assert_eq!(rows.len(), 1, "{dom}");
    assert!(rows[0].contains(">short.mp4<"));
    assert!(dom.contains("data-visible=\"1\">1 of 4 entries"), "{dom}");
    // Sorted by runtime, longest first: the unknown runtime of the broken file goes last.
    let dom = chromium_dom(&format!("file://{}#sort=runtime&dir=desc", page.display())).unwrap();
    let order: Vec<&str> = visible_rows(&dom)
        .iter()
        .map(|r| {
            r.split("data-status=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(order[2..], ["fail", "error"]);
}

#[test]
fn html_shows_the_frame_where_the_credits_start() {
    // Credits facts come from the credits analyzer; a report carrying them is enough here.
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&film("pass-61s.mp4", 61), dir.path(), "film.mp4");
    let (_, out, err) = run(&["check", film.to_str().unwrap(), "--format", "json"]);
    let mut report = json(&out);
    assert!(
        report["files"][0]["facts"]["container"].is_object(),
        "{err}"
    );
    report["files"][0]["facts"]["credits"] = serde_json::json!({
        "present": true, "start_s": 50.0, "end_s": 61.0, "duration_s": 11.0,
        "position": "end", "confidence": 0.9, "method": "test", "opening": null
    });
    let saved = dir.path().join("report.json");
    std::fs::write(&saved, report.to_string()).unwrap();
    let (code, html, err) = run(&["merge", saved.to_str().unwrap(), "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(html.matches("src=\"data:image/jpeg;base64,/9j/").count(), 2);
    assert!(
        html.contains("Credits start, 51 s"),
        "a second into the credits"
    );
    assert!(
        html.contains(">from 50 s</td>"),
        "the table's credits column"
    );

    let (_, bare, _) = run(&[
        "merge",
        saved.to_str().unwrap(),
        "--format",
        "html",
        "--no-pictures",
    ]);
    assert!(!bare.contains("data:image"));
}

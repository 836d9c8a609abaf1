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

/// "expected …, found …" as the text report says it, from a JSON rule result.
fn said(result: &serde_json::Value) -> String {
    let found = result["actual_text"]
        .as_str()
        .or(result["actual"].as_str())
        .unwrap_or("nothing");
    match (
        result["expected_text"].as_str(),
        result["actual_text"].as_str(),
    ) {
        (Some(e), _) => format!("expected {e}, found {found}"),
        (None, Some(_)) => format!("found {found}"),
        (None, None) => format!(
            "expected {}, found {found}",
            result["expected"].as_str().unwrap()
        ),
    }
}

fn fix_lines(result: &serde_json::Value) -> Vec<String> {
    result["fix"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// No selector, regular expression or FFmpeg name in words meant for people.
fn assert_people_words(text: &str) {
    for raw in ["video[0]", "audio[0]", "(^|", "yuv4", "mov,mp4"] {
        assert!(!text.contains(raw), "{raw} in {text}");
    }
}

#[test]
fn junit_agrees_with_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    // A pass with warnings too: the 61-second film in another name (its tiny picture warns).
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "warn.mp4");
    let (code, out, err) = run(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let (code, xml, err) = run(&["check", dir.path().to_str().unwrap(), "--format", "junit"]);
    assert_eq!(code, 1, "{err}");
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is XML");
    // A suite per track, a test case per film: a CI viewer lists films, not rules.
    let suites: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1, "{xml}");
    assert_eq!(suites[0].attribute("name"), Some("track human"));
    let cases: BTreeMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| (n.attribute("name").unwrap(), n))
        .collect();
    let files = report["files"].as_array().unwrap();
    assert_eq!(cases.len(), files.len(), "{xml}");
    let attr = |k: &str| suites[0].attribute(k).unwrap().parse::<usize>().unwrap();
    assert_eq!(attr("tests"), files.len());
    assert_eq!(
        attr("failures"),
        report["summary"]["failed"].as_u64().unwrap() as usize
    );
    assert_eq!(
        attr("errors"),
        report["summary"]["errors"].as_u64().unwrap() as usize
    );
    let mut warned = 0;
    for file in files {
        let case = cases[file["path"].as_str().unwrap()];
        // Each film's time and when its check started.
        let time: f64 = case.attribute("time").unwrap().parse().unwrap();
        assert!((0.0..120.0).contains(&time), "{time}");
        let stamp = case.attribute("timestamp").unwrap();
        assert!(stamp.starts_with("20") && stamp.contains('T'), "{stamp}");
        let child = |tag: &str| case.children().find(|n| n.has_tag_name(tag));
        let property = |name: &str| {
            case.descendants()
                .find(|n| n.has_tag_name("property") && n.attribute("name") == Some(name))
                .and_then(|n| n.attribute("value"))
        };
        assert_eq!(property("track"), Some("human"));
        let results = &file["results"];
        if file["status"] == "error" {
            let error = child("error").unwrap();
            assert_eq!(error.attribute("message"), file["error"].as_str());
            assert_eq!(error.attribute("type"), file["error_code"].as_str());
            continue;
        }
        let failed: Vec<&serde_json::Value> = results
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "fail" && r["severity"] == "error")
            .collect();
        let warnings: Vec<&serde_json::Value> = results
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == "fail" && r["severity"] == "warning")
            .collect();
        let failure = child("failure");
        assert_eq!(failure.is_some(), file["status"] == "fail", "{file}");
        if let Some(f) = failure {
            // Every failed rule of the film, inside its one test case.
            let ids: Vec<&str> = failed.iter().map(|r| r["id"].as_str().unwrap()).collect();
            let message = f.attribute("message").unwrap();
            assert!(message.ends_with(&ids.join(", ")), "{message}");
            let body = f.text().unwrap_or("");
            for r in &failed {
                // The body says values as people do, and how to fix them.
                assert!(
                    body.contains(&format!("error {}: ", r["id"].as_str().unwrap())),
                    "{body}"
                );
                assert!(body.contains(&said(r)), "{body}");
                for l in fix_lines(r) {
                    assert!(body.contains(&format!("fix: {l}")), "{body}");
                }
            }
            assert!(
                body.contains("fix: DaVinci Resolve: Deliver page, render the Entire Timeline"),
                "{body}"
            );
        }
        // Warnings show as warnings: counted, and said in system-err.
        if warnings.is_empty() {
            assert!(child("system-err").is_none());
        } else {
            warned += 1;
            let n = warnings.len().to_string();
            assert_eq!(property("warnings"), Some(n.as_str()));
            let err = child("system-err").unwrap().text().unwrap();
            for r in &warnings {
                assert!(
                    err.contains(&format!("warning {}: ", r["id"].as_str().unwrap())),
                    "{err}"
                );
                assert!(err.contains(&said(r)), "{err}");
            }
        }
    }
    assert!(warned >= 1, "a film passed with warnings: {xml}");
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
    // One entry, one line of the file, findings and fixes included.
    assert_eq!(text.lines().count(), files.len() + 1, "{text}");
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
        // Findings and fixes in people's words, error rules first, then warnings.
        let shown: Vec<&serde_json::Value> = ["error", "warning"]
            .iter()
            .flat_map(|sev| {
                file["results"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(move |r| r["status"] == "fail" && r["severity"] == *sev)
            })
            .collect();
        let findings: Vec<String> = shown
            .iter()
            .map(|r| format!("{}: {}", r["id"].as_str().unwrap(), said(r)))
            .collect();
        assert_eq!(row["findings"], findings.join(" | "));
        assert_people_words(&row["findings"]);
        let fixes: Vec<String> = shown
            .iter()
            .flat_map(|r| {
                fix_lines(r)
                    .into_iter()
                    .map(move |l| format!("{}: {l}", r["id"].as_str().unwrap()))
            })
            .collect();
        assert_eq!(row["fixes"], fixes.join(" | "));
        if row["path"].ends_with("short.mp4") {
            assert!(
                row["findings"].contains("runtime.min: expected at least"),
                "{}",
                row["findings"]
            );
            assert!(
                row["fixes"].contains(
                    "runtime.min: DaVinci Resolve: Deliver page, render the Entire Timeline"
                ),
                "{}",
                row["fixes"]
            );
        }
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
    // The run's closing record comes last.
    let run = lines.pop().unwrap();
    assert_eq!(run["record"], "run", "{run}");
    assert_eq!(run["summary"], report["summary"]);
    // Each line carries the versions the whole report carries once.
    for line in &mut lines {
        let obj = line.as_object_mut().unwrap();
        assert_eq!(obj.remove("record").unwrap(), "file");
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
    // Lines went out as their files finished, before the batch was grouped: which entries show
    // the same film is the run record's (no rule here names it).
    let mut files = report["files"].as_array().unwrap().clone();
    for f in &mut files {
        if let Some(facts) = f["facts"].as_object_mut() {
            facts.remove("similar");
        }
    }
    assert_eq!(lines, files);
    assert_eq!(run["similar"], report["similar"]);
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

/// The Chromium command; `None` (test skipped) when Chromium is not installed, except in CI,
/// where a missing browser must fail the run.
pub(crate) fn browser() -> Option<&'static str> {
    let browser = ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if browser.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed: `apt-get install chromium` (make test does)"
        );
        eprintln!("SKIPPED: chromium is not installed (apt-get install chromium)");
    }
    browser
}

/// Headless Chromium's DOM of `url` after the page's scripts ran; `None` (test skipped) when
/// Chromium is not installed, except in CI, where a missing browser must fail the run.
fn chromium_dom(url: &str) -> Option<String> {
    chromium_dom_at(url, 1400)
}

/// `chromium_dom` in a window `width` CSS pixels wide.
pub(crate) fn chromium_dom_at(url: &str, width: u32) -> Option<String> {
    let browser = browser()?;
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
            "--hide-scrollbars",
            // A page framed at a phone's width is read by the page around it.
            "--allow-file-access-from-files",
        ])
        .arg(format!("--window-size={width},900"))
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
    // Pictures are JPEGs inlined as data: URIs, one poster per readable film, and two more
    // side by side under "Same film?": the tricky name is a copy of a film of the intake.
    let jpegs = |part: &'_ str| -> Vec<String> {
        part.split("src=\"data:image/jpeg;base64,")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect()
    };
    let (before, rest) = html
        .split_once("<section class=\"similar\"")
        .unwrap_or_else(|| panic!("no \"Same film?\" section: {html}"));
    let (similar, after) = rest.split_once("</section>").unwrap();
    assert_eq!(jpegs(similar).len(), 2, "the two copies side by side");
    let posters = [jpegs(before), jpegs(after)].concat();
    assert_eq!(posters.len(), 3, "a poster for each of the three films");
    let jpegs = jpegs(&html);
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
    assert!(dom.contains("at least 1 minute"), "with what was expected");

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
fn html_shows_a_frame_from_inside_the_credits() {
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
        html.contains("Credits at 55.") && html.contains("(they run 50 s to 1:01)"),
        "the middle of the credits (the frame nearest 55.5 s)"
    );
    assert!(
        html.contains(">from 50 s</td>"),
        "the table's credits column"
    );
    assert!(!html.contains("layout alone"), "no basis, no note");

    // Credits found by their layout alone say so under their picture.
    report["files"][0]["facts"]["credits"]["basis"] = "card".into();
    std::fs::write(&saved, report.to_string()).unwrap();
    let (code, html, err) = run(&["merge", saved.to_str().unwrap(), "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        html.contains(
            "(they run 50 s to 1:01). Found by their layout alone (nothing in them was read as \
             credits): look at them</figcaption>"
        ),
        "the note on a card"
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

/// A jury's intake: a clean pass (with scrolling credits), a pass with warnings (a tiny
/// picture), a failure (too short), a film whose metadata declares Sora (fails the human
/// track), and a file that is not media.
fn jury_intake(dir: &Path) {
    let good = crate::samples::good();
    copy_into(&good, dir, "a-good.mp4");
    copy_into(&film("pass-61s.mp4", 61), dir, "b-warn.mp4");
    copy_into(&film("short-3s.mp4", 3), dir, "c-short.mp4");
    let sora = media(
        "rep-sora.mp4",
        &[
            "-i",
            good.to_str().unwrap(),
            "-c",
            "copy",
            "-metadata",
            "encoding_tool=OpenAI Sora",
            "-movflags",
            "use_metadata_tags+faststart",
        ],
    );
    copy_into(&sora, dir, "d-sora.mp4");
    std::fs::write(dir.join("e-broken.mp4"), b"not a film at all").unwrap();
}

/// Runs `body` (JavaScript returning a value) in `page` in headless Chromium, after the page's
/// own script, and returns that value. The page is copied with the harness appended, so the
/// report itself is what runs.
fn in_chromium(page: &Path, body: &str) -> Option<serde_json::Value> {
    in_chromium_at(page, body, 1400)
}

/// `in_chromium` in a window `width` CSS pixels wide. Headless Chromium keeps its windows at
/// least 500 pixels wide, so a narrower screen (a phone's 390) is a frame of that width in a
/// page of its own, the page and its harness running inside the frame.
pub(crate) fn in_chromium_at(page: &Path, body: &str, width: u32) -> Option<serde_json::Value> {
    let html = std::fs::read_to_string(page).unwrap();
    assert_eq!(html.matches("</body>").count(), 1);
    let harness = format!(
        "<script>(function () {{ var out = (function () {{ {body} }})(); \
         var pre = document.createElement('pre'); pre.id = 'harness'; \
         pre.textContent = JSON.stringify(out); document.body.appendChild(pre); }})();</script>"
    );
    let probe = page.with_file_name(".harness.html");
    std::fs::write(
        &probe,
        html.replace("</body>", &format!("{harness}</body>")),
    )
    .unwrap();
    let url = if width >= 500 {
        format!("file://{}", probe.display())
    } else {
        let frame = page.with_file_name(".harness-frame.html");
        std::fs::write(
            &frame,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\">\
                 <iframe id=\"f\" src=\".harness.html\" style=\"width:{width}px;height:900px;border:0\"></iframe>\
                 <script>document.getElementById('f').onload = function () {{\
                   var inner = this.contentDocument.getElementById('harness');\
                   var pre = document.createElement('pre'); pre.id = 'harness';\
                   pre.textContent = inner ? inner.textContent : 'null'; document.body.appendChild(pre);\
                   document.documentElement.setAttribute('data-ready', 'true'); }};</script></body></html>"
            ),
        )
        .unwrap();
        format!("file://{}", frame.display())
    };
    let dom = chromium_dom_at(&url, width.max(500))?;
    let text = dom
        .split("<pre id=\"harness\">")
        .nth(1)
        .and_then(|t| t.split("</pre>").next())
        .unwrap_or_else(|| panic!("the harness did not run:\n{dom}"));
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        !value.is_null(),
        "the page in its frame did not run the harness"
    );
    Some(value)
}

/// What the entries table and the cards show, as the harness reads them: for each row and
/// each card in page order, its id and whether it takes up room on the screen.
const SHOWN: &str = "
  function vis(el) { if (!el) return false; var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; }
  function state() { return {
    rows: [].map.call(document.querySelectorAll('#entries tbody tr'), function (r) {
      return { id: r.getAttribute('data-detail'), visible: vis(r) }; }),
    cards: [].map.call(document.querySelectorAll('#details article'), function (a) {
      return { id: a.id, visible: vis(a) }; }) }; }
  function status(v) { var s = document.getElementById('status'); s.value = v;
    s.dispatchEvent(new Event('change')); return state(); }
";

fn visible(state: &serde_json::Value, what: &str) -> Vec<String> {
    state[what]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["visible"] == true)
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn html_report_filters_sorts_and_shows_what_a_jury_acts_on() {
    let dir = tempfile::tempdir().unwrap();
    jury_intake(dir.path());
    let page = dir.path().join("out").join("report.html");
    std::fs::create_dir(page.parent().unwrap()).unwrap();
    let (code, _, err) = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    // e0 good, e1 warn, e2 short, e3 sora, e4 broken: the verdicts the filters work on.
    for (i, verdict) in ["pass", "warn", "fail", "fail", "error"].iter().enumerate() {
        assert!(
            html.contains(&format!(
                "id=\"row{i}\" data-detail=\"e{i}\" data-status=\"{}\" data-verdict=\"{verdict}\"",
                if *verdict == "warn" { "pass" } else { verdict }
            )),
            "row {i} is {verdict}"
        );
    }

    let script = format!(
        "{SHOWN}
         var out = {{ initial: state() }};
         out.failed = status('fail'); out.unreadable = status('error');
         out.passed = status('pass'); out.warned = status('warn'); status('');
         document.querySelector('.count.warned').click(); out.warned_by_count = state();
         document.querySelector('.count.warned').click();
         document.querySelector('th[data-key=runtime]').click();
         document.querySelector('th[data-key=runtime]').click(); out.longest_first = state();
         out.rule_names = [].map.call(document.querySelectorAll('#row2 .rule, #row3 .rule'),
           function (s) {{ return vis(s) ? s.textContent : null; }});
         out.provenance = [].map.call(document.querySelectorAll('#e3 .evidence li'),
           function (li) {{ return vis(li) ? li.textContent : null; }});
         out.provenance_cell = document.querySelector('#row3 .prov').textContent;
         out.fix = vis(document.querySelector('#e2 .fix')) &&
           document.querySelector('#e2 .fix').textContent;
         out.loudness = [].map.call(document.querySelectorAll('#e0 svg.loudness'), function (s) {{
           return {{ visible: vis(s), points: +s.getAttribute('data-points'),
             path: s.querySelector('path').getAttribute('d').length }}; }});
         return out;"
    );
    let Some(out) = in_chromium(&page, &script) else {
        return;
    };
    // Problems first: the failures and the unreadable file, then the warning, then the pass.
    let all: Vec<String> = [2, 3, 4, 1, 0].iter().map(|i| format!("e{i}")).collect();
    assert_eq!(visible(&out["initial"], "rows"), all);
    assert_eq!(visible(&out["initial"], "cards"), all);
    // Each filter shows its entries, in the table and in the cards alike; a pass with
    // warnings is not counted among the passes.
    for (key, ids) in [
        ("failed", vec!["e2", "e3"]),
        ("unreadable", vec!["e4"]),
        ("passed", vec!["e0"]),
        ("warned", vec!["e1"]),
        ("warned_by_count", vec!["e1"]),
    ] {
        assert_eq!(visible(&out[key], "rows"), ids, "{key}: {}", out[key]);
        assert_eq!(visible(&out[key], "cards"), ids, "{key}: {}", out[key]);
    }
    // Sorted by runtime, longest first: the cards follow the table; the unreadable file,
    // whose runtime is unknown, goes last.
    let rows = visible(&out["longest_first"], "rows");
    assert_eq!(rows, visible(&out["longest_first"], "cards"));
    assert_eq!(rows[3..], ["e2", "e4"], "{rows:?}");
    // The failing rules by name in the table; the evidence and the fix on the cards.
    let names = out["rule_names"].as_array().unwrap();
    assert!(names.contains(&"runtime.min".into()), "{names:?}");
    assert!(
        names.contains(&"provenance.no_ai_declared".into()),
        "{names:?}"
    );
    assert_eq!(out["provenance_cell"], "AI declared");
    let evidence = out["provenance"].to_string();
    assert!(evidence.contains("OpenAI Sora"), "{evidence}");
    let fix = out["fix"].as_str().unwrap();
    assert!(
        fix.contains("How to fix it") && fix.contains("Premiere Pro"),
        "{fix}"
    );
    // The loudness line of the good film: a second a point over its 61 seconds.
    let line = &out["loudness"][0];
    assert_eq!(line["visible"], true, "{out}");
    assert!(line["points"].as_u64().unwrap() >= 60, "{line}");
    assert!(line["path"].as_u64().unwrap() > 500, "{line}");
}

/// Headless Chromium's screenshot of `url` (1000 pixels wide) as RGB pixels, via ffmpeg.
fn chromium_pixels(url: &str, dir: &Path) -> Option<Vec<u8>> {
    let browser = browser()?;
    let shot = dir.join("shot.png");
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .args([
            "120",
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args([
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let raw = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&shot)
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .unwrap();
    assert!(raw.status.success());
    Some(raw.stdout)
}

/// How many pixels are within `tol` of `rgb` on each channel.
fn pixels_like(pixels: &[u8], rgb: [u8; 3], tol: u8) -> usize {
    pixels
        .chunks_exact(3)
        .filter(|p| (0..3).all(|c| p[c].abs_diff(rgb[c]) <= tol))
        .count()
}

#[test]
fn per_entry_pages_are_one_safe_self_contained_page_per_film() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("in");
    copy_into(&crate::samples::good(), &films, "Good Film (final).mp4");
    copy_into(
        &film("short-3s.mp4", 3),
        &films,
        "<img src=x onerror=alert(1)>.mp4",
    );
    std::fs::write(films.join("été 2024!.mp4"), b"not a film").unwrap();
    let pages = dir.path().join("pages");
    let (code, out, err) = run(&[
        "check",
        films.to_str().unwrap(),
        "--per-entry",
        pages.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("FAIL"),
        "the report itself still goes to stdout: {out}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    // Each page is named for its film (accents kept) and a code of its entry's identity.
    let named = |stem: &str| -> String {
        names
            .iter()
            .find(|n| {
                n.strip_prefix(stem)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .and_then(|rest| rest.strip_suffix(".html"))
                    .is_some_and(|code| {
                        code.len() == 8 && code.bytes().all(|b| b.is_ascii_hexdigit())
                    })
            })
            .unwrap_or_else(|| panic!("no page for {stem} in {names:?}"))
            .clone()
    };
    assert_eq!(names.len(), 3, "{names:?}");
    let names = [
        named("img_src_x_onerror_alert_1"),
        named("Good_Film_final"),
        named("été_2024"),
    ];
    for name in &names {
        let page = std::fs::read_to_string(pages.join(name)).unwrap();
        assert_eq!(page.matches("<article").count(), 1, "{name}: one entry");
        assert!(
            !page.contains("id=\"entries\""),
            "{name}: no table of others"
        );
        for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
            assert!(!page.contains(external), "{name}: {external}");
        }
    }
    let hostile = std::fs::read_to_string(pages.join(&names[0])).unwrap();
    assert!(hostile.contains("&lt;img src=x onerror=alert(1)&gt;.mp4"));
    assert!(!hostile.contains("<img src=x"));
    assert!(hostile.contains("data-rule=\"runtime.min\""));
    let unreadable = std::fs::read_to_string(pages.join(&names[2])).unwrap();
    assert!(unreadable.contains("Could not be checked"), "{unreadable}");

    // The good film's page as a browser paints it: its badge and its loudness line.
    let good = pages.join(&names[1]);
    let Some(pixels) = chromium_pixels(&format!("file://{}", good.display()), dir.path()) else {
        return;
    };
    // The name's spaces make it a pass with warnings: an amber badge.
    let badge = pixels_like(&pixels, [0xb2, 0x6a, 0x00], 12);
    // The line's blue is nowhere else on the page (the poster's blue bar is pure blue).
    let line = pixels_like(&pixels, [0x1a, 0x73, 0xe8], 40);
    assert!(badge > 1000, "the amber badge is painted ({badge} pixels)");
    assert!(line > 150, "the loudness line is painted ({line} pixels)");
}

/// The share of a JPEG's pixels brighter than mid-grey.
fn bright_share(jpeg: &[u8], dir: &Path) -> f64 {
    let file = dir.join("pic.jpg");
    std::fs::write(&file, jpeg).unwrap();
    let raw = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&file)
        .args(["-f", "rawvideo", "-pix_fmt", "gray", "-"])
        .output()
        .unwrap();
    assert!(raw.status.success());
    raw.stdout.iter().filter(|&&p| p > 128).count() as f64 / raw.stdout.len() as f64
}

#[test]
fn the_credits_picture_is_taken_inside_scrolling_credits() {
    // The good film ends on 12 s of white names scrolling up over black: at their start a
    // single line enters at the bottom; in the middle the screen is full of names.
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&crate::samples::good(), dir.path(), "film.mp4");
    let (code, html, err) = run(&["check", film.to_str().unwrap(), "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let caption = html
        .split("<figcaption>Credits at ")
        .nth(1)
        .and_then(|c| c.split("</figcaption>").next())
        .unwrap_or_else(|| panic!("no credits picture:\n{html}"));
    let (at, span) = caption.split_once(" (they run ").unwrap();
    let (start, end) = span.trim_end_matches(')').split_once(" to ").unwrap();
    let secs = |t: &str| -> f64 {
        let t = t.trim_end_matches(" s");
        match t.split_once(':') {
            Some((m, s)) => m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap(),
            None => t.parse().unwrap(),
        }
    };
    let (at, start, end) = (secs(at), secs(start), secs(end));
    assert!((at - (start + end) / 2.0).abs() < 0.6, "{caption}");

    let b64 = html
        .split("alt=\"Credits at ")
        .next()
        .and_then(|before| before.rsplit("base64,").next())
        .and_then(|t| t.split('"').next())
        .unwrap();
    use base64::Engine as _;
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let inside = bright_share(&jpeg, dir.path());
    // The same film a second into its credits, where the old picture was taken.
    let first = dir.path().join("first.jpg");
    let grab = Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-ss",
            &format!("{}", start + 1.0),
            "-i",
        ])
        .arg(&film)
        .args(["-frames:v", "1", "-vf", "scale=320:-2"])
        .arg(&first)
        .output()
        .unwrap();
    assert!(grab.status.success());
    let at_start = bright_share(&std::fs::read(&first).unwrap(), dir.path());
    assert!(
        inside > 2.0 * at_start && inside > 0.01,
        "names fill the middle of the credits ({inside:.4}) more than their start ({at_start:.4})"
    );
}

#[test]
fn per_entry_pages_come_with_every_format_and_with_merge() {
    let dir = tempfile::tempdir().unwrap();
    intake(dir.path());
    let d = dir.path().to_str().unwrap();
    let pages = |name: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(name))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    // JSON Lines go out as files finish; the pages follow at the end.
    let lines = dir.path().join("lines");
    let (code, out, err) = run(&[
        "check",
        d,
        "--format",
        "jsonl",
        "--no-pictures",
        "--per-entry",
        lines.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out.lines().count(),
        4,
        "three entries and the run's closing record"
    );
    // The same entry gets the same page name whichever run or command writes it.
    let want = pages("lines");
    assert_eq!(want.len(), 3, "{want:?}");
    for stem in ["broken-", "pass-", "short-"] {
        assert!(want.iter().any(|n| n.starts_with(stem)), "{want:?}");
    }
    // merge makes them from a saved report.
    let saved = dir.path().join("r.json");
    let (code, _, err) = run(&["check", d, "-o", saved.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let merged = dir.path().join("merged");
    let (code, _, err) = run(&[
        "merge",
        saved.to_str().unwrap(),
        "--format",
        "json",
        "--no-pictures",
        "--per-entry",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(pages("merged"), want);
    let short = want.iter().find(|n| n.starts_with("short-")).unwrap();
    let page = std::fs::read_to_string(merged.join(short)).unwrap();
    assert!(
        page.contains("runtime.min") && page.contains("How to fix it"),
        "{page}"
    );
    // A DIR that cannot be made is a wrong command, found before any work.
    let file = dir.path().join("pass.mp4");
    let (code, _, err) = run(&["check", d, "--per-entry", file.join("x").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--per-entry: cannot make"), "{err}");
}

#[test]
fn a_submission_value_in_a_message_stays_escaped() {
    // A rule may quote what the file has ({actual}); a hostile title must not become markup,
    // a terminal command or a line of its own.
    let base = film("pass-61s.mp4", 61);
    let hostile = media(
        "rep-hostile-title.mkv",
        &[
            "-i",
            base.to_str().unwrap(),
            "-c",
            "copy",
            "-metadata",
            "title=\x1b[2J<script>x</script>\nFAKE   line",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("fest.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"title\"\nfact = \"container.tags.title\"\nop = \"eq\"\nvalue = \"x\"\n\
         severity = \"error\"\nmessage = \"The title is {actual}.\"\nfix = \"Retitle it.\"\n",
    )
    .unwrap();
    let r = rules.to_str().unwrap();
    let f = hostile.to_str().unwrap();
    let (code, text, err) = run(&["check", "--rules", r, f]);
    assert_eq!(code, 1, "{err}");
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(!text.lines().any(|l| l.starts_with("FAKE")), "{text}");
    assert!(text.contains("The title is "), "{text}");
    let (_, html, _) = run(&[
        "check",
        "--rules",
        r,
        "--format",
        "html",
        "--no-pictures",
        f,
    ]);
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script>x"));
}

#[test]
fn per_entry_pages_of_an_earlier_run_do_not_stay_beside_the_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("in");
    copy_into(&film("short-3s.mp4", 3), &films, "Été.mp4");
    copy_into(&film("pass-61s.mp4", 61), &films, "kept.mp4");
    let pages = dir.path().join("pages");
    let list = |p: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let check = || {
        run(&[
            "check",
            "--no-pictures",
            films.to_str().unwrap(),
            "--per-entry",
            pages.to_str().unwrap(),
        ])
    };
    assert_eq!(check().0, 1);
    let first = list(&pages);
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.iter().any(|n| n.starts_with("Été-")), "{first:?}");
    // A page of the organizer's own is never touched.
    std::fs::write(pages.join("notes.html"), "mine").unwrap();
    // The failing film is replaced by a fixed one under another name, and a new film arrives
    // whose name sorts first: the kept film's page keeps its name, the stale FAIL page goes.
    std::fs::remove_file(films.join("Été.mp4")).unwrap();
    copy_into(&film("pass-61s.mp4", 61), &films, "Été (fixed).mp4");
    copy_into(&film("pass-61s.mp4", 61), &films, "aaa.mp4");
    assert_eq!(check().0, 0);
    let second = list(&pages);
    assert_eq!(second.len(), 4, "{second:?}");
    let kept = first.iter().find(|n| n.starts_with("kept-")).unwrap();
    assert!(second.contains(kept), "{second:?}");
    assert!(!second.iter().any(|n| n.starts_with("Été-")), "{second:?}");
    assert!(
        second.iter().any(|n| n.starts_with("Été_fixed-")),
        "{second:?}"
    );
    assert!(second.contains(&"notes.html".to_string()));
    for name in second.iter().filter(|n| *n != "notes.html") {
        let page = std::fs::read_to_string(pages.join(name)).unwrap();
        assert!(
            !page.contains("data-status=\"fail\""),
            "{name} is a stale FAIL page"
        );
    }
}

//! The HTML report and the per-entry pages as people read them, laid out by headless Chromium at
//! 1400, 1024 and 390 CSS pixels: problems first, counts that add up, the tally of problems by
//! rule filtering the table, the failed rules in view on a 1024-pixel screen, an entry's page
//! readable on a phone and free of what only the organizer should see.

use crate::reports::in_chromium_at;
use crate::support::*;
use std::path::{Path, PathBuf};

/// A festival of two tracks, with the organizer's own rule file (a lower loudness limit) for
/// one, and its intake: in `human/` a clean pass, a pass with warnings, a film too short and a
/// file that is not a film; in `doc/` the clean film again, louder than its track's own
/// (warning) limit.
fn festival_intake(dir: &Path) -> (PathBuf, PathBuf) {
    let intake = dir.join("organizer-only").join("intake");
    let human = intake.join("human");
    let doc = intake.join("doc");
    let good = crate::samples::good();
    copy_into(&good, &human, "a-good.mp4");
    copy_into(&film("pass-61s.mp4", 61), &human, "b-warn.mp4");
    copy_into(&film("short-3s.mp4", 3), &human, "c-short.mp4");
    std::fs::write(human.join("d-broken.mp4"), b"not a film at all").unwrap();
    copy_into(&good, &doc, "Été à Paris.mp4");
    let rules = dir.join("secret-doc-rules-v3.toml");
    std::fs::write(
        &rules,
        "name = \"doc\"\ntrack = \"doc\"\nextends = \"human\"\n\n\
         [[override]]\nid = \"audio.loudness.max\"\nvalue = \"-40 LUFS\"\n",
    )
    .unwrap();
    let festival = dir.join("festival.toml");
    std::fs::write(
        &festival,
        "name = \"Northern Lights 2027\"\n\
         contact = \"Questions: tech@northernlights.example\"\n\
         [tracks.human]\ntitle = \"Human-made films\"\nrules = \"human\"\n\
         [tracks.doc]\ntitle = \"Documentary\"\nrules = \"secret-doc-rules-v3.toml\"\n",
    )
    .unwrap();
    (intake, festival)
}

/// Layout facts of the report, measured by the page itself in the browser.
const MEASURE: &str = "
  function box(el) { if (!el) return null; var r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top + scrollY, width: r.width, height: r.height }; }
  function vis(el) { var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  function rows() { return [].filter.call(document.querySelectorAll('#entries tbody tr'), vis)
    .map(function (r) { return r.getAttribute('data-detail'); }); }
  function cards() { return [].filter.call(document.querySelectorAll('#details article'), vis)
    .map(function (a) { return a.id; }); }
  var doc = document.scrollingElement;
  var out = {
    viewport: innerWidth,
    page_width: doc.scrollWidth,
    table_wrap: (function (w) { return { scroll: w.scrollWidth, client: w.clientWidth }; })(
      document.querySelector('.table-wrap')),
    issues_head: box(document.querySelector('th[data-key=issues]')),
    header: box(document.querySelector('header')), summary: box(document.getElementById('summary')),
    tally: box(document.getElementById('tally')), table: box(document.getElementById('entries')),
    details: box(document.getElementById('details')),
    verdicts: [].map.call(document.querySelectorAll('#entries tbody tr'), function (r) {
      return r.getAttribute('data-verdict'); }),
    counts: [].map.call(document.querySelectorAll('#summary .count'), function (c) {
      return [c.className, +c.getAttribute('data-count')]; }),
    h1: document.querySelector('h1').textContent,
    tracks: document.getElementById('rules').textContent,
    limits: [].map.call(document.querySelectorAll('svg.loudness'), function (s) {
      return [s.closest('article').id, [].map.call(s.querySelectorAll('g.limit'), function (g) {
        return g.getAttribute('data-side') + ' ' + g.getAttribute('data-lufs'); })]; }),
    all_rows: rows(), all_cards: cards()
  };
  var t = document.querySelector('.tally-rule[data-rule=\"runtime.min\"]');
  out.tally_count = +t.getAttribute('data-count');
  t.click(); out.by_rule = { rows: rows(), cards: cards(), hash: location.hash };
  t.click(); out.after_second_click = rows();
  document.querySelector('.count.warned').click(); out.by_warned = rows();
  return out;
";

/// Checks the festival intake made in `dir` with tracks from its folders, writing what `out`
/// asks for; one entry fails, so the run exits 1.
fn check_festival(dir: &Path, out: &[&str]) {
    let (intake, festival) = festival_intake(dir);
    let mut args = vec![
        "check",
        intake.to_str().unwrap(),
        "--festival",
        festival.to_str().unwrap(),
        "--track-from",
        "folder",
    ];
    args.extend_from_slice(out);
    let (code, _, err) = run(&args);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn the_report_puts_problems_first_and_fits_a_1024_pixel_screen() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    check_festival(dir.path(), &["-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    // Path order: e0 doc/Été (a warning: too loud for its track), e1 good, e2 warn, e3 short,
    // e4 broken.
    let mut results = Vec::new();
    for width in [1400, 1024, 390] {
        let Some(out) = in_chromium_at(&page, MEASURE, width) else {
            return;
        };
        results.push((width, out));
    }
    for (width, out) in &results {
        let ctx = format!("at {width} px: {out}");
        // Problems first: failed and unreadable, then warnings, then passes.
        assert_eq!(
            out["verdicts"],
            serde_json::json!(["fail", "error", "warn", "warn", "pass"]),
            "{ctx}"
        );
        assert_eq!(
            out["all_rows"],
            serde_json::json!(["e3", "e4", "e0", "e2", "e1"])
        );
        assert_eq!(
            out["all_rows"], out["all_cards"],
            "the cards follow the table"
        );
        // The festival and its tracks at the top; then the counts, the tally, the table and
        // the cards, in that order down the page.
        assert_eq!(out["h1"], "Northern Lights 2027", "{ctx}");
        let tracks = out["tracks"].as_str().unwrap();
        assert!(
            tracks.contains("Human-made films") && tracks.contains("Documentary"),
            "{tracks}"
        );
        let top = |k: &str| out[k]["top"].as_f64().unwrap();
        assert!(
            top("header") < top("summary")
                && top("summary") < top("tally")
                && top("tally") < top("table")
                && top("table") < top("details"),
            "{ctx}"
        );
        // Counts that do not overlap add up to the entries.
        let counts = out["counts"].as_array().unwrap();
        let n = |class: &str| {
            counts
                .iter()
                .find(|c| c[0].as_str().unwrap().split(' ').any(|w| w == class))
                .map(|c| c[1].as_u64().unwrap())
                .unwrap()
        };
        assert_eq!(
            (n("failed"), n("errors"), n("warned"), n("passed")),
            (1, 1, 2, 1),
            "{ctx}"
        );
        assert_eq!(
            n("failed") + n("errors") + n("warned") + n("passed"),
            n("files")
        );
        // The tally shows the entries that failed the rule clicked, and all again when
        // clicked twice; the counts filter as well.
        assert_eq!(out["tally_count"], 1);
        assert_eq!(out["by_rule"]["rows"], serde_json::json!(["e3"]), "{ctx}");
        assert_eq!(out["by_rule"]["cards"], serde_json::json!(["e3"]), "{ctx}");
        assert_eq!(out["by_rule"]["hash"], "#rule=runtime.min");
        assert_eq!(out["after_second_click"], out["all_rows"]);
        assert_eq!(out["by_warned"], serde_json::json!(["e0", "e2"]), "{ctx}");
        // The loudness limits are the track's own: the documentary's -40 LUFS override, the
        // human track's -16.
        let limits = out["limits"].to_string();
        assert!(
            limits.contains("[\"e0\",[\"min -31\",\"max -40\"]]"),
            "{limits}"
        );
        assert!(
            limits.contains("[\"e1\",[\"min -31\",\"max -16\"]]"),
            "{limits}"
        );
    }
    for (width, out) in &results[..2] {
        // No sideways scrolling, of the page or of the table, and the failed rules in view.
        let ctx = format!("at {width} px: {out}");
        assert!(
            out["page_width"].as_f64() <= out["viewport"].as_f64(),
            "{ctx}"
        );
        assert!(
            out["table_wrap"]["scroll"].as_f64() <= out["table_wrap"]["client"].as_f64(),
            "{ctx}"
        );
        let issues = &out["issues_head"];
        assert!(
            issues["right"].as_f64().unwrap() <= f64::from(*width),
            "the failed rules column ends off-screen: {ctx}"
        );
    }
    // On a phone the page itself does not scroll sideways (the table scrolls in its box).
    let (_, phone) = &results[2];
    assert!(
        phone["page_width"].as_f64() <= phone["viewport"].as_f64(),
        "{phone}"
    );
    // The page reads without its script: the rows are in the HTML in the same order.
    let order: Vec<usize> = [
        "id=\"row3\"",
        "id=\"row4\"",
        "id=\"row0\"",
        "id=\"row2\"",
        "id=\"row1\"",
    ]
    .iter()
    .map(|id| html.find(id).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

/// What a filmmaker's page looks like in the browser.
const ENTRY: &str = "
  var doc = document.scrollingElement;
  var findings = [].map.call(document.querySelectorAll('.finding'), function (f) {
    var r = f.getBoundingClientRect(); return { rule: f.getAttribute('data-rule'), width: r.width,
      right: r.right, message_width: f.querySelector('.message').getBoundingClientRect().width }; });
  return { viewport: innerWidth, page_width: doc.scrollWidth, findings: findings,
    festival: (document.querySelector('.festival') || {}).textContent,
    contact: (document.getElementById('contact') || {}).textContent,
    text: document.body.innerText };
";

#[test]
fn an_entry_page_reads_on_a_phone_and_keeps_the_organizer_to_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    check_festival(dir.path(), &["--per-entry", pages.to_str().unwrap()]);
    let names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let page = |stem: &str| -> PathBuf {
        pages.join(
            names
                .iter()
                .find(|n| n.starts_with(stem))
                .unwrap_or_else(|| panic!("no {stem} page in {names:?}")),
        )
    };
    // Accents kept in the page's name.
    let doc_page = page("Été_à_Paris-");
    let short_page = page("c-short-");
    let broken_page = page("d-broken-");
    for p in [&doc_page, &short_page, &broken_page] {
        let html = std::fs::read_to_string(p).unwrap();
        // Nothing the organizer keeps to themselves: their folders, their rule file's name.
        for internal in [
            "organizer-only",
            "secret-doc-rules",
            dir.path().to_str().unwrap(),
        ] {
            assert!(!html.contains(internal), "{internal} on {}", p.display());
        }
        assert!(html.contains("Northern Lights 2027"), "{}", p.display());
        assert!(
            html.contains("Questions: tech@northernlights.example"),
            "{}",
            p.display()
        );
    }
    let doc = std::fs::read_to_string(&doc_page).unwrap();
    assert!(doc.contains("Documentary"), "the track's title");

    for width in [390, 1024] {
        let Some(out) = in_chromium_at(&short_page, ENTRY, width) else {
            return;
        };
        let ctx = format!("at {width} px: {out}");
        assert!(
            out["page_width"].as_f64() <= out["viewport"].as_f64(),
            "{ctx}"
        );
        let findings = out["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["rule"] == "runtime.min"), "{ctx}");
        for f in findings {
            // The findings take the width of the screen, not a squeezed column.
            assert!(f["width"].as_f64().unwrap() >= 200.0, "{ctx}");
            assert!(f["message_width"].as_f64().unwrap() >= 200.0, "{ctx}");
            assert!(f["right"].as_f64().unwrap() <= f64::from(width), "{ctx}");
        }
        assert_eq!(out["festival"], "Northern Lights 2027");
        assert_eq!(out["contact"], "Questions: tech@northernlights.example");
        let text = out["text"].as_str().unwrap();
        assert!(text.contains("How to fix it"), "{text}");
    }
}

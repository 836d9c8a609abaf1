//! The report of a run, for the organizer and the jury: the festival and its tracks, counts
//! that do not overlap, a tally of problems by rule (each a link that filters the table), the
//! table of entries with problems first, and every entry's card in the same order.

use super::card::{self, Audience};
use super::{badge, document, file_name, plural, provenance_said, sets, status_word, Verdict};
use crate::report::pictures::Pictures;
use crate::verdict::{FileReport, FileStatus, Report, RuleStatus, Severity};
use maud::{html, Markup};
use reelcheck_facts::units::{show_duration, trim_num};
use std::collections::{BTreeMap, BTreeSet};

pub fn page(report: &Report, pictures: &BTreeMap<String, Pictures>) -> Markup {
    let s = &report.summary;
    let title = match &report.festival {
        Some(f) => format!(
            "{}: technical check of {}",
            f.name,
            plural(s.files, "entry", "entries")
        ),
        None => format!("reelcheck report: {}", plural(s.files, "entry", "entries")),
    };
    // Problems first, then warnings, then passes; the path order within each.
    let mut order: Vec<usize> = (0..report.files.len()).collect();
    order.sort_by_key(|&i| (Verdict::of(&report.files[i]).rank(), i));
    maud::PreEscaped(document(
        &title,
        html! {
            (header(report))
            (summary(report))
            (tally(report))
            (controls(report))
            div.table-wrap {
                table #entries {
                    thead { tr {
                        @for (key, head, num) in COLUMNS {
                            th data-key=(key) data-type=(if *num { "num" } else { "text" }) scope="col" { (head) }
                        }
                    } }
                    tbody {
                        @for &i in &order { (row(i, &report.files[i])) }
                    }
                }
            }
            (crate::report::similar::html(report, pictures))
            section #details {
                @for &i in &order {
                    (card::card(i, &report.files[i], pictures.get(&report.files[i].path), Audience::Organizer))
                }
            }
            footer {
                "Made by reelcheck " (env!("CARGO_PKG_VERSION")) ". Sort by clicking a column; filters are kept in the address, so a filtered view can be shared as a link."
            }
        },
    ))
}

/// The festival's name and its tracks, each with the rules that checked it.
fn header(report: &Report) -> Markup {
    html! {
        header #top {
            @if let Some(f) = &report.festival {
                h1 { (f.name) }
                p.meta { "Technical check of the entries by reelcheck" }
            } @else {
                h1 { "reelcheck report" }
            }
            ul.tracks #rules {
                @for set in sets(report) {
                    li {
                        @if let Some(track) = &set.track {
                            b { (set.title.as_deref().unwrap_or(track)) }
                            " (track " (track) "): "
                        } @else {
                            b { "Rules" } ": "
                        }
                        (set.name) " (" (set.source) ")"
                    }
                }
            }
        }
    }
}

/// Counts that add up to the entries: each entry is in exactly one.
fn summary(report: &Report) -> Markup {
    let mut count = BTreeMap::new();
    for f in &report.files {
        *count.entry(Verdict::of(f)).or_insert(0usize) += 1;
    }
    let n = |v: Verdict| count.get(&v).copied().unwrap_or(0);
    let s = &report.summary;
    html! {
        section.summary #summary {
            div.count.files data-count=(s.files) { b { (s.files) } (if s.files == 1 { "entry" } else { "entries" }) }
            @for (v, class, label) in [
                (Verdict::Fail, "failed", "failed"),
                (Verdict::Error, "errors", "could not be checked"),
                (Verdict::Warn, "warned", "passed with warnings"),
                (Verdict::Pass, "passed", "passed"),
            ] {
                a class={ "count " (class) } href={ "#status=" (v.word()) } data-filter=(v.word()) data-count=(n(v)) {
                    b { (n(v)) } (label)
                }
            }
            @if n(Verdict::Ignored) > 0 {
                div.count.ignored data-count=(n(Verdict::Ignored)) { b { (n(Verdict::Ignored)) } "not checked (ignored)" }
            }
        }
        @if let Some(skipped) = s.skipped.sentence() {
            p.meta #skipped {
                "Skipped: " (skipped)
                @match s.provisional {
                    0 => {},
                    1 => "; 1 verdict is not final (requirements left unchecked)",
                    n => { "; " (n) " verdicts are not final (requirements left unchecked)" },
                }
            }
        }
    }
}

/// Problems by rule: how many entries each failed rule concerns, errors first, each a link
/// that shows those entries alone (a plain list without JavaScript).
fn tally(report: &Report) -> Markup {
    let mut by_rule: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for f in &report.files {
        let ids: BTreeSet<(Severity, &str)> = f
            .results
            .iter()
            .filter(|r| r.status == RuleStatus::Fail && r.severity != Severity::Info)
            .map(|r| (r.severity, r.id.as_str()))
            .collect();
        for id in ids {
            *by_rule.entry(id).or_default() += 1;
        }
    }
    let mut rows: Vec<((Severity, &str), usize)> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| {
        b.0 .0
            .cmp(&a.0 .0)
            .then(b.1.cmp(&a.1))
            .then(a.0 .1.cmp(b.0 .1))
    });
    let unreadable = report
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Error)
        .count();
    html! {
        @if !rows.is_empty() || unreadable > 0 {
            section.tally #tally {
                h2 { "Problems by rule" }
                ul {
                    @for ((sev, id), n) in &rows {
                        li {
                            a class={ "tally-rule " (sev.as_str()) } href={ "#rule=" (id) } data-rule=(id) data-count=(n) {
                                code { (id) } " " span.n { (plural(*n, "entry", "entries")) }
                            }
                        }
                    }
                    @if unreadable > 0 {
                        li {
                            a.tally-rule.unreadable href="#status=error" data-filter="error" data-count=(unreadable) {
                                "could not be checked " span.n { (plural(unreadable, "entry", "entries")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn controls(report: &Report) -> Markup {
    let tracks: BTreeSet<&str> = report
        .files
        .iter()
        .filter_map(|f| f.entry.track.as_deref())
        .collect();
    let n = report.files.len();
    html! {
        div.controls {
            input #q type="search" placeholder="Filter by file, id, title or rule" aria-label="Filter";
            select #status aria-label="Status" {
                option value="" { "All statuses" }
                option value="fail" { "Failed" }
                option value="error" { "Could not be checked" }
                option value="warn" { "Passed with warnings" }
                option value="pass" { "Passed" }
            }
            @if !tracks.is_empty() {
                select #track aria-label="Track" {
                    option value="" { "All tracks" }
                    @for t in tracks { option value=(t) { (t) } }
                }
            }
            span.rule-filter #rule-filter hidden { }
            span.shown #shown data-visible=(n) { (n) " of " (n) " entries" }
        }
    }
}

/// The columns of the entries table: key (for sorting and the URL), heading, numeric. The
/// failed rules come right after the entry, so that they stay on a narrow screen.
const COLUMNS: &[(&str, &str, bool)] = &[
    ("status", "Status", false),
    ("entry", "Entry", false),
    ("issues", "Failed rules", true),
    ("track", "Track", false),
    ("runtime", "Runtime", true),
    ("codec", "Codec", false),
    ("resolution", "Resolution", true),
    ("loudness", "Loudness", true),
    ("credits", "Credits", true),
    ("provenance", "Provenance", false),
];

/// One table cell: what to show, the value to sort by ("" = unknown), and its class.
fn cell(class: &str, sort: &str, shown: Markup) -> Markup {
    html! { td class=[(!class.is_empty()).then_some(class)] data-v=(sort) { (shown) } }
}

fn num(v: Option<f64>, shown: impl Fn(f64) -> String) -> Markup {
    match v.filter(|v| v.is_finite()) {
        Some(v) => cell("num", &v.to_string(), html! { (shown(v)) }),
        None => cell("num", "", html! { "—" }),
    }
}

fn row(i: usize, f: &FileReport) -> Markup {
    let facts = &f.facts;
    let status = status_word(f.status);
    let verdict = Verdict::of(f);
    let v = facts.video.first();
    let a = facts.audio.first();
    let errors = f.failures(Severity::Error).count();
    let warnings = f.failures(Severity::Warning).count();
    let duration = facts.container.as_ref().and_then(|c| c.duration_s);
    let lufs = a
        .and_then(|a| a.loudness.as_ref())
        .and_then(|l| l.integrated_lufs);
    let failed: Vec<_> = f
        .failures(Severity::Error)
        .chain(f.failures(Severity::Warning))
        .collect();
    let mut sub = Vec::new();
    if let Some(id) = &f.entry.id {
        sub.push(format!("#{id}"));
    }
    if let Some(t) = &f.entry.title {
        sub.push(t.clone());
    }
    let codec = [v.map(|v| v.codec.as_str()), a.map(|a| a.codec.as_str())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
    let provenance = facts.provenance.as_ref();
    let mut haystack = vec![f.path.clone(), status.to_string()];
    haystack.extend(f.entry.id.clone());
    haystack.extend(f.entry.title.clone());
    haystack.extend(f.entry.track.clone());
    haystack.extend(f.error.clone());
    haystack.extend(provenance.map(|p| provenance_said(&p.status).to_string()));
    haystack.extend(failed.iter().map(|r| r.id.clone()));
    let rules: Vec<&str> = failed.iter().map(|r| r.id.as_str()).collect();
    html! {
        tr class=(status) id={ "row" (i) } data-detail={ "e" (i) } data-status=(status)
            data-verdict=(verdict.word()) data-track=(f.entry.track.as_deref().unwrap_or(""))
            data-rules=(rules.join(" ")) data-text=(haystack.join(" ").to_lowercase()) {
            // Worst first when sorted ascending.
            (cell("", &verdict.rank().to_string(), badge(f)))
            (cell("entry", &file_name(f).to_lowercase(), html! {
                a href={ "#e" (i) } title=(f.path) { (file_name(f)) }
                @if !sub.is_empty() { div.sub { (sub.join(" · ")) } }
            }))
            // The rules by name, errors first: what a jury scans the table for. Sorted as a
            // number (errors, then warnings), but names read from the left.
            (cell("issues", &if f.status == FileStatus::Error { "1000000".to_string() } else { (errors * 1000 + warnings).to_string() }, html! {
                @if f.status == FileStatus::Error {
                    span.rule.unreadable { "could not be checked" }
                } @else if failed.is_empty() {
                    "—"
                } @else {
                    @for r in &failed {
                        span class={ "rule " (r.severity.as_str()) } title={ (r.severity.as_str()) ": " (r.message) } { (breakable(&r.id)) } " "
                    }
                }
            }))
            (cell("", &f.entry.track.clone().unwrap_or_default().to_lowercase(), html! { (f.entry.track.as_deref().unwrap_or("")) }))
            (num(duration, show_duration))
            (cell("", &codec.to_lowercase(), html! { (codec) }))
            @match v {
                Some(v) => (cell("num", &(f64::from(v.width) * f64::from(v.height)).to_string(), html! { (v.width) "×" (v.height) })),
                None => (cell("num", "", html! { "—" })),
            }
            (num(lufs, |l| format!("{} LUFS", trim_num(l, 1))))
            @match facts.credits.as_ref() {
                Some(c) if c.present => @match c.start_s {
                    Some(s) => (cell("num", &s.to_string(), html! { "from " (show_duration(s)) })),
                    None => (cell("num", "", html! { "yes" })),
                },
                Some(_) => (cell("num", "-1", html! { "none" })),
                None => (cell("num", "", html! { "—" })),
            }
            @match provenance {
                Some(p) => (cell("", provenance_said(&p.status), html! {
                    span class={ "prov " (p.status) } title=(p.evidence.join(" ")) { (provenance_said(&p.status)) }
                    // A generator named in free text is no proof, but the organizer must see
                    // it without looking for it.
                    @if let (Some(m), false) = (&p.ai_mentions, p.status == "declared-ai") {
                        " " span.prov.mentioned title=(m) { "AI mentioned" }
                    }
                })),
                None => (cell("", "", html! { "—" })),
            }
        }
    }
}

/// A rule id that a narrow column breaks after its dots and underscores, not inside a word.
fn breakable(id: &str) -> Markup {
    html! {
        @for (k, part) in id.split_inclusive(['.', '_']).enumerate() {
            @if k > 0 { wbr; }
            (part)
        }
    }
}

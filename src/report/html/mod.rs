//! The HTML report: one self-contained page (inline CSS, JS and pictures as data: URIs) that
//! works offline and can be sent by email. A summary, a sortable and filterable table of the
//! entries, and per entry a card with its failing and warning rules, how to fix them, what the
//! file says about how it was made, and pictures where people would rather look than read.
//! `entry_page` makes one entry's card a page of its own, to send to its filmmaker. All text
//! from files and reports goes through `esc`.

mod loudness;

use crate::report::pictures::{Picture, Pictures};
use crate::report::Exporter;
use crate::verdict::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleStatus};
use base64::Engine as _;
use reelcheck_facts::units::{show_duration, trim_num};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

#[derive(Default)]
pub struct Html {
    /// Pictures by file path, grabbed beforehand (see `report::pictures`).
    pub pictures: BTreeMap<String, Pictures>,
}

impl Exporter for Html {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = String::with_capacity(64 * 1024);
        page(&mut out, report, &self.pictures)?;
        Ok(out)
    }
}

/// Escapes text for HTML element content and quoted attribute values alike.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the status filter sees: a pass with failed warnings is "warn".
fn verdict(f: &FileReport) -> &'static str {
    match f.status {
        FileStatus::Pass if f.failures(Severity::Warning).next().is_some() => "warn",
        s => status_word(s),
    }
}

fn status_word(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Pass => "pass",
        FileStatus::Fail => "fail",
        FileStatus::Error => "error",
        FileStatus::Ignored => "ignored",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One entry's card as a page of its own, for its filmmaker: no table, no other entries.
pub fn entry_page(report: &Report, i: usize, pictures: Option<&Pictures>) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let _ = entry_page_into(&mut out, report, i, pictures);
    out
}

fn entry_page_into(
    out: &mut String,
    report: &Report,
    i: usize,
    pictures: Option<&Pictures>,
) -> std::fmt::Result {
    let Some(f) = report.files.get(i) else {
        return Ok(());
    };
    head(out, &format!("reelcheck: {}", file_name(f)))?;
    writeln!(
        out,
        "<header>\n<h1>Technical check of {}</h1>",
        esc(file_name(f))
    )?;
    let set = rule_set_of(report, f);
    writeln!(
        out,
        "<p class=\"meta\" id=\"rules\">Checked against the rules {} by reelcheck {}.</p>\n</header>",
        esc(&set),
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "<section id=\"details\">")?;
    detail(out, i, f, pictures)?;
    writeln!(out, "</section>")?;
    writeln!(out, "<script>\n{JS}</script>\n</body>\n</html>")
}

/// The rule set an entry was checked with, described for people.
fn rule_set_of(report: &Report, f: &FileReport) -> String {
    let sets = if report.rule_sets.is_empty() {
        std::slice::from_ref(&report.rule_set)
    } else {
        &report.rule_sets[..]
    };
    let set = sets
        .iter()
        .find(|s| s.track.is_some() && s.track == f.entry.track)
        .unwrap_or(&report.rule_set);
    match &set.track {
        Some(t) => format!("{} (track {t})", set.name),
        None => set.name.clone(),
    }
}

/// A file name for an entry's page that any file system takes, and that stays the same from
/// one run to the next whatever else is in the batch (so a page sent last week is replaced,
/// not joined, by this week's): the name's letters and digits in any script (accents kept),
/// dashes and underscores, then a short code of the entry's identity (its manifest id, else
/// its path), so that two entries never share a page.
pub fn entry_file_name(f: &FileReport) -> String {
    let stem = std::path::Path::new(file_name(f))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut safe = String::new();
    for c in stem.chars() {
        let c = if c.is_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        };
        if !(c == '_' && safe.ends_with('_')) {
            safe.push(c);
        }
        if safe.chars().count() >= 60 {
            break;
        }
    }
    let safe = safe.trim_matches('_');
    let code = identity_code(f.entry.id.as_deref().unwrap_or(&f.path));
    if safe.is_empty() {
        format!("{code}.html")
    } else {
        format!("{safe}-{code}.html")
    }
}

/// Eight hex digits of FNV-1a over `text`: a hash whose value is fixed by its definition, so a
/// page keeps its name across builds and machines (the standard library's hasher promises no
/// such thing).
fn identity_code(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

fn head(out: &mut String, title: &str) -> std::fmt::Result {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<meta name=\"generator\" content=\"reelcheck {}\">",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "<title>{}</title>", esc(title))?;
    writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>")
}

fn page(
    out: &mut String,
    report: &Report,
    pictures: &BTreeMap<String, Pictures>,
) -> std::fmt::Result {
    let s = &report.summary;
    head(
        out,
        &format!(
            "reelcheck report: {}, {} passed",
            plural(s.files, "entry", "entries"),
            s.passed
        ),
    )?;
    writeln!(out, "<header>\n<h1>reelcheck report</h1>")?;
    let sets = if report.rule_sets.is_empty() {
        std::slice::from_ref(&report.rule_set)
    } else {
        &report.rule_sets[..]
    };
    let described: Vec<String> = sets
        .iter()
        .map(|r| {
            // The track's title too, when the festival gives it one ("Documentary").
            let title = r
                .title
                .as_deref()
                .filter(|t| Some(*t) != r.track.as_deref());
            let track = match (r.track.as_deref(), title) {
                (Some(t), Some(title)) => format!(", track {t} \"{title}\""),
                (Some(t), None) => format!(", track {t}"),
                (None, _) => String::new(),
            };
            format!("{} ({}{track})", r.name, r.source)
        })
        .collect();
    writeln!(
        out,
        "<p class=\"meta\" id=\"rules\">Rules: {}</p>\n</header>",
        esc(&described.join("; "))
    )?;

    writeln!(out, "<section class=\"summary\" id=\"summary\">")?;
    let warned = report.files.iter().filter(|f| verdict(f) == "warn").count();
    for (class, n, label) in [
        (
            "files",
            s.files,
            if s.files == 1 { "entry" } else { "entries" },
        ),
        ("passed", s.passed, "passed"),
        ("warned", warned, "passed with warnings"),
        ("failed", s.failed, "failed"),
        ("errors", s.errors, "unreadable"),
        (
            "warnings",
            s.warnings,
            if s.warnings == 1 {
                "warning"
            } else {
                "warnings"
            },
        ),
    ] {
        let filter = match class {
            "passed" => " data-filter=\"pass\"",
            "warned" => " data-filter=\"warn\"",
            "failed" => " data-filter=\"fail\"",
            "errors" => " data-filter=\"error\"",
            _ => "",
        };
        writeln!(
            out,
            "<div class=\"count {class}\"{filter} data-count=\"{n}\"><b>{n}</b>{label}</div>"
        )?;
    }
    writeln!(out, "</section>")?;
    // What a quick check left out, as the text report says it.
    if let Some(skipped) = s.skipped.sentence() {
        let not_final = match s.provisional {
            0 => String::new(),
            1 => "; 1 verdict is not final (requirements left unchecked)".to_string(),
            n => format!("; {n} verdicts are not final (requirements left unchecked)"),
        };
        writeln!(
            out,
            "<p class=\"meta\" id=\"skipped\">Skipped: {}{}</p>",
            esc(&skipped),
            esc(&not_final)
        )?;
    }

    controls(out, report)?;
    table(out, report)?;
    out.push_str(&crate::report::similar::html(report, &|t| esc(t)));
    writeln!(out, "<section id=\"details\">")?;
    for (i, f) in report.files.iter().enumerate() {
        detail(out, i, f, pictures.get(&f.path))?;
    }
    writeln!(out, "</section>")?;
    writeln!(
        out,
        "<footer>Made by reelcheck {}. Sort by clicking a column; filters are kept in the address, so a filtered view can be shared as a link.</footer>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "<script>\n{JS}</script>\n</body>\n</html>")
}

fn controls(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "<div class=\"controls\">")?;
    writeln!(
        out,
        "<input type=\"search\" id=\"q\" placeholder=\"Filter by file, id, title or rule\" aria-label=\"Filter\">"
    )?;
    writeln!(out, "<select id=\"status\" aria-label=\"Status\"><option value=\"\">All statuses</option><option value=\"fail\">Failed</option><option value=\"error\">Unreadable</option><option value=\"pass\">Passed</option><option value=\"warn\">Passed with warnings</option></select>")?;
    let tracks: BTreeSet<&str> = report
        .files
        .iter()
        .filter_map(|f| f.entry.track.as_deref())
        .collect();
    if !tracks.is_empty() {
        write!(
            out,
            "<select id=\"track\" aria-label=\"Track\"><option value=\"\">All tracks</option>"
        )?;
        for t in tracks {
            write!(out, "<option value=\"{0}\">{0}</option>", esc(t))?;
        }
        writeln!(out, "</select>")?;
    }
    let n = report.files.len();
    writeln!(
        out,
        "<span class=\"shown\" id=\"shown\" data-visible=\"{n}\">{n} of {n} entries</span>\n</div>"
    )
}

/// The columns of the entries table: key (for sorting and the URL), heading, numeric.
const COLUMNS: &[(&str, &str, bool)] = &[
    ("status", "Status", false),
    ("entry", "Entry", false),
    ("track", "Track", false),
    ("runtime", "Runtime", true),
    ("codec", "Codec", false),
    ("resolution", "Resolution", true),
    ("loudness", "Loudness", true),
    ("credits", "Credits", true),
    ("provenance", "Provenance", false),
    ("issues", "Failed rules", true),
];

fn table(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "<table id=\"entries\">\n<thead><tr>")?;
    for (key, head, num) in COLUMNS {
        let ty = if *num { "num" } else { "text" };
        writeln!(
            out,
            "<th data-key=\"{key}\" data-type=\"{ty}\" scope=\"col\">{head}</th>"
        )?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    for (i, f) in report.files.iter().enumerate() {
        row(out, i, f)?;
    }
    writeln!(out, "</tbody>\n</table>")
}

/// One table cell: what to show, and the value to sort by ("" = unknown).
struct Cell {
    shown: String,
    sort: String,
    num: bool,
}

fn text_cell(shown: String) -> Cell {
    Cell {
        sort: shown.to_lowercase(),
        shown: esc(&shown),
        num: false,
    }
}

fn num_cell(shown: String, v: Option<f64>) -> Cell {
    match v {
        Some(v) if v.is_finite() => Cell {
            shown: esc(&shown),
            sort: v.to_string(),
            num: true,
        },
        _ => Cell {
            shown: "—".into(),
            sort: String::new(),
            num: true,
        },
    }
}

fn file_name(f: &FileReport) -> &str {
    if f.facts.file_name.is_empty() {
        &f.path
    } else {
        &f.facts.file_name
    }
}

fn row(out: &mut String, i: usize, f: &FileReport) -> std::fmt::Result {
    let facts = &f.facts;
    let status = status_word(f.status);
    let verdict = verdict(f);
    let v = facts.video.first();
    let a = facts.audio.first();
    let errors = f.failures(Severity::Error).count();
    let warnings = f.failures(Severity::Warning).count();
    let duration = facts.container.as_ref().and_then(|c| c.duration_s);
    let lufs = a
        .and_then(|a| a.loudness.as_ref())
        .and_then(|l| l.integrated_lufs);
    let credits = facts.credits.as_ref();

    let mut sub = Vec::new();
    if let Some(id) = &f.entry.id {
        sub.push(format!("#{id}"));
    }
    if let Some(t) = &f.entry.title {
        sub.push(t.clone());
    }
    let entry = Cell {
        shown: format!(
            "<a href=\"#e{i}\" title=\"{}\">{}</a>{}",
            esc(&f.path),
            esc(file_name(f)),
            if sub.is_empty() {
                String::new()
            } else {
                format!("<div class=\"sub\">{}</div>", esc(&sub.join(" · ")))
            }
        ),
        sort: file_name(f).to_lowercase(),
        num: false,
    };
    let codec = [v.map(|v| v.codec.as_str()), a.map(|a| a.codec.as_str())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
    let provenance = facts.provenance.as_ref();
    let cells = [
        Cell {
            shown: badge(f),
            // Worst first when sorted ascending.
            sort: match verdict {
                "error" => "0",
                "fail" => "1",
                "warn" => "2",
                _ => "3",
            }
            .into(),
            num: false,
        },
        entry,
        text_cell(f.entry.track.clone().unwrap_or_default()),
        num_cell(duration.map(show_duration).unwrap_or_default(), duration),
        text_cell(codec),
        num_cell(
            v.map(|v| format!("{}×{}", v.width, v.height))
                .unwrap_or_default(),
            v.map(|v| f64::from(v.width) * f64::from(v.height)),
        ),
        num_cell(
            lufs.map(|l| format!("{} LUFS", trim_num(l, 1)))
                .unwrap_or_default(),
            lufs,
        ),
        match credits {
            Some(c) if c.present => num_cell(
                c.start_s
                    .map(|s| format!("from {}", show_duration(s)))
                    .unwrap_or_else(|| "yes".into()),
                c.start_s,
            ),
            Some(_) => Cell {
                shown: "none".into(),
                sort: "-1".into(),
                num: true,
            },
            None => num_cell(String::new(), None),
        },
        match provenance {
            Some(p) => Cell {
                shown: format!(
                    "<span class=\"prov {}\" title=\"{}\">{}</span>{}",
                    esc(&p.status),
                    esc(&p.evidence.join(" ")),
                    esc(provenance_said(&p.status)),
                    mentioned(p)
                ),
                sort: provenance_said(&p.status).to_string(),
                num: false,
            },
            None => Cell {
                shown: "—".into(),
                sort: String::new(),
                num: false,
            },
        },
        Cell {
            shown: if f.status == FileStatus::Error {
                "unreadable".into()
            } else if errors + warnings == 0 {
                "—".into()
            } else {
                // The rules by name, errors first: what a jury scans the table for.
                f.failures(Severity::Error)
                    .chain(f.failures(Severity::Warning))
                    .map(|r| {
                        let sev = r.severity.as_str();
                        format!(
                            "<span class=\"rule {sev}\" title=\"{sev}: {}\">{}</span>",
                            esc(&r.message),
                            esc(&r.id)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            sort: if f.status == FileStatus::Error {
                "1000000".into()
            } else {
                (errors * 1000 + warnings).to_string()
            },
            // Sorted as a number (errors, then warnings), but names read from the left.
            num: false,
        },
    ];

    let mut haystack = vec![f.path.clone(), status.to_string()];
    haystack.extend(f.entry.id.clone());
    haystack.extend(f.entry.title.clone());
    haystack.extend(f.entry.track.clone());
    haystack.extend(f.error.clone());
    haystack.extend(provenance.map(|p| provenance_said(&p.status).to_string()));
    haystack.extend(
        f.results
            .iter()
            .filter(|r| r.status == RuleStatus::Fail)
            .map(|r| r.id.clone()),
    );
    writeln!(
        out,
        "<tr class=\"{status}\" id=\"row{i}\" data-detail=\"e{i}\" data-status=\"{status}\" data-verdict=\"{verdict}\" data-track=\"{}\" data-text=\"{}\">",
        esc(f.entry.track.as_deref().unwrap_or("")),
        esc(&haystack.join(" ").to_lowercase())
    )?;
    for c in cells {
        let class = if c.num { " class=\"num\"" } else { "" };
        writeln!(
            out,
            "<td{class} data-v=\"{}\">{}</td>",
            esc(&c.sort),
            c.shown
        )?;
    }
    writeln!(out, "</tr>")
}

/// The status badge: a pass with failed warnings says so.
fn badge(f: &FileReport) -> String {
    let status = status_word(f.status);
    if verdict(f) == "warn" {
        "<span class=\"badge warn\">PASS</span> <span class=\"sub\">with warnings</span>"
            .to_string()
    } else {
        format!("<span class=\"badge {status}\">{}</span>", f.status.label())
    }
}

/// "AI mentioned" beside a status that declares no AI, with the mention as its tooltip: a
/// generator named in free text is no proof, but the organizer must see it without looking
/// for it.
fn mentioned(p: &reelcheck_facts::Provenance) -> String {
    match &p.ai_mentions {
        Some(m) if p.status != "declared-ai" => format!(
            " <span class=\"prov mentioned\" title=\"{}\">AI mentioned</span>",
            esc(m)
        ),
        _ => String::new(),
    }
}

/// `provenance.status` as the table and the card say it.
fn provenance_said(status: &str) -> &str {
    match status {
        "declared-ai" => "AI declared",
        "capture" => "camera capture",
        "unknown" => "nothing declared",
        other => other,
    }
}

fn detail(out: &mut String, i: usize, f: &FileReport, pics: Option<&Pictures>) -> std::fmt::Result {
    let status = status_word(f.status);
    writeln!(
        out,
        "<article class=\"{status}\" id=\"e{i}\" data-status=\"{status}\" data-verdict=\"{}\">",
        verdict(f)
    )?;
    writeln!(out, "<h2>{} {}</h2>", badge(f), esc(file_name(f)))?;
    let mut meta = vec![f.path.clone()];
    if let Some(t) = &f.entry.track {
        meta.push(format!("track {t}"));
    }
    if let Some(id) = &f.entry.id {
        meta.push(format!("id {id}"));
    }
    if let Some(t) = &f.entry.title {
        meta.push(format!("“{t}”"));
    }
    writeln!(out, "<p class=\"path\">{}</p>", esc(&meta.join(" · ")))?;
    if f.status == FileStatus::Error {
        let why = f.error.as_deref().unwrap_or("could not be read");
        return writeln!(
            out,
            "<p class=\"error\">Could not be checked: {}</p>\n</article>",
            esc(why)
        );
    }
    if f.status == FileStatus::Ignored {
        let why = f.error.as_deref().unwrap_or("ignored");
        return writeln!(
            out,
            "<p class=\"ignored\">Not checked: {}</p>\n</article>",
            esc(why)
        );
    }

    let credits = f.facts.credits.as_ref();
    let pictures: Vec<(&Picture, String)> = pics
        .into_iter()
        .flat_map(|p| {
            [
                p.poster
                    .as_ref()
                    .map(|x| (x, format!("Poster frame at {}", show_duration(x.at_s)))),
                p.credits.as_ref().map(|x| {
                    let span = credits
                        .and_then(|c| Some((c.start_s?, c.end_s?)))
                        .map(|(a, b)| {
                            format!(" (they run {} to {})", show_duration(a), show_duration(b))
                        })
                        .unwrap_or_default();
                    (x, format!("Credits at {}{span}", show_duration(x.at_s)))
                }),
            ]
        })
        .flatten()
        .collect();
    if !pictures.is_empty() {
        writeln!(out, "<div class=\"pics\">")?;
        for (p, caption) in pictures {
            writeln!(
                out,
                "<figure><img src=\"data:image/jpeg;base64,{}\" width=\"{}\" height=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                base64::engine::general_purpose::STANDARD.encode(&p.jpeg),
                p.width,
                p.height,
                esc(&caption),
                esc(&caption)
            )?;
        }
        writeln!(out, "</div>")?;
    }
    if let Some(svg) = loudness::svg(&f.facts) {
        writeln!(out, "<figure class=\"loudness-graph\">{svg}<figcaption>Loudness over time (momentary, LUFS); the dashed line is the film's integrated loudness</figcaption></figure>")?;
    }
    provenance(out, f)?;

    let shown: Vec<_> = f
        .results
        .iter()
        .filter(|r| r.status == RuleStatus::Fail && r.severity != Severity::Info)
        .collect();
    if shown.is_empty() {
        writeln!(out, "<p class=\"ok\">No rule failed.</p>")?;
    } else {
        writeln!(out, "<table class=\"rules\"><thead><tr><th>Severity</th><th>Rule</th><th>What is wrong</th><th>Expected</th><th>Found</th></tr></thead><tbody>")?;
        for r in shown {
            let sev = r.severity.as_str();
            writeln!(
                out,
                "<tr class=\"{sev}\" data-rule=\"{}\"><td class=\"sev {sev}\">{sev}</td><td>{}</td><td>{}{}{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.id),
                esc(&r.id),
                esc(&r.message),
                fix(r.fix.as_deref()),
                r.source
                    .as_deref()
                    .map(|s| format!("<div class=\"sub\">{}</div>", esc(s)))
                    .unwrap_or_default(),
                esc(r.expected_said().unwrap_or("—")),
                esc(r.actual_said())
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</article>")
}

/// How to fix a failure, a line per tool.
fn fix(text: Option<&str>) -> String {
    let lines: Vec<String> = text
        .into_iter()
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("<li>{}</li>", esc(l)))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "<div class=\"fix\"><b>How to fix it</b><ul>{}</ul></div>",
        lines.concat()
    )
}

/// What the file says about how it was made: the evidence sentences, and mentions of AI
/// generators in free text for a person to read.
fn provenance(out: &mut String, f: &FileReport) -> std::fmt::Result {
    let Some(p) = f.facts.provenance.as_ref() else {
        return Ok(());
    };
    writeln!(
        out,
        "<section class=\"provenance\" data-provenance=\"{}\"><h3>Provenance: {}</h3>",
        esc(&p.status),
        esc(provenance_said(&p.status))
    )?;
    if p.evidence.is_empty() {
        writeln!(out, "<p class=\"sub\">The file declares nothing about how it was made (no C2PA, XMP, AIGC label or known software). That proves nothing either way.</p>")?;
    } else {
        write!(out, "<ul class=\"evidence\">")?;
        for e in &p.evidence {
            write!(out, "<li>{}</li>", esc(e))?;
        }
        writeln!(out, "</ul>")?;
    }
    if let Some(m) = &p.ai_mentions {
        writeln!(
            out,
            "<p class=\"sub\">Mentioned in free text (a note, not a declaration): {}</p>",
            esc(m)
        )?;
    }
    writeln!(out, "</section>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}

//! The HTML report: one self-contained page (inline CSS, JS and pictures as data: URIs) that
//! works offline and can be sent by email. A summary, a sortable and filterable table of the
//! entries, and per entry its failing and warning rules with pictures where people would rather
//! look than read. All text from files and reports goes through `esc`.

mod loudness;

use crate::report::pictures::{Picture, Pictures};
use crate::report::Exporter;
use crate::rules::units::{show_duration, trim_num};
use crate::verdict::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleStatus};
use base64::Engine as _;
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

fn status_word(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Pass => "pass",
        FileStatus::Fail => "fail",
        FileStatus::Error => "error",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn page(
    out: &mut String,
    report: &Report,
    pictures: &BTreeMap<String, Pictures>,
) -> std::fmt::Result {
    let s = &report.summary;
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
    writeln!(
        out,
        "<title>reelcheck report: {}, {} passed</title>",
        plural(s.files, "entry", "entries"),
        s.passed
    )?;
    writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>")?;

    writeln!(out, "<header>\n<h1>reelcheck report</h1>")?;
    let sets = if report.rule_sets.is_empty() {
        std::slice::from_ref(&report.rule_set)
    } else {
        &report.rule_sets[..]
    };
    let described: Vec<String> = sets
        .iter()
        .map(|r| {
            let track = r
                .track
                .as_deref()
                .map(|t| format!(", track {t}"))
                .unwrap_or_default();
            format!("{} ({}{track})", r.name, r.source)
        })
        .collect();
    writeln!(
        out,
        "<p class=\"meta\" id=\"rules\">Rules: {}</p>\n</header>",
        esc(&described.join("; "))
    )?;

    writeln!(out, "<section class=\"summary\" id=\"summary\">")?;
    for (class, n, label) in [
        (
            "files",
            s.files,
            if s.files == 1 { "entry" } else { "entries" },
        ),
        ("passed", s.passed, "passed"),
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
        writeln!(
            out,
            "<div class=\"count {class}\" data-count=\"{n}\"><b>{n}</b>{label}</div>"
        )?;
    }
    writeln!(out, "</section>")?;

    controls(out, report)?;
    table(out, report)?;
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
    writeln!(out, "<select id=\"status\" aria-label=\"Status\"><option value=\"\">All statuses</option><option value=\"fail\">Failed</option><option value=\"error\">Unreadable</option><option value=\"pass\">Passed</option></select>")?;
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
    ("issues", "Issues", true),
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
    let cells = [
        Cell {
            shown: format!("<span class=\"badge {status}\">{}</span>", f.status.label()),
            // Worst first when sorted ascending.
            sort: match f.status {
                FileStatus::Error => "0",
                FileStatus::Fail => "1",
                FileStatus::Pass => "2",
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
        Cell {
            shown: if f.status == FileStatus::Error {
                "unreadable".into()
            } else if errors + warnings == 0 {
                "—".into()
            } else {
                let mut parts = Vec::new();
                if errors > 0 {
                    parts.push(plural(errors, "error", "errors"));
                }
                if warnings > 0 {
                    parts.push(plural(warnings, "warning", "warnings"));
                }
                parts.join(", ")
            },
            sort: if f.status == FileStatus::Error {
                "1000000".into()
            } else {
                (errors * 1000 + warnings).to_string()
            },
            num: true,
        },
    ];

    let mut haystack = vec![f.path.clone(), status.to_string()];
    haystack.extend(f.entry.id.clone());
    haystack.extend(f.entry.title.clone());
    haystack.extend(f.entry.track.clone());
    haystack.extend(f.error.clone());
    haystack.extend(
        f.results
            .iter()
            .filter(|r| r.status == RuleStatus::Fail)
            .map(|r| r.id.clone()),
    );
    writeln!(
        out,
        "<tr class=\"{status}\" id=\"row{i}\" data-detail=\"e{i}\" data-status=\"{status}\" data-track=\"{}\" data-text=\"{}\">",
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

fn detail(out: &mut String, i: usize, f: &FileReport, pics: Option<&Pictures>) -> std::fmt::Result {
    let status = status_word(f.status);
    writeln!(
        out,
        "<article class=\"{status}\" id=\"e{i}\" data-status=\"{status}\">"
    )?;
    writeln!(
        out,
        "<h2><span class=\"badge {status}\">{}</span> {}</h2>",
        f.status.label(),
        esc(file_name(f))
    )?;
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

    let pictures: Vec<(&Picture, String)> = pics
        .into_iter()
        .flat_map(|p| {
            [
                p.poster
                    .as_ref()
                    .map(|x| (x, format!("Poster frame at {}", show_duration(x.at_s)))),
                p.credits
                    .as_ref()
                    .map(|x| (x, format!("Credits start, {}", show_duration(x.at_s)))),
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
        writeln!(out, "<figure class=\"loudness-graph\">{svg}<figcaption>Loudness over time</figcaption></figure>")?;
    }

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
                "<tr class=\"{sev}\" data-rule=\"{}\"><td class=\"sev {sev}\">{sev}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.id),
                esc(&r.id),
                esc(&r.message),
                r.source
                    .as_deref()
                    .map(|s| format!("<div class=\"sub\">{}</div>", esc(s)))
                    .unwrap_or_default(),
                esc(&r.expected),
                esc(r.actual.as_deref().unwrap_or("nothing"))
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    writeln!(out, "</article>")
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

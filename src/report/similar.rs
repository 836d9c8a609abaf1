//! The report's closing section on entries that show the same film ("Same film?"): rendered
//! from the report's `similar` groups alone, as text and as an HTML fragment that any page
//! can place.

use crate::output::one_line;
use crate::similar::Group;
use crate::verdict::Report;
use std::fmt::Write as _;

/// `m:ss` (or `h:mm:ss`) of a time in seconds.
pub fn clock(s: f64) -> String {
    let total = s.max(0.0).round() as u64;
    let (h, m, sec) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

/// Where the stretches lie: "0:06–0:34 ↔ 0:00–0:28", stretches joined by "; ".
pub fn ranges_said(g: &Group) -> String {
    g.ranges
        .iter()
        .map(|r| {
            format!(
                "{}–{} ↔ {}–{}",
                clock(r[0]),
                clock(r[1]),
                clock(r[2]),
                clock(r[3])
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn entry_said(g: &Group, k: usize) -> String {
    let path = g.entries.get(k).map(String::as_str).unwrap_or("?");
    match g.earlier(k) {
        Some(report) => format!("{} (in {})", one_line(path), one_line(report)),
        None => one_line(path).into_owned(),
    }
}

/// One line per group: who, how, how much, where.
pub fn line(g: &Group) -> String {
    format!(
        "{} {} {} (similarity {:.2}, {} shared: {})",
        entry_said(g, 0),
        g.kind.said(),
        entry_said(g, 1),
        g.similarity,
        clock(g.shared_s),
        ranges_said(g)
    )
}

/// The text report's section, empty when no two entries share pictures.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    if report.similar.is_empty() {
        return out;
    }
    let n = report.similar.len();
    let _ = writeln!(
        out,
        "Same film? {n} {} of entries show the same pictures:",
        if n == 1 { "pair" } else { "pairs" }
    );
    for g in &report.similar {
        let _ = writeln!(out, "  {} {}", g.kind.as_str(), line(g));
    }
    out
}

/// The HTML section ("Same film?"), empty when no two entries share pictures; a maud template,
/// so every name from a submission is escaped by construction.
pub fn html(report: &Report) -> maud::Markup {
    maud::html! {
        @if !report.similar.is_empty() {
            section.similar #similar {
                h2 { "Same film?" }
                table {
                    thead { tr {
                        th { "Entry" } th { "Kind" } th { "Entry" } th { "Similarity" }
                        th { "Shared" } th { "Where (first ↔ second)" }
                    } }
                    tbody {
                        @for g in &report.similar {
                            tr data-kind=(g.kind.as_str()) {
                                @for k in [0usize, 1] {
                                    @if k == 1 { td { (g.kind.said()) } }
                                    td {
                                        (g.entries.get(k).map(String::as_str).unwrap_or("?"))
                                        @if let Some(r) = g.earlier(k) { br; small { "in " (r) } }
                                    }
                                }
                                td { (format!("{:.2}", g.similarity)) }
                                td { (clock(g.shared_s)) }
                                td { (ranges_said(g)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

//! The report's closing section on entries that show the same film ("Same film?"): rendered
//! from the report's `similar` groups alone, as text and as an HTML fragment that any page
//! can place.

use crate::output::one_line;
use crate::report::pictures::Pictures;
use crate::rules::say::clock;
use crate::similar::Group;
use crate::verdict::Report;
use base64::Engine as _;
use std::collections::BTreeMap;
use std::fmt::Write as _;

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

/// One line per group: who, how, how much, where, and what the sound says.
pub fn line(g: &Group) -> String {
    format!(
        "{} {} {} (similarity {:.2}, {} shared: {}{})",
        entry_said(g, 0),
        g.kind.said(),
        entry_said(g, 1),
        g.similarity,
        clock(g.shared_s),
        ranges_said(g),
        g.sound.map_or(String::new(), |s| format!("; {}", s.said()))
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

/// The HTML section ("Same film?"), empty when no two entries share pictures: one block per
/// pair, the two entries side by side with their poster frames where the report has them
/// (`pictures`, by path), wrapping one under the other on a phone. A maud template, so every
/// name from a submission is escaped by construction.
pub fn html(report: &Report, pictures: &BTreeMap<String, Pictures>) -> maud::Markup {
    maud::html! {
        @if !report.similar.is_empty() {
            section.similar #similar {
                h2 { "Same film?" }
                @for g in &report.similar {
                    div.pair data-kind=(g.kind.as_str()) {
                        p.pair-said {
                            b { (g.kind.said()) } " · similarity " (format!("{:.2}", g.similarity))
                            " · " (clock(g.shared_s)) " shared"
                            @if !g.ranges.is_empty() { " · " (ranges_said(g)) }
                            @if let Some(s) = g.sound { " · " (s.said()) }
                        }
                        div.pair-films {
                            @for k in [0usize, 1] {
                                @let path = g.entries.get(k).map(String::as_str).unwrap_or("?");
                                figure {
                                    @if let Some(poster) = pictures.get(path).and_then(|p| p.poster.as_ref()) {
                                        img src={ "data:image/jpeg;base64," (base64::engine::general_purpose::STANDARD.encode(&poster.jpeg)) }
                                            width=(poster.width) height=(poster.height) alt={ "Poster frame of " (path) };
                                    }
                                    figcaption {
                                        span.path { (path) }
                                        @if let Some(r) = g.earlier(k) { br; small.path { "in " (r) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similar::{GroupKind, SoundKind};

    fn pair(sound: Option<SoundKind>) -> Group {
        Group {
            entries: vec!["night.mp4".into(), "night-v2.mp4".into()],
            kind: GroupKind::Same,
            shared_s: 598.4,
            similarity: 0.94,
            ranges: vec![[0.0, 598.4, 12.0, 610.4]],
            sound,
            reports: Vec::new(),
        }
    }

    #[test]
    fn a_pair_says_what_its_sound_says_and_nothing_when_it_cannot_tell() {
        let other = line(&pair(Some(SoundKind::Other)));
        assert!(
            other.starts_with("night.mp4 is the same film as night-v2.mp4"),
            "{other}"
        );
        assert!(other.ends_with("; other sound)"), "{other}");
        assert!(line(&pair(Some(SoundKind::Same))).ends_with("; same sound)"));
        assert!(!line(&pair(None)).contains("sound"));
        let mut report = crate::verdict::Report::by_track(Vec::new(), Vec::new());
        report.similar = vec![pair(Some(SoundKind::Other))];
        let page = html(&report, &BTreeMap::new()).into_string();
        assert!(page.contains(" · other sound"), "{page}");
    }
}

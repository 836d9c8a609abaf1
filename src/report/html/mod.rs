//! The HTML pages: the report of a run for the organizer and the jury (one self-contained page,
//! inline CSS, JS and pictures as data: URIs, that works offline and can be sent by email), and
//! one entry's page for its filmmaker (`entry_page`).
//!
//! Every page is a maud template: the markup is checked when reelcheck is compiled, and every
//! value put into it (file names, tags, messages, evidence) is escaped by maud unless it is
//! wrapped in `PreEscaped`, which only this module's own CSS, JS and base64 pictures are.

mod card;
mod loudness;
mod report_page;

use crate::report::pictures::Pictures;
use crate::report::Exporter;
use crate::verdict::{FileReport, FileStatus, Report, RuleSetInfo, Severity};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::BTreeMap;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

#[derive(Default)]
pub struct Html {
    /// Pictures by file path, grabbed beforehand (see `report::pictures`).
    pub pictures: BTreeMap<String, Pictures>,
}

impl Exporter for Html {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        Ok(report_page::page(report, &self.pictures).into_string())
    }
}

/// One entry's page, for its filmmaker: the festival's name and contact line, the entry's
/// verdict and findings, nothing of other entries and nothing internal to the organizer (the
/// folders the film sits in, the rule files' names).
pub fn entry_page(report: &Report, i: usize, pictures: Option<&Pictures>) -> String {
    let Some(f) = report.files.get(i) else {
        return String::new();
    };
    let festival = report.festival.as_ref();
    let track = track_title(report, f);
    let title = format!("Technical check of {}", file_name(f));
    document(
        &title,
        html! {
            header {
                @if let Some(fest) = festival {
                    p.festival { (fest.name) }
                }
                h1 { "Technical check of " span.name { (file_name(f)) } }
                p.meta #rules {
                    @if let Some(t) = &track { "Checked against the delivery rules of the track " b { (t) } ". " }
                    @else { "Checked against the festival's delivery rules. " }
                    "Checked by reelcheck " (env!("CARGO_PKG_VERSION")) "."
                }
            }
            main #details {
                (card::card(i, f, pictures, card::Audience::Filmmaker))
            }
            footer {
                @if let Some(contact) = festival.and_then(|x| x.contact.as_deref()) {
                    p.contact #contact { (contact) }
                }
            }
        },
    )
}

/// A whole page: head, the CSS, `body` and the page's script.
fn document(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "reelcheck " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (body)
                script { (PreEscaped(JS)) }
            }
        }
    }
    .into_string()
}

/// The track's title for people ("Documentary"), else its name; `None` without tracks.
fn track_title(report: &Report, f: &FileReport) -> Option<String> {
    let track = f.entry.track.as_deref()?;
    let title = sets(report)
        .iter()
        .find(|s| s.track.as_deref() == Some(track))
        .and_then(|s| s.title.clone());
    Some(title.unwrap_or_else(|| track.to_string()))
}

/// Every rule set of the run.
fn sets(report: &Report) -> &[RuleSetInfo] {
    if report.rule_sets.is_empty() {
        std::slice::from_ref(&report.rule_set)
    } else {
        &report.rule_sets
    }
}

/// The four outcomes a reader sorts entries into, none overlapping: what the status filter,
/// the summary counts and the order of the page go by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Fail,
    Error,
    Warn,
    Pass,
    Ignored,
}

impl Verdict {
    fn of(f: &FileReport) -> Verdict {
        match f.status {
            FileStatus::Pass if f.failures(Severity::Warning).next().is_some() => Verdict::Warn,
            FileStatus::Pass => Verdict::Pass,
            FileStatus::Fail => Verdict::Fail,
            FileStatus::Error => Verdict::Error,
            FileStatus::Ignored => Verdict::Ignored,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::Warn => "warn",
            Verdict::Pass => "pass",
            Verdict::Ignored => "ignored",
        }
    }

    /// The order of the page: problems first (failed and unreadable), then warnings, then
    /// passes, then what was not checked.
    fn rank(self) -> u8 {
        match self {
            Verdict::Fail | Verdict::Error => 0,
            Verdict::Warn => 1,
            Verdict::Pass => 2,
            Verdict::Ignored => 3,
        }
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

/// The status badge: a pass with failed warnings says so, with how many.
fn badge(f: &FileReport) -> Markup {
    let warnings = f.failures(Severity::Warning).count();
    html! {
        @match Verdict::of(f) {
            Verdict::Warn => {
                span.badge.warn { "PASS" } " "
                span.sub { "with " (plural(warnings, "warning", "warnings")) }
            }
            Verdict::Error => span.badge.error { "NOT CHECKED" },
            v => span class={ "badge " (v.word()) } { (f.status.label()) },
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn file_name(f: &FileReport) -> &str {
    if f.facts.file_name.is_empty() {
        &f.path
    } else {
        &f.facts.file_name
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

/// A file name for an entry's page that any file system takes, and that stays the same from
/// one run to the next whatever else is in the batch (so a page sent last week is replaced,
/// not joined, by this week's): the name's letters, marks and digits in any script (accents
/// kept, and composed, so that a name a Mac wrote with a separate accent keeps it too),
/// dashes, underscores and dots, then a short code of the entry's identity (its manifest id,
/// else its path), so that two entries never share a page.
pub fn entry_file_name(f: &FileReport) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let stem = std::path::Path::new(file_name(f))
        .file_stem()
        .map(|s| s.to_string_lossy().nfc().collect::<String>())
        .unwrap_or_default();
    let mut safe = String::new();
    for c in stem.chars() {
        let keep = c.is_alphanumeric()
            || matches!(c, '-' | '_' | '.')
            || unicode_normalization::char::is_combining_mark(c);
        let c = if keep { c } else { '_' };
        if !(c == '_' && safe.ends_with('_')) {
            safe.push(c);
        }
        if safe.chars().count() >= 60 {
            break;
        }
    }
    // No leading dot (a hidden file) and no trailing one (Windows drops it).
    let safe = safe.trim_matches(|c| c == '_' || c == '.');
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

#[cfg(test)]
mod tests {
    use super::*;

    fn named(path: &str) -> String {
        let mut f = crate::run::batch::unreadable(std::path::Path::new(path), "x");
        f.facts.file_name = path.rsplit('/').next().unwrap_or(path).to_string();
        entry_file_name(&f)
    }

    #[test]
    fn every_value_from_a_submission_or_a_festival_file_is_escaped() {
        use crate::verdict::{FestivalInfo, RuleResult, RuleStatus};
        let evil = "<script>alert(1)</script>\"'&";
        let mut f = crate::run::batch::unreadable(std::path::Path::new("/in/x.mp4"), evil);
        f.status = FileStatus::Fail;
        f.error = None;
        f.facts.file_name = format!("{evil}.mp4");
        f.entry.id = Some(evil.into());
        f.entry.title = Some(evil.into());
        f.entry.track = Some(evil.into());
        f.results.push(RuleResult {
            id: evil.into(),
            severity: Severity::Error,
            status: RuleStatus::Fail,
            message: evil.into(),
            expected: evil.into(),
            actual: Some(evil.into()),
            actual_value: None,
            skip_cause: None,
            source: Some(evil.into()),
            reason: None,
            expected_text: Some(evil.into()),
            actual_text: Some(evil.into()),
            fix: vec![evil.into()],
            expected_value: None,
            fact: None,
        });
        let set = RuleSetInfo {
            name: evil.into(),
            track: Some(evil.into()),
            source: evil.into(),
            title: Some(evil.into()),
        };
        let mut report = Report::new(set, vec![f]);
        report.festival = Some(FestivalInfo {
            name: evil.into(),
            contact: Some(evil.into()),
        });
        let whole = Html::default().render(&report).unwrap();
        for page in [whole, entry_page(&report, 0, None)] {
            // The page's own script is the only one; every value is text.
            assert_eq!(page.matches("<script").count(), 1, "{page}");
            assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;'&amp;"));
            assert!(!page.contains("\"'&<"), "{page}");
        }
    }

    #[test]
    fn page_names_keep_accents_however_the_name_was_composed() {
        // "Été à Paris" as macOS writes it (each accent a mark of its own) and as typed.
        let decomposed = named("/in/E\u{301}te\u{301} a\u{300} Paris.mp4");
        let composed = named("/in/Été à Paris.mp4");
        assert!(decomposed.starts_with("Été_à_Paris-"), "{decomposed}");
        assert!(composed.starts_with("Été_à_Paris-"), "{composed}");
        // Two files, two names: the code is of the path as it is.
        assert_ne!(decomposed, composed);
        assert!(named("/in/v1.2 final.mov").starts_with("v1.2_final-"));
        assert!(named("/in/..hidden..mp4").starts_with("hidden-"));
        assert!(named("/in/<script>.mp4").starts_with("script-"));
    }
}

//! One entry's card: its verdict, its findings (each failed error and warning rule: what is
//! wrong, what was expected and found, how to fix it), its pictures, its loudness line and what
//! the file declares about how it was made. The report shows every card; an entry's page shows
//! its own to the filmmaker, without what only the organizer should see.

use super::{badge, file_name, loudness, provenance_said, status_word, Verdict};
use crate::report::pictures::{Picture, Pictures};
use crate::verdict::{FileReport, FileStatus, RuleResult, RuleStatus, Severity};
use base64::Engine as _;
use maud::{html, Markup};
use reelcheck_facts::units::show_duration;

/// Who reads the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The organizer and the jury: the entry's path on their disk is theirs to see.
    Organizer,
    /// The filmmaker: no folder of the organizer's, no rule file's name.
    Filmmaker,
}

/// The text as the audience may read it: for a filmmaker, the organizer's folders are taken
/// out of it (a reason that names the file's full path names its name alone).
fn told(text: &str, f: &FileReport, audience: Audience) -> String {
    if audience == Audience::Organizer {
        return text.to_string();
    }
    let name = file_name(f);
    let mut out = text.replace(&f.path, name);
    if let Some(dir) = std::path::Path::new(&f.path)
        .parent()
        .map(|d| d.to_string_lossy().into_owned())
        .filter(|d| !d.is_empty() && d != "/")
    {
        out = out.replace(&format!("{dir}/"), "").replace(&dir, "");
    }
    out
}

pub fn card(i: usize, f: &FileReport, pics: Option<&Pictures>, audience: Audience) -> Markup {
    let status = status_word(f.status);
    let verdict = Verdict::of(f);
    let mut meta: Vec<String> = Vec::new();
    if audience == Audience::Organizer {
        meta.push(f.path.clone());
        if let Some(t) = &f.entry.track {
            meta.push(format!("track {t}"));
        }
    }
    if let Some(id) = &f.entry.id {
        meta.push(format!("entry {id}"));
    }
    if let Some(t) = &f.entry.title {
        meta.push(format!("“{t}”"));
    }
    let findings: Vec<&RuleResult> = f
        .results
        .iter()
        .filter(|r| r.status == RuleStatus::Fail && r.severity != Severity::Info)
        .collect();
    html! {
        article class=(status) id={ "e" (i) } data-status=(status) data-verdict=(verdict.word()) {
            h2 { (badge(f)) " " span.name { (file_name(f)) } }
            @if !meta.is_empty() {
                p.path { (meta.join(" · ")) }
            }
            @match f.status {
                FileStatus::Error => {
                    p.error {
                        "Could not be checked: "
                        (told(f.error.as_deref().unwrap_or("could not be read"), f, audience))
                    }
                }
                FileStatus::Ignored => {
                    p.ignored { "Not checked: " (told(f.error.as_deref().unwrap_or("ignored"), f, audience)) }
                }
                _ => {
                    @if findings.is_empty() {
                        p.ok { "No rule failed." }
                    } @else {
                        section.findings {
                            h3 { "What to fix" }
                            @for r in &findings {
                                (finding(r, f, audience))
                            }
                        }
                    }
                    (pictures(f, pics))
                    @if let Some(svg) = loudness::svg(&f.facts, &f.results) {
                        figure.loudness-graph {
                            (svg)
                            figcaption {
                                "Loudness over time (momentary, LUFS). The dashed red line is the film's integrated loudness; the dotted lines are the rules' limits on it."
                            }
                        }
                    }
                    (provenance(f, audience))
                }
            }
        }
    }
}

/// One failed rule: what is wrong, what was expected and found, how to fix it.
fn finding(r: &RuleResult, f: &FileReport, audience: Audience) -> Markup {
    let sev = r.severity.as_str();
    html! {
        div class={ "finding " (sev) } data-rule=(r.id) {
            p.what {
                span class={ "sev " (sev) } { (sev) } " "
                code.rule-id { (r.id) }
            }
            p.message { (told(&r.message, f, audience)) }
            dl.values {
                @if let Some(e) = r.expected_said() {
                    div { dt { "Expected" } dd { (told(e, f, audience)) } }
                }
                div { dt { "Found" } dd { (told(r.actual_said(), f, audience)) } }
            }
            @let fixes: Vec<&str> = r.fix_lines().collect();
            @if !fixes.is_empty() {
                div.fix {
                    b { "How to fix it" }
                    ul { @for line in fixes { li { (line) } } }
                }
            }
            @if let Some(source) = &r.source {
                p.sub.source { (source) }
            }
        }
    }
}

/// The poster frame and a frame from inside the credits, when they were grabbed.
fn pictures(f: &FileReport, pics: Option<&Pictures>) -> Markup {
    let credits = f.facts.credits.as_ref();
    let shown: Vec<(&Picture, String)> = pics
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
                    // The least sure finding says so where the jury sees the credits.
                    let unsure = credits
                        .filter(|c| c.basis.as_deref() == Some("card"))
                        .map(|_| {
                            ". Found by their layout alone (nothing in them was read as \
                             credits): look at them"
                        })
                        .unwrap_or_default();
                    (
                        x,
                        format!("Credits at {}{span}{unsure}", show_duration(x.at_s)),
                    )
                }),
            ]
        })
        .flatten()
        .collect();
    html! {
        @if !shown.is_empty() {
            div.pics {
                @for (p, caption) in shown {
                    figure {
                        img src={ "data:image/jpeg;base64," (base64::engine::general_purpose::STANDARD.encode(&p.jpeg)) }
                            width=(p.width) height=(p.height) alt=(caption);
                        figcaption { (caption) }
                    }
                }
            }
        }
    }
}

/// What the file says about how it was made: the evidence sentences, and mentions of AI
/// generators in free text for a person to read.
fn provenance(f: &FileReport, audience: Audience) -> Markup {
    let Some(p) = f.facts.provenance.as_ref() else {
        return html! {};
    };
    html! {
        section.provenance data-provenance=(p.status) {
            h3 { "Provenance: " (provenance_said(&p.status)) }
            @if p.evidence.is_empty() {
                p.sub { "The file declares nothing about how it was made (no C2PA, XMP, AIGC label or known software). That proves nothing either way." }
            } @else {
                ul.evidence { @for e in &p.evidence { li { (told(e, f, audience)) } } }
            }
            @if let Some(m) = &p.ai_mentions {
                p.sub { "Mentioned in free text (a note, not a declaration): " (m) }
            }
        }
    }
}

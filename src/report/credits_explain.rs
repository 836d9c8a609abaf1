//! `reelcheck credits FILE --explain`: what the credits detector saw at each sampled time, so
//! a miss or a false find can be understood without reading the detector.

use crate::output::printable;
use reelcheck_facts::credits_trace::{CreditsTrace, TextBoxes};
use reelcheck_facts::units::trim_num;
use reelcheck_facts::Credits;
use std::fmt::Write as _;

pub fn render(trace: &CreditsTrace, credits: Option<&Credits>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  evidence   {} pictures looked at, {} decoded; the text detector looked at {} ({} s)",
        trace.samples.len(),
        trace.decoded,
        trace.detector_pictures,
        trim_num(trace.detector_s, 2)
    );
    if trace.reader_lines > 0 {
        let _ = writeln!(
            out,
            "  reading    the text reader read {} lines ({} s)",
            trace.reader_lines,
            trim_num(trace.reader_s, 2)
        );
    }
    if !trace.middle.is_empty() {
        let with = trace.middle.iter().filter(|m| !m.boxes.is_empty()).count();
        let _ = writeln!(
            out,
            "  persistence  text in {with} of {} pictures through the middle of the film: {}",
            trace.middle.len(),
            trace
                .middle
                .iter()
                .map(|m| format!("{}s {}", trim_num(m.t, 1), found(m)))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if let Some(line) = credits.and_then(|c| followed(trace, c)) {
        let _ = writeln!(out, "  followed by  {line}");
    }
    let _ = writeln!(
        out,
        "  {:>9}  {:<7} {:>5} {:>6} {:>5}  {:<13} motion",
        "time", "kind", "score", "rows", "lines", "polarity"
    );
    for s in &trace.samples {
        let scroll = s
            .rows_move_per_s
            .map(|v| {
                let dir = if v > 0.0 { "up" } else { "down" };
                format!(
                    "rows move {dir} {} % of height/s",
                    trim_num((100.0 * v).abs(), 0)
                )
            })
            .unwrap_or_else(|| "-".into());
        // Text seen only by comparing with an earlier picture says so: it is the evidence.
        let motion = if s.overlay {
            "lines stay put while the picture moves".to_string()
        } else if s.scroll {
            format!("faint lines climb with their neighbours: {scroll}")
        } else {
            scroll
        };
        let _ = writeln!(
            out,
            "  {:>8}s  {:<7} {:>5} {:>5}% {:>5}  {:<13} {motion}",
            trim_num(s.t, 2),
            s.kind,
            trim_num(s.score, 2),
            trim_num(100.0 * s.rows, 0),
            s.lines,
            s.polarity.as_deref().unwrap_or("-")
        );
        if let Some(d) = &s.detector {
            let _ = writeln!(out, "  {:>9}  detector: {}", "", found(d));
            if !d.read.is_empty() {
                // Read from the film's own pictures: escaped like any text from a submission.
                let read: Vec<String> = d
                    .read
                    .iter()
                    .map(|l| format!("\"{}\" {}", printable(&l.text), trim_num(l.score, 2)))
                    .collect();
                let _ = writeln!(out, "  {:>9}  read: {}", "", read.join(", "));
            }
        }
        if let Some(why) = &s.set_aside {
            let _ = writeln!(out, "  {:>9}  set aside: {why}", "");
        }
    }
    out
}

/// What the detector found, in words: lines, share of the picture, and each box.
fn found(d: &TextBoxes) -> String {
    if d.boxes.is_empty() {
        return "no text".into();
    }
    let boxes: Vec<String> = d
        .boxes
        .iter()
        .map(|b| {
            format!(
                "{}-{}% x {}-{}% y",
                trim_num(100.0 * b[0], 0),
                trim_num(100.0 * b[2], 0),
                trim_num(100.0 * b[1], 0),
                trim_num(100.0 * b[3], 0)
            )
        })
        .collect();
    format!(
        "{} line{}, {}% of the picture: {}",
        d.lines,
        if d.lines == 1 { "" } else { "s" },
        trim_num(100.0 * d.area, 1),
        boxes.join(", ")
    )
}

/// What came after the end credits, from the samples after their end: how long, and of
/// what kind.
fn followed(trace: &CreditsTrace, c: &Credits) -> Option<String> {
    let end = c.end_s.filter(|_| c.position == "end")?;
    let after: Vec<_> = trace.samples.iter().filter(|s| s.t >= end).collect();
    let (Some(first), Some(last)) = (after.first(), after.last()) else {
        return Some("nothing: the credits run to the end of the film".into());
    };
    let picture = after.iter().filter(|s| s.kind == "picture").count();
    let kind = if picture == 0 {
        "black"
    } else if picture == after.len() {
        "picture"
    } else {
        "black and picture"
    };
    let mut line = format!(
        "{} s of {kind} ({} pictures sampled from {} s)",
        trim_num((last.t - end).max(0.0), 1),
        after.len(),
        trim_num(first.t, 2)
    );
    if let Some(p) = &c.post_credits {
        let _ = write!(
            line,
            ": a post-credits scene from {} s to {} s",
            trim_num(p.start_s, 2),
            trim_num(p.end_s, 2)
        );
    }
    Some(line)
}

//! How far the probe of one film has got: what it is doing, and for the passes that read the
//! whole film, how much of it they have read. Sent by a worker while it works, so a person
//! waiting on one long film at a terminal sees it move; never part of any report.

use serde::{Deserialize, Serialize};

/// The step a probe is in, in the order a probe takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// The header, the runtime from the last packets, the MP4 boxes.
    Header,
    /// Decoding the sound (loudness, silence, clipping), with embedded subtitles alongside.
    Sound,
    /// Decoding every picture (damage, frame rate, scan, flashes).
    Picture,
    /// Looking at sampled pictures (end credits, black), by seeking.
    Sampled,
    /// Timing the subtitles.
    Subtitles,
    /// Reading the file's provenance (C2PA, XMP, camera metadata).
    Provenance,
}

impl Step {
    /// What a person is told the probe is doing.
    pub fn said(self) -> &'static str {
        match self {
            Step::Header => "reading the header",
            Step::Sound => "decoding the sound",
            Step::Picture => "decoding the picture",
            Step::Sampled => "looking at sampled pictures",
            Step::Subtitles => "timing the subtitles",
            Step::Provenance => "reading the provenance",
        }
    }

    /// Whether the step reads the film from start to end, so that how far it has read is the
    /// share of the film it has done.
    pub fn reads_through(self) -> bool {
        matches!(self, Step::Sound | Step::Picture)
    }
}

/// One report of progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: Step,
    /// The share of the film's bytes the step has read (0 to 1), for the steps that read it
    /// through; `None` for the others.
    pub share: Option<f64>,
}

/// The line a worker sends for a `Progress`; the answer line comes after the last of them.
#[derive(Serialize, Deserialize)]
struct ProgressLine {
    progress: Progress,
}

/// The JSON line of `p`.
pub fn line(p: Progress) -> String {
    serde_json::to_string(&ProgressLine { progress: p }).unwrap_or_default()
}

/// The progress a worker's line reports, or `None` when the line is not a progress line (its
/// answer). Only the worker's own serialisation starts a line, so the prefix decides.
pub fn parse(line: &str) -> Option<Progress> {
    if !line.starts_with("{\"progress\":") {
        return None;
    }
    serde_json::from_str::<ProgressLine>(line)
        .ok()
        .map(|l| l.progress)
        .filter(|p| p.share.is_none_or(|s| (0.0..=1.0).contains(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_reads_back_and_an_answer_is_not_one() {
        let p = Progress {
            step: Step::Picture,
            share: Some(0.42),
        };
        assert_eq!(parse(&line(p)), Some(p));
        assert_eq!(parse(r#"{"facts":{"path":"x"}}"#), None);
        // A share outside 0..1 is nothing a worker sends.
        assert_eq!(parse(r#"{"progress":{"step":"sound","share":7.0}}"#), None);
    }
}

//! From classified samples to segments. Pure: the decisions about what counts as credits live
//! here, apart from decoding, so they can be tested on made-up timelines.

use super::features::{Kind, Polarity};

#[derive(Debug, Clone)]
pub struct Sample {
    pub t: f64,
    pub kind: Kind,
    pub text: f64,
    /// Evidence shown by `--explain`: share of rows in text lines, number of lines, polarity
    /// and the per-row edge profile.
    pub rows: f64,
    pub lines: usize,
    pub polarity: Polarity,
    pub profile: Vec<u16>,
}

/// A stretch of text samples, with the nearest samples either side that are not part of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    pub first: f64,
    pub last: f64,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub texts: usize,
    pub score: f64,
}

impl Run {
    pub fn span(&self, step: f64) -> f64 {
        self.last - self.first + step
    }
}

/// Black between name cards is part of the credits; picture only briefly (credits over
/// moving picture lose their text for a moment between lines).
const BRIDGE_BLACK_S: f64 = 8.0;
const BRIDGE_PICTURE_S: f64 = 4.0;

/// Groups text samples (sorted by time) into runs, bridging short gaps.
pub fn runs(samples: &[Sample]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut open: Option<(usize, usize, f64, usize)> = None; // first idx, last idx, score sum, n
    for (i, s) in samples.iter().enumerate() {
        if s.kind != Kind::Text {
            continue;
        }
        if let Some((first, last, sum, n)) = open {
            let between = &samples[last + 1..i];
            let gap = s.t - samples[last].t;
            let bridged = between.is_empty()
                || (between.iter().all(|b| b.kind == Kind::Black) && gap <= BRIDGE_BLACK_S)
                || gap <= BRIDGE_PICTURE_S;
            if bridged {
                open = Some((first, i, sum + s.text, n + 1));
                continue;
            }
            out.push(close(samples, first, last, sum, n));
        }
        open = Some((i, i, s.text, 1));
    }
    if let Some((first, last, sum, n)) = open {
        out.push(close(samples, first, last, sum, n));
    }
    out
}

fn close(samples: &[Sample], first: usize, last: usize, sum: f64, n: usize) -> Run {
    Run {
        first: samples[first].t,
        last: samples[last].t,
        before: first.checked_sub(1).map(|i| samples[i].t),
        after: samples.get(last + 1).map(|s| s.t),
        texts: n,
        score: sum / n as f64,
    }
}

/// Shortest end credits worth the name, and the longer minimum when picture follows them (a
/// title card in the last act must not pass for credits followed by a post-credits scene).
const MIN_END_S: f64 = 4.0;
const MIN_END_BEFORE_SCENE_S: f64 = 8.0;

/// The end-credits run: the last run in the second half of the film that is followed only by
/// black or by a post-credits scene of modest length.
pub fn end_credits(samples: &[Sample], runs: &[Run], duration: f64, step: f64) -> Option<Run> {
    let scene_max = (0.25 * duration).min(180.0);
    for r in runs.iter().rev() {
        if r.last < 0.5 * duration {
            return None;
        }
        let tail: Vec<&Sample> = samples.iter().filter(|s| s.t > r.last).collect();
        let picture = tail.iter().any(|s| s.kind == Kind::Picture);
        let tail_len = duration - r.last;
        if picture && tail_len > scene_max {
            return None;
        }
        let min = if picture {
            MIN_END_BEFORE_SCENE_S
        } else {
            MIN_END_S
        };
        if r.texts >= 2 && r.span(step) >= min {
            return Some(*r);
        }
    }
    None
}

/// Opening credits: the first run that starts in the first part of the film.
pub fn opening(runs: &[Run], duration: f64, head: f64) -> Option<Run> {
    runs.iter()
        .find(|r| r.first <= head && r.last <= head.max(0.5 * duration) && r.texts >= 2)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(spec: &[(f64, f64, Kind)], step: f64) -> Vec<Sample> {
        let mut v = Vec::new();
        for &(a, b, kind) in spec {
            let mut t = a;
            while t < b {
                let text = if kind == Kind::Text { 0.9 } else { 0.0 };
                v.push(Sample {
                    t,
                    kind,
                    text,
                    rows: 0.0,
                    lines: 0,
                    polarity: Polarity::Unclear,
                    profile: Vec::new(),
                });
                t += step;
            }
        }
        v
    }

    #[test]
    fn credits_then_black() {
        let s = timeline(
            &[
                (0.0, 70.0, Kind::Picture),
                (70.0, 85.0, Kind::Text),
                (85.0, 90.0, Kind::Black),
            ],
            1.0,
        );
        let r = end_credits(&s, &runs(&s), 90.0, 1.0).expect("credits");
        assert_eq!((r.first, r.last), (70.0, 84.0));
    }

    #[test]
    fn cards_with_black_between_are_one_run() {
        let s = timeline(
            &[
                (0.0, 60.0, Kind::Picture),
                (60.0, 64.0, Kind::Text),
                (64.0, 65.0, Kind::Black),
                (65.0, 69.0, Kind::Text),
            ],
            1.0,
        );
        assert_eq!(runs(&s).len(), 2 - 1);
    }

    #[test]
    fn title_card_in_last_act_is_not_credits() {
        let s = timeline(
            &[
                (0.0, 70.0, Kind::Picture),
                (70.0, 74.0, Kind::Text),
                (74.0, 90.0, Kind::Picture),
            ],
            1.0,
        );
        assert!(end_credits(&s, &runs(&s), 90.0, 1.0).is_none());
    }

    #[test]
    fn post_credits_scene_is_allowed() {
        let s = timeline(
            &[
                (0.0, 60.0, Kind::Picture),
                (60.0, 80.0, Kind::Text),
                (80.0, 90.0, Kind::Picture),
            ],
            1.0,
        );
        assert!(end_credits(&s, &runs(&s), 90.0, 1.0).is_some());
    }
}

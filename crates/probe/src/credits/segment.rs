//! From classified samples to segments. Pure: the decisions about what counts as credits live
//! here, apart from decoding, so they can be tested on made-up timelines.

use super::features::{EdgeMap, Kind, Polarity};
use reelcheck_facts::settings::CreditsSettings;

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
    pub edges: EdgeMap,
    /// Text found only as still lines over moving picture (compared with an earlier sample).
    pub overlay: bool,
    /// Text found only as faint lines climbing at the speed of the pictures either side.
    pub scroll: bool,
    /// The reduced picture, kept for the text detector (shared: samples are cloned).
    pub luma: Option<std::sync::Arc<crate::sampler::Luma>>,
    /// What the text detector found, when it looked at this picture.
    pub found: Option<super::detector::TextFound>,
    /// The lines the text reader read in the detector's boxes, when it read this picture.
    pub read: Option<Vec<super::reader::Line>>,
    /// Why text the cheap measures saw was set aside as not credits.
    pub set_aside: Option<&'static str>,
    /// Text only the detector found, where the cheap measures saw picture (the rescue).
    pub rescued: bool,
}

/// Text that starts within this share of the film and is followed by more than a moment of
/// anything else is an opening.
const OPENING_SHARE: f64 = 0.15;

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

/// How long picture was seen between two text samples: from its first to its last sample.
fn shot_between(between: &[Sample]) -> f64 {
    let first = between.iter().find(|s| s.kind == Kind::Picture);
    let last = between.iter().rev().find(|s| s.kind == Kind::Picture);
    match (first, last) {
        (Some(a), Some(b)) => b.t - a.t,
        _ => 0.0,
    }
}

/// Groups text samples (sorted by time) into runs, bridging short gaps.
/// Black between name cards is part of the credits; picture only briefly (credits over
/// moving picture lose their text for a moment between lines), and picture seen for a shot
/// of its own (a title card, then a shot, then the end card) breaks the run.
pub fn runs(samples: &[Sample], t: &CreditsSettings) -> Vec<Run> {
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
                || (between.iter().all(|b| b.kind == Kind::Black) && gap <= t.bridge_black_s)
                || (gap <= t.bridge_picture_s && shot_between(between) < t.shot_s);
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

/// The end-credits run: the last run in the second half of the film that is followed only by
/// black or by a post-credits scene of modest length.
/// Shortest end credits worth the name when picture follows them (a title card in the last act
/// must not pass for credits followed by a post-credits scene), and when nothing but black
/// does: a title held for a second at the very end is still the film's last text.
pub fn end_credits(
    samples: &[Sample],
    runs: &[Run],
    duration: f64,
    step: f64,
    t: &CreditsSettings,
) -> Option<Run> {
    let scene_max = (0.25 * duration).min(180.0);
    for r in runs.iter().rev() {
        if r.last < 0.5 * duration {
            return None;
        }
        // Picture in the last moment only (a title fading out over the shot under it) does not
        // make a scene after the credits.
        let picture = samples
            .iter()
            .find(|s| s.t > r.last && s.kind == Kind::Picture)
            .is_some_and(|s| duration - s.t > t.trailing_picture_s);
        let tail_len = duration - r.last;
        if picture && tail_len > scene_max {
            return None;
        }
        // A block near the start followed by more than a moment of anything (picture, or a
        // dark picture that reads as black) is the opening, not end credits.
        if r.first < OPENING_SHARE * duration && tail_len > t.trailing_picture_s {
            return None;
        }
        let min = if picture {
            t.min_end_before_scene_s
        } else {
            t.min_end_card_s
        };
        // The span counts the sampling step once; a card seen by the dense end scan is measured
        // by its samples, not by the coarse step.
        let span = if picture {
            r.span(step)
        } else {
            r.last - r.first + step.min(0.25)
        };
        if r.texts >= 2 && span >= min {
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

    const T: CreditsSettings = CreditsSettings::DEFAULT;

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
                    edges: EdgeMap::default(),
                    overlay: false,
                    scroll: false,
                    luma: None,
                    found: None,
                    read: None,
                    set_aside: None,
                    rescued: false,
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
        let r = end_credits(&s, &runs(&s, &T), 90.0, 1.0, &T).expect("credits");
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
        assert_eq!(runs(&s, &T).len(), 2 - 1);
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
        assert!(end_credits(&s, &runs(&s, &T), 90.0, 1.0, &T).is_none());
    }

    #[test]
    fn a_one_second_card_at_the_very_end_is_the_end_card() {
        let s = timeline(
            &[
                (0.0, 15.0, Kind::Picture),
                (15.0, 16.0, Kind::Black),
                (16.0, 17.2, Kind::Text),
            ],
            0.25,
        );
        let r = end_credits(&s, &runs(&s, &T), 17.2, 0.75, &T).expect("end card");
        assert_eq!(r.first, 16.0);
    }

    #[test]
    fn a_title_card_then_a_shot_then_the_end_card_are_two_runs() {
        let s = timeline(
            &[
                (0.0, 20.0, Kind::Picture),
                (20.0, 23.0, Kind::Text),
                (23.0, 26.0, Kind::Picture),
                (26.0, 30.0, Kind::Text),
            ],
            0.25,
        );
        let r = end_credits(&s, &runs(&s, &T), 30.0, 0.75, &T).expect("end card");
        assert_eq!(r.first, 26.0);
    }

    #[test]
    fn a_moment_of_picture_between_lines_does_not_split_credits() {
        let s = timeline(
            &[
                (0.0, 60.0, Kind::Picture),
                (60.0, 70.0, Kind::Text),
                (70.0, 71.0, Kind::Picture),
                (71.0, 80.0, Kind::Text),
            ],
            1.0,
        );
        assert_eq!(runs(&s, &T).len(), 2 - 1);
    }

    #[test]
    fn a_mid_film_card_followed_by_a_shot_is_not_an_end_card() {
        let s = timeline(
            &[
                (0.0, 3.0, Kind::Picture),
                (3.0, 8.0, Kind::Text),
                (8.0, 13.0, Kind::Picture),
            ],
            0.25,
        );
        assert!(end_credits(&s, &runs(&s, &T), 13.0, 0.75, &T).is_none());
    }

    #[test]
    fn an_opening_card_then_dark_picture_is_not_end_credits() {
        let s = timeline(
            &[
                (0.0, 0.5, Kind::Picture),
                (0.5, 3.0, Kind::Text),
                (3.0, 20.0, Kind::Black),
            ],
            0.25,
        );
        assert!(end_credits(&s, &runs(&s, &T), 20.0, 0.75, &T).is_none());
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
        assert!(end_credits(&s, &runs(&s, &T), 90.0, 1.0, &T).is_some());
    }
}

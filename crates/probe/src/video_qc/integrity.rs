//! Decode integrity: where the picture is damaged. Three signs, all from the one decode: a
//! packet the demuxer marks corrupt or the decoder rejects, a frame the decoder had to conceal
//! or flags as corrupt, and a picture that stops decoding before the stream's stated end.
//! Frames missing against the timestamps are counted as dropped, apart: a recorder that skipped
//! frames left no damaged picture, only a jump.

use reelcheck_facts::Segment;

/// Marks closer than this are one damaged span: concealment spreads over neighbouring frames.
const MERGE_S: f64 = 0.5;

#[derive(Debug, Default)]
pub struct Integrity {
    /// One frame's length, when the rate is known.
    step: Option<f64>,
    /// A gap longer than this between two frames means frames are missing.
    gap: Option<f64>,
    pub errors: u64,
    pub frames: u64,
    pub missing: u64,
    marks: Vec<(f64, f64)>,
    last_t: Option<f64>,
}

/// What integrity found, once the decode ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub decoded_to_end: Option<bool>,
    pub damaged: Vec<Segment>,
    /// The last span runs to the stated end because decoding stopped there.
    pub stopped_early: bool,
}

impl Integrity {
    /// `fps` is the stream's rate; `slowest_fps` the slowest rate between two frames, which
    /// for a variable-rate stream is where a long frame is not a missing one.
    pub fn new(fps: Option<f64>, slowest_fps: Option<f64>) -> Integrity {
        let valid = |r: Option<f64>| r.filter(|r| r.is_finite() && *r > 0.0);
        let step = valid(fps).map(|r| 1.0 / r);
        let longest = valid(slowest_fps).map(|r| 1.0 / r).or(step);
        Integrity {
            step,
            gap: longest.map(|l| 1.5 * l),
            ..Default::default()
        }
    }

    /// A decode error at `t` (the last frame's time when the packet carried none).
    pub fn error(&mut self, t: Option<f64>) {
        self.errors += 1;
        let t = t.or(self.last_t).unwrap_or(0.0).max(0.0);
        self.mark(t, t + self.step.unwrap_or(0.0));
    }

    /// A decoded frame at `t`, `damaged` when concealed or flagged corrupt.
    pub fn frame(&mut self, t: f64, damaged: bool) {
        self.frames += 1;
        if damaged {
            self.errors += 1;
            self.mark(t, t + self.step.unwrap_or(0.0));
        }
        if let (Some(prev), Some(gap), Some(step)) = (self.last_t, self.gap, self.step) {
            let d = t - prev;
            if d > gap {
                self.missing += ((d / step).round() as u64).saturating_sub(1).max(1);
            }
        }
        if self.last_t.is_none_or(|l| t > l) {
            self.last_t = Some(t);
        }
    }

    fn mark(&mut self, start: f64, end: f64) {
        self.marks.push((start, end.max(start)));
    }

    /// Closes the account against `stated_s`, the length the file states for the picture.
    pub fn finish(mut self, stated_s: Option<f64>) -> Found {
        let step = self.step.unwrap_or(0.0);
        let end = self.last_t.map(|t| t + step);
        let stated = stated_s.filter(|s| s.is_finite() && *s > 0.0);
        let decoded_to_end = stated.map(|s| {
            let slack = (2.0 * step).max(0.5);
            end.is_some_and(|e| e + slack >= s)
        });
        let stopped_early = decoded_to_end == Some(false);
        if let (true, Some(s)) = (stopped_early, stated) {
            self.mark(end.unwrap_or(0.0), s);
        }
        self.marks
            .sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        let mut spans: Vec<(f64, f64)> = Vec::new();
        for (s, e) in self.marks {
            match spans.last_mut() {
                Some(last) if s <= last.1 + MERGE_S => last.1 = last.1.max(e),
                _ => spans.push((s, e)),
            }
        }
        Found {
            decoded_to_end,
            damaged: spans
                .into_iter()
                .map(|(s, e)| Segment {
                    start_s: round_ms(s),
                    end_s: round_ms(e),
                })
                .collect(),
            stopped_early,
        }
    }
}

pub fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_frames_leave_no_damage() {
        let mut i = Integrity::new(Some(25.0), Some(25.0));
        for n in 0..250 {
            i.frame(f64::from(n) * 0.04, false);
        }
        let f = i.finish(Some(10.0));
        assert_eq!(f.decoded_to_end, Some(true));
        assert!(f.damaged.is_empty());
    }

    #[test]
    fn concealed_frames_and_an_early_stop_are_spans_and_gaps_are_not() {
        let mut i = Integrity::new(Some(25.0), Some(25.0));
        for n in 0..150 {
            if (50..60).contains(&n) {
                continue; // ten frames missing at 2.0 s
            }
            i.frame(f64::from(n) * 0.04, (100..103).contains(&n));
        }
        assert_eq!(i.missing, 10);
        let f = i.finish(Some(10.0));
        assert_eq!(f.decoded_to_end, Some(false));
        let spans: Vec<(f64, f64)> = f.damaged.iter().map(|s| (s.start_s, s.end_s)).collect();
        assert_eq!(spans, vec![(4.0, 4.12), (6.0, 10.0)]);
    }
}

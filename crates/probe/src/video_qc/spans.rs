//! Stretches inside the film where the picture stands still (freezedetect's idea: the mean
//! absolute difference from the first frame of the stretch stays under a noise floor) or is
//! black (as the black analyzer judges a frame). Directors use both on purpose, so these are
//! notes for a person, not faults.

use crate::black::is_black;
use crate::video_qc::picture::Plane;
use reelcheck_facts::Segment;

/// Shortest stretch listed, as freezedetect's and blackdetect's defaults.
pub const MIN_SPAN_S: f64 = 2.0;
/// Mean absolute difference (8-bit levels, on the small picture) that still counts as the
/// same picture: encoder noise on a held frame, not motion.
const FROZEN_MAD: f64 = 0.5;

#[derive(Debug, Default)]
struct Run {
    start: Option<f64>,
    last: f64,
    spans: Vec<Segment>,
}

impl Run {
    /// The picture at `t` continues the run (`on`) or not; `step` is one frame's length.
    fn push(&mut self, t: f64, on: bool, step: f64) {
        if on {
            self.start.get_or_insert(t);
            self.last = t;
        } else {
            self.close(step);
        }
    }

    fn close(&mut self, step: f64) {
        if let Some(s) = self.start.take() {
            let end = self.last + step;
            if end - s >= MIN_SPAN_S - 1e-6 {
                self.spans.push(Segment {
                    start_s: round_ms(s),
                    end_s: round_ms(end),
                });
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Spans {
    anchor: Option<Plane>,
    frozen: Run,
    black: Run,
    step: f64,
    last_t: Option<f64>,
}

fn mad(a: &Plane, b: &Plane) -> f64 {
    if a.px.len() != b.px.len() || a.px.is_empty() {
        return f64::INFINITY;
    }
    let sum: u64 =
        a.px.iter()
            .zip(&b.px)
            .map(|(&x, &y)| u64::from(x.abs_diff(y)))
            .sum();
    sum as f64 / a.px.len() as f64
}

impl Spans {
    pub fn push(&mut self, t: f64, small_y: &Plane) {
        if let Some(prev) = self.last_t {
            if t > prev {
                let d = t - prev;
                self.step = if self.step > 0.0 { self.step.min(d) } else { d };
            }
        }
        self.last_t = Some(t);
        let black = is_black(small_y);
        self.black.push(t, black, self.step);
        if black {
            // Black held is listed as black, not also as a frozen picture.
            self.frozen.close(self.step);
            self.anchor = None;
            return;
        }
        let same = self
            .anchor
            .as_ref()
            .is_some_and(|a| mad(a, small_y) <= FROZEN_MAD);
        if same {
            self.frozen.push(t, true, self.step);
        } else {
            // A new picture: the stretch, if any, ended with the frame before.
            self.frozen.close(self.step);
            self.anchor = Some(small_y.clone());
            self.frozen.push(t, true, self.step);
        }
    }

    /// (frozen, black) stretches.
    pub fn finish(mut self) -> (Vec<Segment>, Vec<Segment>) {
        self.frozen.close(self.step);
        self.black.close(self.step);
        (self.frozen.spans, self.black.spans)
    }
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(v: u8) -> Plane {
        Plane {
            w: 10,
            h: 10,
            px: vec![v; 100],
        }
    }

    #[test]
    fn a_held_picture_and_black_are_stretches() {
        let mut s = Spans::default();
        for n in 0..100 {
            let t = f64::from(n) * 0.1;
            // 0–3 s moving, 3–6 s held, 6–10 s black.
            let v = if t < 3.0 {
                100 + (n % 7) as u8 * 10
            } else if t < 6.0 {
                180
            } else {
                16
            };
            s.push(t, &plane(v));
        }
        let (frozen, black) = s.finish();
        let f: Vec<(f64, f64)> = frozen.iter().map(|s| (s.start_s, s.end_s)).collect();
        assert_eq!(f, vec![(3.0, 6.0)]);
        let b: Vec<(f64, f64)> = black.iter().map(|s| (s.start_s, s.end_s)).collect();
        assert_eq!(b, vec![(6.0, 10.0)]);
    }
}

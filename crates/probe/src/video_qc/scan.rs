//! Interlacing in the picture itself, whatever the header says. Combing is counted as
//! FFmpeg's `fieldmatch` counts it: pixels that differ from both neighbouring lines in the
//! same direction and that a vertical filter tuned to alternating lines picks out. A frame is
//! then judged by how its own pair of fields combs against the four pairs made with a field
//! of the previous or next frame:
//!
//! - progressive: its own pair is clearly the best (at most one other pair comes close, which
//!   a repeated field of 3:2 pulldown makes);
//! - interlaced, top field first: the pairs one field apart in time on the top-first side
//!   comb as little as its own (and bottom field first likewise);
//! - pulled down: some pair with a neighbour's field combs far less than its own, as the
//!   mixed frames of 3:2 pulldown do.
//!
//! Unlike `idet` (whose field-swap test reads fast motion in a progressive picture as
//! interlacing), a frame judged by comparison with its neighbours' fields is not fooled by
//! texture or motion, and a frame that barely moves is left undetermined rather than called
//! progressive: a still picture cannot tell.

use crate::video_qc::picture::Plane;
use reelcheck_facts::ScanShares;

/// A line must differ from both neighbours by more than this (8-bit levels) to comb.
const COMB_DIFF: i32 = 9;
/// Every how many columns combing is counted: combs are vertical, so a sample is enough.
const COLUMN_STEP: usize = 2;
/// A frame whose field pairings differ by less than this share of its counted pixels is
/// still.
const STILL_SHARE: f64 = 0.004;
/// A pairing within this share of the largest difference combs "as little" as the frame's
/// own pair.
const CLOSE: f64 = 0.3;
/// A pairing this much better than the frame's own pair makes it a pulled-down frame.
const PULLED: f64 = 0.6;
/// Films with fewer moving frames than this are not judged.
const MIN_MOVING: u64 = 10;
/// One frame in this many is judged (with the frame before and after it): the scan of a film
/// is a share, and eight is prime to pulldown's five-frame cadence, so every phase is seen.
pub const EVERY: u64 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    Progressive,
    Tff,
    Bff,
    /// A frame made of fields of two different pictures, where a neighbour holds the match.
    Pulled,
    Undetermined,
}

/// Combed pixels of the frame whose even lines come from `top` and odd lines from `bottom`.
fn combing(top: &Plane, bottom: &Plane) -> i64 {
    let w = top.w;
    let row = |y: usize| {
        if y.is_multiple_of(2) {
            top.row(y)
        } else {
            bottom.row(y)
        }
    };
    let mut n = 0;
    for y in 2..top.h - 2 {
        let (a2, a1, b, c1, c2) = (row(y - 2), row(y - 1), row(y), row(y + 1), row(y + 2));
        for x in (0..w).step_by(COLUMN_STEP) {
            let v = i32::from(b[x]);
            let (d1, d2) = (v - i32::from(a1[x]), v - i32::from(c1[x]));
            if ((d1 > COMB_DIFF && d2 > COMB_DIFF) || (d1 < -COMB_DIFF && d2 < -COMB_DIFF))
                && (i32::from(a2[x]) + 4 * v + i32::from(c2[x])
                    - 3 * (i32::from(a1[x]) + i32::from(c1[x])))
                .abs()
                    > 6 * COMB_DIFF
            {
                n += 1;
            }
        }
    }
    n
}

/// Judges `cur` from its neighbours.
pub fn judge(prev: &Plane, cur: &Plane, next: &Plane) -> Judged {
    let same = |p: &Plane| p.w == cur.w && p.h == cur.h;
    if !same(prev) || !same(next) || cur.h < 8 || cur.w == 0 {
        return Judged::Undetermined;
    }
    let own = combing(cur, cur);
    // Top field first: the top field is the earlier one, so the previous frame's bottom
    // field and the next frame's top field are each one field away.
    let t1 = combing(cur, prev) - own;
    let t2 = combing(next, cur) - own;
    let b1 = combing(cur, next) - own;
    let b2 = combing(prev, cur) - own;
    let all = [t1, t2, b1, b2];
    let most = all.iter().copied().max().unwrap_or(0);
    let least = all.iter().copied().min().unwrap_or(0);
    let counted = (cur.h * cur.w.div_ceil(COLUMN_STEP)) as f64;
    if (most.max(-least) as f64) < STILL_SHARE * counted {
        return Judged::Undetermined;
    }
    let m = most.max(1) as f64;
    if (least as f64) < -PULLED * m {
        return Judged::Pulled;
    }
    let close = |d: i64| (d as f64) < CLOSE * m;
    let (top_first, bottom_first) = (close(t1) && close(t2), close(b1) && close(b2));
    match (
        all.iter().filter(|&&d| close(d)).count(),
        top_first,
        bottom_first,
    ) {
        (0 | 1, _, _) => Judged::Progressive,
        (_, true, false) => Judged::Tff,
        (_, false, true) => Judged::Bff,
        _ => Judged::Undetermined,
    }
}

#[derive(Debug, Default)]
pub struct Scan {
    /// Consecutive frames (numbered) waiting for the one after the judged frame.
    window: Vec<(u64, Plane)>,
    /// Frames judged, moving or not.
    frames: u64,
    progressive: u64,
    tff: u64,
    bff: u64,
    pulled: u64,
}

impl Scan {
    /// Whether frame `n` (counted from 0) is judged or a neighbour of one that is.
    pub fn wants(n: u64) -> bool {
        n % EVERY < 3
    }

    /// Whether frame `n` is the one judged (the tall pictures of the others are not needed
    /// by anything else).
    pub fn judges(n: u64) -> bool {
        n % EVERY == 1
    }

    /// Takes frame `n`'s tall luma (a frame `wants` named); judges when the three are there.
    pub fn push(&mut self, n: u64, p: Plane) {
        if self.window.last().is_some_and(|(last, _)| *last + 1 != n) {
            self.window.clear();
        }
        self.window.push((n, p));
        if self.window.len() < 3 {
            return;
        }
        self.frames += 1;
        match judge(&self.window[0].1, &self.window[1].1, &self.window[2].1) {
            Judged::Progressive => self.progressive += 1,
            Judged::Tff => self.tff += 1,
            Judged::Bff => self.bff += 1,
            Judged::Pulled => self.pulled += 1,
            Judged::Undetermined => {}
        }
        self.window.clear();
    }

    /// The film's scan ("progressive" …; `None` when too little moves) and the shares.
    pub fn finish(self) -> (Option<&'static str>, ScanShares) {
        let moving = self.progressive + self.tff + self.bff + self.pulled;
        let share = |n: u64| round3(n as f64 / moving.max(1) as f64);
        let shares = ScanShares {
            progressive: share(self.progressive),
            interlaced_tff: share(self.tff),
            interlaced_bff: share(self.bff),
            telecined: share(self.pulled),
            undetermined: round3(1.0 - moving as f64 / self.frames.max(1) as f64),
        };
        if moving < MIN_MOVING {
            return (None, shares);
        }
        let m = moving as f64;
        let interlaced = (self.tff + self.bff) as f64;
        let kind = if (interlaced + self.pulled as f64) < 0.15 * m {
            "progressive"
        } else if self.pulled as f64 >= 0.2 * m && self.pulled as f64 > interlaced {
            "telecined"
        } else if interlaced > 0.6 * m && self.tff as f64 >= 0.8 * interlaced {
            "interlaced_tff"
        } else if interlaced > 0.6 * m && self.bff as f64 >= 0.8 * interlaced {
            "interlaced_bff"
        } else {
            "mixed"
        };
        (Some(kind), shares)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bright bars on dark moving four lines per field; with `interlaced`, each
    /// frame's odd lines are one field later.
    fn frame(n: usize, interlaced: bool) -> Plane {
        let (w, h) = (32, 96);
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            let t = if interlaced && y % 2 == 1 {
                2 * n + 1
            } else {
                2 * n
            };
            let v = if ((y + 4 * t) / 16) % 2 == 0 { 200 } else { 20 };
            px[y * w..(y + 1) * w].fill(v);
        }
        Plane { w, h, px }
    }

    #[test]
    fn fields_from_two_moments_are_interlaced_and_from_one_progressive() {
        let judge3 = |i: bool| judge(&frame(1, i), &frame(2, i), &frame(3, i));
        assert_eq!(judge3(true), Judged::Tff);
        assert_eq!(judge3(false), Judged::Progressive);
        let still = frame(0, true);
        assert_eq!(judge(&still, &still, &still), Judged::Undetermined);
    }
}

//! The head of the film: colour bars, a slate or a countdown leader before the film begins,
//! read from the small pictures of its first frames (the same decode as every other
//! measurement; nothing past `HEAD_MAX_S` is looked at).
//!
//! Each frame gets a few cheap features, and the parts are cut from them at the end:
//! - **bars**: the upper part of the picture (8 % to 45 % of its height, where SMPTE, SMPTE HD
//!   and EBU bars all have their main row) is made of vertical bands of flat colour, at least
//!   six of them and at least four saturated, and the picture holds still for a second.
//! - **countdown**: the outer ring of the picture holds still while its centre changes in
//!   steps about one second apart (a new number each second; a sweep hand may move in
//!   between), at least three steps in a row.
//! - **slate**: a still card (a flat background covering most of the picture with a little
//!   high-contrast ink on it, text) held for a second — named a slate only next to bars or a
//!   countdown, since on its own it cannot be told from a title card, which belongs to the film.
//!
//! Black between the parts is part of the leader; the leader ends where the last part ends.
//! Once five seconds of picture have been neither black, bars nor a card, with the edges of
//! the picture moving, the film has begun and the rest is not looked at.

use crate::black::is_black;
use crate::video_qc::picture::{Plane, Small};
use reelcheck_facts::HeadPart;

/// The first seconds looked at: a leader longer than this is cut off here.
pub const HEAD_MAX_S: f64 = 120.0;
/// Seconds of picture that cannot belong to a leader (neither black, bars nor a card, and
/// moving at its edges) after which the film has begun and no more frames are looked at.
const FILM_BEGUN_S: f64 = 5.0;
/// Shortest part: a second of bars, card or countdown.
const MIN_PART_S: f64 = 1.0;
/// Mean absolute difference between consecutive small pictures (8-bit levels) under which
/// the picture holds still: encoder noise, not change.
const STILL_MAD: f64 = 1.0;
/// A column of the bars' row whose levels stray further than this from its mean is not flat.
const FLAT_DEV: i32 = 8;
/// Levels (Y+U+V) by which two neighbouring columns differ to start a new band.
const BAND_STEP: i32 = 24;
/// Chroma distance from grey (8-bit levels) of a saturated band (75 % bars are 40 to 110).
const SATURATED: f64 = 30.0;
/// A change of the centre counts as a step when above this (levels) and well above its
/// typical change (a sweep hand moves every frame; the number changes once a second).
const STEP_MAD: f64 = 2.0;
/// The spacing of a countdown's steps, seconds.
const STEP_MIN_S: f64 = 0.8;
const STEP_MAX_S: f64 = 1.25;

#[derive(Debug, Clone, Copy)]
struct Frame {
    t: f64,
    black: bool,
    bars: bool,
    card: bool,
    /// Mean absolute luma difference from the frame before: all, outer ring, centre.
    all_d: f64,
    ring_d: f64,
    centre_d: f64,
}

#[derive(Debug, Default)]
pub struct Head {
    frames: Vec<Frame>,
    prev: Option<Plane>,
    step: f64,
    /// Since when the picture has been film, not leader.
    film_since: Option<f64>,
    done: bool,
}

impl Head {
    /// Whether frames at `t` are still looked at.
    pub fn wants(&self, t: f64) -> bool {
        !self.done && t < HEAD_MAX_S
    }

    pub fn push(&mut self, t: f64, small: &Small) {
        if !self.wants(t) {
            return;
        }
        if let Some(last) = self.frames.last() {
            if t > last.t {
                let d = t - last.t;
                self.step = if self.step > 0.0 { self.step.min(d) } else { d };
            }
        }
        let y = &small.y;
        let (all_d, ring_d, centre_d) = match &self.prev {
            Some(p) => diffs(p, y),
            None => (f64::INFINITY, f64::INFINITY, f64::INFINITY),
        };
        let frame = Frame {
            t,
            black: is_black(y),
            bars: is_bars(small),
            card: is_card(y),
            all_d,
            ring_d,
            centre_d,
        };
        let film = !frame.black && !frame.bars && !frame.card && frame.ring_d > STILL_MAD;
        if !film {
            self.film_since = None;
        } else if t - *self.film_since.get_or_insert(t) >= FILM_BEGUN_S {
            // Every leader part runs from the start with only black between: it is over.
            self.done = true;
        }
        self.frames.push(frame);
        self.prev = Some(y.clone());
    }

    /// The parts of the leader, in order; empty when the film opens on the film.
    pub fn finish(mut self) -> Vec<HeadPart> {
        self.frames.sort_by(|a, b| a.t.total_cmp(&b.t));
        let step = if self.step > 0.0 { self.step } else { 0.04 };
        let f = &self.frames;
        let end_of = |j: usize| {
            f.get(j)
                .map_or(f.last().map_or(0.0, |l| l.t + step), |x| x.t)
        };
        let mut parts: Vec<(&'static str, usize, usize)> = Vec::new();
        let mut i = 0;
        while i < f.len() {
            while i < f.len() && f[i].black {
                i += 1;
            }
            if i >= f.len() {
                break;
            }
            let j = still_run(f, i, |x| x.bars);
            if end_of(j) - f[i].t >= MIN_PART_S {
                parts.push(("bars", i, j));
                i = j;
                continue;
            }
            if let Some((a, b)) = countdown(f, i, step) {
                if a > i {
                    // What comes before the countdown's first number, on the same background:
                    // a card, if anything.
                    let j = still_run(f, i, |x| x.card).min(a);
                    if end_of(j) - f[i].t >= MIN_PART_S {
                        parts.push(("slate", i, j));
                    }
                }
                parts.push(("countdown", a, b));
                i = b;
                continue;
            }
            let j = still_run(f, i, |x| x.card);
            if end_of(j) - f[i].t >= MIN_PART_S {
                parts.push(("slate", i, j));
                i = j;
                continue;
            }
            break;
        }
        // A card is a slate only beside bars or a countdown (black between them allowed).
        let keep: Vec<bool> = (0..parts.len())
            .map(|k| {
                parts[k].0 != "slate"
                    || [k.checked_sub(1), Some(k + 1)]
                        .into_iter()
                        .flatten()
                        .any(|n| parts.get(n).is_some_and(|p| p.0 != "slate"))
            })
            .collect();
        // A card that is not a slate is where the film begins: nothing from it on is leader.
        let leader = keep.iter().position(|k| !k).unwrap_or(parts.len());
        parts[..leader]
            .iter()
            .map(|(kind, a, b)| HeadPart {
                kind: (*kind).to_string(),
                start_s: round_ms(f[*a].t),
                end_s: round_ms(end_of(*b)),
            })
            .collect()
    }
}

/// The end (exclusive) of the run of frames from `i` that pass `test` and hold still.
fn still_run(f: &[Frame], i: usize, test: impl Fn(&Frame) -> bool) -> usize {
    let mut j = i;
    while j < f.len() && test(&f[j]) && (j == i || f[j].all_d <= STILL_MAD) {
        j += 1;
    }
    j
}

/// A countdown starting at or after `i`: (first frame, end frame exclusive).
fn countdown(f: &[Frame], i: usize, step: f64) -> Option<(usize, usize)> {
    // The run over which the outer ring holds still.
    let mut j = i + 1;
    while j < f.len() && !f[j].black && f[j].ring_d <= STILL_MAD {
        j += 1;
    }
    if j <= i + 1 {
        return None;
    }
    let mut typical: Vec<f64> = f[i + 1..j].iter().map(|x| x.centre_d).collect();
    typical.sort_by(f64::total_cmp);
    let median = typical[typical.len() / 2];
    let limit = STEP_MAD.max(3.0 * median);
    // Steps: frames whose centre changed beyond the limit, runs of them taken as one.
    let mut steps: Vec<usize> = Vec::new();
    for k in i + 1..j {
        if f[k].centre_d > limit && !(k > i + 1 && f[k - 1].centre_d > limit) {
            steps.push(k);
        }
    }
    // The longest chain of steps about a second apart.
    let mut best: Option<(usize, usize)> = None;
    let mut a = 0;
    for b in 0..steps.len() {
        if b > a {
            let gap = f[steps[b]].t - f[steps[b - 1]].t;
            if !(STEP_MIN_S..=STEP_MAX_S).contains(&gap) {
                a = b;
            }
        }
        if best.is_none_or(|(x, y)| b - a > y - x) {
            best = Some((a, b));
        }
    }
    let (a, b) = best?;
    if b - a + 1 < 3 {
        return None;
    }
    let period = (f[steps[b]].t - f[steps[a]].t) / (b - a) as f64;
    // The first number shows one period before the first step, the last for one period
    // after the last, within the run.
    let from_t = f[steps[a]].t - period - step / 2.0;
    let to_t = f[steps[b]].t + period - step / 2.0;
    let first = (i..steps[a])
        .find(|&k| f[k].t >= from_t)
        .unwrap_or(steps[a]);
    let end = (steps[b]..j).find(|&k| f[k].t >= to_t).unwrap_or(j);
    Some((first, end))
}

/// (whole picture, outer ring, centre) mean absolute differences; the centre is the middle
/// 60 % of each side, the ring the rest.
fn diffs(a: &Plane, b: &Plane) -> (f64, f64, f64) {
    if a.w != b.w || a.h != b.h || a.px.is_empty() {
        return (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    }
    let (x0, x1) = (a.w / 5, a.w - a.w / 5);
    let (y0, y1) = (a.h / 5, a.h - a.h / 5);
    let (mut all, mut ring, mut centre) = (0u64, 0u64, 0u64);
    let (mut n_ring, mut n_centre) = (0u64, 0u64);
    for y in 0..a.h {
        for (x, (p, q)) in a.row(y).iter().zip(b.row(y)).enumerate() {
            let d = u64::from(p.abs_diff(*q));
            all += d;
            if (x0..x1).contains(&x) && (y0..y1).contains(&y) {
                centre += d;
                n_centre += 1;
            } else {
                ring += d;
                n_ring += 1;
            }
        }
    }
    let mean = |s: u64, n: u64| if n == 0 { 0.0 } else { s as f64 / n as f64 };
    (
        mean(all, a.px.len() as u64),
        mean(ring, n_ring),
        mean(centre, n_centre),
    )
}

/// Vertical bands of flat, mostly saturated colour across the upper part of the picture.
fn is_bars(s: &Small) -> bool {
    let (w, h) = (s.y.w, s.y.h);
    if w < 16 || h < 8 || [&s.u, &s.v].iter().any(|p| p.w != w || p.h != h) {
        return false;
    }
    let (r0, r1) = (h * 8 / 100, (h * 45 / 100).max(h * 8 / 100 + 2));
    // Each column's mean colour over the rows, or None when it is not flat.
    let columns: Vec<Option<[i32; 3]>> = (0..w)
        .map(|x| {
            let mut mean = [0i32; 3];
            for (c, p) in [&s.y, &s.u, &s.v].into_iter().enumerate() {
                let at = |y: usize| i32::from(p.px[y * w + x]);
                let m = (r0..r1).map(at).sum::<i32>() / (r1 - r0) as i32;
                if (r0..r1).any(|y| (at(y) - m).abs() > FLAT_DEV) {
                    return None;
                }
                mean[c] = m;
            }
            Some(mean)
        })
        .collect();
    let flat = columns.iter().filter(|c| c.is_some()).count();
    if flat * 100 < w * 85 {
        return false;
    }
    // Bands: runs of flat columns of one colour, at least 4 % of the width, with a sharp edge
    // to the next. A run that drifts away from its first colour by small steps is a gradient,
    // not a band.
    let min_width = (w * 4 / 100).max(2);
    let mut bands: Vec<[i32; 3]> = Vec::new();
    // (first colour, last colour, width, drifted)
    let mut run: Option<([i32; 3], [i32; 3], usize, bool)> = None;
    let mut close = |run: &mut Option<([i32; 3], [i32; 3], usize, bool)>| {
        if let Some((c, _, n, drifted)) = run.take() {
            if n >= min_width && !drifted {
                bands.push(c);
            }
        }
    };
    for c in &columns {
        match (c, &mut run) {
            (Some(c), Some((first, last, n, drifted))) if dist(c, last) <= BAND_STEP => {
                *n += 1;
                *last = *c;
                *drifted |= dist(c, first) > BAND_STEP;
            }
            (Some(c), _) => {
                close(&mut run);
                run = Some((*c, *c, 1, false));
            }
            (None, _) => close(&mut run),
        }
    }
    close(&mut run);
    let saturated = bands
        .iter()
        .filter(|b| {
            let (u, v) = (f64::from(b[1] - 128), f64::from(b[2] - 128));
            (u * u + v * v).sqrt() >= SATURATED
        })
        .count();
    bands.len() >= 6 && saturated >= 4
}

fn dist(a: &[i32; 3], b: &[i32; 3]) -> i32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// A card: one flat background over most of the picture, with some ink on it.
fn is_card(y: &Plane) -> bool {
    if y.px.is_empty() {
        return false;
    }
    let mut hist = [0u32; 256];
    for &p in &y.px {
        hist[usize::from(p)] += 1;
    }
    let n = y.px.len() as f64;
    // The background: the most common level, with its neighbours.
    let (mode, _) = hist
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| **c)
        .unwrap_or((0, &0));
    let near = |d: usize| {
        hist[mode.saturating_sub(d)..=(mode + d).min(255)]
            .iter()
            .map(|c| f64::from(*c))
            .sum::<f64>()
    };
    let background = near(6) / n;
    let ink =
        y.px.iter()
            .filter(|&&p| (i32::from(p) - mode as i32).abs() > 40)
            .count() as f64
            / n;
    background >= 0.6 && (0.005..=0.35).contains(&ink)
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plane(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> Plane {
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                px.push(f(x, y));
            }
        }
        Plane { w, h, px }
    }

    /// 75 % colour bars in limited-range YUV, as seven bands.
    fn bars() -> Small {
        const BANDS: [[u8; 3]; 7] = [
            [180, 128, 128],
            [162, 44, 142],
            [131, 156, 44],
            [112, 72, 58],
            [84, 184, 198],
            [65, 100, 212],
            [35, 212, 114],
        ];
        let band = |x: usize| BANDS[x * 7 / 96];
        Small {
            y: plane(96, 54, |x, _| band(x)[0]),
            u: plane(96, 54, |x, _| band(x)[1]),
            v: plane(96, 54, |x, _| band(x)[2]),
        }
    }

    fn grey(y: Plane) -> Small {
        let (w, h) = (y.w, y.h);
        Small {
            y,
            u: plane(w, h, |_, _| 128),
            v: plane(w, h, |_, _| 128),
        }
    }

    #[test]
    fn bars_are_bands_of_saturated_colour_and_a_gradient_is_not() {
        assert!(is_bars(&bars()));
        // A smooth horizontal sweep of hue is flat in each column but makes no bands.
        let sweep = Small {
            y: plane(96, 54, |x, _| 60 + x as u8),
            u: plane(96, 54, |x, _| 40 + 2 * x as u8),
            v: plane(96, 54, |x, _| 220 - 2 * x as u8),
        };
        assert!(!is_bars(&sweep));
        // Grey bands are not colour bars.
        assert!(!is_bars(&grey(
            plane(96, 54, |x, _| 16 + (x / 12) as u8 * 28)
        )));
    }

    #[test]
    fn a_card_is_a_flat_background_with_some_ink() {
        let text = |x: usize, y: usize| {
            if y % 9 == 4 && (20..70).contains(&x) {
                235
            } else {
                40
            }
        };
        assert!(is_card(&plane(96, 54, text)));
        assert!(!is_card(&plane(96, 54, |_, _| 40)), "no ink");
        assert!(!is_card(
            &plane(96, 54, |x, y| ((x * 7 + y * 13) % 200) as u8)
        ));
    }

    #[test]
    fn the_film_five_seconds_in_ends_the_look() {
        let mut h = Head::default();
        for k in 0..500 {
            let t = k as f64 * 0.04;
            let s = if t < 2.0 {
                bars()
            } else {
                grey(plane(96, 54, move |x, y| {
                    ((x * 3 + y * 5 + k * 7) % 200) as u8
                }))
            };
            if h.wants(t) {
                h.push(t, &s);
            }
        }
        let last = h.frames.last().map(|f| f.t);
        assert!(last.is_some_and(|t| (7.0..7.1).contains(&t)), "{last:?}");
        let parts = h.finish();
        assert_eq!(parts.len(), 1);
        assert_eq!((parts[0].start_s, parts[0].end_s), (0.0, 2.0));
    }

    #[test]
    fn a_leader_of_bars_then_a_countdown_then_the_film() {
        let mut h = Head::default();
        let number = |n: usize| {
            plane(96, 54, move |x, y| {
                // A block in the centre whose shape changes with the number.
                if (30..66).contains(&x) && (15..40).contains(&y) && (x + y * n).is_multiple_of(3) {
                    230
                } else {
                    60
                }
            })
        };
        for k in 0..250 {
            let t = k as f64 * 0.04;
            let s = if t < 3.0 {
                bars()
            } else if t < 8.0 {
                grey(number(5 - ((t - 3.0) as usize)))
            } else {
                // The film: moving texture everywhere.
                grey(plane(96, 54, move |x, y| {
                    ((x * 3 + y * 5 + k * 7) % 200) as u8
                }))
            };
            h.push(t, &s);
        }
        let parts = h.finish();
        let got: Vec<(&str, f64, f64)> = parts
            .iter()
            .map(|p| (p.kind.as_str(), p.start_s, p.end_s))
            .collect();
        assert_eq!(got, vec![("bars", 0.0, 3.0), ("countdown", 3.0, 8.0)]);
    }
}

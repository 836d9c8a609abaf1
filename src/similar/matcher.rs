//! Whether two fingerprints show the same pictures, where, and how much of them.
//!
//! Two films share a stretch when pictures of one find near-twins (hashes a few bits apart) in
//! the other at one consistent shift in time: the shift is what a trim, an added leader or a
//! cut into a trailer does. Pairs at other shifts are chance resemblances and count for nothing.
//! A stretch counts only when it is carried by several pictures that differ from each other:
//! one opening logo, one still held for minutes, black, or a test pattern that barely moves
//! is one picture however long it lasts.
//!
//! The pictures are keyframes, which two encodings of one film place at different moments
//! (though both usually put one at every cut); a shot holds its look for a second or more, so
//! a picture's twin is looked for within `TOLERANCE_S` of the shift.

use super::sound::{self, Heard, Sound};
use reelcheck_facts::fingerprint::Fingerprint;

/// Two pictures are the same when their hashes differ in at most this many of 63 bits. A
/// re-encode, a rescale, another frame rate or letterbox bars move a hash by 0 to 4 bits; a
/// subtitle line by up to 8; unrelated pictures differ by 20 to 35, and pictures of one test
/// pattern with different text on it by 10 to 14.
pub const SAME_PICTURE_BITS: u32 = 8;
/// How far a picture's twin may lie from the shift of the stretch.
pub const TOLERANCE_S: f64 = 2.0;
/// Pictures of one film that differ from each other, that a match must rest on in each film.
pub const MIN_DISTINCT: usize = 3;
/// The shortest stretch reported, in seconds.
pub const MIN_SHARED_S: f64 = 5.0;
/// A film whose pictures are this much inside the other's (by time) is contained in it; both
/// ways, they are the same film.
pub const CONTAINED: f64 = 0.6;
pub const SAME_LONGER: f64 = 0.5;
/// Matched pictures further apart than this (in the first film) at one shift make two
/// stretches: an opening logo and end credits at the same times are not one long stretch.
pub const RUN_GAP_S: f64 = 60.0;
/// Stretches looked for in one pair at most (a trailer cut from several scenes has several).
const MAX_STRETCHES: usize = 12;

/// One film's pictures and sound, as compared.
#[derive(Debug, Clone, Default)]
pub struct Film {
    pub duration_s: f64,
    /// Time (seconds) and hash of each picture, in time order.
    pub frames: Vec<(f64, u64)>,
    pub sound: Option<Sound>,
}

impl Film {
    /// The film a fingerprint describes, or why it cannot be read.
    pub fn new(fp: &Fingerprint) -> Result<Film, String> {
        let frames = fp.frames()?;
        let sound = match &fp.sound {
            Some(s) => Some(Sound {
                start_s: s.start_s,
                block_s: s.block_s,
                blocks: s.blocks()?,
            }),
            None => None,
        };
        Ok(Film {
            duration_s: fp.duration_s,
            frames: frames.iter().map(|f| (f.t(), f.hash)).collect(),
            sound,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The two are one film, give or take a trim, a leader or credits.
    Same,
    /// The first holds most of the second (a film and its trailer).
    Contains,
    /// They share a stretch, and neither is mostly the other.
    Overlaps,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub kind: Kind,
    /// `Contains` with the second film containing the first: the caller swaps the entries.
    pub swapped: bool,
    pub shared_s: f64,
    pub similarity: f64,
    /// `[a_start, a_end, b_start, b_end]` per stretch, in seconds of each film.
    pub ranges: Vec<[f64; 4]>,
    /// Whether the sound agrees over the stretches; `None` when it cannot tell (a film
    /// without sound, silence, too little of it).
    pub sound: Option<Heard>,
}

fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// A candidate pair: picture `i` of the first film, `j` of the second, and the shift.
#[derive(Clone, Copy)]
struct Pair {
    i: usize,
    j: usize,
    shift: f64,
    d: u32,
}

/// Compares two films; `None` when they share nothing worth reporting.
pub fn compare(a: &Film, b: &Film) -> Option<Match> {
    let mut pairs = Vec::new();
    for (i, &(ta, ha)) in a.frames.iter().enumerate() {
        for (j, &(tb, hb)) in b.frames.iter().enumerate() {
            let d = distance(ha, hb);
            if d <= SAME_PICTURE_BITS {
                pairs.push(Pair {
                    i,
                    j,
                    shift: tb - ta,
                    d,
                });
            }
        }
    }
    if pairs.len() < MIN_DISTINCT {
        return None;
    }
    let mut stretches: Vec<Vec<Pair>> = Vec::new();
    let mut used_a = vec![false; a.frames.len()];
    let mut used_b = vec![false; b.frames.len()];
    while stretches.len() < MAX_STRETCHES {
        pairs.retain(|p| !used_a[p.i] && !used_b[p.j]);
        let Some(shift) = busiest_shift(&mut pairs) else {
            break;
        };
        let mut near: Vec<Pair> = Vec::new();
        // The closest twin of each picture, each picture of either film used once.
        let mut at_shift: Vec<Pair> = pairs
            .iter()
            .copied()
            .filter(|p| (p.shift - shift).abs() <= TOLERANCE_S)
            .collect();
        at_shift.sort_by(|x, y| x.d.cmp(&y.d).then(x.i.cmp(&y.i)));
        let mut taken_a = vec![false; a.frames.len()];
        let mut taken_b = vec![false; b.frames.len()];
        for p in at_shift {
            if !taken_a[p.i] && !taken_b[p.j] {
                taken_a[p.i] = true;
                taken_b[p.j] = true;
                near.push(p);
            }
        }
        if near.len() < 2 {
            break;
        }
        near.sort_by_key(|p| p.i);
        let mut found = false;
        for run in runs(a, &near) {
            if run.len() >= 2 {
                for p in &run {
                    used_a[p.i] = true;
                    used_b[p.j] = true;
                }
                stretches.push(run);
                found = true;
            }
        }
        if !found {
            // Pairs at this shift are scattered chance: let them go and look at the others.
            pairs.retain(|p| (p.shift - shift).abs() > TOLERANCE_S);
        }
    }
    let matched: Vec<Pair> = stretches.iter().flatten().copied().collect();
    let hashes_a: Vec<u64> = matched.iter().map(|p| a.frames[p.i].1).collect();
    let hashes_b: Vec<u64> = matched.iter().map(|p| b.frames[p.j].1).collect();
    let seen = distinct(&hashes_a).min(distinct(&hashes_b));
    let mut ranges: Vec<[f64; 4]> = stretches.iter().map(|s| range(a, b, s)).collect();
    ranges.sort_by(|x, y| x[0].total_cmp(&y[0]));
    let mut shared_s = shared(&ranges);
    let heard;
    if seen >= MIN_DISTINCT && shared_s >= MIN_SHARED_S {
        heard = sound_over(a, b, &ranges);
    } else {
        // Too little picture alone; the sound may make up for it (`heard_through`).
        let longest = stretches.iter().max_by_key(|s| s.len())?;
        ranges = vec![heard_through(a, b, longest)?];
        shared_s = shared(&ranges);
        heard = Some(Heard::Same);
    }
    let cover = |d: f64| {
        if d > 0.0 {
            (shared_s / d).min(1.0)
        } else {
            0.0
        }
    };
    let (cover_a, cover_b) = (cover(a.duration_s), cover(b.duration_s));
    let a_shorter = a.duration_s <= b.duration_s;
    let (short, long) = if a_shorter {
        (cover_a, cover_b)
    } else {
        (cover_b, cover_a)
    };
    let kind = if short >= CONTAINED && long >= SAME_LONGER {
        Kind::Same
    } else if short >= CONTAINED {
        Kind::Contains
    } else {
        Kind::Overlaps
    };
    // How much of the shorter film is found in the other, less the pictures inside the shared
    // stretches that found no twin there (of the film sampled more sparsely, whose pictures
    // are the ones that can all have a twin).
    let inside = |f: &Film, lo: usize, hi: usize| {
        f.frames
            .iter()
            .filter(|(t, _)| ranges.iter().any(|r| *t >= r[lo] && *t <= r[hi]))
            .count()
    };
    let room = inside(a, 0, 1).min(inside(b, 2, 3)).max(1);
    let agreement = (matched.len() as f64 / room as f64).min(1.0);
    let similarity = short * agreement;
    Some(Match {
        kind,
        swapped: kind == Kind::Contains && a_shorter,
        shared_s: round(shared_s, 1),
        similarity: round(similarity, 2),
        ranges: ranges.iter().map(|r| r.map(|v| round(v, 1))).collect(),
        sound: heard,
    })
}

/// Seconds shared, summed over the stretches.
fn shared(ranges: &[[f64; 4]]) -> f64 {
    ranges
        .iter()
        .map(|r| (r[1] - r[0]).min(r[3] - r[2]).max(0.0))
        .sum()
}

/// What the sound says over the stretches, each at its own shift: the share of differing bits
/// over all of them, weighted by their length.
fn sound_over(a: &Film, b: &Film, ranges: &[[f64; 4]]) -> Option<Heard> {
    let (sa, sb) = (a.sound.as_ref()?, b.sound.as_ref()?);
    let mut sum = 0.0;
    let mut weight = 0.0;
    for r in ranges {
        let shift = ((r[2] - r[0]) + (r[3] - r[1])) / 2.0;
        if let Some((e, _)) = sound::errors(sa, sb, r[0], r[1], shift) {
            sum += e * (r[1] - r[0]);
            weight += r[1] - r[0];
        }
    }
    (weight > 0.0).then(|| sound::heard(sum / weight)).flatten()
}

/// A stretch the pictures found too short or too plain to count on their own (a clip of a
/// few seconds, one shot held), made to count when the sound agrees, at the pictures' shift,
/// over all the time the two films share at that shift, and that time is most of the shorter
/// film: the stretch is then all of it. Two films that only open alike (a logo and its
/// jingle) differ in sound after it, and never get here; two films of one still and the same
/// music throughout are one film.
fn heard_through(a: &Film, b: &Film, stretch: &[Pair]) -> Option<[f64; 4]> {
    let (sa, sb) = (a.sound.as_ref()?, b.sound.as_ref()?);
    let shift = stretch
        .iter()
        .map(|p| b.frames[p.j].0 - a.frames[p.i].0)
        .sum::<f64>()
        / stretch.len() as f64;
    let lo = 0f64.max(-shift);
    let hi = a.duration_s.min(b.duration_s - shift);
    let shorter = a.duration_s.min(b.duration_s);
    // NaN (a length that is not one) fails as a short overlap does.
    if (hi - lo).is_nan() || hi - lo < CONTAINED * shorter {
        return None;
    }
    let (e, heard_s) = sound::errors(sa, sb, lo, hi, shift)?;
    (sound::heard(e) == Some(Heard::Same) && heard_s + sound::WINDOW_S >= CONTAINED * shorter)
        .then_some([lo, hi, lo + shift, hi + shift])
}

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

/// The shift most pairs agree on, within the tolerance; `None` without pairs.
fn busiest_shift(pairs: &mut [Pair]) -> Option<f64> {
    pairs.sort_by(|x, y| x.shift.total_cmp(&y.shift));
    let mut best: Option<(usize, f64)> = None;
    let mut lo = 0;
    for hi in 0..pairs.len() {
        while pairs[hi].shift - pairs[lo].shift > 2.0 * TOLERANCE_S {
            lo += 1;
        }
        let n = hi - lo + 1;
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, (pairs[hi].shift + pairs[lo].shift) / 2.0));
        }
    }
    best.map(|(_, s)| s)
}

/// Pairs (sorted by their picture in the first film) cut where they lie more than
/// `RUN_GAP_S` apart, or go back in the second film: two stretches, not one.
fn runs(a: &Film, near: &[Pair]) -> Vec<Vec<Pair>> {
    let mut out: Vec<Vec<Pair>> = Vec::new();
    for p in near {
        let close = |q: &Pair| a.frames[p.i].0 - a.frames[q.i].0 <= RUN_GAP_S && p.j > q.j;
        match out.last_mut() {
            Some(run) if run.last().is_some_and(close) => run.push(*p),
            _ => out.push(vec![*p]),
        }
    }
    out
}

/// How many of `hashes` differ from each other by more than a re-encode would make.
fn distinct(hashes: &[u64]) -> usize {
    let mut kinds: Vec<u64> = Vec::new();
    for &h in hashes {
        if kinds.iter().all(|&k| distance(k, h) > SAME_PICTURE_BITS) {
            kinds.push(h);
        }
    }
    kinds.len()
}

/// Where a stretch lies in each film. The first and last pictures of the stretch are widened
/// towards their unmatched neighbours (halfway: the cut lies somewhere between), or to the
/// film's start or end where no picture precedes or follows, by as much as both films allow.
fn range(a: &Film, b: &Film, run: &[Pair]) -> [f64; 4] {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return [0.0; 4];
    };
    let before = |f: &Film, k: usize| match k.checked_sub(1) {
        Some(p) => (f.frames[k].0 - f.frames[p].0) / 2.0,
        None => f.frames[k].0,
    };
    let after = |f: &Film, k: usize| match f.frames.get(k + 1) {
        Some(n) => (n.0 - f.frames[k].0) / 2.0,
        None => (f.duration_s - f.frames[k].0).max(0.0),
    };
    let back = before(a, first.i).min(before(b, first.j)).max(0.0);
    let on = after(a, last.i).min(after(b, last.j)).max(0.0);
    [
        a.frames[first.i].0 - back,
        a.frames[last.i].0 + on,
        b.frames[first.j].0 - back,
        b.frames[last.j].0 + on,
    ]
}

/// The pairs of films worth comparing in full: those whose pictures agree exactly on three
/// quarters of their hashes (each distinct quarter counted once) at one shift in time (within
/// `TOLERANCE_S`). A match rests on three pictures or more, and pictures of a re-encoded film
/// agree on all four quarters or nearly, so a twin is never missed for this. Unrelated films
/// agree on a quarter now and then (a quarter is 16 bits, and a batch holds hundreds of
/// thousands of pictures), but at scattered shifts: counting any two agreements at any shift
/// made nearly every pair of a large batch a candidate, and two at one shift still let 15 000
/// of the 500 000 pairs of a 1000-film batch through. A
/// quarter shared by very many pictures (black-ish, a common test pattern) says nothing and is
/// passed over. `wanted(x, y)` says whether a pair is to be compared at all.
pub fn candidates(films: &[Film], wanted: impl Fn(usize, usize) -> bool) -> Vec<(usize, usize)> {
    const BANDS: usize = 4;
    const MIN_AGREEMENTS: u32 = 3;
    const CROWDED: usize = 256;
    // Agreements of films p < q: (p, q, band, quarter, shift step). A quarter counts once
    // however many moments of the two films hold it (a scene held over several pictures is one
    // agreement, at the shift of its first moments). Sorted vectors rather than hash maps: a
    // batch of 1000 films makes about a million of them.
    let mut agree: Vec<(u32, u32, u8, u16, i32)> = Vec::new();
    let mut entries: Vec<(u16, u32, f64)> = Vec::new();
    for band in 0..BANDS {
        entries.clear();
        for (f, film) in films.iter().enumerate() {
            let mut keys: Vec<(u16, u64)> = film
                .frames
                .iter()
                .map(|&(t, h)| ((h >> (16 * band)) as u16, t.to_bits()))
                .collect();
            keys.sort_unstable();
            // One picture per quarter and moment; a quarter that recurs in a film at other
            // moments (a scene that comes back) is kept at each.
            keys.dedup();
            entries.extend(
                keys.into_iter()
                    .map(|(k, t)| (k, f as u32, f64::from_bits(t))),
            );
        }
        // By quarter, then film, then time: each film's moments in time order.
        entries
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)));
        for members in entries.chunk_by(|a, b| a.0 == b.0) {
            if members.len() < 2 || members.len() > CROWDED {
                continue;
            }
            for (x, &(key, p, tp)) in members.iter().enumerate() {
                for &(_, q, tq) in &members[x + 1..] {
                    if p == q {
                        continue;
                    }
                    let (lo, hi, shift) = if p < q {
                        (p, q, tp - tq)
                    } else {
                        (q, p, tq - tp)
                    };
                    let step = (shift / TOLERANCE_S).round() as i32;
                    agree.push((lo, hi, band as u8, key, step));
                }
            }
        }
    }
    // The first agreement of each quarter kept (a stable sort keeps the order found).
    agree.sort_by_key(|&(p, q, band, key, _)| (p, q, band, key));
    agree.dedup_by_key(|&mut (p, q, band, key, _)| (p, q, band, key));
    let mut hits: Vec<(u32, u32, i32)> = agree.iter().map(|&(p, q, _, _, s)| (p, q, s)).collect();
    hits.sort_unstable();
    // Agreements per pair and step, in order: two within a tolerance of each other (this
    // step and the next) make a candidate.
    let mut counted: Vec<((u32, u32, i32), u32)> = Vec::new();
    for run in hits.chunk_by(|a, b| a == b) {
        counted.push((run[0], run.len() as u32));
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (k, &((p, q, step), n)) in counted.iter().enumerate() {
        let next = counted
            .get(k + 1)
            .filter(|((p2, q2, s2), _)| (*p2, *q2, *s2) == (p, q, step + 1))
            .map_or(0, |&(_, m)| m);
        if n + next >= MIN_AGREEMENTS && wanted(p as usize, q as usize) {
            out.push((p as usize, q as usize));
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pictures every `step` seconds over `len` seconds, hashes from a seed (scenes of 3 s).
    fn film(len: f64, step: f64, seed: u64, shift: f64) -> Film {
        let mut frames = Vec::new();
        let mut t = 0.0;
        while t < len {
            let scene = ((t + shift) / 3.0).floor() as u64;
            // Seeds apart in the high bits: no film's scene is another film's.
            frames.push((t, scramble((seed << 32) ^ scene)));
            t += step;
        }
        Film {
            duration_s: len,
            frames,
            sound: None,
        }
    }

    fn scramble(mut x: u64) -> u64 {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (x ^ (x >> 31)) & !(1 << 63)
    }

    #[test]
    fn a_copy_is_the_same_film() {
        let a = film(60.0, 2.0, 1, 0.0);
        let m = compare(&a, &a.clone()).expect("a match");
        assert_eq!(m.kind, Kind::Same);
        assert!(m.similarity > 0.99, "{m:?}");
        assert!(m.shared_s > 55.0, "{m:?}");
    }

    #[test]
    fn an_excerpt_is_contained_where_it_was_cut() {
        let a = film(120.0, 1.0, 1, 0.0);
        // 20 s from 45 s on.
        let b = film(20.0, 1.0, 1, 45.0);
        let m = compare(&a, &b).expect("a match");
        assert_eq!(m.kind, Kind::Contains);
        assert!(!m.swapped);
        assert_eq!(m.ranges.len(), 1, "{m:?}");
        assert!((m.ranges[0][0] - 45.0).abs() < 1.5, "{m:?}");
        let m = compare(&b, &a).expect("a match");
        assert!(m.swapped);
    }

    #[test]
    fn different_films_and_one_still_do_not_match() {
        assert_eq!(
            compare(&film(60.0, 2.0, 1, 0.0), &film(60.0, 2.0, 2, 0.0)),
            None
        );
        let still = Film {
            duration_s: 60.0,
            frames: (0..30).map(|i| (f64::from(i) * 2.0, 12345)).collect(),
            sound: None,
        };
        assert_eq!(compare(&still, &still.clone()), None);
    }

    #[test]
    fn twins_are_candidates_and_strangers_mostly_not() {
        let films: Vec<Film> = (0..50).map(|s| film(60.0, 2.0, s, 0.0)).collect();
        let mut with_twin = films.clone();
        with_twin.push(films[7].clone());
        let c = candidates(&with_twin, |_, _| true);
        assert!(c.contains(&(7, 50)), "{c:?}");
        assert!(c.len() < 5, "{c:?}");
    }
}

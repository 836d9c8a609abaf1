//! Whether two films' sound agrees where their pictures do. Sound never makes two films alike
//! on its own: two films with the same music are two films. It says whether a stretch the
//! pictures found also sounds the same (the same film, or the same pictures with another
//! mix), and it lets a stretch too short for the pictures alone count when the sound agrees
//! over most of the shorter film (`matcher`).
//!
//! The sound is Chromaprint's (`reelcheck_facts::fingerprint::SoundPrint`): blocks of 32 bits,
//! each bit a comparison of pitch-class energies. The same sound re-encoded keeps most bits;
//! unrelated sound keeps half of them, as chance does.

/// One film's sound, as compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Sound {
    /// Where the first block starts, seconds of the film.
    pub start_s: f64,
    pub block_s: f64,
    pub blocks: Vec<u32>,
}

/// What the sound says of a stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    Same,
    Different,
}

/// The same sound differs in at most this share of bits (re-encoded, resampled, another
/// bit rate: 0.05 to 0.2; the pooled blocks of a long film, misaligned by up to half a block,
/// up to 0.25); unrelated sound in about half.
pub const SAME_SOUND_ERRORS: f64 = 0.3;
/// Sound differing in more than this share of bits is other sound; between the two, nothing
/// is said.
pub const OTHER_SOUND_ERRORS: f64 = 0.4;
/// How far the sound's alignment is looked for around the pictures' (their shift is known to
/// a keyframe or so).
const SEARCH_S: f64 = 1.5;
/// The least sound compared before anything is said, in seconds.
const MIN_HEARD_S: f64 = 3.0;

/// How much sound one Chromaprint item hears: a film's items cover its sound but for half of
/// this at either end.
pub const WINDOW_S: f64 = 2.6;

/// Item length of the finest step a shift is tried at (Chromaprint's item, 0.124 s).
const FINE_S: f64 = 0.124;

impl Sound {
    fn end_s(&self) -> f64 {
        self.start_s + self.block_s * self.blocks.len() as f64
    }

    /// Each bit the majority of the blocks whose middles lie in `[from, to)` (ties go to the
    /// first, as `SoundPrint` pools items); `None` when none do.
    fn pooled(&self, from: f64, to: f64) -> Option<u32> {
        let first = ((from - self.start_s) / self.block_s - 0.5).ceil().max(0.0) as usize;
        let mid = |k: usize| self.start_s + (k as f64 + 0.5) * self.block_s;
        let end = (first..self.blocks.len())
            .find(|&k| mid(k) >= to)
            .unwrap_or(self.blocks.len());
        let within = self.blocks.get(first..end)?;
        let (&head, rest) = within.split_first()?;
        // Two films of one length class have blocks of one length: one block, nothing to pool.
        if rest.is_empty() {
            return Some(head);
        }
        let n = within.len() as u32;
        let mut out = 0u32;
        for bit in 0..32 {
            let set: u32 = within.iter().map(|b| b >> bit & 1).sum();
            if 2 * set > n || (2 * set == n && head >> bit & 1 == 1) {
                out |= 1 << bit;
            }
        }
        Some(out)
    }
}

/// The share of bits that differ between `a` over `[lo, hi)` (seconds of `a`) and `b` there
/// plus `shift`, at the best alignment within `SEARCH_S` of it, and the seconds of sound
/// both films have there; `None` when less than `MIN_HEARD_S` of sound that changes (not
/// silence, not one held tone) lies in both. The coarser of the two films' blocks is walked,
/// and the finer pooled to it.
pub fn errors(a: &Sound, b: &Sound, lo: f64, hi: f64, shift: f64) -> Option<(f64, f64)> {
    // Walk the coarse film's blocks; `sign` maps its time onto the fine film's.
    let (coarse, fine, lo, hi, shift) = if a.block_s >= b.block_s {
        (a, b, lo, hi, shift)
    } else {
        (b, a, lo + shift, hi + shift, -shift)
    };
    let lo = lo.max(coarse.start_s);
    let hi = hi.min(coarse.end_s());
    // NaN (a time that is not one) fails as too little sound does.
    if (hi - lo).is_nan() || hi - lo < MIN_HEARD_S || coarse.block_s <= 0.0 || fine.block_s <= 0.0 {
        return None;
    }
    let first = ((lo - coarse.start_s) / coarse.block_s).ceil() as usize;
    let last = ((hi - coarse.start_s) / coarse.block_s).floor() as usize;
    let walked: Vec<(f64, u32)> = (first..last.min(coarse.blocks.len()))
        .map(|k| (coarse.start_s + k as f64 * coarse.block_s, coarse.blocks[k]))
        .collect();
    // Blocks that differ from the one before: silence and a held tone repeat one block, and
    // two films silent at the same moments are not alike for it. Only these are compared.
    let heard: Vec<(f64, u32)> = walked
        .windows(2)
        .filter(|w| w[0].1 != w[1].1)
        .map(|w| w[1])
        .collect();
    let need = ((MIN_HEARD_S / coarse.block_s).ceil() as usize).max(2);
    if heard.len() < need {
        return None;
    }
    // Shifts finer than half the fine film's block pick the same blocks to pool.
    let step = FINE_S.max(fine.block_s / 2.0);
    let steps = (SEARCH_S / step).round() as i32;
    let mut best: Option<(f64, f64)> = None;
    for s in -steps..=steps {
        let at = shift + f64::from(s) * step;
        let pooled = |t: f64| fine.pooled(t + at, t + at + coarse.block_s);
        let mut bits = 0u32;
        let mut n = 0usize;
        for &(t, block) in &heard {
            if let Some(other) = pooled(t) {
                bits += (block ^ other).count_ones();
                n += 1;
            }
        }
        if n >= need {
            let e = f64::from(bits) / (32.0 * n as f64);
            if best.is_none_or(|(b, _)| e < b) {
                let span = walked.iter().filter(|(t, _)| pooled(*t).is_some()).count();
                best = Some((e, span as f64 * coarse.block_s));
            }
        }
    }
    best
}

/// What the share of differing bits says.
pub fn heard(errors: f64) -> Option<Heard> {
    if errors <= SAME_SOUND_ERRORS {
        Some(Heard::Same)
    } else if errors > OTHER_SOUND_ERRORS {
        Some(Heard::Different)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(n: usize, seed: u32) -> Vec<u32> {
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x
            })
            .collect()
    }

    fn sound(start_s: f64, block_s: f64, blocks: Vec<u32>) -> Sound {
        Sound {
            start_s,
            block_s,
            blocks,
        }
    }

    #[test]
    fn the_same_sound_shifted_agrees_and_other_sound_does_not() {
        let items = noise(400, 1);
        let a = sound(0.0, 0.124, items.clone());
        // The same sound, starting 5 items (0.62 s) into it: b's 0 is a's 0.62.
        let b = sound(0.0, 0.124, items[5..].to_vec());
        let e = errors(&a, &b, 0.0, 40.0, -0.62).expect("compared").0;
        assert!(e < 0.01, "{e}");
        assert_eq!(heard(e), Some(Heard::Same));
        // Looked for 1 s off the true shift: still found.
        assert!(errors(&a, &b, 0.0, 40.0, 0.3).expect("compared").0 < 0.01);
        let c = sound(0.0, 0.124, noise(400, 2));
        let e = errors(&a, &c, 0.0, 40.0, 0.0).expect("compared").0;
        assert_eq!(heard(e), Some(Heard::Different), "{e}");
    }

    #[test]
    fn silence_and_a_held_tone_say_nothing() {
        let a = sound(0.0, 0.124, vec![0; 300]);
        assert_eq!(errors(&a, &a.clone(), 0.0, 30.0, 0.0), None);
        let tone = sound(0.0, 0.124, vec![0xdead_beef; 300]);
        assert_eq!(errors(&tone, &tone.clone(), 0.0, 30.0, 0.0), None);
    }

    #[test]
    fn too_little_sound_says_nothing() {
        let a = sound(0.0, 0.124, noise(400, 1));
        assert_eq!(errors(&a, &a.clone(), 10.0, 12.0, 0.0), None);
        // The second film has no sound where the first is looked at.
        let b = sound(100.0, 0.124, noise(10, 1));
        assert_eq!(errors(&a, &b, 0.0, 40.0, 0.0), None);
    }

    #[test]
    fn pooled_blocks_agree_with_the_items_they_pool() {
        let items = noise(1600, 3);
        let fine = sound(0.0, 0.124, items.clone());
        // Blocks of 4 items, each bit its majority (as `SoundPrint` pools them).
        let blocks: Vec<u32> = items
            .chunks(4)
            .map(|c| {
                (0..32).fold(0u32, |acc, bit| {
                    let set = c.iter().filter(|&&x| x >> bit & 1 == 1).count();
                    if 2 * set > c.len() || (2 * set == c.len() && c[0] >> bit & 1 == 1) {
                        acc | 1 << bit
                    } else {
                        acc
                    }
                })
            })
            .collect();
        let coarse = sound(0.0, 0.496, blocks);
        let e = errors(&coarse, &fine, 0.0, 190.0, 0.0).expect("compared").0;
        assert!(e < 0.01, "{e}");
        let e = errors(&fine, &coarse, 0.0, 190.0, 0.0).expect("compared").0;
        assert!(e < 0.01, "{e}");
    }
}

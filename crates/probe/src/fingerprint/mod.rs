//! The film's fingerprint (`reelcheck_facts::fingerprint`): perceptual hashes of pictures
//! spread over its whole length, from the picture source the credits and black analyzers
//! share. The pictures the credits search decodes anyway (keyframes of the head, every picture
//! it looks at in the tail) are hashed as they go by (`Sampler::hash_keyframes`); only the
//! stretches it left out are sought and decoded here, one reduced keyframe each, so a default
//! check decodes no picture twice.

pub mod hash;

use crate::sampler::Sampler;
use anyhow::Result;
use reelcheck_facts::fingerprint::{Fingerprint, Frame};

/// Pictures aimed for over a film's length; short films are sampled every `MIN_STEP_S`.
const TARGET: f64 = 200.0;
const MIN_STEP_S: f64 = 1.5;

/// Asks the sampler to hash every keyframe it decodes alone from now on.
pub fn start(sampler: &mut Sampler) {
    sampler.hash_keyframes(hash::hash);
}

/// The fingerprint of the film `duration_s` long: the pictures hashed so far, and a keyframe for
/// every stretch of `step` seconds none of them falls in.
pub fn take(sampler: &mut Sampler, duration_s: f64) -> Result<Option<Fingerprint>> {
    if !duration_s.is_finite() || duration_s <= 0.0 {
        return Ok(None);
    }
    start(sampler);
    let step = (duration_s / TARGET).max(MIN_STEP_S);
    let mut t = step / 2.0;
    while t < duration_s {
        let lo = t - step / 2.0;
        let hi = t + step / 2.0;
        if !sampler.hashed().iter().any(|(at, _)| *at >= lo && *at < hi) {
            // A keyframe at or before `t`: on a long GOP several targets give the same one,
            // which the sampler hands back without decoding it again.
            // A picture that cannot be read ends the sampling, not the check: the
            // fingerprint keeps what it has.
            if sampler.keyframe_at(t).is_err() {
                break;
            }
        }
        t += step;
    }
    Ok(Some(Fingerprint::new(
        duration_s,
        spaced(sampler.hashed(), duration_s, step / 2.0),
    )))
}

/// The hashed pictures in time order, one at most every `gap` seconds: the credits search
/// hands over pictures a fraction of a second apart near the end, and a fingerprint that dense
/// there would let the end of a film outweigh the rest of it.
fn spaced(hashed: &[(f64, Option<u64>)], duration_s: f64, gap: f64) -> Vec<Frame> {
    let mut all: Vec<(f64, u64)> = hashed
        .iter()
        .filter(|(at, _)| at.is_finite() && *at >= 0.0 && *at <= duration_s + 1.0)
        .filter_map(|&(at, h)| Some((at, h?)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut frames: Vec<Frame> = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for (at, hash) in all {
        if at - last >= gap {
            frames.push(Frame {
                t_ds: (at * 10.0).round() as u32,
                hash,
            });
            last = at;
        }
    }
    frames
}

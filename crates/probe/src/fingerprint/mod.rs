//! The film's fingerprint (`reelcheck_facts::fingerprint`): perceptual hashes of single
//! keyframes spread over its whole length, from the picture source the credits and black
//! analyzers share. The keyframes the credits search decodes anyway (the head and the tail of
//! the film) are hashed as they go by (`Sampler::hash_keyframes`); only the stretches it left
//! out are sought and decoded here, one reduced keyframe each, so a default check decodes no
//! picture twice.

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

/// The fingerprint of the film `duration_s` long: the keyframes hashed so far, and one for
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
    let frames = sampler
        .hashed()
        .iter()
        .filter(|(at, _)| at.is_finite() && *at >= 0.0 && *at <= duration_s + 1.0)
        .filter_map(|&(at, h)| {
            Some(Frame {
                t_ds: (at * 10.0).round() as u32,
                hash: h?,
            })
        })
        .collect();
    Ok(Some(Fingerprint::new(duration_s, frames)))
}

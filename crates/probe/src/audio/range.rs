//! Loudness range (EBU Tech 3342) computed from short-term loudness every 100 ms, as FFmpeg's
//! ebur128 filter does. The `ebur128` crate takes a short-term value only once a second, which
//! on a short or strongly varying programme reads several tenths of an LU higher than FFmpeg.

use std::collections::VecDeque;

/// 3 s short-term window in 100 ms steps.
const STEPS_PER_WINDOW: usize = 30;
const ABSOLUTE_GATE_LUFS: f64 = -70.0;
const RELATIVE_GATE_LU: f64 = -20.0;

#[derive(Default)]
pub struct Range {
    /// K-weighted energy of each of the last 30 steps of 100 ms.
    steps: VecDeque<f64>,
    /// Short-term loudness (LUFS) every 100 ms, once the first full window is in.
    short_term: Vec<f64>,
}

impl Range {
    /// Starts over the window after a change of format (the meter's buffer was reset too).
    pub fn restart_window(&mut self) {
        self.steps.clear();
    }

    /// Takes the loudness (LUFS, −inf for silence) of the 100 ms just metered.
    pub fn push_step(&mut self, lufs: f64) {
        if self.steps.len() == STEPS_PER_WINDOW {
            self.steps.pop_front();
        }
        self.steps.push_back(to_energy(lufs));
        if self.steps.len() == STEPS_PER_WINDOW {
            let mean = self.steps.iter().sum::<f64>() / STEPS_PER_WINDOW as f64;
            self.short_term.push(to_lufs(mean));
        }
    }

    /// LRA in LU: the spread between the 10th and 95th percentile of the gated short-term values.
    /// 0 when the programme is shorter than one window or quieter than the absolute gate.
    pub fn lra(&self) -> f64 {
        let kept: Vec<f64> = self
            .short_term
            .iter()
            .copied()
            .filter(|l| *l >= ABSOLUTE_GATE_LUFS)
            .collect();
        if kept.is_empty() {
            return 0.0;
        }
        let mean = kept.iter().map(|l| to_energy(*l)).sum::<f64>() / kept.len() as f64;
        let gate = to_lufs(mean) + RELATIVE_GATE_LU;
        let mut gated: Vec<f64> = kept.into_iter().filter(|l| *l >= gate).collect();
        gated.sort_by(f64::total_cmp);
        let n = gated.len();
        // FFmpeg's percentile rule: the value at which the running count reaches round(p·n).
        let at = |p: f64| gated[((p * n as f64 + 0.5) as usize).clamp(1, n) - 1];
        if n == 0 {
            return 0.0;
        }
        at(0.95) - at(0.10)
    }
}

fn to_energy(lufs: f64) -> f64 {
    if lufs.is_finite() {
        10f64.powf((lufs + 0.691) / 10.0)
    } else {
        0.0
    }
}

fn to_lufs(energy: f64) -> f64 {
    if energy > 0.0 {
        10.0 * energy.log10() - 0.691
    } else {
        f64::NEG_INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_programme_has_no_range() {
        let mut r = Range::default();
        for _ in 0..100 {
            r.push_step(-23.0);
        }
        assert!(r.lra().abs() < 1e-9);
    }

    #[test]
    fn two_levels_give_their_difference() {
        let mut r = Range::default();
        for _ in 0..300 {
            r.push_step(-30.0);
        }
        for _ in 0..300 {
            r.push_step(-20.0);
        }
        assert!((r.lra() - 10.0).abs() < 1e-6, "{}", r.lra());
    }

    #[test]
    fn too_short_or_silent_is_zero() {
        let mut r = Range::default();
        for _ in 0..29 {
            r.push_step(-23.0);
        }
        assert_eq!(r.lra(), 0.0);
        let mut r = Range::default();
        for _ in 0..100 {
            r.push_step(f64::NEG_INFINITY);
        }
        assert_eq!(r.lra(), 0.0);
    }
}

//! Integrated loudness from 400 ms gating blocks (ITU-R BS.1770-4), kept as libebur128's
//! histogram keeps them: a count per 0.1 LU bin from −70 to +30 LUFS, the gates applied to the
//! bins and each bin weighing its centre's energy. The figure is then a function of the bin
//! counts alone, which is what FFmpeg's own histogram does too, and memory stays flat however
//! long the film.

const BINS: usize = 1000;

pub struct Gating {
    counts: Box<[u64; BINS]>,
    /// `boundaries[i]` is the energy at the low edge of bin `i` (the last one closes bin 999);
    /// `energies[i]` is the energy at its centre. Computed as libebur128 generates its tables.
    boundaries: Box<[f64; BINS + 1]>,
    energies: Box<[f64; BINS]>,
}

impl Default for Gating {
    fn default() -> Self {
        let mut boundaries = Box::new([0.0; BINS + 1]);
        for (i, b) in boundaries.iter_mut().enumerate() {
            *b = 10f64.powf((i as f64 / 10.0 - 70.0 + 0.691) / 10.0);
        }
        let mut energies = Box::new([0.0; BINS]);
        for (i, e) in energies.iter_mut().enumerate() {
            *e = 10f64.powf((i as f64 / 10.0 - 69.95 + 0.691) / 10.0);
        }
        Gating {
            counts: Box::new([0; BINS]),
            boundaries,
            energies,
        }
    }
}

impl Gating {
    /// Takes one gating block's mean weighted energy; blocks under the absolute gate
    /// (−70 LUFS) are dropped.
    pub fn add(&mut self, energy: f64) {
        if energy >= self.boundaries[0] {
            let bin = self.bin(energy);
            self.counts[bin] += 1;
        }
    }

    /// The bin of an energy at or above the lowest boundary (the top bin takes everything
    /// louder), by libebur128's binary search.
    fn bin(&self, energy: f64) -> usize {
        let (mut low, mut high) = (0, BINS);
        while high - low > 1 {
            let mid = (low + high) / 2;
            if energy >= self.boundaries[mid] {
                low = mid;
            } else {
                high = mid;
            }
        }
        low
    }

    /// Integrated loudness, LUFS: −inf when no block passed the absolute gate, NaN if the
    /// energies were not numbers.
    pub fn integrated(&self) -> f64 {
        let (mut blocks, mut total) = (0_u64, 0.0_f64);
        for (count, energy) in self.counts.iter().zip(self.energies.iter()) {
            total += *count as f64 * *energy;
            blocks += *count;
        }
        if blocks == 0 {
            return f64::NEG_INFINITY;
        }
        if total.is_nan() {
            return f64::NAN;
        }
        // The relative gate, 10 LU under the mean of the blocks that passed the absolute one.
        let relative = (total / blocks as f64) * 10f64.powf(-10.0 / 10.0);
        let start = if relative < self.boundaries[0] {
            0
        } else {
            let bin = self.bin(relative);
            if relative > self.energies[bin] {
                bin + 1
            } else {
                bin
            }
        };
        let (mut blocks, mut total) = (0_u64, 0.0_f64);
        for (count, energy) in self.counts[start..].iter().zip(&self.energies[start..]) {
            blocks += *count;
            total += *count as f64 * *energy;
        }
        if blocks == 0 {
            return f64::NEG_INFINITY;
        }
        to_lufs(total / blocks as f64)
    }
}

/// Mean-square energy to loudness, as libebur128 converts it.
pub fn to_lufs(energy: f64) -> f64 {
    10.0 * energy.log10() - 0.691
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_and_gated_blocks() {
        let energy = |lufs: f64| 10f64.powf((lufs + 0.691) / 10.0);
        let mut g = Gating::default();
        assert_eq!(g.integrated(), f64::NEG_INFINITY);
        for _ in 0..100 {
            g.add(energy(-23.0));
        }
        // Bin centres: −23 falls in the bin −23.0 … −22.9.
        assert!((g.integrated() - -22.95).abs() < 1e-9, "{}", g.integrated());
        // Far below the relative gate: no effect. Below the absolute gate: dropped.
        for _ in 0..100 {
            g.add(energy(-40.0));
            g.add(energy(-80.0));
        }
        assert!((g.integrated() - -22.95).abs() < 1e-9, "{}", g.integrated());
        // Louder than the top bin: counted in it.
        g.add(energy(40.0));
        assert!(g.integrated() > -22.0);
    }
}

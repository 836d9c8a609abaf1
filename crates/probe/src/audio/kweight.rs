//! The K-weighting filter of ITU-R BS.1770: libebur128's fourth-order filter (its shelf and
//! high-pass multiplied into one), with the same coefficients in `f64`, so that the weighted
//! energies are those of the `ebur128` crate.
//!
//! Two things differ, both for speed and both far below anything reported. The feedback sum
//! takes the newest state last: the recursion then waits on one multiply and one subtract per
//! sample instead of a multiply and four subtracts, which was most of the cost of the whole
//! audio pass. And channels are filtered two at a time in one loop, which the compiler turns
//! into two-lane vector arithmetic. Energies differ from the crate's by parts in 10¹³ at 48 kHz
//! (10¹² at 96 kHz), a billion times less than the smallest step any loudness figure is rounded
//! to (0.01 LU, 0.23 % in energy).

/// Numerator and denominator of the filter at `rate`, as libebur128 derives them.
#[allow(non_snake_case)]
pub fn coefficients(rate: f64) -> ([f64; 5], [f64; 5]) {
    use std::f64::consts::PI;
    // The high shelf (the head's acoustic effect).
    let f0 = 1681.974450955533;
    let G = 3.999843853973347;
    let Q = 0.7071752369554196;
    let K = (PI * f0 / rate).tan();
    let Vh = 10f64.powf(G / 20.0);
    let Vb = Vh.powf(0.4996667741545416);
    let a0 = 1.0 + K / Q + K * K;
    let pb = [
        (Vh + Vb * K / Q + K * K) / a0,
        2.0 * (K * K - Vh) / a0,
        (Vh - Vb * K / Q + K * K) / a0,
    ];
    let pa = [1.0, 2.0 * (K * K - 1.0) / a0, (1.0 - K / Q + K * K) / a0];
    // The high-pass (RLB weighting).
    let f0 = 38.13547087602444;
    let Q = 0.5003270373238773;
    let K = (PI * f0 / rate).tan();
    let rb = [1.0, -2.0, 1.0];
    let ra = [
        1.0,
        2.0 * (K * K - 1.0) / (1.0 + K / Q + K * K),
        (1.0 - K / Q + K * K) / (1.0 + K / Q + K * K),
    ];
    (
        [
            pb[0] * rb[0],
            pb[0] * rb[1] + pb[1] * rb[0],
            pb[0] * rb[2] + pb[1] * rb[1] + pb[2] * rb[0],
            pb[1] * rb[2] + pb[2] * rb[1],
            pb[2] * rb[2],
        ],
        [
            pa[0] * ra[0],
            pa[0] * ra[1] + pa[1] * ra[0],
            pa[0] * ra[2] + pa[1] * ra[1] + pa[2] * ra[0],
            pa[1] * ra[2] + pa[2] * ra[1],
            pa[2] * ra[2],
        ],
    )
}

/// The filter's memory for one channel: its last four internal values, newest first.
pub type State = [f64; 4];

/// One rate's filter.
#[derive(Debug, Clone, Copy)]
pub struct KWeight {
    b: [f64; 5],
    a: [f64; 5],
}

impl KWeight {
    pub fn new(rate: u32) -> KWeight {
        let (b, a) = coefficients(f64::from(rate));
        KWeight { b, a }
    }

    /// Filters `x` on from `state` and returns the sum of the squared outputs.
    pub fn energy(&self, x: &[f32], state: &mut State) -> f64 {
        let (a, b) = (&self.a, &self.b);
        let [mut s1, mut s2, mut s3, mut s4] = *state;
        let mut sum = 0.0;
        for &v in x {
            let s0 = f64::from(v) - a[2] * s2 - a[3] * s3 - a[4] * s4 - a[1] * s1;
            let z = b[0] * s0 + b[1] * s1 + b[2] * s2 + b[3] * s3 + b[4] * s4;
            sum += z * z;
            (s4, s3, s2, s1) = (s3, s2, s1, s0);
        }
        *state = flush([s1, s2, s3, s4]);
        sum
    }

    /// `energy` of two channels at once: the same arithmetic, lane by lane.
    pub fn energy2(&self, x: [&[f32]; 2], state: [&mut State; 2]) -> [f64; 2] {
        let (a, b) = (&self.a, &self.b);
        let [mut s1, mut s2, mut s3, mut s4] = [0, 1, 2, 3].map(|i| [state[0][i], state[1][i]]);
        let mut sum = [0.0; 2];
        for (&l, &r) in x[0].iter().zip(x[1]) {
            let v = [f64::from(l), f64::from(r)];
            let mut s0 = [0.0; 2];
            for k in 0..2 {
                s0[k] = v[k] - a[2] * s2[k] - a[3] * s3[k] - a[4] * s4[k] - a[1] * s1[k];
                let z = b[0] * s0[k] + b[1] * s1[k] + b[2] * s2[k] + b[3] * s3[k] + b[4] * s4[k];
                sum[k] += z * z;
            }
            (s4, s3, s2, s1) = (s3, s2, s1, s0);
        }
        for (k, st) in state.into_iter().enumerate() {
            *st = flush([s1[k], s2[k], s3[k], s4[k]]);
        }
        sum
    }
}

/// A state that has decayed below the normal range is zero: arithmetic on subnormal numbers is
/// many times slower, and they weigh nothing. (libebur128 does the same, or sets the FPU to
/// flush them.)
fn flush(state: State) -> State {
    state.map(|v| if v.abs() < f64::MIN_POSITIVE { 0.0 } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's direct form, newest state first, one sample at a time.
    fn reference(x: &[f32], rate: u32) -> Vec<f64> {
        let (b, a) = coefficients(f64::from(rate));
        let mut s = [0.0_f64; 5];
        x.iter()
            .map(|&v| {
                s[0] = f64::from(v) - a[1] * s[1] - a[2] * s[2] - a[3] * s[3] - a[4] * s[4];
                let z = b[0] * s[0] + b[1] * s[1] + b[2] * s[2] + b[3] * s[3] + b[4] * s[4];
                s = [s[0], s[0], s[1], s[2], s[3]];
                z
            })
            .collect()
    }

    #[test]
    fn energies_are_the_crates_within_parts_in_a_hundred_billion() {
        let mut seed = 7_u32;
        let x: Vec<f32> = (0..96_000)
            .map(|n| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let noise = (seed as f32 / u32::MAX as f32 - 0.5) * 0.2;
                noise + 0.3 * (n as f32 * 0.05).sin()
            })
            .collect();
        for rate in [44_100, 48_000, 96_000] {
            let want: f64 = reference(&x, rate).iter().map(|z| z * z).sum();
            let k = KWeight::new(rate);
            let mut one = State::default();
            let got: f64 = x.chunks(1000).map(|c| k.energy(c, &mut one)).sum();
            assert!((got / want - 1.0).abs() < 1e-11, "{rate}: {got} vs {want}");
            let (mut l, mut r) = (State::default(), State::default());
            let both = x
                .chunks(777)
                .map(|c| k.energy2([c, c], [&mut l, &mut r]))
                .fold([0.0; 2], |s, e| [s[0] + e[0], s[1] + e[1]]);
            assert_eq!(both[0], both[1]);
            assert!((both[0] / want - 1.0).abs() < 1e-11, "{rate}: {both:?}");
        }
    }
}

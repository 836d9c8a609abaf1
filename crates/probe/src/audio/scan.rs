//! Whole-block questions about samples, asked in eight independent lanes so that the compiler
//! turns each into vector instructions: they run over every sample of the film, where a
//! sample-by-sample loop with branches would cost several times as much.

use std::ops::Range;

const LANES: usize = 8;

/// The largest magnitude in `x`, or 0: what folding `if |s| > m { |s| } else { m }` over it
/// gives, NaN ignored.
pub fn max_abs(x: &[f32]) -> f32 {
    let mut lanes = [0.0_f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (m, s) in lanes.iter_mut().zip(chunk) {
            let a = s.abs();
            *m = if a > *m { a } else { *m };
        }
    }
    lanes
        .iter()
        .chain(rest)
        .fold(0.0, |m, s| if s.abs() > m { s.abs() } else { m })
}

/// How many samples of `x` are at least `level` in magnitude (NaN never is).
pub fn count_at_least(x: &[f32], level: f32) -> usize {
    // A plain loop: the compiler vectorises integer counts by itself.
    let mut n = 0_usize;
    for s in x {
        n += usize::from(s.abs() >= level);
    }
    n
}

/// How many sample frames in `span` (the samples at one index in every plane) have some
/// channel at least `level` in magnitude.
pub fn count_frames_at_least(planes: &[&[f32]], span: Range<usize>, level: f32) -> usize {
    match planes {
        [] => 0,
        [one] => count_at_least(&one[span], level),
        [a, b] => {
            let (a, b) = (&a[span.clone()], &b[span]);
            let mut n = 0_usize;
            for (x, y) in a.iter().zip(b) {
                // `|`, not `||`: no branch, so the loop vectorises.
                n += usize::from((x.abs() >= level) | (y.abs() >= level));
            }
            n
        }
        _ => span
            .filter(|&i| planes.iter().any(|p| p[i].abs() >= level))
            .count(),
    }
}

/// Σ x², in eight partial sums (sample `i` in sum `i % 8`, the last `len % 8` samples in sum 0,
/// the sums added in order): the order of adding is fixed, so the figure does not depend on
/// which code path computes it.
pub fn energy(x: &[f32]) -> f64 {
    let whole = x.len() - x.len() % LANES;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 baseline; every CPU this code runs on has it.
    let mut e = unsafe { sse2::energy(&x[..whole]) };
    #[cfg(not(target_arch = "x86_64"))]
    let mut e = portable_energies(&x[..whole], &x[..whole]).0;
    for a in &x[whole..] {
        e[0] += f64::from(*a) * f64::from(*a);
    }
    e.iter().sum()
}

/// (Σ y², Σ (x − y)²) over the common length, in partial sums as `energy`.
pub fn energies(x: &[f32], y: &[f32]) -> (f64, f64) {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let whole = n - n % LANES;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 baseline; every CPU this code runs on has it.
    let (mut e, mut d) = unsafe { sse2::energies(&x[..whole], &y[..whole]) };
    #[cfg(not(target_arch = "x86_64"))]
    let (mut e, mut d) = portable_energies(&x[..whole], &y[..whole]);
    for (a, b) in x[whole..].iter().zip(&y[whole..]) {
        let (a, b) = (f64::from(*a), f64::from(*b));
        e[0] += b * b;
        d[0] += (a - b) * (a - b);
    }
    (e.iter().sum(), d.iter().sum())
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable_energies(x: &[f32], y: &[f32]) -> ([f64; LANES], [f64; LANES]) {
    let (mut e, mut d) = ([0.0_f64; LANES], [0.0_f64; LANES]);
    for (a, b) in x.chunks_exact(LANES).zip(y.chunks_exact(LANES)) {
        for k in 0..LANES {
            let (x, y) = (f64::from(a[k]), f64::from(b[k]));
            e[k] += y * y;
            d[k] += (x - y) * (x - y);
        }
    }
    (e, d)
}

/// The energy sums in SSE2: the compiler converts `f32` to `f64` one sample at a time when left
/// to itself, at twice the cost.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::LANES;
    use std::arch::x86_64::*;

    /// `portable_energies`, four `f64` pairs at a time; the same sums in the same lanes.
    #[target_feature(enable = "sse2")]
    pub fn energies(x: &[f32], y: &[f32]) -> ([f64; LANES], [f64; LANES]) {
        let mut e = [_mm_setzero_pd(); LANES / 2];
        let mut d = [_mm_setzero_pd(); LANES / 2];
        for (a, b) in x.chunks_exact(LANES).zip(y.chunks_exact(LANES)) {
            for h in 0..2 {
                let va = _mm_set_ps(a[4 * h + 3], a[4 * h + 2], a[4 * h + 1], a[4 * h]);
                let vb = _mm_set_ps(b[4 * h + 3], b[4 * h + 2], b[4 * h + 1], b[4 * h]);
                let xs = [_mm_cvtps_pd(va), _mm_cvtps_pd(_mm_movehl_ps(va, va))];
                let ys = [_mm_cvtps_pd(vb), _mm_cvtps_pd(_mm_movehl_ps(vb, vb))];
                for l in 0..2 {
                    let j = 2 * h + l;
                    e[j] = _mm_add_pd(e[j], _mm_mul_pd(ys[l], ys[l]));
                    let t = _mm_sub_pd(xs[l], ys[l]);
                    d[j] = _mm_add_pd(d[j], _mm_mul_pd(t, t));
                }
            }
        }
        (lanes(e), lanes(d))
    }

    /// The first half of `energies(x, x)`.
    #[target_feature(enable = "sse2")]
    pub fn energy(x: &[f32]) -> [f64; LANES] {
        let mut e = [_mm_setzero_pd(); LANES / 2];
        for a in x.chunks_exact(LANES) {
            for h in 0..2 {
                let va = _mm_set_ps(a[4 * h + 3], a[4 * h + 2], a[4 * h + 1], a[4 * h]);
                let xs = [_mm_cvtps_pd(va), _mm_cvtps_pd(_mm_movehl_ps(va, va))];
                for (l, v) in xs.into_iter().enumerate() {
                    let j = 2 * h + l;
                    e[j] = _mm_add_pd(e[j], _mm_mul_pd(v, v));
                }
            }
        }
        lanes(e)
    }

    #[target_feature(enable = "sse2")]
    fn lanes(v: [__m128d; LANES / 2]) -> [f64; LANES] {
        let mut out = [0.0; LANES];
        for (j, p) in v.into_iter().enumerate() {
            out[2 * j] = _mm_cvtsd_f64(p);
            out[2 * j + 1] = _mm_cvtsd_f64(_mm_unpackhi_pd(p, p));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energies_are_the_same_sums_on_every_path() {
        let x: Vec<f32> = (0..1013).map(|i| (i as f32 * 0.37).sin() * 0.8).collect();
        let y: Vec<f32> = (0..1013).map(|i| (i as f32 * 0.41).cos() * 0.5).collect();
        let whole = 1013 - 1013 % LANES;
        let (mut e, mut d) = portable_energies(&x[..whole], &y[..whole]);
        for i in whole..1013 {
            let (a, b) = (f64::from(x[i]), f64::from(y[i]));
            e[0] += b * b;
            d[0] += (a - b) * (a - b);
        }
        let want = (e.iter().sum::<f64>(), d.iter().sum::<f64>());
        assert_eq!(energies(&x, &y), want);
        assert_eq!(energy(&x), energies(&x, &x).0);
        let plain: f64 = x.iter().map(|v| f64::from(*v) * f64::from(*v)).sum();
        assert!((energy(&x) / plain - 1.0).abs() < 1e-12);
    }

    #[test]
    fn lanes_agree_with_plain_folds() {
        let x: Vec<f32> = (0..1003)
            .map(|i| ((i * 7919 % 1000) as f32 / 500.0 - 1.0) * if i == 500 { 0.0 } else { 1.0 })
            .chain([f32::NAN, -1.5, 0.25])
            .collect();
        let plain = x
            .iter()
            .fold(0.0_f32, |m, s| if s.abs() > m { s.abs() } else { m });
        assert_eq!(max_abs(&x), plain);
        assert_eq!(max_abs(&x), 1.5);
        assert_eq!(max_abs(&[]), 0.0);
        assert_eq!(
            count_at_least(&x, 0.5),
            x.iter().filter(|s| s.abs() >= 0.5).count()
        );
        let y: Vec<f32> = x.iter().rev().map(|s| s * 0.5).collect();
        let frames = |p: &[&[f32]]| {
            (0..x.len())
                .filter(|&i| p.iter().any(|c| c[i].abs() >= 0.4))
                .count()
        };
        for planes in [
            vec![&x[..]],
            vec![&x[..], &y[..]],
            vec![&x[..], &y[..], &x[..]],
        ] {
            assert_eq!(
                count_frames_at_least(&planes, 0..x.len(), 0.4),
                frames(&planes)
            );
            assert_eq!(count_frames_at_least(&planes, 3..3, 0.4), 0);
        }
    }
}

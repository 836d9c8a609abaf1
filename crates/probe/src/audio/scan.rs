//! Whole-block questions about samples, asked in eight independent lanes so that the compiler
//! turns each into vector instructions: they run over every sample of the film, where a
//! sample-by-sample loop with branches would cost several times as much.

use std::ops::Range;

const LANES: usize = 8;
// The SSE2 kernels sum in the same lanes.
#[cfg(target_arch = "x86_64")]
const _: () = assert!(LANES == crate::ffi::sse2::LANES);

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
    let mut e = crate::ffi::sse2::energy(&x[..whole]);
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
    let (mut e, mut d) = crate::ffi::sse2::energies(&x[..whole], &y[..whole]);
    #[cfg(not(target_arch = "x86_64"))]
    let (mut e, mut d) = portable_energies(&x[..whole], &y[..whole]);
    for (a, b) in x[whole..].iter().zip(&y[whole..]) {
        let (a, b) = (f64::from(*a), f64::from(*b));
        e[0] += b * b;
        d[0] += (a - b) * (a - b);
    }
    (e.iter().sum(), d.iter().sum())
}

/// The energy sums in portable Rust; on x86-64 the same sums come from SSE2 kernels
/// (`ffi::sse2`), several times faster.
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

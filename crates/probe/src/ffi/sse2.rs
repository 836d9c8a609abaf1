//! The audio energy sums in SSE2 (see `audio::scan`): the compiler converts `f32` to `f64` one
//! sample at a time when left to itself, at several times the cost. The kernels are safe Rust
//! inside; only calling a `#[target_feature]` function from code compiled without the attribute
//! needs `unsafe`, and that one call is here.

use std::arch::x86_64::*;

/// Samples summed per block: sample `i` of a block goes to partial sum `i`.
pub const LANES: usize = 8;

/// Σ y² and Σ (x − y)² over whole blocks of `LANES` samples (a shorter tail is left out), in
/// `LANES` partial sums each.
pub fn energies(x: &[f32], y: &[f32]) -> ([f64; LANES], [f64; LANES]) {
    // SAFETY: the function needs SSE2, which is part of the x86-64 baseline: every CPU this
    // module is compiled for (`target_arch = "x86_64"`) has it. It reads only the slices.
    unsafe { kernel_energies(x, y) }
}

/// Σ x² over whole blocks, in `LANES` partial sums: the first half of `energies(x, x)`.
pub fn energy(x: &[f32]) -> [f64; LANES] {
    // SAFETY: as in `energies`.
    unsafe { kernel_energy(x) }
}

/// `audio::scan`'s portable sums, four `f64` pairs at a time; the same sums in the same lanes.
#[target_feature(enable = "sse2")]
fn kernel_energies(x: &[f32], y: &[f32]) -> ([f64; LANES], [f64; LANES]) {
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

#[target_feature(enable = "sse2")]
fn kernel_energy(x: &[f32]) -> [f64; LANES] {
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

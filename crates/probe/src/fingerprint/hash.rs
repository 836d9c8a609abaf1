//! A 64-bit perceptual hash of one reduced grey picture: the signs of its lowest spatial
//! frequencies against their median (the "pHash" of Zauner, 2010), taken after the black bars
//! are cut away.
//!
//! Written here rather than taken from an image-hashing crate: those work on `image` buffers
//! and colour pictures, while the pictures here are already the small grey planes the credits
//! and black analyzers decode, and the bar cropping must come first (a letterboxed copy of a
//! film must hash as the film). The whole hash is a few dozen lines.
//!
//! What it keeps: the coarse layout of light and dark, which survives re-encoding, scaling,
//! another frame rate, a change of brightness or contrast, and most of a subtitle line. What
//! it leaves: pictures too dark or too flat to say anything (black, a fade, one colour), which
//! would make any two films alike; `hash` returns `None` for them.

use crate::plane::Plane;

/// A bar row or column holds almost nothing brighter than this.
const BAR_LEVEL: u8 = 40;
/// Side of the square the cropped picture is averaged down to.
const N: usize = 32;
/// Frequencies kept in each direction: 8 × 8, less the average.
const K: usize = 8;

/// The hash of `p`, or `None` when the picture is too dark or too flat to compare.
pub fn hash(p: &Plane) -> Option<u64> {
    if p.w < 8 || p.h < 8 || p.px.len() < p.w * p.h {
        return None;
    }
    let (x0, x1, y0, y1) = crop(p)?;
    let (w, h) = (x1 - x0, y1 - y0);
    // Bars (or black) over more than seven eighths of the frame: nothing left to compare.
    if w * h * 8 < p.w * p.h || w < 8 || h < 8 {
        return None;
    }
    let mut dark = 0usize;
    let mut sum = 0f64;
    let mut sq = 0f64;
    for y in y0..y1 {
        for &v in &p.row(y)[x0..x1] {
            dark += usize::from(v <= BAR_LEVEL);
            sum += f64::from(v);
            sq += f64::from(v) * f64::from(v);
        }
    }
    let n = (w * h) as f64;
    let sd = (sq / n - (sum / n).powi(2)).max(0.0).sqrt();
    // Mostly black (text on black: credits, a logo card), or one flat colour.
    if dark as f64 > 0.85 * n || sd < 8.0 {
        return None;
    }
    let small = shrink(p, x0, x1, y0, y1);
    let coef = dct_low(&small);
    let mut ac: Vec<f64> = coef[1..].to_vec();
    ac.sort_by(f64::total_cmp);
    let median = ac[ac.len() / 2];
    let mut bits = 0u64;
    for (i, c) in coef[1..].iter().enumerate() {
        if *c > median {
            bits |= 1 << i;
        }
    }
    Some(bits)
}

/// The picture without its black bars: `(x0, x1, y0, y1)`, ends exclusive; `None` when every
/// row is dark.
fn crop(p: &Plane) -> Option<(usize, usize, usize, usize)> {
    // A row or column of a bar: at most one pixel in fifty brighter than the bar level, so a
    // few stray pixels of noise or ringing at the picture's edge do not stop the cut.
    let bar_row = |y: usize| {
        let bright = p.row(y).iter().filter(|&&v| v > BAR_LEVEL).count();
        bright * 50 <= p.w
    };
    let y0 = (0..p.h).find(|&y| !bar_row(y))?;
    let y1 = (0..p.h).rev().find(|&y| !bar_row(y))? + 1;
    let bar_col = |x: usize| {
        let bright = (y0..y1).filter(|&y| p.px[y * p.w + x] > BAR_LEVEL).count();
        bright * 50 <= y1 - y0
    };
    let x0 = (0..p.w).find(|&x| !bar_col(x))?;
    let x1 = (0..p.w).rev().find(|&x| !bar_col(x))? + 1;
    Some((x0, x1, y0, y1))
}

/// The region averaged down to `N` × `N` (each cell the mean of the pixels it covers).
fn shrink(p: &Plane, x0: usize, x1: usize, y0: usize, y1: usize) -> Vec<f64> {
    let (w, h) = (x1 - x0, y1 - y0);
    let mut out = vec![0f64; N * N];
    for (j, row) in out.chunks_exact_mut(N).enumerate() {
        let ya = y0 + j * h / N;
        let yb = (y0 + (j + 1) * h / N).max(ya + 1).min(y1);
        for (i, cell) in row.iter_mut().enumerate() {
            let xa = x0 + i * w / N;
            let xb = (x0 + (i + 1) * w / N).max(xa + 1).min(x1);
            let mut s = 0u32;
            for y in ya..yb {
                s += p.row(y)[xa..xb].iter().map(|&v| u32::from(v)).sum::<u32>();
            }
            *cell = f64::from(s) / ((yb - ya) * (xb - xa)) as f64;
        }
    }
    out
}

/// The `K` × `K` lowest coefficients of the 2-D DCT-II of an `N` × `N` block, row-major.
fn dct_low(block: &[f64]) -> Vec<f64> {
    let mut cos = vec![0f64; K * N];
    for u in 0..K {
        for x in 0..N {
            cos[u * N + x] =
                (std::f64::consts::PI * (2 * x + 1) as f64 * u as f64 / (2 * N) as f64).cos();
        }
    }
    // Along the rows first, keeping K frequencies per row, then down the columns.
    let mut rows = vec![0f64; N * K];
    for y in 0..N {
        for u in 0..K {
            rows[y * K + u] = (0..N).map(|x| block[y * N + x] * cos[u * N + x]).sum();
        }
    }
    let mut out = vec![0f64; K * K];
    for v in 0..K {
        for u in 0..K {
            out[v * K + u] = (0..N).map(|y| rows[y * K + u] * cos[v * N + y]).sum();
        }
    }
    out
}

/// How many of the 63 bits two hashes differ in.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture with some structure: diagonal gradients and a bright square.
    fn scene(w: usize, h: usize, shift: usize) -> Plane {
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut v = 60 + (x * 120 / w + y * 60 / h) as u32;
                let (sx, sy) = (w / 3 + shift, h / 3);
                if x > sx && x < sx + w / 5 && y > sy && y < sy + h / 4 {
                    v = 240;
                }
                px[y * w + x] = v.min(255) as u8;
            }
        }
        Plane { w, h, px }
    }

    /// `p` scaled into a frame `bar` rows taller at top and bottom, the bars black.
    fn letterboxed(p: &Plane, bar: usize) -> Plane {
        let mut px = vec![0u8; p.w * (p.h + 2 * bar)];
        px[bar * p.w..(bar + p.h) * p.w].copy_from_slice(&p.px);
        Plane {
            w: p.w,
            h: p.h + 2 * bar,
            px,
        }
    }

    #[test]
    fn a_letterboxed_copy_hashes_as_the_picture() {
        let p = scene(192, 108, 0);
        let a = hash(&p).expect("a picture");
        let b = hash(&letterboxed(&p, 20)).expect("a picture");
        assert!(distance(a, b) <= 2, "{}", distance(a, b));
    }

    #[test]
    fn another_picture_hashes_far_away() {
        let a = hash(&scene(192, 108, 0)).expect("a picture");
        let mut other = scene(192, 108, 0);
        other.px.reverse();
        let b = hash(&other).expect("a picture");
        assert!(distance(a, b) > 16, "{}", distance(a, b));
    }

    #[test]
    fn black_and_flat_pictures_have_no_hash() {
        let black = Plane {
            w: 64,
            h: 36,
            px: vec![16; 64 * 36],
        };
        assert_eq!(hash(&black), None);
        let grey = Plane {
            w: 64,
            h: 36,
            px: vec![128; 64 * 36],
        };
        assert_eq!(hash(&grey), None);
    }
}

//! What one reduced picture looks like: text lines, black, or ordinary picture.
//!
//! Credits are lines of sharp, dense, horizontally alternating strokes separated by calm rows.
//! Ordinary pictures are either smooth (few strong edges) or textured everywhere (no calm rows
//! between the busy ones); star fields have strong edges but only isolated ones.

use crate::probe::sampler::Luma;

/// Luma step between neighbouring pixels that counts as a stroke edge.
const EDGE: i16 = 40;
/// A text row has at least this many edges inside one window of `w / 10` pixels.
const DENSE: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    Text,
    Black,
    Picture,
}

/// Whether text strokes are lighter or darker than what surrounds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Polarity {
    LightOnDark,
    DarkOnLight,
    /// No text lines, or strokes as often lighter as darker.
    Unclear,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Look {
    pub dense_rows: f64,
    pub calm_ratio: f64,
    pub kind: Kind,
    /// 0..1, how strongly the picture looks like a page of credits.
    pub text: f64,
    pub mean: f64,
    /// Share of rows inside text-line bands.
    pub text_rows: f64,
    pub bands: usize,
    pub polarity: Polarity,
    /// Stroke edges per row, for matching rows between pictures (scrolling).
    pub profile: Vec<u16>,
}

pub fn look(l: &Luma) -> Look {
    let (w, h) = (l.w, l.h);
    let win = (w / 10).max(8);
    let mut dense = vec![false; h];
    let mut counts = vec![0usize; h];
    let mut sum: u64 = 0;
    let mut edges_at = vec![0u8; w];
    for y in 0..h {
        let row = l.row(y);
        sum += row.iter().map(|&p| u64::from(p)).sum::<u64>();
        for x in 0..w - 1 {
            edges_at[x] = u8::from((i16::from(row[x + 1]) - i16::from(row[x])).abs() >= EDGE);
        }
        edges_at[w - 1] = 0;
        let mut in_win: usize = edges_at[..win].iter().map(|&e| usize::from(e)).sum();
        let mut best = in_win;
        for x in win..w {
            in_win = in_win + usize::from(edges_at[x]) - usize::from(edges_at[x - win]);
            best = best.max(in_win);
        }
        counts[y] = edges_at.iter().map(|&e| usize::from(e)).sum();
        dense[y] = best >= DENSE;
    }
    let mean = sum as f64 / (w * h) as f64;

    // Text lines are bands of dense rows no taller than a large title; taller busy regions are
    // texture, not text.
    let max_band = (h as f64 * 0.16).ceil() as usize;
    let mut in_band = vec![false; h];
    let mut bands = 0;
    let mut texture_rows = 0;
    let mut y = 0;
    while y < h {
        if !dense[y] {
            y += 1;
            continue;
        }
        let start = y;
        while y < h && dense[y] {
            y += 1;
        }
        let len = y - start;
        if (2..=max_band).contains(&len) {
            bands += 1;
            in_band[start..y].iter_mut().for_each(|b| *b = true);
        } else if len > max_band {
            texture_rows += len;
        }
    }
    let band_rows = in_band.iter().filter(|&&b| b).count();
    let (mut band_edges, mut calm_edges) = (0usize, 0usize);
    for y in 0..h {
        if in_band[y] {
            band_edges += counts[y];
        } else {
            calm_edges += counts[y];
        }
    }
    let band_density = band_edges as f64 / band_rows.max(1) as f64;
    let calm_density = calm_edges as f64 / (h - band_rows).max(1) as f64;
    let text_rows = band_rows as f64 / h as f64;

    // Between text lines the picture is calm; fractal or foliage detail never is.
    let calm = calm_density <= 0.08 * band_density;
    let textured = texture_rows as f64 > 0.12 * h as f64;
    let enough = band_rows >= 4 && text_rows >= 0.02;
    let text = if enough && calm && !textured {
        let contrast = 1.0 - calm_density / band_density.max(1e-9);
        (0.5 + 4.0 * text_rows).min(1.0) * contrast
    } else {
        0.0
    };
    let edge_share = counts.iter().sum::<usize>() as f64 / (w * h) as f64;
    let kind = if text >= 0.4 {
        Kind::Text
    } else if mean < 28.0 && edge_share < 0.004 {
        Kind::Black
    } else {
        Kind::Picture
    };
    Look {
        polarity: polarity(l, &in_band),
        profile: counts
            .iter()
            .map(|&c| u16::try_from(c).unwrap_or(u16::MAX))
            .collect(),
        dense_rows: dense.iter().filter(|&&d| d).count() as f64 / h as f64,
        calm_ratio: calm_density / band_density.max(1e-9),
        kind,
        text,
        mean,
        text_rows,
        bands,
    }
}

/// Compares the pixels of text-line rows with the calm rows' typical level: strokes are the
/// pixels far from that level, and their side of it is the polarity. Evidence for people
/// (`--explain`); the classification above does not depend on it.
fn polarity(l: &Luma, in_band: &[bool]) -> Polarity {
    let calm: Vec<u8> = (0..l.h)
        .filter(|&y| !in_band[y])
        .flat_map(|y| l.row(y).iter().copied())
        .collect();
    if calm.is_empty() || !in_band.iter().any(|&b| b) {
        return Polarity::Unclear;
    }
    let mut hist = [0usize; 256];
    calm.iter().for_each(|&p| hist[usize::from(p)] += 1);
    let half = calm.len() / 2;
    let mut acc = 0;
    let median = hist
        .iter()
        .position(|&n| {
            acc += n;
            acc > half
        })
        .unwrap_or(0) as i16;
    let (mut lighter, mut darker) = (0usize, 0usize);
    for y in (0..l.h).filter(|&y| in_band[y]) {
        for &p in l.row(y) {
            let d = i16::from(p) - median;
            if d >= EDGE {
                lighter += 1;
            } else if d <= -EDGE {
                darker += 1;
            }
        }
    }
    if lighter > 2 * darker {
        Polarity::LightOnDark
    } else if darker > 2 * lighter {
        Polarity::DarkOnLight
    } else {
        Polarity::Unclear
    }
}

/// The vertical shift (rows, positive = upward) that best lines up the row profile of a later
/// picture with an earlier one, when the match is clearly better than no shift at all: the
/// signature of scrolling credits.
pub fn scroll_shift(earlier: &[u16], later: &[u16]) -> Option<i64> {
    let h = earlier.len().min(later.len());
    if h < 16 {
        return None;
    }
    let cost = |s: i64| -> f64 {
        let (mut sum, mut n) = (0u64, 0u64);
        for y in 0..h as i64 {
            let y2 = y - s;
            if y2 < 0 || y2 >= h as i64 {
                continue;
            }
            let (a, b) = (earlier[y as usize], later[y2 as usize]);
            if a == 0 && b == 0 {
                continue;
            }
            sum += u64::from(a.abs_diff(b));
            n += 1;
        }
        if n < (h / 8) as u64 {
            f64::INFINITY
        } else {
            sum as f64 / n as f64
        }
    };
    let still = cost(0);
    let reach = (h / 3) as i64;
    let (best, best_cost) = (-reach..=reach)
        .filter(|&s| s != 0)
        .map(|s| (s, cost(s)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (best_cost.is_finite() && best_cost < 0.5 * still).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(w: usize, h: usize, v: u8) -> Luma {
        Luma {
            w,
            h,
            px: vec![v; w * h],
        }
    }

    #[test]
    fn black_is_black() {
        assert_eq!(look(&blank(384, 216, 5)).kind, Kind::Black);
    }

    #[test]
    fn striped_lines_look_like_text() {
        let mut l = blank(384, 216, 0);
        for line in 0..5 {
            let y0 = 40 + line * 30;
            for y in y0..y0 + 7 {
                for x in (100..280).step_by(3) {
                    l.px[y * 384 + x] = 255;
                }
            }
        }
        assert_eq!(look(&l).kind, Kind::Text);
    }

    #[test]
    fn polarity_follows_the_strokes() {
        let mut light = blank(384, 216, 0);
        let mut dark = blank(384, 216, 230);
        for line in 0..5 {
            let y0 = 40 + line * 30;
            for y in y0..y0 + 7 {
                for x in (100..280).step_by(3) {
                    light.px[y * 384 + x] = 255;
                    dark.px[y * 384 + x] = 10;
                }
            }
        }
        assert_eq!(look(&light).polarity, Polarity::LightOnDark);
        assert_eq!(look(&dark).polarity, Polarity::DarkOnLight);
    }

    #[test]
    fn shifted_rows_read_as_scrolling() {
        let mut a = vec![0u16; 200];
        for (i, v) in a.iter_mut().enumerate() {
            if (i / 6) % 3 == 0 {
                *v = 40 + (i % 7) as u16;
            }
        }
        let mut b = vec![0u16; 200];
        b[..200 - 10].copy_from_slice(&a[10..]);
        assert_eq!(scroll_shift(&a, &b), Some(10));
        assert_eq!(scroll_shift(&a, &a), None);
    }

    #[test]
    fn scattered_dots_are_not_text() {
        let mut l = blank(384, 216, 0);
        let mut s: u32 = 7;
        for _ in 0..300 {
            s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let i = (s as usize >> 8) % (384 * 216);
            l.px[i] = 255;
        }
        assert_ne!(look(&l).kind, Kind::Text);
    }
}

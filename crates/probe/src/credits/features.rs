//! What one reduced picture looks like: text lines, black, or ordinary picture.
//!
//! Credits are lines of sharp, dense, horizontally alternating strokes separated by calm rows.
//! Ordinary pictures are either smooth (few strong edges) or textured everywhere (no calm rows
//! between the busy ones); star fields have strong edges but only isolated ones.

use crate::sampler::Luma;

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
    /// Where the stroke edges are, for telling still lettering from moving picture.
    #[serde(skip)]
    pub edges: EdgeMap,
}

/// One bit per pixel: whether a stroke edge starts there.
#[derive(Debug, Clone, Default)]
pub struct EdgeMap {
    pub w: usize,
    pub h: usize,
    bits: Vec<u64>,
}

impl EdgeMap {
    fn new(w: usize, h: usize) -> EdgeMap {
        EdgeMap {
            w,
            h,
            bits: vec![0; (w * h).div_ceil(64)],
        }
    }

    fn set(&mut self, x: usize, y: usize) {
        let i = y * self.w + x;
        self.bits[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, x: usize, y: usize) -> bool {
        let i = y * self.w + x;
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

pub fn look(l: &Luma) -> Look {
    let (w, h) = (l.w, l.h);
    let win = (w / 10).max(8);
    let mut dense = vec![false; h];
    let mut counts = vec![0usize; h];
    let mut sum: u64 = 0;
    let mut edges_at = vec![0u8; w];
    let mut map = EdgeMap::new(w, h);
    for y in 0..h {
        let row = l.row(y);
        sum += row.iter().map(|&p| u64::from(p)).sum::<u64>();
        for x in 0..w - 1 {
            edges_at[x] = u8::from((i16::from(row[x + 1]) - i16::from(row[x])).abs() >= EDGE);
        }
        edges_at[w - 1] = 0;
        for (x, &e) in edges_at.iter().enumerate() {
            if e != 0 {
                map.set(x, y);
            }
        }
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

    let lines = lines(&dense, &counts);
    let text = lines.text_score(CALM_MAX);
    let (band_density, calm_density) = (lines.band_density, lines.calm_density);
    let (text_rows, bands) = (lines.text_rows, lines.bands);
    let in_band = lines.in_band;
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
        edges: map,
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

/// Text lines found in a picture's rows: bands of dense rows no taller than a large title
/// (taller busy regions are texture, not text), and how busy the rows between them are.
struct Lines {
    in_band: Vec<bool>,
    bands: usize,
    band_rows: usize,
    text_rows: f64,
    texture_rows: usize,
    band_density: f64,
    calm_density: f64,
}

fn lines(dense: &[bool], counts: &[usize]) -> Lines {
    let h = dense.len();
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
    Lines {
        bands,
        band_rows,
        text_rows: band_rows as f64 / h.max(1) as f64,
        texture_rows,
        band_density: band_edges as f64 / band_rows.max(1) as f64,
        calm_density: calm_edges as f64 / (h - band_rows).max(1) as f64,
        in_band,
    }
}

impl Lines {
    /// 0..1: lines of strokes with calm rows between them. Between text lines the picture is
    /// calm; fractal or foliage detail never is.
    fn text_score(&self, calm_max: f64) -> f64 {
        let h = self.in_band.len() as f64;
        let calm = self.calm_density <= calm_max * self.band_density;
        let textured = self.texture_rows as f64 > 0.12 * h;
        let enough = self.band_rows >= 4 && self.text_rows >= 0.02;
        if enough && calm && !textured {
            let contrast = 1.0 - self.calm_density / self.band_density.max(1e-9);
            (0.5 + 4.0 * self.text_rows).min(1.0) * contrast
        } else {
            0.0
        }
    }
}

/// Lettering laid over moving picture: the stroke edges that stay put between two pictures
/// a moment apart, while the picture around them has moved. Only the edges present in both
/// pictures are kept; when those form text lines with calm rows between them (the same test
/// as on a single picture), and the rest of the picture kept few of its edges, the still
/// lines are text over picture. A still shot keeps all its edges and proves nothing, so it
/// is left to the single-picture test.
pub fn overlay_text(earlier: &EdgeMap, later: &EdgeMap) -> f64 {
    overlay(earlier, later).score
}

/// What `overlay_text` measured, for tuning and `--explain`.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub score: f64,
    /// Share of the later picture's edges outside the still lines that were already there.
    pub kept_outside: f64,
    /// Share of the edges inside the still lines that were already there.
    pub kept_inside: f64,
    pub bands: usize,
    pub text_rows: f64,
    pub calm_ratio: f64,
    pub texture_rows: f64,
}

pub fn overlay(earlier: &EdgeMap, later: &EdgeMap) -> Overlay {
    let (w, h) = (later.w, later.h);
    if earlier.w != w || earlier.h != h || w < 16 || h < 16 {
        return Overlay::default();
    }
    let win = (w / 10).max(8);
    let mut dense = vec![false; h];
    let mut kept = vec![0usize; h];
    let mut seen = vec![0usize; h];
    let mut row = vec![0u8; w];
    for y in 0..h {
        for (x, r) in row.iter_mut().enumerate() {
            let now = later.get(x, y);
            seen[y] += usize::from(now);
            *r = u8::from(now && earlier.get(x, y));
        }
        kept[y] = row.iter().map(|&e| usize::from(e)).sum();
        // No window holds more than the whole row: a row with fewer is never dense.
        if kept[y] < DENSE {
            continue;
        }
        let mut in_win: usize = row[..win].iter().map(|&e| usize::from(e)).sum();
        let mut best = in_win;
        for x in win..w {
            in_win = in_win + usize::from(row[x]) - usize::from(row[x - win]);
            best = best.max(in_win);
        }
        dense[y] = best >= DENSE;
    }
    let still = lines(&dense, &kept);
    let (mut kept_out, mut seen_out, mut kept_in, mut seen_in) = (0usize, 0usize, 0usize, 0usize);
    for y in 0..h {
        if still.in_band[y] {
            kept_in += kept[y];
            seen_in += seen[y];
        } else {
            kept_out += kept[y];
            seen_out += seen[y];
        }
    }
    let kept_outside = kept_out as f64 / seen_out.max(1) as f64;
    let kept_inside = kept_in as f64 / seen_in.max(1) as f64;
    // The lines must have stayed put and the picture around them must have moved: most of
    // their edges are still there, much fewer of the rest. Periodic texture (ribs, stripes)
    // under a moving camera keeps some of its edges by chance, never most of them.
    let moved = seen_out as f64 >= 0.002 * (w * h) as f64
        && kept_outside < MOVED_KEPT
        && kept_inside >= STILL_KEPT
        && kept_inside >= kept_outside + 0.3;
    // Edges left outside the lines after the comparison are coincidences of a moving picture,
    // so the rows between lines may keep a few more of them than on a single picture.
    let score = if moved && still.text_rows >= OVERLAY_MIN_ROWS {
        still.text_score(OVERLAY_CALM_MAX)
    } else {
        0.0
    };
    Overlay {
        score,
        kept_outside,
        kept_inside,
        bands: still.bands,
        text_rows: still.text_rows,
        calm_ratio: still.calm_density / still.band_density.max(1e-9),
        texture_rows: still.texture_rows as f64 / h as f64,
    }
}

/// Share of the edges outside the lines that may stay put for the picture to count as moving,
/// and share of the edges inside them that must, for the lines to count as still.
const MOVED_KEPT: f64 = 0.5;
const STILL_KEPT: f64 = 0.7;
/// Busy-ness allowed between text lines, against the lines' own: on a single picture, and on
/// the edges two pictures share.
const CALM_MAX: f64 = 0.08;
const OVERLAY_CALM_MAX: f64 = 0.15;
/// Share of the rows the still lines must fill: a stray pair of short still lines (a window
/// frame, a sign far away) is not a title.
const OVERLAY_MIN_ROWS: f64 = 0.04;

/// Compares each text line's pixels with its local background, the calm rows just above and
/// below it: strokes are the pixels far from that level, and their side of it is the
/// polarity. A caption box, a light page over a dark shot or a gradient puts lines on
/// backgrounds far from the picture's overall level, so one level for the whole picture would
/// call dark print on a white box light on dark. Evidence for people (`--explain`); the
/// classification above does not depend on it, since stroke edges are steps either way.
fn polarity(l: &Luma, in_band: &[bool]) -> Polarity {
    let (mut lighter, mut darker) = (0usize, 0usize);
    let mut y = 0;
    while y < l.h {
        if !in_band[y] {
            y += 1;
            continue;
        }
        let start = y;
        while y < l.h && in_band[y] {
            y += 1;
        }
        let Some(level) = local_level(l, in_band, start, y) else {
            continue;
        };
        for row in start..y {
            for &p in l.row(row) {
                let d = i16::from(p) - level;
                if d >= EDGE {
                    lighter += 1;
                } else if d <= -EDGE {
                    darker += 1;
                }
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

/// The typical level (median) of the calm rows next to the line in rows `a..b`: as many rows
/// above and below as the line is tall, stopping at the next line.
fn local_level(l: &Luma, in_band: &[bool], a: usize, b: usize) -> Option<i16> {
    let reach = (b - a).max(2);
    let above = (a.saturating_sub(reach)..a)
        .rev()
        .take_while(|&y| !in_band[y]);
    let below = (b..(b + reach).min(l.h)).take_while(|&y| !in_band[y]);
    let mut hist = [0usize; 256];
    let mut n = 0usize;
    for y in above.chain(below) {
        for &p in l.row(y) {
            hist[usize::from(p)] += 1;
            n += 1;
        }
    }
    if n == 0 {
        return None;
    }
    let mut acc = 0;
    hist.iter()
        .position(|&k| {
            acc += k;
            acc > n / 2
        })
        .and_then(|v| i16::try_from(v).ok())
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
    // Too few rows with strokes to compare at rest: misaligned, the same rows count twice
    // and would make any shift look better than none.
    if !still.is_finite() {
        return None;
    }
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
    fn polarity_is_measured_against_the_lines_own_background() {
        // Dark print on a white box in the lower third of a dark picture: against the picture's
        // overall (dark) level the box would make the lines look light on dark.
        let mut l = blank(384, 216, 15);
        for y in 130..210 {
            for x in 20..364 {
                l.px[y * 384 + x] = 235;
            }
        }
        for line in 0..3 {
            let y0 = 142 + line * 22;
            for y in y0..y0 + 7 {
                for x in (60..320).step_by(3) {
                    l.px[y * 384 + x] = 20;
                }
            }
        }
        let look = look(&l);
        assert_eq!(look.kind, Kind::Text);
        assert_eq!(look.polarity, Polarity::DarkOnLight);
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
    fn a_still_title_of_two_short_lines_does_not_move() {
        // Two lines of 10 rows in 216: fewer rows with strokes than the comparison needs, and
        // a little noise between the two pictures, as compression leaves on a still card.
        let mut a = vec![0u16; 216];
        for y in (90..100).chain(115..125) {
            a[y] = 30 + (y % 5) as u16;
        }
        let mut b = a.clone();
        for (y, v) in b.iter_mut().enumerate() {
            if *v > 0 && y % 3 == 0 {
                *v += 2;
            }
        }
        assert_eq!(scroll_shift(&a, &b), None);
    }

    /// Deterministic noise texture, shifted by `dx` pixels: a picture that moves.
    fn texture(w: usize, h: usize, dx: usize) -> Luma {
        let mut l = blank(w, h, 0);
        for y in 0..h {
            for x in 0..w {
                // splitmix64 of the pixel's place in the texture: uncorrelated neighbours, so
                // about a fifth of them differ by a stroke edge.
                let mut z =
                    (((x + dx) as u64) << 32 | y as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                l.px[y * w + x] = 60 + (z % 70) as u8;
            }
        }
        l
    }

    fn with_title(mut l: Luma) -> Luma {
        for line in 0..2 {
            let y0 = 70 + line * 40;
            for y in y0..y0 + 12 {
                for x in (80..300).step_by(4) {
                    l.px[y * 384 + x] = 255;
                    l.px[y * 384 + x + 1] = 255;
                }
            }
        }
        l
    }

    #[test]
    fn still_title_over_moving_texture_is_text_only_by_comparison() {
        let a = look(&with_title(texture(384, 216, 0)));
        let b = look(&with_title(texture(384, 216, 7)));
        // On its own the picture is busy everywhere: no text.
        assert_ne!(b.kind, Kind::Text);
        // Against a moment earlier, the lines stayed put and the rest moved.
        assert!(overlay_text(&a.edges, &b.edges) >= 0.4);
        // The same texture moving without a title, or standing still with one, proves nothing.
        let c = look(&texture(384, 216, 0));
        let d = look(&texture(384, 216, 7));
        assert_eq!(overlay_text(&c.edges, &d.edges), 0.0);
        assert_eq!(overlay_text(&a.edges, &a.edges), 0.0);
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

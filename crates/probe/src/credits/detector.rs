//! Where text is in a picture, found by a trained scene-text detector: PaddleOCR's PP-OCRv6
//! tiny detector (DBNet), shipped in `models/text-det.onnx` and run on the CPU by tract. The
//! model gives a text-probability map the size of its input; the map is cut at `BINARIZE`,
//! its connected regions become boxes, a box is kept when the mean probability inside it
//! reaches `BOX_SCORE`, and it is grown back by DBNet's unclip ratio (the model is trained to
//! mark a shrunk core of each text line).
//!
//! The picture is given to the model whole, each side scaled to the nearest multiple of 32
//! (DBNet's stride), as PaddleOCR does: never padded. A flat band beside a picture reads to
//! the model as a page edge, and it then marks most of a busy picture as text.
//!
//! The model is compiled into the binary (nothing is read or downloaded at run time) and
//! made runnable once per process and picture shape, on first use.

use super::plans::Plans;
use crate::sampler::Luma;
use anyhow::{anyhow, Result};
use std::sync::OnceLock;
use tract_onnx::prelude::*;

/// The prepared model (scripts/prepare-text-model.py).
static MODEL: &[u8] = include_bytes!("../../models/text-det.onnx");

/// DBNet's stride: the sides of its input are multiples of this.
const STRIDE: usize = 32;
/// The largest side given to the model: the sampler's reduced pictures (384 pixels on their
/// longer side) are never scaled up past it.
const MAX_SIDE: usize = 384;
/// DBNet's postprocess settings, as PaddleOCR uses them.
const BINARIZE: f32 = 0.3;
const BOX_SCORE: f32 = 0.6;
const UNCLIP: f32 = 1.5;
/// Regions smaller than this (in map pixels, either side) are noise.
const MIN_SIDE: usize = 2;
/// The region the model marks for a line of text is a band: half again as wide as it is high
/// at least (in the picture's pixels), and at most a fifth of the picture high. A rounder or
/// taller region is a bright object the model took for lettering (a white figure on a
/// table, a dial, a lamp), not a line; a wordmark may be taller (see `boxes`).
const MIN_ASPECT: f32 = 1.5;
const MAX_HEIGHT: f32 = 0.2;
/// How much wider than high a region taller than a line must be to count as a wordmark.
const WORDMARK_ASPECT: f32 = 3.0;
/// ImageNet normalisation the model was trained with, per channel (R, G, B); a grey picture
/// gives the same value to all three.
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// One text box, in fractions of the picture's width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Mean text probability inside the box's core.
    pub score: f32,
}

impl TextBox {
    pub fn area(&self) -> f32 {
        (self.x1 - self.x0).max(0.0) * (self.y1 - self.y0).max(0.0)
    }
    pub fn cy(&self) -> f32 {
        0.5 * (self.y0 + self.y1)
    }
    pub fn cx(&self) -> f32 {
        0.5 * (self.x0 + self.x1)
    }
}

/// The text the detector found in one picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextFound {
    pub boxes: Vec<TextBox>,
    /// Share of the picture the boxes cover (overlaps counted once per box).
    pub area: f64,
    /// Lines of text: boxes grouped by the rows they sit on.
    pub lines: usize,
    /// Regions the model marked that are not shaped like lines (a large logo, a bright
    /// object): not counted as text, but the picture is not empty of what reads as lettering.
    pub blobs: usize,
    /// Share of the picture the largest of those regions' bounding boxes covers: a logo is one
    /// large region; an insect, a spark or digits scattered over a plot are small ones.
    pub blob_max: f64,
}

pub struct Detector {
    /// A runnable plan per input shape (width, height), made on first use of that shape.
    plans: Plans,
}

impl Detector {
    /// The detector, with no plan made yet: each shape's plan is made when first met (or
    /// asked for by `prepare`). Making one ahead for a shape the film does not have would cost
    /// a film of another shape a second plan, about 0.2 s of CPU.
    pub fn load() -> Result<Detector> {
        Ok(Detector {
            plans: Plans::new(MODEL, "the text model"),
        })
    }

    /// The detector of this process, loaded on first use. Plans are immutable once made,
    /// so every analysis in the process shares them.
    pub fn shared() -> Result<&'static Detector> {
        static ONE: OnceLock<std::result::Result<Detector, String>> = OnceLock::new();
        ONE.get_or_init(|| Detector::load().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| anyhow!("{e}"))
    }

    /// Makes the plan for reduced pictures of `w` × `h` ahead of their first picture.
    pub fn prepare(&self, w: usize, h: usize) -> Result<()> {
        let (pw, ph) = input_shape(w, h);
        self.plans.get(pw, ph).map(|_| ())
    }

    /// The text boxes in a reduced grey picture.
    pub fn find(&self, l: &Luma) -> Result<TextFound> {
        if l.w == 0 || l.h == 0 || l.px.len() < l.w * l.h {
            return Ok(TextFound::default());
        }
        let (pw, ph) = input_shape(l.w, l.h);
        let grey = resize(l, pw, ph);
        let input = tract_ndarray::Array4::from_shape_fn((1, 3, ph, pw), |(_, c, y, x)| {
            (f32::from(grey[y * pw + x]) / 255.0 - MEAN[c]) / STD[c]
        });
        let out = self
            .plans
            .get(pw, ph)?
            .run(tvec!(Tensor::from(input).into()))
            .map_err(|e| anyhow!("the text model failed: {e}"))?;
        let map = out
            .first()
            .ok_or_else(|| anyhow!("the text model gave no output"))?
            .to_plain_array_view::<f32>()
            .map_err(|e| anyhow!("the text model's output is not a map: {e}"))?
            .into_dimensionality::<tract_ndarray::Ix4>()
            .map_err(|e| anyhow!("the text model's output is not a map: {e}"))?;
        let shape = map.shape();
        if shape[1] < 1 || shape[2] != ph || shape[3] != pw {
            return Err(anyhow!("the text model's output has shape {shape:?}"));
        }
        let prob: Vec<f32> = map
            .slice(tract_ndarray::s![0, 0, .., ..])
            .iter()
            .copied()
            .collect();
        // How wide a map pixel is against its height, in the picture's pixels.
        let aspect = (l.w * ph) as f32 / (pw * l.h) as f32;
        Ok(boxes(&prob, pw, ph, aspect))
    }
}

/// The model's input for a `w` × `h` picture: the longer side at most MAX_SIDE, the shape
/// kept, each side then rounded to the stride (a 384 × 216 picture is given as 384 × 224).
fn input_shape(w: usize, h: usize) -> (usize, usize) {
    let scale = (MAX_SIDE as f64 / w.max(h).max(1) as f64).min(1.0);
    let pw = input_side((w as f64 * scale).round() as usize);
    let ph = input_side((h as f64 * scale).round() as usize);
    (pw, ph)
}

/// A side of the model's input: the nearest multiple of the stride, at least one stride.
fn input_side(n: usize) -> usize {
    ((n + STRIDE / 2) / STRIDE).max(1) * STRIDE
}

/// The picture resampled to `pw` × `ph` (bilinear: the sides change by at most half a stride
/// but for pictures larger than the sampler's).
fn resize(l: &Luma, pw: usize, ph: usize) -> Vec<u8> {
    if pw == l.w && ph == l.h {
        return l.px[..pw * ph].to_vec();
    }
    let mut out = Vec::with_capacity(pw * ph);
    let (sx, sy) = (l.w as f32 / pw as f32, l.h as f32 / ph as f32);
    for y in 0..ph {
        let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (l.h - 1) as f32);
        let (y0, wy) = (fy.floor() as usize, fy - fy.floor());
        let y1 = (y0 + 1).min(l.h - 1);
        for x in 0..pw {
            let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (l.w - 1) as f32);
            let (x0, wx) = (fx.floor() as usize, fx - fx.floor());
            let x1 = (x0 + 1).min(l.w - 1);
            let p = |xx: usize, yy: usize| f32::from(l.px[yy * l.w + xx]);
            let top = p(x0, y0) * (1.0 - wx) + p(x1, y0) * wx;
            let bottom = p(x0, y1) * (1.0 - wx) + p(x1, y1) * wx;
            out.push((top * (1.0 - wy) + bottom * wy).round() as u8);
        }
    }
    out
}

/// DBNet's postprocess on a `w` × `h` probability map: binarize, connected regions (4-way),
/// box score, line shape, unclip. Boxes come out in fractions of the map. `aspect`: how wide
/// a map pixel is against its height, in the picture's pixels.
pub fn boxes(prob: &[f32], w: usize, h: usize, aspect: f32) -> TextFound {
    let mut seen = vec![false; w * h];
    let mut found = Vec::new();
    let mut blobs = 0;
    let mut blob_max: f64 = 0.0;
    let mut stack = Vec::new();
    // A line is at most a fifth of the picture high. A wordmark in a wide picture (a banner, a
    // title across a letterboxed frame) may be taller than that: a region (its core `bw` ×
    // `bh` map pixels over columns `x0..=x1`, grown by `d` on every side) is kept when it is
    // still at most a fifth of the picture's longer side, three times as wide as it is high (a
    // word at least), and leaves some of the picture's width free. A band from edge to edge
    // is sky, a wall or a page, not a word.
    let longer = (w as f32 * aspect).max(h as f32);
    let too_tall = |bw: f32, bh: f32, d: f32, x0: usize, x1: usize| {
        let edge_to_edge = x0 as f32 - d <= 0.0 && x1 as f32 + 1.0 + d >= w as f32;
        bh > MAX_HEIGHT * h as f32
            && (bh > MAX_HEIGHT * longer || bw * aspect < WORDMARK_ASPECT * bh || edge_to_edge)
    };
    for start in 0..w * h {
        if seen[start] || prob[start] < BINARIZE {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        let (mut sum, mut n) = (0.0f32, 0usize);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            sum += prob[i];
            n += 1;
            let mut push = |j: usize| {
                if !seen[j] && prob[j] >= BINARIZE {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                push(i - 1);
            }
            if x + 1 < w {
                push(i + 1);
            }
            if y > 0 {
                push(i - w);
            }
            if y + 1 < h {
                push(i + w);
            }
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        let score = sum / n as f32;
        if score < BOX_SCORE || (bw as usize) < MIN_SIDE || (bh as usize) < MIN_SIDE {
            continue;
        }
        // Unclip: grow the core by area × ratio / perimeter on every side.
        let d = bw * bh * UNCLIP / (2.0 * (bw + bh));
        if bw * aspect < MIN_ASPECT * bh || too_tall(bw, bh, d, x0, x1) {
            let a = f64::from(bw * bh) / (w * h) as f64;
            blobs += 1;
            blob_max = blob_max.max(a);
            continue;
        }
        found.push(TextBox {
            x0: ((x0 as f32 - d) / w as f32).max(0.0),
            y0: ((y0 as f32 - d) / h as f32).max(0.0),
            x1: ((x1 as f32 + 1.0 + d) / w as f32).min(1.0),
            y1: ((y1 as f32 + 1.0 + d) / h as f32).min(1.0),
            score,
        });
    }
    let area = found
        .iter()
        .map(|b| f64::from(b.area()))
        .sum::<f64>()
        .min(1.0);
    let lines = lines(&found);
    TextFound {
        boxes: found,
        area,
        lines,
        blobs,
        blob_max,
    }
}

/// Boxes on the same row (their vertical spans overlap by half the smaller height) make one
/// line.
fn lines(boxes: &[TextBox]) -> usize {
    let mut spans: Vec<(f32, f32)> = boxes.iter().map(|b| (b.y0, b.y1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rows: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match rows.last_mut() {
            Some(r) if r.1.min(b) - r.0.max(a) >= 0.5 * (r.1 - r.0).min(b - a) => {
                r.1 = r.1.max(b);
            }
            _ => rows.push((a, b)),
        }
    }
    rows.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_become_boxes_grown_by_the_unclip_ratio() {
        let (w, h) = (40, 20);
        let mut p = vec![0.0f32; w * h];
        for y in 5..8 {
            for x in 10..30 {
                p[y * w + x] = 0.9;
            }
        }
        // A faint region: above the cut, below the box score.
        for y in 14..17 {
            for x in 2..8 {
                p[y * w + x] = 0.35;
            }
        }
        let f = boxes(&p, w, h, 1.0);
        assert_eq!(f.boxes.len(), 1);
        assert_eq!(f.lines, 1);
        let b = f.boxes[0];
        assert!(
            b.x0 < 10.0 / 40.0 && b.x1 > 30.0 / 40.0 && b.y0 < 5.0 / 20.0,
            "{b:?}"
        );
    }

    /// A map with one region of `rows` × `cols` at full probability.
    fn map_with(
        w: usize,
        h: usize,
        rows: std::ops::Range<usize>,
        cols: std::ops::Range<usize>,
    ) -> Vec<f32> {
        let mut p = vec![0.0f32; w * h];
        for y in rows {
            for x in cols.clone() {
                p[y * w + x] = 0.9;
            }
        }
        p
    }

    #[test]
    fn a_wordmark_taller_than_a_line_counts_in_a_wide_picture_but_not_a_band_or_a_block() {
        // A banner 1280 × 200 given to the model as 384 × 64: a word 40 % of its height,
        // across half its width, is a wordmark (as a title logo on a banner is).
        let (w, h) = (384, 64);
        let word = boxes(&map_with(w, h, 20..46, 100..280), w, h, 1.0);
        assert_eq!((word.boxes.len(), word.blobs), (1, 0), "{word:?}");
        // The same height from edge to edge is a band of sky or a wall.
        let band = boxes(&map_with(w, h, 20..46, 4..380), w, h, 1.0);
        assert_eq!((band.boxes.len(), band.blobs), (0, 1), "{band:?}");
        // A region as tall but only twice as wide is an object, not a word.
        let block = boxes(&map_with(w, h, 20..46, 100..152), w, h, 1.0);
        assert_eq!((block.boxes.len(), block.blobs), (0, 1), "{block:?}");
        // In a 16:9 picture a word 40 % of the height is more than a fifth of the width too:
        // a bright object, as before.
        let (w, h) = (384, 216);
        let tall = boxes(&map_with(w, h, 60..146, 20..300), w, h, 1.0);
        assert_eq!((tall.boxes.len(), tall.blobs), (0, 1), "{tall:?}");
        // At 30 % of its height it is within a fifth of the width, and a wordmark.
        let title = boxes(&map_with(w, h, 70..135, 60..300), w, h, 1.0);
        assert_eq!((title.boxes.len(), title.blobs), (1, 0), "{title:?}");
    }
    #[test]
    fn the_model_loads_and_sees_nothing_in_flat_grey() {
        let d = Detector::load().expect("model loads");
        let l = Luma {
            w: 384,
            h: 216,
            px: vec![90; 384 * 216],
        };
        assert!(d.find(&l).expect("runs").boxes.is_empty());
    }

    /// A picture with a few lines of lettering-like strokes on a textured ground, `w` × `h`.
    fn lettered(w: usize, h: usize) -> Luma {
        let mut px = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let ground = ((x * 7 + y * 13) % 50) as u8 + 40;
                let in_line = (y % 40) < 12 && y % 40 > 2 && x > w / 8 && x < w * 7 / 8;
                let stroke = in_line && (x % 9 < 2 || (y % 40 == 7 && x % 9 < 6));
                px[y * w + x] = if stroke { 240 } else { ground };
            }
        }
        Luma { w, h, px }
    }

    /// The same picture read again, in the same plan or a new one, gives the same boxes, in
    /// every shape a film's reduced picture can have (landscape, square, portrait).
    #[test]
    fn the_detector_reads_a_picture_the_same_every_time() {
        let d = Detector::load().expect("model loads");
        for (w, h) in [
            (384, 216),
            (384, 160),
            (384, 384),
            (240, 320),
            (216, 384),
            (288, 384),
        ] {
            let l = lettered(w, h);
            let first = d.find(&l).expect("runs");
            for _ in 0..3 {
                assert_eq!(d.find(&l).expect("runs"), first, "{w}x{h}");
            }
            let again = Detector::load().expect("model loads");
            assert_eq!(again.find(&l).expect("runs"), first, "{w}x{h}, new plan");
        }
    }
}

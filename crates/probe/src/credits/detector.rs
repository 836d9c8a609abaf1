//! Where text is in a picture, found by a trained scene-text detector: PaddleOCR's PP-OCRv6
//! tiny detector (DBNet), shipped in `models/text-det.onnx` and run on the CPU by tract. The
//! model gives a text-probability map the size of its input; the map is cut at `BINARIZE`,
//! its connected regions become boxes, a box is kept when the mean probability inside it
//! reaches `BOX_SCORE`, and it is grown back by DBNet's unclip ratio (the model is trained to
//! mark a shrunk core of each text line).
//!
//! The model is compiled into the binary (nothing is read or downloaded at run time) and
//! made runnable once per process, on first use.

use crate::sampler::Luma;
use anyhow::{anyhow, Result};
use std::sync::OnceLock;
use tract_onnx::prelude::*;

/// The prepared model (scripts/prepare-text-model.py).
static MODEL: &[u8] = include_bytes!("../../models/text-det.onnx");

/// The model's input: every picture is scaled to fit inside it, keeping its shape. DBNet needs
/// sides that are multiples of 32; 384 × 224 holds a 16:9 picture of the sampler's size
/// (384 pixels wide) without scaling it again.
pub const CANVAS_W: usize = 384;
pub const CANVAS_H: usize = 224;
/// DBNet's postprocess settings, as PaddleOCR uses them.
const BINARIZE: f32 = 0.3;
const BOX_SCORE: f32 = 0.6;
const UNCLIP: f32 = 1.5;
/// Regions smaller than this (in canvas pixels, either side) are noise.
const MIN_SIDE: usize = 2;
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
}

type Plan = TypedRunnableModel<TypedModel>;

pub struct Detector {
    plan: Plan,
}

impl Detector {
    /// Parses and optimises the model for the canvas size.
    pub fn load() -> Result<Detector> {
        let plan = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(MODEL))
            .map_err(|e| anyhow!("the text model cannot be read: {e}"))?
            .with_input_fact(0, f32::fact([1, 3, CANVAS_H, CANVAS_W]).into())
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| anyhow!("the text model cannot be prepared: {e}"))?;
        Ok(Detector { plan })
    }

    /// The detector of this process, loaded on first use. The plan is immutable once made,
    /// so every analysis in the process shares it.
    pub fn shared() -> Result<&'static Detector> {
        static ONE: OnceLock<std::result::Result<Detector, String>> = OnceLock::new();
        ONE.get_or_init(|| Detector::load().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| anyhow!("{e}"))
    }

    /// The text boxes in a reduced grey picture.
    pub fn find(&self, l: &Luma) -> Result<TextFound> {
        if l.w == 0 || l.h == 0 {
            return Ok(TextFound::default());
        }
        let scale = (CANVAS_W as f64 / l.w as f64)
            .min(CANVAS_H as f64 / l.h as f64)
            .min(1.0);
        let pw = ((l.w as f64 * scale).round() as usize).clamp(1, CANVAS_W);
        let ph = ((l.h as f64 * scale).round() as usize).clamp(1, CANVAS_H);
        let grey = fit(l, pw, ph);
        let input =
            tract_ndarray::Array4::from_shape_fn((1, 3, CANVAS_H, CANVAS_W), |(_, c, y, x)| {
                if x < pw && y < ph {
                    (f32::from(grey[y * pw + x]) / 255.0 - MEAN[c]) / STD[c]
                } else {
                    // Outside the picture: the mean colour, which reads as nothing.
                    0.0
                }
            });
        let out = self
            .plan
            .run(tvec!(Tensor::from(input).into()))
            .map_err(|e| anyhow!("the text model failed: {e}"))?;
        let map = out
            .first()
            .ok_or_else(|| anyhow!("the text model gave no output"))?
            .to_array_view::<f32>()
            .map_err(|e| anyhow!("the text model's output is not a map: {e}"))?
            .into_dimensionality::<tract_ndarray::Ix4>()
            .map_err(|e| anyhow!("the text model's output is not a map: {e}"))?;
        let shape = map.shape();
        if shape[1] < 1 || shape[2] < ph || shape[3] < pw {
            return Err(anyhow!("the text model's output has shape {shape:?}"));
        }
        let mut prob = Vec::with_capacity(pw * ph);
        for y in 0..ph {
            for x in 0..pw {
                prob.push(map[[0, 0, y, x]]);
            }
        }
        Ok(boxes(&prob, pw, ph))
    }
}

/// The picture scaled to `pw` × `ph` (never larger than it is), each pixel the mean of the
/// pixels it covers.
fn fit(l: &Luma, pw: usize, ph: usize) -> Vec<u8> {
    if pw == l.w && ph == l.h {
        return l.px.clone();
    }
    let mut out = Vec::with_capacity(pw * ph);
    for y in 0..ph {
        let (ya, yb) = (y * l.h / ph, ((y + 1) * l.h / ph).max(y * l.h / ph + 1));
        for x in 0..pw {
            let (xa, xb) = (x * l.w / pw, ((x + 1) * l.w / pw).max(x * l.w / pw + 1));
            let mut sum = 0u32;
            for yy in ya..yb.min(l.h) {
                for xx in xa..xb.min(l.w) {
                    sum += u32::from(l.px[yy * l.w + xx]);
                }
            }
            let n = ((yb.min(l.h) - ya) * (xb.min(l.w) - xa)).max(1) as u32;
            out.push((sum / n) as u8);
        }
    }
    out
}

/// DBNet's postprocess on a `w` × `h` probability map: binarize, connected regions (4-way),
/// box score, unclip. Boxes come out in fractions of the map.
pub fn boxes(prob: &[f32], w: usize, h: usize) -> TextFound {
    let mut seen = vec![false; w * h];
    let mut found = Vec::new();
    let mut stack = Vec::new();
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
        let f = boxes(&p, w, h);
        assert_eq!(f.boxes.len(), 1);
        assert_eq!(f.lines, 1);
        let b = f.boxes[0];
        assert!(
            b.x0 < 10.0 / 40.0 && b.x1 > 30.0 / 40.0 && b.y0 < 5.0 / 20.0,
            "{b:?}"
        );
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
}

//! What a line of text says, read by a trained recogniser: PaddleOCR's PP-OCRv6 tiny text
//! recogniser (a CTC model), shipped in `models/text-rec.onnx` with its character list
//! `models/text-rec-dict.txt` (Latin, Greek and Cyrillic letters, digits, punctuation, and
//! the common Chinese, Japanese and Korean characters), and run on the CPU by tract.
//!
//! Each box the detector found is cut from the reduced grey picture, scaled to the model's
//! 48 pixels of height with its shape kept, and padded on the right to the next of a few
//! widths (a runnable plan is made once per width, as the detector does per picture shape).
//! The model gives, for each column step, the probability of every character and of "no
//! character"; the greedy CTC reading keeps the likeliest at each step, drops repeats and
//! blanks, and scores the line by the mean probability of the characters kept.

use super::detector::TextBox;
use super::plans::Plans;
use crate::sampler::Luma;
use anyhow::{anyhow, Result};
use std::sync::OnceLock;
use tract_onnx::prelude::*;

/// The prepared model and its character list (scripts/prepare-text-model.py).
static MODEL: &[u8] = include_bytes!("../../models/text-rec.onnx");
static DICT: &str = include_str!("../../models/text-rec-dict.txt");

/// The model's input height.
const HEIGHT: usize = 48;
/// Input widths a line is padded to; a longer line is squeezed into the widest.
const WIDTHS: [usize; 3] = [320, 640, 1280];
/// A box at most this many picture pixels high is too small to read (the reduced picture is
/// 384 pixels on its longer side): the recogniser guesses there.
const MIN_BOX_PX: f32 = 5.0;

/// One line read.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Mean probability of the characters read.
    pub score: f32,
}

pub struct Reader {
    /// A runnable plan per padded line width.
    plans: Plans,
    /// Class 0 is CTC's blank; class i is `chars[i - 1]`, the last one a space.
    chars: Vec<String>,
}

impl Reader {
    pub fn load() -> Result<Reader> {
        let mut chars: Vec<String> = DICT.lines().map(str::to_string).collect();
        chars.push(" ".into());
        let r = Reader {
            plans: Plans::new(MODEL, "the text reader"),
            chars,
        };
        r.plans.get(WIDTHS[0], HEIGHT)?;
        Ok(r)
    }

    /// The reader of this process, loaded on first use.
    pub fn shared() -> Result<&'static Reader> {
        static ONE: OnceLock<std::result::Result<Reader, String>> = OnceLock::new();
        ONE.get_or_init(|| Reader::load().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| anyhow!("{e}"))
    }

    /// The text in one detector box of a reduced grey picture; `None` when the box is too
    /// small to read.
    pub fn read(&self, l: &Luma, b: &TextBox) -> Result<Option<Line>> {
        if l.w == 0 || l.h == 0 || l.px.len() < l.w * l.h {
            return Ok(None);
        }
        let (fw, fh) = (l.w as f32, l.h as f32);
        let x0 = (b.x0.clamp(0.0, 1.0) * fw).floor() as usize;
        let x1 = ((b.x1.clamp(0.0, 1.0) * fw).ceil() as usize).min(l.w);
        let y0 = (b.y0.clamp(0.0, 1.0) * fh).floor() as usize;
        let y1 = ((b.y1.clamp(0.0, 1.0) * fh).ceil() as usize).min(l.h);
        if x1 <= x0 || y1 <= y0 || ((y1 - y0) as f32) < MIN_BOX_PX {
            return Ok(None);
        }
        let (cw, ch) = (x1 - x0, y1 - y0);
        let want = ((HEIGHT * cw) as f32 / ch as f32).ceil() as usize;
        let (lw, width) = match WIDTHS.iter().find(|&&w| w >= want) {
            Some(&w) => (want.max(1), w),
            None => (WIDTHS[WIDTHS.len() - 1], WIDTHS[WIDTHS.len() - 1]),
        };
        // Bilinear, from the crop's pixel centres; PaddleOCR pads with zeros after
        // normalising, which is mid-grey.
        let (sx, sy) = (cw as f32 / lw as f32, ch as f32 / HEIGHT as f32);
        let px = |x: usize, y: usize| f32::from(l.px[(y0 + y) * l.w + x0 + x]);
        let mut line = vec![0f32; HEIGHT * width];
        for y in 0..HEIGHT {
            let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (ch - 1) as f32);
            let (ya, wy) = (fy.floor() as usize, fy - fy.floor());
            let yb = (ya + 1).min(ch - 1);
            for x in 0..lw {
                let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (cw - 1) as f32);
                let (xa, wx) = (fx.floor() as usize, fx - fx.floor());
                let xb = (xa + 1).min(cw - 1);
                let top = px(xa, ya) * (1.0 - wx) + px(xb, ya) * wx;
                let bottom = px(xa, yb) * (1.0 - wx) + px(xb, yb) * wx;
                let v = top * (1.0 - wy) + bottom * wy;
                line[y * width + x] = v / 127.5 - 1.0;
            }
        }
        let input = tract_ndarray::Array4::from_shape_fn((1, 3, HEIGHT, width), |(_, _, y, x)| {
            line[y * width + x]
        });
        let out = self
            .plans
            .get(width, HEIGHT)?
            .run(tvec!(Tensor::from(input).into()))
            .map_err(|e| anyhow!("the text reader failed: {e}"))?;
        let probs = out
            .first()
            .ok_or_else(|| anyhow!("the text reader gave no output"))?
            .to_plain_array_view::<f32>()
            .map_err(|e| anyhow!("the text reader's output is not a table: {e}"))?
            .into_dimensionality::<tract_ndarray::Ix3>()
            .map_err(|e| anyhow!("the text reader's output is not a table: {e}"))?;
        let classes = probs.shape()[2];
        if classes != self.chars.len() + 1 {
            return Err(anyhow!(
                "the text reader gives {classes} classes for {} characters",
                self.chars.len()
            ));
        }
        // Steps past the line's own width read the padding.
        let steps = probs.shape()[1];
        let used = (steps * lw).div_ceil(width).min(steps);
        let mut text = String::new();
        let (mut sum, mut n) = (0f32, 0usize);
        let mut prev = 0;
        for s in 0..used {
            let row = probs.slice(tract_ndarray::s![0, s, ..]);
            let (best, p) =
                row.iter()
                    .enumerate()
                    .fold((0, f32::MIN), |a, (i, &p)| if p > a.1 { (i, p) } else { a });
            if best != 0 && best != prev {
                text.push_str(&self.chars[best - 1]);
                sum += p;
                n += 1;
            }
            prev = best;
        }
        let text = text.trim().to_string();
        if n == 0 || text.is_empty() {
            return Ok(None);
        }
        Ok(Some(Line {
            text,
            score: sum / n as f32,
        }))
    }
}

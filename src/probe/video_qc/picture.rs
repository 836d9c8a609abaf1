//! Each decoded frame reduced once for every measurement: a tall picture (full height, at
//! most `TALL_WIDTH` wide, so field lines stay apart for the scan detector) in 8-bit YUV
//! 4:4:4, and from it a small picture (a few thousand cells) for flashing, freezes and black.

use anyhow::{anyhow, Result};
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;

/// Widest tall picture: combing is vertical, so the width can be averaged down.
const TALL_WIDTH: u32 = 480;
/// Rough size of the small picture.
const SMALL_COLS: usize = 96;
const SMALL_ROWS: usize = 60;

/// One 8-bit plane, rows packed.
#[derive(Debug, Clone, Default)]
pub struct Plane {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Plane {
    pub fn row(&self, y: usize) -> &[u8] {
        &self.px[y * self.w..(y + 1) * self.w]
    }
}

/// A frame as the measurements see it; limited-range YUV.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub tall_y: Plane,
    pub small_y: Plane,
    pub small_u: Plane,
    pub small_v: Plane,
    /// Coded width over tall width: where a tall column lies in the frame.
    pub x_scale: f64,
}

/// Turns frames into `Pictures`, keeping its scaler between frames of the same shape.
#[derive(Default)]
pub struct Reducer {
    scaler: Option<(Pixel, u32, u32, scaling::Context)>,
}

impl Reducer {
    pub fn reduce(&mut self, f: &frame::Video) -> Result<Pictures> {
        let (w, h, fmt) = (f.width(), f.height(), f.format());
        if w == 0 || h == 0 {
            return Err(anyhow!("decoder returned an empty picture"));
        }
        let tw = w.clamp(2, TALL_WIDTH);
        let fresh =
            !matches!(&self.scaler, Some((p, sw, sh, _)) if *p == fmt && *sw == w && *sh == h);
        if fresh {
            let ctx = scaling::Context::get(fmt, w, h, Pixel::YUV444P, tw, h, scaling::Flags::AREA)
                .map_err(|e| anyhow!("cannot scale {fmt:?} pictures: {e}"))?;
            self.scaler = Some((fmt, w, h, ctx));
        }
        let Some((_, _, _, ctx)) = self.scaler.as_mut() else {
            return Err(anyhow!("no scaler"));
        };
        let mut out = frame::Video::empty();
        ctx.run(f, &mut out)
            .map_err(|e| anyhow!("scaling failed: {e}"))?;
        let plane = |i: usize| -> Result<Plane> {
            let (ow, oh) = (out.width() as usize, out.height() as usize);
            let stride = out.stride(i);
            let data = out.data(i);
            let mut px = Vec::with_capacity(ow * oh);
            for y in 0..oh {
                let row = data
                    .get(y * stride..y * stride + ow)
                    .ok_or_else(|| anyhow!("scaled picture shorter than expected"))?;
                px.extend_from_slice(row);
            }
            Ok(Plane { w: ow, h: oh, px })
        };
        let tall_y = plane(0)?;
        let (u, v) = (plane(1)?, plane(2)?);
        Ok(Pictures {
            small_y: shrink(&tall_y),
            small_u: shrink(&u),
            small_v: shrink(&v),
            tall_y,
            x_scale: f64::from(w) / f64::from(tw),
        })
    }
}

/// Box average down to about `SMALL_COLS` x `SMALL_ROWS`.
pub fn shrink(p: &Plane) -> Plane {
    let bx = p.w.div_ceil(SMALL_COLS).max(1);
    let by = p.h.div_ceil(SMALL_ROWS).max(1);
    let (w, h) = (p.w / bx, p.h / by);
    let mut px = Vec::with_capacity(w * h);
    for cy in 0..h {
        for cx in 0..w {
            let mut sum = 0u32;
            for y in cy * by..(cy + 1) * by {
                let row = p.row(y);
                sum += row[cx * bx..(cx + 1) * bx]
                    .iter()
                    .map(|&v| u32::from(v))
                    .sum::<u32>();
            }
            px.push((sum / (bx * by) as u32) as u8);
        }
    }
    Plane { w, h, px }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_averages_blocks() {
        let p = Plane {
            w: 192,
            h: 120,
            px: (0..192 * 120)
                .map(|i| if i % 2 == 0 { 0 } else { 200 })
                .collect(),
        };
        let s = shrink(&p);
        assert_eq!((s.w, s.h), (96, 60));
        assert!(s.px.iter().all(|&v| v == 100));
    }
}

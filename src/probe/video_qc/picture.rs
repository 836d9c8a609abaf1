//! Each decoded frame reduced for the measurements, each reduction made only for the frames
//! that need it: a small picture (about 96 cells wide, 8-bit YUV 4:4:4, area-averaged) for
//! flashing, freezes and black on every frame, and a tall one (full height, at most
//! `TALL_WIDTH` wide, so field lines stay apart) for the scan and the active area on the few
//! frames they sample.

use anyhow::{anyhow, Result};
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;

/// Widest tall picture: combing is vertical, so the width can be averaged down.
const TALL_WIDTH: u32 = 480;
/// Width of the small picture.
const SMALL_WIDTH: u32 = 96;

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

/// The small picture, limited-range YUV.
#[derive(Debug, Clone, Default)]
pub struct Small {
    pub y: Plane,
    pub u: Plane,
    pub v: Plane,
}

/// The tall luma picture.
#[derive(Debug, Clone, Default)]
pub struct Tall {
    pub y: Plane,
    /// Coded width over tall width: where a tall column lies in the frame.
    pub x_scale: f64,
}

type Cached = Option<(Pixel, u32, u32, scaling::Context)>;

/// Makes the reduced pictures, keeping its scalers between frames of the same shape.
#[derive(Default)]
pub struct Reducer {
    small: Cached,
    tall: Cached,
}

/// Runs `f` through the cached scaler to `to` at `out_w` x `out_h`, making the scaler anew
/// when the frame's shape changed.
fn scale(
    cache: &mut Cached,
    f: &frame::Video,
    to: Pixel,
    out_w: u32,
    out_h: u32,
) -> Result<frame::Video> {
    let (w, h, fmt) = (f.width(), f.height(), f.format());
    if w == 0 || h == 0 {
        return Err(anyhow!("decoder returned an empty picture"));
    }
    let fresh = !matches!(cache, Some((p, sw, sh, _)) if *p == fmt && *sw == w && *sh == h);
    if fresh {
        let ctx = scaling::Context::get(fmt, w, h, to, out_w, out_h, scaling::Flags::AREA)
            .map_err(|e| anyhow!("cannot scale {fmt:?} pictures: {e}"))?;
        *cache = Some((fmt, w, h, ctx));
    }
    let Some((_, _, _, ctx)) = cache.as_mut() else {
        return Err(anyhow!("no scaler"));
    };
    let mut out = frame::Video::empty();
    ctx.run(f, &mut out)
        .map_err(|e| anyhow!("scaling failed: {e}"))?;
    Ok(out)
}

/// Plane `i` of a scaled frame, rows packed.
fn plane(out: &frame::Video, i: usize) -> Result<Plane> {
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
}

impl Reducer {
    pub fn small(&mut self, f: &frame::Video) -> Result<Small> {
        let (w, h) = (f.width().max(1), f.height().max(1));
        let sw = w.min(SMALL_WIDTH);
        let sh = ((u64::from(h) * u64::from(sw) / u64::from(w)) as u32).clamp(8, h.max(8));
        let out = scale(&mut self.small, f, Pixel::YUV444P, sw, sh)?;
        Ok(Small {
            y: plane(&out, 0)?,
            u: plane(&out, 1)?,
            v: plane(&out, 2)?,
        })
    }

    pub fn tall(&mut self, f: &frame::Video) -> Result<Tall> {
        let (w, h) = (f.width(), f.height());
        let tw = w.clamp(2, TALL_WIDTH);
        let out = scale(&mut self.tall, f, Pixel::GRAY8, tw, h.max(1))?;
        Ok(Tall {
            y: plane(&out, 0)?,
            x_scale: f64::from(w) / f64::from(tw),
        })
    }
}

//! Each decoded frame reduced for the measurements, each reduction made only for the frames
//! that need it: a small picture (about 96 cells wide, 8-bit YUV 4:4:4, area-averaged: directly
//! for the common planar formats, through FFmpeg's scaler for the rest) for
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

pub use crate::plane::Plane;

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

/// Bytes per sample (1 or 2, little-endian) and the shift to 8 bits of the planar
/// limited-range formats averaged here directly; `None` for the rest, which go through the
/// scaler (full-range `yuvj` formats need their range converted, packed ones their samples
/// found).
fn direct_format(fmt: Pixel) -> Option<(usize, u32)> {
    match fmt {
        Pixel::YUV420P | Pixel::YUV422P | Pixel::YUV444P => Some((1, 0)),
        Pixel::YUV420P10LE | Pixel::YUV422P10LE | Pixel::YUV444P10LE => Some((2, 2)),
        Pixel::YUV420P12LE | Pixel::YUV422P12LE | Pixel::YUV444P12LE => Some((2, 4)),
        _ => None,
    }
}

/// Plane `i` of `f` averaged over `out_w` x `out_h` cells, each the mean of the samples it
/// covers (what an area scaler computes, at a fraction of the cost on every frame of a film).
fn averaged(
    f: &frame::Video,
    i: usize,
    (bytes, shift): (usize, u32),
    out_w: usize,
    out_h: usize,
) -> Result<Plane> {
    let (pw, ph) = (f.plane_width(i) as usize, f.plane_height(i) as usize);
    let stride = f.stride(i);
    let data = f.data(i);
    if pw == 0 || ph == 0 || stride < pw * bytes {
        return Err(anyhow!("decoder returned an empty picture"));
    }
    // Column bounds of each cell. Each output row adds up the rows it covers column by column
    // (a loop the compiler vectorises), then each cell sums its columns.
    let cols: Vec<(usize, usize)> = (0..out_w)
        .map(|c| {
            (
                c * pw / out_w,
                ((c + 1) * pw / out_w).max(c * pw / out_w + 1),
            )
        })
        .collect();
    let mut px = Vec::with_capacity(out_w * out_h);
    let mut acc = vec![0u32; pw];
    for r in 0..out_h {
        let (y0, y1) = (
            r * ph / out_h,
            ((r + 1) * ph / out_h).max(r * ph / out_h + 1),
        );
        let y1 = y1.min(ph);
        acc.iter_mut().for_each(|a| *a = 0);
        for y in y0..y1 {
            let row = data
                .get(y * stride..y * stride + pw * bytes)
                .ok_or_else(|| anyhow!("decoded picture shorter than its size"))?;
            if bytes == 1 {
                for (a, &v) in acc.iter_mut().zip(row) {
                    *a += u32::from(v);
                }
            } else {
                for (a, b) in acc.iter_mut().zip(row.chunks_exact(2)) {
                    *a += u32::from(u16::from_le_bytes([b[0], b[1]]));
                }
            }
        }
        let rows = (y1 - y0) as u64;
        for &(x0, x1) in &cols {
            let sum: u64 = acc[x0..x1.min(pw)].iter().map(|&a| u64::from(a)).sum();
            let n = rows * (x1.min(pw) - x0) as u64;
            // Rounded to the nearest 8-bit level, as the scaler rounds.
            let scale = (n << shift).max(1);
            px.push(((sum + scale / 2) / scale).min(255) as u8);
        }
    }
    Ok(Plane {
        w: out_w,
        h: out_h,
        px,
    })
}

impl Reducer {
    pub fn small(&mut self, f: &frame::Video) -> Result<Small> {
        let (w, h) = (f.width().max(1), f.height().max(1));
        let sw = w.min(SMALL_WIDTH);
        let sh = ((u64::from(h) * u64::from(sw) / u64::from(w)) as u32).clamp(8, h.max(8));
        if let Some(layout) = direct_format(f.format()).filter(|_| sh <= h) {
            let (ow, oh) = (sw as usize, sh as usize);
            return Ok(Small {
                y: averaged(f, 0, layout, ow, oh)?,
                u: averaged(f, 1, layout, ow, oh)?,
                v: averaged(f, 2, layout, ow, oh)?,
            });
        }
        let out = scale(&mut self.small, f, Pixel::YUV444P, sw, sh)?;
        Ok(Small {
            y: Plane::of_frame(&out, 0)?,
            u: Plane::of_frame(&out, 1)?,
            v: Plane::of_frame(&out, 2)?,
        })
    }

    pub fn tall(&mut self, f: &frame::Video) -> Result<Tall> {
        let (w, h) = (f.width(), f.height());
        let tw = w.clamp(2, TALL_WIDTH);
        let out = scale(&mut self.tall, f, Pixel::GRAY8, tw, h.max(1))?;
        Ok(Tall {
            y: Plane::of_frame(&out, 0)?,
            x_scale: f64::from(w) / f64::from(tw),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `fmt` with gradients and sharp edges in every plane.
    fn pattern(fmt: Pixel, w: u32, h: u32) -> frame::Video {
        let mut f = frame::Video::new(fmt, w, h);
        let wide = direct_format(fmt).map_or(1, |(b, _)| b);
        for i in 0..3 {
            let (pw, ph) = (f.plane_width(i) as usize, f.plane_height(i) as usize);
            let stride = f.stride(i);
            let data = f.data_mut(i);
            for y in 0..ph {
                for x in 0..pw {
                    let checker = if (x / 13 + y / 9) % 2 == 0 { 16 } else { 40 };
                    let v8 = (x * 90 / pw + y * 50 / ph + i * 20 + checker) as u16;
                    if wide == 1 {
                        data[y * stride + x] = v8 as u8;
                    } else {
                        let v = (v8 << 2).to_le_bytes();
                        data[y * stride + 2 * x..y * stride + 2 * x + 2].copy_from_slice(&v);
                    }
                }
            }
        }
        f
    }

    #[test]
    fn the_direct_average_is_what_the_area_scaler_gives() {
        // Where a cell's edge falls inside a sample (720 samples into 96 cells), the scaler
        // shares that sample between two cells and this average gives it to one: a part of one
        // edge's step. Where the cells hold whole samples the two agree to rounding.
        for (fmt, w, h, most) in [
            (Pixel::YUV420P, 1920, 1080, 1),
            (Pixel::YUV420P, 1440, 1080, 6),
            (Pixel::YUV422P10LE, 1280, 720, 6),
            (Pixel::YUV444P, 720, 576, 6),
        ] {
            let f = pattern(fmt, w, h);
            let direct = Reducer::default().small(&f).unwrap();
            let sw = w.min(SMALL_WIDTH);
            let sh = h * sw / w;
            let mut cache = None;
            let out = scale(&mut cache, &f, Pixel::YUV444P, sw, sh).unwrap();
            for (i, p) in [&direct.y, &direct.u, &direct.v].into_iter().enumerate() {
                let want = Plane::of_frame(&out, i).unwrap();
                assert_eq!((p.w, p.h), (want.w, want.h));
                let worst =
                    p.px.iter()
                        .zip(&want.px)
                        .map(|(a, b)| (i16::from(*a) - i16::from(*b)).abs())
                        .max()
                        .unwrap();
                assert!(worst <= most, "{fmt:?} {w}x{h} plane {i}: off by {worst}");
            }
        }
    }
}

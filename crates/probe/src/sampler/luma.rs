//! Reducing a decoded frame to the small grey picture the video analyzers read. Shared by the
//! sampler's own decodes and by the whole-film record the video analyzer's decode leaves
//! (`film`), so that a picture is reduced the same way whichever decode made it.

use super::Luma;
use anyhow::{anyhow, Result};
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;

/// Longest side of the reduced picture: enough to keep credits text a few pixels tall.
pub const REDUCED: u32 = 384;

/// Reduces frames, keeping its scaler between frames of the same shape.
#[derive(Default)]
pub struct Reducer {
    scaler: Option<(Pixel, u32, u32, scaling::Context)>,
}

impl Reducer {
    pub fn reduce(&mut self, f: &frame::Video) -> Result<Luma> {
        let (w, h, fmt) = (f.width(), f.height(), f.format());
        if w == 0 || h == 0 {
            return Err(anyhow!("decoder returned an empty picture"));
        }
        let (dw, dh) = reduced_size(w, h);
        let fresh =
            !matches!(&self.scaler, Some((p, sw, sh, _)) if *p == fmt && *sw == w && *sh == h);
        if fresh {
            let ctx = scaling::Context::get(fmt, w, h, Pixel::GRAY8, dw, dh, scaling::Flags::AREA)
                .map_err(|e| anyhow!("cannot scale {fmt:?} pictures: {e}"))?;
            self.scaler = Some((fmt, w, h, ctx));
        }
        let Some((_, _, _, ctx)) = self.scaler.as_mut() else {
            return Err(anyhow!("no scaler"));
        };
        let mut out = frame::Video::empty();
        ctx.run(f, &mut out)
            .map_err(|e| anyhow!("scaling failed: {e}"))?;
        Luma::of_frame(&out, 0)
    }
}

/// The size a `w` × `h` picture is reduced to: the longer side `REDUCED` at most, the shape kept.
pub fn reduced_size(w: u32, h: u32) -> (u32, u32) {
    let scale = (f64::from(REDUCED) / f64::from(w.max(h))).min(1.0);
    let dw = ((f64::from(w) * scale).round() as u32).max(8);
    let dh = ((f64::from(h) * scale).round() as u32).max(8);
    (dw, dh)
}

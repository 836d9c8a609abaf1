//! PNG thumbnails of the detected credits, so a person can confirm them at a glance.

use crate::facts::Credits;
use crate::probe::sampler::Sampler;
use anyhow::{anyhow, bail, Context as _, Result};
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg_next as ffmpeg;
use std::path::{Path, PathBuf};

const THUMB_WIDTH: u32 = 640;
/// Pictures between the start and the end, besides those two.
const BETWEEN: usize = 3;

/// Writes `credits-<n>-<seconds>s.png` files into `dir` (created if needed): the start, a few
/// pictures between, and the end of the credits, then the opening credits if any.
pub fn write_frames(path: &Path, credits: &Credits, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut times = Vec::new();
    if let (Some(a), Some(b)) = (credits.start_s, credits.end_s) {
        times.extend(spread(a, b));
    }
    if let Some(o) = &credits.opening {
        if Some(o.start_s) != credits.start_s {
            times.extend(spread(o.start_s, o.end_s));
        }
    }
    if times.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let Some(mut sampler) = Sampler::open(path)? else {
        bail!("no video stream to take pictures from");
    };
    let mut written = Vec::new();
    for (n, t) in times.into_iter().enumerate() {
        let Some((at, frame)) = sampler.frame_at(t)? else {
            continue;
        };
        let file = dir.join(format!("credits-{:02}-{:.1}s.png", n + 1, at));
        std::fs::write(&file, png(&frame)?)
            .with_context(|| format!("cannot write {}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}

/// The start, `BETWEEN` evenly spaced pictures, and a moment before the end (the end itself
/// is the first picture after the credits).
fn spread(a: f64, b: f64) -> Vec<f64> {
    let last = (b - 0.3).max(a);
    let mut v = vec![a];
    for i in 1..=BETWEEN {
        v.push(a + (last - a) * i as f64 / (BETWEEN + 1) as f64);
    }
    v.push(last);
    v
}

fn png(frame: &ffmpeg::util::frame::Video) -> Result<Vec<u8>> {
    let (w, h) = (frame.width(), frame.height());
    let tw = THUMB_WIDTH.min(w).max(2);
    let th = ((u64::from(h) * u64::from(tw) / u64::from(w.max(1))) as u32).max(2);
    let mut scaler = scaling::Context::get(
        frame.format(),
        w,
        h,
        Pixel::RGB24,
        tw,
        th,
        scaling::Flags::BILINEAR,
    )
    .map_err(|e| anyhow!("cannot convert the picture: {e}"))?;
    let mut rgb = ffmpeg::util::frame::Video::empty();
    scaler
        .run(frame, &mut rgb)
        .map_err(|e| anyhow!("cannot convert the picture: {e}"))?;
    let codec = ffmpeg::encoder::find(ffmpeg::codec::Id::PNG)
        .ok_or_else(|| anyhow!("this FFmpeg has no PNG encoder"))?;
    let mut enc = ffmpeg::codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()
        .map_err(|e| anyhow!("PNG encoder: {e}"))?;
    enc.set_width(tw);
    enc.set_height(th);
    enc.set_format(Pixel::RGB24);
    enc.set_time_base((1, 25));
    let mut enc = enc
        .open_as(codec)
        .map_err(|e| anyhow!("PNG encoder: {e}"))?;
    enc.send_frame(&rgb)
        .map_err(|e| anyhow!("PNG encoding failed: {e}"))?;
    let _ = enc.send_eof();
    let mut packet = ffmpeg::Packet::empty();
    enc.receive_packet(&mut packet)
        .map_err(|e| anyhow!("PNG encoding failed: {e}"))?;
    packet
        .data()
        .map(<[u8]>::to_vec)
        .ok_or_else(|| anyhow!("PNG encoder produced nothing"))
}

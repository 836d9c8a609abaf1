//! Pictures for people to look at: frames of a film grabbed at given moments, scaled to square
//! pixels and encoded (JPEG for the HTML report, PNG for `credits --frames`) with FFmpeg's own
//! decoder, scaler and encoders, so no image crate is needed. Like probing, grabbing reads
//! hostile input, so it runs in the same worker processes.

use crate::sampler::Sampler;
use anyhow::{anyhow, Result};
use ffmpeg_next as ffmpeg;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling::{Context as Scaler, Flags as ScaleFlags};
pub use reelcheck_facts::stills::{Encoding, Grab, Still};
use std::path::Path;

/// Decoding after a seek stops here: a frame this far from a keyframe is not worth the time.
const MAX_FRAMES_AFTER_SEEK: usize = 1000;

/// The pictures of `grab`, one per moment (`None` where none could be made), or why the film
/// gives none at all.
pub fn grab(path: &Path, grab: &Grab) -> Result<Vec<Option<Still>>> {
    let Some(mut sampler) = Sampler::open(path)? else {
        return Err(anyhow!("no video stream to take pictures from"));
    };
    Ok(grab
        .times
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let (at_s, frame) = sampler.frame_at(t, MAX_FRAMES_AFTER_SEEK).ok()??;
            let boxes = grab.boxes.get(i).map_or(&[][..], Vec::as_slice);
            let mut still = encode(&frame, grab.encoding, grab.max_width, boxes).ok()?;
            still.at_s = at_s;
            Some(still)
        })
        .collect())
}

/// Scales a frame to at most `max_width` pixels wide (square pixels) and encodes it.
/// `boxes` ([left, top, right, bottom] in shares of the picture) are outlined on PNG pictures.
fn encode(
    frame: &ffmpeg::frame::Video,
    encoding: Encoding,
    max_width: u32,
    boxes: &[[f64; 4]],
) -> Result<Still> {
    let (w, h) = (frame.width(), frame.height());
    if w == 0 || h == 0 {
        return Err(anyhow!("empty frame"));
    }
    let (pixel, codec_id) = match encoding {
        Encoding::Jpeg => (Pixel::YUVJ420P, ffmpeg::codec::Id::MJPEG),
        Encoding::Png => (Pixel::RGB24, ffmpeg::codec::Id::PNG),
    };
    let (out_w, out_h) = match encoding {
        Encoding::Jpeg => {
            let sar = frame.aspect_ratio();
            let sar = if sar.numerator() > 0 && sar.denominator() > 0 {
                f64::from(sar)
            } else {
                1.0
            };
            let display_w = f64::from(w) * sar;
            let out_w = even(display_w.min(f64::from(max_width)));
            (out_w, even(f64::from(out_w) * f64::from(h) / display_w))
        }
        Encoding::Png => {
            let tw = max_width.min(w).max(2);
            let th = ((u64::from(h) * u64::from(tw) / u64::from(w.max(1))) as u32).max(2);
            (tw, th)
        }
    };
    let mut scaler = Scaler::get(
        frame.format(),
        w,
        h,
        pixel,
        out_w,
        out_h,
        ScaleFlags::BILINEAR,
    )
    .map_err(|e| anyhow!("cannot convert the picture: {e}"))?;
    let mut small = ffmpeg::frame::Video::empty();
    scaler
        .run(frame, &mut small)
        .map_err(|e| anyhow!("cannot convert the picture: {e}"))?;
    small.set_pts(Some(0));
    if encoding == Encoding::Png {
        outline(&mut small, boxes);
    }

    let codec = ffmpeg::encoder::find(codec_id)
        .ok_or_else(|| anyhow!("this FFmpeg has no {encoding:?} encoder"))?;
    let mut enc = ffmpeg::codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()?;
    enc.set_width(out_w);
    enc.set_height(out_h);
    enc.set_format(pixel);
    enc.set_time_base((1, 25));
    if encoding == Encoding::Jpeg {
        // A fixed quantizer (as `ffmpeg -q:v 4`) instead of a bit rate meant for motion JPEG.
        enc.set_flags(ffmpeg::codec::Flags::QSCALE);
        enc.set_global_quality(4 * ffmpeg::ffi::FF_QP2LAMBDA);
    }
    let mut enc = enc
        .open_as(codec)
        .map_err(|e| anyhow!("{encoding:?} encoder: {e}"))?;
    enc.send_frame(&small)
        .map_err(|e| anyhow!("{encoding:?} encoding failed: {e}"))?;
    let _ = enc.send_eof();
    let mut packet = ffmpeg::Packet::empty();
    enc.receive_packet(&mut packet)
        .map_err(|e| anyhow!("{encoding:?} encoding failed: {e}"))?;
    let data = packet
        .data()
        .ok_or_else(|| anyhow!("the {encoding:?} encoder gave nothing"))?;
    Ok(Still {
        bytes: data.to_vec(),
        width: out_w,
        height: out_h,
        at_s: 0.0,
    })
}

/// Draws each box's outline, two pixels wide, in bright green on an RGB24 picture.
fn outline(rgb: &mut ffmpeg::frame::Video, boxes: &[[f64; 4]]) {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    if w < 4 || h < 4 {
        return;
    }
    let stride = rgb.stride(0);
    let data = rgb.data_mut(0);
    let mut dot = |x: usize, y: usize| {
        let i = y * stride + 3 * x;
        if let Some(px) = data.get_mut(i..i + 3) {
            px.copy_from_slice(&[0, 255, 0]);
        }
    };
    let at = |v: f64, n: usize| ((v.clamp(0.0, 1.0) * n as f64) as usize).min(n - 2);
    for b in boxes {
        let (x0, x1) = (at(b[0], w), at(b[2], w));
        let (y0, y1) = (at(b[1], h), at(b[3], h));
        for x in x0..=x1.max(x0) {
            for d in 0..2 {
                dot(x, y0 + d);
                dot(x, y1 + d);
            }
        }
        for y in y0..=y1.max(y0) {
            for d in 0..2 {
                dot(x0 + d, y);
                dot(x1 + d, y);
            }
        }
    }
}

fn even(x: f64) -> u32 {
    ((x / 2.0).round() as u32).max(1) * 2
}

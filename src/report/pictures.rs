//! Pictures for the HTML report: a poster frame and the frame where the credits start, small
//! JPEGs made with FFmpeg's own decoder, scaler and MJPEG encoder (no image crate needed).
//! This is the one part of reporting that reads media; it runs before rendering, so the
//! exporters stay pure functions of what they are given.

use crate::facts::Facts;
use crate::probe::open_input;
use anyhow::{anyhow, Context as _, Result};
use ffmpeg_next as ffmpeg;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling::{Context as Scaler, Flags as ScaleFlags};
use std::path::Path;

/// Wide enough to recognise a shot, small enough that a report of 200 entries stays emailable.
pub const WIDTH: u32 = 320;

/// Decoding after a seek stops here: a frame this far from a keyframe is not worth the time.
const MAX_FRAMES_AFTER_SEEK: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where in the film, in seconds.
    pub at_s: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pictures {
    pub poster: Option<Picture>,
    pub credits: Option<Picture>,
}

/// Grabs the pictures a file's facts call for. A picture that cannot be made is left out: the
/// report is still worth having without it.
pub fn grab(facts: &Facts) -> Pictures {
    if facts.error.is_some() || facts.video.is_empty() {
        return Pictures::default();
    }
    let path = Path::new(&facts.path);
    let duration = facts
        .container
        .as_ref()
        .and_then(|c| c.duration_s)
        .unwrap_or(0.0);
    // A quarter in is past fade-ins and opening titles, and before end credits.
    let poster = frame_at(path, duration / 4.0).ok();
    let credits = facts
        .credits
        .as_ref()
        .and_then(|c| c.start_s)
        .and_then(|start| {
            // A second in, the first card is on screen rather than fading in.
            let end = facts
                .credits
                .as_ref()
                .and_then(|c| c.end_s)
                .unwrap_or(duration);
            frame_at(path, (start + 1.0).min((start + end) / 2.0)).ok()
        });
    Pictures { poster, credits }
}

/// The first frame shown at or after `at_s`, or the last one when the film ends before.
pub fn frame_at(path: &Path, at_s: f64) -> Result<Picture> {
    let mut input = open_input(path)?;
    let stream = input
        .streams()
        .best(ffmpeg::media::Type::Video)
        .ok_or_else(|| anyhow!("no video stream"))?;
    let index = stream.index();
    let time_base = f64::from(stream.time_base());
    let start = stream.start_time();
    let ctx = ffmpeg::codec::context::Context::from_parameters(stream.parameters())?;
    let mut decoder = ctx.decoder().video().context("no decoder for the video")?;

    if at_s > 0.0 {
        let ts = (at_s * f64::from(ffmpeg::ffi::AV_TIME_BASE)) as i64;
        // Failing to seek is fine: decoding from the start still reaches the frame.
        let _ = input.seek(ts, ..ts);
    }
    let mut frame = ffmpeg::frame::Video::empty();
    let mut last: Option<(ffmpeg::frame::Video, f64)> = None;
    let mut decoded = 0;
    let shown_at = |f: &ffmpeg::frame::Video| {
        f.timestamp()
            .or(f.pts())
            .map(|t| (t - start.max(0)) as f64 * time_base)
    };
    'packets: for (s, packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        if decoder.send_packet(&packet).is_err() {
            continue;
        }
        while decoder.receive_frame(&mut frame).is_ok() {
            decoded += 1;
            let t = shown_at(&frame).unwrap_or(at_s);
            let done = t + 1e-3 >= at_s || decoded >= MAX_FRAMES_AFTER_SEEK;
            last = Some((frame.clone(), t));
            if done {
                break 'packets;
            }
        }
    }
    if last.as_ref().is_none_or(|(_, t)| *t + 1e-3 < at_s) {
        let _ = decoder.send_eof();
        while decoder.receive_frame(&mut frame).is_ok() {
            let t = shown_at(&frame).unwrap_or(at_s);
            let reached = t + 1e-3 >= at_s;
            last = Some((frame.clone(), t));
            if reached {
                break;
            }
        }
    }
    let (frame, t) = last.ok_or_else(|| anyhow!("no frame could be decoded"))?;
    let mut picture = jpeg(&frame)?;
    picture.at_s = t;
    Ok(picture)
}

/// Scales a frame to at most `WIDTH` pixels wide (square pixels) and encodes it as JPEG.
fn jpeg(frame: &ffmpeg::frame::Video) -> Result<Picture> {
    let (w, h) = (frame.width(), frame.height());
    if w == 0 || h == 0 {
        return Err(anyhow!("empty frame"));
    }
    let sar = frame.aspect_ratio();
    let sar = if sar.numerator() > 0 && sar.denominator() > 0 {
        f64::from(sar)
    } else {
        1.0
    };
    let display_w = f64::from(w) * sar;
    let out_w = even(display_w.min(f64::from(WIDTH)));
    let out_h = even(f64::from(out_w) * f64::from(h) / display_w);

    let mut scaler = Scaler::get(
        frame.format(),
        w,
        h,
        Pixel::YUVJ420P,
        out_w,
        out_h,
        ScaleFlags::BILINEAR,
    )?;
    let mut small = ffmpeg::frame::Video::empty();
    scaler.run(frame, &mut small)?;
    small.set_pts(Some(0));

    let codec = ffmpeg::encoder::find(ffmpeg::codec::Id::MJPEG)
        .ok_or_else(|| anyhow!("FFmpeg has no JPEG encoder"))?;
    let mut enc = ffmpeg::codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()?;
    enc.set_width(out_w);
    enc.set_height(out_h);
    enc.set_format(Pixel::YUVJ420P);
    enc.set_time_base((1, 25));
    // A fixed quantizer (as `ffmpeg -q:v 4`) instead of a bit rate meant for motion JPEG video.
    enc.set_flags(ffmpeg::codec::Flags::QSCALE);
    enc.set_global_quality(4 * ffmpeg::ffi::FF_QP2LAMBDA);
    let mut enc = enc.open_as(codec)?;
    enc.send_frame(&small)?;
    enc.send_eof()?;
    let mut packet = ffmpeg::Packet::empty();
    enc.receive_packet(&mut packet)?;
    let data = packet
        .data()
        .ok_or_else(|| anyhow!("the JPEG encoder gave nothing"))?;
    Ok(Picture {
        jpeg: data.to_vec(),
        width: out_w,
        height: out_h,
        at_s: 0.0,
    })
}

fn even(x: f64) -> u32 {
    ((x / 2.0).round() as u32).max(1) * 2
}

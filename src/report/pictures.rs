//! Pictures for the HTML report: a poster frame and the frame where the credits start, small
//! JPEGs made with FFmpeg's own decoder, scaler and MJPEG encoder (no image crate needed).
//! This is the one part of reporting that reads media; it runs before rendering (in worker
//! processes, like probing), so the exporters stay pure functions of what they are given.

use crate::facts::Facts;
use crate::probe::open_input;
use anyhow::{anyhow, Context as _, Result};
use base64::Engine as _;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::format::Pixel;
use ffmpeg_next::software::scaling::{Context as Scaler, Flags as ScaleFlags};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::path::Path;

/// Wide enough to recognise a shot, small enough that a report of 200 entries stays emailable.
pub const WIDTH: u32 = 320;

/// Decoding after a seek stops here: a frame this far from a keyframe is not worth the time.
const MAX_FRAMES_AFTER_SEEK: usize = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    /// Base64 in JSON, as it ends up in the report's `data:` URIs.
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where in the film, in seconds.
    pub at_s: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pictures {
    pub poster: Option<Picture>,
    pub credits: Option<Picture>,
}

/// Where in a film its pictures are taken, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub poster_s: f64,
    pub credits_s: Option<f64>,
}

/// Where the pictures a file's facts call for are; `None` when it has no picture to show.
pub fn moments(facts: &Facts) -> Option<Moments> {
    if facts.error.is_some() || facts.video.is_empty() {
        return None;
    }
    let duration = facts
        .container
        .as_ref()
        .and_then(|c| c.duration_s)
        .unwrap_or(0.0);
    let credits = facts.credits.as_ref();
    Some(Moments {
        // A quarter in is past fade-ins and opening titles, and before end credits.
        poster_s: duration / 4.0,
        credits_s: credits.and_then(|c| c.start_s).map(|start| {
            // A second in, the first card is on screen rather than fading in.
            let end = credits.and_then(|c| c.end_s).unwrap_or(duration);
            (start + 1.0).min((start + end) / 2.0)
        }),
    })
}

/// Grabs the pictures at `at`. A picture that cannot be made is left out: the report is still
/// worth having without it.
pub fn take(path: &Path, at: &Moments) -> Pictures {
    Pictures {
        poster: frame_at(path, at.poster_s).ok(),
        credits: at.credits_s.and_then(|t| frame_at(path, t).ok()),
    }
}

fn to_base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(serde::de::Error::custom)
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

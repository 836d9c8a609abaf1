//! Cheap access to a film's pictures: single keyframes by seeking, or a short sequential run,
//! each reduced to a small grey image. Nothing here decodes more than it is asked for. One
//! sampler serves every video analyzer of a file (credits, black), so the file is opened and
//! its decoder set up once.

use crate::probe::ffmpeg::open_input;
use anyhow::{anyhow, Context as _, Result};
use ffmpeg::codec::{self, discard::Discard, threading};
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;
use std::path::Path;

/// Longest side of the reduced picture: enough to keep credits text a few pixels tall.
const REDUCED: u32 = 384;
/// How many packets to read after a seek before giving up on finding a keyframe: bounds the
/// work on files whose index is missing or whose tail is damaged.
const MAX_PACKETS_AFTER_SEEK: usize = 4000;

/// A reduced 8-bit luma picture, rows packed without padding.
#[derive(Debug, Clone)]
pub struct Luma {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Luma {
    pub fn row(&self, y: usize) -> &[u8] {
        &self.px[y * self.w..(y + 1) * self.w]
    }
}

#[derive(Debug, Clone)]
pub struct Picture {
    /// Seconds from the start of the film.
    pub t: f64,
    pub luma: Luma,
}

/// What decoded pictures are for.
#[derive(Clone, Copy)]
enum Quality {
    Analysis,
    Full,
}

pub struct Sampler {
    input: ffmpeg::format::context::Input,
    stream: usize,
    time_base: f64,
    start: i64,
    decoder: ffmpeg::decoder::Video,
    scaler: Option<(Pixel, u32, u32, scaling::Context)>,
    last_key: Option<(i64, Picture)>,
    /// Frames decoded so far, for cost accounting.
    pub decoded: u64,
}

impl Sampler {
    /// Opens the best video stream; `None` when the file has no video at all.
    pub fn open(path: &Path) -> Result<Option<Sampler>> {
        Sampler::new(open_input(path)?, 1)
    }

    /// Takes pictures from a file already open (every pass seeks first, so where an earlier
    /// pass left it does not matter).
    /// `threads`: how many the decoder may use (1 when films are analysed side by side).
    pub fn new(input: ffmpeg::format::context::Input, threads: usize) -> Result<Option<Sampler>> {
        let Some(stream) = input.streams().best(ffmpeg::media::Type::Video) else {
            return Ok(None);
        };
        let index = stream.index();
        let tb = stream.time_base();
        let time_base = f64::from(tb.numerator()) / f64::from(tb.denominator().max(1));
        let start = match stream.start_time() {
            ts if ts == ffmpeg::ffi::AV_NOPTS_VALUE => 0,
            ts => ts,
        };
        let mut ctx = codec::context::Context::from_parameters(stream.parameters())
            .context("cannot read the video stream's parameters")?;
        // One thread when files are analysed side by side, which keeps every core busy already.
        // A film analysed alone gets the idle cores: frame threads for the stretches decoded
        // in sequence (a single keyframe gains nothing from them, and loses little).
        // Built from `Config::kind` rather than a struct literal: FFmpeg 6 and later have no
        // `safe` flag (thread-safe callbacks), and reelcheck sets no callbacks of its own.
        let mut config = threading::Config::kind(if threads > 1 {
            threading::Type::Frame
        } else {
            threading::Type::Slice
        });
        config.count = threads.max(1);
        ctx.set_threading(config);
        // Twice the reduced size keeps thin strokes of credits text from vanishing.
        crate::probe::reduced_decode::apply(&mut ctx, 2 * REDUCED);
        let decoder = ctx
            .decoder()
            .video()
            .map_err(|e| anyhow!("no decoder for the video stream: {e}"))?;
        Ok(Some(Sampler {
            input,
            stream: index,
            time_base,
            start,
            decoder,
            scaler: None,
            last_key: None,
            decoded: 0,
        }))
    }

    /// The index of the video stream the pictures come from.
    pub fn stream_index(&self) -> usize {
        self.stream
    }

    fn seconds(&self, ts: i64) -> f64 {
        (ts - self.start) as f64 * self.time_base
    }

    /// Seeks to the keyframe at or before `t`. A failed seek (damaged index, unseekable
    /// stream) is not an error for sampling: that sample is simply missing.
    fn seek(&mut self, t: f64) -> bool {
        let us = ((t.max(0.0)) * 1_000_000.0) as i64;
        let start_us = (self.start as f64 * self.time_base * 1_000_000.0) as i64;
        let target = us + start_us;
        let ok = self.input.seek(target, ..target).is_ok();
        self.decoder.flush();
        ok
    }

    /// The keyframe at or just before `t`, decoded alone.
    pub fn keyframe_at(&mut self, t: f64) -> Result<Option<Picture>> {
        if !self.seek(t) {
            return Ok(None);
        }
        self.decoder.skip_frame(Discard::NonKey);
        self.decoder.skip_loop_filter(Discard::All);
        let mut packet = ffmpeg::Packet::empty();
        for _ in 0..MAX_PACKETS_AFTER_SEEK {
            match crate::probe::ffmpeg::read_packet(&mut packet, &mut self.input) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(None),
                Err(ffmpeg::Error::InvalidData) => continue,
                Err(e) => return Err(anyhow!("reading failed: {e}")),
            }
            if packet.stream() != self.stream || !packet.is_key() {
                continue;
            }
            let pts = packet.pts().or(packet.dts()).unwrap_or(i64::MIN);
            if let Some((key, pic)) = &self.last_key {
                if *key == pts {
                    return Ok(Some(pic.clone()));
                }
            }
            if self.decoder.send_packet(&packet).is_err() {
                continue;
            }
            // Draining makes decoders with a reorder delay hand the frame over at once.
            let _ = self.decoder.send_eof();
            let mut decoded = frame::Video::empty();
            let got = self.decoder.receive_frame(&mut decoded).is_ok();
            self.decoder.flush();
            if !got {
                continue;
            }
            self.decoded += 1;
            let ts = decoded.timestamp().unwrap_or(pts);
            let pic = Picture {
                t: self.seconds(ts),
                luma: self.reduce(&decoded)?,
            };
            self.last_key = Some((pts, pic.clone()));
            return Ok(Some(pic));
        }
        Ok(None)
    }

    /// Decodes sequentially from the keyframe before `from` up to `to`, handing over one
    /// picture every `every` seconds inside `[from, to]` until `each` returns false.
    pub fn scan(
        &mut self,
        from: f64,
        to: f64,
        every: f64,
        mut each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        let mut next = from;
        self.run(from, to, Quality::Analysis, |s, f, t| {
            if t + 1e-6 >= next {
                next = t + every;
                return Ok(each(Picture {
                    t,
                    luma: s.reduce(f)?,
                }));
            }
            Ok(true)
        })
    }

    /// The full-size picture shown at `t`, for people to look at: decoded with every filter
    /// on. When the film ends before `t`, or `t` lies more than `max_frames` frames past a
    /// keyframe, the last picture decoded stands in.
    pub fn frame_at(&mut self, t: f64, max_frames: usize) -> Result<Option<(f64, frame::Video)>> {
        let mut last = None;
        let mut seen = 0;
        self.run(t, f64::INFINITY, Quality::Full, |_, f, ft| {
            seen += 1;
            let reached = ft + 1e-3 >= t;
            last = Some((ft, f.clone()));
            Ok(!reached && seen < max_frames)
        })?;
        Ok(last)
    }

    /// Decodes in sequence from the keyframe before `from`, calling `each` with every frame
    /// up to `to` until it returns false.
    fn run(
        &mut self,
        from: f64,
        to: f64,
        quality: Quality,
        mut each: impl FnMut(&mut Self, &frame::Video, f64) -> Result<bool>,
    ) -> Result<()> {
        if !self.seek(from) {
            return Ok(());
        }
        self.decoder.skip_frame(Discard::Default);
        self.decoder.skip_loop_filter(match quality {
            // The analyzers look at small grey pictures, where deblocking changes nothing.
            Quality::Analysis => Discard::All,
            Quality::Full => Discard::Default,
        });
        let mut packet = ffmpeg::Packet::empty();
        let mut decoded = frame::Video::empty();
        let mut ended = false;
        while !ended {
            match crate::probe::ffmpeg::read_packet(&mut packet, &mut self.input) {
                Ok(()) => {
                    if packet.stream() != self.stream {
                        continue;
                    }
                    // Between the keyframe and `from`, pictures that no other picture refers to
                    // are never looked at: not decoding them makes the lead-in cheaper.
                    let lead_in = packet
                        .pts()
                        .is_some_and(|pts| self.seconds(pts) + 1e-3 < from);
                    self.decoder.skip_frame(if lead_in {
                        Discard::NonReference
                    } else {
                        Discard::Default
                    });
                    if self.decoder.send_packet(&packet).is_err() {
                        continue;
                    }
                }
                Err(ffmpeg::Error::InvalidData) => continue,
                Err(_) => {
                    self.decoder.skip_frame(Discard::Default);
                    let _ = self.decoder.send_eof();
                    ended = true;
                }
            }
            while self.decoder.receive_frame(&mut decoded).is_ok() {
                self.decoded += 1;
                let Some(ts) = decoded.timestamp() else {
                    continue;
                };
                let t = self.seconds(ts);
                if t > to || !each(self, &decoded, t)? {
                    ended = true;
                    break;
                }
            }
        }
        self.decoder.flush();
        Ok(())
    }

    fn reduce(&mut self, f: &frame::Video) -> Result<Luma> {
        let (w, h, fmt) = (f.width(), f.height(), f.format());
        if w == 0 || h == 0 {
            return Err(anyhow!("decoder returned an empty picture"));
        }
        let scale = (f64::from(REDUCED) / f64::from(w.max(h))).min(1.0);
        let dw = ((f64::from(w) * scale).round() as u32).max(8);
        let dh = ((f64::from(h) * scale).round() as u32).max(8);
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
        let (ow, oh) = (out.width() as usize, out.height() as usize);
        let stride = out.stride(0);
        let data = out.data(0);
        let mut px = Vec::with_capacity(ow * oh);
        for y in 0..oh {
            let row = data
                .get(y * stride..y * stride + ow)
                .ok_or_else(|| anyhow!("scaled picture shorter than expected"))?;
            px.extend_from_slice(row);
        }
        Ok(Luma { w: ow, h: oh, px })
    }
}

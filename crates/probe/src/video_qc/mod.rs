//! The video analyzer (`--with video`): every frame of the main picture stream decoded once,
//! with the decoder's own threads, and every screening measurement served from that pass:
//! decode integrity, the scan the picture shows, flashing, freezes and black inside the film,
//! the active picture area, and the leader at the head (bars, slate, countdown). Each
//! measurement works on the reduced pictures of
//! [`picture`], made once per frame.
//!
//! A file that stops decoding part way keeps what was measured up to there, with the rest
//! listed as damaged: the pass never fails for bad data, only when no decoder can be opened.

pub mod active_area;
pub mod flash;
pub mod head;
pub mod integrity;
pub mod interlacing;
pub mod picture;
pub mod scan;
pub mod spans;

use crate::ffmpeg::{discard_streams_except, read_packet};
use crate::sampler::{Film, FilmRecorder};
use anyhow::{anyhow, Context as _, Result};
use ffmpeg::codec;
use ffmpeg::format::context::Input;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;
use reelcheck_facts::{Segment, VideoStream};
use std::time::Instant;

/// Reads in a row that the demuxer calls invalid before the rest of the file is given up.
const MAX_INVALID_READS: u32 = 1000;

/// What the file states about the picture before any frame is decoded.
pub struct Stated {
    /// The container's length (the header's, else the measured runtime), for a picture
    /// stream that states none of its own.
    pub container_s: Option<f64>,
    /// The header's length when the file is cut short of it: the picture must reach it to
    /// decode to its end, whatever the stream's packets now say.
    pub cut_short_s: Option<f64>,
    /// The file's size: a packet said to reach past it holds bytes the file does not have.
    pub size_bytes: Option<u64>,
}

/// What the decode left besides the facts.
#[derive(Default)]
pub struct Decoded {
    /// The time reached when the decode stopped at its deadline.
    pub stopped: Option<f64>,
    /// Every picture of the film, reduced for the sampler, when asked for, whole and clean.
    pub film: Option<Film>,
}

/// Decodes the best video stream of `input` from its start and fills the video facts of the
/// matching entry of `video`. `input` is left at its end with every stream but that one
/// discarded; the caller restores both. Past `deadline` the decode stops, the facts describe
/// the part decoded, and the time reached is returned. With `keep_film`, the pictures of a
/// short film are kept for the other video analyzers (`sampler::Film`).
pub fn analyze(
    input: &mut Input,
    video: &mut [VideoStream],
    stated: &Stated,
    deadline: Option<Instant>,
    keep_film: bool,
) -> Result<Decoded> {
    let Some(stream) = input.streams().best(ffmpeg::media::Type::Video) else {
        return Ok(Decoded::default());
    };
    let index = stream.index();
    let Some(v) = video.iter_mut().find(|v| v.index == index) else {
        return Ok(Decoded::default());
    };
    let tb = f64::from(stream.time_base());
    let start = match stream.start_time() {
        ts if ts == ffmpeg::ffi::AV_NOPTS_VALUE => 0,
        ts => ts,
    };
    let seconds = |ts: i64| (ts - start) as f64 * tb;
    let mut ctx = codec::context::Context::from_parameters(stream.parameters())
        .context("cannot read the video stream's parameters")?;
    // Every frame is decoded, so the decoder's own threads pay off here (count 0: as many as
    // the machine has), unlike the sampler's single-frame decodes. Frame and slice threads
    // both, as FFmpeg's own default: intra codecs such as ProRes thread by slices only.
    crate::ffi::codec::set_threads(
        &mut ctx,
        ffmpeg::ffi::FF_THREAD_FRAME | ffmpeg::ffi::FF_THREAD_SLICE,
        0,
    );
    // Where the sampler decodes smaller than this (JPEG 2000), its pictures would differ.
    let keep_film = keep_film && crate::sampler::decodes_full_size(&ctx);
    let mut decoder = ctx
        .decoder()
        .video()
        .map_err(|e| anyhow!("no decoder for the video stream: {e}"))?;
    discard_streams_except(input, |i| i == index);
    if !crate::ffmpeg::rewind(input) {
        return Err(anyhow!("cannot go back to the start of the picture"));
    }

    let fps = v.fps;
    let slowest = if v.frame_rate_mode.as_deref() == Some("variable") {
        v.fps_min
    } else {
        fps
    };
    let mut pass = Pass {
        integrity: integrity::Integrity::new(fps, slowest),
        reducer: picture::Reducer::default(),
        scan: scan::Scan::default(),
        flash: flash::Flash::new(v.height > 576),
        spans: spans::Spans::default(),
        area: active_area::Area::default(),
        head: head::Head::default(),
        coding: interlacing::Coding::default(),
        step: fps.filter(|f| *f > 0.0).map_or(0.04, |f| 1.0 / f),
        last_t: None,
        unreadable: 0,
    };
    // The header's count of pictures, or its length times its rate: a film that would not
    // fit is not kept, and one whose count was short gives up when it fills the room.
    let frames = v
        .frames
        .map(|n| n as f64)
        .or_else(|| Some(v.duration_s.or(stated.container_s)? * fps?));
    let mut film = keep_film
        .then(|| FilmRecorder::new(index, v.width, v.height, frames))
        .flatten();
    let mut packet = ffmpeg::Packet::empty();
    let mut decoded = frame::Video::empty();
    let mut invalid = 0;
    let mut stopped = None;
    loop {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            stopped = Some(pass.last_t.unwrap_or(0.0));
            break;
        }
        let mut ended = false;
        match read_packet(&mut packet, input) {
            Ok(()) => {
                invalid = 0;
                if packet.stream() != index {
                    continue;
                }
                let t = packet.pts().or(packet.dts()).map(seconds);
                if let (Some(film), true) = (film.as_mut(), packet.is_key()) {
                    // A seek lands on the packets the file marks as keyframes.
                    film.key_packet(packet.pts().map(seconds));
                }
                // A demuxer that reads whole frames (raw DV) can hand over a frame's length
                // of bytes from a file that ends inside the frame: the rest was never there.
                let past_end = stated.size_bytes.is_some_and(|size| {
                    packet.position() >= 0 && packet.position() as u64 + packet.size() as u64 > size
                });
                if packet.is_corrupt() || past_end {
                    pass.integrity.error(t);
                }
                if decoder.send_packet(&packet).is_err() {
                    pass.integrity.error(t);
                }
            }
            Err(ffmpeg::Error::InvalidData) if invalid < MAX_INVALID_READS => {
                invalid += 1;
                pass.integrity.error(None);
                continue;
            }
            Err(_) => {
                // The end, or data that cannot be read: what follows is not decodable, and
                // the integrity account says so against the stated length.
                let _ = decoder.send_eof();
                ended = true;
            }
        }
        loop {
            match decoder.receive_frame(&mut decoded) {
                Ok(()) => {
                    let t = pass.frame(&decoded, seconds)?;
                    if let Some(film) = film.as_mut() {
                        film.push(&decoded, t);
                    }
                }
                Err(ffmpeg::Error::Eof) => break,
                Err(ffmpeg::Error::Other { errno }) if errno == ffmpeg::util::error::EAGAIN => {
                    break
                }
                Err(_) => {
                    pass.integrity.error(pass.last_t);
                    break;
                }
            }
        }
        if ended {
            break;
        }
    }
    // A decode stopped for time says nothing about the part not reached.
    let length_s = match stopped {
        Some(_) => None,
        None => stated.cut_short_s.or(v.duration_s).or(stated.container_s),
    };
    let unreadable = pass.unreadable;
    pass.finish(v, length_s);
    // A damaged stretch decodes otherwise after a seek: the other analyzers decode their own.
    let clean = stopped.is_none()
        && unreadable == 0
        && v.decode_errors == Some(0)
        && v.decoded_to_end == Some(Some(true))
        && v.damaged.as_ref().is_some_and(Vec::is_empty);
    Ok(Decoded {
        stopped,
        film: film.and_then(|f| f.finish(clean)),
    })
}

struct Pass {
    integrity: integrity::Integrity,
    reducer: picture::Reducer,
    scan: scan::Scan,
    flash: flash::Flash,
    spans: spans::Spans,
    area: active_area::Area,
    head: head::Head,
    coding: interlacing::Coding,
    step: f64,
    last_t: Option<f64>,
    /// Frames the scaler could not take.
    unreadable: u64,
}

impl Pass {
    /// Measures one frame; the time it is shown at.
    fn frame(&mut self, f: &frame::Video, seconds: impl Fn(i64) -> f64) -> Result<f64> {
        let t = match f.timestamp() {
            Some(ts) => seconds(ts),
            None => self.last_t.map_or(0.0, |l| l + self.step),
        };
        let (error_flags, flags) = crate::ffi::codec::frame_damage(f);
        let damaged = error_flags != 0 || flags & ffmpeg::ffi::AV_FRAME_FLAG_CORRUPT != 0;
        self.integrity.frame(t, damaged);
        self.coding.push(crate::ffi::codec::frame_interlacing(f));
        let n = self.integrity.frames - 1;
        self.last_t = Some(self.last_t.map_or(t, |l| l.max(t)));
        let Ok(small) = self.reducer.small(f) else {
            self.unreadable += 1;
            self.integrity.error(Some(t));
            return Ok(t);
        };
        self.flash.push(t, &small);
        self.spans.push(t, &small.y);
        if self.head.wants(t) {
            self.head.push(t, &small);
        }
        if scan::Scan::wants(n) {
            if let Ok(tall) = self.reducer.tall(f) {
                if scan::Scan::judges(n) {
                    self.area.push(&tall);
                }
                self.scan.push(n, tall.y);
            }
        }
        Ok(t)
    }

    fn finish(self, v: &mut VideoStream, length_s: Option<f64>) {
        let decode_errors = self.integrity.errors;
        let frames = self.integrity.frames;
        let missing = self.integrity.missing;
        let found = self.integrity.finish(length_s);
        let (scan, shares) = self.scan.finish();
        let (frozen, black) = self.spans.finish();
        let flashes = self.flash.finish();
        let sar = v
            .sar
            .as_deref()
            .and_then(|s| s.split_once(':'))
            .and_then(|(n, d)| Some(n.parse::<f64>().ok()? / d.parse::<f64>().ok()?))
            .filter(|r| r.is_finite() && *r > 0.0)
            .unwrap_or(1.0);
        v.frames_decoded = Some(frames);
        v.decode_errors = Some(decode_errors);
        v.missing_frames = Some(missing);
        v.dropped_frames = Some(missing);
        v.dropped_share = Some(if frames + missing > 0 {
            round4(missing as f64 / (frames + missing) as f64)
        } else {
            0.0
        });
        v.decoded_to_end = Some(found.decoded_to_end);
        let stated_end = length_s.map(integrity::round_ms);
        v.damaged_at = Some(listing(&found.damaged, |s| {
            if found.stopped_early && Some(s.end_s) == stated_end {
                format!("{}–end", clock(s.start_s))
            } else {
                format!("{}–{}", clock(s.start_s), clock(s.end_s))
            }
        }));
        v.damaged = Some(found.damaged);
        let judged = self.coding.judge(&v.codec, v.interlaced, scan);
        v.interlaced = judged.interlaced;
        v.interlaced_note = judged.note;
        v.scan_detected = Some(scan.map(str::to_string));
        v.scan_shares = Some(shares);
        v.frozen_at = Some(listing(&frozen, span_text));
        v.frozen = Some(frozen);
        v.black_at = Some(listing(&black, span_text));
        v.black_spans = Some(black);
        v.flashing_at = Some((!flashes.is_empty()).then(|| {
            flashes
                .iter()
                .map(|f| {
                    format!(
                        "{}–{} ({} {} flashes a second)",
                        clock(f.start_s),
                        clock(f.end_s),
                        f.flashes_per_s,
                        f.kind
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }));
        v.flash_violations = Some(flashes);
        v.active_area = Some(self.area.finish(v.width, v.height, sar));
        let parts = self.head.finish();
        v.head_content = Some(if parts.is_empty() {
            "none".to_string()
        } else {
            parts
                .iter()
                .map(|p| p.kind.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        v.head_content_end_s = Some(parts.last().map_or(0.0, |p| p.end_s));
        v.head_content_at = Some((!parts.is_empty()).then(|| {
            parts
                .iter()
                .map(|p| format!("{} {}–{}", p.kind, clock(p.start_s), clock(p.end_s)))
                .collect::<Vec<_>>()
                .join(", ")
        }));
        v.head_parts = Some(parts);
    }
}

fn span_text(s: &Segment) -> String {
    format!("{}–{}", clock(s.start_s), clock(s.end_s))
}

/// The spans as one line of text; `None` when there is none.
fn listing(spans: &[Segment], each: impl Fn(&Segment) -> String) -> Option<String> {
    (!spans.is_empty()).then(|| spans.iter().map(each).collect::<Vec<_>>().join(", "))
}

/// Seconds as `m:ss.ss`.
pub fn clock(s: f64) -> String {
    let s = s.max(0.0);
    let m = (s / 60.0).floor();
    format!("{}:{:05.2}", m as u64, s - m * 60.0)
}

/// A share to four decimals (a hundredth of a percent).
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn times_read_as_clock_times() {
        assert_eq!(clock(0.0), "0:00.00");
        assert_eq!(clock(12.4), "0:12.40");
        assert_eq!(clock(62.04), "1:02.04");
    }
}

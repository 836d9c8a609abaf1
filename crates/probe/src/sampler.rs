//! Cheap access to a film's pictures: single keyframes by seeking, or a short sequential run,
//! each reduced to a small grey image. Nothing here decodes more than it is asked for. One
//! sampler serves every video analyzer of a file (credits, black), so the file is opened and
//! its decoder set up once.

mod film;
mod luma;
mod memo;

pub use film::{Film, Recorder as FilmRecorder};
use luma::{reduced_size, REDUCED};

use crate::source::open_input;
use anyhow::{anyhow, Context as _, Result};
use ffmpeg::codec::{self, discard::Discard, threading};
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;
use std::path::Path;

/// How many packets to read after a seek before giving up on finding a keyframe: bounds the
/// work on files whose index is missing or whose tail is damaged.
const MAX_PACKETS_AFTER_SEEK: usize = 4000;

/// The longest side the sampler's decoder keeps where it can decode smaller (`lowres`):
/// twice the reduced size keeps thin strokes of credits text from vanishing.
const DECODED: u32 = 2 * REDUCED;

/// Whether the sampler decodes the pictures of a stream whose decoder context is `ctx` at
/// their full size, as a decode of every frame for the other analyzers does: then the
/// pictures that decode kept (`Film`) are the ones the sampler would reduce.
pub fn decodes_full_size(ctx: &codec::context::Context) -> bool {
    crate::reduced_decode::full_size(ctx, DECODED)
}

/// A reduced 8-bit luma picture: one plane.
pub type Luma = crate::plane::Plane;

#[derive(Debug, Clone)]
pub struct Picture {
    /// Seconds from the start of the film.
    pub t: f64,
    pub luma: Luma,
}

/// Which pictures a scan hands over.
#[derive(Clone, Copy)]
enum Pick<'a> {
    /// One every so many seconds.
    Every(f64),
    /// The first at or after each of these times.
    At(&'a [f64]),
}

pub struct Sampler {
    input: ffmpeg::format::context::Input,
    stream: usize,
    time_base: f64,
    start: i64,
    decoder: ffmpeg::decoder::Video,
    reducer: luma::Reducer,
    last_key: Option<(i64, Picture)>,
    /// Whether a picture is dark enough to be the end's padding: set when runs that go to the
    /// end of the film keep what the black tail needs.
    keep_end: Option<fn(&Luma) -> bool>,
    /// The last run that went to the end of the film.
    memo: Option<memo::Memo>,
    /// Every keyframe starts decoding afresh: a run begun at a later keyframe hands over the
    /// same pictures as one that passed through it.
    keyframes_reset: bool,
    /// Frames decoded so far, for cost accounting.
    pub decoded: u64,
    /// Set by the fingerprint: every keyframe decoded alone and every picture a scan hands
    /// over is hashed, and kept here by time.
    hasher: Option<fn(&Luma) -> Option<u64>>,
    hashed: Vec<(f64, Option<u64>)>,
    /// Every picture of the stretches scans decoded on purpose for a later scan of them
    /// (`scan_at_keeping`), which then reads them instead of decoding the stretch again;
    /// oldest first, `MAX_KEPT` pictures in all at most.
    kept: Vec<Kept>,
    /// The whole film as another pass decoded it (`adopt`): every picture is read from it.
    film: Option<Film>,
}

/// The reduced picture of every frame from `from` to `to`, in order.
struct Kept {
    from: f64,
    to: f64,
    pictures: Vec<Picture>,
}

/// Pictures kept at most, in all stretches (about 80 kB each): ten seconds at 24 frames a
/// second.
const MAX_KEPT: usize = 240;

/// How a sequential run ended.
struct RunEnd {
    /// Timestamp of the first packet decoded after the seek: the keyframe it began from.
    key: Option<i64>,
    /// Every frame up to the end of the film was handed over.
    reached_end: bool,
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
        crate::reduced_decode::apply(&mut ctx, DECODED);
        let keyframes_reset = keyframes_reset(&stream.parameters());
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
            reducer: luma::Reducer::default(),
            last_key: None,
            keep_end: None,
            memo: None,
            keyframes_reset,
            decoded: 0,
            hasher: None,
            hashed: Vec::new(),
            kept: Vec::new(),
            film: None,
        }))
    }

    /// The size of the reduced pictures the analyzers will be handed, as the stream's
    /// parameters state it (`None` when they state none).
    pub fn reduced_size(&self) -> Option<(usize, usize)> {
        let (w, h) = (self.decoder.width(), self.decoder.height());
        (w > 0 && h > 0).then(|| {
            let (dw, dh) = reduced_size(w, h);
            (dw as usize, dh as usize)
        })
    }

    /// The index of the video stream the pictures come from.
    pub fn stream_index(&self) -> usize {
        self.stream
    }

    /// Reads every picture from `film` from now on, instead of decoding: the pictures the
    /// video analyzer's decode of the whole film kept. A film of another stream is ignored.
    pub fn adopt(&mut self, film: Film) {
        if film.stream() == self.stream {
            self.film = Some(film);
        }
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
        if let Some(pic) = self.film.as_ref().and_then(|f| f.keyframe_at(t)).cloned() {
            if let Some(hash) = self.hasher {
                self.hashed.push((pic.t, hash(&pic.luma)));
            }
            return Ok(Some(pic));
        }
        if !self.seek(t) {
            return Ok(None);
        }
        self.decoder.skip_frame(Discard::NonKey);
        let mut packet = ffmpeg::Packet::empty();
        for _ in 0..MAX_PACKETS_AFTER_SEEK {
            match crate::ffmpeg::read_packet(&mut packet, &mut self.input) {
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
            if let Some(hash) = self.hasher {
                self.hashed.push((pic.t, hash(&pic.luma)));
            }
            self.last_key = Some((pts, pic.clone()));
            return Ok(Some(pic));
        }
        Ok(None)
    }

    /// Hashes every keyframe decoded alone and every picture a scan hands over from now on with
    /// `hash` (the fingerprint's), so that the pictures one analyzer decodes serve the
    /// fingerprint too.
    pub fn hash_keyframes(&mut self, hash: fn(&Luma) -> Option<u64>) {
        self.hasher = Some(hash);
    }

    /// The pictures hashed so far, in the order they were decoded: their time, and their hash
    /// where the picture has one.
    pub fn hashed(&self) -> &[(f64, Option<u64>)] {
        &self.hashed
    }

    /// Asks runs that go to the end of the film to keep what the black-padding tail needs:
    /// every frame's time, and the reduced picture of every frame after the last one `dark`
    /// says is picture, as far as the pictures the run reduces anyway tell.
    pub fn keep_end(&mut self, dark: fn(&Luma) -> bool) {
        self.keep_end = Some(dark);
    }

    /// Decodes sequentially from the keyframe before `from` up to `to`, handing over one
    /// picture every `every` seconds inside `[from, to]` until `each` returns false.
    pub fn scan(
        &mut self,
        from: f64,
        to: f64,
        every: f64,
        each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        self.scan_picking(from, to, Pick::Every(every), each)
    }

    /// As `scan`, handing over the first picture at or after each of `times` (sorted).
    pub fn scan_at(
        &mut self,
        from: f64,
        to: f64,
        times: &[f64],
        each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        self.scan_picking(from, to, Pick::At(times), each)
    }

    /// As `scan_at`, then decodes on to `keep_to` and keeps the reduced picture of every
    /// frame from the last of `times` to there: a scan of that stretch that follows (the
    /// refinement of a boundary found there) reads them instead of decoding from the
    /// keyframe again. Kept only when the stretch holds at most `MAX_KEPT` frames.
    pub fn scan_at_keeping(
        &mut self,
        from: f64,
        to: f64,
        times: &[f64],
        keep_to: f64,
        each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        let keep_from = times.last().copied().unwrap_or(to);
        self.scan_picking_keeping(from, to, Pick::At(times), Some((keep_from, keep_to)), each)
    }

    /// The times of the pictures from `from` to `to`, read from the packets alone (nothing
    /// is decoded), sorted; empty when the file cannot be sought there.
    pub fn picture_times(&mut self, from: f64, to: f64) -> Vec<f64> {
        let mut times = Vec::new();
        if !self.seek(from) {
            return times;
        }
        let mut packet = ffmpeg::Packet::empty();
        // Packets come in decoding order: a picture shown before `to` may follow one shown
        // after it, by a few pictures' reordering at most.
        let mut past = 0;
        for _ in 0..MAX_PACKETS_AFTER_SEEK * 4 {
            match crate::ffmpeg::read_packet(&mut packet, &mut self.input) {
                Ok(()) => {}
                Err(ffmpeg::Error::InvalidData) => continue,
                Err(_) => break,
            }
            if packet.stream() != self.stream {
                continue;
            }
            let Some(pts) = packet.pts() else { continue };
            let t = self.seconds(pts);
            if t > to {
                past += 1;
                if past > 16 {
                    break;
                }
                continue;
            }
            times.push(t);
        }
        self.decoder.flush();
        times.sort_by(f64::total_cmp);
        times.dedup();
        times
    }

    fn scan_picking(
        &mut self,
        from: f64,
        to: f64,
        pick: Pick,
        each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        self.scan_picking_keeping(from, to, pick, None, each)
    }

    /// Hands over from the whole film, or from the kept stretch when it holds every frame
    /// from `from` to `to`, the pictures a decoding scan would hand over: the same frames,
    /// picked the same way. Says whether it did.
    fn hand_over_kept(
        &mut self,
        from: f64,
        to: f64,
        pick: Pick,
        each: &mut impl FnMut(Picture) -> bool,
    ) -> bool {
        let pictures = match &self.film {
            Some(film) => film.pictures(),
            None => match self
                .kept
                .iter()
                .find(|k| k.from <= from + 1e-6 && k.to + 1e-6 >= to)
            {
                Some(kept) => &kept.pictures[..],
                None => return false,
            },
        };
        let mut next = match pick {
            Pick::Every(_) => from,
            Pick::At(times) => times.first().copied().unwrap_or(f64::INFINITY),
        };
        let mut wanted = 0;
        let mut hashed = Vec::new();
        for p in pictures.iter().filter(|p| p.t <= to) {
            if !memo::picks(p.t, next) {
                continue;
            }
            if let Some(hash) = self.hasher {
                hashed.push((p.t, hash(&p.luma)));
            }
            next = match pick {
                Pick::Every(every) => p.t + every,
                Pick::At(times) => {
                    while times.get(wanted).is_some_and(|&w| memo::picks(p.t, w)) {
                        wanted += 1;
                    }
                    times.get(wanted).copied().unwrap_or(f64::INFINITY)
                }
            };
            if !each(p.clone()) {
                break;
            }
        }
        self.hashed.extend(hashed);
        true
    }

    fn scan_picking_keeping(
        &mut self,
        from: f64,
        to: f64,
        pick: Pick,
        keep: Option<(f64, f64)>,
        mut each: impl FnMut(Picture) -> bool,
    ) -> Result<()> {
        // The whole film holds every stretch a scan could keep as well.
        if (keep.is_none() || self.film.is_some()) && self.hand_over_kept(from, to, pick, &mut each)
        {
            return Ok(());
        }
        let mut kept: Vec<Picture> = Vec::new();
        let mut keeping = keep.is_some();
        let run_to = keep.map_or(to, |(_, k)| k.max(to));
        let mut handing = true;
        let dark = self.keep_end;
        let mut recorder = dark.map(|_| memo::Recorder::new(from));
        // Frames not reduced since the last picture that was: reduced if that one is dark
        // (the padding may have begun among them), let go if it is not.
        let mut held = Held::default();
        let mut next = match pick {
            Pick::Every(_) => from,
            Pick::At(times) => times.first().copied().unwrap_or(f64::INFINITY),
        };
        let mut wanted = 0;
        let end = self.run(from, run_to, |s, f, t| {
            let picked = handing && t <= to && memo::picks(t, next);
            let keep_this = keeping && keep.is_some_and(|(a, _)| t + 1e-6 >= a);
            let luma = if picked || keep_this {
                Some(s.reduce(f)?)
            } else {
                None
            };
            if keep_this {
                if let Some(l) = &luma {
                    if kept.len() < MAX_KEPT {
                        kept.push(Picture { t, luma: l.clone() });
                    } else {
                        keeping = false;
                        kept.clear();
                    }
                }
            }
            // Past the scan's own end, frames are decoded only to be kept.
            if !picked && t > to && !keeping {
                return Ok(false);
            }
            // The recorder gets the reduced picture of each frame handed over or kept past
            // the end; frames of the scan not handed over are held unreduced, as before.
            let luma = if picked || t > to { luma } else { None };
            if let (Some(r), Some(dark)) = (recorder.as_mut(), dark) {
                let at = r.add(t, luma.clone());
                match &luma {
                    None => held.add(at, f),
                    Some(l) if dark(l) => held.reduce_into(s, r),
                    Some(_) => held.clear(),
                }
            }
            if !picked {
                return Ok(true);
            }
            match luma {
                Some(luma) => {
                    // The pictures a scan hands over serve the fingerprint too: a short film
                    // or one with a single keyframe has few keyframes to hash.
                    if let Some(hash) = s.hasher {
                        s.hashed.push((t, hash(&luma)));
                    }
                    next = match pick {
                        Pick::Every(every) => t + every,
                        Pick::At(times) => {
                            while times.get(wanted).is_some_and(|&w| memo::picks(t, w)) {
                                wanted += 1;
                            }
                            times.get(wanted).copied().unwrap_or(f64::INFINITY)
                        }
                    };
                    handing = each(Picture { t, luma });
                    Ok(handing || keeping)
                }
                None => Ok(true),
            }
        })?;
        if let Some((a, b)) = keep {
            // Kept only when every frame of the stretch was: the run reached `keep_to` (or
            // the end of the film) without giving up on keeping.
            if keeping && !kept.is_empty() {
                let mut total =
                    kept.len() + self.kept.iter().map(|k| k.pictures.len()).sum::<usize>();
                while total > MAX_KEPT && !self.kept.is_empty() {
                    total -= self.kept.remove(0).pictures.len();
                }
                self.kept.push(Kept {
                    from: a,
                    to: if end.reached_end { f64::INFINITY } else { b },
                    pictures: kept,
                });
            }
        }
        if let Some(mut r) = recorder {
            if end.reached_end {
                held.reduce_into(self, &mut r);
            }
            if let Some(m) = r.finish(end.key, end.reached_end) {
                self.memo = Some(m);
            }
        }
        Ok(())
    }

    /// Every frame a scan from `from` to the end of the film, taking every picture, would hand
    /// over, with its reduced picture where the last run to the end kept one; `None` when that
    /// run does not answer for such a scan: it began later, or a scan from `from` would begin
    /// from another keyframe and could see other pictures.
    pub fn kept_end(&mut self, from: f64) -> Option<Vec<(f64, Option<&Luma>)>> {
        if self.film.is_some() {
            return self.film.as_ref().map(|f| f.every_frame_from(from));
        }
        let key = self.memo.as_ref().filter(|m| from >= m.from)?.key;
        let same_start = match self.key_before(from) {
            Some(k) if k == key => true,
            // The kept run went on from its keyframe to the end, through this later one.
            Some(k) => self.keyframes_reset && k > key,
            None => false,
        };
        if !same_start {
            return None;
        }
        self.memo.as_ref()?.every_frame_from(from)
    }

    /// The timestamp of the first packet of the stream after seeking for `t`: the keyframe a
    /// run from `t` begins with.
    fn key_before(&mut self, t: f64) -> Option<i64> {
        if !self.seek(t) {
            return None;
        }
        let mut packet = ffmpeg::Packet::empty();
        for _ in 0..MAX_PACKETS_AFTER_SEEK {
            match crate::ffmpeg::read_packet(&mut packet, &mut self.input) {
                Ok(()) if packet.stream() == self.stream => return first_stamp(&packet),
                Ok(()) | Err(ffmpeg::Error::InvalidData) => continue,
                Err(_) => return None,
            }
        }
        None
    }

    /// The full-size picture shown at `t`, for people to look at: decoded with every filter
    /// on. When the film ends before `t`, or `t` lies more than `max_frames` frames past a
    /// keyframe, the last picture decoded stands in.
    pub fn frame_at(&mut self, t: f64, max_frames: usize) -> Result<Option<(f64, frame::Video)>> {
        let mut last = None;
        let mut seen = 0;
        self.run(t, f64::INFINITY, |_, f, ft| {
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
        mut each: impl FnMut(&mut Self, &frame::Video, f64) -> Result<bool>,
    ) -> Result<RunEnd> {
        let mut end = RunEnd {
            key: None,
            reached_end: false,
        };
        if !self.seek(from) {
            return Ok(end);
        }
        self.decoder.skip_frame(Discard::Default);
        let mut packet = ffmpeg::Packet::empty();
        let mut decoded = frame::Video::empty();
        let mut ended = false;
        let mut stopped = false;
        let mut first = true;
        while !ended {
            match crate::ffmpeg::read_packet(&mut packet, &mut self.input) {
                Ok(()) => {
                    if packet.stream() != self.stream {
                        continue;
                    }
                    if std::mem::take(&mut first) {
                        end.key = first_stamp(&packet);
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
                    stopped = true;
                    break;
                }
            }
        }
        self.decoder.flush();
        end.reached_end = !stopped;
        Ok(end)
    }

    fn reduce(&mut self, f: &frame::Video) -> Result<Luma> {
        self.reducer.reduce(f)
    }
}

/// Decoded frames kept aside, unreduced, by reference to the decoder's buffers.
#[derive(Default)]
struct Held {
    frames: Vec<(usize, frame::Video)>,
    pixels: usize,
}

impl Held {
    /// At most this many pixels held: a quarter of a second of 1080p at 60 frames a second.
    /// Frames past it are not kept, and a tail that needs them is decoded again.
    const MAX_PIXELS: usize = 16 * 1920 * 1080;

    fn add(&mut self, at: usize, f: &frame::Video) {
        let px = f.width() as usize * f.height() as usize;
        if self.pixels + px > Self::MAX_PIXELS {
            return;
        }
        let mut held = frame::Video::empty();
        if !crate::ffi::codec::frame_ref(&mut held, f) {
            return;
        }
        self.pixels += px;
        self.frames.push((at, held));
    }

    fn clear(&mut self) {
        self.frames.clear();
        self.pixels = 0;
    }

    /// Reduces the held frames into the recorder. One that cannot be reduced stays without a
    /// picture, and a tail that needs it is decoded again.
    fn reduce_into(&mut self, sampler: &mut Sampler, recorder: &mut memo::Recorder) {
        for (at, f) in self.frames.drain(..) {
            if let Ok(l) = sampler.reduce(&f) {
                recorder.set(at, l);
            }
        }
        self.pixels = 0;
    }
}

/// A packet's place in the stream, as a run's starting point is told.
fn first_stamp(p: &ffmpeg::Packet) -> Option<i64> {
    p.pts().or(p.dts())
}

/// Streams whose every keyframe starts decoding afresh: intra-only codecs (each picture
/// decodes alone); VP8 and VP9, whose key frames refresh every reference and reset every
/// probability; and MPEG-1, MPEG-2 and MPEG-4 Part 2 without B-pictures, where a picture refers
/// to the last I- or P-picture only, so none reaches back across an I-picture. With B-pictures
/// those may mark as keyframes pictures that later ones reach across (open GOPs), as H.264 and
/// HEVC may with any structure (several and long-term references), so they are not among them.
fn keyframes_reset(par: &codec::Parameters) -> bool {
    let id = par.id();
    if matches!(id, codec::Id::VP8 | codec::Id::VP9) {
        return true;
    }
    if matches!(
        id,
        codec::Id::MPEG1VIDEO | codec::Id::MPEG2VIDEO | codec::Id::MPEG4
    ) {
        // video_delay: the number of pictures the decoder holds back to reorder (none without
        // B-pictures).
        return crate::ffi::codec::parameters(par).video_delay == 0;
    }
    crate::ffi::codec::codec_props(id.into())
        .is_some_and(|props| props & ffmpeg::ffi::AV_CODEC_PROP_INTRA_ONLY as u32 != 0)
}

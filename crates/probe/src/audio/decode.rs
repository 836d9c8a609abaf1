//! The one audio pass: demux the file once, hand each audio packet to its track's decoder, and
//! feed the decoded samples to that track's meter and level scanner. Video and every other
//! stream is discarded at the demuxer, so their packets are never even read into memory.

use super::levels::{LevelFacts, Levels};
use super::meter::{channel_map, MAX_CHANNELS};
use super::tone::Tone;
use super::worker::Metering;
use super::AudioOptions;
use crate::read_ahead::ReadAhead;
use anyhow::{anyhow, bail, Context as _, Result};
use ffmpeg::format::context::Input;
use ffmpeg::media::Type;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use reelcheck_facts::fingerprint::SoundPrint;
use reelcheck_facts::{HeadTone, Loudness};

/// Everything measured about one audio track.
pub struct TrackResult {
    pub stream_index: usize,
    pub loudness: Loudness,
    pub levels: LevelFacts,
    /// Where the track ends on the file's timeline, seconds.
    pub end_s: f64,
    pub decode_errors: u64,
    /// Line-up tone at the head, on the file's timeline.
    pub head_tone: Option<HeadTone>,
    /// The sound's fingerprint, of the first track only.
    pub print: Option<SoundPrint>,
}

struct Track {
    stream_index: usize,
    codec: String,
    decoder: ffmpeg::decoder::Audio,
    /// Track start on the file's timeline (stream time base → seconds, minus the file start).
    tb: f64,
    file_start_s: f64,
    origin_s: Option<f64>,
    metering: Metering,
    /// Channel count and rate the meters were last configured for; `None` until a sample
    /// has been decoded.
    format: Option<(usize, u32)>,
    tone: Tone,
    frame: ffmpeg::frame::Audio,
    packets: u64,
    errors: u64,
    /// The first reason the decoder gave, for the error message if nothing decodes at all.
    first_error: Option<String>,
}

/// After this many read failures in a row the file is taken to be unreadable from there on.
const MAX_READ_ERRORS_IN_A_ROW: u32 = 64;

pub fn run(
    input: &mut Input,
    file: Option<&std::fs::File>,
    opts: &AudioOptions,
    print: bool,
    file_start_s: f64,
    mut subtitles: Option<&mut crate::subtitles::Collector>,
) -> Result<Vec<TrackResult>> {
    let mut tracks: Vec<Track> = Vec::new();
    let mut slot: Vec<Option<usize>> = Vec::new();
    for stream in input.streams() {
        let is_audio = stream.parameters().medium() == Type::Audio;
        slot.push(is_audio.then_some(tracks.len()));
        if is_audio {
            let print = print && tracks.is_empty();
            tracks.push(Track::open(&stream, file_start_s, opts, print)?);
        }
    }
    let wanted = |i: usize| subtitles.as_ref().is_some_and(|c| c.wants(i));
    let keep = |i: usize| slot.get(i).is_some_and(Option::is_some) || wanted(i);
    crate::ffmpeg::discard_streams_except(input, keep);
    // In an interleaved file the kept packets are scattered through it: the system is asked for
    // them ahead of the demuxer (see `read_ahead`).
    let mut ahead = file.and_then(|f| ReadAhead::for_streams(input, f, keep));
    if let Some(a) = ahead.as_mut() {
        a.reached(0);
    }

    let mut packet = ffmpeg::Packet::empty();
    let mut failures = 0;
    loop {
        match crate::ffmpeg::read_packet(&mut packet, input) {
            Ok(()) => {
                failures = 0;
                if let (Some(a), Ok(pos)) = (ahead.as_mut(), u64::try_from(packet.position())) {
                    a.reached(pos);
                }
            }
            Err(ffmpeg::Error::Eof) => break,
            Err(e) => {
                failures += 1;
                if failures >= MAX_READ_ERRORS_IN_A_ROW {
                    bail!("reading the file failed {failures} times in a row: {e}");
                }
                continue;
            }
        }
        let Some(Some(t)) = slot.get(packet.stream()) else {
            if let (Some(c), Some(stream)) = (subtitles.as_mut(), input.stream(packet.stream())) {
                c.accept(&stream, &packet);
            }
            continue;
        };
        tracks[*t].send(Some(&packet))?;
    }
    if let Some(c) = subtitles {
        c.finished_reading();
    }
    tracks
        .into_iter()
        .map(|mut t| {
            t.send(None)?;
            t.finish(opts)
        })
        .collect()
}

impl Track {
    fn open(
        stream: &ffmpeg::format::stream::Stream<'_>,
        file_start_s: f64,
        opts: &AudioOptions,
        print: bool,
    ) -> Result<Track> {
        let params = stream.parameters();
        let codec = params.id().name().to_string();
        let what = || format!("audio stream #{} ({codec})", stream.index());
        let ctx = ffmpeg::codec::context::Context::from_parameters(params)
            .with_context(|| format!("{}: bad codec parameters", what()))?;
        let decoder = ctx.decoder().audio().map_err(|e| match e {
            ffmpeg::Error::DecoderNotFound => anyhow!("{}: FFmpeg has no decoder for it", what()),
            other => anyhow!("{}: the decoder would not open: {other}", what()),
        })?;
        Ok(Track {
            stream_index: stream.index(),
            codec,
            decoder,
            tb: f64::from(stream.time_base()),
            file_start_s,
            origin_s: None,
            metering: Metering::spawn(opts, print)?,
            format: None,
            tone: Tone::default(),
            frame: ffmpeg::frame::Audio::empty(),
            packets: 0,
            errors: 0,
            first_error: None,
        })
    }

    fn what(&self) -> String {
        format!("audio stream #{} ({})", self.stream_index, self.codec)
    }

    /// Sends one packet (or the end of the stream) and takes every frame that comes out.
    fn send(&mut self, packet: Option<&ffmpeg::Packet>) -> Result<()> {
        let sent = match packet {
            Some(p) => {
                self.packets += 1;
                self.decoder.send_packet(p)
            }
            None => self.decoder.send_eof(),
        };
        if let Err(e) = sent {
            self.note_error(e);
        }
        loop {
            match self.decoder.receive_frame(&mut self.frame) {
                Ok(()) => self.take_frame()?,
                Err(ffmpeg::Error::Eof) => break,
                Err(ffmpeg::Error::Other { errno }) if errno == sys::EAGAIN => break,
                Err(e) => {
                    self.note_error(e);
                    break;
                }
            }
        }
        Ok(())
    }

    fn note_error(&mut self, e: ffmpeg::Error) {
        // A decoder fed its end twice says Eof; that is not damage.
        if e == ffmpeg::Error::Eof {
            return;
        }
        self.errors += 1;
        self.first_error.get_or_insert_with(|| e.to_string());
    }

    fn take_frame(&mut self) -> Result<()> {
        let n = self.frame.samples();
        let rate = self.frame.rate();
        if n == 0 {
            return Ok(());
        }
        if rate == 0 {
            bail!("{}: decoded audio has no sample rate", self.what());
        }
        let origin = *self.origin_s.get_or_insert_with(|| {
            self.frame
                .timestamp()
                .map_or(0.0, |ts| ts as f64 * self.tb - self.file_start_s)
        });
        let channels = usize::from(self.frame.channels());
        if channels == 0 {
            bail!("{}: decoded audio frame has no channels", self.what());
        }
        if self.format != Some((channels, rate)) {
            if channels > MAX_CHANNELS {
                bail!(
                    "{}: {channels} channels; loudness can be measured for at most {MAX_CHANNELS}",
                    self.what()
                );
            }
            let layout = crate::ffi::codec::channel_layout(&self.frame);
            self.metering
                .configure(channel_map(layout, channels), rate, origin);
            self.format = Some((channels, rate));
        }
        let start = self
            .metering
            .add(&self.frame)
            .with_context(|| self.what())?;
        // The tone is looked for in the head only, here, on the decoding thread.
        if self.tone.listening() {
            self.tone.push(&self.metering.since(start), rate);
        }
        self.metering.send_if_full();
        Ok(())
    }

    fn finish(self, opts: &AudioOptions) -> Result<TrackResult> {
        let decoded_nothing = self.format.is_none();
        if decoded_nothing && self.errors > 0 {
            bail!(
                "{} is damaged: none of its {} packets could be decoded ({})",
                self.what(),
                self.packets,
                self.first_error.as_deref().unwrap_or("unknown error")
            );
        }
        let what = self.what();
        let origin = self.origin_s.unwrap_or(0.0);
        let (loudness, levels, print) = self.metering.finish().with_context(|| what.clone())?;
        let levels = levels.unwrap_or_else(|| Levels::new(opts, origin).finish());
        Ok(TrackResult {
            stream_index: self.stream_index,
            loudness,
            end_s: origin + levels.duration_s,
            levels,
            decode_errors: self.errors,
            head_tone: self.tone.finish().map(|t| HeadTone {
                start_s: round3(origin + t.start_s),
                end_s: round3(origin + t.end_s),
                ..t
            }),
            print,
        })
    }
}

fn round3(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

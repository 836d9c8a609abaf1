//! How far a file's picture and sound reach: the end of each stream's last packet, read from
//! the last packets of the file, demuxed but not decoded. From it come the runtime (how long
//! the picture and sound play), every stream's length (Matroska, WebM and FLV give none in
//! their headers) and whether the file is cut short of what its header claims.

use ffmpeg::media::Type as MediaType;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::collections::BTreeMap;

/// What the last packets of a file say.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reach {
    /// The playable length in seconds: from the first picture or sound to the end of the last,
    /// as a player plays the file.
    pub playable_s: Option<f64>,
    /// The latest end of any packet of picture, sound or subtitles, in seconds on the file's
    /// clock (from time zero, not from the first packet): what a header's duration is measured
    /// against.
    pub end_s: Option<f64>,
    /// Per stream index: seconds from the stream's start to the end of its last packet, for
    /// the picture and sound streams that had a packet among those read.
    pub streams: BTreeMap<usize, f64>,
    /// Per stream index: the time of its first packet, in seconds on the file's clock, where
    /// the demuxer knows it.
    pub starts: BTreeMap<usize, f64>,
    /// Whether any packet of picture or sound was read at all.
    pub any_packet: bool,
}

/// One picture or sound stream being followed.
struct Followed {
    tb: f64,
    start: i64,
    /// A packet without a duration lasts one frame.
    frame_ticks: i64,
    end: Option<i64>,
    /// Whether `start` is the stream's (a stream without packets has none; 0 stands in).
    known_start: bool,
    /// The header gives the stream's length (MP4 and MOV do; Matroska, WebM and FLV do not,
    /// so there only its packets tell it).
    header_length: bool,
    /// A subtitle stream.
    text: bool,
}

/// The packets' ends, per stream, in each stream's time base.
struct Ends {
    streams: BTreeMap<usize, Followed>,
    any_packet: bool,
}

impl Ends {
    fn add(&mut self, packet: &ffmpeg::Packet) {
        let Some(s) = self.streams.get_mut(&packet.stream()) else {
            return;
        };
        self.any_packet |= !s.text;
        let flags = crate::ffi::format::packet_flags(packet);
        // Packets outside an edit list are read only to decode from; they are not shown.
        if flags & sys::AV_PKT_FLAG_DISCARD != 0 {
            return;
        }
        let Some(at) = packet.pts().or(packet.dts()) else {
            return;
        };
        let length = if packet.duration() > 0 {
            packet.duration()
        } else {
            s.frame_ticks
        };
        let e = at.saturating_add(length);
        s.end = Some(s.end.map_or(e, |x| x.max(e)));
    }

    /// Drops the ends read so far, before the packets are read again from the start.
    fn forget(&mut self) {
        for s in self.streams.values_mut() {
            s.end = None;
        }
    }

    fn end_of(&self, index: usize) -> Option<i64> {
        self.streams.get(&index).and_then(|s| s.end)
    }

    /// Whether a picture or sound stream whose length only its packets tell had none among
    /// those read: it ended before where reading began.
    fn lacks_a_length(&self) -> bool {
        self.streams
            .values()
            .any(|s| !s.text && !s.header_length && s.end.is_none())
    }
}

/// Reads the last packets of an open file. The end is found, in order of cost: from the
/// demuxer's own index (MP4/MOV sample tables, Matroska cues, AVI index), seeking to the main
/// track's last entry; by seeking to a byte offset near the end, further back each time nothing
/// of the main track is found; and at last by reading every packet. Leaves the file positioned
/// anywhere, with every stream but picture and sound discarded: the caller restores both.
pub fn read(input: &mut ffmpeg::format::context::Input, file_size: u64) -> Reach {
    let is_picture = |s: &ffmpeg::format::stream::Stream<'_>| {
        s.parameters().medium() == MediaType::Video
            && !s
                .disposition()
                .contains(ffmpeg::format::stream::Disposition::ATTACHED_PIC)
    };
    let is_sound =
        |s: &ffmpeg::format::stream::Stream<'_>| s.parameters().medium() == MediaType::Audio;
    // Subtitles count towards how far the file reaches (a last cue after the picture makes a
    // Matroska header's duration longer), not towards any stream's length.
    let is_text =
        |s: &ffmpeg::format::stream::Stream<'_>| s.parameters().medium() == MediaType::Subtitle;
    let mut ends = Ends {
        streams: BTreeMap::new(),
        any_packet: false,
    };
    // Lengths FFmpeg estimated (a program or transport stream's, from the timestamps it found
    // near the end of the file) are not the header's: a sound track packed before the last
    // picture gets a length that stops there, so only its packets can tell it.
    let estimated = crate::ffi::format::lengths_estimated(input);
    for s in input
        .streams()
        .filter(|s| is_picture(s) || is_sound(s) || is_text(s))
    {
        let tb = f64::from(s.time_base());
        if !(tb.is_finite() && tb > 0.0) {
            continue;
        }
        let frame_ticks = rate(s.avg_frame_rate()).map_or(0, |fps| (1.0 / fps / tb).round() as i64);
        let known_start = s.start_time() != sys::AV_NOPTS_VALUE;
        let start = if known_start { s.start_time() } else { 0 };
        ends.streams.insert(
            s.index(),
            Followed {
                tb,
                start,
                frame_ticks,
                end: None,
                known_start,
                header_length: !estimated
                    && s.duration() != sys::AV_NOPTS_VALUE
                    && s.duration() > 0,
                text: is_text(&s),
            },
        );
    }
    let main = input
        .streams()
        .find(|s| is_picture(s) && ends.streams.contains_key(&s.index()))
        .or_else(|| {
            input
                .streams()
                .find(|s| is_sound(s) && ends.streams.contains_key(&s.index()))
        })
        .map(|s| s.index());
    let Some(index) = main else {
        return Reach::default();
    };
    let start = ends.streams[&index].start;
    super::ffmpeg::discard_streams_except(input, |i| ends.streams.contains_key(&i));

    let flags = crate::ffi::format::demuxer_flags(input);

    // A real index (not one FFmpeg builds while reading, which covers only what was read).
    let entries = crate::ffi::format::index_len(input, index);
    if entries > 0 && flags & sys::AVFMT_GENERIC_INDEX == 0 {
        // Matroska reads its cues (at the end of the file, where muxers put them) only at the
        // first seek; until then the index holds just the keyframes that stream probing read,
        // and its last entry is the film's first keyframe, from which a 3 GB file was read
        // whole. A seek to the first entry loads it and reads nothing.
        let first = crate::ffi::format::index_entry(input, index, 0)
            .map(|e| e.timestamp)
            .filter(|&ts| {
                crate::ffi::format::seek_frame(input, index as i32, ts, sys::AVSEEK_FLAG_BACKWARD)
            });
        if let Some((ts, seek_flags)) = near_the_end(input, index) {
            // A film with one keyframe is already where its end is read from: seeking there
            // again would make Matroska read the whole film once more looking for later ones.
            let there = first == Some(ts) && seek_flags == sys::AVSEEK_FLAG_BACKWARD;
            if there || crate::ffi::format::seek_frame(input, index as i32, ts, seek_flags) {
                read_to_end(input, &mut ends);
            }
        }
        if ends.end_of(index).is_some() && ends.lacks_a_length() {
            // A sound track that stops before the last keyframe (or a second picture that
            // does) has only its packets to give its length: they are all read.
            read_from_the_start(input, index, &mut ends);
        }
    }
    if ends.end_of(index).is_none() && flags & sys::AVFMT_NO_BYTE_SEEK == 0 {
        for back in BYTES_BACK {
            if back >= file_size {
                break;
            }
            let pos = (file_size - back) as i64;
            if !crate::ffi::format::seek_frame(input, -1, pos, sys::AVSEEK_FLAG_BYTE) {
                break;
            }
            // Some demuxers cannot tell where a byte seek landed (WAV and other PCM
            // containers count timestamps from wherever reading starts): a first packet
            // stamped at the very start means the timestamps after the seek are not the
            // file's, so the packets are read from the beginning instead (and the ends read
            // meanwhile, which may be the demuxer's guesses, are forgotten there).
            let first = first_stamp(input, index, &mut ends);
            if first.is_none_or(|t| t <= start.max(0)) {
                ends.forget();
                break;
            }
            read_to_end(input, &mut ends);
            if ends.end_of(index).is_some() {
                break;
            }
        }
    }
    if ends.end_of(index).is_none() {
        read_from_the_start(input, index, &mut ends);
    }
    let seconds = |s: &Followed| {
        let secs = (s.end? - s.start) as f64 * s.tb;
        (secs.is_finite() && secs > 0.0).then_some(secs)
    };
    let av = || ends.streams.iter().filter(|(_, s)| !s.text);
    let starts: BTreeMap<usize, f64> = av()
        .filter(|(_, s)| s.known_start)
        .map(|(i, s)| (*i, s.start as f64 * s.tb))
        .filter(|(_, t)| t.is_finite())
        .collect();
    let ends_s: BTreeMap<usize, f64> = av()
        .filter_map(|(i, s)| Some((*i, s.end? as f64 * s.tb)))
        .filter(|(_, e)| e.is_finite())
        .collect();
    let playable_s = span(&starts, &ends_s);
    Reach {
        playable_s,
        end_s: ends
            .streams
            .values()
            .filter_map(|s| Some(s.end? as f64 * s.tb))
            .filter(|e| e.is_finite())
            .reduce(f64::max),
        streams: ends
            .streams
            .iter()
            .filter(|(_, s)| !s.text)
            .filter_map(|(i, s)| Some((*i, seconds(s)?)))
            .collect(),
        starts,
        any_packet: ends.any_packet,
    }
}

/// Packets before the last in decoding order that may still be shown after it: more than any
/// codec reorders (H.264 and HEVC reorder at most 16 frames).
const REORDERED: usize = 64;

/// How far before the end of the file a byte seek lands, first and then further back each time
/// nothing of the main track is found there.
const BYTES_BACK: [u64; 3] = [1 << 20, 8 << 20, 64 << 20];

/// Where to seek to read the last packets of a stream from its index: the timestamp and the
/// seek flags. An index that lists every packet (MP4 and MOV sample tables) allows a seek to a
/// packet that is not a keyframe, a few packets before the last (nothing is decoded, so none is
/// needed); one that lists only keyframes (Matroska cues) is sought at its last entry. (A byte
/// seek nearer the end is no cheaper there: Matroska finds its footing again by reading byte by
/// byte until a cluster starts, slower than reading the packets.) Either way every packet that
/// ends the stream is read.
fn near_the_end(input: &ffmpeg::format::context::Input, index: usize) -> Option<(i64, i32)> {
    let entries = crate::ffi::format::index_len(input, index);
    let entry = |i: usize| crate::ffi::format::index_entry(input, index, i);
    let last = entry(entries.checked_sub(1)?)?;
    let from = entries.checked_sub(1 + REORDERED).filter(|&f| f > 0);
    let every_packet = from.is_some_and(|from| {
        (from..entries)
            .filter_map(entry)
            .any(|e| e.flags as u32 & sys::AVINDEX_KEYFRAME as u32 == 0)
    });
    if let (true, Some(from)) = (every_packet, from) {
        let ts = entry(from)?.timestamp;
        return Some((ts, sys::AVSEEK_FLAG_BACKWARD | sys::AVSEEK_FLAG_ANY));
    }
    Some((last.timestamp, sys::AVSEEK_FLAG_BACKWARD))
}

/// The timestamp of the next packet of stream `index`; the packets read on the way count
/// towards the ends.
fn first_stamp(
    input: &mut ffmpeg::format::context::Input,
    index: usize,
    ends: &mut Ends,
) -> Option<i64> {
    let mut packet = ffmpeg::Packet::empty();
    for _ in 0..1000 {
        match super::ffmpeg::read_packet(&mut packet, input) {
            Ok(()) => {
                ends.add(&packet);
                if packet.stream() == index {
                    return packet.pts().or(packet.dts());
                }
            }
            Err(ffmpeg::Error::InvalidData) => continue,
            Err(_) => return None,
        }
    }
    None
}

/// Forgets the ends read so far and reads every packet of the file instead.
fn read_from_the_start(input: &mut ffmpeg::format::context::Input, index: usize, ends: &mut Ends) {
    ends.forget();
    // Program and transport streams are read byte by byte: back to the first byte, since a
    // seek to the first picture lands after the sound packed before it (a DVD's VOB).
    let bytewise = input
        .format()
        .name()
        .split(',')
        .any(|f| matches!(f, "mpeg" | "mpegts" | "mpegtsraw" | "mpegvideo"));
    let rewound = (bytewise && crate::ffi::format::seek_frame(input, -1, 0, sys::AVSEEK_FLAG_BYTE))
        || crate::ffi::format::seek_file(input, index as i32, i64::MIN, i64::MIN, i64::MAX, 0)
        || crate::ffi::format::seek_frame(input, -1, 0, sys::AVSEEK_FLAG_BYTE);
    if rewound {
        read_to_end(input, ends);
    }
}

/// Adds the packets from the read position to the end of the file.
fn read_to_end(input: &mut ffmpeg::format::context::Input, ends: &mut Ends) {
    let mut packet = ffmpeg::Packet::empty();
    let mut damaged = 0;
    loop {
        match super::ffmpeg::read_packet(&mut packet, input) {
            Ok(()) => damaged = 0,
            Err(ffmpeg::Error::Eof) => break,
            // A damaged packet in the middle: the ones after it still count, unless nothing
            // but damage follows.
            Err(ffmpeg::Error::InvalidData) if damaged < 1000 => {
                damaged += 1;
                continue;
            }
            Err(_) => break,
        }
        ends.add(&packet);
    }
}

fn rate(r: ffmpeg::Rational) -> Option<f64> {
    (r.numerator() > 0 && r.denominator() > 0).then(|| f64::from(r))
}

/// How long a film plays whose streams start and end at these times (seconds, by stream): from
/// the first picture or sound (never before time zero: negative timestamps are priming,
/// decoded but not played; time zero when no stream's start is known) to the end of the last.
pub fn span(starts: &BTreeMap<usize, f64>, ends: &BTreeMap<usize, f64>) -> Option<f64> {
    let last = ends.values().copied().reduce(f64::max)?;
    let first = starts
        .values()
        .copied()
        .reduce(f64::min)
        .unwrap_or(0.0)
        .max(0.0);
    (last > first).then_some(last - first)
}

/// A header's claim may exceed what the packets reach by this much (a last frame or audio
/// packet counted differently, a few priming samples) without the file being cut short …
const CUT_MIN_S: f64 = 0.25;
/// … and by this share of the claim (containers that estimate their duration from the bit
/// rate are a little off on long files), and by one frame of the picture.
const CUT_MIN_SHARE: f64 = 0.02;

impl Reach {
    /// Whether the packets stop materially short of the header's claim (`frame_s`: one frame
    /// of the picture); false when the header claims nothing, null when no packet's time is
    /// known.
    pub fn cut_short(&self, header_claim_s: Option<f64>, frame_s: f64) -> Option<bool> {
        let Some(claim) = header_claim_s else {
            return Some(false);
        };
        Some(claims_more(claim, self.end_s?, frame_s))
    }
}

/// Whether a header's claim exceeds what was measured by more than rounding and one frame.
pub fn claims_more(claim_s: f64, measured_s: f64, frame_s: f64) -> bool {
    let slack = CUT_MIN_S.max(CUT_MIN_SHARE * claim_s).max(frame_s);
    claim_s - measured_s > slack
}

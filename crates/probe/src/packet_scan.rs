//! One pass over the first packets of a file, without decoding: the timestamps the frame rate
//! is measured from, and the first few video packets, whose in-band metadata (HDR SEI, HDR10+
//! block additions) the header does not carry. Bounded in packets and bytes, so that it costs
//! the same on a 4K master as on a phone clip.

use crate::ffi::codec::Coded;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::collections::BTreeMap;

/// Frames per video stream whose timestamps are read: two seconds at 24 fps, enough to tell a
/// variable rate from a constant one with rounding or a dropped frame, and few enough that the
/// header-only check costs what it did before it measured rates (most of these packets were
/// already read by FFmpeg's stream probing).
const FRAMES: usize = 48;
/// Packets of all streams read at most (audio interleaved with sparse video).
const MAX_PACKETS: usize = 3_000;
/// Bytes read at most: 120 frames of a 4K intra-coded master would be far more.
const MAX_BYTES: usize = 48 << 20;
/// Video packets kept whole per stream, for their in-band metadata.
const KEPT_PACKETS: usize = 3;

#[derive(Debug, Default)]
pub struct StreamPackets {
    /// Presentation timestamps of the frames, in the stream's time base, in reading order. A
    /// frame coded as two field pictures (PAFF: AVCHD cameras, interlaced broadcast) comes in
    /// two packets; only the first field's time is a frame's.
    pub pts: Vec<i64>,
    /// The first packets' bytes.
    pub first: Vec<Vec<u8>>,
    /// The first packets' side data carries SMPTE ST 2094-40 (HDR10+) metadata: Matroska keeps
    /// it beside the picture, in a block addition, not in the bytes above.
    pub hdr10_plus: bool,
    /// The first frame's length as its packet states it, in the stream's time base.
    pub first_duration: Option<i64>,
    /// The picture headers' reader, for codecs that may code a frame as two fields.
    fields: Option<Fields>,
}

/// Pairs field pictures into frames, as a decoder does.
struct Fields {
    parser: crate::ffi::codec::Parser,
    /// A first field was read and its second is due.
    pending: bool,
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fields")
            .field("pending", &self.pending)
            .finish()
    }
}

impl Fields {
    /// Whether a packet begins a frame: a frame picture, or the first field of a pair (the
    /// two fields of a frame are consecutive in decoding order).
    fn starts_frame(&mut self, data: &[u8]) -> bool {
        match self.parser.coded(data) {
            Coded::Field if self.pending => {
                self.pending = false;
                false
            }
            Coded::Field => {
                self.pending = true;
                true
            }
            Coded::Frame | Coded::Unknown => {
                self.pending = false;
                true
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Scan {
    pub streams: BTreeMap<usize, StreamPackets>,
    /// The whole file was read: a stream without packets here has none at all.
    pub reached_end: bool,
}

impl Scan {
    /// Whether the stream is known to hold no packet at all.
    pub fn is_empty(&self, index: usize) -> bool {
        self.reached_end && self.streams.get(&index).is_none_or(|s| s.pts.is_empty())
    }
}

/// Reads packets from the current position until every stream in `video` has `FRAMES`
/// timestamps, or a bound is reached.
pub fn scan(input: &mut ffmpeg::format::context::Input, video: &[usize]) -> Scan {
    let mut out = Scan::default();
    // Field pictures come as packets of their own from the demuxers that cut elementary
    // streams into pictures (transport and program streams, bare streams); MP4, MOV and
    // Matroska keep both fields of a frame in one sample.
    let cuts_pictures = input
        .format()
        .name()
        .split(',')
        .any(|f| matches!(f, "mpegts" | "mpeg" | "mpegvideo" | "h264" | "mpegtsraw"));
    for &i in video {
        let id = input.stream(i).map(|s| s.parameters().id());
        // H.264 and MPEG-2 may code the two fields of a frame apart.
        let fields = (cuts_pictures
            && matches!(
                id,
                Some(ffmpeg::codec::Id::H264) | Some(ffmpeg::codec::Id::MPEG2VIDEO)
            ))
        .then(|| id.and_then(|id| crate::ffi::codec::Parser::new(id.into())))
        .flatten()
        .map(|parser| Fields {
            parser,
            pending: false,
        });
        out.streams.insert(
            i,
            StreamPackets {
                fields,
                ..Default::default()
            },
        );
    }
    if video.is_empty() {
        return out;
    }
    let (mut packets, mut bytes) = (0usize, 0usize);
    let mut packet = ffmpeg::Packet::empty();
    loop {
        match packet.read(input) {
            Ok(()) => {}
            Err(ffmpeg::Error::Eof) => {
                out.reached_end = true;
                break;
            }
            // A damaged packet is skipped, as players skip it; other errors end the scan.
            Err(ffmpeg::Error::Other { errno }) if errno == libc::EAGAIN => continue,
            Err(ffmpeg::Error::InvalidData) => continue,
            Err(_) => break,
        }
        packets += 1;
        bytes += packet.size();
        if let Some(s) = out.streams.get_mut(&packet.stream()) {
            let flags = crate::ffi::format::packet_flags(&packet);
            // Packets before an edit list's start are read only to decode from; they are not
            // shown, so they are no part of the rate.
            let discarded = flags & sys::AV_PKT_FLAG_DISCARD != 0;
            if let Some(ts) = packet.pts().or(packet.dts()) {
                if !discarded && s.pts.len() < FRAMES {
                    let data = packet.data().unwrap_or(&[]);
                    let starts = s.fields.as_mut().is_none_or(|f| f.starts_frame(data));
                    if starts {
                        if s.pts.is_empty() && packet.duration() > 0 {
                            s.first_duration = Some(packet.duration());
                        }
                        s.pts.push(ts);
                    }
                }
            }
            if s.first.len() < KEPT_PACKETS {
                if let Some(data) = packet.data() {
                    s.first.push(data.to_vec());
                }
                s.hdr10_plus |= crate::hdr::in_side_data(&packet);
            }
        }
        let all_full = out.streams.values().all(|s| s.pts.len() >= FRAMES);
        if all_full || packets >= MAX_PACKETS || bytes >= MAX_BYTES {
            break;
        }
    }
    out
}

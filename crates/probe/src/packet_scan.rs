//! One pass over the first packets of a file, without decoding: the timestamps the frame rate
//! is measured from, and the first few video packets, whose in-band metadata (HDR SEI) the
//! header does not carry. Bounded in packets and bytes, so that it costs the same on a 4K
//! master as on a phone clip.

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
    /// Presentation timestamps in the stream's time base, in reading order.
    pub pts: Vec<i64>,
    /// The first packets' bytes.
    pub first: Vec<Vec<u8>>,
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
    for &i in video {
        out.streams.insert(i, StreamPackets::default());
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
                    s.pts.push(ts);
                }
            }
            if s.first.len() < KEPT_PACKETS {
                if let Some(data) = packet.data() {
                    s.first.push(data.to_vec());
                }
            }
        }
        let all_full = out.streams.values().all(|s| s.pts.len() >= FRAMES);
        if all_full || packets >= MAX_PACKETS || bytes >= MAX_BYTES {
            break;
        }
    }
    out
}

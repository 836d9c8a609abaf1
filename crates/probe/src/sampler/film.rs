//! The whole film as the video analyzer decoded it, kept as the sampler's small pictures, so
//! that the sampler serves the credits, black and fingerprint analyzers from that one decode
//! instead of decoding the picture a second time.
//!
//! Kept only when every picture fits in `BUDGET_BYTES` (a short film: 30 s at 25 frames a
//! second of 16:9) and the decode was clean and reached the end: a damaged stretch decodes
//! differently after a seek, and a film cut short by a time limit is not whole. Otherwise the
//! sampler decodes what it needs, as it does when the video analyzer does not run.

use super::luma::{reduced_size, Reducer};
use super::{memo, Picture};
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;

/// Bytes of small pictures kept at most: about 800 pictures of 384 × 216.
const BUDGET_BYTES: usize = 64 << 20;

/// Every picture of a film, in the order shown, and which are keyframes.
pub struct Film {
    stream: usize,
    pictures: Vec<Picture>,
    keys: Vec<bool>,
}

/// A film being kept as the video analyzer decodes it.
pub struct Recorder {
    stream: usize,
    reducer: Reducer,
    pictures: Vec<Picture>,
    /// The times of the packets the file marks as keyframes, where a seek can land.
    key_packets: Vec<f64>,
    room: usize,
    /// A picture could not be kept (no room, or it could not be reduced): the film is not whole.
    broken: bool,
}

impl Recorder {
    /// A recorder for the pictures of stream `stream` of `width` × `height`, when `frames`
    /// of them (as the header counts them) would fit; `None` when they would not.
    pub fn new(stream: usize, width: u32, height: u32, frames: Option<f64>) -> Option<Recorder> {
        let (w, h) = reduced_size(width.max(1), height.max(1));
        let per_picture = w as usize * h as usize;
        let room = BUDGET_BYTES;
        if frames.is_some_and(|n| !n.is_finite() || n * per_picture as f64 > room as f64) {
            return None;
        }
        Some(Recorder {
            stream,
            reducer: Reducer::default(),
            pictures: Vec::new(),
            key_packets: Vec::new(),
            room,
            broken: false,
        })
    }

    /// Keeps the small picture of frame `f`, shown at `t` seconds from the film's start.
    pub fn push(&mut self, f: &frame::Video, t: f64) {
        if self.broken {
            return;
        }
        let Ok(luma) = self.reducer.reduce(f) else {
            self.broken = true;
            return;
        };
        let size = luma.px.len();
        if size > self.room {
            // The header's count was short: give the memory back at once.
            self.broken = true;
            self.pictures = Vec::new();
            return;
        }
        self.room -= size;
        self.pictures.push(Picture { t, luma });
    }

    /// Notes a packet the file marks as a keyframe, shown at `t` (`None`: the packet has no
    /// time, and no seek can land on it by time).
    pub fn key_packet(&mut self, t: Option<f64>) {
        if let Some(t) = t {
            self.key_packets.push(t);
        }
    }

    /// The film, when every picture was kept; `clean`: the decode reached the end with no
    /// damage.
    pub fn finish(self, clean: bool) -> Option<Film> {
        if self.broken || !clean || self.pictures.is_empty() {
            return None;
        }
        // A decoder hands pictures over in the order shown; a stream whose stamps say
        // otherwise is read in the stamps' order, as a seek and scan would see them.
        let mut pictures = self.pictures;
        pictures.sort_by(|a, b| a.t.total_cmp(&b.t));
        let mut key_packets = self.key_packets;
        key_packets.sort_by(f64::total_cmp);
        let keys = pictures
            .iter()
            .map(|p| {
                let at = key_packets.partition_point(|k| *k < p.t - 1e-6);
                key_packets.get(at).is_some_and(|k| (k - p.t).abs() <= 1e-6)
            })
            .collect();
        Some(Film {
            stream: self.stream,
            pictures,
            keys,
        })
    }
}

impl Film {
    /// The stream the pictures are of.
    pub fn stream(&self) -> usize {
        self.stream
    }

    /// The keyframe at or just before `t` (the first keyframe for a `t` before it), as a
    /// seek there and a decode of that keyframe alone would give it; `None` when the decoder
    /// marked no picture as a keyframe.
    pub fn keyframe_at(&self, t: f64) -> Option<&Picture> {
        let mut keyframes = self
            .pictures
            .iter()
            .zip(&self.keys)
            .filter(|(_, key)| **key)
            .map(|(p, _)| p);
        let first = keyframes.next()?;
        let mut found = first;
        for p in keyframes {
            if p.t > t + 1e-6 {
                break;
            }
            found = p;
        }
        Some(found)
    }

    /// Every picture, in the order shown.
    pub fn pictures(&self) -> &[Picture] {
        &self.pictures
    }

    /// The frames a scan from `from` to the end taking every picture would hand over, each
    /// with its picture (the answer the black tail asks of a run that reached the end).
    pub fn every_frame_from(&self, from: f64) -> Vec<(f64, Option<&super::Luma>)> {
        memo::every_frame_from(self.pictures.iter().map(|p| (p.t, Some(&p.luma))), from)
    }
}

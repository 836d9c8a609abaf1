//! A film's fingerprint: small perceptual hashes of pictures sampled over its whole length,
//! kept with its facts and in the JSON report, so that entries of one batch, and of earlier
//! reports, can be compared without opening a film again (`similar` in the report).
//!
//! The pictures are packed, not listed, to keep a film's fingerprint to a few KB: each one is
//! 12 bytes (its time in tenths of a second, little-endian u32, then its 64-bit hash,
//! little-endian), base64-encoded. A fingerprint read from a report is input like any other:
//! `frames` checks it and says in one line what is wrong.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The version of the hash and of the packing; fingerprints of another version are not
/// compared (a changed hash would make every film look new, or every film alike).
pub const VERSION: u32 = 1;

/// At most this many pictures are kept per film: 12 bytes each, 5 KB of base64 at most.
pub const MAX_FRAMES: usize = 320;

const PACKED: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fingerprint {
    /// The hash and packing version (`VERSION`).
    pub version: u32,
    /// The length the samples were taken over, in seconds: the picture's runtime.
    pub duration_s: f64,
    /// The sampled pictures that carry something to compare (not black, not one flat colour),
    /// packed as described above, in time order.
    pub frames: String,
    /// The sound of the main audio track, when there is one and the audio analyzer ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<SoundPrint>,
}

/// At most this many blocks of sound are kept per film: 4 bytes each, 3.5 KB of base64 at
/// most. A film up to 79 s keeps every Chromaprint item (one per 0.124 s); a longer one keeps
/// blocks of 2, 4, 8… items, each bit the majority of its items' bits.
pub const MAX_SOUND_BLOCKS: usize = 640;

/// A film's sound as Chromaprint hears it (the AcoustID fingerprint's items: twelve pitch
/// classes' energies compared across bands and time, 32 bits every 0.124 s at 11 025 Hz),
/// pooled into blocks so that a long film stays small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SoundPrint {
    /// Where the first block starts, in seconds of the film (the track's first sample).
    pub start_s: f64,
    /// How long each block lasts, in seconds.
    pub block_s: f64,
    /// The blocks, 32 bits each (little-endian u32), base64-encoded, in time order.
    pub blocks: String,
}

impl SoundPrint {
    /// Packs Chromaprint `items`, each `item_s` long, starting at `start_s`: pooled into blocks
    /// of a power of two items, as few as keep at most `MAX_SOUND_BLOCKS`.
    pub fn new(start_s: f64, item_s: f64, items: &[u32]) -> SoundPrint {
        let mut per = 1usize;
        while items.len().div_ceil(per) > MAX_SOUND_BLOCKS {
            per *= 2;
        }
        let mut bytes = Vec::with_capacity(items.len().div_ceil(per) * 4);
        for block in items.chunks(per) {
            bytes.extend_from_slice(&majority(block).to_le_bytes());
        }
        SoundPrint {
            start_s: if start_s.is_finite() {
                (start_s * 1000.0).round() / 1000.0
            } else {
                0.0
            },
            block_s: (item_s * per as f64 * 1e6).round() / 1e6,
            blocks: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The blocks, or why they cannot be read (not base64, not whole blocks, too many, a
    /// start or a block length that is not one).
    pub fn blocks(&self) -> Result<Vec<u32>, String> {
        if !self.start_s.is_finite() || self.start_s.abs() > 1e7 {
            return Err("sound fingerprint start_s is not a time".into());
        }
        if !self.block_s.is_finite() || self.block_s < 0.01 || self.block_s > 1e4 {
            return Err("sound fingerprint block_s is not a length".into());
        }
        if self.blocks.len() > (MAX_SOUND_BLOCKS * 4).div_ceil(3) * 4 {
            return Err(format!(
                "sound fingerprint holds more than {MAX_SOUND_BLOCKS} blocks"
            ));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.blocks.as_bytes())
            .map_err(|_| "sound fingerprint blocks are not base64".to_string())?;
        if bytes.len() % 4 != 0 {
            return Err("sound fingerprint blocks are not whole blocks".into());
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

/// Each bit set when it is set in more than half of `items` (ties go to the first item).
fn majority(items: &[u32]) -> u32 {
    let Some(&first) = items.first() else {
        return 0;
    };
    if items.len() == 1 {
        return first;
    }
    let mut out = 0u32;
    for bit in 0..32 {
        let set = items.iter().filter(|&&x| x >> bit & 1 == 1).count();
        let on = match (2 * set).cmp(&items.len()) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => first >> bit & 1 == 1,
        };
        if on {
            out |= 1 << bit;
        }
    }
    out
}

/// One sampled picture: when, and its 64-bit perceptual hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// Tenths of a second from the start of the film.
    pub t_ds: u32,
    pub hash: u64,
}

impl Frame {
    pub fn t(&self) -> f64 {
        f64::from(self.t_ds) / 10.0
    }
}

impl Fingerprint {
    /// Packs `frames` (sorted by time, at most `MAX_FRAMES` kept, evenly thinned).
    pub fn new(duration_s: f64, mut frames: Vec<Frame>) -> Fingerprint {
        frames.sort_by_key(|f| f.t_ds);
        frames.dedup_by_key(|f| f.t_ds);
        let frames = thin(frames, MAX_FRAMES);
        let mut bytes = Vec::with_capacity(frames.len() * PACKED);
        for f in &frames {
            bytes.extend_from_slice(&f.t_ds.to_le_bytes());
            bytes.extend_from_slice(&f.hash.to_le_bytes());
        }
        Fingerprint {
            version: VERSION,
            duration_s: if duration_s.is_finite() {
                (duration_s * 1000.0).round() / 1000.0
            } else {
                0.0
            },
            frames: base64::engine::general_purpose::STANDARD.encode(bytes),
            sound: None,
        }
    }

    /// The pictures, or why they cannot be read (another version, not base64, a length that is
    /// not whole pictures, too many, out of order, a length that is not a length).
    pub fn frames(&self) -> Result<Vec<Frame>, String> {
        if self.version != VERSION {
            return Err(format!(
                "fingerprint version {} (this reelcheck reads version {VERSION})",
                self.version
            ));
        }
        if !self.duration_s.is_finite() || self.duration_s < 0.0 || self.duration_s > 1e7 {
            return Err("fingerprint duration_s is not a length".into());
        }
        // Bound the work before decoding: base64 is 4 characters per 3 bytes.
        if self.frames.len() > (MAX_FRAMES * PACKED).div_ceil(3) * 4 {
            return Err(format!("fingerprint holds more than {MAX_FRAMES} pictures"));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.frames.as_bytes())
            .map_err(|_| "fingerprint frames are not base64".to_string())?;
        if bytes.len() % PACKED != 0 {
            return Err("fingerprint frames are not whole pictures".into());
        }
        let frames: Vec<Frame> = bytes
            .chunks_exact(PACKED)
            .map(|c| {
                let mut t = [0u8; 4];
                let mut h = [0u8; 8];
                t.copy_from_slice(&c[..4]);
                h.copy_from_slice(&c[4..]);
                Frame {
                    t_ds: u32::from_le_bytes(t),
                    hash: u64::from_le_bytes(h),
                }
            })
            .collect();
        if frames.windows(2).any(|w| w[0].t_ds >= w[1].t_ds) {
            return Err("fingerprint frames are not in time order".into());
        }
        Ok(frames)
    }
}

/// What comparing an entry with the rest of its batch (and with earlier reports) found: set
/// once every entry has been read, never cached (it depends on the batch), so that rules can
/// name it. Absent when the entry has no fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Similar {
    /// Entries found in a group with this one (`same`, `contains` or `overlaps`), in this
    /// batch or in an earlier report.
    pub count: u32,
    /// Entries found to be the same film (`same`).
    pub same_count: u32,
    /// The same film was entered in this batch on another track.
    pub same_as_other_track: bool,
    /// The same film is in an earlier report (`--compare-with`): a re-submission.
    pub resubmission: bool,
    /// The highest similarity of its groups (0 to 1); null when it is in none.
    pub best_similarity: Option<f64>,
}

/// At most `max` of `frames`, evenly spread over them.
fn thin(frames: Vec<Frame>, max: usize) -> Vec<Frame> {
    if frames.len() <= max || max == 0 {
        return frames;
    }
    let n = frames.len();
    (0..max).map(|i| frames[i * n / max]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_come_back_as_packed() {
        let frames = vec![
            Frame {
                t_ds: 5,
                hash: u64::MAX,
            },
            Frame { t_ds: 31, hash: 7 },
        ];
        let fp = Fingerprint::new(12.0, frames.clone());
        assert_eq!(fp.frames(), Ok(frames));
    }

    #[test]
    fn many_frames_are_thinned_to_a_few_kb() {
        let frames = (0..2000)
            .map(|i| Frame {
                t_ds: i * 10,
                hash: u64::from(i),
            })
            .collect();
        let fp = Fingerprint::new(2000.0, frames);
        assert!(fp.frames.len() <= 5200, "{}", fp.frames.len());
        assert_eq!(fp.frames().map(|f| f.len()), Ok(MAX_FRAMES));
    }

    #[test]
    fn sound_is_pooled_into_a_few_kb_by_majority() {
        let short = SoundPrint::new(0.5, 0.125, &[1, 2, 3]);
        assert_eq!(short.blocks(), Ok(vec![1, 2, 3]));
        assert_eq!(short.block_s, 0.125);
        // 2000 items: blocks of 4, the bits set in three of four kept.
        let items: Vec<u32> = (0..2000)
            .map(|i| if i % 4 == 3 { 0 } else { 0b101 })
            .collect();
        let long = SoundPrint::new(0.0, 0.125, &items);
        assert_eq!(long.block_s, 0.5);
        let blocks = long.blocks().expect("blocks");
        assert_eq!(blocks.len(), 500);
        assert!(blocks.iter().all(|&b| b == 0b101), "{:?}", &blocks[..4]);
        let hour: Vec<u32> = (0..30_000).collect();
        assert!(SoundPrint::new(0.0, 0.125, &hour).blocks.len() <= 3500);
        let mut bad = long.clone();
        bad.blocks = "AAA".into();
        assert!(bad.blocks().is_err());
        bad.block_s = f64::INFINITY;
        assert!(bad.blocks().unwrap_err().contains("block_s"));
    }

    #[test]
    fn damaged_fingerprints_say_what_is_wrong() {
        let mut fp = Fingerprint::new(1.0, vec![Frame { t_ds: 1, hash: 1 }]);
        fp.frames = "not base64!".into();
        assert!(fp.frames().unwrap_err().contains("base64"));
        fp.frames = "AAAA".into();
        assert!(fp.frames().unwrap_err().contains("whole pictures"));
        fp.version = 99;
        assert!(fp.frames().unwrap_err().contains("version 99"));
        let mut fp = Fingerprint::new(1.0, vec![]);
        fp.duration_s = f64::NAN;
        assert!(fp.frames().is_err());
    }
}

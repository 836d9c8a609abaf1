//! Everything measured about one file. The JSON these structs serialize to is a contract
//! (see DESIGN.md): names here are public, and facts never hold verdicts.
//!
//! A fact whose analyzer did not run is absent (`Option` + `skip_serializing_if`); a fact that
//! does not apply is `null`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Facts {
    pub path: String,
    pub file_name: String,
    pub size_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    #[serde(default)]
    pub video: Vec<VideoStream>,
    #[serde(default)]
    pub audio: Vec<AudioStream>,
    #[serde(default)]
    pub subtitles: Vec<SubtitleStream>,
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    /// Absent unless the credits analyzer ran; `null` inside when it ran but found nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<Credits>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Container {
    pub format: String,
    pub format_long: String,
    pub duration_s: Option<f64>,
    pub bit_rate: Option<u64>,
    pub start_time_s: Option<f64>,
    pub tags: BTreeMap<String, String>,
    /// Whether an MP4/MOV has its `moov` atom before `mdat`; null for other containers.
    pub faststart: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct VideoStream {
    pub index: usize,
    pub codec: String,
    pub profile: Option<String>,
    pub width: u32,
    pub height: u32,
    pub sar: Option<String>,
    pub dar: Option<String>,
    pub fps: Option<f64>,
    pub pix_fmt: Option<String>,
    pub bit_depth: Option<u32>,
    pub interlaced: Option<bool>,
    pub color_space: Option<String>,
    pub color_transfer: Option<String>,
    pub color_primaries: Option<String>,
    pub bit_rate: Option<u64>,
    pub duration_s: Option<f64>,
    pub frames: Option<u64>,
    pub rotation: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AudioStream {
    pub index: usize,
    pub codec: String,
    pub profile: Option<String>,
    pub channels: u32,
    pub channel_layout: Option<String>,
    pub sample_rate: u32,
    pub bit_rate: Option<u64>,
    pub duration_s: Option<f64>,
    pub language: Option<String>,
    pub title: Option<String>,
    pub default: bool,
    /// Absent unless the audio analyzer ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness: Option<Loudness>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silent: Option<bool>,
    /// Stretches of at least the minimum length (2 s by default) in which every channel stays
    /// below the silence threshold (−60 dBFS by default), as FFmpeg's silencedetect finds them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence: Option<Vec<Segment>>,
    /// Seconds from the first sample to the first one above the silence threshold, however short;
    /// the whole decoded length when the track is silent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_head_s: Option<f64>,
    /// Seconds from the last sample above the silence threshold to the end of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_tail_s: Option<f64>,
    /// Seconds of audio the decoder actually produced (which may differ from `duration_s`, the
    /// length the container claims).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decoded_duration_s: Option<f64>,
    /// Where the audio ends relative to the end of the picture (first video track), in seconds:
    /// negative when the sound stops before the picture, positive when it runs on after it.
    /// `null` when the file has no video or the picture's length is unknown.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub end_offset_s: Option<Option<f64>>,
    /// `end_offset_s` counted in frames of the picture (so that a rule can say "2 frames" whatever
    /// the frame rate); `null` when the frame rate or the picture's length is unknown.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub end_offset_frames: Option<Option<f64>>,
    /// Runs of consecutive samples at full scale in one channel: the mark of a clipped mix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clipping: Option<Clipping>,
    /// Whether every channel carries the same signal (a mono mix copied to both sides of a
    /// "stereo" track). `null` for a mono track or a silent one, where the question is empty.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub identical_channels: Option<Option<bool>>,
    /// Packets of this track the decoder rejected; more than 0 means a damaged stream whose
    /// other facts describe only what could be decoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decode_errors: Option<u64>,
}

/// Clipping in one audio track: runs of at least 3 consecutive samples (by default) whose
/// magnitude is at or above 0.999 of full scale.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Clipping {
    /// How many such runs, over all channels.
    pub runs: u64,
    /// How many samples those runs hold, over all channels.
    pub samples: u64,
    /// Where the first run starts, in seconds; `null` when there is none.
    pub first_s: Option<f64>,
}

/// Facts that may be absent (not computed) or `null` (does not apply) are `Option<Option<T>>`;
/// serde alone reads a JSON `null` as the outer `None`, which would turn "does not apply" into
/// "not computed" on a round trip.
mod nullable {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Loudness {
    pub integrated_lufs: Option<f64>,
    pub range_lu: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    pub sample_peak_dbfs: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Segment {
    pub start_s: f64,
    pub end_s: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SubtitleStream {
    pub index: usize,
    pub codec: String,
    pub language: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Chapter {
    pub start_s: f64,
    pub end_s: f64,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Credits {
    pub present: bool,
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
    pub duration_s: Option<f64>,
    /// "end", "start" or "none".
    pub position: String,
    pub confidence: f64,
    pub method: String,
    pub opening: Option<Segment>,
    /// Share of the runtime the credits take (duration_s / film duration).
    #[serde(default)]
    pub share: Option<f64>,
}

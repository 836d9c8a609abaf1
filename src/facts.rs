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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence: Option<Vec<Segment>>,
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

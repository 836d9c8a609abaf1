//! Everything measured about one file. The JSON these structs serialize to is a contract
//! (see docs/facts.md): names here are public, and facts never hold verdicts.
//!
//! A fact whose analyzer did not run is absent (`Option` + `skip_serializing_if`); a fact that
//! does not apply is `null`.

pub mod credits_trace;
pub mod error_code;
pub mod failure;
pub mod fingerprint;
pub mod media_names;
pub mod needs;
pub mod paths;
pub mod progress;
pub mod protocol;
pub mod settings;
pub mod stamp;
pub mod stills;
pub mod units;

pub use needs::{Analyzer, Needs};
pub use settings::{ProbeSettings, RunLimits};
pub use stamp::Stamp;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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
    /// Absent unless the provenance analyzer ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// The film's fingerprint (hashes of pictures sampled over its length), what `similar`
    /// compares; absent unless a picture analyzer (credits, black) ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<fingerprint::Fingerprint>,
    /// What comparing the entry with the rest of its batch found; absent without a
    /// fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar: Option<fingerprint::Similar>,
    /// The analyzers that ran to the end on this file. A fact of one of them that is still
    /// absent could not be measured (the black tail of a stream that cannot be sought), which
    /// is not the same as not asked for (`--quick`): a requirement on it is not met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub analyzers: Vec<Analyzer>,
    pub error: Option<String>,
    /// Set with `error` when the file could not be checked for a reason that is not the
    /// file's (a time or memory limit, a crashed worker, a stopped run): such facts are never
    /// reused, and the report's error code comes from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<failure::Failure>,
}

impl Facts {
    /// Facts that so far know only which file they are about.
    /// The length the credits search spans: the runtime, else the first picture stream's own
    /// length; NaN when neither is known (the search then looks at the head only).
    pub fn credits_span_s(&self) -> f64 {
        self.container
            .as_ref()
            .and_then(|c| c.duration_s)
            .or_else(|| self.video.iter().find_map(|v| v.duration_s))
            .unwrap_or(f64::NAN)
    }

    pub fn for_path(path: &std::path::Path) -> Facts {
        Facts {
            path: path_text(path.as_os_str()),
            file_name: path.file_name().map(path_text).unwrap_or_default(),
            ..Default::default()
        }
    }

    /// The facts of a file that could not be probed, and why.
    pub fn failed(path: &std::path::Path, reason: impl Into<String>) -> Facts {
        Facts {
            error: Some(reason.into()),
            ..Facts::for_path(path)
        }
    }

    /// The facts of a file that could not be probed for a reason that is not the file's.
    pub fn failed_by(path: &std::path::Path, failed: failure::Failed) -> Facts {
        Facts {
            error: Some(failed.reason),
            failure: Some(failed.failure),
            ..Facts::for_path(path)
        }
    }

    /// The error code of a file that could not be probed: the failure's when it is typed,
    /// else read from the reason (`error_code::of`); `None` for a file that was read.
    pub fn error_code(&self) -> Option<&'static str> {
        let reason = self.error.as_deref()?;
        Some(
            self.failure
                .map_or_else(|| error_code::of(reason), failure::Failure::code),
        )
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Container {
    pub format: String,
    pub format_long: String,
    /// The runtime: how long the film plays, from its first picture or sound to the end of the
    /// last (each stream lasting its `duration_s`), measured from the file's packets rather
    /// than the header's claim; null when no packet could be read. Subtitles do not count.
    pub duration_s: Option<f64>,
    /// The duration the header claims, which may be missing or wrong; null when it has none.
    #[serde(default)]
    pub header_duration_s: Option<f64>,
    /// Whether the file is cut short: its header claims more than its picture and sound reach
    /// (by more than a quarter of a second and 2 % of the claim). False when the header claims
    /// no duration; null when no packet could be read.
    #[serde(default)]
    pub truncated: Option<bool>,
    pub bit_rate: Option<u64>,
    pub start_time_s: Option<f64>,
    pub tags: BTreeMap<String, String>,
    /// Whether an MP4/MOV has its `moov` atom before `mdat`; null for other containers.
    pub faststart: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct VideoStream {
    pub index: usize,
    pub codec: String,
    pub profile: Option<String>,
    pub width: u32,
    pub height: u32,
    pub sar: Option<String>,
    pub dar: Option<String>,
    /// The rate a person would name (23.976, 25, 29.97 …), measured from the first frames'
    /// timestamps; null when the stream holds no frame.
    pub fps: Option<f64>,
    /// "constant" or "variable" (frames not evenly spaced, beyond dropped frames and the
    /// rounding of the time base); null when the stream holds too few frames to tell.
    #[serde(default)]
    pub frame_rate_mode: Option<String>,
    /// The slowest and fastest rate between two consecutive frames; both equal `fps` when the
    /// rate is constant.
    #[serde(default)]
    pub fps_min: Option<f64>,
    #[serde(default)]
    pub fps_max: Option<f64>,
    /// "soft" when frames are flagged to repeat fields on display (3:2 pulldown of a film rate
    /// to 29.97); null when no pulldown is signalled.
    #[serde(default)]
    pub pulldown: Option<String>,
    pub pix_fmt: Option<String>,
    /// Bits per sample of the coded picture (bits per raw sample, else the codec profile, else
    /// the pixel format).
    pub bit_depth: Option<u32>,
    /// "sdr", "hdr10", "hdr10plus", "hlg" or "dolby-vision"; null when the stream holds no frame.
    #[serde(default)]
    pub hdr: Option<String>,
    /// The Dolby Vision profile (5, 8, 10 …) from the stream's configuration record.
    #[serde(default)]
    pub dolby_vision_profile: Option<u32>,
    /// The mastering display the grade was made on (SMPTE ST 2086), where the file says.
    #[serde(default)]
    pub mastering_display: Option<MasteringDisplay>,
    /// Maximum content light level, in cd/m² (CTA-861.3 MaxCLL).
    #[serde(default)]
    pub max_cll: Option<u32>,
    /// Maximum frame-average light level, in cd/m² (MaxFALL).
    #[serde(default)]
    pub max_fall: Option<u32>,
    /// Whether the picture is interlaced: the header's field order, or where the header is
    /// silent or the coded frames contradict it, what the video analyzer decoded.
    pub interlaced: Option<bool>,
    /// Why `interlaced` is not simply the header's: it was read from the decoded frames
    /// because the header is silent, or the coded frames contradict the header. Absent
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interlaced_note: Option<String>,
    pub color_space: Option<String>,
    pub color_transfer: Option<String>,
    pub color_primaries: Option<String>,
    pub bit_rate: Option<u64>,
    /// The stream's length: from the header (an MP4's sample tables and edit list), or from its
    /// packets where the header gives none (Matroska, WebM, FLV) or one they contradict (a file
    /// cut short); null for a stream without packets.
    pub duration_s: Option<f64>,
    pub frames: Option<u64>,
    pub rotation: Option<f64>,
    /// Seconds of black picture before the first picture that is not black (as blackdetect
    /// judges a frame). Absent unless the black analyzer ran, and then only on the stream it
    /// measured (the main one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub black_head_s: Option<f64>,
    /// Seconds of black picture after the last picture that is not black.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub black_tail_s: Option<f64>,
    /// The ProRes flavour, from the codec tag (header only): "proxy", "lt", "standard", "hq",
    /// "4444" or "4444xq"; null for other codecs.
    #[serde(default)]
    pub prores_profile: Option<String>,
    // The facts below are absent unless the video analyzer ran (`--with video`), and then
    // only on the stream it decoded (the main one), which it decodes frame by frame once.
    /// Frames the decoder handed over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames_decoded: Option<u64>,
    /// Packets the decoder rejected and frames it had to conceal or flagged as corrupt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decode_errors: Option<u64>,
    /// Frames missing against the timestamps (a gap longer than one frame's length): the same
    /// count as `dropped_frames`, under its first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_frames: Option<u64>,
    /// Frames dropped from the stream's clock: gaps of whole frames between the frames that
    /// are there (a recorder that could not keep up). Not damage: the frames that are there
    /// decode whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped_frames: Option<u64>,
    /// `dropped_frames` as a share of the frames the clock promises (those decoded and those
    /// dropped), 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped_share: Option<f64>,
    /// Whether the picture decodes to its last frame (within two frames or half a second of
    /// the stream's stated length); null when the length is unknown.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub decoded_to_end: Option<Option<bool>>,
    /// Where the picture is damaged: decode errors, concealed or corrupt frames, missing
    /// frames, and the part after the last frame that decodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damaged: Option<Vec<Segment>>,
    /// `damaged` as text a person reads ("0:12.4–0:13.0, 1:02.0–end"); null when there is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub damaged_at: Option<Option<String>>,
    /// The scan the picture shows (not what the header says): "progressive",
    /// "interlaced_tff", "interlaced_bff", "telecined" or "mixed"; null when too few frames
    /// move to tell (a still or nearly still film).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub scan_detected: Option<Option<String>>,
    /// How the frames that move were judged one by one, as shares of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_shares: Option<ScanShares>,
    /// Stretches where the picture stands still (at least 2 s by default), as freezedetect
    /// finds them, with a tolerance for noise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<Vec<Segment>>,
    /// `frozen` as text; null when there is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub frozen_at: Option<Option<String>>,
    /// Stretches of black picture (at least 2 s by default) anywhere in the film, the head and
    /// tail included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub black_spans: Option<Vec<Segment>>,
    /// `black_spans` as text; null when there is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub black_at: Option<Option<String>>,
    /// Flashing beyond ITU-R BT.1702: more than three flashes within one second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_violations: Option<Vec<FlashViolation>>,
    /// `flash_violations` as text; null when there is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub flashing_at: Option<Option<String>>,
    /// The part of the frame that holds picture, as cropdetect measures it over the film;
    /// null when no frame was bright enough to tell.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub active_area: Option<Option<ActiveArea>>,
    /// What the film opens with before the film itself (its first two minutes looked at):
    /// "none", or the leader's parts in order, among "bars", "slate" and "countdown"
    /// ("bars, slate, countdown").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_content: Option<String>,
    /// Where the leader ends (the end of its last part); 0 when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_content_end_s: Option<f64>,
    /// The leader's parts with their times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_parts: Option<Vec<HeadPart>>,
    /// `head_parts` as text ("bars 0:00.00–0:10.00, countdown 0:10.00–0:18.00"); null when
    /// the film opens on the film.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub head_content_at: Option<Option<String>>,
}

/// A line-up tone at the head of an audio track.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct HeadTone {
    pub start_s: f64,
    pub end_s: f64,
    /// The tone's frequency, to the nearest hertz.
    pub frequency_hz: f64,
    /// Its peak level (a sine's amplitude), dBFS.
    pub level_dbfs: f64,
}

/// One part of a leader at the head of the film.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct HeadPart {
    /// "bars", "slate" or "countdown".
    pub kind: String,
    pub start_s: f64,
    pub end_s: f64,
}

/// How the moving frames of a picture stream look, one by one, as shares of them (0 to 1).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ScanShares {
    pub progressive: f64,
    pub interlaced_tff: f64,
    pub interlaced_bff: f64,
    /// Frames made of fields of two pictures whose match is in a neighbouring frame, as 3:2
    /// pulldown makes two in every five.
    pub telecined: f64,
    /// Frames that moved too little to judge, as a share of the frames judged (one in eight).
    pub undetermined: f64,
}

/// One stretch of flashing that breaks the ITU-R BT.1702 limit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct FlashViolation {
    pub start_s: f64,
    pub end_s: f64,
    /// The most flashes counted within any one second of the stretch.
    pub flashes_per_s: u32,
    /// "general" (luminance) or "red" (saturated red).
    pub kind: String,
}

/// The picture inside the frame, in the stream's pixels.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct ActiveArea {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Display aspect ratio of the active area (width/height, with the pixel aspect).
    pub aspect: f64,
    /// "none", "letterbox" (bars above and below), "pillarbox" (left and right) or
    /// "windowbox" (both).
    pub bars: String,
}

/// SMPTE ST 2086 mastering display colour volume: chromaticities as CIE 1931 x, y and
/// luminance in cd/m².
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct MasteringDisplay {
    pub red: [f64; 2],
    pub green: [f64; 2],
    pub blue: [f64; 2],
    pub white_point: [f64; 2],
    pub min_luminance: f64,
    pub max_luminance: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct AudioStream {
    pub index: usize,
    pub codec: String,
    pub profile: Option<String>,
    pub channels: u32,
    pub channel_layout: Option<String>,
    pub sample_rate: u32,
    /// Bits per sample of PCM and lossless codecs (16, 20, 24 …); null for lossy codecs, whose
    /// decoded depth says nothing about the source.
    #[serde(default)]
    pub bit_depth: Option<u32>,
    pub bit_rate: Option<u64>,
    /// The stream's length, found as a picture stream's is.
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
    /// A steady tone near 1 kHz opening the track (line-up tone), after any silence; null
    /// when the track opens otherwise.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub head_tone: Option<Option<HeadTone>>,
    /// `head_tone` as text ("1000 Hz at -18.1 dBFS, 0:00.00–0:10.00"); null when there is none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "nullable::deserialize"
    )]
    pub head_tone_at: Option<Option<String>>,
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Loudness {
    pub integrated_lufs: Option<f64>,
    pub range_lu: Option<f64>,
    pub true_peak_dbtp: Option<f64>,
    pub sample_peak_dbfs: Option<f64>,
    /// The loudness line: momentary loudness (EBU R128's 400 ms window, LUFS), averaged over
    /// each `momentary_step_s` seconds from the start of the track; null where it is silent
    /// (below -70 LUFS). At most 600 values: one a second for films up to 10 minutes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub momentary: Vec<Option<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub momentary_step_s: Option<f64>,
    /// Why the figures above are null although the track was decoded: it decodes far less than
    /// its length (damaged or blanked data), and figures from a fragment would be wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Segment {
    pub start_s: f64,
    pub end_s: f64,
}

/// A subtitle track: a stream inside the file, or a sidecar file beside it (`NAME.srt`,
/// `NAME.LANG.srt`, `NAME.vtt` …).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SubtitleStream {
    /// The stream index; null for a sidecar.
    pub index: Option<usize>,
    pub codec: String,
    pub language: Option<String>,
    pub title: Option<String>,
    /// "embedded" or "sidecar".
    #[serde(default)]
    pub source: String,
    /// The sidecar's path; null for an embedded stream.
    #[serde(default)]
    pub file: Option<String>,
    /// Cue statistics: absent unless the subtitles analyzer ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cues: Option<CueStats>,
}

/// What the cues of one subtitle track say. Fields are null when they cannot be known (a
/// bitmap track has no characters to count) or when the track could not be read (`error`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct CueStats {
    pub count: Option<u64>,
    pub first_start_s: Option<f64>,
    pub last_end_s: Option<f64>,
    /// Cues that end after the film does (more than half a second after).
    pub past_end: Option<u64>,
    pub longest_line_chars: Option<u64>,
    pub max_lines: Option<u64>,
    /// The fastest cue, in characters per second of its display time.
    pub max_chars_per_s: Option<f64>,
    /// Why the track could not be read, e.g. a sidecar that is not valid SRT.
    pub error: Option<String>,
    /// The text encoding the track is in, by its WHATWG name: "UTF-8", "UTF-16LE",
    /// "windows-1252" … Detected from the bytes (a byte order mark, valid UTF-8, else
    /// chardetng's likeliest legacy encoding), never taken from a header. Null for bitmap
    /// tracks.
    #[serde(default)]
    pub encoding: Option<String>,
    /// The cue with the longest line, numbered from 1 in the order of the track, and when it
    /// starts (seconds).
    #[serde(default)]
    pub longest_line_cue: Option<u64>,
    #[serde(default)]
    pub longest_line_start_s: Option<f64>,
    /// The first cue with the most lines, and when it starts.
    #[serde(default)]
    pub max_lines_cue: Option<u64>,
    #[serde(default)]
    pub max_lines_start_s: Option<f64>,
    /// The fastest cue (`max_chars_per_s`), and when it starts.
    #[serde(default)]
    pub fastest_cue: Option<u64>,
    #[serde(default)]
    pub fastest_start_s: Option<f64>,
    /// The first cue that ends after the film does, and when it starts.
    #[serde(default)]
    pub first_past_end_cue: Option<u64>,
    #[serde(default)]
    pub first_past_end_start_s: Option<f64>,
}

/// What the file says about how it was made. Absence of every marker means "unknown", never
/// "made by people": no file can prove that.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Provenance {
    /// "declared-ai", "capture" (a camera-capture declaration and no AI one) or "unknown".
    pub status: String,
    pub ai_declared: bool,
    /// Every marker found, as sentences a person can read.
    pub evidence: Vec<String>,
    /// The sentences that declare AI generation, joined; null when there is none.
    pub ai_evidence: Option<String>,
    /// The sentences that name 3D/CAD software, joined; null when there is none.
    pub cad_evidence: Option<String>,
    /// The sentences that declare camera capture, joined; null when there is none.
    pub capture_evidence: Option<String>,
    /// AI generators named in free text (a comment, a description), as sentences joined; null
    /// when none is. A note for a person to read, not evidence: "not made with Sora" names Sora.
    #[serde(default)]
    pub ai_mentions: Option<String>,
    pub c2pa: C2pa,
    pub xmp: Xmp,
    pub aigc_label: AigcLabel,
    pub software: Vec<SoftwareMark>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct C2pa {
    pub present: bool,
    /// "embedded" or "sidecar" (`NAME.c2pa` beside the film); null when absent.
    pub source: Option<String>,
    /// The manifest's own signature and hashes check out (an untrusted signer still counts as
    /// valid: test and private certificates are not on any trust list). Null when absent.
    pub valid: Option<bool>,
    /// The signer's certificate chains to a root given with `--c2pa-trust` (false without one).
    pub trusted: Option<bool>,
    pub validation_errors: Vec<String>,
    pub claim_generator: Option<String>,
    pub issuer: Option<String>,
    pub signed_by: Option<String>,
    /// Every IPTC digital source type an action declares, in any manifest of the store: the
    /// active manifest's, its ingredients' (to any depth) and any other manifest it holds.
    pub digital_source_types: Vec<String>,
    /// The actions of every manifest read, each saying where it stands (`found_in`).
    pub actions: Vec<C2paAction>,
    /// Why the manifest could not be read at all, or which part of the store was not read.
    pub error: Option<String>,
    /// The validation state as the C2PA specification names it: "trusted" (valid, and the
    /// claim signer's certificate chains to a root given with `--c2pa-trust`), "valid"
    /// (well-formed, its signature and hashes intact, the signer on no trust list given) or
    /// "invalid" (anything else: a hash that does not match, a signing credential that breaks
    /// the certificate profile, a manifest that cannot be read). Null when absent.
    #[serde(default)]
    pub validation_state: Option<String>,
    /// The failure codes of the validation, as the specification (and the c2pa crate) spell
    /// them ("signingCredential.untrusted", "assertion.bmffHash.mismatch"): the active
    /// manifest's, its ingredients' and its identity assertions' alike, each once.
    #[serde(default)]
    pub failure_codes: Vec<String>,
    /// The ingredients of every manifest read, the ingredients' own included.
    #[serde(default)]
    pub ingredients: Vec<C2paIngredient>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct C2paAction {
    pub action: String,
    pub digital_source_type: Option<String>,
    pub software_agent: Option<String>,
    /// The manifest that holds the action: "active manifest", or the ingredient whose manifest
    /// it is ("ingredient 'clip.mp4' (manifest urn:c2pa:…)", nested ingredients joined by
    /// " > "), or "manifest urn:c2pa:… (in the store, reached from no ingredient)".
    #[serde(default)]
    pub found_in: Option<String>,
}

/// An ingredient a manifest lists: a file the film was made from (a clip, a still, an audio
/// track), with the ingredient's own manifest when it carried one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct C2paIngredient {
    /// Its title as the manifest records it, usually its file name.
    pub title: Option<String>,
    /// "parentOf", "componentOf" or "inputTo".
    pub relationship: Option<String>,
    /// The label of its own manifest in the store; null when it carried none.
    pub manifest: Option<String>,
    /// Its own manifest's claim generator; null when it carried none.
    pub claim_generator: Option<String>,
    /// The manifest that lists it, as `actions[].found_in` names manifests.
    pub found_in: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Xmp {
    pub present: bool,
    /// The first IPTC digital source type of `digital_source_types`.
    pub digital_source_type: Option<String>,
    /// The first of `creator_tools`.
    pub creator_tool: Option<String>,
    pub software_agents: Vec<String>,
    /// XMP packets found in the file (at most 16 are read).
    #[serde(default)]
    pub packets: u64,
    /// Every IPTC digital source type of every packet, each once, in the order found.
    #[serde(default)]
    pub digital_source_types: Vec<String>,
    /// Every XMP `CreatorTool` of every packet, each once.
    #[serde(default)]
    pub creator_tools: Vec<String>,
    /// Why a packet found was not read (not well-formed XML, a DTD, too large).
    #[serde(default)]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct AigcLabel {
    pub present: bool,
    /// Where it was found, e.g. "container tag AIGC".
    pub found_in: Option<String>,
    /// The label's fields (GB 45438-2025: Label, ContentProducer, ProduceID …), as text.
    pub fields: BTreeMap<String, String>,
}

/// A known program named in the metadata, from the software list (`rules/software.toml`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct SoftwareMark {
    pub name: String,
    /// "ai_generator", "3d_cad", "editor" or "encoder".
    pub kind: String,
    /// Where it was found and what it said, e.g. `container tag encoder = "Blender 4.1"`.
    pub found_in: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Chapter {
    pub start_s: f64,
    pub end_s: f64,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
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
    /// A scene after the end credits (picture for more than a moment), when there is one.
    #[serde(default)]
    pub post_credits: Option<Segment>,
    /// What made the end credits credits, when they were found: `"words"` (words of credits
    /// were read in them), `"signature"` (nothing read says credits, but they sign the film:
    /// a logo, a web address or a handle), `"card"` (nothing read says credits and nothing
    /// signs them, but they are set out as an end card) or `"chapter"` (a chapter the file
    /// names as credits). The first is the surest and the card the least sure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// A path as text, without losing what makes it this path, and never two paths as one text.
/// On Unix, where a name may be any bytes: a backslash is written `\\`, and each byte that is
/// not part of valid UTF-8 `\xHH`, so the byte 0xFE (`\xfe`) and the four characters `\xfe`
/// (`\\xfe`) stay apart, and `\xfe\xff.mp4` and `\xfe\xfe.mp4` stay two names where a lossy
/// conversion would show both as `��.mp4`. On Windows, where the backslash separates folders
/// and names are Unicode, a name is itself (one that is not valid Unicode is shown lossily).
pub fn path_text(path: &std::ffi::OsStr) -> String {
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
    #[cfg(unix)]
    {
        let bytes = paths::path_bytes(std::path::Path::new(path));
        let mut out = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '\\' {
                    out.push_str("\\\\");
                } else {
                    out.push(c);
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod path_tests {
    use super::path_text;
    use std::ffi::OsStr;

    #[test]
    fn names_keep_their_bytes() {
        assert_eq!(path_text(OsStr::new("night.mp4")), "night.mp4");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let a = path_text(OsStr::from_bytes(b"\xfe\xff.mp4"));
            let b = path_text(OsStr::from_bytes(b"\xfe\xfe.mp4"));
            assert_eq!(a, "\\xfe\\xff.mp4");
            assert_ne!(a, b);
            assert_eq!(
                path_text(OsStr::from_bytes(b"Caf\xe9 \xc3\xa9.mp4")),
                "Caf\\xe9 \u{e9}.mp4"
            );
            // The byte and the four characters that would spell it are two texts.
            assert_eq!(path_text(OsStr::new("\\xfe.mp4")), "\\\\xfe.mp4");
            assert_ne!(
                path_text(OsStr::new("\\xfe.mp4")),
                path_text(OsStr::from_bytes(b"\xfe.mp4"))
            );
        }
    }
}

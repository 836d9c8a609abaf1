//! Thresholds of the audio analyzer.

use serde::{Deserialize, Serialize};

/// Thresholds of the audio analyzer; the defaults follow FFmpeg's silencedetect and common QC
/// practice, so its facts can be checked by hand with the ffmpeg CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioOptions {
    /// A sample frame is silent when every channel is below this level (dBFS).
    pub silence_threshold_db: f64,
    /// Silence shorter than this (seconds) is not listed in `silence[]`.
    pub min_silence_s: f64,
    /// A sample at or above this magnitude (fraction of full scale) counts towards clipping.
    pub clip_level: f64,
    /// How many such samples in a row make one clipping run.
    pub clip_run: u64,
    /// Channels are identical when the energy of their difference is at least this far (dB)
    /// below the energy of the signal: far enough to rule out any real stereo mix, near enough
    /// to forgive a lossy codec (AAC leaves dual mono about 80 dB apart).
    pub identical_below_db: f64,
}

impl Default for AudioOptions {
    fn default() -> Self {
        AudioOptions {
            silence_threshold_db: -60.0,
            min_silence_s: 2.0,
            clip_level: 0.999,
            clip_run: 3,
            identical_below_db: -60.0,
        }
    }
}

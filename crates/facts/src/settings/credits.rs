//! The credits analyzer's tuning: where it looks, how densely, and what it takes for end
//! credits. Part of the probe settings, so the reuse key holds it: facts measured with other
//! tuning are never reused.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditsSettings {
    /// Films shorter than this (seconds) are not looked at. Clips of a second or two are
    /// analysed: a lone end card ("The end", a logo) is often cut that short.
    pub min_film_s: f64,
    /// Share of the film searched for end credits before the search is widened.
    pub tail_share: f64,
    /// Share of the film, and at most how many seconds, searched for opening credits.
    pub head_share: f64,
    pub head_max_s: f64,
    /// Spacing of the fine pass around a boundary: well inside the ±0.5 s people notice.
    pub fine_step_s: f64,
    /// The last seconds of every film are decoded in sequence, this often: an end card can be
    /// a second long, and long GOPs leave it without a keyframe of its own.
    pub end_scan_s: f64,
    pub end_scan_step_s: f64,
    /// How far apart two samples must be, and may be, for lettering that stays put while the
    /// picture moves to show.
    pub overlay_min_gap_s: f64,
    pub overlay_max_gap_s: f64,
    /// The score from which lettering over a moving picture counts as text.
    pub overlay_text_min: f64,
    /// Text samples in a run from which it is certain enough to skip a closer look.
    pub sure_texts: usize,
    /// Text runs are joined across black of up to this long, and across picture of up to
    /// `bridge_picture_s` that holds no shot longer than `shot_s`.
    pub bridge_black_s: f64,
    pub bridge_picture_s: f64,
    pub shot_s: f64,
    /// Text followed by a scene of its own counts as end credits only when it lasts this long;
    /// an end card with nothing after it, from `min_end_card_s`.
    pub min_end_before_scene_s: f64,
    pub min_end_card_s: f64,
    /// Picture after the text longer than this is a scene of its own.
    pub trailing_picture_s: f64,
}

impl Default for CreditsSettings {
    fn default() -> Self {
        CreditsSettings::DEFAULT
    }
}

impl CreditsSettings {
    /// The tuning the analyzer's accuracy is measured with (`make accuracy`).
    pub const DEFAULT: CreditsSettings = CreditsSettings {
        min_film_s: 0.5,
        tail_share: 0.4,
        head_share: 0.15,
        head_max_s: 180.0,
        fine_step_s: 0.2,
        end_scan_s: 6.0,
        end_scan_step_s: 0.25,
        overlay_min_gap_s: 0.5,
        overlay_max_gap_s: 3.0,
        overlay_text_min: 0.4,
        sure_texts: 3,
        bridge_black_s: 8.0,
        bridge_picture_s: 4.0,
        shot_s: 1.5,
        min_end_before_scene_s: 8.0,
        min_end_card_s: 0.8,
        trailing_picture_s: 2.0,
    };
}

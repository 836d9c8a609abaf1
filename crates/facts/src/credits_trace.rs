//! What the credits analysis looked at, for `reelcheck credits --explain`: every picture it
//! sampled and what it made of it. Measured in a worker like the facts, and shown by the
//! report, so it travels as plain data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditsTrace {
    /// Pictures decoded in all, those sampled included.
    pub decoded: u64,
    pub samples: Vec<TraceSample>,
    /// Pictures the text detector looked at, and the seconds it spent on them.
    #[serde(default)]
    pub detector_pictures: usize,
    #[serde(default)]
    pub detector_s: f64,
    /// Lines the text reader read, and the seconds it took.
    #[serde(default)]
    pub reader_lines: usize,
    #[serde(default)]
    pub reader_s: f64,
    /// What the detector found in keyframes through the middle of the film (running text:
    /// subtitles, a HUD, a screen recording), when it looked there.
    #[serde(default)]
    pub middle: Vec<TextBoxes>,
}

/// What the text detector found in one picture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextBoxes {
    /// Where in the film, in seconds (for the middle probes; a sample's own time otherwise).
    #[serde(default)]
    pub t: f64,
    /// Share of the picture the boxes cover, 0 to 1.
    pub area: f64,
    /// Lines of text: boxes grouped by row.
    pub lines: usize,
    /// Each box as [left, top, right, bottom] in shares of the picture's width and height.
    pub boxes: Vec<[f64; 4]>,
    /// The lines the text reader read in the largest boxes, when it read this picture: what
    /// it read, and its confidence from 0 to 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<ReadLine>,
}

/// One line the text reader read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadLine {
    pub text: String,
    pub score: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceSample {
    /// Where in the film, in seconds.
    pub t: f64,
    /// "text", "black" or "picture".
    pub kind: String,
    /// The text score, 0 to 1.
    pub score: f64,
    /// Share of the picture's rows in lines of text, 0 to 1.
    pub rows: f64,
    /// Lines of text.
    pub lines: usize,
    /// "light on dark", "dark on light", or null when unclear.
    pub polarity: Option<String>,
    /// Text seen only as lines that stay put while the picture under them moves.
    pub overlay: bool,
    /// Text seen only as faint lines climbing with their neighbours.
    pub scroll: bool,
    /// How fast the rows moved since the sample before, in shares of the picture's height per
    /// second, up positive; null when there is nothing to compare.
    pub rows_move_per_s: Option<f64>,
    /// What the text detector found, when it looked at this picture.
    #[serde(default)]
    pub detector: Option<TextBoxes>,
    /// Why text the cheap measures saw was set aside as not credits ("no text boxes",
    /// "running text", "reads as sentences", ...).
    #[serde(default)]
    pub set_aside: Option<String>,
}

//! What the credits analysis looked at, for `reelcheck credits --explain`: every picture it
//! sampled and what it made of it. Measured in a worker like the facts, and shown by the
//! report, so it travels as plain data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditsTrace {
    /// Pictures decoded in all, those sampled included.
    pub decoded: u64,
    pub samples: Vec<TraceSample>,
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
}

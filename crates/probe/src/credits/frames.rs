//! PNG thumbnails of the detected credits, so a person can confirm them at a glance. The
//! pictures come from the frame grabber (`probe::frames`); this picks the moments and names
//! the files.

use crate::frames::{Encoding, Grab, Still};
use anyhow::{Context as _, Result};
use reelcheck_facts::Credits;
use std::path::{Path, PathBuf};

const THUMB_WIDTH: u32 = 640;
/// Pictures between the start and the end, besides those two.
const BETWEEN: usize = 3;

/// The pictures to show: the start, a few pictures between, and the end of the credits, then
/// the opening credits if any. No moment at all when no credits were found.
pub fn frame_grab(credits: &Credits) -> Grab {
    let mut times = Vec::new();
    if let (Some(a), Some(b)) = (credits.start_s, credits.end_s) {
        times.extend(spread(a, b));
    }
    if let Some(o) = &credits.opening {
        if Some(o.start_s) != credits.start_s {
            times.extend(spread(o.start_s, o.end_s));
        }
    }
    Grab {
        times,
        encoding: Encoding::Png,
        max_width: THUMB_WIDTH,
        boxes: Vec::new(),
    }
}

/// The pictures the text detector looked at (from `credits --explain`), with its boxes to
/// outline on them.
pub fn detector_grab(trace: &reelcheck_facts::credits_trace::CreditsTrace) -> Grab {
    let looked: Vec<_> = trace
        .samples
        .iter()
        .filter_map(|s| s.detector.as_ref().map(|d| (s.t, d.boxes.clone())))
        .collect();
    Grab {
        times: looked.iter().map(|(t, _)| *t).collect(),
        encoding: Encoding::Png,
        max_width: THUMB_WIDTH,
        boxes: looked.into_iter().map(|(_, b)| b).collect(),
    }
}

/// Writes the pictures grabbed for `frame_grab` as `credits-<n>-<seconds>s.png` files into
/// `dir`, which exists.
pub fn write_frames(dir: &Path, stills: Vec<Option<Still>>) -> Result<Vec<PathBuf>> {
    write_named(dir, "credits", stills)
}

/// Writes the pictures grabbed for `detector_grab` as `detector-<n>-<seconds>s.png`.
pub fn write_detector_frames(dir: &Path, stills: Vec<Option<Still>>) -> Result<Vec<PathBuf>> {
    write_named(dir, "detector", stills)
}

fn write_named(dir: &Path, stem: &str, stills: Vec<Option<Still>>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (n, still) in stills.into_iter().enumerate() {
        let Some(still) = still else {
            continue;
        };
        let file = dir.join(format!("{stem}-{:02}-{:.1}s.png", n + 1, still.at_s));
        std::fs::write(&file, &still.bytes)
            .with_context(|| format!("cannot write {}", file.display()))?;
        written.push(file);
    }
    Ok(written)
}

/// The start, `BETWEEN` evenly spaced pictures, and a moment before the end (the end itself
/// is the first picture after the credits).
fn spread(a: f64, b: f64) -> Vec<f64> {
    let last = (b - 0.3).max(a);
    let mut v = vec![a];
    for i in 1..=BETWEEN {
        v.push(a + (last - a) * i as f64 / (BETWEEN + 1) as f64);
    }
    v.push(last);
    v
}

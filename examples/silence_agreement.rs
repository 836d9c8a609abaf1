//! Prints how reelcheck's silence detection agrees with the known silences of generated tracks,
//! and with FFmpeg's own `silencedetect` on the same files:
//!
//!     cargo run --release --example silence_agreement
//!
//! Each track is a tone (or noise) with gaps of known place and length: gaps long enough to
//! count, gaps just too short, silence at the head and tail, a noise floor under and over the
//! threshold, one channel of two left silent (not silence: the other still sounds), a whole
//! silent track, in PCM, AAC and Opus. Both sides use FFmpeg's defaults: −60 dB for 2 s.
//! A silence is found when both its ends are within the tolerance (10 ms for PCM, where the
//! edges are exact; 50 ms for lossy codecs, whose filters smear an edge). Exits 1 on any miss
//! or spurious silence.

use rayon::prelude::*;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use std::path::{Path, PathBuf};

#[path = "../fixtures/media.rs"]
mod media;
#[path = "shared/mod.rs"]
mod shared;

struct Case {
    name: &'static str,
    seconds: f64,
    /// Silent spans written into the track.
    gaps: &'static [(f64, f64)],
    /// What the track sounds like outside its gaps (an aevalsrc expression in t).
    sound: &'static str,
    /// Level inside the gaps (0 for digital silence).
    floor: f64,
    channels: usize,
    /// Channels that sound (the rest stay silent throughout).
    sounding: usize,
    codec: &'static str,
    /// The silences a correct detector reports, in seconds.
    truth: &'static [(f64, f64)],
}

const TONE: &str = "0.3*sin(2*PI*440*t)";
const NOISE: &str = "0.2*(random(0)-0.5)";

const CASES: &[Case] = &[
    Case {
        name: "gaps-pcm",
        seconds: 30.0,
        gaps: &[(5.0, 8.0), (12.0, 13.5), (20.0, 24.5)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        // 1.5 s is under the 2 s minimum.
        truth: &[(5.0, 8.0), (20.0, 24.5)],
    },
    Case {
        name: "just-over-and-under-2s",
        seconds: 20.0,
        gaps: &[(3.0, 5.05), (9.0, 10.95)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        truth: &[(3.0, 5.05)],
    },
    Case {
        name: "head-and-tail",
        seconds: 20.0,
        gaps: &[(0.0, 3.0), (16.0, 20.0)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        truth: &[(0.0, 3.0), (16.0, 20.0)],
    },
    Case {
        name: "floor-under-threshold",
        seconds: 20.0,
        gaps: &[(6.0, 10.0)],
        sound: NOISE,
        // −66 dBFS: hiss under −60 dB is silence.
        floor: 0.0005,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        truth: &[(6.0, 10.0)],
    },
    Case {
        name: "floor-over-threshold",
        seconds: 20.0,
        gaps: &[(6.0, 10.0)],
        sound: NOISE,
        // −50 dBFS: quiet, but not silence.
        floor: 0.0032,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        truth: &[],
    },
    Case {
        name: "one-channel-silent",
        seconds: 20.0,
        gaps: &[],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 1,
        codec: "pcm",
        truth: &[],
    },
    Case {
        name: "whole-track-silent",
        seconds: 15.0,
        gaps: &[(0.0, 15.0)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "pcm",
        truth: &[(0.0, 15.0)],
    },
    Case {
        name: "gaps-5.1-pcm",
        seconds: 30.0,
        gaps: &[(4.0, 7.0), (18.0, 21.5)],
        sound: TONE,
        floor: 0.0,
        channels: 6,
        sounding: 6,
        codec: "pcm",
        truth: &[(4.0, 7.0), (18.0, 21.5)],
    },
    Case {
        name: "gaps-aac",
        seconds: 30.0,
        gaps: &[(5.0, 8.0), (12.0, 13.5), (20.0, 24.5)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "aac",
        truth: &[(5.0, 8.0), (20.0, 24.5)],
    },
    Case {
        name: "gaps-opus",
        seconds: 30.0,
        gaps: &[(5.0, 8.0), (12.0, 13.5), (20.0, 24.5)],
        sound: TONE,
        floor: 0.0,
        channels: 2,
        sounding: 2,
        codec: "opus",
        truth: &[(5.0, 8.0), (20.0, 24.5)],
    },
];

impl Case {
    fn tolerance(&self) -> f64 {
        if self.codec == "pcm" {
            0.01
        } else {
            0.05
        }
    }

    fn make(&self, dir: &Path) -> Result<PathBuf, String> {
        let (ext, codec_args): (&str, &[&str]) = match self.codec {
            "pcm" => ("wav", &["-c:a", "pcm_s16le"]),
            "aac" => ("m4a", &["-c:a", "aac", "-b:a", "192k"]),
            _ => ("mka", &["-c:a", "libopus", "-b:a", "160k"]),
        };
        let out = dir.join(format!("silence-{}.{ext}", self.name));
        // Half-open spans, so that each level change falls on an exact sample.
        let in_gap = if self.gaps.is_empty() {
            "0".to_string()
        } else {
            self.gaps
                .iter()
                .map(|(a, b)| format!("gte(t,{a})*lt(t,{b})"))
                .collect::<Vec<_>>()
                .join("+")
        };
        let floor = if self.floor > 0.0 {
            format!("{}*(random(1)-0.5)*2", self.floor)
        } else {
            "0".into()
        };
        let sounding = format!("if({in_gap},{floor},{})", self.sound);
        let exprs: Vec<String> = (0..self.channels)
            .map(|c| {
                if c < self.sounding {
                    sounding.clone()
                } else {
                    "0".into()
                }
            })
            .collect();
        let layout = match self.channels {
            1 => "mono",
            2 => "stereo",
            _ => "5.1",
        };
        let src = format!(
            "aevalsrc=exprs={}:s=48000:d={}:c={layout}",
            exprs.join("|").replace(',', "\\,"),
            self.seconds
        );
        let mut args = vec!["-f", "lavfi", "-i", &src];
        args.extend_from_slice(codec_args);
        shared::make(&out, &args)
    }
}

/// The silences FFmpeg's `silencedetect` prints (a silence still open at the end closes there).
fn ffmpeg_silences(file: &Path, seconds: f64) -> Result<Vec<(f64, f64)>, String> {
    let text = shared::filter_log(file, "0:a:0", "-af", "silencedetect=n=-60dB:d=2")?;
    let after = |line: &str, key: &str| -> Option<f64> {
        let rest = line.split(key).nth(1)?;
        rest.split_whitespace().next()?.parse().ok()
    };
    let mut found = Vec::new();
    let mut open: Option<f64> = None;
    for line in text.lines() {
        if let Some(s) = after(line, "silence_start: ") {
            open = Some(s.max(0.0));
        }
        if let Some(e) = after(line, "silence_end: ") {
            if let Some(s) = open.take() {
                found.push((s, e));
            }
        }
    }
    if let Some(s) = open {
        found.push((s, seconds));
    }
    Ok(found)
}

/// (truth silences found, spurious silences reported).
fn score(truth: &[(f64, f64)], got: &[(f64, f64)], tol: f64) -> (usize, usize) {
    let near =
        |a: &(f64, f64), b: &(f64, f64)| (a.0 - b.0).abs() <= tol && (a.1 - b.1).abs() <= tol;
    let found = truth
        .iter()
        .filter(|t| got.iter().any(|g| near(t, g)))
        .count();
    let spurious = got
        .iter()
        .filter(|g| !truth.iter().any(|t| near(t, g)))
        .count();
    (found, spurious)
}

fn show(spans: &[(f64, f64)]) -> String {
    if spans.is_empty() {
        return "none".into();
    }
    spans
        .iter()
        .map(|(a, b)| format!("{a:.3}–{b:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let dir = shared::media_dir();
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Audio);
    type Row = (
        &'static Case,
        Vec<(f64, f64)>,
        Vec<(f64, f64)>,
        Option<bool>,
    );
    let rows: Vec<Result<Row, String>> = CASES
        .par_iter()
        .map(|case| {
            let file = case.make(&dir)?;
            let theirs = ffmpeg_silences(&file, case.seconds)?;
            let facts = probe(&file, &ProbeSettings::new(needs.clone()));
            if let Some(e) = facts.error {
                return Err(format!("{}: {e}", case.name));
            }
            let track = facts
                .audio
                .first()
                .ok_or(format!("{}: no audio track", case.name))?;
            let ours = track
                .silence
                .as_ref()
                .ok_or(format!("{}: no silence measured", case.name))?
                .iter()
                .map(|s| (s.start_s, s.end_s))
                .collect();
            Ok((case, ours, theirs, track.silent))
        })
        .collect();

    let (mut truth_total, mut ours_found, mut ours_spurious) = (0, 0, 0);
    let (mut theirs_found, mut theirs_spurious, mut failed) = (0, 0, 0);
    println!(
        "{:<24} {:<28} {:<28} {:<28} ok",
        "case", "truth", "reelcheck", "ffmpeg silencedetect"
    );
    for row in &rows {
        match row {
            Ok((case, ours, theirs, silent)) => {
                let tol = case.tolerance();
                let (of, os) = score(case.truth, ours, tol);
                let (tf, ts) = score(case.truth, theirs, tol);
                let whole = case.truth.first() == Some(&(0.0, case.seconds));
                let silent_ok = *silent == Some(whole);
                let ok = of == case.truth.len() && os == 0 && silent_ok;
                truth_total += case.truth.len();
                ours_found += of;
                ours_spurious += os;
                theirs_found += tf;
                theirs_spurious += ts;
                failed += usize::from(!ok);
                println!(
                    "{:<24} {:<28} {:<28} {:<28} {}",
                    case.name,
                    show(case.truth),
                    show(ours),
                    show(theirs),
                    if ok { "yes" } else { "NO" }
                );
            }
            Err(e) => {
                failed += 1;
                println!("{e}");
            }
        }
    }
    println!(
        "{} tracks, {truth_total} known silences: reelcheck found {ours_found} with {ours_spurious} spurious; \
         silencedetect found {theirs_found} with {theirs_spurious} spurious (ends within 10 ms PCM, 50 ms lossy)",
        rows.len()
    );
    if failed > 0 {
        println!("{failed} tracks disagree with the truth");
        std::process::exit(1);
    }
}

//! Prints how reelcheck's loudness agrees with FFmpeg's own meter on generated mixes
//! (mono, stereo, 5.1 and more; 44.1, 48 and 96 kHz; PCM, AAC and Opus):
//!
//!     cargo run --release --example audio_agreement
//!
//! Each mix is pink noise per channel (a different level on each) under a slow level swing, so
//! that gating, channel weighting and the loudness range all matter. FFmpeg's reference is
//! `ffmpeg -i F -map 0:a:0 -af ebur128=peak=true -f null -`, whose summary prints one decimal.
//! Exits 1 if any row is outside 0.1 LU (integrated, range) or 0.2 dB (true peak).

use rayon::prelude::*;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use std::path::{Path, PathBuf};

#[path = "../fixtures/media.rs"]
mod media;
#[path = "shared/mod.rs"]
mod shared;

const SECONDS: u32 = 20;
const TOL_LU: f64 = 0.1;
const TOL_DB: f64 = 0.2;

struct Case {
    layout: &'static str,
    channels: usize,
    rate: u32,
    codec: &'static str,
}

impl Case {
    fn name(&self) -> String {
        format!(
            "{}-{}-{}",
            self.layout.replace(['.', '(', ')'], ""),
            self.rate,
            self.codec
        )
    }

    fn make(&self, dir: &Path) -> Result<PathBuf, String> {
        let (ext, codec_args): (&str, &[&str]) = match self.codec {
            "pcm" => ("wav", &["-c:a", "pcm_s24le"]),
            "aac" => ("m4a", &["-c:a", "aac", "-b:a", "256k"]),
            _ => ("mka", &["-c:a", "libopus", "-b:a", "256k"]),
        };
        let out = dir.join(format!("{}.{ext}", self.name()));
        let mut graph = String::new();
        for c in 0..self.channels {
            // Channel levels from 0.25 down, so weighting mistakes show.
            let amp = 0.25 / (1.0 + c as f64 * 0.4);
            graph += &format!(
                "anoisesrc=color=pink:sample_rate={}:amplitude={amp:.3}:seed={}:duration={SECONDS}[c{c}];",
                self.rate,
                c + 1
            );
        }
        let inputs: String = (0..self.channels).map(|c| format!("[c{c}]")).collect();
        if self.channels == 1 {
            graph += "[c0]anull";
        } else {
            graph += &format!(
                "{inputs}join=inputs={}:channel_layout={}",
                self.channels, self.layout
            );
        }
        // A slow swing in level gives the loudness range something to measure.
        graph += ",volume='0.6+0.4*sin(2*PI*t/6)':eval=frame";
        if self.codec == "opus" {
            // libopus takes 5.1 only with back surrounds (Vorbis order).
            graph += ",aformat=channel_layouts=5.1|stereo|mono";
        }
        graph += "[out]";
        let mut args = vec!["-filter_complex", &graph, "-map", "[out]"];
        args.extend_from_slice(codec_args);
        shared::make(&out, &args)
    }
}

/// Integrated, range and true peak from the summary FFmpeg's ebur128 filter prints at the end,
/// and whether the layout had to be named for it.
///
/// FFmpeg 5.1's CLI cannot feed ebur128 a stream whose layout it only guessed (5.1 AAC in MP4
/// says "Unknown channel layouts not supported" and prints an empty summary); such a file is
/// measured again with the layout named by `aformat`, and the row is marked.
fn ffmpeg_reference(file: &Path, layout: &str) -> Result<(f64, f64, f64, bool), String> {
    let run = |filter: &str| shared::filter_log(file, "0:a:0", "-af", filter);
    let mut text = run("ebur128=peak=true")?;
    let named = text.contains("Unknown channel layouts not supported");
    if named {
        text = run(&format!(
            "aformat=channel_layouts={layout},ebur128=peak=true"
        ))?;
    }
    let summary = text
        .rsplit_once("Summary:")
        .map(|(_, s)| s)
        .ok_or("no ebur128 summary in ffmpeg's output")?;
    let value = |label: &str| -> Result<f64, String> {
        summary
            .lines()
            .filter_map(|l| l.trim().strip_prefix(label))
            .next_back()
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .ok_or(format!("no '{label}' in the ebur128 summary"))
    };
    Ok((value("I:")?, value("LRA:")?, value("Peak:")?, named))
}

fn main() {
    let dir = shared::media_dir();
    let mut cases = Vec::new();
    for (layout, channels) in [("mono", 1), ("stereo", 2), ("5.1(side)", 6)] {
        for rate in [44_100, 48_000, 96_000] {
            for codec in ["pcm", "aac", "opus"] {
                cases.push(Case {
                    layout,
                    channels,
                    rate,
                    codec,
                });
            }
        }
    }
    // Layouts with back and side channels weighted 1.41, and more channels than 5.1.
    cases.push(Case {
        layout: "quad",
        channels: 4,
        rate: 48_000,
        codec: "pcm",
    });
    cases.push(Case {
        layout: "7.1",
        channels: 8,
        rate: 48_000,
        codec: "pcm",
    });
    cases.push(Case {
        layout: "7.1",
        channels: 8,
        rate: 48_000,
        codec: "aac",
    });
    cases.push(Case {
        layout: "hexadecagonal",
        channels: 16,
        rate: 48_000,
        codec: "pcm",
    });

    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Audio);
    let rows: Vec<Result<(String, [f64; 6]), String>> = cases
        .par_iter()
        .map(|case| {
            let file = case.make(&dir)?;
            let (fi, flra, ftp, named) = ffmpeg_reference(&file, case.layout)?;
            let facts = probe(&file, &ProbeSettings::new(needs.clone()));
            if let Some(e) = facts.error {
                return Err(format!("{}: {e}", case.name()));
            }
            let l = facts
                .audio
                .first()
                .and_then(|a| a.loudness.clone())
                .ok_or(format!("{}: no loudness measured", case.name()))?;
            let ours = |v: Option<f64>| v.unwrap_or(f64::NAN);
            Ok((
                format!("{}{}", case.name(), if named { " *" } else { "" }),
                [
                    fi,
                    ours(l.integrated_lufs),
                    flra,
                    ours(l.range_lu),
                    ftp,
                    ours(l.true_peak_dbtp),
                ],
            ))
        })
        .collect();

    println!(
        "{:<28} {:>8} {:>8} {:>6} | {:>6} {:>6} {:>6} | {:>7} {:>7} {:>6} | ok",
        "case", "ffmpeg I", "ours I", "dI", "f LRA", "o LRA", "dLRA", "f TP", "o TP", "dTP"
    );
    let (mut worst_i, mut worst_lra, mut worst_tp, mut failed) = (0.0f64, 0.0f64, 0.0f64, 0);
    for row in &rows {
        match row {
            Ok((name, [fi, oi, fl, ol, ft, ot])) => {
                let (di, dl, dt) = (oi - fi, ol - fl, ot - ft);
                // NaN differences fail too, by comparing the other way round.
                let ok = di.abs() <= TOL_LU + 1e-9
                    && dl.abs() <= TOL_LU + 1e-9
                    && dt.abs() <= TOL_DB + 1e-9;
                worst_i = worst_i.max(di.abs());
                worst_lra = worst_lra.max(dl.abs());
                worst_tp = worst_tp.max(dt.abs());
                failed += usize::from(!ok);
                println!(
                    "{name:<28} {fi:>8.1} {oi:>8.2} {di:>+6.2} | {fl:>6.1} {ol:>6.2} {dl:>+6.2} | {ft:>7.1} {ot:>7.2} {dt:>+6.2} | {}",
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
        "{} cases, {} outside tolerance (0.1 LU, 0.2 dB); largest |d|: I {worst_i:.2} LU, LRA {worst_lra:.2} LU, TP {worst_tp:.2} dB",
        rows.len(),
        failed
    );
    println!("* FFmpeg's CLI needed aformat=channel_layouts=... to measure this file at all");
    if failed > 0 {
        std::process::exit(1);
    }
}

//! Prints how well reelcheck measures black at the head and tail of generated films whose
//! black padding is known, with FFmpeg's blackdetect on the same films for comparison:
//!
//!     cargo run --release --example black_accuracy
//!
//! The set mixes padding lengths (none, under and over the 2 s that festivals allow, and a
//! tail longer than the first windows searched), codecs and containers (H.264 in MP4 with a
//! 10 s GOP, HEVC in MKV, VP9 in WebM, ProRes in MOV), frame rates, a sound track longer than
//! the picture, and the traps blackdetect falls into: a title card and a star field on black
//! are picture, not padding. A length is right within one frame. Exits 1 on any miss.

use rayon::prelude::*;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use std::path::{Path, PathBuf};

#[path = "../fixtures/media.rs"]
mod media;
#[path = "shared/mod.rs"]
mod shared;

const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct Case {
    name: &'static str,
    /// Segments in order: ("black" | "picture" | "title" | "stars", seconds).
    parts: &'static [(&'static str, f64)],
    fps: u32,
    codec: &'static str,
    /// Seconds of sound beyond the picture.
    audio_over_s: f64,
    /// (head, tail) black padding.
    truth: (f64, f64),
}

const fn case(
    name: &'static str,
    parts: &'static [(&'static str, f64)],
    truth: (f64, f64),
) -> Case {
    Case {
        name,
        parts,
        fps: 25,
        codec: "h264",
        audio_over_s: 0.0,
        truth,
    }
}

const CASES: &[Case] = &[
    case("no-padding", &[("picture", 20.0)], (0.0, 0.0)),
    case(
        "short-padding",
        &[("black", 1.0), ("picture", 20.0), ("black", 1.5)],
        (1.0, 1.5),
    ),
    case(
        "long-head",
        &[("black", 5.0), ("picture", 20.0)],
        (5.0, 0.0),
    ),
    case(
        "long-tail",
        &[("picture", 20.0), ("black", 8.0)],
        (0.0, 8.0),
    ),
    case(
        "very-long-tail",
        &[("picture", 15.0), ("black", 40.0)],
        (0.0, 40.0),
    ),
    case(
        "title-card-on-black",
        &[("title", 4.0), ("picture", 20.0), ("title", 3.0)],
        (0.0, 0.0),
    ),
    case(
        "black-then-title",
        &[
            ("black", 2.5),
            ("title", 4.0),
            ("picture", 15.0),
            ("black", 3.0),
        ],
        (2.5, 3.0),
    ),
    case(
        "star-field-ending",
        &[("picture", 15.0), ("stars", 6.0)],
        (0.0, 0.0),
    ),
    Case {
        codec: "h264-long-gop",
        ..case(
            "long-gop",
            &[("black", 3.0), ("picture", 30.0), ("black", 3.0)],
            (3.0, 3.0),
        )
    },
    Case {
        codec: "hevc",
        fps: 24,
        ..case(
            "hevc-mkv",
            &[("black", 2.0), ("picture", 20.0), ("black", 6.0)],
            (2.0, 6.0),
        )
    },
    Case {
        codec: "vp9",
        fps: 30,
        ..case(
            "vp9-webm",
            &[("black", 4.0), ("picture", 20.0), ("black", 2.0)],
            (4.0, 2.0),
        )
    },
    Case {
        codec: "prores",
        ..case(
            "prores-mov",
            &[("black", 1.5), ("picture", 10.0), ("black", 5.0)],
            (1.5, 5.0),
        )
    },
    Case {
        audio_over_s: 6.0,
        ..case(
            "sound-runs-past-picture",
            &[("picture", 20.0), ("black", 1.0)],
            (0.0, 1.0),
        )
    },
];

impl Case {
    fn extension(&self) -> &'static str {
        match self.codec {
            "hevc" => "mkv",
            "vp9" => "webm",
            "prores" => "mov",
            _ => "mp4",
        }
    }

    fn seconds(&self) -> f64 {
        self.parts.iter().map(|(_, s)| s).sum()
    }

    fn make(&self, dir: &Path) -> Result<PathBuf, String> {
        let out = dir.join(format!("black-{}.{}", self.name, self.extension()));
        let (fps, size) = (self.fps, "640x360");
        let mut graph = String::new();
        for (i, (kind, secs)) in self.parts.iter().enumerate() {
            let src = match *kind {
                "black" => format!("color=black:s={size}:r={fps}:d={secs}"),
                "picture" => format!("testsrc2=s={size}:r={fps}:d={secs}"),
                "title" => format!(
                    "color=black:s={size}:r={fps}:d={secs},drawtext=fontfile={FONT}:text='A FILM BY':fontsize=28:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2"
                ),
                // About one pixel in 500 lit, anew each frame: stars twinkling on black.
                _ => format!(
                    "color=black:s={size}:r={fps}:d={secs},geq=lum='if(lt(random(1),0.002),235,16)':cb=128:cr=128"
                ),
            };
            graph += &format!("{src},format=yuv420p,setsar=1[p{i}];");
        }
        for i in 0..self.parts.len() {
            graph += &format!("[p{i}]");
        }
        graph += &format!("concat=n={}:v=1:a=0[v]", self.parts.len());
        let codec: &[&str] = match self.codec {
            "hevc" => &[
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-x265-params",
                "log-level=error",
            ],
            "vp9" => &[
                "-c:v",
                "libvpx-vp9",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "600k",
            ],
            "prores" => &[
                "-c:v",
                "prores_ks",
                "-profile:v",
                "0",
                "-pix_fmt",
                "yuv422p10le",
            ],
            "h264-long-gop" => &["-c:v", "libx264", "-preset", "ultrafast", "-g", "250"],
            _ => &["-c:v", "libx264", "-preset", "ultrafast"],
        };
        let audio = if self.codec == "vp9" {
            "libopus"
        } else {
            "aac"
        };
        let sine = format!(
            "sine=frequency=330:sample_rate=48000:duration={}",
            self.seconds() + self.audio_over_s
        );
        let mut args = vec!["-filter_complex", &graph, "-f", "lavfi", "-i", &sine];
        args.extend_from_slice(&["-map", "[v]", "-map", "0:a"]);
        args.extend_from_slice(codec);
        args.extend_from_slice(&["-c:a", audio]);
        shared::make(&out, &args)
    }
}

/// Head and tail black as blackdetect (its defaults, any length) reports them.
fn blackdetect(file: &Path, picture_end: f64, frame: f64) -> Result<(f64, f64), String> {
    let text = shared::filter_log(file, "0:v:0", "-vf", "blackdetect=d=0")?;
    let field = |line: &str, key: &str| -> Option<f64> {
        line.split(key)
            .nth(1)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    let spans: Vec<(f64, f64)> = text
        .lines()
        .filter_map(|l| Some((field(l, "black_start:")?, field(l, "black_end:")?)))
        .collect();
    let head = spans
        .iter()
        .find(|(s, _)| *s <= frame / 2.0)
        .map_or(0.0, |(_, e)| *e);
    // blackdetect ends a span at the last black frame's start; the padding runs to its end.
    let tail = spans
        .iter()
        .find(|(_, e)| *e + frame * 1.5 >= picture_end)
        .map_or(0.0, |(s, _)| picture_end - s);
    Ok((head, tail))
}

fn main() {
    let dir = shared::media_dir();
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Black);
    type Row = (&'static Case, (f64, f64), (f64, f64));
    let rows: Vec<Result<Row, String>> = CASES
        .par_iter()
        .map(|case| {
            let file = case.make(&dir)?;
            let facts = probe(&file, &ProbeSettings::new(needs.clone()));
            if let Some(e) = facts.error {
                return Err(format!("{}: {e}", case.name));
            }
            let v = facts
                .video
                .first()
                .ok_or(format!("{}: no video", case.name))?;
            let ours = (
                v.black_head_s
                    .ok_or(format!("{}: no head measured", case.name))?,
                v.black_tail_s
                    .ok_or(format!("{}: no tail measured", case.name))?,
            );
            let theirs = blackdetect(&file, case.seconds(), 1.0 / f64::from(case.fps))?;
            Ok((case, ours, theirs))
        })
        .collect();

    println!(
        "{:<24} {:>11} {:>11} {:>15} | ok",
        "film", "truth", "reelcheck", "blackdetect"
    );
    let pair = |(h, t): (f64, f64)| format!("{h:.2} / {t:.2}");
    let (mut ends, mut right, mut theirs_right, mut failed) = (0, 0, 0, 0);
    for row in &rows {
        match row {
            Ok((case, ours, theirs)) => {
                let frame = 1.0 / f64::from(case.fps) + 1e-3;
                let near = |a: f64, b: f64| (a - b).abs() <= frame;
                let ok_h = near(ours.0, case.truth.0);
                let ok_t = near(ours.1, case.truth.1);
                ends += 2;
                right += usize::from(ok_h) + usize::from(ok_t);
                theirs_right += usize::from(near(theirs.0, case.truth.0))
                    + usize::from(near(theirs.1, case.truth.1));
                failed += usize::from(!(ok_h && ok_t));
                println!(
                    "{:<24} {:>11} {:>11} {:>15} | {}",
                    case.name,
                    pair(case.truth),
                    pair(*ours),
                    pair(*theirs),
                    if ok_h && ok_t { "yes" } else { "NO" }
                );
            }
            Err(e) => {
                failed += 1;
                println!("{e}");
            }
        }
    }
    println!(
        "{} films: reelcheck measured {right} of {ends} head and tail paddings within one frame; \
         blackdetect {theirs_right} of {ends} (it counts title cards and star fields on black as black)",
        rows.len()
    );
    if failed > 0 {
        std::process::exit(1);
    }
}

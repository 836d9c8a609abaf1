//! Prints what the video analyzer (`--with video`) finds on generated films whose truth is
//! known, beside FFmpeg's own filters on the same films (idet, freezedetect, blackdetect,
//! cropdetect, photosensitivity, and the decoder's complaints in its log):
//!
//!     cargo run --release --example video_qc_accuracy
//!
//! The set: progressive, interlaced (both field orders) and telecined pictures made with
//! FFmpeg's `interlace` and `telecine` filters from textured moving sources, a still picture
//! (nothing to tell); H.264 and ProRes films with packets damaged in the middle and their
//! clean sources; flashing at 2, 3, 4 and 10 flashes a second over the whole screen, over a
//! small part of it, and in saturated red; a held picture and black inside a film;
//! letterboxed and pillarboxed pictures; leaders of SMPTE and SMPTE HD bars, a slate and a
//! countdown, and films opening on a colourful scene or a title card. Targets: scan type right on every film, every
//! damaged span found within one second and none on clean films, every flash test on the
//! right side of its threshold, every leader read right and ended within 0.1 s. Exits 1 on any
//! miss.

use reelcheck_facts::{Analyzer, Needs, VideoStream};
use reelcheck_probe::{probe, ProbeSettings};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../fixtures/media.rs"]
mod media;
#[path = "shared/mod.rs"]
mod shared;

enum Truth {
    Scan(Option<&'static str>),
    /// Damage starting at this time, or none.
    Damage(Option<f64>),
    /// Whether the film breaks the flash limit.
    Flashing(bool),
    /// (frozen, black) spans.
    Spans(&'static [(f64, f64)], &'static [(f64, f64)]),
    Bars(&'static str),
    /// The leader's parts and where it ends.
    Head(&'static str, f64),
}

struct Case {
    name: &'static str,
    secs: u32,
    codec: &'static [&'static str],
    truth: Truth,
    /// Scramble the video packets between these times.
    damage: Option<(f64, f64)>,
}

const H264: &[&str] = &[
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-crf",
    "16",
    "-g",
    "25",
    "-pix_fmt",
    "yuv420p",
];
const PRORES: &[&str] = &[
    "-c:v",
    "prores_ks",
    "-profile:v",
    "2",
    "-pix_fmt",
    "yuv422p10le",
];

fn flash(hz: f64, area: &str, colour: &str) -> String {
    format!(
        "color=black:s=320x180:r=25,drawbox={area}:color={colour}:t=fill:enable='lt(mod(t\\,{p})\\,{h})'",
        p = 1.0 / hz,
        h = 0.5 / hz
    )
}

const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// The `parts` of a leader, then 3 s of moving colourful film.
fn head(parts: &[&str]) -> String {
    let mut graph = String::new();
    let mut labels = String::new();
    for (i, p) in parts
        .iter()
        .chain(&["testsrc2=s=320x180:r=25:d=3"])
        .enumerate()
    {
        graph += &format!("{p},format=yuv420p,setsar=1[p{i}];");
        labels += &format!("[p{i}]");
    }
    format!("{graph}{labels}concat=n={}", parts.len() + 1)
}

fn countdown(from: u32) -> String {
    format!(
        "color=c=0x404040:s=320x180:r=25:d={from},drawtext=fontfile={FONT}:text='%{{eif\\:{from}-t\\:d}}':fontsize=100:fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2"
    )
}

fn slate(secs: u32) -> String {
    let line = |text: &str, y: u32| {
        format!("drawtext=fontfile={FONT}:text='{text}':fontsize=16:fontcolor=white:x=30:y={y}")
    };
    format!(
        "color=c=0x303030:s=320x180:r=25:d={secs},{},{},{}",
        line("TITLE  MY FILM", 40),
        line("DIRECTOR  A. PERSON", 80),
        line("TRT 0\\:03  2026-11-28", 120)
    )
}

/// Each case with its `-f lavfi -i` source graph.
fn cases() -> Vec<(Case, String)> {
    let c = |name, source: &str, secs, codec, truth, damage| {
        (
            Case {
                name,
                secs,
                codec,
                truth,
                damage,
            },
            source.to_string(),
        )
    };
    let full = "x=0:y=0:w=iw:h=ih";
    let small = "x=0:y=0:w=iw/4:h=ih/4";
    vec![
        c("progressive", "testsrc2=size=320x240:rate=25", 6, H264, Truth::Scan(Some("progressive")), None),
        c("interlaced-tff", "testsrc2=size=320x240:rate=50,interlace=scan=tff", 6, H264, Truth::Scan(Some("interlaced_tff")), None),
        c("interlaced-bff", "testsrc2=size=320x240:rate=50,interlace=scan=bff", 6, H264, Truth::Scan(Some("interlaced_bff")), None),
        c("interlaced-fractal", "mandelbrot=size=320x240:rate=50,interlace=scan=tff", 6, H264, Truth::Scan(Some("interlaced_tff")), None),
        c("telecined", "testsrc2=size=320x240:rate=24000/1001,telecine=pattern=23", 6, H264, Truth::Scan(Some("telecined")), None),
        c("still", "smptebars=size=320x240:rate=25,interlace=scan=tff", 6, H264, Truth::Scan(None), None),
        c("h264-clean", "testsrc2=size=320x180:rate=25", 12, H264, Truth::Damage(None), None),
        c("h264-damaged", "testsrc2=size=320x180:rate=25", 12, H264, Truth::Damage(Some(6.0)), Some((6.0, 6.3))),
        c("prores-clean", "testsrc2=size=320x180:rate=25", 8, PRORES, Truth::Damage(None), None),
        c("prores-damaged", "testsrc2=size=320x180:rate=25", 8, PRORES, Truth::Damage(Some(4.0)), Some((4.0, 4.2))),
        c("flash-2hz", &flash(2.0, full, "white"), 4, H264, Truth::Flashing(false), None),
        c("flash-3hz", &flash(3.0, full, "white"), 4, H264, Truth::Flashing(false), None),
        c("flash-4hz", &flash(4.0, full, "white"), 4, H264, Truth::Flashing(true), None),
        c("flash-10hz", &flash(10.0, full, "white"), 4, H264, Truth::Flashing(true), None),
        c("flash-10hz-small", &flash(10.0, small, "white"), 4, H264, Truth::Flashing(false), None),
        c("flash-10hz-red", &flash(10.0, full, "red"), 4, H264, Truth::Flashing(true), None),
        c(
            "held-and-black",
            "testsrc2=s=320x180:r=25:d=3[a];smptebars=s=320x180:r=25:d=3[b];color=black:s=320x180:r=25:d=3[c];testsrc2=s=320x180:r=25:d=3[d];[a][b][c][d]concat=n=4",
            12,
            H264,
            Truth::Spans(&[(3.0, 6.0)], &[(6.0, 9.0)]),
            None,
        ),
        c("letterbox", "testsrc2=size=320x136:rate=25,pad=320:180:0:22", 4, H264, Truth::Bars("letterbox"), None),
        c("pillarbox", "testsrc2=size=240x180:rate=25,pad=320:180:40:0", 4, H264, Truth::Bars("pillarbox"), None),
        c("full-frame", "testsrc2=size=320x180:rate=25", 4, H264, Truth::Bars("none"), None),
        c("head-bars", &head(&["smptebars=s=320x180:r=25:d=3"]), 6, H264, Truth::Head("bars", 3.0), None),
        c(
            "head-leader",
            &head(&["smptehdbars=s=320x180:r=25:d=2", &slate(2), &countdown(5)]),
            12,
            H264,
            Truth::Head("bars, slate, countdown", 9.0),
            None,
        ),
        c("head-colour", &head(&[]), 3, H264, Truth::Head("none", 0.0), None),
        c("head-title-card", &head(&[&slate(3)]), 6, H264, Truth::Head("none", 0.0), None),
    ]
}

fn make(dir: &Path, case: &Case, source: &str) -> Result<PathBuf, String> {
    let ext = if case.codec == PRORES { "mov" } else { "mp4" };
    let t = case.secs.to_string();
    let mut args: Vec<&str> = vec!["-f", "lavfi", "-i", source, "-t", &t];
    args.extend_from_slice(case.codec);
    let film = shared::make(&dir.join(format!("{}.{ext}", case.name)), &args)?;
    let Some((from, to)) = case.damage else {
        return Ok(film);
    };
    let mut bytes = std::fs::read(&film).map_err(|e| e.to_string())?;
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args(["packet=pts_time,pos,size", "-of", "csv=p=0"])
        .arg(&film)
        .output()
        .map_err(|e| format!("cannot run ffprobe: {e}"))?;
    let mut x: u32 = 12345;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(t), Some(size), Some(pos)) = (
            f.first().and_then(|v| v.parse::<f64>().ok()),
            f.get(1).and_then(|v| v.parse::<usize>().ok()),
            f.get(2).and_then(|v| v.parse::<usize>().ok()),
        ) else {
            continue;
        };
        if t + 1e-6 < from || t >= to || pos + size > bytes.len() {
            continue;
        }
        for b in &mut bytes[pos + size / 2..pos + size] {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
    }
    let damaged = film.with_file_name(format!("damaged-{}.{ext}", case.name));
    std::fs::write(&damaged, bytes).map_err(|e| e.to_string())?;
    Ok(damaged)
}

/// The last six lines FFmpeg's filter prints that contain `needle`.
fn ffmpeg_says(film: &Path, filter: &str, needle: &str) -> String {
    match shared::filter_log(film, "0:v:0", "-vf", filter) {
        Ok(log) => {
            let lines: Vec<&str> = log.lines().filter(|l| l.contains(needle)).collect();
            let shown: Vec<String> = lines
                .iter()
                .rev()
                .take(6)
                .rev()
                .map(|l| l.split("] ").last().unwrap_or(l).trim().to_string())
                .collect();
            if shown.is_empty() {
                "(nothing)".into()
            } else {
                shown.join(" | ")
            }
        }
        Err(e) => e,
    }
}

/// (lines of FFmpeg's verbose log for `filter` containing any of `needles`, ignoring case;
/// lines the filter logged at all, for photosensitivity's "badness").
fn ffmpeg_count(film: &Path, filter: &str, needles: &[&str]) -> (usize, usize) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-v", "verbose", "-i"])
        .arg(film)
        .args(["-map", "0:v:0", "-vf", filter, "-f", "null", "-"])
        .output();
    let Ok(out) = out else {
        return (0, 0);
    };
    let log = String::from_utf8_lossy(&out.stderr).to_lowercase();
    let hits = log
        .lines()
        .filter(|l| needles.iter().any(|n| l.contains(n)))
        .count();
    (hits, log.lines().filter(|l| l.contains("badness")).count())
}

fn spans(s: &Option<Vec<reelcheck_facts::Segment>>) -> Vec<(f64, f64)> {
    s.as_ref()
        .map(|v| v.iter().map(|s| (s.start_s, s.end_s)).collect())
        .unwrap_or_default()
}

fn judge(case: &Case, v: &VideoStream, film: &Path) -> (bool, String, String) {
    match &case.truth {
        Truth::Scan(want) => {
            let got = v.scan_detected.clone().flatten();
            (
                got.as_deref() == *want,
                format!("{got:?} (shares {:?})", v.scan_shares),
                ffmpeg_says(film, "idet", "Multi frame"),
            )
        }
        Truth::Damage(want) => {
            let got = spans(&v.damaged);
            let ok = match want {
                None => got.is_empty(),
                Some(at) => !got.is_empty() && got.iter().all(|(s, _)| (s - at).abs() <= 1.0),
            };
            (
                ok,
                format!("{got:?}, {} decode errors", v.decode_errors.unwrap_or(0)),
                format!(
                    "{} decoder complaints in its log (no times; it has no filter for this)",
                    ffmpeg_count(film, "null", &["error", "conceal", "invalid"]).0
                ),
            )
        }
        Truth::Flashing(want) => {
            let got = v.flash_violations.clone().unwrap_or_default();
            (
                got.is_empty() != *want,
                format!("{:?}", v.flashing_at.clone().flatten()),
                {
                    // FFmpeg's photosensitivity filter damps flashes rather than judging them;
                    // its verbose log says which frames it found over its own limit.
                    let (over, frames) = ffmpeg_count(film, "photosensitivity", &["exceeded"]);
                    format!("photosensitivity: {over} of {frames} frames over its limit")
                },
            )
        }
        Truth::Spans(frozen, black) => {
            let (f, b) = (spans(&v.frozen), spans(&v.black_spans));
            let close = |got: &[(f64, f64)], want: &[(f64, f64)]| {
                got.len() == want.len()
                    && got
                        .iter()
                        .zip(want)
                        .all(|(g, w)| (g.0 - w.0).abs() <= 0.1 && (g.1 - w.1).abs() <= 0.1)
            };
            (
                close(&f, frozen) && close(&b, black),
                format!("frozen {f:?}, black {b:?}"),
                format!(
                    "{} / {}",
                    ffmpeg_says(film, "freezedetect=d=2", "freeze_"),
                    ffmpeg_says(film, "blackdetect=d=2", "black_start")
                ),
            )
        }
        Truth::Head(want, end) => {
            let got = v.head_content.clone().unwrap_or_default();
            let got_end = v.head_content_end_s.unwrap_or(f64::NAN);
            (
                got == *want && (got_end - end).abs() <= 0.1,
                format!(
                    "{got} to {got_end} s ({:?})",
                    v.head_content_at.clone().flatten()
                ),
                "(FFmpeg has no filter for leaders)".into(),
            )
        }
        Truth::Bars(want) => {
            let a = v.active_area.clone().flatten();
            let got = a.as_ref().map(|a| a.bars.clone());
            (
                got.as_deref() == Some(*want),
                format!("{a:?}"),
                ffmpeg_says(film, "cropdetect=reset=0", "crop=")
                    .rsplit(' ')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )
        }
    }
}

fn main() {
    let dir = shared::media_dir();
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Video);
    let config = ProbeSettings::new(needs);
    let mut misses = 0;
    for (case, source) in cases() {
        let film = match make(&dir, &case, &source) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{}: {e}", case.name);
                std::process::exit(2);
            }
        };
        let facts = probe(&film, &config);
        let Some(v) = facts.video.first() else {
            println!("MISS {:<20} no video facts: {:?}", case.name, facts.error);
            misses += 1;
            continue;
        };
        let (ok, ours, theirs) = judge(&case, v, &film);
        if !ok {
            misses += 1;
        }
        println!(
            "{} {:<20} reelcheck: {ours}",
            if ok { "ok  " } else { "MISS" },
            case.name
        );
        println!("     {:<20} ffmpeg:    {theirs}", "");
    }
    println!("\n{misses} misses");
    if misses > 0 {
        std::process::exit(1);
    }
}

//! Values as a person says them, for the reports a filmmaker reads: "640 × 360",
//! "MKV (Matroska)", "4:2:2 10-bit", "the sound stops 26 s before the picture ends, at 1:02:10".
//! Stream selectors, regular expressions and FFmpeg's internal names stay in the JSON report's
//! `expected` and `actual`; these go beside them. Messages may say them too, through the
//! placeholders `{value}` and `{actual}`.

use crate::rules::model::{Expected, Op, Test};
use reelcheck_facts::units::{trim_num, Kind};
use serde_json::Value;

/// The placeholders a rule's message may hold.
pub const PLACEHOLDERS: &[&str] = &["value", "actual"];

/// Containers by FFmpeg's demuxer name.
const CONTAINERS: &[(&str, &str)] = &[
    ("mov,mp4,m4a,3gp,3g2,mj2", "MP4/MOV"),
    ("matroska,webm", "MKV (Matroska)"),
    ("avi", "AVI"),
    ("mpegts", "MPEG transport stream (.ts)"),
    ("mpeg", "MPEG program stream (.mpg)"),
    ("mxf", "MXF"),
    ("flv", "Flash video (FLV)"),
    ("asf", "Windows Media (WMV)"),
    ("ogg", "Ogg"),
    ("gif", "GIF"),
    ("dv", "DV"),
    ("wav", "WAV"),
    ("mp3", "MP3"),
    ("h264", "a bare H.264 stream"),
    ("hevc", "a bare HEVC stream"),
    ("image2", "an image sequence"),
];

/// Codecs by FFmpeg's decoder name.
const CODECS: &[(&str, &str)] = &[
    ("h264", "H.264"),
    ("hevc", "HEVC (H.265)"),
    ("prores", "ProRes"),
    ("dnxhd", "DNxHD/DNxHR"),
    ("mpeg2video", "MPEG-2"),
    ("mpeg4", "MPEG-4 Part 2"),
    ("av1", "AV1"),
    ("vp8", "VP8"),
    ("vp9", "VP9"),
    ("mjpeg", "Motion JPEG"),
    ("ffv1", "FFV1"),
    ("rawvideo", "uncompressed video"),
    ("cfhd", "CineForm"),
    ("png", "PNG"),
    ("gif", "GIF"),
    ("aac", "AAC"),
    ("mp3", "MP3"),
    ("mp2", "MPEG audio layer 2"),
    ("ac3", "Dolby Digital (AC-3)"),
    ("eac3", "Dolby Digital Plus (E-AC-3)"),
    ("truehd", "Dolby TrueHD"),
    ("dts", "DTS"),
    ("opus", "Opus"),
    ("vorbis", "Vorbis"),
    ("flac", "FLAC"),
    ("alac", "Apple Lossless (ALAC)"),
    ("pcm_s16le", "PCM 16-bit"),
    ("pcm_s24le", "PCM 24-bit"),
    ("pcm_s32le", "PCM 32-bit"),
    ("pcm_f32le", "PCM 32-bit float"),
    ("pcm_s16be", "PCM 16-bit (big-endian)"),
    ("pcm_s24be", "PCM 24-bit (big-endian)"),
    ("subrip", "SRT"),
    ("webvtt", "WebVTT"),
    ("mov_text", "MP4 timed text"),
    ("ass", "ASS"),
    ("hdmv_pgs_subtitle", "PGS (Blu-ray) pictures"),
    ("dvd_subtitle", "DVD subtitle pictures"),
];

/// H.264 profiles as FFmpeg names them, for saying which ones a pattern accepts.
const H264_PROFILES: &[&str] = &[
    "Constrained Baseline",
    "Baseline",
    "Main",
    "Extended",
    "High",
    "High 10",
    "High 4:2:2",
    "High 4:4:4 Predictive",
];

/// The FFmpeg pixel formats whose names a pattern is tried against.
const PIXEL_FORMATS: &[&str] = &[
    "yuv420p",
    "yuvj420p",
    "yuv420p10le",
    "yuv422p",
    "yuvj422p",
    "yuv422p10le",
    "yuv444p",
    "yuvj444p",
    "yuv444p10le",
    "yuv420p12le",
    "yuv422p12le",
    "yuv444p12le",
    "rgb24",
    "gbrp",
    "gbrp10le",
    "gray",
];

/// What a test's value is, as a person says it; `None` when only the rule's regular expression
/// could say it (its message must).
pub fn expected(test: &Test) -> Option<String> {
    let pattern = test.fact.pattern();
    let kind = test.fact.kind;
    let one = |n: f64| number(&pattern, kind, n);
    Some(match (test.op, &test.expected) {
        (Op::Exists, Expected::Bool(true)) => "present".to_string(),
        (Op::Exists, Expected::Bool(false)) => "none".to_string(),
        (Op::Matches, Expected::Pattern(re)) => {
            let names: Vec<String> = vocabulary(&pattern)
                .iter()
                .filter(|raw| re.is_match(raw))
                .map(|raw| text(&pattern, raw))
                .collect();
            if names.is_empty() {
                return None;
            }
            or_list(names)
        }
        (Op::Between, Expected::Range(lo, hi)) => format!("between {} and {}", one(*lo), one(*hi)),
        (Op::MultipleOf, Expected::Number(n)) if (*n - 2.0).abs() < 1e-9 => {
            "an even number".to_string()
        }
        (Op::MultipleOf, Expected::Number(n)) => format!("a multiple of {}", trim_num(*n, 3)),
        (Op::Ge, Expected::Number(n)) if pattern == "audio[].end_offset_s" && *n <= 0.0 => {
            format!("the sound ending at most {} before the picture", length(-n))
        }
        (Op::NotIn, e) => format!("none of {}", list(&pattern, kind, e).join(", ")),
        (Op::In, e) => or_list(list(&pattern, kind, e)),
        (op, Expected::Number(n)) => match op {
            Op::Lt => format!("under {}", one(*n)),
            Op::Le => format!("at most {}", one(*n)),
            Op::Gt => format!("over {}", one(*n)),
            Op::Ge => format!("at least {}", one(*n)),
            Op::Ne => format!("not {}", one(*n)),
            _ => one(*n),
        },
        (op, e) => {
            let said = or_list(list(&pattern, kind, e));
            if op == Op::Ne {
                format!("not {said}")
            } else {
                said
            }
        }
    })
}

/// The rule's value alone, for `{value}` in its message: "15 minutes", "MP4/MOV", "48 kHz".
pub fn value(test: &Test) -> String {
    let pattern = test.fact.pattern();
    let kind = test.fact.kind;
    match &test.expected {
        Expected::Number(n) => number(&pattern, kind, *n),
        Expected::Range(lo, hi) => {
            format!(
                "{} to {}",
                number(&pattern, kind, *lo),
                number(&pattern, kind, *hi)
            )
        }
        Expected::Pattern(re) => expected(test).unwrap_or_else(|| re.as_str().to_string()),
        other => or_list(list(&pattern, kind, other)),
    }
}

/// One value a file has, as a person says it. `stream` is the stream the value belongs to
/// (for the other half of a resolution, or the picture's end).
pub fn actual(pattern: &str, kind: Kind, v: &Value, facts: &Value, stream: &str) -> String {
    match (pattern, v) {
        ("video[].width" | "video[].height", Value::Number(_)) => {
            let s = item(facts, stream);
            match (
                s.and_then(|s| s.get("width")).and_then(Value::as_u64),
                s.and_then(|s| s.get("height")).and_then(Value::as_u64),
            ) {
                (Some(w), Some(h)) => format!("{w} × {h}"),
                _ => said(pattern, kind, v),
            }
        }
        ("container.format", Value::String(f)) if f.starts_with("mov,mp4") => {
            // FFmpeg reads both with one demuxer; the brand tells them apart.
            let brand = facts
                .pointer("/container/tags/major_brand")
                .and_then(Value::as_str)
                .map(str::trim);
            match brand {
                Some("qt") => "MOV (QuickTime)".to_string(),
                Some(_) => "MP4".to_string(),
                None => text(pattern, f),
            }
        }
        ("audio[].end_offset_s", Value::Number(n)) => {
            let Some(off) = n.as_f64() else {
                return said(pattern, kind, v);
            };
            let picture_end = facts
                .pointer("/video/0/duration_s")
                .and_then(Value::as_f64)
                .or_else(|| {
                    facts
                        .pointer("/container/duration_s")
                        .and_then(Value::as_f64)
                });
            // A length in tenths (a frame's worth matters), a position as a timeline shows it.
            let at = picture_end
                .map(|end| format!(", at {}", clock((end + off).max(0.0))))
                .unwrap_or_default();
            if off < 0.0 {
                format!(
                    "the sound stops {} before the picture ends{at}",
                    length(-off)
                )
            } else if off > 0.0 {
                format!("the sound runs on {} after the picture ends", length(off))
            } else {
                "the sound ends with the picture".to_string()
            }
        }
        (_, Value::Number(n)) if kind == Kind::Duration && is_clock_time(pattern) => {
            n.as_f64().map_or_else(|| said(pattern, kind, v), clock)
        }
        _ if cue_facts(pattern).is_some() => {
            let base = said(pattern, kind, v);
            let Some((cue, start)) = cue_facts(pattern) else {
                return base;
            };
            let cues = item(facts, stream).and_then(|s| s.get("cues"));
            let get = |k: &str| cues.and_then(|c| c.get(k));
            match (
                get(cue).and_then(Value::as_u64),
                get(start).and_then(Value::as_f64),
            ) {
                (Some(n), Some(t)) if pattern == "subtitles[].cues.past_end" => {
                    format!("{base}, the first cue {n} at {}", clock(t))
                }
                (Some(n), Some(t)) => format!("{base}, in cue {n} at {}", clock(t)),
                _ => base,
            }
        }
        _ => said(pattern, kind, v),
    }
}

/// The facts that say which cue a subtitle finding is about, and when it starts.
fn cue_facts(pattern: &str) -> Option<(&'static str, &'static str)> {
    Some(match pattern {
        "subtitles[].cues.longest_line_chars" => ("longest_line_cue", "longest_line_start_s"),
        "subtitles[].cues.max_lines" => ("max_lines_cue", "max_lines_start_s"),
        "subtitles[].cues.max_chars_per_s" => ("fastest_cue", "fastest_start_s"),
        "subtitles[].cues.past_end" => ("first_past_end_cue", "first_past_end_start_s"),
        _ => return None,
    })
}

/// A position or a runtime as a timeline shows it: "0:40", "12:03", "1:02:10", to the nearest
/// second (runtimes and positions are read against a clock, not a frame counter).
pub fn clock(s: f64) -> String {
    if !s.is_finite() {
        return s.to_string();
    }
    let whole = s.abs().round() as u64;
    let sign = if s < 0.0 && whole > 0 { "-" } else { "" };
    let (h, m, sec) = (whole / 3600, (whole / 60) % 60, whole % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{sec:02}")
    } else {
        format!("{sign}{m}:{sec:02}")
    }
}

/// A length where a frame's worth matters (black padding, how early the sound ends): seconds
/// with at most one decimal under a minute ("2.4 s"), a clock time above ("1:05").
pub fn length(s: f64) -> String {
    if s.abs() < 59.95 {
        format!("{} s", trim_num(s, 1))
    } else {
        clock(s)
    }
}

/// Facts that are a runtime or a position in the film: said as a clock time.
fn is_clock_time(pattern: &str) -> bool {
    matches!(
        pattern,
        "container.duration_s"
            | "container.header_duration_s"
            | "video[].duration_s"
            | "audio[].duration_s"
            | "audio[].decoded_duration_s"
            | "credits.start_s"
            | "credits.end_s"
            | "credits.opening.start_s"
            | "credits.opening.end_s"
            | "chapters[].start_s"
            | "chapters[].end_s"
            | "subtitles[].cues.first_start_s"
            | "subtitles[].cues.last_end_s"
    ) || pattern.ends_with("_start_s")
}

/// "video track 1" for the first video stream of a list of several.
pub fn track(label: &str) -> String {
    let Some((name, rest)) = label.split_once('[') else {
        return label.to_string();
    };
    let n = rest
        .split(']')
        .next()
        .and_then(|i| i.parse::<usize>().ok())
        .map_or_else(String::new, |i| format!(" {}", i + 1));
    let what = match name {
        "video" => "video track",
        "audio" => "audio track",
        "subtitles" => "subtitle track",
        "chapters" => "chapter",
        other => other,
    };
    format!("{what}{n}")
}

/// The first `{name}` in a message that is neither a placeholder nor a fact path.
pub fn unknown_placeholder(message: &str) -> Option<String> {
    let mut rest = message;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let name = after.split('}').next().unwrap_or(after);
        if !after.contains('}')
            || !(PLACEHOLDERS.contains(&name) || crate::rules::path::is_fact_path(name))
        {
            return Some(name.to_string());
        }
        rest = &after[name.len()..];
    }
    None
}

/// The stream `label` (`video[0].width`) names, in the facts.
fn item<'a>(facts: &'a Value, label: &str) -> Option<&'a Value> {
    let (name, rest) = label.split_once('[')?;
    let i: usize = rest.split(']').next()?.parse().ok()?;
    facts.get(name)?.get(i)
}

fn said(pattern: &str, kind: Kind, v: &Value) -> String {
    match v {
        Value::Null => "unknown".to_string(),
        Value::Bool(b) => boolean(pattern, *b),
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |x| number(pattern, kind, x)),
        Value::String(s) => text(pattern, s),
        other => other.to_string(),
    }
}

fn list(pattern: &str, kind: Kind, e: &Expected) -> Vec<String> {
    match e {
        Expected::Numbers(ns) => ns.iter().map(|n| number(pattern, kind, *n)).collect(),
        Expected::Texts(ts) => ts.iter().map(|t| text(pattern, t)).collect(),
        Expected::Number(n) => vec![number(pattern, kind, *n)],
        Expected::Text(t) => vec![text(pattern, t)],
        Expected::Bool(b) => vec![boolean(pattern, *b)],
        Expected::Range(lo, hi) => vec![format!(
            "{} to {}",
            number(pattern, kind, *lo),
            number(pattern, kind, *hi)
        )],
        Expected::Pattern(re) => vec![re.as_str().to_string()],
    }
}

/// "A, B or C", each once.
fn or_list(items: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    match seen.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn vocabulary(pattern: &str) -> Vec<&'static str> {
    match pattern {
        "container.format" => CONTAINERS.iter().map(|c| c.0).collect(),
        "video[].codec" | "audio[].codec" | "subtitles[].codec" => {
            CODECS.iter().map(|c| c.0).collect()
        }
        "video[].profile" => H264_PROFILES.to_vec(),
        "video[].pix_fmt" => PIXEL_FORMATS.to_vec(),
        _ => Vec::new(),
    }
}

fn text(pattern: &str, raw: &str) -> String {
    let from = |table: &[(&str, &str)]| {
        table
            .iter()
            .find(|(k, _)| *k == raw)
            .map(|(_, v)| v.to_string())
    };
    let found = match pattern {
        "container.format" => from(CONTAINERS),
        "video[].codec" | "audio[].codec" | "subtitles[].codec" => from(CODECS),
        "video[].pix_fmt" => Some(pixel_format(raw)),
        "video[].frame_rate_mode" => Some(format!("a {raw} frame rate")),
        "credits.position" => Some(
            match raw {
                "end" => "end credits",
                "start" => "opening titles only, no end credits",
                "none" => "no credits",
                other => other,
            }
            .to_string(),
        ),
        _ => None,
    };
    found.unwrap_or_else(|| raw.to_string())
}

fn boolean(pattern: &str, b: bool) -> String {
    let (yes, no) = match pattern {
        "video[].interlaced" => ("interlaced", "progressive"),
        "container.faststart" => (
            "the index at the front (fast start)",
            "the index at the end (no fast start)",
        ),
        "audio[].silent" => ("silent", "not silent"),
        "audio[].identical_channels" => ("the same sound in every channel", "distinct channels"),
        "credits.present" => ("end credits", "no end credits"),
        "audio[].default" => ("the default track", "not the default track"),
        _ => ("yes", "no"),
    };
    if b { yes } else { no }.to_string()
}

fn number(pattern: &str, kind: Kind, n: f64) -> String {
    let count = |one: &str, many: &str| {
        format!(
            "{} {}",
            trim_num(n, 2),
            if (n - 1.0).abs() < 1e-9 { one } else { many }
        )
    };
    match pattern {
        "video[].width" | "video[].height" => count("pixel", "pixels"),
        "audio[].channels" => match n as u64 {
            1 => "mono".to_string(),
            2 => "stereo".to_string(),
            6 => "5.1 surround".to_string(),
            8 => "7.1 surround".to_string(),
            _ => count("channel", "channels"),
        },
        "credits.share" => format!("{}% of the runtime", trim_num(n * 100.0, 0)),
        "count(video)" => count("video stream", "video streams"),
        "count(audio)" => count("audio track", "audio tracks"),
        "count(subtitles)" => count("subtitle track", "subtitle tracks"),
        "subtitles[].cues.longest_line_chars" => count("character", "characters"),
        "subtitles[].cues.max_chars_per_s" => format!("{} characters per second", trim_num(n, 1)),
        "subtitles[].cues.max_lines" => count("line", "lines"),
        "subtitles[].cues.past_end" | "subtitles[].cues.count" => count("cue", "cues"),
        "audio[].clipping.runs" => count("clipped run", "clipped runs"),
        "audio[].loudness.true_peak_dbtp" => format!("{} dBTP", trim_num(n, 1)),
        "audio[].loudness.sample_peak_dbfs" => format!("{} dBFS", trim_num(n, 1)),
        "video[].bit_depth" | "audio[].bit_depth" => format!("{}-bit", trim_num(n, 0)),
        _ if kind == Kind::Duration => spoken_duration(n),
        _ => kind.show(n),
    }
}

/// "15 minutes", "1 minute", "2 s", "1:30".
fn spoken_duration(s: f64) -> String {
    let whole_minutes = s >= 60.0 && (s % 60.0).abs() < 1e-9;
    if whole_minutes && s < 3600.0 {
        let m = (s / 60.0).round() as u64;
        format!("{m} {}", if m == 1 { "minute" } else { "minutes" })
    } else {
        length(s)
    }
}

/// "4:2:2 10-bit" for `yuv422p10le`, "RGB 8-bit" for `rgb24`.
pub fn pixel_format(raw: &str) -> String {
    let name = raw
        .strip_suffix("le")
        .or_else(|| raw.strip_suffix("be"))
        .unwrap_or(raw);
    let special = match name {
        "nv12" | "nv21" => Some(("4:2:0", 8, false)),
        "p010" => Some(("4:2:0", 10, false)),
        "p016" => Some(("4:2:0", 16, false)),
        "yuyv422" | "uyvy422" => Some(("4:2:2", 8, false)),
        "v210" => Some(("4:2:2", 10, false)),
        "rgb24" | "bgr24" | "rgb0" | "bgr0" | "0rgb" | "0bgr" => Some(("RGB", 8, false)),
        "rgba" | "bgra" | "argb" | "abgr" => Some(("RGB", 8, true)),
        "rgb48" | "bgr48" => Some(("RGB", 16, false)),
        "rgba64" | "bgra64" => Some(("RGB", 16, true)),
        _ => None,
    };
    if let Some((layout, depth, alpha)) = special {
        return join_format(layout, depth, alpha, false);
    }
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (base, depth) = name.split_at(name.len() - digits);
    let depth: u32 = depth.parse().unwrap_or(8);
    let (layout, alpha, full) = match base {
        b if b.starts_with("yuvj") => (&b[4..], false, true),
        b if b.starts_with("yuva") => (&b[4..], true, false),
        b if b.starts_with("yuv") => (&b[3..], false, false),
        "gray" | "ya" => ("gray", base == "ya", false),
        "gbrp" => ("rgb", false, false),
        "gbrap" => ("rgb", true, false),
        _ => ("", false, false),
    };
    let layout = match layout.trim_end_matches('p') {
        "420" => "4:2:0",
        "422" => "4:2:2",
        "444" => "4:4:4",
        "440" => "4:4:0",
        "411" => "4:1:1",
        "410" => "4:1:0",
        "gray" => "greyscale",
        "rgb" => "RGB",
        _ => return "an uncommon pixel format".to_string(),
    };
    join_format(layout, depth, alpha, full)
}

fn join_format(layout: &str, depth: u32, alpha: bool, full: bool) -> String {
    let mut out = format!("{layout} {depth}-bit");
    if alpha {
        out.push_str(" with alpha");
    }
    if full {
        out.push_str(" (full range)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::path::FactPath;
    use serde_json::json;

    fn test(fact: &str, op: Op, expected: Expected) -> Test {
        Test {
            fact: FactPath::parse(fact).unwrap(),
            op,
            expected,
            tolerance: None,
        }
    }

    #[test]
    fn pixel_formats_read_as_chroma_and_depth() {
        assert_eq!(pixel_format("yuv420p"), "4:2:0 8-bit");
        assert_eq!(pixel_format("yuv422p10le"), "4:2:2 10-bit");
        assert_eq!(pixel_format("yuvj420p"), "4:2:0 8-bit (full range)");
        assert_eq!(pixel_format("yuva444p12le"), "4:4:4 12-bit with alpha");
        assert_eq!(pixel_format("rgb24"), "RGB 8-bit");
        assert_eq!(pixel_format("gbrp10le"), "RGB 10-bit");
        assert_eq!(pixel_format("p010le"), "4:2:0 10-bit");
        assert_eq!(pixel_format("xyz12le"), "an uncommon pixel format");
    }

    #[test]
    fn expectations_read_without_regexes_or_internal_names() {
        let re = |s: &str| Expected::Pattern(regex::Regex::new(s).unwrap());
        let t = test("container.format", Op::Matches, re("(^|,)(mp4|mov)(,|$)"));
        assert_eq!(expected(&t).as_deref(), Some("MP4/MOV"));
        let t = test("file_name", Op::Matches, re("^[a-z]+$"));
        assert_eq!(expected(&t), None);
        let t = test(
            "video[*].pix_fmt",
            Op::In,
            Expected::Texts(vec!["yuv420p".into(), "yuv420p10le".into()]),
        );
        assert_eq!(expected(&t).as_deref(), Some("4:2:0 8-bit or 4:2:0 10-bit"));
        let t = test("container.duration_s", Op::Le, Expected::Number(600.0));
        assert_eq!(expected(&t).as_deref(), Some("at most 10 minutes"));
        assert_eq!(value(&t), "10 minutes");
        let t = test("audio[*].end_offset_s", Op::Ge, Expected::Number(-2.0));
        assert_eq!(
            expected(&t).as_deref(),
            Some("the sound ending at most 2 s before the picture")
        );
        let t = test("video[*].width", Op::MultipleOf, Expected::Number(2.0));
        assert_eq!(expected(&t).as_deref(), Some("an even number"));
    }

    #[test]
    fn actual_values_read_as_people_say_them() {
        let facts = json!({
            "container": {"format": "matroska,webm", "duration_s": 3756.0},
            "video": [{"width": 640, "height": 360, "duration_s": 3756.0}],
        });
        let k = Kind::Number;
        assert_eq!(
            actual("video[].width", k, &json!(640), &facts, "video[0].width"),
            "640 × 360"
        );
        assert_eq!(
            actual(
                "container.format",
                Kind::Text,
                &json!("matroska,webm"),
                &facts,
                ""
            ),
            "MKV (Matroska)"
        );
        assert_eq!(
            actual(
                "audio[].end_offset_s",
                Kind::Duration,
                &json!(-26.0),
                &facts,
                "audio[0]"
            ),
            "the sound stops 26 s before the picture ends, at 1:02:10"
        );
        assert_eq!(track("audio[1].codec"), "audio track 2");
    }

    #[test]
    fn placeholders_are_filled_and_checked() {
        assert_eq!(unknown_placeholder("over {value} and {actual}"), None);
        assert_eq!(
            unknown_placeholder("header {container.header_duration_s}"),
            None
        );
        assert_eq!(
            unknown_placeholder("header {container.header_duration}").as_deref(),
            Some("container.header_duration")
        );
        assert_eq!(
            unknown_placeholder("over {valeu}").as_deref(),
            Some("valeu")
        );
        assert_eq!(unknown_placeholder("a { brace").as_deref(), Some(" brace"));
    }
}

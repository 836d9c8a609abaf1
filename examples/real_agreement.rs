//! Prints how reelcheck's facts agree with the truth on real files made by other people:
//!
//!     cargo run --release --example real_agreement
//!
//! The files are `fixtures/real/` (origins in `SOURCES.md`). The truth is each file's
//! `expected` block in `fixtures/real/reference.json`, written by hand beside what ffprobe,
//! mediainfo and the c2pa library read (`scripts/real-references.sh`); a `why` there explains
//! every value that differs from one of those tools. Each disagreement is one line; the totals
//! per fact follow. Nothing here runs an external tool, so the figures are the same on every
//! machine with the same FFmpeg libraries.
//!
//! Files whose truth says `"set": "checking"` were set apart before the rules they test were
//! tuned: their agreement is printed on its own, and their disagreements only with
//! `REAL_SHOW_CHECKING=1`.
//!
//! reelcheck reads the files as `probe --with provenance` does, like the test that holds these
//! figures (`tests/cli/real_media.rs`), whose `KNOWN_DISAGREEMENTS` gives the reason for each
//! disagreement left. A file whose truth is that nothing plays in it (`unplayable`) agrees when
//! reelcheck refuses it with a reason; its other facts are not compared, as a refused file
//! reports none. Any other refused file disagrees on every fact its truth names.

use rayon::prelude::*;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// 29.97 against 30000/1001, 59.94 against 60000/1001: finer than any two rates people name.
const TOL_FPS: f64 = 0.01;
/// Durations: well under a frame at 24 fps, above the rounding of millisecond time bases.
const TOL_S: f64 = 0.05;

/// The facts compared, in the order the totals are printed.
const FACTS: &[&str] = &[
    "frame rate",
    "frame-rate mode",
    "container duration",
    "truncation",
    "stream duration",
    "bit depth",
    "HDR",
    "provenance status",
    "C2PA present",
    "nothing to play",
    "frame-rate range",
    "pulldown, interlace",
    "HDR metadata",
    "rotation",
];

#[derive(Default)]
struct Tally {
    agree: usize,
    total: usize,
    lines: Vec<String>,
    /// How often ffprobe and mediainfo read the truth, for the facts they report
    /// (`None` for a fact a tool does not report).
    tools: [Option<usize>; 2],
}

impl Tally {
    fn tool(&mut self, which: usize, same: bool) {
        *self.tools[which].get_or_insert(0) += usize::from(same);
    }
}

/// What ffprobe and mediainfo read of a file (`reference.json`), as reelcheck's facts are
/// named: the frame rate (ffprobe's `avg_frame_rate`, mediainfo's `FrameRate`), the mode
/// (mediainfo's `FrameRate_Mode`; ffprobe has none) and the container's duration.
fn tool_readings(entry: &Value) -> [Value; 2] {
    let ratio = |v: &Value| {
        let (n, d) = v.as_str()?.split_once('/')?;
        let (n, d): (f64, f64) = (n.parse().ok()?, d.parse().ok()?);
        (d != 0.0 && n != 0.0).then(|| n / d)
    };
    let number = |v: &Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let ffprobe_video: Vec<Value> = entry["ffprobe"]["streams"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter(|s| s["codec_type"] == "video")
                .map(|s| serde_json::json!({"fps": ratio(&s["avg_frame_rate"])}))
                .collect()
        })
        .unwrap_or_default();
    let ffprobe = serde_json::json!({
        "duration_s": number(&entry["ffprobe"]["format"]["duration"]),
        "video": ffprobe_video,
    });
    let tracks = entry["mediainfo"].as_array().cloned().unwrap_or_default();
    let general = tracks.iter().find(|t| t["type"] == "General");
    let mediainfo_video: Vec<Value> = tracks
        .iter()
        .filter(|t| t["type"] == "Video")
        .map(|t| {
            let mode = match t["FrameRate_Mode"].as_str() {
                Some("CFR") => Value::from("constant"),
                Some("VFR") => Value::from("variable"),
                _ => Value::Null,
            };
            serde_json::json!({"fps": number(&t["FrameRate"]), "frame_rate_mode": mode})
        })
        .collect();
    let mediainfo = serde_json::json!({
        "duration_s": general.and_then(|g| number(&g["Duration"])),
        "video": mediainfo_video,
    });
    [ffprobe, mediainfo]
}

impl Tally {
    fn check(&mut self, file: &str, place: &str, expected: &Value, actual: &Value, same: bool) {
        self.total += 1;
        if same {
            self.agree += 1;
        } else {
            self.lines.push(format!(
                "{file} {place}: expected {}, reelcheck {}",
                show(expected),
                show(actual)
            ));
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

fn near(expected: &Value, actual: &Value, tol: f64) -> bool {
    match (expected.as_f64(), actual.as_f64()) {
        (Some(e), Some(a)) => (e - a).abs() <= tol,
        _ => expected.is_null() && actual.is_null(),
    }
}

/// The HDR kind reelcheck reports: a string, or an object naming its kind.
fn hdr_kind(v: &Value) -> Value {
    match v {
        Value::Object(o) => ["kind", "format", "type"]
            .iter()
            .find_map(|k| o.get(*k).cloned())
            .unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// `expected` and reelcheck's `actual` streams of one kind ("video" or "audio"), by position.
fn streams(
    tallies: &mut BTreeMap<&'static str, Tally>,
    file: &str,
    kind: &str,
    expected: &Value,
    actual: &Value,
) {
    let none = Vec::new();
    let want = expected[kind].as_array().unwrap_or(&none);
    let got = actual[kind].as_array().unwrap_or(&none);
    for (i, e) in want.iter().enumerate() {
        let missing = Value::Null;
        let a = got.get(i).unwrap_or(&missing);
        let place = |f: &str| format!("{kind}[{i}].{f}");
        let mut t = |fact: &'static str,
                     field: &str,
                     same: fn(&Value, &Value) -> bool,
                     map: fn(&Value) -> Value| {
            let Some(ev) = e.get(field) else { return };
            let av = map(&a[field]);
            tallies
                .entry(fact)
                .or_default()
                .check(file, &place(field), ev, &av, same(ev, &av));
        };
        let id = |v: &Value| v.clone();
        t("frame rate", "fps", |e, a| near(e, a, TOL_FPS), id);
        t("frame-rate mode", "frame_rate_mode", |e, a| e == a, id);
        t(
            "stream duration",
            "duration_s",
            |e, a| near(e, a, TOL_S),
            id,
        );
        t("bit depth", "bit_depth", |e, a| e == a, id);
        t("HDR", "hdr", |e, a| e == a, hdr_kind);
        // The finer facts a truth names for some files only.
        t(
            "frame-rate range",
            "fps_min",
            |e, a| near(e, a, TOL_FPS),
            id,
        );
        t(
            "frame-rate range",
            "fps_max",
            |e, a| near(e, a, TOL_FPS),
            id,
        );
        t("pulldown, interlace", "pulldown", |e, a| e == a, id);
        t("pulldown, interlace", "interlaced", |e, a| e == a, id);
        t("HDR metadata", "dolby_vision_profile", |e, a| e == a, id);
        t("HDR metadata", "max_cll", |e, a| e == a, id);
        t("HDR metadata", "max_fall", |e, a| e == a, id);
        t("rotation", "rotation", |e, a| near(e, a, 0.5), id);
        if let Some(ev) = e.get("max_luminance") {
            let av = &a["mastering_display"]["max_luminance"];
            tallies.entry("HDR metadata").or_default().check(
                file,
                &place("max_luminance"),
                ev,
                av,
                near(ev, av, 0.5),
            );
        }
    }
}

/// Checks one file's facts against its truth, into `tallies`.
fn compare(tallies: &mut BTreeMap<&'static str, Tally>, name: &str, entry: &Value, actual: &Value) {
    let e = &entry["expected"];
    let tools = tool_readings(entry);
    // Refused with a reason exactly when nothing plays in the file.
    let unplayable = e["unplayable"] == true;
    let refused = actual["error"].is_string();
    if unplayable || refused {
        let said = |r: bool| Value::from(if r { "refused" } else { "read" });
        tallies.entry("nothing to play").or_default().check(
            name,
            "the file",
            &said(unplayable),
            &said(refused),
            refused == unplayable,
        );
        if refused && unplayable {
            return;
        }
    }
    let container = &actual["container"];
    tallies.entry("container duration").or_default().check(
        name,
        "container.duration_s",
        &e["duration_s"],
        &container["duration_s"],
        near(&e["duration_s"], &container["duration_s"], TOL_S),
    );
    for (i, t) in tools.iter().enumerate() {
        let same = near(&e["duration_s"], &t["duration_s"], TOL_S);
        tallies
            .entry("container duration")
            .or_default()
            .tool(i, same);
    }
    // A file is truncated or it is not: an absent fact reads as "not established".
    tallies.entry("truncation").or_default().check(
        name,
        "container.truncated",
        &e["truncated"],
        &container["truncated"],
        e["truncated"] == container["truncated"],
    );
    streams(tallies, name, "video", e, actual);
    let none = Vec::new();
    for (i, v) in e["video"].as_array().unwrap_or(&none).iter().enumerate() {
        for (k, t) in tools.iter().enumerate() {
            let read = &t["video"][i];
            if let Some(fps) = v.get("fps") {
                let same = near(fps, &read["fps"], TOL_FPS);
                tallies.entry("frame rate").or_default().tool(k, same);
            }
            if let Some(mode) = v.get("frame_rate_mode") {
                let same = mode == &read["frame_rate_mode"];
                tallies.entry("frame-rate mode").or_default().tool(k, same);
            }
        }
    }
    streams(tallies, name, "audio", e, actual);
    let p = &actual["provenance"];
    tallies.entry("provenance status").or_default().check(
        name,
        "provenance.status",
        &e["provenance"]["status"],
        &p["status"],
        e["provenance"]["status"] == p["status"],
    );
    tallies.entry("C2PA present").or_default().check(
        name,
        "provenance.c2pa.present",
        &e["provenance"]["c2pa_present"],
        &p["c2pa"]["present"],
        e["provenance"]["c2pa_present"] == p["c2pa"]["present"],
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real");
    let text = match std::fs::read_to_string(root.join("reference.json")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read fixtures/real/reference.json: {e}");
            std::process::exit(2);
        }
    };
    let reference: BTreeMap<String, Value> = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fixtures/real/reference.json is not valid JSON: {e}");
            std::process::exit(2);
        }
    };
    let files: Vec<(&String, &Value)> = reference
        .iter()
        .filter(|(name, _)| !name.starts_with('_'))
        .collect();

    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Provenance);
    let config = ProbeSettings::new(needs);
    let facts: Vec<Value> = files
        .par_iter()
        .map(|(name, _)| {
            serde_json::to_value(probe(&root.join(name), &config)).unwrap_or(Value::Null)
        })
        .collect();

    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut checking: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for ((name, entry), actual) in files.iter().zip(&facts) {
        let e = &entry["expected"];
        if e["set"] == "checking" {
            compare(&mut checking, name, entry, actual);
        } else {
            compare(&mut tallies, name, entry, actual);
        }
    }
    // The checking set counts towards the whole, but its disagreements are listed only on
    // request (REAL_SHOW_CHECKING=1): tuning must not look at them.
    let show_checking = std::env::var_os("REAL_SHOW_CHECKING").is_some();
    for (fact, c) in &checking {
        let t = tallies.entry(fact).or_default();
        t.agree += c.agree;
        t.total += c.total;
        for (mine, theirs) in t.tools.iter_mut().zip(c.tools) {
            if let Some(n) = theirs {
                *mine.get_or_insert(0) += n;
            }
        }
        if show_checking {
            t.lines
                .extend(c.lines.iter().map(|l| format!("(checking) {l}")));
        }
    }

    println!(
        "real-media agreement: {} files in fixtures/real",
        files.len()
    );
    // A file reelcheck could not read at all explains many of its disagreements at once.
    for ((name, _), actual) in files.iter().zip(&facts) {
        if let Some(err) = actual["error"].as_str() {
            println!("  {:<18} {name}: {err}", "file error");
        }
    }
    for fact in FACTS {
        if let Some(t) = tallies.get(fact) {
            for line in &t.lines {
                println!("  {fact:<18} {line}");
            }
        }
    }
    println!();
    table("all files", &tallies);
    let held: Vec<&&String> = files
        .iter()
        .filter(|(_, e)| e["expected"]["set"] == "checking")
        .map(|(n, _)| n)
        .collect();
    println!();
    println!(
        "checking set: {} files kept apart from tuning (`\"set\": \"checking\"` in their truth)",
        held.len()
    );
    table("checking set", &checking);
}

/// The agreement per fact, and in all, beside ffprobe's and mediainfo's on the facts they
/// report (the frame rate, its mode, the container's duration).
fn table(title: &str, tallies: &BTreeMap<&'static str, Tally>) {
    println!(
        "{title:<20} {:>9} {:>9} {:>9}",
        "reelcheck", "ffprobe", "mediainfo"
    );
    let (mut agree, mut total) = (0, 0);
    for fact in FACTS {
        let Some(t) = tallies.get(fact).filter(|t| t.total > 0) else {
            continue;
        };
        let tool = |n: Option<usize>| n.map_or("-".to_string(), |n| format!("{n}/{}", t.total));
        println!(
            "{fact:<20} {:>9} {:>9} {:>9}",
            format!("{}/{}", t.agree, t.total),
            tool(t.tools[0]),
            tool(t.tools[1])
        );
        agree += t.agree;
        total += t.total;
    }
    println!("{:<20} {:>9}", "total", format!("{agree}/{total}"));
}

//! reelcheck on the real-media set in fixtures/real (files made by other people; origins in
//! SOURCES.md) against the readings committed beside them in reference.json: ffprobe's for the
//! header facts, and the hand-written `expected` truth for the facts that decide verdicts.
//!
//! Header facts must agree on every file. For the verdict facts, the disagreements known today
//! are listed in `KNOWN_DISAGREEMENTS`; any other disagreement fails, and so does an entry that
//! has started to agree, so that a fix moves it out of the list into the asserted set.

use crate::support::{json, run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (file, fact) pairs where reelcheck does not report the reference's truth, each with the
/// reason it is defended or not yet fixed. Shrink only.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[
    // Provenance. The truth, "capture", is right about the file: AndroidX Media's
    // portrait_4k60.mp4 is a phone camera's recording. reelcheck's "unknown" is right about
    // the evidence, and stays: this cut carries only com.android.version (and FFmpeg's encoder
    // tag from the cut), which Android's MediaMuxer writes for every app that saves a video,
    // editors, screen recorders and generators included. The same tag, with a location, is in
    // hlg10-color-test.mp4 and sample_empty_track.mp4, test clips whose truth is "unknown".
    // Taking it as camera evidence would warn every AI film exported on an Android phone that
    // it "declares camera capture" (provenance.no_capture), on a tag that says nothing of a
    // camera; no tool reads capture from it either (ffprobe and mediainfo only list it).
    ("portrait_4k60.first-0.24s.mp4", "provenance.status"),
];

/// Files reelcheck refuses with a reason although the reference knows their facts; every
/// verdict fact of theirs is a disagreement, so they are listed once here instead of fact by
/// fact. The MP4 cut after 120000 bytes: its `mdat` box runs 194213 bytes past the end of the
/// file, and an MP4 whose boxes are cut is refused as "truncated" (an error entry, never a
/// pass) rather than measured from the 17 video packets that remain.
const KNOWN_UNREADABLE: &[&str] = &["sample_no_bframes.cut-120000.mp4"];

/// Facts reelcheck does not report yet. They are compared as soon as the field appears in the
/// JSON; then their disagreements must be fixed or listed above.
const NOT_YET_REPORTED: &[&str] = &[];

const TOL_FPS: f64 = 0.01;
const TOL_S: f64 = 0.05;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real")
}

fn reference() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(dir().join("reference.json")).expect("reference.json");
    let all: BTreeMap<String, Value> = serde_json::from_str(&text).expect("reference.json");
    all.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .collect()
}

/// reelcheck's facts for every file of the set, by file name, from one run.
fn probe_all(reference: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let paths: Vec<String> = reference
        .keys()
        .map(|name| dir().join(name).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["probe", "--format", "json", "--with", "provenance"];
    args.extend(paths.iter().map(String::as_str));
    let (_, out, err) = run(&args);
    let facts = json(&out);
    let list = facts.as_array().unwrap_or_else(|| panic!("no list: {err}"));
    assert_eq!(list.len(), reference.len(), "one entry per file: {err}");
    list.iter()
        .map(|f| (f["file_name"].as_str().unwrap_or("").to_string(), f.clone()))
        .collect()
}

/// ffprobe's streams of one type, in file order.
fn ffprobe_streams<'a>(entry: &'a Value, kind: &str) -> Vec<&'a Value> {
    entry["ffprobe"]["streams"]
        .as_array()
        .map(|s| s.iter().filter(|s| s["codec_type"] == kind).collect())
        .unwrap_or_default()
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

#[test]
fn header_facts_agree_with_ffprobe_on_every_real_file() {
    let reference = reference();
    let facts = probe_all(&reference);
    let mut wrong = Vec::new();
    let mut compared = 0;
    for (name, entry) in &reference {
        let f = &facts[name];
        // A file reelcheck refuses has no header facts to compare; the other test pins the list.
        if f["error"].is_string() {
            continue;
        }
        for (i, s) in ffprobe_streams(entry, "video").iter().enumerate() {
            let v = &f["video"][i];
            let mut same = |what: &str, ours: &Value, theirs: Option<Value>| {
                compared += 1;
                if theirs.as_ref() != Some(ours) {
                    wrong.push(format!(
                        "{name} video[{i}].{what}: ffprobe {theirs:?}, reelcheck {ours}"
                    ));
                }
            };
            // ffprobe names no codec it has no decoder for; reelcheck says so as an error.
            if let Some(codec) = s.get("codec_name") {
                same("codec", &v["codec"], Some(codec.clone()));
            }
            same("width", &v["width"], s.get("width").cloned());
            same("height", &v["height"], s.get("height").cloned());
            // FFmpeg's display-matrix angle is counter-clockwise; reelcheck gives the clockwise
            // turn that shows the picture upright.
            let turn = s["side_data"]
                .as_array()
                .and_then(|sd| sd.iter().find_map(|d| d["rotation"].as_f64()))
                .filter(|r| *r != 0.0)
                .map(|r| (-r).rem_euclid(360.0));
            same(
                "rotation",
                &v["rotation"],
                Some(turn.map_or(Value::Null, Value::from)),
            );
        }
        for (i, s) in ffprobe_streams(entry, "audio").iter().enumerate() {
            let a = &f["audio"][i];
            let mut same = |what: &str, ours: &Value, theirs: Option<Value>| {
                compared += 1;
                if theirs.as_ref() != Some(ours) {
                    wrong.push(format!(
                        "{name} audio[{i}].{what}: ffprobe {theirs:?}, reelcheck {ours}"
                    ));
                }
            };
            same("codec", &a["codec"], s.get("codec_name").cloned());
            same("channels", &a["channels"], s.get("channels").cloned());
            let rate = num(&s["sample_rate"]).map(|r| Value::from(r as u64));
            same("sample_rate", &a["sample_rate"], rate);
        }
    }
    assert!(compared > 150, "only {compared} header facts compared");
    assert!(
        wrong.is_empty(),
        "header facts differ from ffprobe:\n{}",
        wrong.join("\n")
    );
}

/// Every verdict fact of one file that differs from its `expected` block, as "fact" names.
fn disagreements(expected: &Value, facts: &Value, reported: &BTreeSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let near = |e: &Value, a: &Value, tol: f64| match (e.as_f64(), a.as_f64()) {
        (Some(e), Some(a)) => (e - a).abs() <= tol,
        _ => e.is_null() && a.is_null(),
    };
    let c = &facts["container"];
    if !near(&expected["duration_s"], &c["duration_s"], TOL_S) {
        out.push("container.duration_s".to_string());
    }
    if reported.contains("container.truncated") && expected["truncated"] != c["truncated"] {
        out.push("container.truncated".to_string());
    }
    for kind in ["video", "audio"] {
        let none = Vec::new();
        for (i, e) in expected[kind]
            .as_array()
            .unwrap_or(&none)
            .iter()
            .enumerate()
        {
            let a = &facts[kind][i];
            let mut check = |field: &str, same: bool| {
                let generic = format!("{kind}[].{field}");
                let known_field = !NOT_YET_REPORTED.contains(&generic.as_str())
                    || reported.contains(generic.as_str());
                if e.get(field).is_some() && known_field && !same {
                    out.push(format!("{kind}[{i}].{field}"));
                }
            };
            check("fps", near(&e["fps"], &a["fps"], TOL_FPS));
            check(
                "frame_rate_mode",
                e["frame_rate_mode"] == a["frame_rate_mode"],
            );
            check(
                "duration_s",
                near(&e["duration_s"], &a["duration_s"], TOL_S),
            );
            check("bit_depth", e["bit_depth"] == a["bit_depth"]);
            let hdr = match &a["hdr"] {
                Value::Object(o) => o.get("kind").cloned().unwrap_or(Value::Null),
                other => other.clone(),
            };
            check("hdr", e["hdr"] == hdr);
            // The finer facts a truth names for some files only: the range of a variable rate,
            // pulldown and interlacing, the Dolby Vision profile, HDR10's light levels, the turn.
            check("fps_min", near(&e["fps_min"], &a["fps_min"], TOL_FPS));
            check("fps_max", near(&e["fps_max"], &a["fps_max"], TOL_FPS));
            check("pulldown", e["pulldown"] == a["pulldown"]);
            check("interlaced", e["interlaced"] == a["interlaced"]);
            check(
                "dolby_vision_profile",
                e["dolby_vision_profile"] == a["dolby_vision_profile"],
            );
            check("max_cll", e["max_cll"] == a["max_cll"]);
            check("max_fall", e["max_fall"] == a["max_fall"]);
            check(
                "max_luminance",
                near(
                    &e["max_luminance"],
                    &a["mastering_display"]["max_luminance"],
                    0.5,
                ),
            );
            check("rotation", near(&e["rotation"], &a["rotation"], 0.5));
        }
    }
    let p = &facts["provenance"];
    if expected["provenance"]["status"] != p["status"] {
        out.push("provenance.status".to_string());
    }
    if expected["provenance"]["c2pa_present"] != p["c2pa"]["present"] {
        out.push("provenance.c2pa.present".to_string());
    }
    out
}

#[test]
fn verdict_facts_match_the_expected_truth_or_are_known_disagreements() {
    let reference = reference();
    let facts = probe_all(&reference);
    // A field counts as reported once reelcheck emits it for any file.
    let mut reported = BTreeSet::new();
    for f in facts.values() {
        if f["container"].get("truncated").is_some() {
            reported.insert("container.truncated");
        }
        for (kind, field, name) in [
            ("video", "frame_rate_mode", "video[].frame_rate_mode"),
            ("video", "hdr", "video[].hdr"),
            ("audio", "bit_depth", "audio[].bit_depth"),
        ] {
            let any = f[kind]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s.get(field).is_some()));
            if any {
                reported.insert(name);
            }
        }
    }

    let known: BTreeSet<(String, String)> = KNOWN_DISAGREEMENTS
        .iter()
        .map(|(f, k)| (f.to_string(), k.to_string()))
        .collect();
    let mut found = BTreeSet::new();
    let mut unreadable_now = BTreeSet::new();
    for (name, entry) in &reference {
        let f = &facts[name];
        if f["error"].is_string() {
            unreadable_now.insert(name.clone());
            continue;
        }
        for fact in disagreements(&entry["expected"], f, &reported) {
            found.insert((name.clone(), fact));
        }
    }
    let new: Vec<_> = found.difference(&known).collect();
    let fixed: Vec<_> = known.difference(&found).collect();
    // A file that holds nothing to play (an initialisation segment, blanked media data) is
    // refused with a reason; so are the known unreadable ones.
    let unplayable = reference
        .iter()
        .filter(|(_, e)| e["expected"]["unplayable"] == true)
        .map(|(name, _)| name.clone());
    let unreadable: BTreeSet<String> = KNOWN_UNREADABLE
        .iter()
        .map(|s| s.to_string())
        .chain(unplayable)
        .collect();
    assert!(
        new.is_empty(),
        "reelcheck disagrees with fixtures/real/reference.json on facts not in KNOWN_DISAGREEMENTS:\n{new:#?}"
    );
    assert!(
        fixed.is_empty(),
        "these now agree: move them out of KNOWN_DISAGREEMENTS:\n{fixed:#?}"
    );
    assert_eq!(
        unreadable_now, unreadable,
        "the files reelcheck cannot probe changed: update KNOWN_UNREADABLE"
    );
    // The set is only useful while most facts are asserted.
    assert!(found.len() < 80, "{} known disagreements", found.len());
}

/// A file cut short fails on both tracks with the reason in its message; a file with nothing to
/// play is an error entry with a one-line reason, never a pass.
#[test]
fn cut_and_empty_real_files_never_pass_either_track() {
    let names = [
        "bbb_1920x1080_60fps_vp8.cut-1MiB.webm",
        "dashinit.mp4",
        "video_init.mp4",
        "bt601.zeroed-mdat.mov",
        "sample_no_bframes.cut-120000.mp4",
    ];
    let paths: Vec<String> = names
        .iter()
        .map(|n| dir().join(n).to_string_lossy().into_owned())
        .collect();
    for track in ["human", "ai"] {
        let mut args = vec!["check", "--quick", "--format", "json", "--track", track];
        args.extend(paths.iter().map(String::as_str));
        let (code, out, err) = run(&args);
        assert_ne!(code, 0, "{err}");
        let report = json(&out);
        let files = report["files"].as_array().expect("files");
        let by_name = |n: &str| {
            files
                .iter()
                .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(n)))
                .unwrap_or_else(|| panic!("{n} missing"))
        };
        let cut = by_name(names[0]);
        assert_eq!(cut["status"], "fail", "{track}: {cut:#}");
        assert_eq!(cut["facts"]["container"]["truncated"], true);
        let rule = cut["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "file.complete")
            .expect("file.complete");
        assert_eq!(rule["status"], "fail", "{rule:#}");
        assert_eq!(
            rule["message"],
            "The file is cut short: its header says 0:01, but picture and sound end at \
             0:00.3. Export or upload it again."
        );
        for (name, reason) in [
            (names[1], "only its header"),
            (names[2], "only its header"),
            (names[3], "every byte is zero"),
            (names[4], "incomplete"),
        ] {
            let f = by_name(name);
            assert_eq!(f["status"], "error", "{track}: {f:#}");
            let e = f["error"].as_str().unwrap_or("");
            assert!(e.contains(reason) && !e.contains('\n'), "{name}: {e}");
        }
    }
}

/// A header's length that is not what plays gives no figure worked out from it: a fragmented
/// MP4 whose movie header claims 39:46:05.6 read as 5 bit/s, its streams as 5 and 1 bit/s.
#[test]
fn bit_rates_are_not_worked_out_from_a_header_length_that_does_not_play() {
    for name in [
        "sample_fragmented.mp4",
        "bbb_800x640_768kbps_30fps_avc_2b_firstpts_10_sec.mp4",
        "bbb_1920x1080_60fps_vp8.cut-1MiB.webm",
    ] {
        let path = dir().join(name);
        let (_, out, err) = run(&["probe", "--format", "json", path.to_str().unwrap()]);
        let f = &json(&out)[0];
        let c = &f["container"];
        let size = f["size_bytes"].as_f64().unwrap_or(0.0);
        let plays = c["duration_s"].as_f64().expect(&err);
        let rate = c["bit_rate"].as_f64().unwrap_or(0.0);
        let over_what_plays = size * 8.0 / plays;
        assert!(
            (rate - over_what_plays).abs() < 0.01 * over_what_plays,
            "{name}: {rate} bit/s, {over_what_plays} over what plays"
        );
        for s in f["video"]
            .as_array()
            .into_iter()
            .chain(f["audio"].as_array())
            .flatten()
        {
            // Unknown, or a rate a real stream can have; never bits per second in single figures.
            let r = &s["bit_rate"];
            assert!(r.is_null() || r.as_f64() > Some(8000.0), "{name}: {s:#}");
        }
    }
}

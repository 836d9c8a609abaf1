//! Subtitle tracks: sidecar files beside the film and embedded text streams, their cue
//! statistics, and the built-in warnings over them.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const GOOD_SRT: &str = "1\n00:00:00,200 --> 00:00:01,400\nA short line.\n\n2\n00:00:01,500 --> 00:00:01,900\n<i>Bye.</i>\n";

/// 2 s of film; the French file breaks every limit: a 50-character line, 30 chars/s, a cue
/// that ends at 0:05.
const BAD_SRT: &str = "1\n00:00:00,000 --> 00:00:01,000\nThis line is far too long for anyone to read fast\n\n2\n00:00:04,000 --> 00:00:05,000\nLate.\n";

const GOOD_VTT: &str =
    "WEBVTT\n\nNOTE made by hand\n\nfirst\n00:00.500 --> 00:01.500 align:start\nHello.\n";

const BROKEN_SRT: &str = "1\n00:00:01 --> 00:00:02\nNo milliseconds.\n";

fn base() -> PathBuf {
    film("subs-base.mp4", 2)
}

/// The base film in a folder of its own with sidecars named after it.
fn with_sidecars(dir: &Path) -> PathBuf {
    let film = copy_into(&base(), dir, "film.mp4");
    for (name, text) in [
        ("film.en.srt", GOOD_SRT),
        ("film.fr.srt", BAD_SRT),
        ("film.vtt", GOOD_VTT),
        ("film.de.srt", BROKEN_SRT),
        ("other.srt", GOOD_SRT),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    film
}

fn embedded() -> PathBuf {
    let srt = input_file("srt", BAD_SRT);
    let base = base();
    media(
        "subs-embedded.mp4",
        &[
            "-i",
            base.to_str().unwrap(),
            "-i",
            srt.to_str().unwrap(),
            "-map",
            "0",
            "-map",
            "1",
            "-c",
            "copy",
            "-c:s",
            "mov_text",
            "-metadata:s:s:0",
            "language=eng",
        ],
    )
}

fn probe_subtitles(film: &Path) -> Vec<Value> {
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "subtitles",
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0]["subtitles"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn by_file<'a>(subs: &'a [Value], suffix: &str) -> &'a Value {
    subs.iter()
        .find(|s| s["file"].as_str().is_some_and(|f| f.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no sidecar {suffix} in {subs:#?}"))
}

fn results(film: &Path) -> Vec<Value> {
    let (_, out, err) = run(&["check", "--format", "json", film.to_str().unwrap()]);
    let report = json(&out);
    report["files"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no results: {out}\n{err}"))
}

fn result<'a>(results: &'a [Value], id: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no result for {id}"))
}

#[test]
fn sidecars_are_found_and_measured() {
    let dir = tempfile::tempdir().unwrap();
    let film = with_sidecars(dir.path());
    let subs = probe_subtitles(&film);
    assert_eq!(subs.len(), 4, "other.srt is not this film's: {subs:#?}");
    assert!(subs
        .iter()
        .all(|s| s["source"] == "sidecar" && s["index"].is_null()));

    let en = by_file(&subs, "film.en.srt");
    assert_eq!(en["language"], "en");
    assert_eq!(en["codec"], "subrip");
    assert_eq!(en["cues"]["count"], 2);
    assert_eq!(en["cues"]["first_start_s"], 0.2);
    assert_eq!(en["cues"]["last_end_s"], 1.9);
    assert_eq!(en["cues"]["longest_line_chars"], 13);
    assert_eq!(en["cues"]["past_end"], 0);
    assert!(en["cues"]["error"].is_null());

    let fr = by_file(&subs, "film.fr.srt");
    assert_eq!(fr["cues"]["longest_line_chars"], 49);
    assert_eq!(fr["cues"]["max_chars_per_s"], 49.0);
    assert_eq!(fr["cues"]["past_end"], 1);

    let vtt = by_file(&subs, "film.vtt");
    assert_eq!(vtt["codec"], "webvtt");
    assert!(vtt["language"].is_null());
    assert_eq!(vtt["cues"]["count"], 1);

    let de = by_file(&subs, "film.de.srt");
    let err = de["cues"]["error"].as_str().unwrap();
    assert!(
        err.starts_with("line 2:") && err.contains("00:00:01"),
        "{err}"
    );
    assert!(de["cues"]["count"].is_null());

    // Without the analyzer the sidecars are listed, not read.
    let (_, out, _) = run(&["probe", "--format", "json", film.to_str().unwrap()]);
    let listed = &json(&out)[0]["subtitles"];
    assert_eq!(listed.as_array().map(Vec::len), Some(4));
    assert!(listed[0].get("cues").is_none());
}

#[test]
fn builtin_rules_warn_about_sidecars_that_break_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let film = with_sidecars(dir.path());
    let rs = results(&film);
    for id in [
        "subtitles.readable",
        "subtitles.within_runtime",
        "subtitles.line_length",
        "subtitles.reading_speed",
    ] {
        let r = result(&rs, id);
        assert_eq!(
            (r["status"].as_str(), r["severity"].as_str()),
            (Some("fail"), Some("warning")),
            "{r:#}"
        );
    }
    let r = result(&rs, "subtitles.line_length");
    assert!(r["actual"].as_str().unwrap().contains("49"), "{r:#}");
    assert_eq!(result(&rs, "subtitles.lines")["status"], "pass");
}

#[test]
fn embedded_text_subtitles_are_measured_from_their_packets() {
    let film = embedded();
    let subs = probe_subtitles(&film);
    let s = subs
        .iter()
        .find(|s| s["source"] == "embedded")
        .unwrap_or_else(|| panic!("{subs:#?}"));
    assert_eq!(s["codec"], "mov_text");
    assert_eq!(s["language"], "eng");
    assert_eq!(s["cues"]["count"], 2, "{s:#}");
    assert_eq!(s["cues"]["longest_line_chars"], 49);
    assert_eq!(s["cues"]["first_start_s"], 0.0);
    assert_eq!(s["cues"]["past_end"], 1);
    assert_eq!(
        result(&results(&film), "subtitles.line_length")["status"],
        "fail"
    );
}

#[test]
fn films_without_subtitles_skip_the_subtitle_rules() {
    let rs = results(&base());
    assert_eq!(result(&rs, "subtitles.line_length")["status"], "skip");
}

#[test]
fn embedded_cues_read_alongside_the_audio_pass_match_a_pass_of_their_own() {
    let film = embedded();
    let f = film.to_str().unwrap();
    let subs = |with: &str| {
        let (code, out, err) = run(&["probe", "--with", with, "--format", "json", f]);
        assert_eq!(code, 0, "{err}");
        json(&out)[0]["subtitles"].clone()
    };
    let alone = subs("subtitles");
    let together = subs("audio,subtitles");
    assert_eq!(alone, together);
    assert_eq!(together[0]["cues"]["count"], 2, "{together:#}");
}

//! The main picture is decoded once: when the video analyzer decodes every frame, the credits,
//! black and fingerprint analyzers read the pictures it kept (`sampler::Film`) instead of
//! decoding the film again, and find what their own decodes would have found.

use crate::credits::recipe;
use crate::media::preset::H264_ULTRAFAST;
use crate::support::*;
use reelcheck_probe::sampler::{Film, Picture, Sampler};
use reelcheck_probe::{container, source, video_qc};
use std::path::Path;

/// The video analyzer's decode of `path`, asked to keep the film for the sampler.
fn decode_keeping(path: &Path) -> Option<Film> {
    let mut input = source::open_input(path).unwrap();
    let mut header = container::read(&mut input);
    let stated = video_qc::Stated {
        container_s: header.container.duration_s,
        cut_short_s: None,
        size_bytes: std::fs::metadata(path).ok().map(|m| m.len()),
    };
    let decoded = video_qc::analyze(&mut input, &mut header.video, &stated, None, true).unwrap();
    assert!(decoded.stopped.is_none());
    decoded.film
}

/// Six seconds of moving picture at 24 frames a second, a keyframe every two.
fn six_seconds(name: &str) -> std::path::PathBuf {
    let args = [
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=320x180:r=24,trim=duration=6",
            "-g",
            "48",
        ][..],
        H264_ULTRAFAST,
    ]
    .concat();
    media(name, &args)
}

fn every_picture(s: &mut Sampler) -> Vec<Picture> {
    let mut got = Vec::new();
    s.scan(0.0, f64::INFINITY, 0.0, |p| {
        got.push(p);
        true
    })
    .unwrap();
    got
}

fn same(a: &Picture, b: &Picture) {
    assert!((a.t - b.t).abs() < 1e-9, "{} against {}", a.t, b.t);
    assert_eq!(a.luma.px, b.luma.px, "the picture at {} differs", a.t);
}

#[test]
fn the_film_the_video_analyzer_kept_hands_over_what_decoding_would() {
    let path = six_seconds("one-decode-keyframes.mp4");
    let film = decode_keeping(&path).expect("a 6-s film fits and decodes cleanly: kept");
    let mut kept = Sampler::open(&path).unwrap().unwrap();
    kept.adopt(film);
    let mut fresh = Sampler::open(&path).unwrap().unwrap();

    for t in [0.0, 1.0, 2.0, 3.99, 4.0, 5.9, 30.0] {
        let a = kept.keyframe_at(t).unwrap().unwrap();
        let b = fresh.keyframe_at(t).unwrap().unwrap();
        same(&a, &b);
    }
    let (a, b) = (every_picture(&mut kept), every_picture(&mut fresh));
    assert_eq!(a.len(), 144, "every frame of 6 s at 24 frames a second");
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        same(a, b);
    }
    let tail = kept.kept_end(5.0).unwrap();
    assert_eq!(tail.len(), 24);
    assert!(tail.iter().all(|(_, l)| l.is_some()));

    assert_eq!(kept.decoded, 0, "the kept film was decoded again");
    assert!(fresh.decoded >= 144);
}

#[test]
fn a_film_too_long_to_keep_is_not_kept_and_is_decoded_as_before() {
    // 1,500 pictures of 320 x 180 are 86 MB as the sampler keeps them: more than it may.
    let args = [
        &[
            "-f",
            "lavfi",
            "-i",
            "color=gray:s=320x180:r=25,trim=duration=60",
        ][..],
        H264_ULTRAFAST,
    ]
    .concat();
    let path = media("one-decode-too-long.mp4", &args);
    assert!(decode_keeping(&path).is_none());
}

#[test]
fn a_damaged_film_is_not_kept() {
    // Bytes zeroed in the middle of the picture data: the decoder conceals, a seek past the
    // damage would decode otherwise, so the other analyzers decode their own pictures.
    let whole = six_seconds("one-decode-keyframes.mp4");
    let mut bytes = std::fs::read(&whole).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 4096].fill(0);
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.mp4");
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(decode_keeping(&whole).is_some());
    assert!(decode_keeping(&damaged).is_none());
}

#[test]
fn every_analyzer_finds_the_same_credits_and_black_as_the_sampler_alone() {
    // A short film (16.5 s) with a one-second end card: kept whole by the video analyzer.
    let book = recipe::book();
    let r = book
        .film
        .iter()
        .find(|r| r.name == "short-end-card")
        .unwrap();
    let film = recipe::make(r);
    let p = film.to_str().unwrap();
    let probe = |with: &str| {
        let (code, out, err) = run(&["probe", "--with", with, "--format", "json", p]);
        assert_eq!(code, 0, "{err}");
        json(&out)[0].clone()
    };
    let all = probe("all");
    let alone = probe("credits,black");
    assert_eq!(all["credits"], alone["credits"]);
    let start = all["credits"]["start_s"].as_f64().unwrap();
    assert!((start - 15.0).abs() <= 0.5, "credits from {start}");
    for k in ["black_head_s", "black_tail_s"] {
        assert_eq!(all["video"][0][k], alone["video"][0][k], "{k}");
    }
    assert!(all["video"][0]["black_tail_s"].as_f64().is_some());
    // The fingerprint's pictures come from the same pictures.
    assert_eq!(
        all["fingerprint"]["frames"], alone["fingerprint"]["frames"],
        "fingerprint"
    );
}

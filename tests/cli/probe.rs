//! `reelcheck probe`: header facts agree with ffprobe on the same files.

use crate::samples;
use crate::support::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn ffprobe(path: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    json(&String::from_utf8_lossy(&out.stdout))
}

fn probe_json(path: &Path) -> Value {
    let (code, out, err) = run(&["probe", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0].clone()
}

fn rate(r: &str) -> f64 {
    let (n, d) = r.split_once('/').unwrap();
    n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_str()
        .map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

/// Every value that ffprobe also reports must agree.
fn assert_agrees(path: &Path) {
    let ours = probe_json(path);
    let theirs = ffprobe(path);
    let f = &theirs["format"];
    assert_eq!(
        ours["container"]["format"],
        f["format_name"],
        "{}",
        path.display()
    );
    let dur = num(&f["duration"]);
    assert!(
        (ours["container"]["header_duration_s"].as_f64().unwrap() - dur).abs() < 0.001,
        "{}",
        path.display()
    );
    // The runtime is how long picture and sound play, measured from their packets: it may
    // differ from the header's duration by a frame or an audio packet (a Matroska header
    // leaves out the last audio packet's length).
    let runtime = ours["container"]["duration_s"].as_f64().unwrap();
    assert!(
        runtime <= dur + 0.05 && runtime > dur - 0.1,
        "{}: {runtime} against {dur}",
        path.display()
    );
    assert_eq!(ours["size_bytes"].as_u64().unwrap(), num(&f["size"]) as u64);

    let streams = theirs["streams"].as_array().unwrap();
    let videos: Vec<&Value> = streams
        .iter()
        .filter(|s| s["codec_type"] == "video")
        .collect();
    let audios: Vec<&Value> = streams
        .iter()
        .filter(|s| s["codec_type"] == "audio")
        .collect();
    assert_eq!(ours["video"].as_array().unwrap().len(), videos.len());
    assert_eq!(ours["audio"].as_array().unwrap().len(), audios.len());
    for (o, t) in ours["video"].as_array().unwrap().iter().zip(&videos) {
        assert_eq!(o["index"], t["index"]);
        assert_eq!(o["codec"], t["codec_name"]);
        assert_eq!(o["width"], t["width"]);
        assert_eq!(o["height"], t["height"]);
        assert_eq!(o["pix_fmt"], t["pix_fmt"]);
        if let Some(p) = t["profile"].as_str() {
            assert_eq!(o["profile"], p);
        }
        let fps = rate(t["avg_frame_rate"].as_str().unwrap());
        if fps > 0.0 {
            assert!(
                (o["fps"].as_f64().unwrap() - fps).abs() < 0.001,
                "{} fps",
                path.display()
            );
        }
    }
    for (o, t) in ours["audio"].as_array().unwrap().iter().zip(&audios) {
        assert_eq!(o["index"], t["index"]);
        assert_eq!(o["codec"], t["codec_name"]);
        assert_eq!(o["channels"], t["channels"]);
        assert_eq!(
            o["sample_rate"].as_u64().unwrap(),
            num(&t["sample_rate"]) as u64
        );
        if let Some(l) = t["channel_layout"].as_str() {
            assert_eq!(o["channel_layout"], l);
        }
    }
}

#[test]
fn agrees_with_ffprobe_across_codecs_and_containers() {
    for c in ["hevc", "prores", "vp9", "h264-mkv"] {
        assert_agrees(&samples::codec(c));
    }
    assert_agrees(&samples::good());
}

#[test]
fn agrees_with_ffprobe_across_audio_layouts() {
    for l in ["mono", "stereo", "5.1", "none", "two"] {
        assert_agrees(&samples::audio(l));
    }
}

#[test]
fn reports_codecs_containers_and_layouts() {
    let f = probe_json(&samples::codec("prores"));
    assert_eq!(f["video"][0]["codec"], "prores");
    // FFmpeg's mov muxer writes the index after the media unless asked not to.
    assert_eq!(f["container"]["faststart"], false);
    let f = probe_json(&samples::codec("vp9"));
    assert_eq!(f["container"]["format"], "matroska,webm");
    assert_eq!(f["video"][0]["codec"], "vp9");
    assert_eq!(f["audio"][0]["codec"], "opus");
    assert_eq!(f["container"]["faststart"], Value::Null);
    let f = probe_json(&samples::audio("5.1"));
    assert_eq!(f["audio"][0]["channels"], 6);
    assert_eq!(f["audio"][0]["channel_layout"], "5.1");
    let f = probe_json(&samples::audio("two"));
    assert_eq!(f["audio"][0]["language"], "eng");
    assert_eq!(f["audio"][1]["language"], "fra");
    assert_eq!(f["audio"][1]["sample_rate"], 44100);
    let f = probe_json(&samples::audio("none"));
    assert_eq!(f["audio"], serde_json::json!([]));
}

#[test]
fn reports_faststart_chapters_and_tags() {
    let good = probe_json(&samples::good());
    assert_eq!(good["container"]["faststart"], true);
    assert_eq!(good["video"][0]["profile"], "High");
    assert_eq!(good["video"][0]["interlaced"], false);
    let slow = probe_json(&samples::variant("slow-start.mp4"));
    assert_eq!(slow["container"]["faststart"], false);

    let ch = probe_json(&samples::chapters());
    let chapters = ch["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), 2);
    assert_eq!(chapters[1]["title"], "End Credits");
    assert!((chapters[1]["start_s"].as_f64().unwrap() - 1.5).abs() < 1e-6);
    assert!((chapters[1]["end_s"].as_f64().unwrap() - 3.0).abs() < 1e-6);
    assert_eq!(ch["container"]["tags"]["title"], "Arrival of a Train");
}

#[test]
fn text_output_names_what_people_look_for() {
    let path = samples::good();
    let (code, out, _) = run(&["probe", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("h264 (High) 640x360"), "{out}");
    assert!(out.contains("25 fps"), "{out}");
    assert!(out.contains("aac (LC) stereo 48 kHz"), "{out}");
    assert!(out.contains("1:01"), "{out}");
    assert!(out.contains("moov at the front"), "{out}");
}

#[test]
fn probe_keeps_argument_order_and_reports_errors_inline() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.mp4");
    std::fs::write(&bad, b"not a film").unwrap();
    let good = samples::good();
    let (code, out, _) = run(&[
        "probe",
        "--format",
        "json",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "a file that cannot be probed makes probe exit 1");
    let v = json(&out);
    assert_eq!(v[0]["file_name"], "bad.mp4");
    assert!(v[0]["error"].as_str().unwrap().contains("not a media file"));
    assert_eq!(v[1]["error"], Value::Null);
    assert!(
        v[1].get("credits").is_none(),
        "analyzers that did not run leave their facts absent"
    );
}

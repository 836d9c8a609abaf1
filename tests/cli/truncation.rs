//! Films cut short, films with nothing to play, and how their lengths are shown: made with the
//! ffmpeg CLI and cut or blanked byte by byte.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// 8 s of 160x90 pattern at 25 fps with a tone, in the container `ext` names.
fn source(ext: &str) -> PathBuf {
    let codecs: &[&str] = match ext {
        "webm" => &[
            "-c:v",
            "libvpx",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-c:a",
            "libopus",
        ],
        "flv" => &["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
        _ => &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
    };
    lavfi(
        &format!("trunc-source.{ext}"),
        &[
            "testsrc2=size=160x90:rate=25",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[&["-t", "8", "-ac", "2"], codecs].concat(),
    )
}

/// The first `share` of a file's bytes, saved as `name`.
fn cut(path: &Path, share: f64, name: &str) -> PathBuf {
    let bytes = std::fs::read(path).unwrap();
    let keep = (bytes.len() as f64 * share) as usize;
    save(name, &bytes[..keep])
}

fn probe(path: &Path, with: &str) -> Value {
    let mut args = vec!["probe", "--format", "json"];
    if !with.is_empty() {
        args.extend(["--with", with]);
    }
    args.push(path.to_str().unwrap());
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    json(&out)[0].clone()
}

fn check(path: &Path, track: &str, quick: bool) -> Value {
    let mut args = vec!["check", "--format", "json", "--track", track];
    if quick {
        args.push("--quick");
    }
    args.push(path.to_str().unwrap());
    let (_, out, _) = run(&args);
    json(&out)["files"][0].clone()
}

fn rule<'a>(file: &'a Value, id: &str) -> &'a Value {
    file["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {file:#}"))
}

#[test]
fn whole_films_have_every_stream_length_and_are_not_cut_short() {
    for ext in ["mkv", "webm", "flv", "mp4"] {
        let f = probe(&source(ext), "");
        let c = &f["container"];
        assert_eq!(c["truncated"], false, "{ext}: {c}");
        let runtime = c["duration_s"].as_f64().unwrap();
        assert!((runtime - 8.0).abs() < 0.1, "{ext}: {runtime}");
        for kind in ["video", "audio"] {
            let d = f[kind][0]["duration_s"].as_f64();
            assert!(
                d.is_some_and(|d| (d - 8.0).abs() < 0.1),
                "{ext} {kind}: {:?}",
                d
            );
        }
    }
}

#[test]
fn a_sound_track_that_stops_early_keeps_its_length_where_only_packets_give_it() {
    // 20 s of picture with a keyframe every 2 s, sound for the first 12 s only: the last
    // packets (from the last keyframe) hold no sound, and Matroska and WebM give no stream
    // lengths in their headers, so the sound's length comes from reading all its packets.
    for (ext, audio) in [("mkv", "aac"), ("webm", "libopus")] {
        let video: &[&str] = if ext == "webm" {
            &["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"]
        } else {
            crate::media::preset::H264_ULTRAFAST
        };
        let film = media(
            &format!("early-sound.{ext}"),
            &[
                &[
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=160x90:rate=25:duration=20",
                    "-f",
                    "lavfi",
                    "-i",
                    "sine=frequency=440:sample_rate=48000:duration=12",
                    "-g",
                    "50",
                    "-c:a",
                    audio,
                ],
                video,
            ]
            .concat(),
        );
        let f = probe(&film, "");
        assert_eq!(f["container"]["truncated"], false, "{ext}");
        let length = |kind: &str| f[kind][0]["duration_s"].as_f64();
        assert!(
            length("video").is_some_and(|d| (d - 20.0).abs() < 0.1),
            "{ext}: {:?}",
            length("video")
        );
        assert!(
            length("audio").is_some_and(|d| (d - 12.0).abs() < 0.1),
            "{ext}: {:?}",
            length("audio")
        );
    }
}

#[test]
fn a_film_cut_short_fails_both_tracks_with_what_its_header_says() {
    for ext in ["mkv", "webm", "flv"] {
        let film = cut(&source(ext), 0.5, &format!("trunc-half.{ext}"));
        let f = probe(&film, "");
        let c = &f["container"];
        assert_eq!(c["truncated"], true, "{ext}: {c}");
        let runtime = c["duration_s"].as_f64().unwrap();
        assert!(runtime > 1.0 && runtime < 7.0, "{ext}: {runtime}");
        // The streams' lengths are what remains, not what the header claimed.
        for kind in ["video", "audio"] {
            let d = f[kind][0]["duration_s"].as_f64().unwrap();
            assert!(d < 7.0, "{ext} {kind}: {d}");
        }
        for track in ["human", "ai"] {
            let file = check(&film, track, true);
            assert_eq!(file["status"], "fail", "{ext} {track}");
            let r = rule(&file, "file.complete");
            assert_eq!(r["status"], "fail", "{ext} {track}: {r:#}");
            let m = r["message"].as_str().unwrap();
            assert!(
                m.starts_with("The file is cut short: its header says 0:08")
                    && m.contains("but picture and sound end at")
                    && !m.contains('{'),
                "{ext}: {m}"
            );
        }
    }
}

#[test]
fn an_mp4_initialisation_segment_is_an_error_with_its_reason() {
    let fragmented = media(
        "trunc-fragmented.mp4",
        &[
            "-i",
            source("mp4").to_str().unwrap(),
            "-c",
            "copy",
            "-movflags",
            "frag_keyframe+empty_moov+default_base_moof",
        ],
    );
    let bytes = std::fs::read(&fragmented).unwrap();
    let moof = bytes.windows(4).position(|w| w == b"moof").unwrap() - 4;
    let init = save("trunc-init.mp4", &bytes[..moof]);
    for track in ["human", "ai"] {
        let file = check(&init, track, true);
        assert_eq!(file["status"], "error", "{file:#}");
        let e = file["error"].as_str().unwrap();
        assert!(e.contains("only its header") && !e.contains('\n'), "{e}");
    }
    // The whole fragmented film plays its 8 s.
    let f = probe(&fragmented, "");
    assert!((f["container"]["duration_s"].as_f64().unwrap() - 8.0).abs() < 0.1);
}

#[test]
fn sound_that_decodes_a_fraction_of_its_length_has_no_loudness() {
    let film = source("mp4");
    let mut bytes = std::fs::read(&film).unwrap();
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap() + 4;
    // Everything after the first fifth of the media data is blanked: the packets are there,
    // their contents are not.
    let from = mdat + (bytes.len() - mdat) / 5;
    let end = bytes.len();
    bytes[from..end].fill(0);
    let blanked = save("trunc-blanked.mp4", &bytes);
    let a = &probe(&blanked, "audio")["audio"][0];
    let l = &a["loudness"];
    assert!(l["integrated_lufs"].is_null(), "{a:#}");
    assert!(l["true_peak_dbtp"].is_null(), "{a:#}");
    let why = l["reason"].as_str().unwrap();
    assert!(why.contains("decodes"), "{why}");
    // The whole film's sound is measured.
    let whole = &probe(&film, "audio")["audio"][0]["loudness"];
    assert!(whole["integrated_lufs"].is_number() && whole["reason"].is_null());
}

#[test]
fn a_sound_track_that_stops_early_is_shown_without_a_negative_length() {
    let film = lavfi(
        "trunc-early-sound.mp4",
        &[
            "testsrc2=size=160x90:rate=25",
            "sine=frequency=440:sample_rate=48000:duration=3",
        ],
        &[
            "-t",
            "8",
            "-ac",
            "2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
        ],
    );
    let file = check(&film, "human", false);
    let r = rule(&file, "audio.ends_early");
    assert_eq!(r["status"], "fail", "{r:#}");
    let found = r["actual"].as_str().unwrap();
    assert!(found.contains("before the picture ends"), "{found}");
    assert_eq!(r["expected"], "no earlier than 2 s before the picture ends");
    let (_, text, _) = run(&["check", "--track", "human", film.to_str().unwrap()]);
    for line in text.lines().filter(|l| l.contains("found")) {
        assert!(!line.contains(": -"), "{line}");
    }
}

#[test]
fn a_cue_that_ends_on_the_last_frame_is_not_past_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&source("mkv"), dir.path(), "film.mkv");
    // 8 s at 25 fps: the last frame ends at 8.000, and starts at 7.960.
    std::fs::write(
        dir.path().join("film.en.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:07,000 --> 00:00:08,000\nEnd.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("film.fr.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nBonjour.\n\n2\n00:00:09,000 --> 00:00:10,000\nFin.\n",
    )
    .unwrap();
    let f = probe(&film, "subtitles");
    let subs = f["subtitles"].as_array().unwrap();
    let past = |suffix: &str| {
        subs.iter()
            .find(|s| s["file"].as_str().is_some_and(|p| p.ends_with(suffix)))
            .map(|s| s["cues"]["past_end"].clone())
            .unwrap()
    };
    assert_eq!(past("film.en.srt"), 0);
    assert_eq!(past("film.fr.srt"), 1);
}

#[test]
fn an_asf_runtime_is_where_its_packets_end_not_its_header_estimate() {
    // ASF states a play duration (less its preroll) that FFmpeg copies into every stream; the
    // picture here starts 46 ms in, so the header's length runs 46 ms past the last frame.
    let wmv = lavfi(
        "trunc-asf.wmv",
        &[
            "testsrc2=size=320x240:rate=25:duration=6",
            "sine=frequency=440:sample_rate=48000:duration=6",
        ],
        &["-c:v", "wmv2", "-c:a", "wmav2"],
    );
    let f = probe(&wmv, "");
    let c = &f["container"];
    let d = c["duration_s"].as_f64().unwrap();
    assert!((d - 6.046).abs() < 0.01, "{c:#}");
    assert_eq!(c["truncated"], false);
    let v = f["video"][0]["duration_s"].as_f64().unwrap();
    assert!((v - 6.0).abs() < 0.01, "{:#}", f["video"][0]);
}

#[test]
fn a_whole_matroska_whose_last_subtitle_runs_past_the_picture_is_not_cut_short() {
    // The last cue starts before the last keyframe (where the end is read from) and ends 3 s
    // after the picture: the segment's duration is the cue's end, and every byte is there.
    let srt = input_file(
        "srt",
        "1\n00:00:00,500 --> 00:00:01,000\nHello\n\n2\n00:00:02,000 --> 00:00:09,000\nThe end\n",
    );
    let mkv = lavfi(
        "trunc-subtitle-past-end.mkv",
        &[
            "testsrc2=size=160x90:rate=25:duration=6",
            "sine=frequency=440:sample_rate=48000:duration=6",
        ],
        &[
            "-i",
            srt.to_str().unwrap(),
            "-map",
            "0",
            "-map",
            "1",
            "-map",
            "2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-c:a",
            "aac",
            "-c:s",
            "srt",
        ],
    );
    let c = probe(&mkv, "")["container"].clone();
    assert!(c["header_duration_s"].as_f64().unwrap() > 8.9, "{c:#}");
    assert_eq!(c["truncated"], false, "{c:#}");
    // The same file cut before the last cue is cut short.
    let cut_mkv = cut(&mkv, 0.2, "trunc-subtitle-past-end.cut.mkv");
    assert_eq!(probe(&cut_mkv, "")["container"]["truncated"], true);
}

//! `reelcheck check`: each built-in rule passing and failing on real films, the JSON report,
//! exit codes, --strict, custom rule files and a stable order whatever the parallelism.

use crate::samples;
use crate::support::*;
use serde_json::Value;
use std::path::Path;

/// The JSON report of checking `paths` with `extra` flags; asserts the exit code.
fn report(paths: &[&Path], extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let strs: Vec<String> = paths
        .iter()
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    args.extend(strs.iter().map(String::as_str));
    let (got, out, err) = run(&args);
    assert_eq!(got, code, "exit code for {paths:?}: {err}\n{out}");
    json(&out)
}

/// The status of rule `id` for the only file checked.
fn rule(path: &Path, id: &str) -> String {
    rule_with(path, id, &[])
}

fn rule_with(path: &Path, id: &str, extra: &[&str]) -> String {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let (_, out, err) = run(&args);
    let v = json(&out);
    let results = v["files"][0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{err}{out}"));
    let r = results
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"));
    r["status"].as_str().unwrap().to_string()
}

#[test]
fn runtime_limits_include_the_boundaries() {
    let cases = [
        (59, "fail", "pass"),
        (60, "pass", "pass"),
        (900, "pass", "pass"),
        (901, "pass", "fail"),
    ];
    for (secs, min, max) in cases {
        let film = samples::mp4_secs(secs);
        let v = report(
            &[&film],
            &[],
            if min == "pass" && max == "pass" { 0 } else { 1 },
        );
        let results = v["files"][0]["results"].as_array().unwrap();
        let status = |id: &str| results.iter().find(|r| r["id"] == id).unwrap()["status"].clone();
        assert_eq!(status("runtime.min"), min, "{secs} s");
        assert_eq!(status("runtime.max"), max, "{secs} s");
        let file_status = if min == "pass" && max == "pass" {
            "pass"
        } else {
            "fail"
        };
        assert_eq!(v["files"][0]["status"], file_status, "{secs} s");
    }
    let v = report(&[&samples::mp4_secs(59)], &[], 1);
    let r = v["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "runtime.min")
        .unwrap()
        .clone();
    assert_eq!(r["expected"], "≥ 1:00 (±0.5 s)");
    assert_eq!(r["actual"], "59 s");
    assert_eq!(r["severity"], "error");
    assert!(r["source"].as_str().unwrap().contains("Call for entries"));
}

#[test]
fn a_good_film_passes_every_rule_but_the_resolution_note() {
    let v = report(&[&samples::good()], &["--strict"], 0);
    let f = &v["files"][0];
    assert_eq!(f["status"], "pass");
    for r in f["results"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap_or("");
        let expect = if id == "video.resolution" {
            "fail"
        } else if id.starts_with("subtitles.") && id != "subtitles.readable" {
            "skip" // the film has no subtitles to measure
        } else {
            "pass"
        };
        assert_eq!(r["status"], expect, "{r}");
    }
    assert_eq!(v["rule_set"]["name"], "human");
    assert_eq!(v["rule_set"]["track"], "human");
    assert_eq!(v["rule_set"]["source"], "built-in");
    let summary = &v["summary"];
    for (key, want) in [
        ("files", 1),
        ("passed", 1),
        ("failed", 0),
        ("errors", 0),
        ("warnings", 0),
        ("provisional", 0),
    ] {
        assert_eq!(summary[key], want, "{key}: {summary}");
    }
    // Nothing was left out for want of decoding; the subtitle rules found no subtitles.
    assert_eq!(summary["skipped"]["needs_decoding"], 0, "{summary}");
    let skipped = f["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "skip")
        .count();
    assert_eq!(summary["skipped"]["no_stream"], skipped, "{summary}");
    assert_eq!(f["facts"]["video"][0]["codec"], "h264");
}

#[test]
fn stream_presence_rules() {
    assert_eq!(rule(&samples::audio("none"), "audio.present"), "fail");
    assert_eq!(rule(&samples::audio("stereo"), "audio.present"), "pass");
    assert_eq!(rule(&samples::audio_only(), "video.present"), "fail");
    assert_eq!(rule(&samples::good(), "video.present"), "pass");
    assert_eq!(rule(&samples::two_video(), "video.single"), "fail");
    assert_eq!(rule(&samples::good(), "video.single"), "pass");
    // Stream rules have nothing to look at in a file without that stream.
    assert_eq!(rule(&samples::audio("none"), "audio.sample_rate"), "skip");
}

#[test]
fn container_rules() {
    assert_eq!(
        rule(&samples::codec("h264-mkv"), "container.format"),
        "fail"
    );
    assert_eq!(rule(&samples::codec("prores"), "container.format"), "pass");
    assert_eq!(
        rule(&samples::variant("slow-start.mp4"), "container.faststart"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "container.faststart"), "pass");
    // `when`: the faststart rule applies to MP4 only.
    assert_eq!(
        rule(&samples::codec("h264-mkv"), "container.faststart"),
        "skip"
    );
}

#[test]
fn video_rules() {
    assert_eq!(rule(&samples::codec("vp9"), "video.codec"), "fail");
    assert_eq!(rule(&samples::codec("hevc"), "video.codec"), "pass");
    assert_eq!(
        rule(&samples::variant("baseline.mp4"), "video.h264_profile"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "video.h264_profile"), "pass");
    assert_eq!(rule(&samples::codec("hevc"), "video.h264_profile"), "skip");
    assert_eq!(rule(&samples::audio("stereo"), "video.min_width"), "fail");
    assert_eq!(rule(&samples::good(), "video.min_width"), "pass");
    let odd = samples::variant("odd-size.mkv");
    assert_eq!(rule(&odd, "video.even_width"), "fail");
    assert_eq!(rule(&odd, "video.even_height"), "fail");
    assert_eq!(rule(&samples::good(), "video.even_width"), "pass");
    assert_eq!(rule(&samples::good(), "video.even_height"), "pass");
    assert_eq!(
        rule(&samples::variant("odd-rate.mp4"), "video.frame_rate"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "video.frame_rate"), "pass");
    assert_eq!(
        rule(&samples::variant("interlaced.mp4"), "video.progressive"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "video.progressive"), "pass");
    assert_eq!(
        rule(&samples::variant("yuv444.mp4"), "video.chroma"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "video.chroma"), "pass");
    assert_eq!(rule(&samples::good(), "video.resolution"), "fail");
}

#[test]
fn audio_rules() {
    assert_eq!(rule(&samples::variant("opus.mkv"), "audio.codec"), "fail");
    assert_eq!(rule(&samples::good(), "audio.codec"), "pass");
    assert_eq!(
        rule(&samples::variant("44k.mp4"), "audio.sample_rate"),
        "fail"
    );
    assert_eq!(rule(&samples::good(), "audio.sample_rate"), "pass");
    // Every track must be 48 kHz: the second track of this film is 44.1 kHz.
    assert_eq!(rule(&samples::audio("two"), "audio.sample_rate"), "fail");
    assert_eq!(rule(&samples::audio("mono"), "audio.stereo"), "fail");
    assert_eq!(rule(&samples::audio("5.1"), "audio.stereo"), "fail");
    // Any track may be the stereo one.
    assert_eq!(rule(&samples::audio("two"), "audio.stereo"), "pass");
}

#[test]
fn file_rules() {
    let dir = tempfile::tempdir().unwrap();
    let spaced = copy_into(&samples::good(), dir.path(), "My Film (final).mp4");
    assert_eq!(rule(&spaced, "file.name"), "fail");
    assert_eq!(rule(&samples::good(), "file.name"), "pass");
    assert_eq!(rule(&samples::good(), "file.size"), "pass");
    // No test film is 10 GB: show the size rule failing through an override of its limit.
    let rules = dir.path().join("small.toml");
    std::fs::write(
        &rules,
        "extends = \"human\"\n[[override]]\nid = \"file.size\"\nvalue = \"1 MB\"\n",
    )
    .unwrap();
    assert_eq!(
        rule_with(
            &samples::good(),
            "file.size",
            &["--rules", rules.to_str().unwrap()]
        ),
        "fail"
    );
}

#[test]
fn warnings_pass_unless_strict() {
    let film = samples::variant("44k.mp4");
    // 2 s long: fails runtime. Use a rule set without runtime rules to isolate warnings.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "extends = \"common\"\ndisable = [\"runtime.min\", \"credits.found\"]\n",
    )
    .unwrap();
    let r = rules.to_str().unwrap();
    let v = report(&[&film], &["--rules", r], 0);
    assert_eq!(v["files"][0]["status"], "pass");
    assert_eq!(v["summary"]["warnings"], 1);
    let v = report(&[&film], &["--rules", r, "--strict"], 1);
    assert_eq!(v["files"][0]["status"], "fail");
}

#[test]
fn ai_track_uses_its_own_rule_set() {
    let v = report(&[&samples::good()], &["--track", "ai"], 0);
    assert_eq!(v["rule_set"]["name"], "ai");
    assert_eq!(v["rule_set"]["track"], "ai");
}

#[test]
fn folders_are_searched_in_a_stable_order_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_into(&samples::good(), d, "b/film.mp4");
    copy_into(&samples::good(), d, "a/one.mov");
    copy_into(&samples::audio("mono"), d, "a/two.mp4");
    copy_into(&samples::good(), d, ".hidden/secret.mp4");
    copy_into(&samples::good(), d, "a/.draft.mp4");
    // Found by content, though it has no extension.
    copy_into(&samples::good(), d, "c/noext");
    std::fs::write(d.join("a/notes.txt"), "call sheet").unwrap();
    let mut orders = Vec::new();
    for jobs in ["1", "2", "8"] {
        let v = report(&[d], &["--jobs", jobs], 1);
        let paths: Vec<String> = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let path = Path::new(f["path"].as_str().unwrap())
                    .strip_prefix(d)
                    .unwrap()
                    .display()
                    .to_string();
                format!("{path} {}", f["status"].as_str().unwrap())
            })
            .collect();
        orders.push(paths);
    }
    // Hidden files and documents are listed in their place, not checked.
    assert_eq!(
        orders[0],
        vec![
            ".hidden/secret.mp4 ignored",
            "a/.draft.mp4 ignored",
            "a/notes.txt ignored",
            "a/one.mov pass",
            "a/two.mp4 fail",
            "b/film.mp4 pass",
            "c/noext pass"
        ]
    );
    assert_eq!(orders[0], orders[1]);
    assert_eq!(orders[0], orders[2]);
}

#[test]
fn text_report_lists_failures_with_expected_and_actual() {
    let short = samples::mp4_secs(59);
    let good = samples::good();
    let (code, out, _) = run(&["check", short.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("FAIL   ") && out.contains("runtime-59s.mp4"),
        "{out}"
    );
    assert!(
        out.contains("PASS   ") && out.contains("runtime-61s.mp4"),
        "{out}"
    );
    assert!(
        out.contains("error    runtime.min  The film runs 0:59, shorter than 1 minute"),
        "{out}"
    );
    assert!(
        out.contains("expected at least 1 minute, found 0:59"),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("2 files: 1 passed, 1 failed, 0 errors, 0 warnings"),
        "{out}"
    );
}

#[test]
fn custom_rules_with_when_any_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("fest.toml");
    std::fs::write(
        &rules,
        r#"
name = "fest"
[[rule]]
id = "french-track"
fact = "audio[any].language"
op = "eq"
value = "fra"
severity = "error"
message = "Include the French dub."

[[rule]]
id = "two-tracks"
fact = "count(audio)"
op = "between"
value = [2, 4]
severity = "error"
message = "Send 2 to 4 audio tracks."

[[rule]]
id = "mkv-only-rule"
fact = "video[0].height"
op = "ge"
value = 1080
when = [{ fact = "container.format", op = "matches", value = "matroska" }, { fact = "count(audio)", op = "ge", value = 3 }]
severity = "error"
message = "Matroska entries with 3+ tracks must be HD."
"#,
    )
    .unwrap();
    let r = rules.to_str().unwrap();
    let v = report(&[&samples::audio("two")], &["--rules", r], 0);
    let results = v["files"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "pass");
    assert_eq!(results[0]["actual"], "audio[0]: eng, audio[1]: fra");
    assert_eq!(results[1]["status"], "pass");
    assert_eq!(results[2]["status"], "skip");
    assert!(results[2]["reason"]
        .as_str()
        .unwrap()
        .contains("count(audio)"));
    let v = report(&[&samples::audio("stereo")], &["--rules", r], 1);
    assert_eq!(v["files"][0]["results"][0]["status"], "fail");
    assert_eq!(v["files"][0]["results"][1]["actual"], "1");
}

#[test]
fn sound_rules() {
    let tone = "sine=frequency=440:sample_rate=48000";
    let good = samples::sound("tone", tone, "4");
    for id in [
        "audio.not_silent",
        "audio.loudness.min",
        "audio.loudness.max",
        "audio.true_peak",
        "audio.ends_early",
        "audio.clipping",
    ] {
        assert_eq!(rule(&good, id), "pass", "{id}");
    }
    let silent = samples::sound(
        "silent",
        "anullsrc=sample_rate=48000:channel_layout=stereo",
        "4",
    );
    assert_eq!(rule(&silent, "audio.not_silent"), "fail");
    let quiet = samples::sound("quiet", &format!("{tone},volume=-25dB"), "4");
    assert_eq!(rule(&quiet, "audio.loudness.min"), "fail");
    assert_eq!(rule(&quiet, "audio.loudness.max"), "pass");
    // Square-ish and hot: too loud, peaking over -1 dBTP, clipping.
    let loud = samples::sound("loud", &format!("{tone},volume=30dB"), "4");
    assert_eq!(rule(&loud, "audio.loudness.max"), "fail");
    assert_eq!(rule(&loud, "audio.true_peak"), "fail");
    assert_eq!(rule(&loud, "audio.clipping"), "fail");
    let short = samples::sound("short", tone, "1");
    assert_eq!(rule(&short, "audio.ends_early"), "fail");
}

#[test]
fn credits_rules() {
    assert_eq!(rule(&samples::good(), "credits.found"), "pass");
    assert_eq!(rule(&samples::good(), "credits.share"), "pass");
    assert_eq!(rule(&samples::variant("44k.mp4"), "credits.found"), "fail");
    // Credits were not found: there is no share to judge.
    assert_eq!(rule(&samples::variant("44k.mp4"), "credits.share"), "skip");
    // A film that is mostly credits.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "extends = \"human\"\n[[override]]\nid = \"credits.share\"\nvalue = 0.1\n",
    )
    .unwrap();
    assert_eq!(
        rule_with(
            &samples::good(),
            "credits.share",
            &["--rules", rules.to_str().unwrap()]
        ),
        "fail"
    );
    // --quick leaves analyzer rules skipped, with the reason.
    let (_, out, _) = run(&[
        "check",
        "--quick",
        "--format",
        "json",
        samples::good().to_str().unwrap(),
    ]);
    let v = json(&out);
    let r = v["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "credits.found")
        .unwrap()
        .clone();
    assert_eq!(r["status"], "skip");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("needs the credits analysis"),
        "{r}"
    );
}

#[test]
fn silence_thresholds_are_settable_and_reach_the_workers() {
    // A tone at about -70 dBFS: silence to FFmpeg's default -60 dB threshold, sound to -80 dB.
    let faint = samples::sound(
        "faint",
        "sine=frequency=440:sample_rate=48000,volume=-52dB",
        "4",
    );
    assert_eq!(rule(&faint, "audio.not_silent"), "fail");
    let f = faint.to_str().unwrap();
    let (_, out, err) = run(&[
        "check",
        "--no-cache",
        "--format",
        "json",
        "--silence-threshold",
        "-80",
        f,
    ]);
    let v = json(&out);
    let r = v["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "audio.not_silent")
        .unwrap()
        .clone();
    assert_eq!(r["status"], "pass", "{err}");

    // A one-second gap: listed only when the minimum length allows it.
    let gap = samples::sound(
        "gap",
        "sine=frequency=440:sample_rate=48000,volume=enable='between(t,1.5,2.5)':volume=0",
        "4",
    );
    let g = gap.to_str().unwrap();
    let silences = |extra: &[&str]| {
        let mut args = vec!["probe", "--format", "json", "--with", "audio"];
        args.extend_from_slice(extra);
        args.push(g);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        json(&out)[0]["audio"][0]["silence"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(silences(&[]), 0);
    assert_eq!(silences(&["--silence-min", "0.5"]), 1);
    let (code, _, err) = run(&["probe", "--silence-threshold", "6", g]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn text_report_says_values_as_a_filmmaker_does_with_a_fix() {
    // A small 4:2:2 10-bit H.264 picture in Matroska, whose sound stops 2.5 s early.
    let film = lavfi(
        "said-422-10bit.mkv",
        &[
            "testsrc2=size=320x180:rate=25:duration=4",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[
            "-t",
            "4",
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-af",
            "atrim=0:1.5",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv422p10le",
            "-c:a",
            "aac",
            "-ac",
            "2",
        ],
    );
    let (code, out, err) = run(&["check", "--no-cache", film.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    for said in [
        "Screeners are expected as MP4/MOV; this file is MKV (Matroska).",
        "expected MP4/MOV, found MKV (Matroska)",
        "The picture is 320 × 180, narrower than 640 pixels.",
        "The picture is 4:2:2 10-bit;",
        "the sound stops 2.5 s before the picture ends, at 0:02",
        "fix: HandBrake: Summary tab, Format: MP4",
        "fix: ffmpeg: -pix_fmt yuv420p",
    ] {
        assert!(out.contains(said), "{said}\n{out}");
    }
    // No selector, regular expression or FFmpeg name in what the filmmaker reads.
    for raw in [
        "video[0]",
        "audio[0]",
        "(^|,)",
        "yuv422p10le",
        "matroska,webm",
    ] {
        assert!(!out.contains(raw), "{raw}\n{out}");
    }
    // The JSON keeps the raw values beside the words.
    let (_, out, _) = run(&[
        "check",
        "--no-cache",
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    let report = json(&out);
    let results = report["files"][0]["results"].as_array().unwrap();
    let chroma = results.iter().find(|r| r["id"] == "video.chroma").unwrap();
    assert_eq!(chroma["actual"], "video[0]: yuv422p10le");
    assert_eq!(chroma["actual_text"], "4:2:2 10-bit");
    assert!(chroma["fix"].as_str().unwrap().contains("Premiere Pro"));
}

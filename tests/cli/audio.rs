//! The audio analyzer: EBU Tech 3341 loudness and true-peak cases, agreement with FFmpeg's own
//! ebur128 filter, silence, timing against the picture, clipping, identical channels, and bad
//! input. Media are made by ffmpeg into the test-media cache and kept short.

use crate::support::*;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_facts::{AudioStream, Facts, Segment};
use reelcheck_probe::audio::{self, AudioOptions};
use reelcheck_probe::read_ahead::ReadAhead;
use reelcheck_probe::{probe, ProbeSettings};
use std::path::Path;
use std::process::Command;

fn with_audio() -> Needs {
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Audio);
    needs
}

fn analysed(path: &Path) -> Facts {
    let facts = probe(path, &ProbeSettings::new(with_audio()));
    assert_eq!(facts.error, None, "{}", path.display());
    facts
}

fn first_track(facts: &Facts) -> &AudioStream {
    facts.audio.first().expect("an audio track")
}

/// Commas inside a filter's expression must be escaped in a lavfi graph.
fn esc(expr: &str) -> String {
    expr.replace(',', "\\,")
}

fn near(actual: Option<f64>, expected: f64, tol: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected about {expected}, got nothing"));
    assert!(
        (a - expected).abs() <= tol,
        "expected {expected} ±{tol}, got {a}"
    );
}

/// `A·sin(2π·f·t + phase)` on every channel, as PCM; `amp_db` is the sine's peak in dBFS.
fn sine(
    name: &str,
    channels: usize,
    amp_db: f64,
    freq: u32,
    phase: &str,
    secs: u32,
    codec: &str,
) -> std::path::PathBuf {
    let a = 10f64.powf(amp_db / 20.0);
    let one = format!("{a:.6}*sin(2*PI*{freq}*t+{phase})");
    let exprs = vec![one; channels].join("|");
    lavfi(
        name,
        &[&format!("aevalsrc=exprs={exprs}:s=48000:d={secs}")],
        &["-c:a", codec],
    )
}

// ---- EBU Tech 3341 ----------------------------------------------------------------------

#[test]
fn tech3341_case1_sine_at_minus_23_dbfs_reads_minus_23_lufs() {
    let f = analysed(&sine("a-3341-1.wav", 2, -23.0, 1000, "0", 20, "pcm_s24le"));
    let l = first_track(&f).loudness.clone().expect("loudness measured");
    near(l.integrated_lufs, -23.0, 0.1);
    near(l.range_lu, 0.0, 0.1);
    near(l.sample_peak_dbfs, -23.0, 0.05);
}

#[test]
fn tech3341_case2_sine_at_minus_33_dbfs_reads_minus_33_lufs() {
    let f = analysed(&sine("a-3341-2.wav", 2, -33.0, 1000, "0", 20, "pcm_s24le"));
    near(
        first_track(&f).loudness.clone().unwrap().integrated_lufs,
        -33.0,
        0.1,
    );
}

/// Integrated loudness of a 20 s stereo 1 kHz tone whose amplitude follows `level`.
fn integrated_of_tone(name: &str, level: &str) -> Option<f64> {
    let e = esc(&format!("{level}*sin(2*PI*1000*t)"));
    let path = lavfi(
        name,
        &[&format!("aevalsrc=exprs={e}|{e}:s=48000:d=20")],
        &["-c:a", "pcm_s24le"],
    );
    first_track(&analysed(&path))
        .loudness
        .clone()
        .unwrap()
        .integrated_lufs
}

#[test]
fn tech3341_case3_quiet_passages_are_gated_out() {
    // −36 / −23 / −36 dBFS: the quiet parts fall below the relative gate.
    let level = "if(between(t,3,17),0.070795,0.015849)";
    near(integrated_of_tone("a-3341-3.wav", level), -23.0, 0.1);
}

#[test]
fn tech3341_case4_near_silence_is_gated_out() {
    // −72 dBFS lies under the absolute gate (−70 LUFS) and must not pull the reading down.
    let level = "if(between(t,2,18),0.070795,0.000251)";
    near(integrated_of_tone("a-3341-4.wav", level), -23.0, 0.1);
}

#[test]
fn tech3341_true_peak_between_samples() {
    // 12 kHz at 48 kHz with a 45° phase: every sample sits at 0.707 of the sine's peak, so the
    // sample peak reads 3 dB under the true peak (Tech 3341 case 16; tolerance +0.2/−0.4 dB).
    let f = analysed(&sine("a-tp-6.wav", 2, -6.0, 12000, "PI/4", 2, "pcm_f32le"));
    let l = first_track(&f).loudness.clone().unwrap();
    let tp = l.true_peak_dbtp.unwrap();
    assert!((-6.4..=-5.8).contains(&tp), "true peak {tp}");
    near(l.sample_peak_dbfs, -9.01, 0.05);
}

#[test]
fn tech3341_true_peak_above_full_scale() {
    // Samples never pass 0 dBFS yet the waveform between them peaks at +3 dBTP (case 19).
    let f = analysed(&sine("a-tp+3.wav", 2, 3.0, 12000, "PI/4", 2, "pcm_f32le"));
    let l = first_track(&f).loudness.clone().unwrap();
    let tp = l.true_peak_dbtp.unwrap();
    assert!((2.6..=3.2).contains(&tp), "true peak {tp}");
    near(l.sample_peak_dbfs, 0.0, 0.05);
}

#[test]
fn mono_counts_once_as_ffmpeg_does() {
    // BS.1770 weights a single channel 1.0 (FFmpeg's dualmono=false): 3 dB under the stereo case.
    let f = analysed(&sine("a-mono-23.wav", 1, -23.0, 1000, "0", 10, "pcm_s16le"));
    near(
        first_track(&f).loudness.clone().unwrap().integrated_lufs,
        -26.0,
        0.1,
    );
}

#[test]
fn lfe_is_left_out_of_loudness() {
    // Only the LFE channel of a 2.1 track carries sound: no loudness, but it still has peaks.
    let path = lavfi(
        "a-lfe-only.wav",
        &["aevalsrc=exprs=0|0|0.5*sin(2*PI*60*t):channel_layout=2.1:s=48000:d=3"],
        &["-c:a", "pcm_s16le"],
    );
    let f = analysed(&path);
    let l = first_track(&f).loudness.clone().unwrap();
    assert_eq!(l.integrated_lufs, None);
    near(l.sample_peak_dbfs, -6.02, 0.05);
}

// ---- Agreement with FFmpeg ----------------------------------------------------------------

/// (integrated, range, true peak) from FFmpeg's ebur128 summary, which prints one decimal.
fn ffmpeg_ebur128(path: &Path) -> (f64, f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args([
            "-map",
            "0:a:0",
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = text.rsplit_once("Summary:").expect("an ebur128 summary").1;
    let value = |label: &str| -> f64 {
        summary
            .lines()
            .filter_map(|l| l.trim().strip_prefix(label))
            .next_back()
            .and_then(|r| r.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {label} in:\n{summary}"))
    };
    (value("I:"), value("LRA:"), value("Peak:"))
}

fn noise_mix(
    name: &str,
    layout: &str,
    channels: usize,
    rate: u32,
    codec: &[&str],
) -> std::path::PathBuf {
    let mut graph = String::new();
    for c in 0..channels {
        let amp = 0.25 / (1.0 + c as f64 * 0.4);
        graph += &format!(
            "anoisesrc=color=pink:sample_rate={rate}:amplitude={amp:.3}:seed={}:duration=8[c{c}];",
            c + 1
        );
    }
    let ins: String = (0..channels).map(|c| format!("[c{c}]")).collect();
    graph += &format!("{ins}join=inputs={channels}:channel_layout={layout},volume='0.6+0.4*sin(2*PI*t/3)':eval=frame[out]");
    let mut args = vec!["-filter_complex", graph.as_str(), "-map", "[out]"];
    args.extend_from_slice(codec);
    media(name, &args)
}

fn assert_agrees(path: &Path) {
    let (i, lra, tp) = ffmpeg_ebur128(path);
    let f = analysed(path);
    let l = first_track(&f).loudness.clone().unwrap();
    near(l.integrated_lufs, i, 0.1);
    near(l.range_lu, lra, 0.1);
    near(l.true_peak_dbtp, tp, 0.2);
}

#[test]
fn agrees_with_ffmpeg_on_stereo_aac_at_48k() {
    assert_agrees(&noise_mix(
        "a-agree-stereo.m4a",
        "stereo",
        2,
        48_000,
        &["-c:a", "aac"],
    ));
}

#[test]
fn agrees_with_ffmpeg_on_51_pcm_at_44k1() {
    assert_agrees(&noise_mix(
        "a-agree-51.wav",
        "5.1(side)",
        6,
        44_100,
        &["-c:a", "pcm_s16le"],
    ));
}

#[test]
fn agrees_with_ffmpeg_on_opus_from_96k() {
    assert_agrees(&noise_mix(
        "a-agree-opus.mkv",
        "stereo",
        2,
        96_000,
        &["-c:a", "libopus"],
    ));
}

// ---- Silence and timing -----------------------------------------------------------------

fn film_with_audio(
    name: &str,
    video_secs: u32,
    audio_expr: &str,
    audio_secs: u32,
) -> std::path::PathBuf {
    lavfi(
        name,
        &[
            &format!("testsrc2=size=160x90:rate=25:duration={video_secs}"),
            &format!("aevalsrc=exprs={audio_expr}:s=48000:d={audio_secs}"),
        ],
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "pcm_s16le",
        ],
    )
}

#[test]
fn silence_at_head_and_audio_ending_before_the_picture() {
    let e = esc("if(between(t,2,4),0.3*sin(2*PI*440*t),0)");
    let f = analysed(&film_with_audio("a-gap.mkv", 6, &format!("{e}|{e}"), 4));
    let a = first_track(&f);
    assert_eq!(a.silent, Some(false));
    near(a.silence_head_s, 2.0, 0.01);
    near(a.decoded_duration_s, 4.0, 0.01);
    let silence = a.silence.clone().unwrap();
    assert_eq!(silence.len(), 1, "{silence:?}");
    near(Some(silence[0].start_s), 0.0, 0.01);
    near(Some(silence[0].end_s), 2.0, 0.01);
    near(a.end_offset_s.flatten(), -2.0, 0.05);
    near(a.end_offset_frames.flatten(), -50.0, 1.0);
}

#[test]
fn audio_running_past_the_picture() {
    let e = "0.3*sin(2*PI*440*t)";
    let f = analysed(&film_with_audio("a-long.mkv", 3, &format!("{e}|{e}"), 6));
    near(first_track(&f).end_offset_s.flatten(), 3.0, 0.05);
}

#[test]
fn aac_in_mp4_ends_with_its_picture() {
    let path = lavfi(
        "a-even.mp4",
        &[
            "testsrc2=size=160x90:rate=25:duration=4",
            "sine=frequency=440:sample_rate=48000:duration=4",
        ],
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
        ],
    );
    let f = analysed(&path);
    let a = first_track(&f);
    near(a.end_offset_s.flatten(), 0.0, 0.05);
    assert_eq!(a.silence_head_s, Some(0.0));
}

#[test]
fn silence_in_the_middle_and_at_the_tail() {
    let e = esc("if(lt(t,1)+between(t,4,5),0.3*sin(2*PI*440*t+0.5),0)");
    let path = lavfi(
        "a-middle.wav",
        &[&format!("aevalsrc=exprs={e}|{e}:s=48000:d=7.5")],
        &["-c:a", "pcm_s16le"],
    );
    let f = analysed(&path);
    let a = first_track(&f);
    let s = a.silence.clone().unwrap();
    assert_eq!(s.len(), 2, "{s:?}");
    near(Some(s[0].start_s), 1.0, 0.01);
    near(Some(s[0].end_s), 4.0, 0.01);
    near(Some(s[1].start_s), 5.0, 0.01);
    near(Some(s[1].end_s), 7.5, 0.01);
    near(a.silence_tail_s, 2.5, 0.01);
    assert_eq!(
        a.end_offset_s,
        Some(None),
        "no picture: end offset does not apply"
    );
}

#[test]
fn silence_thresholds_are_settable() {
    // A 1 s gap is below the default 2 s minimum, but found with a 0.5 s one.
    let e = esc("if(between(t,1,2),0,0.3*sin(2*PI*440*t+0.5))");
    let path = lavfi(
        "a-short-gap.wav",
        &[&format!("aevalsrc=exprs={e}:s=48000:d=3")],
        &["-c:a", "pcm_s16le"],
    );
    assert_eq!(first_track(&analysed(&path)).silence, Some(vec![]));
    let mut facts = probe(&path, &ProbeSettings::new(Needs::header_only()));
    let opts = AudioOptions {
        min_silence_s: 0.5,
        ..AudioOptions::default()
    };
    audio::fill(&path, &mut facts, &opts, false, None).unwrap();
    let s = first_track(&facts).silence.clone().unwrap();
    assert_eq!(s.len(), 1, "{s:?}");
    near(Some(s[0].end_s - s[0].start_s), 1.0, 0.01);
}

#[test]
fn a_silent_track() {
    let path = lavfi(
        "a-silent.wav",
        &["anullsrc=channel_layout=stereo:sample_rate=48000"],
        &["-t", "3", "-c:a", "pcm_s16le"],
    );
    let f = analysed(&path);
    let a = first_track(&f);
    assert_eq!(a.silent, Some(true));
    assert_eq!(
        a.silence,
        Some(vec![Segment {
            start_s: 0.0,
            end_s: 3.0
        }])
    );
    near(a.silence_head_s, 3.0, 0.001);
    let l = a.loudness.clone().unwrap();
    assert_eq!(
        (
            l.integrated_lufs,
            l.range_lu,
            l.true_peak_dbtp,
            l.sample_peak_dbfs
        ),
        (None, None, None, None)
    );
    assert_eq!(a.identical_channels, Some(None));
}

// ---- Clipping and identical channels --------------------------------------------------------

#[test]
fn clipping_is_counted_in_runs() {
    // A full-scale square wave: every half period is one long run at the rails.
    let e = esc("if(lt(mod(t,0.01),0.005),1,-1)");
    let path = lavfi(
        "a-clipped.wav",
        &[&format!("aevalsrc=exprs={e}:s=48000:d=1")],
        &["-c:a", "pcm_s16le"],
    );
    let c = first_track(&analysed(&path)).clipping.clone().unwrap();
    assert!((195..=205).contains(&c.runs), "{c:?}");
    assert!(c.samples > 40_000, "{c:?}");
    assert_eq!(c.first_s, Some(0.0));

    let clean = sine("a-clean.wav", 2, -1.0, 1000, "0", 1, "pcm_s16le");
    assert_eq!(
        first_track(&analysed(&clean))
            .clipping
            .clone()
            .unwrap()
            .runs,
        0
    );
}

#[test]
fn stereo_that_is_really_mono() {
    let dual = sine("a-dual.wav", 2, -20.0, 440, "0", 2, "pcm_s16le");
    assert_eq!(
        first_track(&analysed(&dual)).identical_channels,
        Some(Some(true))
    );
    // Through a lossy codec as well.
    let aac = lavfi(
        "a-dual.m4a",
        &["sine=frequency=440:sample_rate=48000:duration=2"],
        &["-ac", "2", "-c:a", "aac"],
    );
    assert_eq!(
        first_track(&analysed(&aac)).identical_channels,
        Some(Some(true))
    );
    let wide = lavfi(
        "a-wide.wav",
        &["aevalsrc=exprs=0.3*sin(2*PI*440*t)|0.3*sin(2*PI*660*t):s=48000:d=2"],
        &["-c:a", "pcm_s16le"],
    );
    assert_eq!(
        first_track(&analysed(&wide)).identical_channels,
        Some(Some(false))
    );
    let mono = sine("a-mono.wav", 1, -20.0, 440, "0", 1, "pcm_s16le");
    assert_eq!(first_track(&analysed(&mono)).identical_channels, Some(None));
}

// ---- Bad input ------------------------------------------------------------------------------

#[test]
fn no_audio_is_a_fact_not_an_error() {
    let path = lavfi(
        "a-no-audio.mp4",
        &["testsrc2=size=160x90:rate=5:duration=1"],
        &["-c:v", "libx264", "-preset", "ultrafast"],
    );
    let f = analysed(&path);
    assert!(f.audio.is_empty());
}

#[test]
fn zero_length_audio_is_silent_and_ends_at_the_start() {
    let path = lavfi(
        "a-zero.mkv",
        &["testsrc2=size=160x90:rate=5", "sine=sample_rate=48000"],
        &[
            "-t",
            "2",
            "-frames:a",
            "0",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
        ],
    );
    let f = analysed(&path);
    let a = first_track(&f);
    assert_eq!(a.decoded_duration_s, Some(0.0));
    assert_eq!(a.silent, Some(true));
    near(a.end_offset_s.flatten(), -2.0, 0.05);
    assert_eq!(a.loudness.clone().unwrap().integrated_lufs, None);
}

#[test]
fn damaged_audio_is_counted() {
    // The noise bitstream filter flips bytes in about 1 in 50 of them.
    let path = lavfi(
        "a-damaged.mkv",
        &["sine=sample_rate=48000:duration=3"],
        &["-c:a", "aac", "-bsf:a", "noise=amount=50"],
    );
    let f = probe(&path, &ProbeSettings::new(with_audio()));
    match &f.error {
        Some(e) => assert!(e.contains("audio stream #0"), "{e}"),
        None => assert!(first_track(&f).decode_errors.unwrap() > 0),
    }
}

#[test]
fn undecodable_audio_is_a_clear_error() {
    let path = lavfi(
        "a-garbage.mkv",
        &["sine=sample_rate=48000:duration=3"],
        &["-c:a", "aac", "-bsf:a", "noise=amount=1"],
    );
    let f = probe(&path, &ProbeSettings::new(with_audio()));
    let e = f.error.expect("an error");
    assert!(e.contains("audio stream #0 (aac) is damaged"), "{e}");
    // The header facts survive, so a report can still say what the file is.
    assert_eq!(f.audio.len(), 1);
}

#[test]
fn many_channels_and_unusual_layouts() {
    for (name, channels, layout) in [
        ("a-16ch.wav", 16, "hexadecagonal"),
        ("a-8ch.mkv", 8, "7.1"),
        ("a-3ch.mkv", 3, "3.0(back)"),
        ("a-9ch.mkv", 9, ""),
    ] {
        let e = vec!["0.1*sin(2*PI*440*t)"; channels].join("|");
        let layout = if layout.is_empty() {
            String::new()
        } else {
            format!(":channel_layout={layout}")
        };
        let path = lavfi(
            name,
            &[&format!("aevalsrc=exprs={e}{layout}:s=48000:d=2")],
            &["-c:a", "pcm_s16le"],
        );
        let f = analysed(&path);
        let a = first_track(&f);
        assert_eq!(a.channels as usize, channels, "{name}");
        assert!(
            a.loudness.clone().unwrap().integrated_lufs.is_some(),
            "{name}"
        );
        assert_eq!(a.identical_channels, Some(Some(true)), "{name}");
    }
}

#[test]
fn analysis_runs_only_on_demand() {
    let path = sine("a-demand.wav", 2, -23.0, 1000, "0", 1, "pcm_s16le");
    let f = probe(&path, &ProbeSettings::new(Needs::header_only()));
    let a = first_track(&f);
    assert!(a.loudness.is_none() && a.silent.is_none() && a.clipping.is_none());
    let json = serde_json::to_value(&f).unwrap();
    assert!(json["audio"][0].get("loudness").is_none());
    assert!(json["audio"][0].get("end_offset_s").is_none());
}

// ---- Through the command line ---------------------------------------------------------------

#[test]
fn cli_probe_with_audio_prints_the_audio_facts() {
    let e = esc("if(between(t,2,4),0.3*sin(2*PI*440*t),0)");
    let path = film_with_audio("a-gap.mkv", 6, &format!("{e}|{e}"), 4);
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["probe", "--with", "audio", "--format", "json", p]);
    assert_eq!(code, 0, "{err}");
    let a = &json(&out)[0]["audio"][0];
    assert!(a["loudness"]["integrated_lufs"].as_f64().is_some(), "{a}");
    assert_eq!(a["silent"], false);
    assert_eq!(a["silence"][0]["end_s"], 2.0);
    assert!(
        (a["end_offset_s"].as_f64().unwrap() + 2.0).abs() < 0.05,
        "{a}"
    );
    assert_eq!(a["identical_channels"], true);
    assert_eq!(a["clipping"]["runs"], 0);

    let (_, out, _) = run(&["probe", "--with", "all", "--format", "json", p]);
    assert!(json(&out)[0]["audio"][0].get("loudness").is_some());
    let (_, out, _) = run(&["probe", "--format", "json", p]);
    let a = &json(&out)[0]["audio"][0];
    assert!(
        a.get("loudness").is_none() && a.get("silent").is_none(),
        "{a}"
    );
}

#[test]
fn cli_check_runs_the_analyzer_when_a_rule_names_its_facts() {
    let loud = sine("a-hot.wav", 2, -0.5, 1000, "0", 2, "pcm_s16le");
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("loud.toml");
    std::fs::write(
        &rules,
        r#"name = "loud"
description = "true peak only"

[[rule]]
id = "audio.true_peak"
fact = "audio[*].loudness.true_peak_dbtp"
op = "le"
value = "-1 dBTP"
severity = "error"
message = "True peak above -1 dBTP."
source = "EBU R128"
"#,
    )
    .unwrap();
    let (code, out, err) = run(&[
        "check",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
        loud.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let report = json(&out);
    let result = &report["files"][0]["results"][0];
    assert_eq!(result["status"], "fail", "{result}");
    assert!(report["files"][0]["facts"]["audio"][0]["loudness"].is_object());
}

#[test]
fn every_track_is_measured_in_one_pass() {
    let path = lavfi(
        "a-two-tracks.mkv",
        &[
            "testsrc2=size=160x90:rate=25:duration=3",
            "aevalsrc=exprs=0.070795*sin(2*PI*1000*t)|0.070795*sin(2*PI*1000*t):s=48000:d=3",
            "anullsrc=channel_layout=5.1:sample_rate=48000",
        ],
        &[
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-map",
            "2:a",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "pcm_s16le",
        ],
    );
    let f = analysed(&path);
    assert_eq!(f.audio.len(), 2);
    near(
        f.audio[0].loudness.clone().unwrap().integrated_lufs,
        -23.0,
        0.1,
    );
    assert_eq!(f.audio[0].silent, Some(false));
    assert_eq!(f.audio[1].silent, Some(true));
    assert_eq!(f.audio[1].loudness.clone().unwrap().integrated_lufs, None);
}

// ---- The loudness line ------------------------------------------------------------------

#[test]
fn the_loudness_line_follows_the_mix_second_by_second() {
    // 4 s of tone at -20 dBFS, 4 s of silence, 4 s at -30 dBFS: a stereo 1 kHz sine reads its
    // peak level in LUFS (EBU Tech 3341 case 1), so the line reads -20, nothing, -30.
    let e = esc("if(lt(t,4),0.1,if(lt(t,8),0,0.031623))*sin(2*PI*1000*t)");
    let path = lavfi(
        "a-line-12s.wav",
        &[&format!("aevalsrc=exprs={e}|{e}:s=48000:d=12")],
        &["-c:a", "pcm_s24le"],
    );
    let l = first_track(&analysed(&path)).loudness.clone().unwrap();
    assert_eq!(l.momentary_step_s, Some(1.0));
    assert_eq!(l.momentary.len(), 12, "{:?}", l.momentary);
    for s in 1..4 {
        near(l.momentary[s], -20.0, 0.3);
    }
    for s in 5..8 {
        assert_eq!(
            l.momentary[s], None,
            "second {s} is silent: {:?}",
            l.momentary
        );
    }
    for s in 9..12 {
        near(l.momentary[s], -30.0, 0.3);
    }
}

#[test]
fn the_loudness_line_of_a_long_film_keeps_at_most_600_points() {
    // 20 minutes of quiet noise, made fast at a low rate: one point every 2 s.
    let path = lavfi(
        "a-line-20min.wav",
        &["anoisesrc=d=1200:c=pink:r=8000:a=0.05"],
        &["-c:a", "pcm_s16le"],
    );
    let l = first_track(&analysed(&path)).loudness.clone().unwrap();
    assert_eq!(l.momentary_step_s, Some(2.0));
    assert_eq!(l.momentary.len(), 600);
    assert!(l.momentary.iter().all(Option::is_some), "{:?}", l.momentary);
}

/// Where each packet of the first stream of `kind` ("a" or "v") lies: (position, size).
fn packet_ranges(path: &Path, kind: &str) -> Vec<(u64, u64)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", &format!("{kind}:0")])
        .args(["-show_entries", "packet=pos,size", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .expect("ffprobe");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            // ffprobe lists size before pos.
            let (size, pos) = l.split_once(',')?;
            Some((pos.trim().parse().ok()?, size.trim().parse().ok()?))
        })
        .collect()
}

#[test]
fn the_audio_pass_reads_ahead_exactly_the_sound_of_an_interleaved_master() {
    // Large pictures (uncompressed, 115 KB each, as big as a ProRes master's are at full size)
    // with 24-bit PCM between them, as masters are delivered: the sound is spread through the
    // file, and only it is asked for ahead of the demuxer.
    let path = lavfi(
        "interleaved-uyvy-pcm.mov",
        &[
            "testsrc2=size=320x180:rate=25",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[
            "-t",
            "2",
            "-ac",
            "2",
            "-c:v",
            "rawvideo",
            "-pix_fmt",
            "uyvy422",
            "-c:a",
            "pcm_s24le",
        ],
    );
    let input = reelcheck_probe::source::open_input(&path).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let audio_index = input
        .streams()
        .find(|s| s.parameters().medium() == ffmpeg_next::media::Type::Audio)
        .unwrap()
        .index();
    let ahead = ReadAhead::for_streams(&input, &file, |i| i == audio_index).unwrap();
    let ranges = ahead.ranges();
    let sound = packet_ranges(&path, "a");
    assert!(sound.len() > 40, "{} sound packets", sound.len());
    for (pos, size) in &sound {
        assert!(
            ranges.iter().any(|(a, b)| a <= pos && pos + size <= *b),
            "sound packet at {pos} ({size} bytes) not asked for: {ranges:?}"
        );
    }
    // Pictures are not asked for: every picture's last bytes lie outside the ranges (its first
    // ones may share the demuxer's buffer with the sound before it).
    let pictures = packet_ranges(&path, "v");
    assert_eq!(pictures.len(), 50);
    for (pos, size) in &pictures {
        let last = pos + size - 1;
        assert!(
            !ranges.iter().any(|(a, b)| *a <= last && last < *b),
            "picture at {pos} asked for"
        );
    }
    // A demuxer whose index does not list every packet gets no reading ahead.
    let mkv = lavfi(
        "interleaved-prores-pcm.mkv",
        &[
            "testsrc2=size=320x180:rate=25",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[
            "-t",
            "1",
            "-ac",
            "2",
            "-c:v",
            "prores_ks",
            "-c:a",
            "pcm_s24le",
        ],
    );
    let input = reelcheck_probe::source::open_input(&mkv).unwrap();
    let file = std::fs::File::open(&mkv).unwrap();
    assert!(ReadAhead::for_streams(&input, &file, |_| true).is_none());
}

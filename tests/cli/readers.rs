//! What the people who read the results read: the verdict line of a pass with warnings, the
//! exit status of a file that could not be checked for reasons not its own, findings in a
//! filmmaker's words (the container named, skips explained, subtitle cues located, one time
//! format, loudness limits), the slips of the built-in rules (exact H.264 profiles, one warning
//! for a variable rate, end credits, subtitle encodings, `--track` in any case), Filmhub's
//! minimum bit rates and runtime, and the text and CSV reports of a manifest.

use crate::credits::recipe;
use crate::media::preset::{FASTSTART, H264_ULTRAFAST};
use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// 61 s of 160x90 at 5 fps: passes every requirement, with warnings (size, rate, no credits).
fn pass_with_warnings() -> PathBuf {
    film("pass-61s.mp4", 61)
}

fn report(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    (code, json(&out), err)
}

fn result(report: &Value, id: &str) -> Value {
    report["files"][0]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {report:#}"))
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no result for {id}"))
}

// ── 3. The verdict line ───────────────────────────────────────────────────────────────────

#[test]
fn a_pass_with_warnings_says_so_on_its_verdict_line() {
    let f = pass_with_warnings();
    let (code, out, err) = run(&["check", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    let warnings = r["summary"]["warnings"].as_u64().unwrap();
    assert!(warnings >= 2, "{r:#}");
    let line = out.lines().find(|l| l.starts_with("PASS")).unwrap();
    assert!(
        line.ends_with(&format!("(passed with {warnings} warnings)")),
        "{out}"
    );
    assert_eq!(r["summary"]["passed_with_warnings"], 1);
    assert!(
        out.trim_end().ends_with(&format!(
            "1 passed (1 with warnings), 0 failed, 0 errors, {warnings} warnings"
        )),
        "{out}"
    );
}

// ── 11. Rejected, or not checked ──────────────────────────────────────────────────────────

#[test]
fn a_file_not_checked_for_reasons_not_its_own_exits_4_and_a_rejection_still_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = copy_into(&pass_with_warnings(), dir.path(), "crashes.mp4");
    let env = [("REELCHECK_FAULT", "crash:crashes")];
    let (code, out, err) = run_env(&["check", good.to_str().unwrap()], &env);
    assert_eq!(code, 4, "{out}\n{err}");
    assert!(
        out.contains("could not be checked, for a reason not the file's: check it again"),
        "{out}"
    );
    assert!(
        out.contains("1 error (1 not the file's fault: check again)"),
        "{out}"
    );
    let (code, out, _) = run_env(&["check", "--format", "json", good.to_str().unwrap()], &env);
    assert_eq!(code, 4);
    let r = json(&out);
    assert_eq!(r["summary"]["not_checked"], 1);
    assert_eq!(r["files"][0]["error_code"], "crashed");

    // A rejected film beside it: the batch is rejected (1), whatever else happened.
    let short = copy_into(&film("short-3s.mp4", 3), dir.path(), "short.mp4");
    let (code, _, _) = run_env(
        &["check", good.to_str().unwrap(), short.to_str().unwrap()],
        &env,
    );
    assert_eq!(code, 1);
    // A film that is itself unreadable is a rejection, not "could not check".
    let broken = dir.path().join("broken.mp4");
    std::fs::write(&broken, b"not a film at all, just some bytes").unwrap();
    let (code, out, _) = run(&["check", broken.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    // `probe` says the same.
    let (code, _, _) = run_env(&["probe", good.to_str().unwrap()], &env);
    assert_eq!(code, 4);
}

// ── 9. The text report of a manifest, and the CSV for Excel ──────────────────────────────

#[test]
fn the_text_report_names_a_manifest_entry_and_the_csv_can_carry_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&pass_with_warnings(), dir.path(), "films/one.mp4");
    let manifest = dir.path().join("entries.csv");
    std::fs::write(
        &manifest,
        "file,track,id,title\nfilms/one.mp4,human,17,\"Café Lumière\"\n",
    )
    .unwrap();
    let m = manifest.to_str().unwrap();
    let (_, out, err) = run(&["check", "--manifest", m]);
    assert!(
        out.contains("\n       entry 17 \"Café Lumière\"\n"),
        "{out}\n{err}"
    );

    let csv = dir.path().join("report.csv");
    run(&["check", "--manifest", m, "-o", csv.to_str().unwrap()]);
    let plain = std::fs::read(&csv).unwrap();
    assert!(plain.starts_with(b"path,"), "no BOM unless asked");
    run(&[
        "check",
        "--manifest",
        m,
        "--csv-bom",
        "-o",
        csv.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFpath,"), "{:?}", &bytes[..8]);
    assert!(String::from_utf8(bytes).unwrap().contains("Café Lumière"));
}

// ── 4. Slips ──────────────────────────────────────────────────────────────────────────────

#[test]
fn track_names_are_taken_in_any_case() {
    let f = film("short-3s.mp4", 3);
    let (code, r, err) = report(&["--track", "AI", f.to_str().unwrap()]);
    assert_ne!(code, 2, "{err}");
    assert_eq!(r["rule_set"]["track"], "ai", "{r:#}");
}

/// A phone-style variable rate whose typical rate (about 27 fps) is no standard one either.
fn variable_odd_rate() -> PathBuf {
    lavfi(
        "readers-vfr-27.mp4",
        &["testsrc2=size=160x90:rate=27:duration=3"],
        &[
            &[
                "-vf",
                "settb=1/90000,setpts=(N/27+0.006*(1+sin(N*2.1)))/TB",
                "-enc_time_base",
                "1/90000",
            ][..],
            &["-fps_mode", "vfr", "-video_track_timescale", "90000"],
            H264_ULTRAFAST,
        ]
        .concat(),
    )
}

#[test]
fn a_variable_frame_rate_is_one_warning_not_two() {
    let f = variable_odd_rate();
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    assert_eq!(
        r["files"][0]["facts"]["video"][0]["frame_rate_mode"],
        "variable"
    );
    assert_eq!(result(&r, "video.constant_frame_rate")["status"], "fail");
    let rate = result(&r, "video.frame_rate");
    assert_eq!(rate["status"], "skip", "{rate:#}");
    // A constant odd rate still gets the frame-rate warning.
    let odd = lavfi(
        "readers-cfr-27.mp4",
        &["testsrc2=size=160x90:rate=27:duration=2"],
        H264_ULTRAFAST,
    );
    let (_, r, _) = report(&[odd.to_str().unwrap()]);
    assert_eq!(result(&r, "video.frame_rate")["status"], "fail");
}

#[test]
fn high_4_2_2_is_not_the_high_profile() {
    let f = lavfi(
        "readers-high422.mp4",
        &["testsrc2=size=160x90:rate=25:duration=1"],
        &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv422p",
            "-profile:v",
            "high422",
        ],
    );
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    let p = result(&r, "video.h264_profile");
    assert_eq!(p["status"], "fail", "{p:#}");
    assert_eq!(p["actual_text"], "High 4:2:2");
    let high = lavfi(
        "readers-high.mp4",
        &["testsrc2=size=160x90:rate=25:duration=1"],
        &[
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-profile:v",
            "high",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let (_, r, _) = report(&[high.to_str().unwrap()]);
    assert_eq!(result(&r, "video.h264_profile")["status"], "pass");
}

#[test]
fn opening_titles_alone_are_not_end_credits() {
    let book = recipe::book();
    let r = book.film.iter().find(|r| r.name == "opening-only").unwrap();
    let f = recipe::make(r);
    let (_, rep, _) = report(&[f.to_str().unwrap()]);
    assert_eq!(rep["files"][0]["facts"]["credits"]["position"], "start");
    let found = result(&rep, "credits.found");
    assert_eq!(found["status"], "fail", "{found:#}");
    assert_eq!(found["actual_text"], "opening titles only, no end credits");
    // The opening titles' share is not the end credits'.
    assert_eq!(result(&rep, "credits.share")["status"], "skip");
}

/// A 2-second film in a folder of its own with `film.srt` holding `bytes`.
fn with_srt(dir: &Path, bytes: &[u8]) -> PathBuf {
    let f = copy_into(&film("subs-base.mp4", 2), dir, "film.mp4");
    std::fs::write(dir.join("film.srt"), bytes).unwrap();
    f
}

#[test]
fn a_windows_1252_srt_fails_the_utf8_rule_and_says_its_encoding() {
    // As Subtitle Workshop and old Windows editors save French: "é" is the single byte 0xE9.
    let text = "1\n00:00:00,200 --> 00:00:01,400\nLe café était fermé, déjà.\n\n2\n00:00:01,500 --> 00:00:01,900\nÀ bientôt, chérie.\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'à' => 0xE0,
            'À' => 0xC0,
            'ô' => 0xF4,
            c => c as u8,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let f = with_srt(dir.path(), &cp1252);
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    let sub = &r["files"][0]["facts"]["subtitles"][0];
    assert_eq!(sub["cues"]["encoding"], "windows-1252", "{sub:#}");
    let rule = result(&r, "subtitles.utf8");
    assert_eq!(rule["status"], "fail", "{rule:#}");
    assert!(rule["message"].as_str().unwrap().contains("windows-1252"));

    let dir = tempfile::tempdir().unwrap();
    let f = with_srt(dir.path(), text.as_bytes());
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    assert_eq!(result(&r, "subtitles.utf8")["status"], "pass");
    assert_eq!(
        r["files"][0]["facts"]["subtitles"][0]["cues"]["encoding"],
        "UTF-8"
    );
}

// ── 2. Words ──────────────────────────────────────────────────────────────────────────────

#[test]
fn subtitle_findings_name_the_cue_and_its_time() {
    let srt = "1\n00:00:00,200 --> 00:00:00,900\nShort.\n\n2\n00:00:01,000 --> 00:00:01,900\nThis line is far too long for anyone to read at all\n";
    let dir = tempfile::tempdir().unwrap();
    let f = with_srt(dir.path(), srt.as_bytes());
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    let cues = &r["files"][0]["facts"]["subtitles"][0]["cues"];
    assert_eq!(cues["longest_line_cue"], 2, "{cues:#}");
    assert_eq!(cues["longest_line_start_s"], 1.0);
    let rule = result(&r, "subtitles.line_length");
    assert_eq!(rule["status"], "fail");
    assert_eq!(
        rule["actual_text"], "51 characters, in cue 2 at 0:01",
        "{rule:#}"
    );
    assert!(rule["message"]
        .as_str()
        .unwrap()
        .contains("in cue 2 at 0:01"));
}

#[test]
fn skips_say_what_was_not_checked_and_why() {
    let f = pass_with_warnings();
    let (_, out, _) = run(&["check", f.to_str().unwrap()]);
    let line = out
        .lines()
        .find(|l| l.starts_with("Skipped: "))
        .unwrap_or("");
    assert!(
        line.contains("no subtitles, so 5 subtitle checks do not apply"),
        "{out}"
    );
    assert!(!line.contains("stream of their kind"), "{line}");
}

#[test]
fn the_index_message_names_the_container_the_file_is_in() {
    // A MOV (QuickTime brand) with its index at the end, as a ProRes master often is.
    let mov = lavfi(
        "readers-index-end.mov",
        &["testsrc2=size=160x90:rate=25:duration=1"],
        &["-c:v", "mpeg4", "-f", "mov"],
    );
    let (_, r, _) = report(&[mov.to_str().unwrap()]);
    let fast = result(&r, "container.faststart");
    assert_eq!(fast["status"], "fail", "{fast:#}");
    let msg = fast["message"].as_str().unwrap();
    assert!(msg.starts_with("The MOV (QuickTime) file's index"), "{msg}");
    assert!(!msg.contains("MP4"), "{msg}");
}

#[test]
fn runtimes_are_said_as_clock_times() {
    let f = film("short-3s.mp4", 3);
    let (_, r, _) = report(&[f.to_str().unwrap()]);
    let rt = result(&r, "runtime.min");
    assert_eq!(rt["actual_text"], "0:03", "{rt:#}");
    assert!(rt["message"].as_str().unwrap().contains("runs 0:03,"));
}

#[test]
fn loudness_words_follow_the_rules_own_limits() {
    // An overridden limit is the festival's own, not "a web-platform level".
    let rules = input_file(
        "toml",
        "name = \"loud\"\nextends = \"common\"\n\n[[override]]\nid = \"audio.loudness.max\"\nvalue = \"-30 LUFS\"\n",
    );
    let f = pass_with_warnings();
    let (_, r, err) = report(&["--rules", rules.to_str().unwrap(), f.to_str().unwrap()]);
    let loud = result(&r, "audio.loudness.max");
    assert_eq!(loud["status"], "fail", "{loud:#}\n{err}");
    let msg = loud["message"].as_str().unwrap();
    assert!(msg.contains("over -30 LUFS"), "{msg}");
    assert!(!msg.contains("web"), "{msg}");
    // Every fix of the built-in sets that names a true-peak target names the same one.
    let (_, out, _) = run(&["rules", "show", "common"]);
    let targets: std::collections::BTreeSet<String> = out
        .split("TP=")
        .skip(1)
        .map(|s| {
            s.chars()
                .take_while(|c| *c == '-' || c.is_ascii_digit())
                .collect()
        })
        .chain(out.split("Max True Peak Level ").skip(1).map(|s| {
            s.chars()
                .take_while(|c| *c == '-' || c.is_ascii_digit())
                .collect()
        }))
        .collect();
    assert_eq!(targets.len(), 1, "{targets:?}\n{out}");
}

// ── 5. Filmhub's delivery checks ──────────────────────────────────────────────────────────

#[test]
fn filmhub_asks_two_minutes_and_a_least_bit_rate_per_size() {
    // 720p H.264 at 300 kbps: over-compressed for HD.
    let starved = lavfi(
        "readers-hd-starved.mp4",
        &[
            "testsrc2=size=1280x720:rate=25:duration=2",
            "sine=frequency=440:sample_rate=48000:duration=2",
        ],
        &[
            &["-c:v", "libx264", "-preset", "ultrafast", "-b:v", "300k"][..],
            &["-c:a", "aac"],
            FASTSTART,
        ]
        .concat(),
    );
    let (code, r, err) = report(&["--rules", "filmhub", starved.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let hd = result(&r, "video.min_bit_rate.hd");
    assert_eq!(hd["status"], "fail", "{hd:#}");
    assert_eq!(hd["expected_text"], "at least 15 Mbps");
    assert_eq!(result(&r, "video.min_bit_rate.sd")["status"], "skip");
    let rt = result(&r, "runtime.min");
    assert_eq!(
        (rt["status"].as_str(), rt["severity"].as_str()),
        (Some("fail"), Some("error"))
    );

    // SD at a constant 3 Mbps: enough for SD.
    let sd = lavfi(
        "readers-sd-3m.mp4",
        &[
            "testsrc2=size=640x360:rate=25:duration=2",
            "sine=frequency=440:sample_rate=48000:duration=2",
        ],
        &[
            &[
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-b:v",
                "3M",
                "-minrate",
                "3M",
            ][..],
            &[
                "-maxrate",
                "3M",
                "-bufsize",
                "1M",
                "-x264-params",
                "nal-hrd=cbr",
            ],
            &["-c:a", "aac"],
            FASTSTART,
        ]
        .concat(),
    );
    let (_, r, _) = report(&["--rules", "filmhub", sd.to_str().unwrap()]);
    let sd = result(&r, "video.min_bit_rate.sd");
    assert_eq!(sd["status"], "pass", "{sd:#}");
}

// ── 1. Progress on a terminal, never in piped output ──────────────────────────────────────

/// Runs `reelcheck ARGS` under a pseudo-terminal (`script`), as a person at a terminal does;
/// returns what the terminal showed, stdout and stderr together.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let cache = tempfile::tempdir().unwrap();
    let line = std::iter::once(bin().display().to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_CACHE_HOME", cache.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn one_film_on_a_terminal_shows_its_rules_and_stage_at_once_and_piped_output_stays_clean() {
    let dir = tempfile::tempdir().unwrap();
    let f = copy_into(&film("short-3s.mp4", 3), dir.path(), "slowfilm.mp4");
    let f = f.to_str().unwrap();
    // The worker takes 2 s longer on it, so the spinner has time to show.
    let env = [("REELCHECK_FAULT", "slow:slowfilm")];
    let Some(shown) = on_a_terminal(&["check", f], &env) else {
        eprintln!("no `script` on this machine: the terminal test is skipped");
        return;
    };
    assert!(
        shown.contains("rules human (built-in): reading the film's header, then decoding it for"),
        "{shown}"
    );
    // The report follows, whole.
    assert!(shown.contains("1 file: 0 passed, 1 failed"), "{shown}");
    // Piped, stderr holds nothing but what a script must see.
    let (_, out, err) = run_env(&["check", "--format", "json", f], &env);
    assert!(!err.contains("rules human"), "{err}");
    assert!(!out.contains("rules human"), "{out}");
    json(&out);
}

#[test]
fn one_film_decoding_on_a_terminal_shows_the_step_the_share_read_and_the_time_left() {
    let dir = tempfile::tempdir().unwrap();
    let src = lavfi(
        "progress-4s.mp4",
        &["testsrc2=size=640x360:rate=25", "sine=sample_rate=48000"],
        &[&["-t", "4", "-ac", "2"], H264_ULTRAFAST, FASTSTART].concat(),
    );
    let f = copy_into(&src, dir.path(), "crawling.mp4");
    let f = f.to_str().unwrap();
    // Each progress report of the worker pauses, so the decode of a short film lasts long
    // enough to be watched.
    let env = [("REELCHECK_FAULT", "crawl:crawling")];
    let Some(shown) = on_a_terminal(&["check", "--rules", "screening", f], &env) else {
        eprintln!("no `script` on this machine: the terminal test is skipped");
        return;
    };
    for step in ["decoding the sound: ", "decoding the picture: "] {
        assert!(shown.contains(step), "no {step:?} in {shown}");
    }
    // The share read grows, and a time left is guessed once the step has run a while.
    let shares: Vec<u32> = shown
        .split("decoding the picture: ")
        .skip(1)
        .filter_map(|s| s.split(" %").next()?.parse().ok())
        .collect();
    assert!(shares.iter().any(|&s| s > 0 && s < 100), "{shares:?}");
    assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{shares:?}");
    assert!(shown.contains("left in this step"), "{shown}");
    assert!(
        shown.contains("rules screening (built-in): decoding"),
        "{shown}"
    );
    // Piped, none of it.
    let (_, out, err) = run_env(
        &["check", "--rules", "screening", "--format", "json", f],
        &env,
    );
    assert!(!err.contains("decoding the"), "{err}");
    assert!(!out.contains("decoding the"), "{out}");
    json(&out);
}

//! Hostile input, round two: headers that lie about the runtime, journals from a lighter run,
//! negated words in a comment, special files in folders and in place of settings files,
//! sidecars that belong to another film, and manifests that name a file twice or reach outside
//! their folder.

use crate::samples;
use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The JSON report of `check ARGS` (with no cache), and its exit code.
fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json", "--no-cache"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert!(!err.contains("panicked"), "{err}");
    (code, json(&out))
}

/// The report of the file called `name`.
fn file<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| Path::new(f["path"].as_str().unwrap()).file_name() == Some(name.as_ref()))
        .unwrap_or_else(|| panic!("{name} not in {report:#}"))
}

/// The result of rule `id` in a file's report.
fn rule<'a>(file: &'a Value, id: &str) -> &'a Value {
    file["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no result for {id} in {file:#}"))
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success());
}

/// Runs reelcheck, killing it if it has not finished within 30 s (a read that blocks on a
/// pipe would otherwise hang the test suite); returns (exit code, stderr, seconds taken).
fn run_limited(args: &[&str]) -> (i32, String, f64) {
    let started = Instant::now();
    let mut child = command()
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (
                status.code().unwrap_or(-1),
                err,
                started.elapsed().as_secs_f64(),
            );
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("reelcheck {args:?} was still running after 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ── 3. --resume and the journal ──────────────────────────────────────────────────────────────

/// A 61-second film whose metadata carries the AIGC label: a quick check (no decoding, but the
/// provenance markers) fails it on the human track as a full one does.
fn labelled() -> PathBuf {
    let good = samples::good();
    media(
        "hostile-aigc-61s.mp4",
        &[
            "-i",
            good.to_str().unwrap(),
            "-c",
            "copy",
            "-metadata",
            r#"AIGC={"Label":"1","ContentProducer":"demo"}"#,
            "-movflags",
            "use_metadata_tags+faststart",
        ],
    )
}

#[test]
fn resume_measures_again_what_a_quick_run_never_measured() {
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&labelled(), dir.path(), "labelled.mp4");
    let f = film.to_str().unwrap();
    let journal = dir.path().join("run.jsonl");
    let j = journal.to_str().unwrap();

    let (code, quick) = check_json(&["--quick", "--journal", j, f]);
    assert_eq!(code, 1, "{quick:#}");
    let q = file(&quick, "labelled.mp4");
    assert_eq!(rule(q, "provenance.no_ai_declared")["status"], "fail");
    // The credits need decoding: a quick run never measures them.
    assert_eq!(rule(q, "credits.found")["status"], "skip");
    let fresh = check_json(&[f]).1;
    assert_eq!(file(&fresh, "labelled.mp4")["status"], "fail");

    // A kill mid-write leaves a torn last line.
    let mut text = std::fs::read(&journal).unwrap();
    text.extend_from_slice(br#"{"path":"/torn/by/a/ki"#);
    std::fs::write(&journal, &text).unwrap();

    // Resumed without --quick, the journal's facts lack the credits the rules need.
    let (code, resumed) = check_json(&["--journal", j, "--resume", f]);
    assert_eq!(code, 1, "{resumed:#}");
    let r = file(&resumed, "labelled.mp4");
    assert_eq!(r["status"], "fail", "{r:#}");
    assert_eq!(rule(r, "provenance.no_ai_declared")["status"], "fail");
    assert_ne!(rule(r, "credits.found")["status"], "skip", "{r:#}");

    // The record after the torn line starts a line of its own.
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[1], r#"{"path":"/torn/by/a/ki"#);
    let last: Value = json(lines[2]);
    assert_eq!(last["status"], "fail");
    assert!(last["analyzers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "credits"));

    // The full run's facts cover a quick run: resumed with --quick, nothing is probed again.
    let (code, again) = check_json(&["--quick", "--journal", j, "--resume", f]);
    assert_eq!(code, 1);
    assert_eq!(file(&again, "labelled.mp4")["status"], "fail");
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        3,
        "a reused file is not journaled again"
    );
}

// ── 4. The runtime is what plays ─────────────────────────────────────────────────────────────

/// A 20-minute Matroska (1 fps, tiny, no sound: cheap to make).
fn twenty_minutes() -> Vec<u8> {
    let path = lavfi(
        "hostile-20min.mkv",
        &["testsrc2=size=64x36:rate=1"],
        &["-t", "1200", "-c:v", "libx264", "-preset", "ultrafast"],
    );
    std::fs::read(path).unwrap()
}

/// `mkv` with its Segment duration (an 8-byte float) replaced by `payload` (11 bytes in all).
fn with_duration_element(mkv: &[u8], payload: &[u8]) -> Vec<u8> {
    assert_eq!(payload.len(), 11);
    let at = mkv
        .windows(3)
        .position(|w| w == [0x44, 0x89, 0x88])
        .expect("a Duration element");
    let mut out = mkv[..at].to_vec();
    out.extend_from_slice(payload);
    out.extend_from_slice(&mkv[at + 11..]);
    out
}

fn duration(value: f64) -> Vec<u8> {
    let mut p = vec![0x44, 0x89, 0x88];
    p.extend_from_slice(&value.to_be_bytes());
    p
}

#[test]
fn a_header_that_lies_about_the_runtime_does_not_pass_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mkv = twenty_minutes();
    // As written to a pipe: no duration at all (the element blanked out with an EBML Void).
    let mut void = vec![0xEC, 0x89];
    void.extend_from_slice(&[0; 9]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("no-duration.mkv", void),
        ("nan.mkv", duration(f64::NAN)),
        ("infinite.mkv", duration(f64::INFINITY)),
        ("negative.mkv", duration(-5000.0)),
        ("zero.mkv", duration(0.0)),
        // Matroska counts in milliseconds: the header claims 5:00.
        ("five-minutes.mkv", duration(300_000.0)),
    ];
    for (name, payload) in &cases {
        std::fs::write(d.join(name), with_duration_element(&mkv, payload)).unwrap();
    }
    let (code, report) = check_json(&["--quick", d.to_str().unwrap()]);
    assert_eq!(code, 1);
    for (name, _) in &cases {
        let f = file(&report, name);
        assert_eq!(f["status"], "fail", "{name}: {f:#}");
        let max = rule(f, "runtime.max");
        assert_eq!(
            (max["status"].as_str(), max["actual"].as_str()),
            (Some("fail"), Some("20:00")),
            "{name}: {max:#}"
        );
        let runtime = f["facts"]["container"]["duration_s"].as_f64().unwrap();
        assert!((runtime - 1200.0).abs() < 0.5, "{name}: {runtime}");
    }
    let five = file(&report, "five-minutes.mkv");
    assert_eq!(five["facts"]["container"]["header_duration_s"], 300.0);
    assert!(file(&report, "no-duration.mkv")["facts"]["container"]["header_duration_s"].is_null());
}

#[test]
fn a_subtitle_cue_after_the_picture_does_not_lengthen_the_runtime() {
    let srt = media_dir().join("hostile-late-cue.srt");
    std::fs::write(
        &srt,
        "1\n00:00:01,000 --> 00:00:03,000\nHello\n\n2\n00:01:29,000 --> 00:01:30,000\nLate\n",
    )
    .unwrap();
    // The picture and sound stop at 30 s; the subtitle track runs on to 1:30.
    let film = media(
        "hostile-late-cue.mkv",
        &[
            "-t",
            "30",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=5",
            "-t",
            "30",
            "-f",
            "lavfi",
            "-i",
            "sine=sample_rate=48000",
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
            "-c:a",
            "aac",
            "-c:s",
            "srt",
        ],
    );
    let (code, report) = check_json(&["--quick", film.to_str().unwrap()]);
    assert_eq!(code, 1);
    let f = file(&report, "hostile-late-cue.mkv");
    let min = rule(f, "runtime.min");
    assert_eq!(min["status"], "fail", "{min:#}");
    // The sound's last AAC packet runs a few milliseconds past the picture.
    let runtime = f["facts"]["container"]["duration_s"].as_f64().unwrap();
    assert!((runtime - 30.0).abs() < 0.1, "{runtime}");
    assert!(
        f["facts"]["container"]["header_duration_s"]
            .as_f64()
            .unwrap()
            > 89.0
    );
}

#[test]
fn an_error_rule_fails_on_a_fact_that_could_not_be_established() {
    let dir = tempfile::tempdir().unwrap();
    // The test pattern's colour space is not written in the file: the fact is null.
    let rules = |severity: &str| {
        format!(
            "name = \"colour\"\n[[rule]]\nid = \"video.bt709\"\nfact = \"video[0].color_space\"\n\
             op = \"eq\"\nvalue = \"bt709\"\nseverity = \"{severity}\"\nmessage = \"Use BT.709.\"\n"
        )
    };
    let film = film("hostile-plain-3s.mp4", 3);
    let f = film.to_str().unwrap();
    for (severity, code, status) in [("error", 1, "fail"), ("warning", 0, "skip")] {
        let path = dir.path().join(format!("{severity}.toml"));
        std::fs::write(&path, rules(severity)).unwrap();
        let (got, report) = check_json(&["--quick", "--rules", path.to_str().unwrap(), f]);
        let r = rule(file(&report, "hostile-plain-3s.mp4"), "video.bt709");
        assert_eq!((got, r["status"].as_str()), (code, Some(status)), "{r:#}");
        assert!(
            r["reason"]
                .as_str()
                .unwrap()
                .contains("video[0].color_space is unknown"),
            "{r:#}"
        );
    }
}

// ── 5. A mention is not a declaration ────────────────────────────────────────────────────────

#[test]
fn a_generator_named_in_a_comment_is_a_note_not_evidence() {
    let base = film("hostile-prov-base.mp4", 61);
    let tagged = |name: &str, tag: &str| {
        media(
            name,
            &[
                "-i",
                base.to_str().unwrap(),
                "-c",
                "copy",
                "-metadata",
                tag,
                "-movflags",
                "use_metadata_tags+faststart",
            ],
        )
    };
    let negated = tagged(
        "hostile-prov-negated.mp4",
        "comment=Shot on 16mm. No AI tools were used - not Sora, not Runway.",
    );
    let (_, report) = check_json(&["--track", "human", negated.to_str().unwrap()]);
    let f = file(&report, "hostile-prov-negated.mp4");
    assert_eq!(rule(f, "provenance.no_ai_declared")["status"], "pass");
    let note = rule(f, "provenance.ai_mentioned");
    // A warning: the organizer sees it by default, and the film still passes.
    assert_eq!(
        (note["status"].as_str(), note["severity"].as_str()),
        (Some("fail"), Some("warning"))
    );
    let said = note["actual"].as_str().unwrap();
    assert!(
        said.contains("comment mentions OpenAI Sora") && said.contains("mentions Runway"),
        "{said}"
    );
    let p = &f["facts"]["provenance"];
    assert_eq!(p["status"], "unknown", "{p:#}");
    assert!(p["ai_evidence"].is_null());
    assert_eq!(f["status"], "pass");

    // A field a program fills in with its own name is a declaration.
    let declared = tagged("hostile-prov-tool.mp4", "creation_tool=Runway Gen-3");
    let (_, report) = check_json(&["--track", "human", declared.to_str().unwrap()]);
    let f = file(&report, "hostile-prov-tool.mp4");
    assert_eq!(rule(f, "provenance.no_ai_declared")["status"], "fail");
    assert_eq!(f["facts"]["provenance"]["status"], "declared-ai");
}

// ── 6. Special files in a folder ─────────────────────────────────────────────────────────────

#[test]
fn pipes_and_device_links_in_a_folder_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_into(&samples::good(), d, "good.mp4");
    mkfifo(&d.join("entry.mp4"));
    mkfifo(&d.join("no-extension"));
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.mp4")).unwrap();
    // Named as a document, a special file is still no document: it is reported like the
    // others, so that no entry vanishes.
    mkfifo(&d.join("notes.txt"));

    let (code, report) = check_json(&["--timeout", "30", d.to_str().unwrap()]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["files"].as_array().unwrap().len(), 5, "{report:#}");
    assert_eq!(file(&report, "good.mp4")["status"], "pass");
    for (name, kind) in [
        ("entry.mp4", "a named pipe"),
        ("no-extension", "a named pipe"),
        ("notes.txt", "a named pipe"),
    ] {
        let f = file(&report, name);
        assert_eq!(f["status"], "error", "{f:#}");
        assert_eq!(
            f["error"].as_str().unwrap(),
            format!("not a regular file ({kind})")
        );
    }
    // A link to a device leads out of the folder: not followed, so never opened.
    assert_eq!(file(&report, "zero.mp4")["error_code"], "link_outside");
    // Followed on purpose, the device is still never opened.
    let (code, report) = check_json(&[
        "--timeout",
        "30",
        "--follow-links-outside",
        d.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        file(&report, "zero.mp4")["error"],
        "not a regular file (a character device)"
    );
}

// ── 7. Sidecars belong to one film ───────────────────────────────────────────────────────────

#[test]
fn a_sidecar_belongs_only_to_the_film_whose_name_it_extends() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let film = film("hostile-subs-3s.mp4", 3);
    copy_into(&film, d, "night.mp4");
    copy_into(&film, d, "night.final.mp4");
    copy_into(&film, d, "day.mp4");
    copy_into(&film, d, "day.en.mp4");
    let srt = "1\n00:00:00,500 --> 00:00:02,000\nHello\n";
    for name in [
        "night.final.srt",
        "night.en.srt",
        "night.final.de.srt",
        "night.en.forced.srt",
        "day.en.srt",
    ] {
        std::fs::write(d.join(name), srt).unwrap();
    }
    let sidecars = |name: &str| -> Vec<String> {
        let (code, out, err) = run(&[
            "probe",
            "--with",
            "subtitles",
            "--format",
            "json",
            d.join(name).to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        json(&out)[0]["subtitles"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["file"].as_str())
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    assert_eq!(
        sidecars("night.mp4"),
        ["night.en.forced.srt", "night.en.srt"]
    );
    assert_eq!(
        sidecars("night.final.mp4"),
        ["night.final.de.srt", "night.final.srt"]
    );
    // `day.en.srt` names `day.en.mp4` exactly: it is not `day.mp4`'s English track.
    assert!(sidecars("day.mp4").is_empty());
    assert_eq!(sidecars("day.en.mp4"), ["day.en.srt"]);
}

// ── 13. Settings files must be small regular files ──────────────────────────────────────────

#[test]
fn rule_files_manifests_and_lists_are_read_only_from_small_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let film = film("hostile-plain-3s.mp4", 3);
    let f = film.to_str().unwrap();
    let fifo = d.join("rules.fifo");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    std::fs::write(d.join("zero.toml"), "extends = \"/dev/zero\"\n").unwrap();
    std::fs::write(d.join("pipe.toml"), format!("extends = \"{fifo}\"\n")).unwrap();
    let big = d.join("big.toml");
    let mut text = String::from("name = \"big\"\n");
    while text.len() < 9 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).unwrap();
    let zero = d.join("zero.toml");
    let pipe = d.join("pipe.toml");

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["check", "--rules", "/dev/urandom", f],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--rules", fifo, f],
            "not a regular file (a named pipe)",
        ),
        (
            vec!["check", "--rules", zero.to_str().unwrap(), f],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--rules", pipe.to_str().unwrap(), f],
            "not a regular file (a named pipe)",
        ),
        (
            vec!["check", "--rules", big.to_str().unwrap(), f],
            "larger than 8 MB",
        ),
        (
            vec!["rules", "validate", "/dev/zero"],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--manifest", fifo],
            "not a regular file (a named pipe)",
        ),
        (
            vec!["check", "--manifest", "/dev/zero"],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--software-list", "/dev/zero", f],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--software-list", fifo, f],
            "not a regular file (a named pipe)",
        ),
        (
            vec!["check", "--c2pa-trust", "/dev/urandom", f],
            "not a regular file (a device)",
        ),
        (
            vec!["check", "--c2pa-trust", fifo, f],
            "not a regular file (a named pipe)",
        ),
    ];
    for (args, want) in cases {
        let (code, err, secs) = run_limited(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: wanted {want}, got {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(secs < 10.0, "{args:?} took {secs} s");
    }
}

// ── 14. Manifests: one file, one entry; nothing from elsewhere unless allowed ────────────────

#[test]
fn a_manifest_lists_each_file_once_and_stays_in_its_folder() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("intake");
    let film = film("pass-61s.mp4", 61);
    copy_into(&film, &d, "a.mp4");
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::hard_link(d.join("a.mp4"), d.join("sub/same.mp4")).unwrap();
    copy_into(&film, root.path(), "outside.mp4");
    std::os::unix::fs::symlink(root.path().join("outside.mp4"), d.join("link.mp4")).unwrap();
    let manifest = d.join("entries.csv");
    let m = manifest.to_str().unwrap();
    let attempt = |csv: &str, extra: &[&str]| {
        std::fs::write(&manifest, csv).unwrap();
        let mut args = vec!["check", "--no-cache", "--format", "json", "--manifest", m];
        args.extend_from_slice(extra);
        run(&args)
    };

    let (code, _, err) = attempt("file,track\na.mp4,human\nsub/../a.mp4,ai\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("entries.csv:3: sub/../a.mp4 is listed twice (first on line 2, as a.mp4)"),
        "{err}"
    );
    let (code, _, err) = attempt("file,track\na.mp4,human\nsub/same.mp4,ai\n", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("entries.csv:3: sub/same.mp4 is listed twice"),
        "{err}"
    );

    for row in [
        "../outside.mp4",
        root.path().join("outside.mp4").to_str().unwrap(),
        "link.mp4",
    ] {
        // The row is an error entry, never probed; the rest of the manifest is checked.
        let (code, out, err) = attempt(&format!("file,track\na.mp4,human\n{row},ai\n"), &[]);
        assert_eq!(code, 1, "{row}: {err}");
        let report = json(&out);
        assert_eq!(file(&report, "a.mp4")["status"], "pass");
        let name = Path::new(row).file_name().unwrap().to_str().unwrap();
        let outside = file(&report, name);
        assert_eq!(outside["status"], "error", "{outside:#}");
        assert_eq!(outside["error_code"], "outside_manifest_folder");
        assert!(
            outside["facts"]["container"].is_null(),
            "never probed: {outside:#}"
        );
        let why = outside["error"].as_str().unwrap();
        assert!(
            why.contains(&format!(
                "entries.csv:3: {row} is outside the manifest's folder"
            )),
            "{row}: {why}"
        );
        assert!(why.contains("--manifest-allow-outside"), "{why}");
    }

    // Allowed explicitly, a file elsewhere is checked; `./a.mp4` is still `a.mp4`.
    let (code, out, err) = attempt(
        "file,track\n./a.mp4,human\n../outside.mp4,ai\n",
        &["--manifest-allow-outside"],
    );
    assert!(code == 0 || code == 1, "{err}");
    let report = json(&out);
    assert_eq!(report["files"].as_array().unwrap().len(), 2);
    assert!(report["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] != "error"));
    assert_eq!(file(&report, "outside.mp4")["track"], "ai");
    assert_eq!(file(&report, "a.mp4")["track"], "human");
}

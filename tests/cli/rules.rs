//! `reelcheck rules …` and rule files: mistakes are reported with file, line and column.

use crate::support::*;

fn validate(text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fest.toml");
    std::fs::write(&file, text).unwrap();
    run(&["rules", "validate", file.to_str().unwrap()])
}

#[test]
fn lists_and_shows_built_in_rule_sets() {
    let (code, out, _) = run(&["rules", "list"]);
    assert_eq!(code, 0);
    for name in ["human", "ai", "common", "screening", "filmhub"] {
        assert!(out.lines().any(|l| l.starts_with(name)), "{out}");
    }
    let (code, out, _) = run(&["rules", "show", "common"]);
    assert_eq!(code, 0);
    assert!(out.contains("id = \"runtime.max\""), "{out}");
    let (code, _, err) = run(&["rules", "show", "nonesuch"]);
    assert_eq!(code, 2);
    assert!(err.contains("nonesuch"), "{err}");
}

#[test]
fn a_valid_file_extending_a_built_in_set() {
    let (code, out, err) = validate(
        r#"
name = "my-fest"
extends = "human"
disable = ["file.name"]

[[override]]
id = "runtime.max"
value = "20m"

[[rule]]
id = "audio.two-tracks"
fact = "count(audio)"
op = "ge"
value = 2
severity = "warning"
message = "Send a stereo mix and an M&E track."
source = "My Fest delivery spec"
"#,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("OK, rule set 'my-fest'"), "{out}");
}

#[test]
fn syntax_error_has_line_and_column() {
    let (code, _, err) = validate("name = \"x\"\n[[rule]\nid = 1\n");
    assert_eq!(code, 2);
    assert!(err.contains("fest.toml:2:"), "{err}");
}

#[test]
fn unknown_fact_path_points_at_the_value_and_suggests() {
    let (code, _, err) = validate(
        "[[rule]]\nid = \"w\"\nfact = \"video[0].widht\"\nop = \"ge\"\nvalue = 640\nseverity = \"warning\"\nmessage = \"m\"\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("fest.toml:3:8: unknown fact 'video[0].widht' (did you mean video[].width?)"),
        "{err}"
    );
}

#[test]
fn wrong_unit_and_wrong_types_are_each_reported() {
    let (code, _, err) = validate(
        r#"[[rule]]
id = "a"
fact = "container.duration_s"
op = "le"
value = "10 GB"
severity = "error"
message = "m"

[[rule]]
id = "b"
fact = "video[0].codec"
op = "gt"
value = "h264"
severity = "fatal"
message = "m"

[[rule]]
id = "a"
fact = "size_bytes"
op = "le"
value = "1 GB"
severity = "info"
message = "m"
"#,
    );
    assert_eq!(code, 2);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("fest.toml:5:9:") && l.contains("is not a duration")),
        "{err}"
    );
    assert!(
        lines.iter().any(|l| l.contains("fest.toml:14:12:")
            && l.contains("severity must be error, warning or info")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("fest.toml:13:9:") && l.contains("`gt` compares numbers")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("fest.toml:18:6:") && l.contains("duplicate rule id 'a'")),
        "{err}"
    );
}

#[test]
fn unknown_keys_operators_and_overrides_are_reported() {
    let (code, _, err) = validate(
        "extends = \"common\"\ndisable = [\"runtime.maxx\"]\n[[override]]\nid = \"nope\"\nvalue = 1\n[[rule]]\nid = \"x\"\nfact = \"size_bytes\"\nop = \"bigger\"\nvalue = 1\nseverity = \"info\"\nmessage = \"m\"\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("fest.toml:2:12: cannot disable unknown rule 'runtime.maxx' (did you mean 'runtime.max'?)"), "{err}");
    assert!(
        err.contains("fest.toml:4:6: override of unknown rule 'nope'"),
        "{err}"
    );
    assert!(
        err.contains("fest.toml:9:6: unknown operator 'bigger'"),
        "{err}"
    );
    let (code, _, err) = validate("[[rule]]\nid = \"x\"\nfacts = \"size_bytes\"\n");
    assert_eq!(code, 2);
    assert!(
        err.contains("fest.toml:3:1: unknown field `facts`"),
        "{err}"
    );
}

#[test]
fn a_broken_rule_file_stops_check_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[[rule]]\nid = \"x\"\nfact = \"nope\"\nop = \"eq\"\nvalue = 1\nseverity = \"info\"\nmessage = \"m\"\n").unwrap();
    let film = crate::samples::good();
    let (code, out, err) = run(&[
        "check",
        "--rules",
        file.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("bad.toml:3:8: unknown fact 'nope' (`reelcheck rules facts` lists them all)"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "check",
        "--rules",
        "/nonexistent/rules.toml",
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("/nonexistent/rules.toml") && err.contains("cannot read rule file"),
        "{err}"
    );
}

#[test]
fn every_listed_fact_is_one_a_rule_file_may_name() {
    let (code, out, err) = run(&["rules", "facts"]);
    assert_eq!(code, 0, "{err}");
    let paths: Vec<String> = out
        .lines()
        .skip_while(|l| !l.starts_with("FACT"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(|p| p.replace("[]", "[0]").replace(".*", ".title"))
        .collect();
    for expected in [
        "count(audio)",
        "container.duration_s",
        "video[0].fps",
        "audio[0].loudness.integrated_lufs",
        "credits.start_s",
        "provenance.c2pa.trusted",
        "subtitles[0].cues.max_chars_per_s",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} missing:\n{out}"
        );
    }
    let mut file = String::from("name = \"every fact\"\n");
    for (i, p) in paths.iter().enumerate() {
        file.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nfact = \"{p}\"\nop = \"exists\"\nvalue = true\nseverity = \"info\"\nmessage = \"m\"\n"
        ));
    }
    let (code, out, err) = validate(&file);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("with {} rules", paths.len())),
        "{out}"
    );
}

#[test]
fn an_override_of_a_value_keeps_its_message_true() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("fest.toml");
    std::fs::write(
        &rules,
        "extends = \"common\"\n[[override]]\nid = \"runtime.max\"\nvalue = \"30s\"\n",
    )
    .unwrap();
    let film = film("pass-61s.mp4", 61);
    let (code, out, err) = run(&[
        "check",
        "--rules",
        rules.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("The film runs 1:01, longer than 30 s with its credits"),
        "{out}"
    );
    assert!(out.contains("expected at most 30 s, found 1:01"), "{out}");
    assert!(!out.contains("15 minutes"), "{out}");
    // The JSON keeps the raw expectation beside the words, and the fix.
    let (_, out, _) = run(&[
        "check",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
        film.to_str().unwrap(),
    ]);
    let report = json(&out);
    let results = report["files"][0]["results"].as_array().unwrap();
    let max = results.iter().find(|r| r["id"] == "runtime.max").unwrap();
    assert_eq!(max["expected"], "≤ 30 s (±0.5 s)");
    assert_eq!(max["expected_text"], "at most 30 s");
    assert_eq!(max["actual_text"], "1:01");
    assert!(
        max["fix"][0].as_str().unwrap().contains("Shorten the edit"),
        "{max}"
    );
}

#[test]
fn validate_warns_of_a_new_value_under_a_message_with_a_stale_number() {
    let (code, out, err) = validate(
        "extends = \"common\"\n\
         [[override]]\nid = \"runtime.max\"\nvalue = \"10m\"\n\
         [[override]]\nid = \"video.frame_rate\"\nvalue = [24, 25]\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("OK"), "{out}");
    // runtime.max says {value}; video.frame_rate names its rates in words.
    assert!(!err.contains("runtime.max"), "{err}");
    assert!(
        err.contains("fest.toml:7:9: warning: rule 'video.frame_rate' gets a new value"),
        "{err}"
    );
    assert!(err.contains("{value}"), "{err}");
    // A message of the override's own silences the warning.
    let (code, _, err) = validate(
        "extends = \"common\"\n[[override]]\nid = \"video.frame_rate\"\nvalue = [24, 25]\n\
         message = \"The frame rate is {actual}; export at {value}.\"\n",
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn an_unknown_placeholder_in_a_message_is_a_mistake() {
    let (code, _, err) = validate(
        "[[rule]]\nid = \"x\"\nfact = \"size_bytes\"\nop = \"le\"\nvalue = \"1 GB\"\n\
         severity = \"warning\"\nmessage = \"Larger than {valeu}.\"\n",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("fest.toml:7:11: unknown placeholder {valeu}"),
        "{err}"
    );
}

/// The fix lines of the built-in rule sets, as `rules show` prints them.
fn built_in_fixes() -> Vec<(String, String)> {
    let mut fixes = Vec::new();
    for set in ["human", "ai", "common"] {
        let (code, out, err) = run(&["rules", "show", set]);
        assert_eq!(code, 0, "{err}");
        let doc: toml::Table = out.parse().expect("rules show prints TOML");
        for key in ["rule", "override"] {
            for rule in doc
                .get(key)
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                let id = rule["id"].as_str().unwrap().to_string();
                let fix = rule.get("fix").and_then(|f| f.as_str()).unwrap_or("");
                for line in fix.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    // `human` and `ai` extend `common`: each line once.
                    if !fixes.iter().any(|(_, l)| l == line) {
                        fixes.push((id.clone(), line.to_string()));
                    }
                }
            }
        }
    }
    fixes
}

/// The leading options of an `ffmpeg:` fix line (`-c:v libx264 -profile:v high`), up to the
/// words that explain them; `None` when the line is a sentence rather than options.
fn ffmpeg_options(line: &str) -> Option<Vec<String>> {
    const FLAGS: [&str; 3] = ["-shortest", "-an", "-vn"];
    let mut words = line.split_whitespace().peekable();
    if !words.peek()?.starts_with('-') {
        return None;
    }
    let mut options = Vec::new();
    while let Some(w) = words.next_if(|w| w.starts_with('-')) {
        options.push(w.to_string());
        if !FLAGS.contains(&w) {
            options.push(words.next()?.to_string());
        }
    }
    Some(options)
}

#[test]
fn fix_lines_name_the_tools_and_ffmpeg_takes_every_option_they_give() {
    const TOOLS: [&str; 5] = [
        "DaVinci Resolve",
        "Premiere Pro",
        "Final Cut Pro",
        "HandBrake",
        "ffmpeg",
    ];
    let fixes = built_in_fixes();
    assert!(fixes.len() > 50, "{fixes:?}");
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for (id, line) in &fixes {
        // A tool's line starts with the tool's name as its maker spells it; other lines are
        // advice for any tool.
        if let Some((tool, _)) = line.split_once(": ") {
            if TOOLS.iter().any(|t| tool.eq_ignore_ascii_case(t)) {
                assert!(TOOLS.contains(&tool), "{id}: {line}");
            }
        }
        let Some(rest) = line.strip_prefix("ffmpeg: ") else {
            continue;
        };
        let Some(options) = ffmpeg_options(rest) else {
            continue;
        };
        // A half-second film with picture and sound, encoded with the line's options.
        let out = dir.path().join(format!("fix-{ran}.mp4"));
        let status = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i"])
            .arg(
                "testsrc2=size=64x36:rate=25:duration=0.5[out0];\
                 sine=frequency=440:sample_rate=44100:duration=0.5[out1]",
            )
            .args(&options)
            .args(["-t", "0.5"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{id}: ffmpeg {}: {}",
            options.join(" "),
            String::from_utf8_lossy(&status.stderr)
        );
        ran += 1;
    }
    // faststart, size, codecs, profile, scale, frame rate, deinterlace, chroma, sound, loudness.
    assert!(ran >= 15, "{ran} ffmpeg lines run");
}

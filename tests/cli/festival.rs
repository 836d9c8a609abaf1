//! A festival's own tracks: a festival file (--festival) with its tracks' titles and rule
//! sets, used by --track, --track-from folder and manifests; --rules NAME=FILE as a shortcut;
//! rule sets for another track refused; mistakes in the festival file named at line:col.

use crate::support::*;
use std::path::Path;

/// A festival with a documentary track (a human-produced film of at most 60 s) and an
/// animation track (the built-in human rules under its own track name).
fn festival(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(
        dir.join("rules/documentary.toml"),
        "name = \"documentary\"\ntrack = \"documentary\"\nextends = \"human\"\n\
         [[override]]\nid = \"runtime.max\"\nvalue = \"60s\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("rules/animation.toml"),
        "name = \"animation\"\ntrack = \"animation\"\nextends = \"human\"\n",
    )
    .unwrap();
    let fest = dir.join("festival.toml");
    std::fs::write(
        &fest,
        "name = \"Northern Lights 2026\"\n\
         [tracks.documentary]\ntitle = \"Documentary\"\nrules = \"rules/documentary.toml\"\n\
         [tracks.animation]\ntitle = \"Animation\"\nrules = \"rules/animation.toml\"\n",
    )
    .unwrap();
    fest
}

#[test]
fn folders_name_the_festivals_tracks_and_each_is_checked_by_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    let fest = festival(dir.path());
    let intake = dir.path().join("intake");
    // 61 s: too long for the documentary track (60 s), fine for animation (15 min).
    copy_into(
        &film("pass-61s.mp4", 61),
        &intake,
        "Documentary/long-doc.mp4",
    );
    copy_into(&film("pass-61s.mp4", 61), &intake, "animation/anim.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "student/other.mp4");
    let (code, out, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track-from",
        "folder",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let sets = report["rule_sets"].as_array().unwrap();
    let tracks: Vec<(&str, &str)> = sets
        .iter()
        .map(|s| (s["track"].as_str().unwrap(), s["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        tracks,
        [("documentary", "Documentary"), ("animation", "Animation")]
    );
    let files = files_by_name(&report);
    let doc = &files["long-doc.mp4"];
    assert_eq!(doc["track"], "documentary");
    assert_eq!(doc["status"], "fail", "{doc}");
    let max = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "runtime.max")
        .unwrap();
    assert_eq!(max["status"], "fail");
    assert_eq!(max["expected"], "≤ 1:00 (±0.5 s)");
    assert_eq!(files["anim.mp4"]["track"], "animation");
    assert_eq!(files["anim.mp4"]["status"], "pass");
    // A folder that names no track: an error entry, and the rest carries on.
    let other = &files["other.mp4"];
    assert_eq!(other["status"], "error");
    assert_eq!(other["error_code"], "no_track");
    assert!(
        other["error"]
            .as_str()
            .unwrap()
            .contains("(documentary, animation)"),
        "{other}"
    );

    // --track names a default for entries outside the track folders; a name the festival does
    // not have is a usage error that lists its tracks.
    let (code, out, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track-from",
        "folder",
        "--track",
        "animation",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(files_by_name(&json(&out))["other.mp4"]["status"], "pass");
    // The text report's header names each track with its title and its rules; so does the
    // HTML report's.
    let (code, out, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track-from",
        "folder",
    ]);
    assert_eq!(code, 1, "{err}");
    let rules_dir = dir.path().join("rules");
    let header: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(
        header,
        [
            "Rules: documentary+animation (by track)".to_string(),
            format!(
                "       track documentary \"Documentary\": documentary ({})",
                rules_dir.join("documentary.toml").display()
            ),
            format!(
                "       track animation \"Animation\": animation ({})",
                rules_dir.join("animation.toml").display()
            ),
        ],
        "{out}"
    );
    let html = dir.path().join("report.html");
    let (code, _, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track-from",
        "folder",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<b>Documentary</b> (track documentary)")
            && page.contains("<b>Animation</b> (track animation)"),
        "{page}"
    );
    // One track: its title on the one line.
    let (_, out, err) = run(&[
        "check",
        intake.join("animation").to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track",
        "animation",
    ]);
    assert!(
        out.starts_with(&format!(
            "Rules: animation ({}, track animation \"Animation\")\n",
            rules_dir.join("animation.toml").display()
        )),
        "{out}{err}"
    );
    let (code, _, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track",
        "human",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown track 'human' (the festival's tracks: documentary, animation)"),
        "{err}"
    );
}

#[test]
fn a_manifest_names_the_festivals_tracks() {
    let dir = tempfile::tempdir().unwrap();
    let fest = festival(dir.path());
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "films/a.mp4");
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "films/b.mp4");
    copy_into(&film("pass-61s.mp4", 61), dir.path(), "films/c.mp4");
    let manifest = dir.path().join("entries.csv");
    std::fs::write(
        &manifest,
        "file,track,title\nfilms/a.mp4,documentary,A\nfilms/b.mp4,Animation,B\nfilms/c.mp4,ai,C\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "check",
        "--manifest",
        manifest.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let files = files_by_name(&json(&out));
    assert_eq!(files["a.mp4"]["status"], "fail", "61 s is over 60 s");
    assert_eq!(files["b.mp4"]["status"], "pass");
    assert_eq!(files["b.mp4"]["track"], "animation");
    // `ai` is a track of the built-in festival, not of this one.
    assert_eq!(files["c.mp4"]["status"], "error");
    assert_eq!(files["c.mp4"]["error_code"], "unknown_track");
    assert!(files["c.mp4"]["error"]
        .as_str()
        .unwrap()
        .contains("unknown track 'ai' for films/c.mp4 (known: documentary, animation)"));
}

#[test]
fn rules_name_equals_file_gives_a_track_its_rules_without_a_festival_file() {
    let dir = tempfile::tempdir().unwrap();
    festival(dir.path());
    let intake = dir.path().join("intake");
    copy_into(&film("pass-61s.mp4", 61), &intake, "documentary/doc.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "human/h.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "ai/a.mp4");
    let doc_rules = dir.path().join("rules/documentary.toml");
    let arg = format!("documentary={}", doc_rules.display());
    let (code, out, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--track-from",
        "folder",
        "--rules",
        &arg,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let files = files_by_name(&report);
    // The built-in festival's tracks stay; the new one is added after them.
    assert_eq!(files["h.mp4"]["track"], "human");
    assert_eq!(files["h.mp4"]["status"], "pass");
    assert_eq!(files["a.mp4"]["track"], "ai");
    assert_eq!(files["doc.mp4"]["track"], "documentary");
    assert_eq!(files["doc.mp4"]["status"], "fail");
    let tracks: Vec<&str> = report["rule_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["track"].as_str().unwrap())
        .collect();
    assert_eq!(tracks, ["human", "ai", "documentary"]);

    // A plain --rules FILE still checks every entry by that one file.
    let (code, out, err) = run(&[
        "check",
        intake.join("documentary").to_str().unwrap(),
        "--rules",
        doc_rules.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(report["rule_set"]["track"], "documentary");
    assert_eq!(report["files"][0]["status"], "fail");
}

#[test]
fn a_rule_set_for_another_track_is_a_usage_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let intake = dir.path().join("intake");
    copy_into(&film("pass-61s.mp4", 61), &intake, "human/h.mp4");
    copy_into(&film("pass-61s.mp4", 61), &intake, "ai/a.mp4");
    // A festival's rules that extend `human`: they inherit its track.
    let fest_rules = dir.path().join("fest.toml");
    std::fs::write(
        &fest_rules,
        "extends = \"human\"\n[[override]]\nid = \"runtime.max\"\nvalue = \"10m\"\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--track-from",
        "folder",
        "--rules",
        fest_rules.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains("is for the human track, but "), "{err}");
    assert!(
        err.contains("a.mp4 is an entry of the ai track"),
        "names the entry: {err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // The same in a festival file: a track whose rules are another track's.
    let fest = dir.path().join("festival.toml");
    std::fs::write(
        &fest,
        "[tracks.human]\nrules = \"human\"\n[tracks.student]\nrules = \"fest.toml\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "check",
        intake.to_str().unwrap(),
        "--festival",
        fest.to_str().unwrap(),
        "--track-from",
        "folder",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is for the human track, but checks entries of the student track"),
        "{err}"
    );
}

#[test]
fn festival_file_mistakes_are_one_line_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let film = film("short-3s.mp4", 3);
    let cases = [
        (
            "[tracks.doc]\ntitle = \"Doc\"\nrules = \"missing.toml\"\n",
            "festival.toml:3:9: track 'doc': rules 'missing.toml' is not a built-in rule set",
        ),
        (
            "[tracks.doc]\ntitle = \"Doc\"\nrules = \"human\"\ncolour = \"red\"\n",
            "festival.toml:4:1: unknown field `colour`",
        ),
        (
            "name = \"x\"\n[tracks.\"Doc Films\"]\nrules = \"human\"\n",
            "festival.toml:2:9: track name 'Doc Films' is not lowercase letters",
        ),
        ("name = \"x\"\n", "festival.toml:1:1: no tracks"),
        ("[tracks.doc\n", "festival.toml:1:"),
    ];
    for (text, want) in cases {
        let fest = dir.path().join("festival.toml");
        std::fs::write(&fest, text).unwrap();
        let (code, out, err) = run(&[
            "check",
            film.to_str().unwrap(),
            "--festival",
            fest.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{text}: {err}");
        assert_eq!(out, "");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(want), "{text}\nwanted: {want}\ngot: {err}");
    }
}

//! Verdicts that must not be passes: a rule set that checks nothing, thresholds that are no
//! number once converted, and requirements whose facts could not be established.

use crate::samples;
use crate::support::*;

#[test]
fn a_rule_set_without_rules_is_refused_unless_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&samples::good(), dir.path(), "good.mp4");
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "name = \"nothing\"\n").unwrap();
    let (code, out, err) = run(&[
        "check",
        "--no-cache",
        "--rules",
        empty.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("empty.toml:1:1") && err.contains("no rules"),
        "{err}"
    );
    // A set that disables every rule it inherits is as empty.
    let emptied = dir.path().join("emptied.toml");
    let common = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/common.toml"),
    )
    .unwrap();
    let ids: Vec<String> = common
        .lines()
        .filter_map(|l| l.strip_prefix("id = "))
        .map(str::to_string)
        .collect();
    assert!(ids.len() > 10, "{ids:?}");
    std::fs::write(
        &emptied,
        format!("extends = \"common\"\ndisable = [{}]\n", ids.join(", ")),
    )
    .unwrap();
    let (code, _, err) = run(&["rules", "validate", emptied.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    // Said on purpose, it is taken.
    std::fs::write(&empty, "name = \"nothing\"\nallow_empty = true\n").unwrap();
    let (code, _, err) = run(&[
        "check",
        "--no-cache",
        "--rules",
        empty.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_threshold_that_converts_to_infinity_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["1e308 h", "1e307 min", "1e306 Gbit/s"] {
        let (fact, unit_ok) = if value.contains("bit") {
            ("container.bit_rate", "1 Gbit/s")
        } else {
            ("container.duration_s", "1 h")
        };
        let file = dir.path().join("big.toml");
        let rule = |v: &str| {
            format!(
                "extends = \"common\"\n[[rule]]\nid = \"big\"\nfact = \"{fact}\"\nop = \"le\"\n\
                 value = \"{v}\"\nseverity = \"error\"\nmessage = \"m\"\n"
            )
        };
        std::fs::write(&file, rule(value)).unwrap();
        let (code, _, err) = run(&["rules", "validate", file.to_str().unwrap()]);
        assert_eq!(code, 2, "{value}: {err}");
        assert!(err.contains("big.toml:6:"), "{value}: {err}");
        std::fs::write(&file, rule(unit_ok)).unwrap();
        let (code, _, err) = run(&["rules", "validate", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{unit_ok}: {err}");
    }
}

/// `check --format json` of `film` on the human track with the cache in `cache`: the result of
/// the AI rule, and stderr.
fn ai_rule_with_cache(film: &std::path::Path, cache: &std::path::Path) -> (String, String) {
    let (_, out, err) = run(&[
        "check",
        "--track",
        "human",
        "--format",
        "json",
        "--cache-dir",
        cache.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    let report = json(&out);
    let rule = report["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "provenance.no_ai_declared")
        .cloned()
        .unwrap_or_else(|| panic!("{out}{err}"));
    (rule["status"].as_str().unwrap().to_string(), err)
}

/// A film whose encoding tool names Blender; the same bytes with "Runway Gen-3" in its place
/// declare an AI generator, at the same size.
fn blender_film(dir: &std::path::Path) -> std::path::PathBuf {
    let made = media(
        "cache-swap-blender.mp4",
        &[
            "-i",
            samples::good().to_str().unwrap(),
            "-c",
            "copy",
            "-metadata",
            "encoding_tool=Blender 4.10",
            "-movflags",
            "use_metadata_tags",
        ],
    );
    copy_into(&made, dir, "film.mp4")
}

fn swap_in_place(film: &std::path::Path, from: &[u8], to: &[u8]) {
    let mut bytes = std::fs::read(film).unwrap();
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the tag is in the file");
    bytes[at..at + to.len()].copy_from_slice(to);
    let when = std::fs::metadata(film).unwrap().modified().unwrap();
    std::fs::write(film, &bytes).unwrap();
    std::fs::File::options()
        .append(true)
        .open(film)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[test]
fn a_film_replaced_with_the_same_size_and_time_is_checked_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let film = blender_film(dir.path());
    let before = std::fs::metadata(&film).unwrap();
    assert_eq!(ai_rule_with_cache(&film, &cache).0, "pass");
    // Rewritten in place with its modification time put back, as `exiftool -P` or `rsync -t`
    // leave a file: same size, same time, another film.
    swap_in_place(&film, b"Blender 4.10", b"Runway Gen-3");
    let after = std::fs::metadata(&film).unwrap();
    assert_eq!(
        (before.len(), before.modified().unwrap()),
        (after.len(), after.modified().unwrap())
    );
    assert_eq!(ai_rule_with_cache(&film, &cache).0, "fail");
}

#[test]
fn a_cache_entry_is_believed_only_from_the_users_own_regular_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let film = blender_film(dir.path());
    assert_eq!(ai_rule_with_cache(&film, &cache).0, "pass");
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(cache.join("facts-v2"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];

    // An entry planted by another user, declaring the film clean after it declares AI.
    swap_in_place(&film, b"Blender 4.10", b"Runway Gen-3");
    let (status, _) = ai_rule_with_cache(&film, &cache);
    assert_eq!(status, "fail");
    let honest = std::fs::read_to_string(
        std::fs::read_dir(cache.join("facts-v2"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p != entry)
            .unwrap(),
    )
    .unwrap();
    let key_file = std::fs::read_dir(cache.join("facts-v2"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p != entry)
        .unwrap();
    let planted = honest
        .replace("Runway", "Blender")
        .replace("\"ai_evidence\"", "\"x\"");
    std::fs::write(&key_file, planted).unwrap();
    let chown = std::process::Command::new("chown")
        .arg("65534")
        .arg(&key_file)
        .status()
        .unwrap();
    assert!(chown.success());
    assert_eq!(
        ai_rule_with_cache(&film, &cache).0,
        "fail",
        "a planted entry was believed"
    );

    // An entry that is a FIFO or a link to /dev/zero neither hangs the run nor is read.
    std::fs::remove_file(&key_file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&key_file)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(ai_rule_with_cache(&film, &cache).0, "fail");
    std::fs::remove_file(&key_file).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &key_file).unwrap();
    assert_eq!(ai_rule_with_cache(&film, &cache).0, "fail");

    // A cache folder anyone may write to, without the sticky bit: a warning, and no cache.
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
    let (status, err) = ai_rule_with_cache(&film, &cache);
    assert_eq!(status, "fail");
    assert!(err.contains("can be written by other users"), "{err}");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let (_, err) = ai_rule_with_cache(&film, &cache);
    assert!(!err.contains("other users"), "{err}");
}

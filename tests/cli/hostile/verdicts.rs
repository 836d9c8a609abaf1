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

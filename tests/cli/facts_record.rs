//! Every fact of every committed media file (fixtures/), as `probe --with all` measures it,
//! against the record in tests/facts-record.json. Speed work must not change a result: this
//! test fails on any fact that differs, and names the file and the fact. A change that is meant
//! to move a fact rewrites the record (`UPDATE_FACTS=1 cargo test --release --features
//! fault-injection --test cli -- facts_record`), and the record's diff shows what moved.
//!
//! The record holds the facts one FFmpeg gives (the `FFmpeg:` line of `reelcheck --version`);
//! another FFmpeg decodes and demuxes a little differently, so with another one the test says
//! so and compares nothing, except in CI (`CI` set), which builds against the record's FFmpeg
//! and fails instead.

use crate::support::{json, run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const RECORD: &str = "tests/facts-record.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The media files under fixtures/, by their path from the repository's root.
fn media_files() -> Vec<String> {
    const NOT_MEDIA: &[&str] = &[
        "md", "txt", "json", "toml", "rs", "sh", "py", "pem", "key", "csv",
    ];
    let mut out = Vec::new();
    let mut dirs = vec![root().join("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if NOT_MEDIA.contains(&ext) || name == "LICENSES" {
                continue;
            }
            out.push(relative(&path));
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Every leaf of `v` as (path, value), for naming what differs.
fn leaves(v: &Value, at: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| leaves(x, format!("{at}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, format!("{at}[{i}]"), out)),
        other => {
            out.insert(at, other.clone());
        }
    }
}

/// Whether a recorded leaf and a measured one are the same fact. Numbers are the same within
/// a billionth of their size: two builds of the same code may round a sum of seconds apart in
/// the last of its seventeen digits (1.273 against 1.2730000000000001), which no fact is
/// measured to; a change of a millisecond, a frame or a byte is a difference.
fn same(x: Option<&Value>, y: Option<&Value>) -> bool {
    match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
        (Some(a), Some(b)) if x.is_some_and(Value::is_f64) || y.is_some_and(Value::is_f64) => {
            (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
        }
        _ => x == y,
    }
}

#[test]
fn every_fact_of_the_committed_media_is_the_one_on_record() {
    let (_, version, _) = run(&["--version"]);
    let ffmpeg = version
        .lines()
        .find(|l| l.starts_with("FFmpeg:"))
        .unwrap_or_else(|| panic!("no FFmpeg line in --version: {version}"))
        .to_string();
    let files = media_files();
    assert!(
        files.len() >= 60,
        "fixtures/ holds {} media files",
        files.len()
    );
    let paths: Vec<String> = files
        .iter()
        .map(|f| root().join(f).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["probe", "--with", "all", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let (_, out, err) = run(&args);
    let measured: BTreeMap<String, Value> = json(&out)
        .as_array()
        .unwrap_or_else(|| panic!("no facts: {err}"))
        .iter()
        .map(|f| {
            let path = relative(Path::new(f["path"].as_str().unwrap()));
            let mut f = f.clone();
            f["path"] = Value::String(path.clone());
            (path, f)
        })
        .collect();
    assert_eq!(measured.len(), files.len(), "{err}");

    let record_path = root().join(RECORD);
    if std::env::var_os("UPDATE_FACTS").is_some() {
        let record = serde_json::json!({ "ffmpeg": ffmpeg, "facts": measured });
        let text = serde_json::to_string_pretty(&record).unwrap() + "\n";
        std::fs::write(&record_path, text).unwrap();
        return;
    }
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(&record_path)
            .unwrap_or_else(|e| panic!("{RECORD}: {e} (UPDATE_FACTS=1 writes it)")),
    )
    .unwrap();
    if record["ffmpeg"] != ffmpeg.as_str() {
        // CI builds against the FFmpeg the record is of: there, a mismatch is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "the record is of {}, this binary has {ffmpeg}",
            record["ffmpeg"]
        );
        eprintln!(
            "SKIPPED facts_record: the record is of {}, this binary has {ffmpeg}",
            record["ffmpeg"]
        );
        return;
    }
    let recorded: BTreeMap<String, Value> = record["facts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut differences = Vec::new();
    let names: BTreeSet<&String> = recorded.keys().chain(measured.keys()).collect();
    for name in names {
        let (was, now) = (recorded.get(name), measured.get(name));
        if was == now {
            continue;
        }
        let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
        if let Some(was) = was {
            leaves(was, String::new(), &mut a);
        }
        if let Some(now) = now {
            leaves(now, String::new(), &mut b);
        }
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let (x, y) = (a.get(key), b.get(key));
            if !same(x, y) {
                let shown = |v: Option<&Value>| v.map_or("nothing".to_string(), Value::to_string);
                differences.push(format!(
                    "{name}: {key}: recorded {}, measured {}",
                    shown(x),
                    shown(y)
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} facts differ from {RECORD} (if meant, rewrite it with UPDATE_FACTS=1):\n{}",
        differences.len(),
        differences.join("\n")
    );
}

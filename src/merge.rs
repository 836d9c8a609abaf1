//! `reelcheck merge`: the JSON reports of sharded runs as one report. Files are sorted by path
//! as `check` sorts them and the summary is recomputed, so merging the shards of a run gives
//! the report the unsharded run would have given. A file in two reports is an error: it means
//! the shards were not of one run (or one shard was given twice), and a silent choice between
//! two verdicts would hide that.

use crate::verdict::{FileReport, Report, RuleSetInfo};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads a report written by `check --format json`, or by `--format jsonl` (one file report
/// a line; such a report names no rule set).
pub fn read(path: &Path) -> Result<(Vec<RuleSetInfo>, Vec<FileReport>), String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        if let Ok(report) = serde_json::from_str::<Report>(trimmed) {
            let sets = if report.rule_sets.is_empty() {
                vec![report.rule_set]
            } else {
                report.rule_sets
            };
            return Ok((sets, report.files));
        }
    }
    let mut files = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let file = serde_json::from_str::<FileReport>(line).map_err(|e| {
            format!(
                "{name}:{}: not a reelcheck JSON report or JSON Lines report ({e})",
                i + 1
            )
        })?;
        files.push(file);
    }
    Ok((Vec::new(), files))
}

pub fn merge(paths: &[PathBuf]) -> Result<Report, String> {
    let mut sets: Vec<RuleSetInfo> = Vec::new();
    let mut files: Vec<FileReport> = Vec::new();
    let mut from: HashMap<String, &Path> = HashMap::new();
    for path in paths {
        let (these_sets, these_files) = read(path)?;
        for s in these_sets {
            if !sets.contains(&s) {
                sets.push(s);
            }
        }
        for f in these_files {
            if let Some(first) = from.insert(f.path.clone(), path) {
                return Err(format!(
                    "{} is in both {} and {}: merge takes the reports of one run's shards, each once",
                    f.path,
                    first.display(),
                    path.display()
                ));
            }
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if sets.is_empty() {
        sets.push(RuleSetInfo {
            name: "unknown".into(),
            track: None,
            source: "JSON Lines reports".into(),
        });
    }
    Ok(Report::by_track(sets, files))
}

//! `reelcheck merge`: the JSON reports of sharded runs as one report. Files are sorted by path
//! as `check` sorts them and the summary is recomputed, so merging the shards of a run gives
//! the report the unsharded run would have given. A file in two reports is an error: it means
//! the shards were not of one run (or one shard was given twice), and a silent choice between
//! two verdicts would hide that.
//!
//! A report is input like any other: anyone may have written it. Nothing it claims about a
//! verdict is taken on trust: each file's status is worked out again from its rule results
//! (see `recheck`), and the summary from the statuses.

use crate::rules::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleSetInfo};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Larger than any report of a real intake (about 10 kB a file), small enough to hold in memory.
const MAX_REPORT_BYTES: u64 = 1 << 30;

/// Reads a report written by `check --format json`, or by `--format jsonl` (one file report
/// a line; such a report names no rule set).
pub fn read(path: &Path) -> Result<(Vec<RuleSetInfo>, Vec<FileReport>), String> {
    let name = path.display();
    let text = read_regular(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
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
        // serde quotes what it could not read, newlines included: the reason stays one line.
        let file = serde_json::from_str::<FileReport>(line).map_err(|e| {
            format!(
                "{name}:{}: not a reelcheck JSON report or JSON Lines report ({})",
                i + 1,
                e.to_string().replace(['\n', '\r'], " ")
            )
        })?;
        files.push(file);
    }
    Ok((Vec::new(), files))
}

/// The text of a regular file of bounded size: a FIFO would block and a device never end.
fn read_regular(path: &Path) -> std::io::Result<String> {
    let not_regular = || std::io::Error::other("not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    // Opening a FIFO for reading waits for a writer; without waiting, the check below refuses
    // one swapped in since. (Regular files ignore the flag.)
    crate::platform::open_without_waiting(&mut open);
    let file = open.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > MAX_REPORT_BYTES {
        return Err(std::io::Error::other("larger than 1 GiB"));
    }
    let mut text = String::new();
    file.take(MAX_REPORT_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_REPORT_BYTES {
        return Err(std::io::Error::other("larger than 1 GiB"));
    }
    Ok(text)
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
        for mut f in these_files {
            if let Some(first) = from.insert(f.path.clone(), path) {
                return Err(format!(
                    "{} is in both {} and {}: merge takes the reports of one run's shards, each once",
                    f.path,
                    first.display(),
                    path.display()
                ));
            }
            recheck(&mut f);
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if sets.is_empty() {
        sets.push(RuleSetInfo {
            name: "unknown".into(),
            track: None,
            source: "JSON Lines reports".into(),
            title: None,
        });
    }
    Ok(Report::by_track(sets, files))
}

/// Works a file's status out again from what backs it: an error message makes it an error, a
/// failed rule of severity error a failure. A report may only make a status worse than that
/// (a `--strict` run fails files on warnings), never better: a "pass" beside a failed error
/// rule is a failure.
pub fn recheck(f: &mut FileReport) {
    if f.error.is_none() {
        f.error = f.facts.error.clone();
    }
    let backed = if f.error.is_some() {
        FileStatus::Error
    } else if f.failures(Severity::Error).next().is_some() {
        FileStatus::Fail
    } else {
        FileStatus::Pass
    };
    f.status = worse(f.status, backed);
    if f.status == FileStatus::Error && f.error.is_none() {
        f.error = Some("the merged report marks this file as an error without a reason".into());
    }
    if let Some(e) = f.error.as_deref().filter(|_| f.error_code.is_none()) {
        f.error_code = Some(reelcheck_facts::error_code::of(e).to_string());
    }
    f.provisional |= f.unchecked_requirements() > 0;
}

fn worse(a: FileStatus, b: FileStatus) -> FileStatus {
    let rank = |s: FileStatus| match s {
        FileStatus::Pass => 0,
        FileStatus::Fail => 1,
        FileStatus::Error => 2,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::eval::evaluate;
    use crate::rules::RuleSet;
    use crate::verdict::{RuleResult, RuleStatus};
    use reelcheck_facts::Facts;

    fn set(track: &str) -> RuleSetInfo {
        RuleSetInfo {
            name: track.into(),
            track: Some(track.into()),
            source: "built-in".into(),
            title: None,
        }
    }

    /// A file that passed an empty rule set.
    fn passed(path: &str) -> FileReport {
        evaluate(&RuleSet::empty(), &Facts::for_path(Path::new(path)), false)
    }

    fn written(dir: &Path, name: &str, report: &Report) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(report).expect("JSON")).expect("write");
        path
    }

    fn paths(report: &Report) -> Vec<&str> {
        report.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn shards_merge_into_the_report_the_whole_run_gives() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut failed = passed("in/d.mp4");
        failed.status = FileStatus::Fail;
        let one = Report::new(set("human"), vec![passed("in/b.mp4"), failed]);
        let two = Report::new(set("human"), vec![passed("in/a.mp4"), passed("in/c.mp4")]);
        let merged = merge(&[
            written(dir.path(), "1.json", &one),
            written(dir.path(), "2.json", &two),
        ])
        .expect("merged");
        assert_eq!(
            paths(&merged),
            ["in/a.mp4", "in/b.mp4", "in/c.mp4", "in/d.mp4"]
        );
        let s = &merged.summary;
        assert_eq!((s.files, s.passed, s.failed, s.errors), (4, 3, 1, 0));
        assert_eq!(merged.rule_set, set("human"));
        assert!(merged.rule_sets.is_empty(), "one set: no list of them");

        // Shards of a run by tracks name every set.
        let ai = Report::new(set("ai"), vec![passed("in/e.mp4")]);
        let merged = merge(&[
            written(dir.path(), "1.json", &one),
            written(dir.path(), "3.json", &ai),
        ])
        .expect("merged");
        assert_eq!(merged.rule_sets, [set("human"), set("ai")]);
    }

    #[test]
    fn a_file_in_two_reports_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let one = Report::new(set("human"), vec![passed("in/a.mp4")]);
        let a = written(dir.path(), "1.json", &one);
        let b = written(dir.path(), "2.json", &one);
        let e = merge(&[a, b]).expect_err("refused");
        assert!(e.starts_with("in/a.mp4 is in both"), "{e}");
    }

    #[test]
    fn json_lines_reports_merge_too_and_a_line_that_is_no_report_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let lines: String = [passed("in/b.mp4"), passed("in/a.mp4")]
            .iter()
            .map(|f| crate::report::jsonl::line(f).expect("a line"))
            .collect();
        let path = dir.path().join("run.jsonl");
        std::fs::write(&path, &lines).expect("write");
        let merged = merge(std::slice::from_ref(&path)).expect("merged");
        assert_eq!(paths(&merged), ["in/a.mp4", "in/b.mp4"]);
        assert_eq!(merged.rule_set.name, "unknown");

        std::fs::write(&path, format!("{lines}{{\"path\": 3}}\n")).expect("write");
        let e = merge(&[path]).expect_err("refused");
        assert!(
            e.contains("run.jsonl:3: not a reelcheck JSON report"),
            "{e}"
        );
    }

    #[test]
    fn a_report_cannot_make_a_verdict_better_than_what_backs_it() {
        let mut unread = passed("in/a.mp4");
        unread.facts.error = Some("timed out after 600 s".into());
        recheck(&mut unread);
        assert_eq!(unread.status, FileStatus::Error);
        assert_eq!(unread.error_code.as_deref(), Some("timeout"));

        let mut failing = passed("in/b.mp4");
        failing.results.push(RuleResult {
            id: "runtime.max".into(),
            severity: Severity::Error,
            status: RuleStatus::Fail,
            message: "too long".into(),
            expected: "≤ 15:00".into(),
            actual: Some("16:00".into()),
            actual_value: None,
            skip_cause: None,
            source: None,
            reason: None,
            expected_text: None,
            actual_text: None,
            fix: None,
        });
        recheck(&mut failing);
        assert_eq!(failing.status, FileStatus::Fail);

        // Worse than what backs it is kept: a --strict run fails files on warnings.
        let mut strict = passed("in/c.mp4");
        strict.status = FileStatus::Fail;
        recheck(&mut strict);
        assert_eq!(strict.status, FileStatus::Fail);

        let mut bare = passed("in/d.mp4");
        bare.status = FileStatus::Error;
        recheck(&mut bare);
        assert!(bare
            .error
            .as_deref()
            .is_some_and(|e| e.contains("without a reason")));
    }
}

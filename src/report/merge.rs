//! `reelcheck merge`: the JSON reports of sharded runs as one report. Files are sorted by path
//! as `check` sorts them and the summary is recomputed, so merging the shards of a run gives
//! the report the unsharded run would have given.
//!
//! An entry is known by what it is, not by the text of its path: its key (the path relative to
//! the folder searched, the same wherever the intake is mounted) and the stamp of the file
//! checked (see `Identity`). The same entry in two reports (one shard given twice, or checked
//! on two machines that mount the intake in two places) is merged once when both judged it
//! alike; judged two ways, or checked in two versions, it is refused, naming both reports,
//! since a silent choice between two verdicts would hide that. Two films of one name in two
//! folders stay two.
//!
//! A report is input like any other: anyone may have written it. Nothing it claims about a
//! verdict is taken on trust: each file's status is worked out again from its rule results
//! (see `recheck`), and the summary from the statuses.

use crate::rules::Severity;
use crate::similar::{self, earlier, Candidate, Group};
use crate::verdict::{FileReport, FileStatus, Report, RuleSetInfo, RuleStatus};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Larger than any report of a real intake (about 10 kB a file), small enough to hold in memory.
const MAX_REPORT_BYTES: u64 = 1 << 30;

/// What one report holds.
pub struct Contents {
    pub sets: Vec<RuleSetInfo>,
    pub files: Vec<FileReport>,
    /// The keys of the system files its run left out.
    pub system_files: Vec<String>,
    /// The festival it names.
    pub festival: Option<crate::verdict::FestivalInfo>,
    /// Its pairs of entries that show the same film.
    pub similar: Vec<Group>,
}

/// Reads a report written by `check --format json`, or by `--format jsonl` (one file report
/// a line; such a report names no rule set and counts no system files).
pub fn read(path: &Path) -> Result<Contents, String> {
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
            return Ok(Contents {
                sets,
                files: report.files,
                system_files: report.system_files,
                festival: report.festival,
                similar: report.similar,
            });
        }
    }
    let mut files = Vec::new();
    let mut run = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // The closing record of a run: its rule sets, festival and system files.
        if let Ok(record) = serde_json::from_str::<crate::report::jsonl::RunRecord>(line) {
            if record.record == "run" {
                run = Some(record);
                continue;
            }
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
    Ok(match run {
        Some(run) => Contents {
            sets: if run.rule_sets.is_empty() {
                vec![run.rule_set]
            } else {
                run.rule_sets
            },
            files,
            system_files: run.system_files,
            festival: run.festival,
            similar: run.similar,
        },
        None => Contents {
            sets: Vec::new(),
            files,
            system_files: Vec::new(),
            festival: None,
            similar: Vec::new(),
        },
    })
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
    let mut system: Vec<String> = Vec::new();
    let mut festival = None;
    let mut similar: Vec<Group> = Vec::new();
    // Each entry kept, with the report it came from, by its identity and by its path text.
    let mut by_identity: HashMap<Identity, (usize, &Path)> = HashMap::new();
    let mut by_path: HashMap<String, (usize, &Path)> = HashMap::new();
    for path in paths {
        let Contents {
            sets: these_sets,
            files: these_files,
            system_files: these_system,
            festival: this_festival,
            similar: these_similar,
        } = read(path)?;
        similar.extend(these_similar);
        festival = festival.or(this_festival);
        for s in these_sets {
            if !sets.contains(&s) {
                sets.push(s);
            }
        }
        system.extend(these_system);
        for mut f in these_files {
            recheck(&mut f);
            let identity = Identity::of(&f);
            let same = by_identity
                .get(&identity)
                .or_else(|| by_path.get(&f.path))
                .copied();
            if let Some((i, first)) = same {
                same_entry(&files[i], first, &f, path)?;
                // The same entry, judged the same: once.
                continue;
            }
            by_identity.insert(identity, (files.len(), path));
            by_path.insert(f.path.clone(), (files.len(), path));
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let similar = group(&mut files, similar);
    if sets.is_empty() {
        sets.push(RuleSetInfo {
            name: "unknown".into(),
            track: None,
            source: "JSON Lines reports".into(),
            title: None,
        });
    }
    let mut report = Report::by_track(sets, files).with_system_files(system);
    report.festival = festival;
    report.similar = similar;
    Ok(report)
}

/// The merged entries compared as one batch, as the unsharded run compares them: a film in
/// one shard and its twin in another are a pair. The pairs the reports found with earlier
/// reports (`--compare-with`) are kept as they were; those among their own entries are found
/// again with the rest. Each entry's `facts.similar` is worked out again from all of them.
///
/// The rules are not at hand here, so a verdict that rests on a `similar.*` fact cannot be
/// evaluated again: when the fact a rule named differs from what its shard saw, that rule
/// fails with the reason and the verdict is provisional: never passed on a partial view of
/// the intake.
fn group(files: &mut [FileReport], reported: Vec<Group>) -> Vec<Group> {
    let films: Vec<(usize, Candidate)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, earlier::of_report(f)?)))
        .collect();
    let batch: Vec<Candidate> = films.iter().map(|(_, c)| c.clone()).collect();
    let mut groups = similar::find(&batch, &[]);
    let mut kept: Vec<Group> = Vec::new();
    for g in reported.into_iter().filter(|g| !g.reports.is_empty()) {
        if !kept.contains(&g) {
            kept.push(g);
        }
    }
    groups.extend(kept);
    similar::sort(&mut groups);
    for (i, c) in &films {
        let f = &mut files[*i];
        let now = similar::facts_of(c, &groups, &batch);
        let before = serde_json::to_value(&f.facts.similar).unwrap_or_default();
        let after = serde_json::to_value(&now).unwrap_or_default();
        let mut stale = false;
        for r in f.results.iter_mut() {
            let Some(field) = r.fact.as_deref().and_then(|x| x.strip_prefix("similar.")) else {
                continue;
            };
            if before.get(field) == after.get(field) {
                continue;
            }
            // What the rule saw is not what the merged intake says: its result cannot stand,
            // and a pass on it would be a pass on a fact nobody measured.
            r.status = RuleStatus::Fail;
            r.reason = Some(
                "judged on its own shard: the merged intake pairs this entry otherwise (see similar); check the whole intake in one run for a final verdict".into(),
            );
            stale = true;
        }
        f.facts.similar = Some(now);
        if stale {
            f.provisional = true;
            recheck(f);
        }
    }
    groups
}

/// What makes an entry the same in two reports whatever the path it was reached by (the intake
/// mounted at `/mnt/a` on one machine and `/srv/intake` on another): its key, the path relative
/// to the folder searched, and the size and modification time of the file checked. A report
/// without keys (older versions) is known by its paths. Two films of one name in two folders
/// have two keys; two films of one key in two intakes have two stamps.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Identity {
    key: String,
    /// The stamp's size and modification time.
    stamp: Option<(u64, i128)>,
}

impl Identity {
    fn of(f: &FileReport) -> Identity {
        Identity {
            key: f.entry.key.clone().unwrap_or_else(|| f.path.clone()),
            stamp: f.stamp.as_ref().map(|s| (s.size, s.mtime_ns)),
        }
    }
}

/// Whether `b` (from the report `from_b`) may be merged as the entry `a` (from `from_a`), which
/// has its identity or its path: only when it is one file in one version, judged alike. A file
/// checked in two versions, or judged two ways, is a conflict a silent choice would hide.
fn same_entry(a: &FileReport, from_a: &Path, b: &FileReport, from_b: &Path) -> Result<(), String> {
    let both = format!("{} and {}", from_a.display(), from_b.display());
    let name = a.entry.key.as_deref().unwrap_or(&a.path);
    if a.stamp != b.stamp {
        return Err(format!(
            "{name} is in both {both} as two versions of the file (their size or modification time differ, or only one could be read): merge takes reports of one run"
        ));
    }
    if verdict(a) != verdict(b) {
        return Err(format!(
            "{name} is in both {both} with two verdicts ({} in {}, {} in {}): check it again and merge one report of it",
            said(a),
            from_a.display(),
            said(b),
            from_b.display()
        ));
    }
    Ok(())
}

/// What a verdict is made of: the status, why the file was not checked, the track, and each
/// rule's result.
fn verdict(f: &FileReport) -> impl PartialEq + '_ {
    (
        f.status,
        f.error_code.as_deref(),
        f.entry.track.as_deref(),
        f.provisional,
        f.results
            .iter()
            .map(|r| (r.id.as_str(), r.severity, r.status))
            .collect::<Vec<_>>(),
    )
}

/// A verdict in a few words: "fail (runtime.max; 2 warnings)", "error (timeout)".
fn said(f: &FileReport) -> String {
    let mut why: Vec<String> = f
        .failures(Severity::Error)
        .map(|r| r.id.clone())
        .chain(f.error_code.clone())
        .collect();
    let warnings = f.failures(Severity::Warning).count();
    let status = f.status.label().to_ascii_lowercase();
    if warnings > 0 {
        let plural = if warnings == 1 { "" } else { "s" };
        why.push(format!("{warnings} warning{plural}"));
    }
    if why.is_empty() {
        status
    } else {
        format!("{status} ({})", why.join("; "))
    }
}

/// Works a file's status out again from what backs it: an error message makes it an error, a
/// failed rule of severity error a failure. A report may only make a status worse than that
/// (a `--strict` run fails files on warnings), never better: a "pass" beside a failed error
/// rule is a failure. An entry listed without being checked stays so only when its reason is
/// one such entries have and nothing of it was judged: a report cannot hide a verdict or an
/// error behind "ignored".
pub fn recheck(f: &mut FileReport) {
    if f.error.is_none() {
        f.error = f.facts.error.clone();
    }
    if f.status == FileStatus::Ignored {
        let code = f.error.as_deref().map(reelcheck_facts::error_code::of);
        if code.is_some_and(reelcheck_facts::error_code::is_listed) && f.results.is_empty() {
            f.error_code = code.map(str::to_string);
            f.provisional = false;
            return;
        }
        f.status = FileStatus::Error;
        if f.error.is_none() {
            f.error = Some("the merged report marks this file as ignored without a reason".into());
        }
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
        // `recheck` has made an entry that is not listed by right an error already.
        FileStatus::Pass | FileStatus::Ignored => 0,
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
    use reelcheck_facts::{Facts, Stamp};

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

    /// A file that passed, found under `root` as `key`, of `size` bytes.
    fn entry(root: &str, key: &str, size: u64) -> FileReport {
        let mut f = passed(&format!("{root}/{key}"));
        f.entry.key = Some(key.into());
        f.stamp = Some(Stamp {
            size,
            mtime_ns: 1_700_000_000_000_000_000,
            ..Default::default()
        });
        f
    }

    #[test]
    fn one_run_under_two_mount_points_merges_into_each_entry_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let films = |root: &str| {
            let mut failed = entry(root, "human/d.mp4", 4);
            failed.status = FileStatus::Fail;
            vec![
                entry(root, "human/a.mp4", 1),
                entry(root, "ai/a.mp4", 2),
                entry(root, "c.mp4", 3),
                failed,
            ]
        };
        let a =
            Report::new(set("human"), films("/mnt/a")).with_system_files(vec![".DS_Store".into()]);
        let b = Report::new(set("human"), films("/srv/intake"))
            .with_system_files(vec![".DS_Store".into(), "ai/Thumbs.db".into()]);
        let merged = merge(&[
            written(dir.path(), "a.json", &a),
            written(dir.path(), "b.json", &b),
        ])
        .expect("merged");
        // Two films of one name in two folders stay two; each film is there once.
        assert_eq!(
            paths(&merged),
            [
                "/mnt/a/ai/a.mp4",
                "/mnt/a/c.mp4",
                "/mnt/a/human/a.mp4",
                "/mnt/a/human/d.mp4"
            ]
        );
        let s = &merged.summary;
        assert_eq!((s.files, s.passed, s.failed, s.system_files), (4, 3, 1, 2));

        // The same report twice is the same entries twice.
        let twice = merge(&[
            written(dir.path(), "a.json", &a),
            written(dir.path(), "a2.json", &a),
        ])
        .expect("merged");
        assert_eq!(twice.summary.files, 4);

        // One key in two intakes (another size) is two films.
        let other = Report::new(set("human"), vec![entry("/mnt/b", "c.mp4", 30)]);
        let both = merge(&[
            written(dir.path(), "a.json", &a),
            written(dir.path(), "other.json", &other),
        ])
        .expect("merged");
        assert_eq!(both.summary.files, 5);
    }

    #[test]
    fn one_entry_judged_two_ways_or_checked_in_two_versions_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let one = Report::new(set("human"), vec![entry("/mnt/a", "a.mp4", 1)]);
        let mut failed = entry("/srv/intake", "a.mp4", 1);
        failed.results.push(failing("runtime.max"));
        let two = Report::new(set("human"), vec![failed]);
        let (a, b) = (
            written(dir.path(), "1.json", &one),
            written(dir.path(), "2.json", &two),
        );
        let e = merge(&[a.clone(), b.clone()]).expect_err("refused");
        assert!(
            e.starts_with(&format!(
                "a.mp4 is in both {} and {} with two verdicts (pass in {}, fail (runtime.max) in {})",
                a.display(),
                b.display(),
                a.display(),
                b.display()
            )),
            "{e}"
        );

        // One path, two versions of the file: not one run.
        let changed = Report::new(set("human"), vec![entry("/mnt/a", "a.mp4", 2)]);
        let c = written(dir.path(), "3.json", &changed);
        let e = merge(&[a, c]).expect_err("refused");
        assert!(e.contains("as two versions of the file"), "{e}");

        // Reports without keys (older versions) are known by their paths, as before.
        let old = Report::new(set("human"), vec![passed("in/a.mp4")]);
        let x = written(dir.path(), "4.json", &old);
        let y = written(dir.path(), "5.json", &old);
        assert_eq!(merge(&[x, y]).expect("merged").summary.files, 1);
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
        failing.results.push(self::failing("runtime.max"));
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

        // "Ignored" holds only for a reason files are listed for, with nothing judged.
        let mut notes = passed("in/notes.txt");
        notes.status = FileStatus::Ignored;
        notes.error = Some("a text file, not a film".into());
        recheck(&mut notes);
        assert_eq!(notes.status, FileStatus::Ignored);
        assert_eq!(notes.error_code.as_deref(), Some("not_a_film"));
        let mut hiding = passed("in/e.mp4");
        hiding.status = FileStatus::Ignored;
        hiding.error = Some("timed out after 600 s".into());
        recheck(&mut hiding);
        assert_eq!(hiding.status, FileStatus::Error);
        let mut judged = passed("in/f.mp4");
        judged.status = FileStatus::Ignored;
        judged.error = Some("ignored by --ignore '*.mp4'".into());
        judged.results.push(self::failing("runtime.max"));
        recheck(&mut judged);
        assert_eq!(judged.status, FileStatus::Error);
        let mut bare = passed("in/g.mp4");
        bare.status = FileStatus::Ignored;
        recheck(&mut bare);
        assert_eq!(bare.status, FileStatus::Error);
    }

    /// A failed error rule.
    fn failing(id: &str) -> RuleResult {
        RuleResult {
            id: id.into(),
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
            fix: Vec::new(),
            expected_value: None,
            fact: None,
        }
    }
}

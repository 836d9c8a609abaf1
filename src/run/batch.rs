//! Checking a batch: facts from the journal (`--resume`) or the cache when the reuse key of the
//! file is unchanged, otherwise read by the prober; each file evaluated, journaled and cached as
//! it finishes; the result kept in input order whatever the order files finish in.

use super::prober::Prober;
use super::store::key::ReuseKey;
use super::store::{Reused, Store};
use crate::rules::eval::evaluate;
use crate::rules::RuleSet;
use crate::verdict::FileReport;
use indicatif::{ProgressBar, ProgressStyle};
use reelcheck_facts::{Facts, ProbeSettings};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

/// How a batch is checked, whatever its rules: one value for the whole run.
pub struct Options {
    pub strict: bool,
    /// Reads the files (in worker processes unless `--in-process`).
    pub prober: Box<dyn Prober>,
    /// Facts kept by earlier runs, and where this run keeps its own.
    pub store: Store,
    /// The run's progress bar, when several calls of `run` count towards one total (a batch
    /// checked track by track); without it each call shows its own.
    pub progress: Option<ProgressBar>,
}

pub struct Outcome {
    pub reports: Vec<FileReport>,
    /// Files skipped because the run was stopped (Ctrl-C, SIGTERM).
    pub interrupted: usize,
    /// Files whose facts came from the journal or the cache.
    pub reused: usize,
}

/// Checks every file against `rules`, probing with `settings`. `on_report` sees each file's
/// report (with its index in `files`) as soon as it is done, from any thread, in the order
/// files finish: for reports that stream. The outcome's reports are in the order of `files`.
pub fn run(
    files: &[PathBuf],
    rules: &RuleSet,
    settings: &ProbeSettings,
    opts: &Options,
    stop: &AtomicBool,
    on_report: &(dyn Fn(usize, &FileReport) + Sync),
) -> anyhow::Result<Outcome> {
    let slots: Mutex<Vec<Option<FileReport>>> = Mutex::new(vec![None; files.len()]);
    // A bar of its own only without the run's (one of no length stays hidden).
    let own = progress_bar(if opts.progress.is_some() {
        0
    } else {
        files.len() as u64
    });
    let progress = opts.progress.as_ref().unwrap_or(&own);
    // Once per file, before it is read: facts are kept under the version that was read, so a
    // file that changes while it is read is read again next time.
    let keys: Vec<Option<ReuseKey>> = files.iter().map(|p| opts.store.key(p, settings)).collect();

    let finish = |i: usize, facts: Facts, journaled: bool| {
        let mut report = evaluate(rules, &facts, opts.strict);
        report.stamp = keys[i].as_ref().map(|k| k.file.stamp.clone());
        if let (Some(key), false) = (&keys[i], journaled) {
            opts.store
                .record(&files[i], key, report.status, facts, &settings.needs);
        }
        on_report(i, &report);
        progress.inc(1);
        slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(report);
    };

    let mut todo: Vec<usize> = Vec::new();
    let mut reused = 0;
    for (i, key) in keys.iter().enumerate() {
        match key.as_ref().and_then(|k| opts.store.reuse(k)) {
            Some(Reused::Journaled(facts)) => {
                reused += 1;
                finish(i, facts, true);
            }
            Some(Reused::Cached(facts)) => {
                reused += 1;
                finish(i, facts, false);
            }
            None => todo.push(i),
        }
    }

    let probed = |k: usize, facts: Facts| {
        let i = todo[k];
        if let Some(key) = &keys[i] {
            opts.store.keep(&files[i], key, &facts);
        }
        finish(i, facts, false);
    };
    let todo_paths: Vec<PathBuf> = todo.iter().map(|&i| files[i].clone()).collect();
    opts.prober
        .probe_all(&todo_paths, settings, stop, &probed)?;
    own.finish_and_clear();

    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut interrupted = 0;
    let reports = slots
        .into_iter()
        .zip(files)
        .map(|(slot, path)| {
            slot.unwrap_or_else(|| {
                interrupted += 1;
                unreadable(path, "not checked: the run was interrupted")
            })
        })
        .collect();
    Ok(Outcome {
        reports,
        interrupted,
        reused,
    })
}

/// A report for a path that was never probed (an unreadable folder, a link loop, a stopped run).
pub fn unreadable(path: &Path, reason: &str) -> FileReport {
    evaluate(&RuleSet::empty(), &Facts::failed(path, reason), false)
}

/// A progress bar on stderr for `len` files, hidden when stderr is not a terminal.
pub fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} checking {pos}/{len} [{bar:30}] {elapsed} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

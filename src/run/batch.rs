//! Checking a batch: facts from the journal (`--resume`) or the cache when the file is
//! unchanged, otherwise probed in isolated worker processes; each file evaluated, journaled and
//! cached as it finishes; the result kept in input order whatever the parallelism.

use crate::rules::eval::evaluate;
use crate::rules::RuleSet;
use crate::run::prober::Prober;
use crate::run::store::cache::Cache;
use crate::run::store::journal::{self, Journal};
use crate::verdict::FileReport;
use indicatif::{ProgressBar, ProgressStyle};
use reelcheck_facts::Facts;
use reelcheck_facts::ProbeSettings;
use reelcheck_facts::Stamp;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

/// How a batch is checked, whatever its rules: one value for the whole run.
pub struct Options {
    pub strict: bool,
    /// Reads the files (in worker processes unless `--in-process`).
    pub prober: Box<dyn Prober>,
    pub cache: Option<Cache>,
    pub journal: Option<Journal>,
    /// Files finished by an earlier run, from its journal.
    pub resume: journal::Earlier,
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

/// Checks every file against `rules`, probing with `config`. `on_report` sees each file's report (with its index in `files`) as soon as
/// it is done, from any thread, in the order files finish: for reports that stream.
pub fn run(
    files: &[PathBuf],
    rules: &RuleSet,
    config: &ProbeSettings,
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
    let stamps: Vec<Option<Stamp>> = files.iter().map(|p| Stamp::of(p)).collect();

    let finish = |i: usize, facts: Facts, from_earlier_run: bool| {
        let mut report = evaluate(rules, &facts, opts.strict);
        report.stamp = stamps[i].clone();
        if let (Some(j), Some(stamp), false) = (&opts.journal, &stamps[i], from_earlier_run) {
            let line = journal::Line::new(
                &files[i],
                stamp.clone(),
                report.status,
                facts,
                &config.needs,
            );
            if let Err(e) = j.append(&line) {
                eprintln!("reelcheck: warning: cannot write the journal: {e}");
            }
        }
        on_report(i, &report);
        progress.inc(1);
        slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(report);
    };

    let mut todo: Vec<usize> = Vec::new();
    let mut reused = 0;
    for (i, path) in files.iter().enumerate() {
        let Some(stamp) = &stamps[i] else {
            todo.push(i);
            continue;
        };
        if let Some(facts) = opts.resume.reusable(path, stamp, &config.needs) {
            reused += 1;
            finish(i, facts.clone(), true);
            continue;
        }
        if let Some(facts) = opts.cache.as_ref().and_then(|c| c.get(path, stamp, config)) {
            reused += 1;
            finish(i, facts, false);
            continue;
        }
        todo.push(i);
    }

    let probed = |k: usize, facts: Facts| {
        let i = todo[k];
        let keep = super::store::worth_keeping(&facts);
        if let (Some(cache), Some(stamp), true) = (&opts.cache, &stamps[i], keep) {
            cache.put(&files[i], stamp, config, &facts);
        }
        finish(i, facts, false);
    };
    let todo_paths: Vec<PathBuf> = todo.iter().map(|&i| files[i].clone()).collect();
    opts.prober.probe_all(&todo_paths, config, stop, &probed)?;
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

//! Checking a batch: facts from the journal (`--resume`) or the cache when the file is
//! unchanged, otherwise probed in isolated worker processes; each file evaluated, journaled and
//! cached as it finishes; the result kept in input order whatever the parallelism.

use crate::cache::{Cache, Stamp};
use crate::facts::Facts;
use crate::journal::{self, Journal};
use crate::pool::{self, PoolOptions};
use crate::probe::{self, Needs};
use crate::rules::eval::evaluate;
use crate::rules::RuleSet;
use crate::verdict::FileReport;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub struct Options {
    /// Files probed at once; `None` means one per core.
    pub jobs: Option<usize>,
    pub strict: bool,
    pub needs: Needs,
    /// Probe in worker processes (the default) rather than in this one.
    pub isolate: bool,
    pub timeout: Duration,
    pub memory_limit: Option<u64>,
    pub cache: Option<Arc<Cache>>,
    pub journal: Option<Arc<Journal>>,
    /// Files finished by an earlier run, from its journal.
    pub resume: Arc<journal::Earlier>,
}

impl Options {
    pub fn new(needs: Needs) -> Options {
        Options {
            jobs: None,
            strict: false,
            needs,
            isolate: true,
            timeout: Duration::from_secs(600),
            memory_limit: None,
            cache: None,
            journal: None,
            resume: Arc::new(journal::Earlier::default()),
        }
    }
}

pub struct Outcome {
    pub reports: Vec<FileReport>,
    /// Files skipped because the run was stopped (Ctrl-C, SIGTERM).
    pub interrupted: usize,
    /// Files whose facts came from the journal or the cache.
    pub reused: usize,
}

/// Checks every file. `on_report` sees each file's report (with its index in `files`) as soon as
/// it is done, from any thread, in the order files finish: for reports that stream.
pub fn run(
    files: &[PathBuf],
    rules: &RuleSet,
    opts: &Options,
    stop: &AtomicBool,
    on_report: &(dyn Fn(usize, &FileReport) + Sync),
) -> anyhow::Result<Outcome> {
    let slots: Mutex<Vec<Option<FileReport>>> = Mutex::new(vec![None; files.len()]);
    let progress = progress_bar(files.len() as u64);
    let stamps: Vec<Option<Stamp>> = files.iter().map(|p| Stamp::of(p)).collect();

    let finish = |i: usize, facts: Facts, from_earlier_run: bool| {
        let report = evaluate(rules, &facts, opts.strict);
        if let (Some(j), Some(stamp), false) = (&opts.journal, &stamps[i], from_earlier_run) {
            let line =
                journal::Line::new(&files[i], stamp.clone(), report.status, facts, &opts.needs);
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
        if let Some(facts) = opts.resume.reusable(path, stamp, &opts.needs) {
            reused += 1;
            finish(i, facts.clone(), true);
            continue;
        }
        if let Some(facts) = opts
            .cache
            .as_ref()
            .and_then(|c| c.get(path, stamp, &opts.needs))
        {
            reused += 1;
            finish(i, facts, false);
            continue;
        }
        todo.push(i);
    }

    let probed = |k: usize, facts: Facts, transient: bool| {
        let i = todo[k];
        if let (Some(cache), Some(stamp), false) = (&opts.cache, &stamps[i], transient) {
            cache.put(&files[i], stamp, &opts.needs, &facts);
        }
        finish(i, facts, false);
    };
    let todo_paths: Vec<PathBuf> = todo.iter().map(|&i| files[i].clone()).collect();
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if opts.isolate {
        let pool_opts = PoolOptions {
            jobs,
            timeout: opts.timeout,
            memory_limit: opts.memory_limit,
            needs: opts.needs.clone(),
        };
        pool::probe_all(&todo_paths, &pool_opts, stop, &probed)?;
    } else {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
        pool.install(|| {
            todo_paths.par_iter().enumerate().for_each(|(k, path)| {
                if !stop.load(Ordering::SeqCst) {
                    probed(k, probe::probe(path, &opts.needs), false);
                }
            })
        });
    }
    progress.finish_and_clear();

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

fn progress_bar(len: u64) -> ProgressBar {
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

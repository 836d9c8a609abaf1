//! Checking a batch: facts from the journal (`--resume`) or the cache when the reuse key of the
//! file is unchanged, otherwise read by the prober; each file evaluated, journaled and cached as
//! it finishes; the result kept in input order whatever the order files finish in.

use super::prober::{Prober, Watcher};
use super::store::key::ReuseKey;
use super::store::{Reused, Store};
use super::watching::Watching;
use crate::rules::eval::evaluate;
use crate::rules::RuleSet;
use crate::verdict::{FileReport, Timing};
use indicatif::{ProgressBar, ProgressStyle};
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::progress::Progress;
use reelcheck_facts::{Facts, ProbeSettings};
use std::collections::HashMap;
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
    /// What a single film's progress line says before its step: the rules it is checked
    /// against ("rules human (built-in): ").
    pub headline: String,
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

    // How long each file took: the prober calls back on the thread that worked on the file,
    // one file after another, so a file's time is the time since that thread's last answer
    // (or since the batch began).
    let began = std::time::Instant::now();
    let last = Laps::default();
    let took = || last.lap(began);
    let finish = |i: usize, facts: Facts, journaled: bool, took: std::time::Duration| {
        let mut report = evaluate(rules, &facts, opts.strict);
        report.stamp = keys[i].as_ref().map(|k| k.file.stamp.clone());
        report.timing = Some(Timing {
            started: std::time::SystemTime::now() - took,
            seconds: took.as_secs_f64(),
        });
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
                finish(i, facts, true, took());
            }
            Some(Reused::Cached(facts)) => {
                reused += 1;
                finish(i, facts, false, took());
            }
            None => todo.push(i),
        }
    }

    // The files read from the store took their time on this thread; the prober's start now.
    let last = Laps::default();
    let began_probing = std::time::Instant::now();
    let probed = |k: usize, facts: Facts| {
        let i = todo[k];
        let took = last.lap(began_probing);
        if let Some(key) = &keys[i] {
            opts.store.keep(&files[i], key, &facts);
        }
        finish(i, facts, false, took);
    };
    let todo_paths: Vec<PathBuf> = todo.iter().map(|&i| files[i].clone()).collect();
    // One film alone on a terminal is told step by step; a batch's bar counts films instead.
    let watching = Mutex::new(Watching::default());
    let show = |_: usize, p: Progress| {
        let words = watching
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .said(p, std::time::Instant::now());
        progress.set_message(format!("{}{words}", opts.headline));
    };
    let alone = todo.len() == 1 && progress.length() == Some(1) && !progress.is_hidden();
    let watch: Watcher = alone.then_some(&show);
    opts.prober
        .probe_all(&todo_paths, settings, stop, &probed, watch)?;
    own.finish_and_clear();

    let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut interrupted = 0;
    let reports = slots
        .into_iter()
        .zip(files)
        .map(|(slot, path)| {
            slot.unwrap_or_else(|| {
                interrupted += 1;
                interrupted_report(path)
            })
        })
        .collect();
    Ok(Outcome {
        reports,
        interrupted,
        reused,
    })
}

/// The last time each thread finished a file.
#[derive(Default)]
struct Laps(Mutex<HashMap<std::thread::ThreadId, std::time::Instant>>);

impl Laps {
    /// The time since this thread last finished a file, or since `began`.
    fn lap(&self, began: std::time::Instant) -> std::time::Duration {
        let now = std::time::Instant::now();
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let since = last
            .insert(std::thread::current().id(), now)
            .unwrap_or(began);
        now.duration_since(since)
    }
}

/// A report for a path that was never probed (an unreadable folder, a link loop, a stopped run).
pub fn unreadable(path: &Path, reason: &str) -> FileReport {
    evaluate(&RuleSet::empty(), &Facts::failed(path, reason), false)
}

/// The report of a file a stopped run never finished.
pub fn interrupted_report(path: &Path) -> FileReport {
    let failed = Failed::new(Failure::Interrupted, "not checked: the run was interrupted");
    evaluate(&RuleSet::empty(), &Facts::failed_by(path, failed), false)
}

/// A progress bar on stderr for `len` files, hidden when stderr is not a terminal (piped or
/// machine output never has one). A single film gets a spinner with the time it has taken, so
/// a long decode is never silence; its message (`set_message`) says the rules and the stage.
pub fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 1 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let template = if len == 1 {
        "{spinner} {msg} {elapsed}"
    } else {
        "{spinner} checking {pos}/{len} [{bar:30}] {elapsed} (eta {eta}) {msg}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    if len == 1 {
        // Redrawn on its own: one film's decode gives the bar nothing to count.
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::fake::{Canned, FakeProber};
    use crate::run::store::cache::Cache;
    use crate::run::store::journal::{self, Journal};
    use crate::run::test_films::{films, write_at};
    use crate::verdict::FileStatus;
    use std::time::Duration;

    fn options(prober: FakeProber, store: Store) -> Options {
        Options {
            strict: false,
            prober: Box::new(prober),
            store,
            progress: None,
            headline: String::new(),
        }
    }

    fn check(files: &[PathBuf], settings: &ProbeSettings, opts: &Options) -> Outcome {
        let stop = AtomicBool::new(false);
        run(files, &RuleSet::empty(), settings, opts, &stop, &|_, _| {}).expect("the batch runs")
    }

    /// A store that journals to `journal` and, resuming, reads what it holds so far.
    fn journaling(journal: &Path, resume: bool) -> Store {
        let earlier = if resume {
            journal::read_done(journal).expect("read the journal")
        } else {
            Default::default()
        };
        let j = Journal::open(journal).expect("open the journal");
        Store::new(None, Some(j), earlier)
    }

    fn lines(journal: &Path) -> usize {
        std::fs::read_to_string(journal).map_or(0, |t| t.lines().count())
    }

    fn names(paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn reports_keep_the_input_order_whatever_order_files_finish_in() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = films(dir.path(), &["a.mp4", "b.mp4", "c.mp4", "d.mp4"]);
        let slow = Facts::for_path(&files[0]);
        let prober = FakeProber::default()
            .jobs(4)
            .with(&files[0], Canned::Slow(Duration::from_millis(300), slow))
            .with(&files[2], Canned::Crash);
        let opts = options(prober, Store::default());
        let finished = Mutex::new(Vec::new());
        let stop = AtomicBool::new(false);
        let on_report =
            |i: usize, _: &FileReport| finished.lock().unwrap_or_else(|e| e.into_inner()).push(i);
        let settings = ProbeSettings::default();
        let outcome = run(
            &files,
            &RuleSet::empty(),
            &settings,
            &opts,
            &stop,
            &on_report,
        )
        .expect("the batch runs");
        let finished = finished.into_inner().unwrap_or_else(|e| e.into_inner());
        assert_eq!(
            finished.last(),
            Some(&0),
            "the slow first film finishes last"
        );
        let paths: Vec<&str> = outcome.reports.iter().map(|r| r.path.as_str()).collect();
        let given: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        assert_eq!(paths, given);
        assert_eq!(outcome.reports[2].status, FileStatus::Error);
        assert_eq!(outcome.reports[2].error_code.as_deref(), Some("crashed"));
        assert_eq!(outcome.interrupted, 0);
    }

    #[test]
    fn resuming_after_an_interrupt_reads_only_what_was_left() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let files = films(dir.path(), &["a.mp4", "b.mp4", "c.mp4", "d.mp4"]);
        let settings = ProbeSettings::default();
        let prober = FakeProber::default().with(&files[2], Canned::Interrupt);
        let first = check(
            &files,
            &settings,
            &options(prober, journaling(&journal, false)),
        );
        assert_eq!(first.interrupted, 2);
        let reasons: Vec<Option<&str>> = first.reports.iter().map(|r| r.error.as_deref()).collect();
        let stopped = Some("not checked: the run was interrupted");
        assert_eq!(reasons, [None, None, stopped, stopped]);
        assert_eq!(lines(&journal), 2, "only finished files are journaled");

        let prober = FakeProber::default();
        let log = prober.log();
        let second = check(
            &files,
            &settings,
            &options(prober, journaling(&journal, true)),
        );
        assert_eq!(names(&log.take()), ["c.mp4", "d.mp4"]);
        assert_eq!((second.reused, second.interrupted), (2, 0));
        assert!(second.reports.iter().all(|r| r.status == FileStatus::Pass));
        assert_eq!(lines(&journal), 4, "files resumed are not journaled again");
    }

    #[test]
    fn resuming_reads_again_what_timed_out_or_crashed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let files = films(dir.path(), &["a.mp4", "b.mp4", "c.mp4"]);
        let settings = ProbeSettings::default();
        let prober = FakeProber::default()
            .with(&files[1], Canned::TimeOut)
            .with(&files[2], Canned::Crash);
        let first = check(
            &files,
            &settings,
            &options(prober, journaling(&journal, false)),
        );
        let codes: Vec<Option<&str>> = first
            .reports
            .iter()
            .map(|r| r.error_code.as_deref())
            .collect();
        assert_eq!(codes, [None, Some("timeout"), Some("crashed")]);
        assert_eq!(lines(&journal), 3);

        let prober = FakeProber::default();
        let log = prober.log();
        let second = check(
            &files,
            &settings,
            &options(prober, journaling(&journal, true)),
        );
        assert_eq!(names(&log.take()), ["b.mp4", "c.mp4"]);
        assert!(second.reports.iter().all(|r| r.status == FileStatus::Pass));
    }

    #[test]
    fn resuming_reads_again_what_changed_since() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let files = films(dir.path(), &["a.mp4", "b.mp4", "c.mp4"]);
        let settings = ProbeSettings::default();
        check(
            &files,
            &settings,
            &options(FakeProber::default(), journaling(&journal, false)),
        );
        // a.mp4 rewritten, b.mp4 given a C2PA manifest; c.mp4 as it was.
        write_at(&files[0], b"another cut", 7);
        write_at(&dir.path().join("b.c2pa"), b"manifest", 7);
        let prober = FakeProber::default();
        let log = prober.log();
        check(
            &files,
            &settings,
            &options(prober, journaling(&journal, true)),
        );
        assert_eq!(names(&log.take()), ["a.mp4", "b.mp4"]);
        // Other silence thresholds: every file again.
        let mut other = settings.clone();
        other.audio.silence_threshold_db = -40.0;
        let prober = FakeProber::default();
        let log = prober.log();
        check(&files, &other, &options(prober, journaling(&journal, true)));
        assert_eq!(names(&log.take()), ["a.mp4", "b.mp4", "c.mp4"]);
    }

    #[test]
    fn the_cache_serves_unchanged_files_but_not_failures_that_were_not_theirs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache_dir = dir.path().join("cache");
        let films_dir = dir.path().join("films");
        std::fs::create_dir(&films_dir).expect("films folder");
        let files = films(&films_dir, &["a.mp4", "b.mp4"]);
        let settings = ProbeSettings::default();
        let cached = || {
            Store::new(
                Some(Cache::open(cache_dir.clone())),
                None,
                Default::default(),
            )
        };
        let prober = FakeProber::default().with(&files[1], Canned::Crash);
        let first = check(&files, &settings, &options(prober, cached()));
        assert_eq!(first.reused, 0);

        let prober = FakeProber::default();
        let log = prober.log();
        let second = check(&files, &settings, &options(prober, cached()));
        assert_eq!(names(&log.take()), ["b.mp4"], "the crash was not cached");
        assert_eq!(second.reused, 1);

        // A subtitle file arrives beside a.mp4: its facts are measured again.
        write_at(&films_dir.join("a.srt"), b"1\n", 9);
        let prober = FakeProber::default();
        let log = prober.log();
        check(&files, &settings, &options(prober, cached()));
        assert_eq!(names(&log.take()), ["a.mp4"]);

        let prober = FakeProber::default();
        let log = prober.log();
        let third = check(&files, &settings, &options(prober, cached()));
        assert!(log.take().is_empty());
        assert_eq!(third.reused, 2);
    }
}

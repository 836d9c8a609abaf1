//! A prober for the engine's tests: canned facts per path, answered without FFmpeg or a worker
//! process, and the ways a real read goes wrong (a worker crash, a time-out, a slow file, a run
//! interrupted on a file), so the batch, the store and resuming can be tested in milliseconds.

use super::prober::{Grabbed, Prober, Watcher};
use reelcheck_facts::credits_trace::CreditsTrace;
use reelcheck_facts::progress::{Progress, Step};
use reelcheck_facts::protocol::ExplainCredits;
use reelcheck_facts::stills::Grab;
use reelcheck_facts::{Facts, ProbeSettings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the fake answers for one file.
#[derive(Debug, Clone)]
pub enum Canned {
    Facts(Facts),
    /// The worker died on the file, as the pool reports it.
    Crash,
    /// The worker was stopped at its time limit.
    TimeOut,
    /// These facts, after a wait: a file that finishes after others started later.
    Slow(Duration, Facts),
    /// The run is stopped (Ctrl-C) while this file is read: it gets no answer, and no file
    /// after it is handed out.
    Interrupt,
}

pub struct FakeProber {
    canned: HashMap<PathBuf, Canned>,
    /// Files read at once.
    jobs: usize,
    asked: Log,
}

/// Every file a fake prober was asked to probe, in the order handed out; kept by the test while
/// the prober itself goes into the batch's options.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<PathBuf>>>);

impl Log {
    fn push(&self, path: &Path) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_path_buf());
    }

    /// The files probed since the last call.
    pub fn take(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A prober that reads one file at a time; a file without a canned answer gets facts that know
/// only its path.
impl Default for FakeProber {
    fn default() -> FakeProber {
        FakeProber {
            canned: HashMap::new(),
            jobs: 1,
            asked: Log::default(),
        }
    }
}

impl FakeProber {
    pub fn with(mut self, path: &Path, canned: Canned) -> FakeProber {
        self.canned.insert(path.to_path_buf(), canned);
        self
    }

    pub fn jobs(mut self, jobs: usize) -> FakeProber {
        self.jobs = jobs.max(1);
        self
    }

    /// The record of the files this prober is asked to probe.
    pub fn log(&self) -> Log {
        self.asked.clone()
    }
}

impl Prober for FakeProber {
    fn probe_all(
        &self,
        files: &[PathBuf],
        _settings: &ProbeSettings,
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Facts) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()> {
        // Handed out in order from a shared counter, as the worker pool does.
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.min(files.len()) {
                scope.spawn(|| loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(path) = files.get(i) else {
                        break;
                    };
                    self.asked.push(path);
                    // Every film is half read once, as a worker's picture decode reports.
                    if let Some(watch) = watch {
                        watch(
                            i,
                            Progress {
                                step: Step::Picture,
                                share: Some(0.5),
                            },
                        );
                    }
                    let facts = match self.canned.get(path) {
                        None => Facts::for_path(path),
                        Some(Canned::Facts(f)) => f.clone(),
                        Some(Canned::Crash) => Facts::failed(path, "decoder crashed (SIGSEGV)"),
                        Some(Canned::TimeOut) => Facts::failed(path, "timed out after 600 s"),
                        Some(Canned::Slow(wait, f)) => {
                            std::thread::sleep(*wait);
                            f.clone()
                        }
                        Some(Canned::Interrupt) => {
                            stop.store(true, Ordering::SeqCst);
                            break;
                        }
                    };
                    done(i, facts);
                });
            }
        });
        Ok(())
    }

    fn grab_all(
        &self,
        asks: &[(PathBuf, Grab)],
        _stop: &AtomicBool,
    ) -> anyhow::Result<Vec<Option<Grabbed>>> {
        Ok(asks
            .iter()
            .map(|_| Some(Err("the fake prober grabs no pictures".to_string())))
            .collect())
    }

    fn explain(
        &self,
        _path: &Path,
        _ask: &ExplainCredits,
        _stop: &AtomicBool,
    ) -> anyhow::Result<CreditsTrace> {
        anyhow::bail!("the fake prober explains no credits")
    }
}

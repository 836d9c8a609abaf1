//! A prober for the engine's tests: canned facts per path, answered without FFmpeg or a worker
//! process, and the ways a real read goes wrong (a worker crash, a time-out, a slow file, a run
//! interrupted on a file), so the batch, the store and resuming can be tested in milliseconds.

use super::prober::{Grabbed, Prober};
use reelcheck_facts::stills::Grab;
use reelcheck_facts::{Facts, ProbeSettings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
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
    /// Every file asked for, in the order asked, with the settings it was asked with.
    asked: Mutex<Vec<(PathBuf, ProbeSettings)>>,
}

/// A prober that reads one file at a time; a file without a canned answer gets facts that know
/// only its path.
impl Default for FakeProber {
    fn default() -> FakeProber {
        FakeProber {
            canned: HashMap::new(),
            jobs: 1,
            asked: Mutex::new(Vec::new()),
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

    /// The files probed so far, in the order they were handed out.
    pub fn probed(&self) -> Vec<PathBuf> {
        self.asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Forgets the files probed so far, for the next run of a test.
    pub fn forget(&self) {
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

impl Prober for FakeProber {
    fn probe_all(
        &self,
        files: &[PathBuf],
        settings: &ProbeSettings,
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Facts) + Sync),
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
                    self.asked
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((path.clone(), settings.clone()));
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
}

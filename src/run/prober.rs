//! The one way reelcheck reads media: probing files and grabbing their pictures, for `check`,
//! `probe`, `credits` and the HTML report alike. By default each file is read in a worker
//! process (see `pool`), so a decoder that crashes, hangs or runs out of memory costs that file
//! and nothing else; `--in-process` reads in this process instead, for debugging.

use crate::run::pool::{self, PoolOptions};
use rayon::prelude::*;
use reelcheck_facts::protocol::{parse_answer, Answer, Job, Request};
use reelcheck_facts::Facts;
use reelcheck_facts::RunLimits;
use reelcheck_probe::frames::{Grab, Still};
use reelcheck_probe::ProbeSettings;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The time limit for one file when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The share of a worker's time limit a probe may spend before it stops and answers.
const TIME_BUDGET_SHARE: f64 = 0.8;
/// Each worker's memory limit when none is given: 4 GB.
pub const DEFAULT_MEMORY_LIMIT: Option<u64> = Some(4_000_000_000);

/// The pictures of one grab (one per moment asked), or why the film gives none.
pub type Grabbed = Result<Vec<Option<Still>>, String>;

#[derive(Debug, Clone)]
pub enum Isolation {
    /// In worker processes, each limited in time (per file) and memory.
    Workers {
        timeout: Duration,
        memory_limit: Option<u64>,
    },
    /// In this process: faster to debug, but a crashing file takes the run with it.
    InProcess,
}

impl Default for Isolation {
    fn default() -> Self {
        Isolation::Workers {
            timeout: DEFAULT_TIMEOUT,
            memory_limit: DEFAULT_MEMORY_LIMIT,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Prober {
    /// Files read at once.
    pub jobs: usize,
    pub isolation: Isolation,
}

impl Default for Prober {
    fn default() -> Self {
        Prober::new(None, Isolation::default())
    }
}

impl Prober {
    /// `jobs: None` reads one file per core.
    pub fn new(jobs: Option<usize>, isolation: Isolation) -> Prober {
        let jobs = jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        Prober { jobs, isolation }
    }

    /// Probes `files`; calls `done(index, facts, transient)` as each finishes, from several
    /// threads (`transient`: the worker crashed or timed out, so the facts are not worth
    /// caching). Stops handing out files once `stop` is set.
    pub fn probe_all(
        &self,
        files: &[PathBuf],
        config: &ProbeSettings,
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Facts, bool) + Sync),
    ) -> anyhow::Result<()> {
        let limits = self.limits(files.len());
        let requests: Vec<Request> = files
            .iter()
            .map(|p| {
                let job = Job::Probe {
                    settings: config.clone(),
                    limits: limits.clone(),
                };
                Request::new(p, job)
            })
            .collect();
        self.run(&requests, stop, &|i, answer| {
            let path = &files[i];
            let fail = |why: String| {
                let mut f = Facts::failed(path, why);
                f.size_bytes = std::fs::metadata(path).ok().map(|m| m.len());
                f
            };
            match answer {
                Ok(Answer::Facts(f)) => {
                    // Facts cut short by the time limit depend on it, which the cache key
                    // does not hold: not worth keeping.
                    let cut_short = f
                        .error
                        .as_deref()
                        .is_some_and(|e| e.starts_with("timed out"));
                    done(i, *f, cut_short)
                }
                Ok(Answer::Stills(_)) => done(
                    i,
                    fail("internal: the worker answered another question".into()),
                    true,
                ),
                Err(why) => done(i, fail(why), true),
            }
        })
    }

    /// The limits of each probe when `films` are read at once.
    fn limits(&self, films: usize) -> RunLimits {
        let mut limits = RunLimits::default();
        // A worker that is about to be stopped for taking too long ends its longest pass (the
        // video analyzer's decode) itself first, so what it measured is kept.
        if let Isolation::Workers { timeout, .. } = &self.isolation {
            limits.time_budget_s = Some(timeout.as_secs_f64() * TIME_BUDGET_SHARE);
        }
        // Fewer films than cores: each film's picture decoding gets the cores left idle.
        let at_once = films.clamp(1, self.jobs);
        if self.jobs / at_once > 1 {
            limits.decode_threads = Some(self.jobs / at_once);
        }
        limits
    }

    /// Probes one file.
    pub fn probe(&self, path: &Path, config: &ProbeSettings, stop: &AtomicBool) -> Facts {
        let got = Mutex::new(None);
        let files = [path.to_path_buf()];
        let run = self.probe_all(&files, config, stop, &|_, facts, _| {
            *got.lock().unwrap_or_else(|e| e.into_inner()) = Some(facts);
        });
        let got = got.into_inner().unwrap_or_else(|e| e.into_inner());
        match (run, got) {
            (_, Some(facts)) => facts,
            (Err(e), None) => Facts::failed(path, reelcheck_probe::one_line(&e)),
            (Ok(()), None) => Facts::failed(path, "not probed: the run was interrupted"),
        }
    }

    /// Grabs pictures of each file: one entry per ask, `None` when the grab crashed, timed out
    /// or was interrupted, else the pictures (one per moment) or why there are none.
    pub fn grab_all(
        &self,
        asks: &[(PathBuf, Grab)],
        stop: &AtomicBool,
    ) -> anyhow::Result<Vec<Option<Grabbed>>> {
        let requests: Vec<Request> = asks
            .iter()
            .map(|(path, grab)| Request::new(path, Job::Grab(grab.clone())))
            .collect();
        let got = Mutex::new(vec![None; asks.len()]);
        self.run(&requests, stop, &|i, answer| {
            let stills = match answer {
                Ok(Answer::Stills(s)) => Some(s),
                Ok(Answer::Facts(_)) => None,
                Err(why) => Some(Err(why)),
            };
            if let Ok(mut got) = got.lock() {
                got[i] = stills;
            }
        })?;
        Ok(got.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    /// Grabs pictures of one file.
    pub fn grab(
        &self,
        path: &Path,
        grab: &Grab,
        stop: &AtomicBool,
    ) -> anyhow::Result<Vec<Option<Still>>> {
        let mut got = self.grab_all(&[(path.to_path_buf(), grab.clone())], stop)?;
        match got.pop().flatten() {
            Some(stills) => stills.map_err(anyhow::Error::msg),
            None => Err(anyhow::anyhow!("interrupted")),
        }
    }

    /// Does every request, in workers or here; `done(index, answer)` gets each answer, or why
    /// there is none.
    fn run(
        &self,
        requests: &[Request],
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Result<Answer, String>) + Sync),
    ) -> anyhow::Result<()> {
        match &self.isolation {
            Isolation::Workers {
                timeout,
                memory_limit,
            } => {
                let opts = PoolOptions {
                    jobs: self.jobs,
                    timeout: *timeout,
                    memory_limit: *memory_limit,
                };
                pool::run_all(requests, &opts, stop, &|i, line| {
                    done(i, line.and_then(|line| parse_answer(&line)))
                })
            }
            Isolation::InProcess => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(self.jobs)
                    .build()?;
                let listings = reelcheck_probe::Listings::default();
                pool.install(|| {
                    requests.par_iter().enumerate().for_each(|(i, request)| {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        match request.path() {
                            Some(path) => {
                                done(i, Ok(crate::run::worker::answer(request, &path, &listings)))
                            }
                            None => done(i, Err("internal: unreadable request".into())),
                        }
                    })
                });
                Ok(())
            }
        }
    }
}

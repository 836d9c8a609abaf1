//! The one way reelcheck reads media: probing files and grabbing their pictures, for `check`,
//! `probe`, `credits` and the HTML report alike. The batch talks to a [`Prober`] and knows
//! nothing of where the reading happens: in worker processes (`pool::WorkerPool`, the
//! default), so a decoder that crashes, hangs or runs out of memory costs that file and nothing
//! else; in this process (`in_process::InProcess`, `--in-process`, for debugging); or, in the
//! engine's tests, nowhere (`fake::FakeProber`, canned facts).

use reelcheck_facts::credits_trace::CreditsTrace;
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::progress::Progress;
use reelcheck_facts::protocol::{Answer, ExplainCredits, Job, Request};
use reelcheck_facts::stills::{Grab, Still};
use reelcheck_facts::{Facts, ProbeSettings, RunLimits};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
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

/// Told how far the probe of file `index` has got, from any thread; `None` when nobody
/// watches (a batch, piped output), so no worker spends a line on it.
pub type Watcher<'a> = Option<&'a (dyn Fn(usize, Progress) + Sync)>;

/// Reads media for a run.
pub trait Prober: Sync {
    /// Probes `files` with `settings`; calls `done(index, facts)` as each finishes, from any
    /// thread, in the order they finish, and `watch` as each gets on. Stops handing out files
    /// once `stop` is set: a file that was never finished gets no call.
    fn probe_all(
        &self,
        files: &[PathBuf],
        settings: &ProbeSettings,
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Facts) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()>;

    /// Grabs pictures of each file: one entry per ask, `None` when the grab crashed, timed out
    /// or was interrupted, else the pictures (one per moment) or why there are none.
    fn grab_all(
        &self,
        asks: &[(PathBuf, Grab)],
        stop: &AtomicBool,
    ) -> anyhow::Result<Vec<Option<Grabbed>>>;

    /// Runs the credits analysis of `path` again with its evidence kept
    /// (`credits --explain`), under the same isolation and limits as probing: the film is
    /// parsed again, so it is input like any other.
    fn explain(
        &self,
        path: &Path,
        ask: &ExplainCredits,
        stop: &AtomicBool,
    ) -> anyhow::Result<CreditsTrace>;

    /// Probes one file.
    fn probe(&self, path: &Path, settings: &ProbeSettings, stop: &AtomicBool) -> Facts {
        let got = Mutex::new(None);
        let files = [path.to_path_buf()];
        let run = self.probe_all(
            &files,
            settings,
            stop,
            &|_, facts| {
                *got.lock().unwrap_or_else(|e| e.into_inner()) = Some(facts);
            },
            None,
        );
        let got = got.into_inner().unwrap_or_else(|e| e.into_inner());
        match (run, got) {
            (_, Some(facts)) => facts,
            (Err(e), None) => Facts::failed(path, reelcheck_probe::one_line(&e)),
            (Ok(()), None) => Facts::failed_by(
                path,
                Failed::new(Failure::Interrupted, "not probed: the run was interrupted"),
            ),
        }
    }

    /// Grabs pictures of one file.
    fn grab(
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
}

/// Carries out the worker protocol's requests: in worker processes (`pool`) or in this process
/// (`in_process`). Every carrier is a [`Prober`]: what a request asks and what its answer
/// means are the same wherever it is carried out.
pub trait Carrier: Sync {
    /// Requests carried out at once.
    fn jobs(&self) -> usize;

    /// The time limit of one request, when one is enforced.
    fn time_limit(&self) -> Option<Duration>;

    /// Does every request; `done(index, answer)` gets each answer, or why there is none, and
    /// `watch` the progress of the requests that ask for it.
    fn carry(
        &self,
        requests: &[Request],
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Result<Answer, Failed>) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()>;
}

impl<C: Carrier> Prober for C {
    fn probe_all(
        &self,
        files: &[PathBuf],
        settings: &ProbeSettings,
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Facts) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()> {
        let limits = limits(self.jobs(), self.time_limit(), files.len());
        let requests: Vec<Request> = files
            .iter()
            .map(|p| {
                let job = Job::Probe {
                    settings: Box::new(settings.clone()),
                    limits: limits.clone(),
                    progress: watch.is_some(),
                };
                Request::new(p, job)
            })
            .collect();
        self.carry(
            &requests,
            stop,
            &|i, answer| {
                let path = &files[i];
                let fail = |failed: Failed| {
                    let mut f = Facts::failed_by(path, failed);
                    f.size_bytes = std::fs::metadata(path).ok().map(|m| m.len());
                    f
                };
                match answer {
                    Ok(Answer::Facts(f)) => done(i, *f),
                    Ok(Answer::Stills(_) | Answer::Trace(_)) => done(
                        i,
                        fail(Failed::new(
                            Failure::Internal,
                            "internal: the worker answered another question",
                        )),
                    ),
                    Err(failed) => done(i, fail(failed)),
                }
            },
            watch,
        )
    }

    fn grab_all(
        &self,
        asks: &[(PathBuf, Grab)],
        stop: &AtomicBool,
    ) -> anyhow::Result<Vec<Option<Grabbed>>> {
        let requests: Vec<Request> = asks
            .iter()
            .map(|(path, grab)| Request::new(path, Job::Grab(grab.clone())))
            .collect();
        let got = Mutex::new(vec![None; asks.len()]);
        self.carry(
            &requests,
            stop,
            &|i, answer| {
                let stills = match answer {
                    Ok(Answer::Stills(s)) => Some(s),
                    Ok(Answer::Facts(_) | Answer::Trace(_)) => None,
                    Err(failed) => Some(Err(failed.reason)),
                };
                if let Ok(mut got) = got.lock() {
                    got[i] = stills;
                }
            },
            None,
        )?;
        Ok(got.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    fn explain(
        &self,
        path: &Path,
        ask: &ExplainCredits,
        stop: &AtomicBool,
    ) -> anyhow::Result<CreditsTrace> {
        let requests = [Request::new(path, Job::Explain(ask.clone()))];
        let got = Mutex::new(None);
        self.carry(
            &requests,
            stop,
            &|_, answer| {
                let trace = match answer {
                    Ok(Answer::Trace(t)) => t,
                    Ok(_) => Err("internal: the worker answered another question".into()),
                    Err(failed) => Err(failed.reason),
                };
                *got.lock().unwrap_or_else(|e| e.into_inner()) = Some(trace);
            },
            None,
        )?;
        match got.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(trace) => trace.map_err(anyhow::Error::msg),
            None => Err(anyhow::anyhow!("interrupted")),
        }
    }
}

/// Files read at once: `jobs`, or one per core.
pub fn jobs_or_cores(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// The limits of each probe when `films` are read at once by `jobs` carriers, each file within
/// `time_limit`.
fn limits(jobs: usize, time_limit: Option<Duration>, films: usize) -> RunLimits {
    let mut limits = RunLimits::default();
    // A worker that is about to be stopped for taking too long ends its longest pass (the
    // video analyzer's decode) itself first, so what it measured is kept.
    if let Some(timeout) = time_limit {
        limits.time_budget_s = Some(timeout.as_secs_f64() * TIME_BUDGET_SHARE);
    }
    // Fewer films than cores: each film's picture decoding gets the cores left idle.
    let at_once = films.clamp(1, jobs.max(1));
    if jobs / at_once > 1 {
        limits.decode_threads = Some(jobs / at_once);
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_film_alone_gets_the_idle_cores_and_the_time_budget() {
        let l = limits(8, Some(Duration::from_secs(100)), 1);
        assert_eq!(l.decode_threads, Some(8));
        assert_eq!(l.time_budget_s, Some(80.0));
        let l = limits(8, None, 20);
        assert_eq!((l.decode_threads, l.time_budget_s), (None, None));
        assert_eq!(limits(8, None, 3).decode_threads, Some(2));
    }
}

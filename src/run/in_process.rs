//! `--in-process`: requests carried out in this process, on a thread pool, without the worker
//! processes' isolation: faster to debug, but a decoder that crashes takes the run with it, and
//! no time limit is enforced.

use super::prober::{self, Carrier, Watcher};
use rayon::prelude::*;
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::protocol::{Answer, Request};
use reelcheck_probe::watch::Watch;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct InProcess {
    /// Files read at once.
    pub jobs: usize,
}

impl InProcess {
    /// `jobs: None` reads one file per core.
    pub fn new(jobs: Option<usize>) -> InProcess {
        InProcess {
            jobs: prober::jobs_or_cores(jobs),
        }
    }
}

impl Carrier for InProcess {
    fn jobs(&self) -> usize {
        self.jobs
    }

    fn time_limit(&self) -> Option<Duration> {
        None
    }

    fn carry(
        &self,
        requests: &[Request],
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Result<Answer, Failed>) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()> {
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
                    Some(path) => done(i, Ok(answer_watched(request, &path, &listings, watch, i))),
                    None => done(
                        i,
                        Err(Failed::new(
                            Failure::Internal,
                            "internal: unreadable request",
                        )),
                    ),
                }
            })
        });
        Ok(())
    }
}

/// The worker's answer to `request`, with its progress handed to `watch` as file `i`'s. A
/// probe's watch must outlive any borrow (it rides with the film's bytes into FFmpeg), so its
/// reports cross a channel to a thread that borrows `watch`.
fn answer_watched(
    request: &Request,
    path: &std::path::Path,
    listings: &reelcheck_probe::Listings,
    watch: Watcher,
    i: usize,
) -> Answer {
    let Some(watch) = watch else {
        return super::worker::answer(request, path, listings, &Watch::default());
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        let finished = &finished;
        s.spawn(move || {
            while !finished.load(Ordering::SeqCst) {
                if let Ok(p) = rx.recv_timeout(Duration::from_millis(100)) {
                    watch(i, p);
                }
            }
        });
        let answer = super::worker::answer(
            request,
            path,
            listings,
            &Watch::new(move |p| {
                let _ = tx.send(p);
            }),
        );
        finished.store(true, Ordering::SeqCst);
        answer
    })
}

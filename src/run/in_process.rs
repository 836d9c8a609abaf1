//! `--in-process`: requests carried out in this process, on a thread pool, without the worker
//! processes' isolation: faster to debug, but a decoder that crashes takes the run with it, and
//! no time limit is enforced.

use super::prober::{self, Carrier};
use rayon::prelude::*;
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::protocol::{Answer, Request};
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
                    Some(path) => done(i, Ok(super::worker::answer(request, &path, &listings))),
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

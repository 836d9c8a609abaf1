//! Telling whoever waits how far a probe has got. A probe says which step it is in; the
//! steps that read the film through learn how far they are from where its bytes are read (the
//! one `Source` every demuxer reads through), so no analyzer carries a callback of its own.

use reelcheck_facts::progress::{Progress, Step};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The least time between two reports of the same step: a person reads no faster, and a
/// worker's pipe carries a few lines a second at no cost.
const EVERY: Duration = Duration::from_millis(250);

/// Where a probe reports its progress; `Watch::default()` reports nowhere.
#[derive(Clone, Default)]
pub struct Watch(Option<Arc<Inner>>);

struct Inner {
    send: Box<dyn Fn(Progress) + Send + Sync>,
    /// The step, and when it last reported.
    at: Mutex<(Step, Instant)>,
}

impl Watch {
    /// A watch that hands each report to `send`.
    pub fn new(send: impl Fn(Progress) + Send + Sync + 'static) -> Watch {
        Watch(Some(Arc::new(Inner {
            send: Box::new(send),
            at: Mutex::new((Step::Header, Instant::now())),
        })))
    }

    /// The probe begins `step`: reported at once.
    pub fn step(&self, step: Step) {
        let Some(inner) = &self.0 else { return };
        *inner.at.lock().unwrap_or_else(|e| e.into_inner()) = (step, Instant::now());
        (inner.send)(Progress {
            step,
            share: step.reads_through().then_some(0.0),
        });
    }

    /// A read of the film reached byte `pos` of `size`: reported now and then, and only in the
    /// steps that read the film through (a seek for a sampled picture says nothing of how far
    /// a step is).
    pub fn reached(&self, pos: u64, size: u64) {
        let Some(inner) = &self.0 else { return };
        let step = {
            let mut at = inner.at.lock().unwrap_or_else(|e| e.into_inner());
            if !at.0.reads_through() || at.1.elapsed() < EVERY || size == 0 {
                return;
            }
            at.1 = Instant::now();
            at.0
        };
        (inner.send)(Progress {
            step,
            share: Some((pos as f64 / size as f64).clamp(0.0, 1.0)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_steps_that_read_through_report_a_share_and_not_at_every_read() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&seen);
        let w = Watch::new(move |p| keep.lock().unwrap().push(p));
        w.step(Step::Header);
        w.reached(10, 100);
        w.step(Step::Picture);
        // Too soon after the step began.
        w.reached(20, 100);
        std::thread::sleep(EVERY + Duration::from_millis(20));
        w.reached(50, 100);
        let seen = seen.lock().unwrap().clone();
        let shares: Vec<_> = seen.iter().map(|p| (p.step, p.share)).collect();
        assert_eq!(
            shares,
            [
                (Step::Header, None),
                (Step::Picture, Some(0.0)),
                (Step::Picture, Some(0.5)),
            ]
        );
    }
}

//! The words a person at a terminal sees while one film is probed: the step, how much of the
//! film it has read, and the time that step has left, worked out from how fast it has read so
//! far.

use crate::rules::say::clock;
use reelcheck_facts::progress::{Progress, Step};
use std::time::{Duration, Instant};

/// How long a step must have run before its time left is guessed: the first reads of a step
/// (a decoder starting its threads, the file's first bytes leaving the disk) run at no steady
/// pace.
const SETTLE: Duration = Duration::from_secs(2);

/// The progress of one film, as reported so far.
#[derive(Debug, Default)]
pub struct Watching {
    /// The step, and when and at which share it was first seen with a share.
    step: Option<(Step, Instant, f64)>,
}

impl Watching {
    /// The words for `p`, reported at `now`: "decoding the picture: 42 %, about 1:10 left in
    /// this step".
    pub fn said(&mut self, p: Progress, now: Instant) -> String {
        let Some(share) = p.share else {
            self.step = None;
            return p.step.said().to_string();
        };
        let (step, began, from) = match self.step {
            Some(s) if s.0 == p.step => s,
            _ => {
                self.step = Some((p.step, now, share));
                (p.step, now, share)
            }
        };
        let mut words = format!("{}: {} %", step.said(), (share * 100.0).floor() as u32);
        let spent = now.duration_since(began);
        let done = share - from;
        if spent >= SETTLE && done >= 0.01 {
            let left = (1.0 - share) * spent.as_secs_f64() / done;
            // Whole seconds, rounded up: "0:00 left" while work remains would read as done.
            words.push_str(&format!(
                ", about {} left in this step",
                clock(left.ceil().max(1.0))
            ));
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(step: Step, share: Option<f64>) -> Progress {
        Progress { step, share }
    }

    #[test]
    fn the_time_left_follows_the_pace_of_the_step_once_it_has_settled() {
        let t0 = Instant::now();
        let mut w = Watching::default();
        assert_eq!(w.said(at(Step::Header, None), t0), "reading the header");
        assert_eq!(
            w.said(at(Step::Picture, Some(0.0)), t0),
            "decoding the picture: 0 %"
        );
        // A second in: too soon to guess.
        assert_eq!(
            w.said(at(Step::Picture, Some(0.1)), t0 + Duration::from_secs(1)),
            "decoding the picture: 10 %"
        );
        // 25 % in 10 s: 75 % more takes 30 s.
        assert_eq!(
            w.said(at(Step::Picture, Some(0.25)), t0 + Duration::from_secs(10)),
            "decoding the picture: 25 %, about 0:30 left in this step"
        );
        // A new step starts its own clock.
        assert_eq!(
            w.said(at(Step::Sound, Some(0.5)), t0 + Duration::from_secs(11)),
            "decoding the sound: 50 %"
        );
        assert_eq!(
            w.said(at(Step::Sound, Some(0.75)), t0 + Duration::from_secs(111)),
            "decoding the sound: 75 %, about 1:40 left in this step"
        );
    }
}

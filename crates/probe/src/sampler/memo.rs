//! What one sequential run that went to the end of the film saw, kept so that the black-padding
//! tail is measured without decoding the end again. On a film with one long GOP every run from
//! near the end decodes the whole film from its only keyframe: the credits' end scan and the
//! black tail would each pay for it.
//!
//! The run keeps every frame's time, and the reduced picture of each frame that can still
//! matter to the tail: the black after the last picture that is not black. Pictures the run
//! reduces anyway (those its own scan picks) tell where that last picture may be: frames before
//! a picture that is not black cannot matter and are never reduced; frames before a black one
//! are. The tail is measured from what was kept only where every frame it needs is there;
//! otherwise it decodes as before.

use super::Luma;

/// Reduced pictures kept at most: they are small (under 100 kB).
const MAX_PICTURES: usize = 600;

/// One frame handed over by the decoder, and its reduced picture where one was made.
pub struct Frame {
    pub t: f64,
    pub luma: Option<Luma>,
}

/// A run that went to the end of the film.
pub struct Memo {
    /// Timestamp of the first packet decoded after the seek: the keyframe the run began from.
    pub key: i64,
    /// The `from` the run was asked for: frames before it may have been skipped.
    pub from: f64,
    /// Every frame the decoder handed over, in order.
    pub frames: Vec<Frame>,
}

/// A run being kept, frame by frame.
pub struct Recorder {
    from: f64,
    frames: Vec<Frame>,
    pictures: usize,
}

impl Recorder {
    pub fn new(from: f64) -> Recorder {
        Recorder {
            from,
            frames: Vec::new(),
            pictures: 0,
        }
    }

    /// Adds a frame; its index, for `set`.
    pub fn add(&mut self, t: f64, luma: Option<Luma>) -> usize {
        self.frames.push(Frame { t, luma: None });
        let at = self.frames.len() - 1;
        if let Some(l) = luma {
            self.set(at, l);
        }
        at
    }

    /// Gives the frame at `at` its reduced picture, while there is room.
    pub fn set(&mut self, at: usize, luma: Luma) {
        if self.pictures >= MAX_PICTURES {
            return;
        }
        if let Some(f) = self.frames.get_mut(at) {
            if f.luma.is_none() {
                self.pictures += 1;
            }
            f.luma = Some(luma);
        }
    }

    /// The memo, when the run reached the end of the film from a known keyframe.
    pub fn finish(self, key: Option<i64>, reached_end: bool) -> Option<Memo> {
        if !reached_end {
            return None;
        }
        Some(Memo {
            key: key?,
            from: self.from,
            frames: self.frames,
        })
    }
}

impl Memo {
    /// The frames a scan from `from` to the end taking every picture would hand over, each
    /// with its reduced picture where one was kept; `None` when the run did not see them all.
    pub fn every_frame_from(&self, from: f64) -> Option<Vec<(f64, Option<&Luma>)>> {
        if from < self.from {
            return None;
        }
        Some(every_frame_from(
            self.frames.iter().map(|f| (f.t, f.luma.as_ref())),
            from,
        ))
    }
}

/// Of `frames` (in the order shown), those a scan from `from` to the end taking every picture
/// would hand over.
pub fn every_frame_from<'a>(
    frames: impl Iterator<Item = (f64, Option<&'a Luma>)>,
    from: f64,
) -> Vec<(f64, Option<&'a Luma>)> {
    let mut next = from;
    let mut out = Vec::new();
    for (t, luma) in frames {
        if picks(t, next) {
            next = t;
            out.push((t, luma));
        }
    }
    out
}

/// The scan's rule for handing over a picture: the first at or after `next`.
pub fn picks(t: f64, next: f64) -> bool {
    t + 1e-6 >= next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma() -> Luma {
        Luma {
            w: 8,
            h: 8,
            px: vec![16; 64],
        }
    }

    #[test]
    fn the_frames_of_a_tail_are_those_a_scan_would_pick() {
        let mut r = Recorder::new(1.0);
        for i in 0..100 {
            let t = f64::from(i) * 0.04;
            r.add(t, (i % 10 == 0).then(luma));
        }
        let m = r.finish(Some(0), true).unwrap();
        let end = m.every_frame_from(2.0).unwrap();
        assert_eq!(end.len(), 50);
        assert!((end[0].0 - 2.0).abs() < 1e-9);
        assert_eq!(end.iter().filter(|(_, l)| l.is_some()).count(), 5);
        assert!(
            m.every_frame_from(0.5).is_none(),
            "before the kept run began"
        );
    }

    #[test]
    fn a_run_that_stopped_early_is_not_kept_and_pictures_are_bounded() {
        assert!(Recorder::new(0.0).finish(Some(0), false).is_none());
        assert!(Recorder::new(0.0).finish(None, true).is_none());
        let mut r = Recorder::new(0.0);
        for i in 0..=MAX_PICTURES {
            r.add(i as f64, Some(luma()));
        }
        let m = r.finish(Some(0), true).unwrap();
        assert!(m.frames.last().unwrap().luma.is_none());
        assert_eq!(m.frames.len(), MAX_PICTURES + 1);
    }
}

//! The pictures of one sequential run that went to the end of the film, kept so that a later
//! run over the same stretch is answered without decoding it again. On a film with one long
//! GOP every run from near the end decodes the whole film from its only keyframe: the credits'
//! end scan and the black-padding tail would each pay for it.
//!
//! A later run is answered only where decoding it afresh would hand over the very same
//! pictures: it starts from the same keyframe, at or after where the kept run started (frames
//! the kept run skipped in its lead-in are never handed over), and every picture it would pick
//! was reduced and kept.

use super::Luma;

/// Pictures kept at most: the reduced pictures are small (under 100 kB), and a tail of a few
/// seconds at up to 120 frames a second stays within this.
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
    /// The `from` the run was asked for.
    pub from: f64,
    /// Every frame the decoder handed over, in order.
    pub frames: Vec<Frame>,
}

/// A run being kept, frame by frame.
pub struct Recorder {
    from: f64,
    frames: Vec<Frame>,
    pictures: usize,
    overflowed: bool,
}

impl Recorder {
    pub fn new(from: f64) -> Recorder {
        Recorder {
            from,
            frames: Vec::new(),
            pictures: 0,
            overflowed: false,
        }
    }

    pub fn add(&mut self, t: f64, luma: Option<Luma>) {
        if self.overflowed {
            return;
        }
        if luma.is_some() {
            self.pictures += 1;
            if self.pictures > MAX_PICTURES {
                self.overflowed = true;
                self.frames = Vec::new();
                return;
            }
        }
        self.frames.push(Frame { t, luma });
    }

    /// The memo, when the run reached the end of the film from a known keyframe.
    pub fn finish(self, key: Option<i64>, reached_end: bool) -> Option<Memo> {
        if self.overflowed || !reached_end {
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
    /// Whether every picture a scan of `[from, to]` taking one every `every` seconds would pick
    /// is kept (the keyframe it would start from is checked apart).
    pub fn covers(&self, from: f64, to: f64, every: f64) -> bool {
        if from < self.from || to < from {
            return false;
        }
        let mut next = from;
        for f in &self.frames {
            if f.t > to {
                return true;
            }
            if picks(f.t, next) {
                if f.luma.is_none() {
                    return false;
                }
                next = f.t + every;
            }
        }
        // The kept run went to the end of the film.
        true
    }
}

/// The scan's rule for handing over a picture: the first at or after `next`.
pub fn picks(t: f64, next: f64) -> bool {
    t + 1e-6 >= next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luma() -> Option<Luma> {
        Some(Luma {
            w: 8,
            h: 8,
            px: vec![16; 64],
        })
    }

    fn memo(from: f64, every_picture_from: f64) -> Memo {
        let mut r = Recorder::new(from);
        for i in 0..100 {
            let t = f64::from(i) * 0.04;
            r.add(t, (t + 1e-6 >= every_picture_from).then(luma).flatten());
        }
        r.finish(Some(0), true).unwrap()
    }

    #[test]
    fn a_scan_is_covered_only_where_every_picture_it_picks_was_kept() {
        let m = memo(1.0, 2.0);
        assert!(m.covers(2.0, f64::INFINITY, 0.0));
        assert!(m.covers(2.5, 3.0, 0.25));
        assert!(!m.covers(1.9, f64::INFINITY, 0.0), "1.92 was not kept");
        assert!(!m.covers(0.5, f64::INFINITY, 0.0), "before the kept run began");
        assert!(!m.covers(3.0, 2.0, 0.0));
    }

    #[test]
    fn a_run_that_stopped_early_or_grew_too_large_is_not_kept() {
        assert!(Recorder::new(0.0).finish(Some(0), false).is_none());
        assert!(Recorder::new(0.0).finish(None, true).is_none());
        let mut r = Recorder::new(0.0);
        for i in 0..=MAX_PICTURES {
            r.add(i as f64, luma());
        }
        assert!(r.finish(Some(0), true).is_none());
    }
}

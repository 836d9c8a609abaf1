//! Black picture at the head and tail of a film: the padding festivals ask to keep under two
//! seconds. A frame is black as FFmpeg's blackdetect judges it (at least 98 % of the pixels at
//! or under 10 % of the luma range) and, unlike blackdetect, only if nothing in it is brighter
//! than a quarter of the range: a title card or a star field on black is picture, not padding.
//! Only the opening frames up to the first one that is not black, and the last seconds, are
//! decoded.

use crate::sampler::{Luma, Sampler};
use anyhow::Result;

/// 16 + 10 % of the 16–235 range: the sampler's pictures are limited-range luma.
const PIXEL_MAX: u8 = 37;
/// Share of pixels at or under `PIXEL_MAX` that makes a picture black.
const PICTURE_SHARE: f64 = 0.98;
/// 16 + 25 % of the range: any brighter pixel is detail someone put there (text, a star).
const DETAIL_MIN: u8 = 71;
/// Longest black measured at either end; a longer one is reported as this.
const CAP_S: f64 = 60.0;
/// Tail windows tried in turn until one holds a picture that is not black.
const TAIL_WINDOWS_S: &[f64] = &[4.0, 15.0, CAP_S];

/// Each end is `None` when no frame there could be decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ends {
    /// Seconds of black before the first picture that is not black.
    pub head_s: Option<f64>,
    /// Seconds of black after the last picture that is not black, to the end of the picture.
    pub tail_s: Option<f64>,
}

pub fn is_black(l: &Luma) -> bool {
    if l.px.is_empty() {
        return false;
    }
    let dark = l.px.iter().filter(|&&p| p <= PIXEL_MAX).count();
    dark as f64 >= PICTURE_SHARE * l.px.len() as f64 && l.px.iter().all(|&p| p < DETAIL_MIN)
}

/// Measures both ends; `duration_s` is the picture's length as the file states it.
pub fn measure(sampler: &mut Sampler, duration_s: f64) -> Result<Ends> {
    Ok(Ends {
        head_s: head(sampler)?,
        tail_s: tail(sampler, duration_s)?,
    })
}

fn head(sampler: &mut Sampler) -> Result<Option<f64>> {
    // Most films open on a picture: the first keyframe says so without a sequential decode.
    match sampler.keyframe_at(0.0)? {
        Some(p) if !is_black(&p.luma) => return Ok(Some(0.0)),
        None => return Ok(None),
        Some(_) => {}
    }
    let mut first_picture = None;
    let mut last_t = None;
    sampler.scan(0.0, CAP_S, 0.0, |p| {
        last_t = Some(p.t);
        if is_black(&p.luma) {
            true
        } else {
            first_picture = Some(p.t);
            false
        }
    })?;
    Ok(first_picture
        .or(last_t.map(|t| t.min(CAP_S)))
        .map(|t| t.max(0.0)))
}

fn tail(sampler: &mut Sampler, duration_s: f64) -> Result<Option<f64>> {
    if !duration_s.is_finite() || duration_s <= 0.0 {
        return Ok(None);
    }
    // What an earlier run to the end (the credits' end scan) kept may settle it undecoded.
    let from = (duration_s - TAIL_WINDOWS_S[0]).max(0.0);
    if let Some(s) = sampler.kept_end(from).and_then(|f| tail_of(&f)) {
        return Ok(Some(s));
    }
    let mut black = None;
    for &window in TAIL_WINDOWS_S {
        let from = (duration_s - window).max(0.0);
        let mut seen = Scan::default();
        sampler.scan(from, f64::INFINITY, 0.0, |p| {
            seen.add(p.t, is_black(&p.luma));
            true
        })?;
        let Some(end) = seen.end() else {
            return Ok(black); // nothing decodable there
        };
        match seen.last_picture {
            Some(_) => return Ok(Some((end - seen.black_from.unwrap_or(end)).max(0.0))),
            None => black = Some((end - seen.first_t.unwrap_or(end)).min(CAP_S)),
        }
        if from <= 0.0 {
            break;
        }
    }
    Ok(black)
}

/// The black after the last picture among the frames of the first tail window, when that
/// picture and every frame after it have their reduced picture (the frames before it cannot
/// change the answer); `None` when one is missing or no frame is picture.
fn tail_of(frames: &[(f64, Option<&Luma>)]) -> Option<f64> {
    let mut last_picture = None;
    for (i, (_, luma)) in frames.iter().enumerate().rev() {
        if !is_black(luma.as_ref()?) {
            last_picture = Some(i);
            break;
        }
    }
    let last_picture = last_picture?;
    let mut seen = Scan::default();
    for (i, (t, _)) in frames.iter().enumerate() {
        // Whatever the frames before the last picture were, the picture clears the black.
        seen.add(*t, i > last_picture);
    }
    let end = seen.end()?;
    Some((end - seen.black_from.unwrap_or(end)).max(0.0))
}

/// What a sequential run of frames showed.
#[derive(Default)]
struct Scan {
    first_t: Option<f64>,
    last_t: Option<f64>,
    /// The shortest gap between frames: one frame's length, to close the last one.
    step: Option<f64>,
    last_picture: Option<f64>,
    /// Where the black after the last picture began.
    black_from: Option<f64>,
}

impl Scan {
    fn add(&mut self, t: f64, black: bool) {
        if let Some(prev) = self.last_t {
            let gap = t - prev;
            if gap > 0.0 {
                self.step = Some(self.step.map_or(gap, |s| s.min(gap)));
            }
        }
        self.first_t.get_or_insert(t);
        self.last_t = Some(t);
        if black {
            self.black_from.get_or_insert(t);
        } else {
            self.last_picture = Some(t);
            self.black_from = None;
        }
    }

    /// The end of the last frame.
    fn end(&self) -> Option<f64> {
        Some(self.last_t? + self.step.unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(level: u8, dark_share: f64) -> Luma {
        let n = 1000;
        let dark = (n as f64 * dark_share) as usize;
        let mut px = vec![level; n];
        px[..dark].fill(16);
        Luma { w: 100, h: 10, px }
    }

    #[test]
    fn black_as_blackdetect_judges_it() {
        assert!(is_black(&flat(16, 1.0)));
        assert!(is_black(&flat(37, 0.0)), "10 % luma is still black");
        assert!(!is_black(&flat(38, 0.0)));
        // 2 % of dim pixels is still black (grain, a faint vignette); 3 % is not.
        assert!(is_black(&flat(60, 0.98)));
        assert!(!is_black(&flat(60, 0.97)));
        // A few bright pixels are text or stars: picture.
        assert!(!is_black(&flat(200, 0.99)));
    }

    #[test]
    fn the_tail_from_kept_frames_is_the_tail_a_scan_measures() {
        let (dark, bright) = (flat(16, 1.0), flat(200, 0.0));
        let frames: Vec<(f64, Option<&Luma>)> = (0..100)
            .map(|i| {
                let t = 6.0 + f64::from(i) * 0.04;
                // Picture to 9.0, then black; before 8.0 nothing was kept.
                let l = if t < 9.0 { &bright } else { &dark };
                (t, (t >= 8.0).then_some(l))
            })
            .collect();
        let mut s = Scan::default();
        for (t, _) in &frames {
            s.add(*t, *t >= 9.0);
        }
        let scanned = s.end().unwrap() - s.black_from.unwrap();
        let kept = tail_of(&frames).unwrap();
        assert!((kept - scanned).abs() < 1e-9 && (kept - 1.0).abs() < 1e-6);
        // A frame after the last picture without its picture: the tail is not known.
        let mut gap = frames.clone();
        gap[90].1 = None;
        assert_eq!(tail_of(&gap), None);
        // No picture among the frames: wider windows are needed.
        let all_dark: Vec<_> = frames.iter().map(|(t, _)| (*t, Some(&dark))).collect();
        assert_eq!(tail_of(&all_dark), None);
    }

    #[test]
    fn the_black_after_the_last_picture_runs_to_the_end_of_the_last_frame() {
        let mut s = Scan::default();
        for i in 0..100 {
            let t = f64::from(i) * 0.04;
            s.add(t, !(1.0..2.0).contains(&t));
        }
        assert_eq!(s.end().map(|e| (e * 100.0).round()), Some(400.0));
        assert!((s.black_from.unwrap() - 2.0).abs() < 1e-9);
    }
}

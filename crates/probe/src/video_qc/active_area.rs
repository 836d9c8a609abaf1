//! The active picture inside the frame, as FFmpeg's cropdetect finds it: rows and columns
//! whose mean is above a black limit hold picture, and the area is the union over the film's
//! frames. A dark scene gives a smaller box, which the union outgrows, so it cannot make bars
//! that are not there.

use crate::video_qc::picture::Tall;
use reelcheck_facts::ActiveArea;

/// cropdetect's default limit: a line whose mean is above this (8-bit levels) holds picture.
const LIMIT: f64 = 24.0;
/// A bar narrower than this share of the frame is an encoder's edge, not a bar.
const MIN_BAR: f64 = 0.01;

#[derive(Debug, Default)]
pub struct Area {
    /// Union box in tall-picture coordinates: x0, y0, x1, y1 (exclusive).
    union: Option<(usize, usize, usize, usize)>,
    tall: (usize, usize),
    x_scale: f64,
}

impl Area {
    pub fn push(&mut self, p: &Tall) {
        let y = &p.y;
        if y.w == 0 || y.h == 0 {
            return;
        }
        self.tall = (y.w, y.h);
        self.x_scale = p.x_scale;
        let row_lit = |r: usize| {
            let row = y.row(r);
            row.iter().map(|&v| u64::from(v)).sum::<u64>() as f64 / row.len() as f64 > LIMIT
        };
        let col_lit = |c: usize| {
            let sum: u64 = (0..y.h).map(|r| u64::from(y.px[r * y.w + c])).sum();
            sum as f64 / y.h as f64 > LIMIT
        };
        let Some(y0) = (0..y.h).find(|&r| row_lit(r)) else {
            return; // a dark frame says nothing
        };
        let y1 = (0..y.h).rev().find(|&r| row_lit(r)).unwrap_or(y0) + 1;
        let x0 = (0..y.w).find(|&c| col_lit(c)).unwrap_or(0);
        let x1 = (0..y.w).rev().find(|&c| col_lit(c)).map_or(y.w, |c| c + 1);
        self.union = Some(match self.union {
            Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
            None => (x0, y0, x1, y1),
        });
    }

    /// The area in the stream's pixels; `sar` is the pixel aspect ratio.
    pub fn finish(self, width: u32, height: u32, sar: f64) -> Option<ActiveArea> {
        let (x0, y0, x1, y1) = self.union?;
        let (tw, th) = self.tall;
        let x = ((x0 as f64) * self.x_scale).round() as u32;
        let right = ((x1 as f64) * self.x_scale).round().min(f64::from(width)) as u32;
        let (y, bottom) = (y0 as u32, (y1 as u32).min(height));
        let (w, h) = (right.saturating_sub(x), bottom.saturating_sub(y));
        let bar = |before: usize, after: usize, total: usize| {
            let least = (MIN_BAR * total as f64).max(2.0);
            before as f64 >= least && after as f64 >= least
        };
        let letterbox = bar(y0, th.saturating_sub(y1), th);
        let pillarbox = bar(x0, tw.saturating_sub(x1), tw);
        let bars = match (letterbox, pillarbox) {
            (true, true) => "windowbox",
            (true, false) => "letterbox",
            (false, true) => "pillarbox",
            (false, false) => "none",
        };
        let aspect = if h > 0 {
            (f64::from(w) * sar / f64::from(h) * 1000.0).round() / 1000.0
        } else {
            0.0
        };
        Some(ActiveArea {
            x,
            y,
            width: w,
            height: h,
            aspect,
            bars: bars.to_string(),
        })
    }
}

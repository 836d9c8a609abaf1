//! Scrolling credits: rows of text moving up the screen at one steady speed. The motion is
//! evidence of its own, whatever lies behind the text, and it tells when a roll's first line
//! came in at the bottom edge and when its last line left at the top, between two sampled
//! pictures.

use super::features::{scroll_shift, Kind};
use super::segment::Sample;

/// Pictures further apart than this are not compared: lines would have left the screen.
const MAX_GAP_S: f64 = 2.0;
/// Two speeds are the same roll's when they differ by no more than this share: a roll runs at
/// one speed, where a camera tilting over a scene speeds up and slows down.
const SAME_SPEED: f64 = 0.15;
/// The text score from which a picture scrolling at its neighbours' speed counts as credits:
/// half of what a still picture needs. Faint or sparse lines (one name on an otherwise empty
/// screen, lettering over a busy background) score low on one picture; their steady climb
/// from picture to picture is what gives them away.
pub const SCROLL_TEXT_MIN: f64 = 0.2;

/// How fast the rows of `a` moved up to reach where they are in `b`, in rows of the reduced
/// picture per second; none when they did not move up together.
pub fn speed(a: &Sample, b: &Sample) -> Option<f64> {
    let dt = b.t - a.t;
    if !(dt > 0.0 && dt <= MAX_GAP_S) || a.lines == 0 || b.lines == 0 {
        return None;
    }
    let shift = scroll_shift(&a.profile, &b.profile)?;
    (shift > 0).then(|| shift as f64 / dt)
}

fn same_speed(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME_SPEED * a.max(b)
}

/// Whether the pictures from `first` to `last` seconds roll: at least three steps from one
/// picture to the next in which the rows climb, all at the same speed (a credits roll). Text
/// typed into a terminal climbs a line at a time, at no steady speed.
pub fn rolls(samples: &[Sample], first: f64, last: f64) -> bool {
    let inside: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.t >= first && s.t <= last)
        .collect();
    let speeds: Vec<f64> = inside
        .windows(2)
        .filter_map(|w| speed(w[0], w[1]))
        .collect();
    if speeds.len() < 3 || speeds.len() * 2 < inside.len().saturating_sub(1) {
        return false;
    }
    let mut sorted = speeds.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    speeds.iter().all(|&v| same_speed(v, median))
}

/// Marks as text the pictures with faint lettering (a text score of at least
/// `SCROLL_TEXT_MIN`) whose rows climb at the same speed from the picture before to them and
/// from them to the picture after. `samples` is sorted by time.
pub fn mark_scrolls(samples: &mut [Sample]) {
    let mut marks = Vec::new();
    for i in 1..samples.len().saturating_sub(1) {
        let s = &samples[i];
        if s.kind == Kind::Text || s.text < SCROLL_TEXT_MIN {
            continue;
        }
        let (Some(a), Some(b)) = (speed(&samples[i - 1], s), speed(s, &samples[i + 1])) else {
            continue;
        };
        if same_speed(a, b) {
            marks.push(i);
        }
    }
    for i in marks {
        samples[i].kind = Kind::Text;
        samples[i].scroll = true;
    }
}

/// Rows that may lie between where a line is and where its speed says it should be.
fn slack(h: usize) -> f64 {
    (0.03 * h as f64).max(2.0)
}

fn top_row(s: &Sample) -> Option<usize> {
    s.profile.iter().position(|&n| n > 0)
}

fn bottom_row(s: &Sample) -> Option<usize> {
    s.profile.iter().rposition(|&n| n > 0)
}

/// The speed of a roll, in rows a second, from its text pictures (sorted by time): the median
/// of the speeds between every two of them near enough to compare (the longer apart, the finer
/// the measure), when at least two are measured and most agree with it; none when the text
/// does not climb steadily (cards, titles, text over picture).
pub fn roll_speed<'a>(texts: impl IntoIterator<Item = &'a Sample>) -> Option<f64> {
    let texts: Vec<&Sample> = texts.into_iter().collect();
    let mut speeds = Vec::new();
    for (k, a) in texts.iter().enumerate() {
        for b in texts[k + 1..].iter().take_while(|b| b.t - a.t <= MAX_GAP_S) {
            speeds.extend(speed(a, b));
        }
    }
    if speeds.len() < 2 {
        return None;
    }
    speeds.sort_by(f64::total_cmp);
    let median = speeds[speeds.len() / 2];
    let agreeing = speeds.iter().filter(|&&v| same_speed(v, median)).count();
    (2 * agreeing > speeds.len()).then_some(median)
}

/// When a roll's top line came in at the bottom edge: worked back at the roll's speed `v` from
/// the first picture that reads as text (`fine[i]`), since the first lines of a roll are too
/// few to read as text on their own. Every earlier picture in `fine` since then must show
/// nothing but that line climbing at that speed (nothing above it), and one must precede the
/// moment; otherwise the text did not come in from below (a cut, a fade, text over picture)
/// and there is no answer.
pub fn came_in(fine: &[Sample], i: usize, v: f64) -> Option<f64> {
    let first = fine.get(i)?;
    let h = first.profile.len();
    // Strokes in the very top row belong to a picture, not to a roll that just began.
    let top = top_row(first).filter(|&y| y > 0)?;
    let t = first.t - (h - top) as f64 / v;
    let before = &fine[..i];
    // A picture must show the screen before the line came in (to within the slack).
    if v.is_nan() || v <= 0.0 || before.first().is_none_or(|s| s.t > t + slack(h) / v) {
        return None;
    }
    let consistent = before.iter().filter(|s| s.t > t).all(|s| {
        let expected = top as f64 + v * (first.t - s.t);
        match top_row(s) {
            Some(y) => (y as f64 - expected).abs() <= slack(h),
            None => expected >= h as f64 - slack(h),
        }
    });
    consistent.then_some(t)
}

/// When a roll's bottom line left at the top edge: worked on at the roll's speed `v` from the
/// last picture that reads as text (`fine[i]`), since its last lines are too few to read as
/// text. Every later picture in `fine` until then must show that line climbing at that speed
/// (nothing below it), and one must follow the moment; otherwise there is no answer.
pub fn went_out(fine: &[Sample], i: usize, v: f64) -> Option<f64> {
    let last = fine.get(i)?;
    let h = last.profile.len();
    let bottom = bottom_row(last).filter(|&y| y + 1 < h)?;
    let t = last.t + (bottom + 1) as f64 / v;
    let after = fine.get(i + 1..)?;
    if v.is_nan() || v <= 0.0 || after.last().is_none_or(|s| s.t < t - slack(h) / v) {
        return None;
    }
    let consistent = after.iter().filter(|s| s.t < t).all(|s| {
        let expected = bottom as f64 - v * (s.t - last.t);
        match bottom_row(s) {
            Some(y) => (y as f64 - expected).abs() <= slack(h),
            None => expected <= slack(h),
        }
    });
    consistent.then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credits::features::{EdgeMap, Polarity};

    /// A picture at `t` whose strokes fill rows `top..bottom` of `h`.
    fn rows(t: f64, h: usize, top: i64, bottom: i64, text: f64) -> Sample {
        let profile = (0..h as i64)
            .map(|y| {
                // Lines of lettering of uneven height and weight, with gaps between them, the
                // pattern moving with the block so that no shift but the true one lines it up.
                let k = y - top;
                let busy = y >= top && y < bottom && (k * 7919).rem_euclid(13) < 8;
                u16::from(busy) * (10 + (k * 31).rem_euclid(17) as u16)
            })
            .collect();
        Sample {
            t,
            kind: if text >= 0.4 {
                Kind::Text
            } else {
                Kind::Picture
            },
            text,
            rows: 0.0,
            lines: 3,
            polarity: Polarity::LightOnDark,
            profile,
            edges: EdgeMap::default(),
            overlay: false,
            scroll: false,
            luma: None,
            found: None,
            read: None,
            set_aside: None,
            rescued: false,
        }
    }

    /// A roll at 20 rows a second in a picture 200 rows high: the text block (rows of strokes,
    /// `len` rows tall) has its top at `top0` at time 0; samples every 0.25 s from `from` to
    /// `to`, reading as text when at least `readable` rows of it are in view.
    fn roll(top0: f64, len: f64, from: f64, to: f64, readable: i64) -> Vec<Sample> {
        let h = 200;
        let mut out = Vec::new();
        let mut t = from;
        while t <= to + 1e-9 {
            let top = (top0 - 20.0 * t).round() as i64;
            let bottom = top + len as i64;
            let seen = bottom.min(h as i64) - top.max(0);
            let text = if seen >= readable { 0.6 } else { 0.1 };
            out.push(rows(t, h, top, bottom, text));
            t += 0.25;
        }
        out
    }

    #[test]
    fn a_roll_entering_from_the_bottom_is_placed_before_it_reads_as_text() {
        // The top line comes in at 1.0 s (top row 220 at time 0); the text reads as such once
        // 40 rows are in view, at 3.0 s.
        let fine = roll(220.0, 400.0, 0.0, 4.0, 40);
        let i = fine
            .iter()
            .position(|s| s.kind == Kind::Text)
            .expect("text");
        assert!((fine[i].t - 3.0).abs() < 1e-9);
        let v = roll_speed(fine.iter().filter(|s| s.kind == Kind::Text)).expect("a roll");
        assert!((v - 20.0).abs() < 0.5, "{v}");
        let t = came_in(&fine, i, v).expect("came in from below");
        assert!((t - 1.0).abs() < 0.05, "{t}");
        // Text that showed up half-way up the screen did not come in from below.
        let cut = roll(100.0, 60.0, 0.0, 2.0, 10);
        assert_eq!(came_in(&cut, 0, 20.0), None);
        // Nor did text over a picture with strokes everywhere before it.
        let mut over = roll(220.0, 400.0, 0.0, 4.0, 40);
        for s in over.iter_mut().take(i) {
            s.profile = vec![30; 200];
        }
        assert_eq!(came_in(&over, i, v), None);
    }

    #[test]
    fn a_roll_leaving_at_the_top_is_placed_after_it_stops_reading_as_text() {
        // A block of 100 rows with its top at 100 at time 0: its bottom line leaves at 10.0 s.
        // It reads as text while 40 rows are in view, until 7.0 s.
        let fine = roll(100.0, 100.0, 5.0, 12.0, 40);
        let i = fine
            .iter()
            .rposition(|s| s.kind == Kind::Text)
            .expect("text");
        let v = roll_speed(fine.iter().filter(|s| s.kind == Kind::Text)).expect("a roll");
        let t = went_out(&fine, i, v).expect("left at the top");
        assert!((t - 10.0).abs() < 0.06, "{t}");
        // Lines that stop mid-screen (a cut) did not leave at the top.
        let mut cut = roll(100.0, 100.0, 5.0, 12.0, 40);
        for s in cut.iter_mut().skip(i + 2) {
            s.profile = vec![0; 200];
        }
        assert_eq!(went_out(&cut, i, v), None);
    }

    #[test]
    fn faint_lines_climbing_at_one_speed_are_credits_and_a_still_page_is_not() {
        let h = 200;
        let mut roll: Vec<Sample> = (0..5)
            .map(|k| {
                let y = 150 - 10 * k;
                rows(f64::from(k as u8) * 0.5, h, y, y + 40, 0.3)
            })
            .collect();
        mark_scrolls(&mut roll);
        assert!(roll[1..4].iter().all(|s| s.kind == Kind::Text && s.scroll));
        // The same faint lines standing still.
        let mut still: Vec<Sample> = (0..5)
            .map(|k| rows(f64::from(k as u8) * 0.5, h, 100, 140, 0.3))
            .collect();
        mark_scrolls(&mut still);
        assert!(still.iter().all(|s| s.kind == Kind::Picture));
        // Lines that speed up (a camera tilt) are not a roll.
        let mut tilt: Vec<Sample> = [150, 145, 130, 100, 50]
            .iter()
            .enumerate()
            .map(|(k, &y)| rows(k as f64 * 0.5, h, y, y + 40, 0.3))
            .collect();
        mark_scrolls(&mut tilt);
        assert!(tilt.iter().all(|s| s.kind == Kind::Picture));
    }
}

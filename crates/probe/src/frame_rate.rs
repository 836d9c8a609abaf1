//! The frame rate a person would name, measured from the first frames' timestamps.
//!
//! FFmpeg's `avg_frame_rate` divides a frame count by a header duration (29.41 for a 29.97 clip
//! whose edit list is longer than its frames) and its `r_frame_rate` is often the time base
//! (1000 fps in Matroska and FLV). The spacing of the frames themselves is what plays: its
//! typical value gives the rate, snapped to a standard rate when the time base's rounding
//! cannot tell them apart, and its spread tells a constant rate from a variable one.

/// The rates people name, in the order they are preferred when two fit equally.
const STANDARD: &[(f64, f64)] = &[
    (24.0, 1.0),
    (25.0, 1.0),
    (30.0, 1.0),
    (50.0, 1.0),
    (60.0, 1.0),
    (24000.0, 1001.0),
    (30000.0, 1001.0),
    (60000.0, 1001.0),
    (48.0, 1.0),
    (48000.0, 1001.0),
    (100.0, 1.0),
    (120.0, 1.0),
    (120000.0, 1001.0),
    (240.0, 1.0),
    (15.0, 1.0),
    (12.5, 1.0),
    (12.0, 1.0),
    (10.0, 1.0),
    (8.0, 1.0),
    (6.0, 1.0),
    (5.0, 1.0),
    (1.0, 1.0),
];

/// Two frame spacings this far apart (relative) are the same rate with jitter a viewer cannot
/// see, as long as it is also within the time base's rounding.
const SAME_SPACING: f64 = 0.015;
/// How far a measured constant rate may be from the standard rate it is named after: a camera
/// clock 0.1 % fast or slow (29.99 or 30.03 for 30) is the rate; 29.917 is not 29.97. 29.97 and
/// 30 are 0.1 % apart too, and the nearer standard rate always wins.
const SNAP: f64 = 0.00101;
/// A variable-rate file's typical rate is named after the nearest standard rate this close.
const SNAP_VARIABLE: f64 = 0.01;
/// How far timestamps on a millisecond (or coarser) clock may stray from the rate the header
/// states, relative, and the header's rate still stand.
const HINT_ON_COARSE_CLOCK: f64 = 0.0025;
/// … and on a finer clock (less than the 0.1 % between 29.97 and 30, so a header saying 30
/// never names frames 1001/30000 s apart).
const HINT: f64 = 0.0005;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameRate {
    pub fps: Option<f64>,
    pub mode: Option<&'static str>,
    pub fps_min: Option<f64>,
    pub fps_max: Option<f64>,
    pub pulldown: Option<&'static str>,
}

/// Measures the rate from presentation timestamps (`pts`, in units of `tick` seconds).
/// `cut` says the list stopped at a bound rather than at the end of the stream: with B-frames,
/// a frame due before the last timestamps read may not have been read yet. `hints` are the
/// header's rates, preferred when the timestamps fit them. `sample_ticks` is how long the
/// first frame lasts as the file states it (its packet's duration), which is all a stream of
/// one frame has to tell its rate by.
pub fn measure(
    pts: &[i64],
    tick: f64,
    cut: bool,
    hints: &[f64],
    sample_ticks: Option<i64>,
) -> FrameRate {
    if !(tick > 0.0 && tick.is_finite()) {
        return FrameRate::default();
    }
    let mut ts: Vec<i64> = pts.to_vec();
    ts.sort_unstable();
    ts.dedup();
    if cut {
        // B-frame pyramids reorder at most a few frames.
        ts.truncate(ts.len().saturating_sub(4));
    }
    let single = || FrameRate {
        fps: sane_hint(hints, tick).or_else(|| stated_rate(sample_ticks, tick, hints)),
        ..Default::default()
    };
    let raw: Vec<f64> = ts.windows(2).map(|w| (w[1] - w[0]) as f64 * tick).collect();
    if raw.is_empty() {
        return single();
    }
    // Frames that share a moment with the one before (VP9's hidden alt-ref frames sit 1 ms
    // from the frame they belong to) are not frames a viewer sees.
    let typical = median(&raw);
    let mut kept = vec![ts[0]];
    for &t in &ts[1..] {
        let last = *kept.last().unwrap_or(&t);
        if ((t - last) as f64 * tick) >= 0.1 * typical {
            kept.push(t);
        }
    }
    let deltas: Vec<f64> = kept
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 * tick)
        .collect();
    if deltas.is_empty() {
        return single();
    }
    // Timestamps rounded to a coarser clock than the time base (whole milliseconds written
    // in 1/16000 units) round with that clock's step.
    let steps: Vec<i64> = kept.windows(2).map(|w| w[1] - w[0]).collect();
    let step = steps.iter().fold(0, |g, &d| gcd(g, d)) as f64 * tick;
    let m = median(&deltas);
    let tick = if step > tick && step <= m / 8.0 {
        step
    } else {
        tick
    };
    // A clock with fewer than three ticks to a frame cannot round a rate evenly: 24 frames a
    // second on a 1/30 s clock are one and two ticks apart, which is how they play. There only
    // the same number of ticks is the same spacing.
    let coarse = 3.0 * tick > m;
    let slack = |n: f64| {
        if coarse {
            0.5 * tick
        } else {
            (1.5 * tick).max(SAME_SPACING * n)
        }
    };
    let near = |d: f64, n: f64| (d - n).abs() <= slack(n);
    let typical: Vec<f64> = deltas.iter().copied().filter(|&d| near(d, m)).collect();
    let mut spacing = typical.iter().sum::<f64>() / typical.len() as f64;
    // A gap of a whole number of frames is a dropped frame of a constant-rate clock.
    let whole = |d: f64, n: f64| (d / n).round().max(1.0);
    let regular = |d: f64, n: f64| {
        let k = whole(d, n);
        k <= 50.0 && (d - k * n).abs() <= slack(n)
    };
    let mut pulldown = None;
    let odd: Vec<f64> = deltas
        .iter()
        .copied()
        .filter(|&d| !regular(d, spacing))
        .collect();
    // A few frames late or early (a 61 ms step in a 25 fps Matroska, a phone's first frame
    // held half a frame longer) do not make the clock variable: one in twelve at most, each
    // within a frame of where it was due.
    let late = |d: f64| d > 0.5 * spacing && d < 2.0 * spacing;
    let mut constant = odd.len() <= deltas.len() / 12 && odd.iter().all(|&d| late(d));
    if !constant && deltas.len() >= 4 {
        // 3:2 pulldown flagged for display: frames shown for three fields, then two, so their
        // spacing alternates 1.5 : 1 around the film rate.
        let short = deltas.iter().copied().fold(f64::INFINITY, f64::min);
        let alternates = deltas
            .iter()
            .all(|&d| near(d, short) || near(d, 1.5 * short))
            && deltas
                .windows(2)
                .all(|w| near(w[0], short) != near(w[1], short));
        if alternates {
            pulldown = Some("soft");
            constant = true;
            let pairs: Vec<f64> = deltas.chunks_exact(2).map(|c| c[0] + c[1]).collect();
            spacing = pairs.iter().sum::<f64>() / (2 * pairs.len()) as f64;
        }
    }
    if constant && pulldown.is_none() && cadence(&deltas, spacing, &regular, &whole) {
        // Gaps at an even beat are not dropped frames but a slower rate on a finer clock
        // (24 fps on a 1/30 s grid: a gap every fourth frame), which plays unevenly.
        constant = false;
    }
    if !constant {
        // A variable rate has no exact spacing: its typical one is the mean spacing, frames
        // held far longer than the others (a phone's first frame, a pause) left out.
        let around: Vec<f64> = deltas.iter().copied().filter(|&d| d <= 2.0 * m).collect();
        spacing = around.iter().sum::<f64>() / around.len().max(1) as f64;
    }
    let measured = 1.0 / spacing;
    // How far the mean spacing may be off through the rounding of each timestamp.
    let rounding = 2.0 * tick / (spacing * typical.len().max(1) as f64);
    let tolerance = if constant {
        rounding.max(SNAP)
    } else {
        rounding.max(SNAP_VARIABLE)
    };
    let fps = if constant {
        // A millisecond clock rounds every timestamp, and an edit shifts some: there the
        // header's own rate stands when the timestamps come within a quarter percent of it.
        let trusted = if tick >= 0.0005 {
            rounding.max(HINT_ON_COARSE_CLOCK)
        } else {
            rounding.max(HINT)
        };
        snap(measured, tolerance, trusted, hints, tick)
    } else {
        // Phones name their variable rates 24, 30 or 60: the first standard rate that is close.
        STANDARD
            .iter()
            .map(|(n, d)| n / d)
            .find(|&r| ((measured - r) / r).abs() <= tolerance)
            .unwrap_or_else(|| round3(measured))
    };
    let enough = deltas.len() >= 2;
    let (fps_min, fps_max) = if constant || !enough {
        (Some(fps), Some(fps))
    } else {
        let longest = deltas.iter().copied().fold(0.0, f64::max);
        let shortest = deltas.iter().copied().fold(f64::INFINITY, f64::min);
        (Some(round3(1.0 / longest)), Some(round3(1.0 / shortest)))
    };
    FrameRate {
        fps: Some(fps),
        mode: enough.then_some(if constant { "constant" } else { "variable" }),
        fps_min,
        fps_max,
        pulldown,
    }
}

/// Whether the gaps of a regular stream fall at an even beat: at least three, all of the same
/// length, with the runs of frames between them differing by one frame at most (as a slower
/// rate resampled onto a finer clock spreads them), and no run before the first or after the
/// last longer than the others. Frames dropped by a busy encoder fall anywhere.
fn cadence(
    deltas: &[f64],
    spacing: f64,
    regular: &dyn Fn(f64, f64) -> bool,
    whole: &dyn Fn(f64, f64) -> f64,
) -> bool {
    let gaps: Vec<(usize, f64)> = deltas
        .iter()
        .enumerate()
        .filter(|(_, &d)| regular(d, spacing) && whole(d, spacing) >= 2.0)
        .map(|(i, &d)| (i, whole(d, spacing)))
        .collect();
    if gaps.len() < 3 || gaps.iter().any(|&(_, k)| k != gaps[0].1) {
        return false;
    }
    let runs: Vec<usize> = gaps.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let (shortest, longest) = (
        runs.iter().copied().min().unwrap_or(0),
        runs.iter().copied().max().unwrap_or(0),
    );
    let before = gaps[0].0 + 1;
    let after = deltas.len() - gaps[gaps.len() - 1].0;
    longest - shortest <= 1 && before <= longest && after <= longest
}

/// The rate a single frame's stated length gives, when it is one a person could name.
fn stated_rate(sample_ticks: Option<i64>, tick: f64, hints: &[f64]) -> Option<f64> {
    let seconds = sample_ticks.filter(|&d| d > 0)? as f64 * tick;
    let rate = 1.0 / seconds;
    (rate.is_finite() && (0.5..=1000.0).contains(&rate)).then(|| snap(rate, SNAP, SNAP, hints, 0.0))
}

/// The header's rate, when it is one a person could name (not the time base, not absurd).
pub fn sane_hint(hints: &[f64], tick: f64) -> Option<f64> {
    hints
        .iter()
        .copied()
        .find(|&r| r.is_finite() && r > 0.0 && r <= 1000.0 && (r * tick - 1.0).abs() > 1e-6)
}

/// The rate a measured one is named: the header's when it fits within `trusted` (exactly,
/// when it is a standard rate), else the standard rate within `tolerance`, else the measured
/// rate itself.
fn snap(measured: f64, tolerance: f64, trusted: f64, hints: &[f64], tick: f64) -> f64 {
    let off = |r: f64| ((measured - r) / r).abs();
    let header = hints
        .iter()
        .copied()
        .filter(|&r| sane_hint(&[r], tick).is_some())
        .filter(|&h| off(h) <= trusted)
        .min_by(|a, b| off(*a).total_cmp(&off(*b)));
    let standard = |h: f64| STANDARD.iter().find(|(n, d)| (n / d - h).abs() < 1e-3);
    if let Some(&(n, d)) = header.and_then(standard) {
        // The header names the same rate more exactly than the rounding lets one measure it.
        return n / d;
    }
    let best = STANDARD
        .iter()
        .map(|(n, d)| n / d)
        .filter(|&r| off(r) <= tolerance)
        .min_by(|a, b| off(*a).total_cmp(&off(*b)));
    // A rate of the header's own that no standard one is near (42 ms frames, 23.81) is named
    // as the header states it.
    best.or(header.map(round3))
        .unwrap_or_else(|| round3(measured))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(deltas: &[i64]) -> Vec<i64> {
        let mut t = vec![0];
        for d in deltas {
            t.push(t.last().unwrap() + d);
        }
        t
    }

    #[test]
    fn millisecond_rounding_of_30_fps_is_30() {
        let pts: Vec<i64> = (0..30)
            .map(|i| (i as f64 * 1000.0 / 30.0).round() as i64)
            .collect();
        let r = measure(&pts, 0.001, false, &[1000.0], None);
        assert_eq!(r.fps, Some(30.0));
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn milliseconds_written_in_a_finer_time_base_round_like_milliseconds() {
        let pts: Vec<i64> = (0..40)
            .map(|i| (i as f64 * 1000.0 / 30.0).round() as i64 * 16)
            .collect();
        let r = measure(&pts, 1.0 / 16000.0, false, &[], None);
        assert_eq!((r.fps, r.mode), (Some(30.0), Some("constant")));
    }

    #[test]
    fn ntsc_spacing_is_29_97() {
        let pts: Vec<i64> = (0..30).map(|i| i * 1001).collect();
        let r = measure(&pts, 1.0 / 30000.0, false, &[29.41], None);
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9);
    }

    #[test]
    fn a_dropped_frame_keeps_the_rate_constant() {
        let mut d = vec![3750; 20];
        d[5] = 11250;
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[], None);
        assert_eq!((r.fps, r.mode), (Some(24.0), Some("constant")));
    }

    #[test]
    fn a_held_first_frame_is_a_variable_rate() {
        let r = measure(
            &times(&[29281, 3000, 3000, 3000, 3000, 3000]),
            1.0 / 90000.0,
            false,
            &[],
            None,
        );
        assert_eq!((r.fps, r.mode), (Some(30.0), Some("variable")));
        assert!(r.fps_min.unwrap() < 4.0);
    }

    #[test]
    fn soft_telecine_is_the_film_rate() {
        let d: Vec<i64> = (0..40)
            .map(|i| if i % 2 == 0 { 4504 } else { 3003 })
            .collect();
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[], None);
        assert!((r.fps.unwrap() - 24000.0 / 1001.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.pulldown, Some("soft"));
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn jittery_phone_spacing_is_variable() {
        let d = [16100, 17200, 16500, 16900, 16200, 17100, 16600, 16700];
        let r = measure(&times(&d), 1e-6, false, &[], None);
        assert_eq!((r.fps, r.mode), (Some(60.0), Some("variable")));
        assert!(
            r.fps_min.unwrap() < 58.2 && r.fps_max.unwrap() > 62.0,
            "{r:?}"
        );
    }

    #[test]
    fn no_frames_fall_back_to_a_sane_header_rate_only() {
        assert_eq!(
            measure(&[], 1.0 / 15360.0, false, &[15360.0], None).fps,
            None
        );
        assert_eq!(measure(&[0], 0.001, false, &[25.0], None).fps, Some(25.0));
    }

    #[test]
    fn one_frame_is_named_by_its_stated_length() {
        // An MXF of one frame: its rate is its time base, which alone says nothing.
        let r = measure(&[0], 1.0 / 24.0, false, &[24.0], Some(1));
        assert_eq!((r.fps, r.mode), (Some(24.0), None));
        let r = measure(&[0], 1.0 / 30000.0, false, &[], Some(1001));
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9, "{r:?}");
        assert_eq!(measure(&[0], 0.001, false, &[], None).fps, None);
    }

    #[test]
    fn a_film_rate_on_a_video_clock_is_variable() {
        // 24 fps stamped on a 1/30 s clock: steps of 1, 1, 1 and 2 ticks.
        let pts: Vec<i64> = (0..48)
            .map(|i| (i as f64 * 30.0 / 24.0).round() as i64)
            .collect();
        let r = measure(&pts, 1.0 / 30.0, false, &[30.0, 24.0], None);
        assert_eq!((r.fps, r.mode), (Some(24.0), Some("variable")), "{r:?}");
        assert_eq!((r.fps_min, r.fps_max), (Some(15.0), Some(30.0)));
    }

    #[test]
    fn frames_dropped_anywhere_keep_the_grid() {
        let mut d = vec![1001; 47];
        for i in [3, 4, 9, 20, 21, 22, 30, 41] {
            d[i] = 2002;
        }
        d[21] = 3003;
        let r = measure(&times(&d), 1.0 / 30000.0, false, &[], None);
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn one_late_frame_keeps_the_rate_constant() {
        // 25 fps in milliseconds with one 61 ms step, the frames after it 21 ms late.
        let mut d = vec![40; 47];
        d[12] = 61;
        let r = measure(&times(&d), 0.001, false, &[1000.0], None);
        assert_eq!((r.fps, r.mode), (Some(25.0), Some("constant")), "{r:?}");
        // A phone's first frame half a frame late, and two frames dropped later on.
        let mut d = vec![3003; 27];
        d[0] = 4649;
        d[15] = 9009;
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[], None);
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn a_clock_a_little_fast_is_the_rate_it_runs_near() {
        // 2997/90000 s is 30.03 fps: a 30 fps camera clock 0.1 % fast.
        let d = vec![2997; 40];
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[], None);
        assert_eq!(r.fps, Some(30.0), "{r:?}");
        // 29.97 is 0.1 % from 30: a header saying 30 does not make it 30.
        let d = vec![3003; 40];
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[30.0], None);
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn a_header_rate_stands_within_millisecond_rounding() {
        // 42 ms frames (23.81 fps) with a few stamped a millisecond late.
        let mut d = vec![42; 47];
        for i in [5, 17, 30, 44] {
            d[i] = 43;
        }
        let r = measure(&times(&d), 0.001, false, &[1000.0 / 42.0], None);
        assert_eq!((r.fps, r.mode), (Some(23.81), Some("constant")), "{r:?}");
    }
}

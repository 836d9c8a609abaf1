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
/// The smallest relative difference between a measured rate and the standard rate it is
/// snapped to: 29.99 (a 30 fps camera clock at 3001/90000) is 30, 29.917 is not 29.97.
const SNAP: f64 = 0.0005;
/// A variable-rate file's typical rate is named after the nearest standard rate this close.
const SNAP_VARIABLE: f64 = 0.01;

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
/// header's rates, preferred when the timestamps fit them.
pub fn measure(pts: &[i64], tick: f64, cut: bool, hints: &[f64]) -> FrameRate {
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
    let raw: Vec<f64> = ts.windows(2).map(|w| (w[1] - w[0]) as f64 * tick).collect();
    if raw.is_empty() {
        return FrameRate {
            fps: sane_hint(hints, tick),
            ..Default::default()
        };
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
        return FrameRate {
            fps: sane_hint(hints, tick),
            ..Default::default()
        };
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
    let near = |d: f64, n: f64| (d - n).abs() <= (1.5 * tick).max(SAME_SPACING * n);
    let typical: Vec<f64> = deltas.iter().copied().filter(|&d| near(d, m)).collect();
    let mut spacing = typical.iter().sum::<f64>() / typical.len() as f64;
    // A gap of a whole number of frames is a dropped frame of a constant-rate clock.
    let regular = |d: f64, n: f64| {
        let k = (d / n).round().max(1.0);
        k <= 50.0 && (d - k * n).abs() <= (1.5 * tick).max(SAME_SPACING * n)
    };
    let mut pulldown = None;
    let mut constant = deltas.iter().all(|&d| regular(d, spacing));
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
        snap(measured, tolerance, hints, tick)
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

/// The header's rate, when it is one a person could name (not the time base, not absurd).
pub fn sane_hint(hints: &[f64], tick: f64) -> Option<f64> {
    hints
        .iter()
        .copied()
        .find(|&r| r.is_finite() && r > 0.0 && r <= 1000.0 && (r * tick - 1.0).abs() > 1e-6)
}

fn snap(measured: f64, tolerance: f64, hints: &[f64], tick: f64) -> f64 {
    let off = |r: f64| ((measured - r) / r).abs();
    if let Some(h) = sane_hint(hints, tick).filter(|&h| off(h) <= tolerance) {
        // The header names the same rate more exactly than the rounding lets one measure it.
        if let Some(&(n, d)) = STANDARD.iter().find(|(n, d)| (n / d - h).abs() < 1e-3) {
            return n / d;
        }
    }
    let best = STANDARD
        .iter()
        .map(|(n, d)| n / d)
        .filter(|&r| off(r) <= tolerance)
        .min_by(|a, b| off(*a).total_cmp(&off(*b)));
    best.unwrap_or_else(|| round3(measured))
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
        let r = measure(&pts, 0.001, false, &[1000.0]);
        assert_eq!(r.fps, Some(30.0));
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn milliseconds_written_in_a_finer_time_base_round_like_milliseconds() {
        let pts: Vec<i64> = (0..40)
            .map(|i| (i as f64 * 1000.0 / 30.0).round() as i64 * 16)
            .collect();
        let r = measure(&pts, 1.0 / 16000.0, false, &[]);
        assert_eq!((r.fps, r.mode), (Some(30.0), Some("constant")));
    }

    #[test]
    fn ntsc_spacing_is_29_97() {
        let pts: Vec<i64> = (0..30).map(|i| i * 1001).collect();
        let r = measure(&pts, 1.0 / 30000.0, false, &[29.41]);
        assert!((r.fps.unwrap() - 30000.0 / 1001.0).abs() < 1e-9);
    }

    #[test]
    fn a_dropped_frame_keeps_the_rate_constant() {
        let mut d = vec![3750; 20];
        d[5] = 11250;
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[]);
        assert_eq!((r.fps, r.mode), (Some(24.0), Some("constant")));
    }

    #[test]
    fn a_held_first_frame_is_a_variable_rate() {
        let r = measure(
            &times(&[29281, 3000, 3000, 3000, 3000, 3000]),
            1.0 / 90000.0,
            false,
            &[],
        );
        assert_eq!((r.fps, r.mode), (Some(30.0), Some("variable")));
        assert!(r.fps_min.unwrap() < 4.0);
    }

    #[test]
    fn soft_telecine_is_the_film_rate() {
        let d: Vec<i64> = (0..40)
            .map(|i| if i % 2 == 0 { 4504 } else { 3003 })
            .collect();
        let r = measure(&times(&d), 1.0 / 90000.0, false, &[]);
        assert!((r.fps.unwrap() - 24000.0 / 1001.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.pulldown, Some("soft"));
        assert_eq!(r.mode, Some("constant"));
    }

    #[test]
    fn jittery_phone_spacing_is_variable() {
        let d = [16100, 17200, 16500, 16900, 16200, 17100, 16600, 16700];
        let r = measure(&times(&d), 1e-6, false, &[]);
        assert_eq!((r.fps, r.mode), (Some(60.0), Some("variable")));
        assert!(
            r.fps_min.unwrap() < 58.2 && r.fps_max.unwrap() > 62.0,
            "{r:?}"
        );
    }

    #[test]
    fn no_frames_fall_back_to_a_sane_header_rate_only() {
        assert_eq!(measure(&[], 1.0 / 15360.0, false, &[15360.0]).fps, None);
        assert_eq!(measure(&[0], 0.001, false, &[25.0]).fps, Some(25.0));
    }
}

//! `reelcheck credits FILE --explain`: what the credits detector saw at each sampled time, so
//! a miss or a false find can be understood without reading the detector.

use crate::rules::units::trim_num;
use reelcheck_probe::credits::features::{scroll_shift, Kind, Polarity};
use reelcheck_probe::credits::Trace;
use std::fmt::Write as _;

pub fn render(trace: &Trace) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  evidence   {} pictures looked at, {} decoded",
        trace.samples.len(),
        trace.decoded
    );
    let _ = writeln!(
        out,
        "  {:>9}  {:<7} {:>5} {:>6} {:>5}  {:<13} motion",
        "time", "kind", "score", "rows", "lines", "polarity"
    );
    let mut prev: Option<&reelcheck_probe::credits::segment::Sample> = None;
    for s in &trace.samples {
        let kind = match s.kind {
            Kind::Text => "text",
            Kind::Black => "black",
            Kind::Picture => "picture",
        };
        let polarity = match s.polarity {
            Polarity::LightOnDark => "light on dark",
            Polarity::DarkOnLight => "dark on light",
            Polarity::Unclear => "-",
        };
        let scroll = prev
            .filter(|p| p.lines > 0 && s.lines > 0 && s.t > p.t)
            .and_then(|p| {
                let shift = scroll_shift(&p.profile, &s.profile)?;
                let h = s.profile.len().max(1) as f64;
                let per_s = 100.0 * shift as f64 / h / (s.t - p.t);
                let dir = if shift > 0 { "up" } else { "down" };
                Some(format!(
                    "rows move {dir} {} % of height/s",
                    trim_num(per_s.abs(), 0)
                ))
            })
            .unwrap_or_else(|| "-".into());
        // Text seen only by comparing with an earlier picture says so: it is the evidence.
        let motion = if s.overlay {
            "lines stay put while the picture moves".to_string()
        } else if s.scroll {
            format!("faint lines climb with their neighbours: {scroll}")
        } else {
            scroll
        };
        let _ = writeln!(
            out,
            "  {:>8}s  {:<7} {:>5} {:>5}% {:>5}  {:<13} {motion}",
            trim_num(s.t, 2),
            kind,
            trim_num(s.text, 2),
            trim_num(100.0 * s.rows, 0),
            s.lines,
            polarity
        );
        prev = Some(s);
    }
    out
}

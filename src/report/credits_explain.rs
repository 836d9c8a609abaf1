//! `reelcheck credits FILE --explain`: what the credits detector saw at each sampled time, so
//! a miss or a false find can be understood without reading the detector.

use reelcheck_facts::credits_trace::CreditsTrace;
use reelcheck_facts::units::trim_num;
use std::fmt::Write as _;

pub fn render(trace: &CreditsTrace) -> String {
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
    for s in &trace.samples {
        let scroll = s
            .rows_move_per_s
            .map(|v| {
                let dir = if v > 0.0 { "up" } else { "down" };
                format!(
                    "rows move {dir} {} % of height/s",
                    trim_num((100.0 * v).abs(), 0)
                )
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
            s.kind,
            trim_num(s.score, 2),
            trim_num(100.0 * s.rows, 0),
            s.lines,
            s.polarity.as_deref().unwrap_or("-")
        );
    }
    out
}

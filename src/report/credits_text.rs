//! `reelcheck credits FILE`: the credits segment in words, and the thumbnails written. Values
//! from the file are put on one line each; `output::Sink` escapes control characters.

use crate::output::one_line;
use reelcheck_facts::units::{show_duration, trim_num};
use reelcheck_facts::Facts;
use std::fmt::Write as _;
use std::path::PathBuf;

pub fn render(f: &Facts, frames: &[PathBuf]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", one_line(&f.path));
    let Some(c) = &f.credits else {
        return out;
    };
    let runtime = f.container.as_ref().and_then(|c| c.duration_s);
    if c.present {
        let _ = writeln!(
            out,
            "  credits    {} – {} ({}), at the {}",
            c.start_s.map(show_duration).unwrap_or_default(),
            c.end_s.map(show_duration).unwrap_or_default(),
            c.duration_s.map(show_duration).unwrap_or_default(),
            one_line(&c.position)
        );
        if let (Some(share), Some(rt)) = (c.share, runtime) {
            let _ = writeln!(
                out,
                "  share      {} % of {}",
                trim_num(share * 100.0, 0),
                show_duration(rt)
            );
        }
    } else {
        let _ = writeln!(out, "  credits    none found");
    }
    if let Some(o) = &c.opening {
        let _ = writeln!(
            out,
            "  opening    {} – {}",
            show_duration(o.start_s),
            show_duration(o.end_s)
        );
    }
    let _ = writeln!(
        out,
        "  method     {}, confidence {}",
        one_line(&c.method),
        trim_num(c.confidence, 2)
    );
    for p in frames {
        let _ = writeln!(out, "  frame      {}", one_line(&p.display().to_string()));
    }
    out
}

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
    if let Some(b) = c.basis.as_deref().filter(|_| c.present) {
        let _ = writeln!(out, "  basis      {}", basis_in_words(b));
    }
    for p in frames {
        let _ = writeln!(out, "  frame      {}", one_line(&p.display().to_string()));
    }
    out
}

/// What made the end credits credits, as a reader is told it: how sure it is goes with it.
fn basis_in_words(basis: &str) -> String {
    match basis {
        "words" => "words of credits were read in them".into(),
        "roll" => "they roll up at a steady speed, as credits do".into(),
        "signature" => {
            "nothing read says credits, but they sign the film (a logo, an address or a handle)"
                .into()
        }
        "card" => "only their layout: a card at the end, with nothing read that says credits; \
                   check them by eye"
            .into(),
        "chapter" => "a chapter the file names as credits".into(),
        other => one_line(other).to_string(),
    }
}

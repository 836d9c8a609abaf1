//! The single-file commands: `reelcheck probe` and `reelcheck credits`.

use super::{audio_options, emit, parse_with, provenance_options};
use crate::cli::{CreditsArgs, ProbeArgs, ReportFormat};
use crate::exit_codes::ExitCode;
use crate::probe::{self, Needs};
use crate::report::{self};
use anyhow::Result;

pub(super) fn probe(args: ProbeArgs) -> Result<ExitCode> {
    provenance_options(&args.provenance)?;
    audio_options(&args.audio)?;
    let needs = parse_with(args.with.as_deref())?;
    let facts: Vec<_> = {
        use rayon::prelude::*;
        args.files
            .par_iter()
            .map(|f| probe::probe(f, &needs))
            .collect()
    };
    let text = match args.format {
        ReportFormat::Json => report::json::facts(&facts)?,
        ReportFormat::Text => report::probe_text::render(&facts),
    };
    emit(&text);
    Ok(if facts.iter().any(|f| f.error.is_some()) {
        ExitCode::Failure
    } else {
        ExitCode::Success
    })
}

pub(super) fn credits(args: CreditsArgs) -> Result<ExitCode> {
    let mut needs = Needs::header_only();
    needs.insert(probe::Analyzer::Credits);
    let facts = probe::probe(&args.file, &needs);
    if let Some(e) = &facts.error {
        eprintln!("reelcheck: {}: {e}", args.file.display());
        return Ok(ExitCode::Failure);
    }
    let credits = facts.credits.clone().unwrap_or_default();
    let mut written = Vec::new();
    if let Some(dir) = &args.frames {
        written = probe::credits::write_frames(&args.file, &credits, dir)
            .map_err(|e| anyhow::anyhow!("{}: {}", args.file.display(), probe::one_line(&e)))?;
    }
    let text = match args.format {
        ReportFormat::Json => {
            let mut v = serde_json::to_value(&credits)?;
            if args.frames.is_some() {
                v["frames"] = serde_json::json!(written);
            }
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        ReportFormat::Text => {
            let mut text = report::credits_text::render(&facts, &written);
            if args.explain {
                text.push_str(&explain(&args.file, &facts)?);
            }
            text
        }
    };
    emit(&text);
    Ok(ExitCode::Success)
}

/// The detector's evidence, from a second, traced run of the same analysis.
fn explain(file: &std::path::Path, facts: &crate::facts::Facts) -> Result<String> {
    let duration = facts
        .container
        .as_ref()
        .and_then(|c| c.duration_s)
        .or_else(|| facts.video.iter().find_map(|v| v.duration_s))
        .unwrap_or(f64::NAN);
    let (_, trace) = probe::credits::analyze_traced(file, duration, &facts.chapters)
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), probe::one_line(&e)))?;
    Ok(report::credits_explain::render(&trace))
}

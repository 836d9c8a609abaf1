//! The single-file commands: `reelcheck probe` and `reelcheck credits`. They read media through
//! the same prober as `check`, in worker processes by default, so a crashing decoder costs a
//! one-line error rather than the command.

use super::config::{parse_with, probe_settings, prober};
use super::emit_as;
use crate::cli::{CreditsArgs, ProbeArgs, ReportFormat};
use crate::exit_codes::ExitCode;
use crate::output::Content;
use crate::report;
use crate::run::prober::Prober;
use anyhow::Result;
use reelcheck_facts::protocol::ExplainCredits;
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{self as probe, credits, ProbeSettings};
use std::sync::Mutex;

pub(super) fn probe(args: ProbeArgs) -> Result<ExitCode> {
    let config = probe_settings(
        parse_with(args.with.as_deref())?,
        &args.provenance,
        &args.audio,
    )?;
    let prober = prober(None, args.in_process, None);
    let stop = crate::interrupt::install();
    let slots = Mutex::new(vec![None; args.files.len()]);
    prober.probe_all(
        &args.files,
        &config,
        stop,
        &|i, facts| {
            slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(facts);
        },
        None,
    )?;
    let facts: Vec<_> = slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .zip(&args.files)
        .map(|(f, path)| {
            f.unwrap_or_else(|| {
                let failed = reelcheck_facts::failure::Failed::new(
                    reelcheck_facts::failure::Failure::Interrupted,
                    "not probed: the run was interrupted",
                );
                reelcheck_facts::Facts::failed_by(path, failed)
            })
        })
        .collect();
    let (text, content) = match args.format {
        ReportFormat::Json => (report::json::facts(&facts)?, Content::Data),
        ReportFormat::Text => (report::probe_text::render(&facts), Content::Text),
    };
    emit_as(&text, content)?;
    // As `check` does: a file that is itself unreadable is 1, one that could not be read for
    // a reason not its own (a limit, a crash, a stop) is 4 when no file is unreadable.
    let own = facts
        .iter()
        .filter(|f| f.error.is_some() && !not_the_files_fault(f))
        .count();
    Ok(if own > 0 {
        ExitCode::Failure
    } else if facts.iter().any(not_the_files_fault) {
        ExitCode::NotChecked
    } else {
        ExitCode::Success
    })
}

pub(super) fn credits(args: CreditsArgs) -> Result<ExitCode> {
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Credits);
    let prober = prober(None, args.in_process, None);
    let stop = crate::interrupt::install();
    // The film's fingerprint (for `similar`) is not shown here: not hashing it spares
    // decoding keyframes the credits search does not need (0.7 s of a 15-minute film).
    let mut settings = ProbeSettings::new(needs);
    settings.no_fingerprint = true;
    let facts = prober.probe(&args.file, &settings, stop);
    if let Some(e) = &facts.error {
        crate::output::message(&format!("{}: {e}", args.file.display()));
        return Ok(if not_the_files_fault(&facts) {
            ExitCode::NotChecked
        } else {
            ExitCode::Failure
        });
    }
    let credits = facts.credits.clone().unwrap_or_default();
    let mut written = Vec::new();
    if let Some(dir) = &args.frames {
        let failed =
            |e: &anyhow::Error| anyhow::anyhow!("{}: {}", args.file.display(), probe::one_line(e));
        let grab = credits::frame_grab(&credits);
        if !grab.times.is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| failed(&anyhow::anyhow!("cannot create {}: {e}", dir.display())))?;
            let stills = prober
                .grab(&args.file, &grab, stop)
                .map_err(|e| failed(&e))?;
            written = credits::write_frames(dir, stills).map_err(|e| failed(&e))?;
        }
    }
    let (text, content) = match args.format {
        ReportFormat::Json => {
            let mut v = serde_json::to_value(&credits)?;
            if args.frames.is_some() {
                v["frames"] = serde_json::json!(written);
            }
            (
                format!("{}\n", serde_json::to_string_pretty(&v)?),
                Content::Data,
            )
        }
        ReportFormat::Text => {
            let trace = match args.explain {
                true => Some(explain(prober.as_ref(), &args.file, &facts, stop)?),
                false => None,
            };
            // With --frames, the pictures the text detector looked at too, its boxes drawn.
            if let (Some(dir), Some(trace)) = (&args.frames, &trace) {
                let grab = credits::detector_grab(trace);
                if !grab.times.is_empty() {
                    let failed = |e: &anyhow::Error| {
                        anyhow::anyhow!("{}: {}", args.file.display(), probe::one_line(e))
                    };
                    std::fs::create_dir_all(dir).map_err(|e| {
                        failed(&anyhow::anyhow!("cannot create {}: {e}", dir.display()))
                    })?;
                    let stills = prober
                        .grab(&args.file, &grab, stop)
                        .map_err(|e| failed(&e))?;
                    written.extend(
                        credits::write_detector_frames(dir, stills).map_err(|e| failed(&e))?,
                    );
                }
            }
            let mut text = report::credits_text::render(&facts, &written);
            if let Some(trace) = &trace {
                text.push_str(&report::credits_explain::render(
                    trace,
                    facts.credits.as_ref(),
                ));
            }
            (text, Content::Text)
        }
    };
    emit_as(&text, content)?;
    Ok(ExitCode::Success)
}

/// The detector's evidence, from a second, traced run of the same analysis, in a worker with
/// the same limits as the probe: the film is parsed again.
fn explain(
    prober: &dyn Prober,
    file: &std::path::Path,
    facts: &reelcheck_facts::Facts,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<reelcheck_facts::credits_trace::CreditsTrace> {
    let span = facts.credits_span_s();
    let ask = ExplainCredits {
        duration_s: span.is_finite().then_some(span),
        chapters: facts.chapters.clone(),
        tuning: Default::default(),
    };
    prober
        .explain(file, &ask, stop)
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), probe::one_line(&e)))
}

/// Whether the facts failed for a reason that is not the file's (see `ExitCode::NotChecked`).
fn not_the_files_fault(facts: &reelcheck_facts::Facts) -> bool {
    facts.error.is_some()
        && facts
            .error_code()
            .and_then(reelcheck_facts::failure::Failure::from_code)
            .is_some()
}

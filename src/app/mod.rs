//! What each command does, from parsed arguments to an exit code.

mod check_command;
mod entry_pages;
mod inspect;
mod rules_command;
mod watch_command;
mod write;

use crate::cli::{Cli, Command};
use crate::exit_codes::ExitCode;
use crate::rules::LoadError;
use crate::run::prober::{Isolation, Prober};
use crate::verdict::Report;
use anyhow::Result;
use reelcheck_facts::settings::software;
use reelcheck_facts::Needs;
use reelcheck_probe::{self as probe, ProbeSettings};

/// An error that makes the command itself wrong (exit code 2), already worded for people.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check_command::check(*args),
        Command::Watch(args) => watch_command::watch(*args),
        Command::Probe(args) => inspect::probe(args),
        Command::Merge(args) => write::merge(args),
        Command::Credits(args) => inspect::credits(args),
        Command::Rules { command } => rules_command::run(command),
        Command::Worker => {
            crate::run::worker::serve()?;
            Ok(ExitCode::Success)
        }
    }
}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

fn load_error(e: LoadError) -> anyhow::Error {
    usage(e.to_string())
}

fn parse_with(with: Option<&str>) -> Result<Needs> {
    with.map_or_else(
        || Ok(Needs::default()),
        |w| Needs::parse_list(w).map_err(usage),
    )
}

/// The probe settings the flags ask for, running `needs`.
fn probe_config(
    needs: Needs,
    provenance: &crate::cli::ProvenanceFlags,
    audio: &crate::cli::AudioFlags,
) -> Result<ProbeSettings> {
    let mut config = ProbeSettings::new(needs);
    config.audio = audio.options().map_err(usage)?;
    if let Some(f) = &provenance.software_list {
        let text = crate::settings_file::read_text(f)
            .map_err(|e| usage(format!("cannot read software list {}: {e}", f.display())))?;
        config.software = software::parse(&f.display().to_string(), &text)
            .map_err(|e| usage(probe::one_line(&e)))?;
    }
    if let Some(f) = &provenance.c2pa_trust {
        let pem = crate::settings_file::read_text(f).map_err(|e| {
            usage(format!(
                "cannot read C2PA trust anchors {}: {e}",
                f.display()
            ))
        })?;
        probe::content_credentials::check_trust(&f.display().to_string(), &pem)
            .map_err(|e| usage(probe::one_line(&e)))?;
        config.c2pa_trust = Some(pem);
    }
    Ok(config)
}

/// How files are read: in worker processes (with these limits, or the defaults), or in this
/// one.
fn prober(
    jobs: Option<u32>,
    in_process: bool,
    limits: Option<(std::time::Duration, Option<u64>)>,
) -> Prober {
    let isolation = match (in_process, limits) {
        (true, _) => Isolation::InProcess,
        (false, Some((timeout, memory_limit))) => Isolation::Workers {
            timeout,
            memory_limit,
        },
        (false, None) => Isolation::default(),
    };
    Prober::new(jobs.map(|j| j as usize), isolation)
}

fn outcome(report: &Report) -> ExitCode {
    if report.all_passed() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    }
}

/// Prints text for people on stdout, escaped (see `output`); a failed write is an error.
fn emit(text: &str) -> Result<()> {
    emit_as(text, crate::output::Content::Text)
}

/// Prints `text` on stdout as `content` (JSON keeps its own escaping, see `output`).
fn emit_as(text: &str, content: crate::output::Content) -> Result<()> {
    let mut out = crate::output::Sink::stdout(content);
    out.write(text)?;
    out.finish()?;
    Ok(())
}

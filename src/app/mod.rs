//! What each command does, from parsed arguments to an exit code.

mod arrivals;
mod check_command;
mod config;
mod entry_pages;
mod inspect;
mod rules_command;
mod similar_step;
mod watch_command;
mod write;

use crate::cli::{Cli, Command};
use crate::exit_codes::ExitCode;
use crate::rules::LoadError;
use crate::verdict::Report;
use anyhow::Result;

pub use config::command_line;

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
        Command::Schema { output } => {
            emit_as(
                &crate::report::schema::text(output)?,
                crate::output::Content::Data,
            )?;
            Ok(ExitCode::Success)
        }
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

/// The exit status of a report: a rejection (a failed requirement, a file that is itself
/// unreadable) wins over files that could not be checked for reasons not theirs, so that a
/// script never accepts an upload with a rejected file in it; those alone give `NotChecked`.
fn outcome(report: &Report) -> ExitCode {
    let s = &report.summary;
    if s.failed > 0 || s.errors > s.not_checked {
        ExitCode::Failure
    } else if s.not_checked > 0 {
        ExitCode::NotChecked
    } else {
        ExitCode::Success
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

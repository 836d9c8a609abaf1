//! What each command does, from parsed arguments to an exit code.

use crate::check;
use crate::cli::{CheckArgs, Cli, Command, ProbeArgs, ReportFormat, RulesCommand};
use crate::discover;
use crate::exit_codes::ExitCode;
use crate::probe::{self, Needs};
use crate::report::{self, Exporter};
use crate::rules::{self, builtin, LoadError, RuleSet};
use crate::verdict::{Report, RuleSetInfo};
use anyhow::Result;
use std::io::Write;

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
        Command::Check(args) => check(args),
        Command::Probe(args) => probe(args),
        Command::Rules { command } => rules_command(command),
        Command::Worker {
            with,
            software_list: list,
        } => {
            software_list(list.as_deref())?;
            crate::worker::serve(&parse_with(with.as_deref())?)?;
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

fn software_list(file: Option<&std::path::Path>) -> Result<()> {
    match file {
        Some(f) => probe::software::extend_from_file(f).map_err(|e| usage(probe::one_line(&e))),
        None => Ok(()),
    }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    software_list(args.software_list.as_deref())?;
    let rules = match &args.rules {
        Some(file) => rules::load_file(file),
        None => rules::load_builtin(args.track.name()),
    }
    .map_err(load_error)?;

    let mut needs = if args.quick {
        Needs::header_only()
    } else {
        rules.needs()
    };
    needs.0.extend(parse_with(args.with.as_deref())?.0);

    let found = discover::discover(&args.paths).map_err(|e| usage(e.to_string()))?;
    for folder in &found.empty_folders {
        eprintln!("reelcheck: no media files in {}", folder.display());
    }
    if found.files.is_empty() && found.unreadable.is_empty() {
        return Err(usage("nothing to check: no media files in the given paths"));
    }

    let mut opts = check::Options::new(needs);
    opts.jobs = args.jobs.map(|j| j as usize);
    opts.strict = args.strict;
    opts.isolate = !args.in_process;
    opts.timeout = std::time::Duration::from_secs_f64(args.timeout);
    opts.memory_limit = match args.memory_limit.trim() {
        "none" | "0" => None,
        text => Some(
            crate::rules::units::Kind::Bytes
                .parse(text)
                .map_err(|e| usage(format!("--memory-limit: {e}")))? as u64,
        ),
    };
    if !args.no_cache {
        let dir = args
            .cache_dir
            .clone()
            .or_else(crate::cache::Cache::default_dir);
        opts.cache = dir.map(crate::cache::Cache::open);
    }
    if let Some(path) = &args.journal {
        if args.resume {
            opts.resume = crate::journal::read_done(path)
                .map_err(|e| usage(format!("cannot read the journal {}: {e}", path.display())))?;
        }
        opts.journal = Some(
            crate::journal::Journal::open(path)
                .map_err(|e| usage(format!("cannot write the journal {}: {e}", path.display())))?,
        );
    }

    let stop = crate::interrupt::install();
    let outcome = check::run(&found.files, &rules, &opts, stop, &|_| {})?;
    if outcome.interrupted > 0 {
        eprintln!(
            "reelcheck: interrupted: {} file(s) not checked{}",
            outcome.interrupted,
            if args.journal.is_some() {
                "; run again with --resume to finish"
            } else {
                ""
            }
        );
    }
    let mut files = outcome.reports;
    files.extend(
        found
            .unreadable
            .iter()
            .map(|(p, why)| check::unreadable(p, why)),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let report = Report::new(info(&rules), files);
    let exporter: Box<dyn Exporter> = match args.format {
        ReportFormat::Text => Box::new(report::text::Text {
            verbose: args.verbose,
        }),
        ReportFormat::Json => Box::new(report::json::Json),
    };
    emit(&exporter.render(&report)?);
    Ok(if report.all_passed() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}

fn info(rules: &RuleSet) -> RuleSetInfo {
    RuleSetInfo {
        name: rules.name.clone(),
        track: rules.track.clone(),
        source: rules.source.clone(),
    }
}

fn probe(args: ProbeArgs) -> Result<ExitCode> {
    software_list(args.software_list.as_deref())?;
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

fn rules_command(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List => {
            let mut out = String::new();
            for name in builtin::NAMES {
                let set = rules::load_builtin(name).map_err(load_error)?;
                out.push_str(&format!(
                    "{:<8} {:>2} rules  {}\n",
                    name,
                    set.rules.len(),
                    set.description.as_deref().unwrap_or("")
                ));
            }
            emit(&out);
        }
        RulesCommand::Show { name } => {
            let set = if let Some(text) = builtin::text(&name) {
                emit(text);
                return Ok(ExitCode::Success);
            } else {
                rules::load_file(std::path::Path::new(&name)).map_err(load_error)?
            };
            let mut out = format!("{} ({}): {} rules\n", set.name, set.source, set.rules.len());
            for r in &set.rules {
                out.push_str(&format!(
                    "  {:<7}  {:<22} {} {}\n",
                    r.severity,
                    r.id,
                    r.test.fact,
                    r.test.describe()
                ));
            }
            emit(&out);
        }
        RulesCommand::Validate { file } => match rules::load_file(&file) {
            Ok(set) => {
                emit(&format!(
                    "{}: OK, rule set '{}' with {} rules\n",
                    file.display(),
                    set.name,
                    set.rules.len()
                ));
            }
            Err(e) => {
                for p in &e.problems {
                    eprintln!("{p}");
                }
                if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                    for p in &e.problems {
                        eprintln!("{}", p.render());
                    }
                }
                return Ok(ExitCode::Usage);
            }
        },
    }
    Ok(ExitCode::Success)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

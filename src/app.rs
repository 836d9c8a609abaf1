//! What each command does, from parsed arguments to an exit code.

use crate::check;
use crate::cli::{
    CheckArgs, CheckFormat, Cli, Command, CreditsArgs, MergeArgs, OutputArgs, ProbeArgs,
    ReportFormat, RulesCommand, Track,
};
use crate::discover;
use crate::exit_codes::ExitCode;
use crate::intake::{self, Entry};
use crate::output::Sink;
use crate::probe::{self, Needs};
use crate::report::pictures::Pictures;
use crate::report::{self, Exporter};
use crate::rules::{self, builtin, LoadError, RuleSet};
use crate::verdict::{FileReport, Report, RuleSetInfo};
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;

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
        Command::Merge(args) => merge(args),
        Command::Credits(args) => credits(args),
        Command::Rules { command } => rules_command(command),
        Command::Worker {
            with,
            provenance,
            audio,
        } => {
            provenance_options(&provenance)?;
            audio_options(&audio)?;
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

fn provenance_options(flags: &crate::cli::ProvenanceFlags) -> Result<()> {
    if let Some(f) = &flags.software_list {
        probe::software::extend_from_file(f).map_err(|e| usage(probe::one_line(&e)))?;
    }
    if let Some(f) = &flags.c2pa_trust {
        probe::content_credentials::trust_from_file(f).map_err(|e| usage(probe::one_line(&e)))?;
    }
    Ok(())
}

fn audio_options(flags: &crate::cli::AudioFlags) -> Result<()> {
    probe::audio::configure(flags.options().map_err(usage)?);
    Ok(())
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    provenance_options(&args.provenance)?;
    audio_options(&args.audio)?;
    let per_entry = args.track_from.is_some() || args.manifest.is_some();
    // With a track per entry, every built-in set is loaded (and named in the report) whichever
    // tracks this run or shard meets, so that shard reports merge into the unsharded report.
    let sets: Vec<RuleSet> = match (&args.rules, per_entry) {
        (Some(file), _) => vec![rules::load_file(file).map_err(load_error)?],
        (None, false) => {
            let track = args.track.unwrap_or(Track::Human);
            vec![rules::load_builtin(track.name()).map_err(load_error)?]
        }
        (None, true) => intake::TRACKS
            .iter()
            .map(|t| rules::load_builtin(t).map_err(load_error))
            .collect::<Result<_>>()?,
    };
    let with = parse_with(args.with.as_deref())?;

    let (mut entries, mut unreadable) = gather(&args)?;
    assign_tracks(&args, &sets, &mut entries);
    assign_tracks(&args, &sets, unreadable.iter_mut().map(|(e, _)| e));
    if let Some(shard) = args.shard {
        let total = entries.len() + unreadable.len();
        entries.retain(|e| shard.contains(&e.key));
        unreadable.retain(|(e, _)| shard.contains(&e.key));
        if entries.is_empty() && unreadable.is_empty() {
            eprintln!("reelcheck: shard {shard} holds no file (of {total} in all)");
        }
    }

    let format = output_format(&args.out);
    // Opened before the run, so that an unwritable --output fails before hours of checking.
    let sink = open_output(&args.out)?;
    let (stream, sink) = if format == CheckFormat::Jsonl {
        (Some(LineWriter::start(sink)), None)
    } else {
        (None, Some(sink))
    };
    let base = check_options(&args)?;
    let stop = crate::interrupt::install();
    let mut interrupted = 0;
    let mut files = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        let group: Vec<&Entry> = entries
            .iter()
            .filter(|e| set_for(&sets, e) == Some(i))
            .collect();
        if group.is_empty() {
            continue;
        }
        let mut needs = if args.quick {
            Needs::header_only()
        } else {
            set.needs()
        };
        needs.0.extend(with.0.iter().copied());
        let mut opts = base.clone();
        opts.needs = needs;
        let paths: Vec<_> = group.iter().map(|e| e.path.clone()).collect();
        let on_file = |k: usize, r: &FileReport| {
            if let Some(s) = &stream {
                s.send(with_entry(r.clone(), group[k]));
            }
        };
        let outcome = check::run(&paths, set, &opts, stop, &on_file)?;
        interrupted += outcome.interrupted;
        let reports = outcome.reports;
        files.extend(
            reports
                .into_iter()
                .zip(&group)
                .map(|(r, e)| with_entry(r, e)),
        );
    }
    let untracked = entries.iter().filter(|e| set_for(&sets, e).is_none());
    let not_checked = untracked
        .map(|e| (e, NO_TRACK.to_string()))
        .chain(unreadable.iter().map(|(e, why)| (e, why.clone())));
    for (e, why) in not_checked {
        let r = with_entry(check::unreadable(&e.path, &why), e);
        if let Some(s) = &stream {
            s.send(r.clone());
        }
        files.push(r);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if interrupted > 0 {
        eprintln!(
            "reelcheck: interrupted: {interrupted} file(s) not checked{}",
            if args.journal.is_some() {
                "; run again with --resume to finish"
            } else {
                ""
            }
        );
    }

    let report = if per_entry && args.rules.is_none() {
        Report::by_track(sets.iter().map(info).collect(), files)
    } else {
        Report::new(info(&sets[0]), files)
    };
    if let Some(stream) = stream {
        stream.finish()?;
    }
    if let Some(sink) = sink {
        write_report(&report, format, &args.out, &base, stop, sink)?;
    }
    Ok(outcome(&report))
}

/// Options shared by every group of a run: isolation limits, the cache and the journal.
fn check_options(args: &CheckArgs) -> Result<check::Options> {
    let mut opts = check::Options::new(Needs::header_only());
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
        opts.cache = dir.map(|d| std::sync::Arc::new(crate::cache::Cache::open(d)));
    }
    if let Some(path) = &args.journal {
        if args.resume {
            let done = crate::journal::read_done(path)
                .map_err(|e| usage(format!("cannot read the journal {}: {e}", path.display())))?;
            opts.resume = std::sync::Arc::new(done);
        }
        let journal = crate::journal::Journal::open(path)
            .map_err(|e| usage(format!("cannot write the journal {}: {e}", path.display())))?;
        opts.journal = Some(std::sync::Arc::new(journal));
    }
    Ok(opts)
}

const NO_TRACK: &str =
    "no track: not inside a folder named human or ai (--track gives a default for such files)";

fn outcome(report: &Report) -> ExitCode {
    if report.all_passed() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    }
}

/// Paths that could not even be listed, with the reason.
type Unlisted = Vec<(Entry, String)>;

/// The entries to check, and paths that could not even be listed, from the PATH arguments or
/// the manifest.
fn gather(args: &CheckArgs) -> Result<(Vec<Entry>, Unlisted)> {
    if let Some(manifest) = &args.manifest {
        return Ok((intake::manifest::load(manifest).map_err(usage)?, Vec::new()));
    }
    let found = discover::discover(&args.paths).map_err(|e| usage(e.to_string()))?;
    for folder in &found.empty_folders {
        eprintln!("reelcheck: no media files in {}", folder.display());
    }
    if found.files.is_empty() && found.unreadable.is_empty() {
        return Err(usage("nothing to check: no media files in the given paths"));
    }
    let entry = |p: &PathBuf| {
        let root = intake::root_of(&args.paths, p).unwrap_or(p);
        Entry::under(root, p.clone())
    };
    let entries = found.files.iter().map(entry).collect();
    let unreadable = found
        .unreadable
        .iter()
        .map(|(p, why)| (entry(p), why.clone()))
        .collect();
    Ok((entries, unreadable))
}

fn assign_tracks<'a>(
    args: &CheckArgs,
    sets: &[RuleSet],
    entries: impl IntoIterator<Item = &'a mut Entry>,
) {
    for e in entries {
        if args.manifest.is_some() {
            continue; // the manifest named it
        }
        e.info.track = if args.track_from.is_some() {
            let root = intake::root_of(&args.paths, &e.path).unwrap_or(&e.path);
            intake::track_from_folder(root, &e.path)
                .map(str::to_string)
                .or_else(|| args.track.map(|t| t.name().to_string()))
        } else {
            sets[0].track.clone()
        };
    }
}

/// Which of `sets` checks an entry: the only one, or the one of its track.
fn set_for(sets: &[RuleSet], e: &Entry) -> Option<usize> {
    if sets.len() == 1 {
        return Some(0);
    }
    let track = e.info.track.as_deref()?;
    sets.iter().position(|s| s.track.as_deref() == Some(track))
}

fn with_entry(mut r: FileReport, e: &Entry) -> FileReport {
    r.entry = e.info.clone();
    r
}

fn merge(args: MergeArgs) -> Result<ExitCode> {
    let report = crate::merge::merge(&args.reports).map_err(usage)?;
    let format = output_format(&args.out);
    let sink = open_output(&args.out)?;
    let opts = check::Options::new(Needs::header_only());
    write_report(
        &report,
        format,
        &args.out,
        &opts,
        crate::interrupt::install(),
        sink,
    )?;
    Ok(outcome(&report))
}

/// An --output that cannot be written is a wrong command (exit code 2), found before any work.
fn open_output(out: &OutputArgs) -> Result<Sink> {
    Sink::open(out.output.as_deref()).map_err(|e| usage(e.to_string()))
}

fn output_format(out: &OutputArgs) -> CheckFormat {
    out.format
        .or_else(|| out.output.as_deref().and_then(report::format_for))
        .unwrap_or(CheckFormat::Text)
}

fn write_report(
    report: &Report,
    format: CheckFormat,
    out: &OutputArgs,
    opts: &check::Options,
    stop: &std::sync::atomic::AtomicBool,
    mut sink: Sink,
) -> Result<()> {
    let exporter: Box<dyn Exporter> = match format {
        CheckFormat::Text => Box::new(report::text::Text {
            verbose: out.verbose,
        }),
        CheckFormat::Json => Box::new(report::json::Json),
        CheckFormat::Jsonl => Box::new(report::jsonl::Jsonl),
        CheckFormat::Junit => Box::new(report::junit::Junit),
        CheckFormat::Csv => Box::new(report::csv::Csv),
        CheckFormat::Html => Box::new(report::html::Html {
            pictures: if out.no_pictures {
                Default::default()
            } else {
                pictures(report, opts, stop)?
            },
        }),
    };
    let text = exporter.render(report)?;
    sink.write(&text)?;
    sink.finish()
}

/// The HTML report's pictures, grabbed like facts are probed: in worker processes with the
/// run's limits (or in this process with `--in-process`).
fn pictures(
    report: &Report,
    opts: &check::Options,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<BTreeMap<String, Pictures>> {
    let asks: Vec<(PathBuf, report::pictures::Moments)> = report
        .files
        .iter()
        .filter_map(|f| Some((PathBuf::from(&f.path), report::pictures::moments(&f.facts)?)))
        .collect();
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let taken = if opts.isolate {
        let pool_opts = crate::pool::PoolOptions {
            jobs,
            timeout: opts.timeout,
            memory_limit: opts.memory_limit,
            needs: Needs::header_only(),
        };
        crate::pool::pictures_all(&asks, &pool_opts, stop)?
    } else {
        use rayon::prelude::*;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
        pool.install(|| {
            asks.par_iter()
                .map(|(path, at)| report::pictures::take(path, at))
                .collect()
        })
    };
    Ok(asks
        .into_iter()
        .zip(taken)
        .map(|((path, _), p)| (path.to_string_lossy().into_owned(), p))
        .collect())
}

/// Writes JSON lines from the workers as each file finishes. A thread of its own does the
/// writing, so a slow reader of stdout never holds up probing.
struct LineWriter {
    tx: mpsc::Sender<FileReport>,
    thread: std::thread::JoinHandle<Result<()>>,
}

impl LineWriter {
    fn start(mut sink: Sink) -> LineWriter {
        let (tx, rx) = mpsc::channel::<FileReport>();
        let thread = std::thread::spawn(move || {
            for file in rx {
                sink.write(&report::jsonl::line(&file)?)?;
            }
            sink.finish()
        });
        LineWriter { tx, thread }
    }

    fn send(&self, file: FileReport) {
        // The writer only stops early on a write error, which `finish` reports.
        let _ = self.tx.send(file);
    }

    fn finish(self) -> Result<()> {
        drop(self.tx);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the report writer stopped unexpectedly"))?
    }
}

fn info(rules: &RuleSet) -> RuleSetInfo {
    RuleSetInfo {
        name: rules.name.clone(),
        track: rules.track.clone(),
        source: rules.source.clone(),
    }
}

fn probe(args: ProbeArgs) -> Result<ExitCode> {
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

fn credits(args: CreditsArgs) -> Result<ExitCode> {
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
        ReportFormat::Text => report::credits_text::render(&facts, &written),
    };
    emit(&text);
    Ok(ExitCode::Success)
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
        RulesCommand::Facts => emit(&rules::schema::listing()),
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

//! `reelcheck check`: which files, which rule set for each, the batch run and its report.

use super::write::{open_output, output_format, write_entry_pages, write_report, LineWriter};
use super::{load_error, outcome, parse_with, probe_config, prober, usage};
use crate::check;
use crate::cli::{CheckArgs, Track};
use crate::discover;
use crate::exit_codes::ExitCode;
use crate::facts::Needs;
use crate::intake::{self, Entry};
use crate::report::CheckFormat;
use crate::rules::{self, RuleSet};
use crate::verdict::{FileReport, Report, RuleSetInfo};
use anyhow::Result;
use std::path::PathBuf;

pub(super) fn check(args: CheckArgs) -> Result<ExitCode> {
    let base_config = probe_config(Needs::header_only(), &args.provenance, &args.audio)?;
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
    let sink = open_output(&args.out, format)?;
    let (stream, sink) = if format == CheckFormat::Jsonl {
        (Some(LineWriter::start(sink)), None)
    } else {
        (None, Some(sink))
    };
    let opts = check_options(&args)?;
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
        let config = base_config.with_needs(needs);
        let paths: Vec<_> = group.iter().map(|e| e.path.clone()).collect();
        let on_file = |k: usize, r: &FileReport| {
            if let Some(s) = &stream {
                s.send(with_entry(r.clone(), group[k]));
            }
        };
        let outcome = check::run(&paths, set, &config, &opts, stop, &on_file)?;
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
        write_entry_pages(&report, &args.out, &opts.prober, opts.cache.as_ref(), stop)?;
    }
    if let Some(sink) = sink {
        write_report(
            &report,
            format,
            &args.out,
            &opts.prober,
            opts.cache.as_ref(),
            stop,
            sink,
        )?;
    }
    Ok(outcome(&report))
}

/// Options shared by every group of a run: how files are read, the cache and the journal.
fn check_options(args: &CheckArgs) -> Result<check::Options> {
    let mut opts = check::Options {
        strict: args.strict,
        prober: prober(
            args.jobs,
            args.in_process,
            Some((args.limits.timeout, args.limits.memory_limit.0)),
        ),
        ..Default::default()
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
        let journal = crate::journal::Journal::open(path)
            .map_err(|e| usage(format!("cannot write the journal {}: {e}", path.display())))?;
        opts.journal = Some(journal);
    }
    Ok(opts)
}

const NO_TRACK: &str =
    "no track: not inside a folder named human or ai (--track gives a default for such files)";

/// Paths that could not even be listed, with the reason.
type Unlisted = Vec<(Entry, String)>;

/// The entries to check, and paths that could not even be listed, from the PATH arguments or
/// the manifest.
fn gather(args: &CheckArgs) -> Result<(Vec<Entry>, Unlisted)> {
    if let Some(manifest) = &args.manifest {
        return Ok((
            intake::manifest::load(manifest, args.manifest_allow_outside).map_err(usage)?,
            Vec::new(),
        ));
    }
    let found = discover::discover(&args.paths).map_err(|e| usage(e.to_string()))?;
    for folder in &found.empty_folders {
        crate::output::message(&format!("no media files in {}", folder.display()));
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

fn info(rules: &RuleSet) -> RuleSetInfo {
    RuleSetInfo {
        name: rules.name.clone(),
        track: rules.track.clone(),
        source: rules.source.clone(),
    }
}

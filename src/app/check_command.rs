//! `reelcheck check`: which files, which rule set for each, the batch run and its report.

use super::config::{check_options, parse_with, probe_settings};
use super::write::{open_output, output_format, write_entry_pages, write_report, LineWriter};
use super::{load_error, outcome, usage};
use crate::cli::CheckArgs;
use crate::exit_codes::ExitCode;
use crate::intake::discover;
use crate::intake::festival::Festival;
use crate::intake::{self, Entry};
use crate::report::CheckFormat;
use crate::rules::{self, RuleSet};
use crate::run::batch;
use crate::verdict::{FileReport, Report, RuleSetInfo};
use anyhow::Result;
use reelcheck_facts::Needs;
use std::path::PathBuf;

pub(super) fn check(args: CheckArgs) -> Result<ExitCode> {
    let batch = Batch::new(&args)?;
    let (mut entries, mut unreadable) = gather(&args, &batch.plan.known)?;
    batch.assign_tracks(&args, &mut entries);
    batch.assign_tracks(&args, unreadable.iter_mut().map(|(e, _)| e));
    batch.plan.check_tracks(&entries)?;
    if let Some(shard) = args.shard {
        let total = entries.len() + unreadable.len();
        entries.retain(|e| shard.contains(&e.key));
        unreadable.retain(|(e, _)| shard.contains(&e.key));
        if entries.is_empty() && unreadable.is_empty() {
            eprintln!("reelcheck: shard {shard} holds no file (of {total} in all)");
        }
    }

    let format = output_format(&args.out)?;
    // Opened before the run, so that an unwritable --output fails before hours of checking.
    let sink = open_output(&args.out, format)?;
    let (stream, sink) = if format == CheckFormat::Jsonl {
        (Some(LineWriter::start(sink)), None)
    } else {
        (None, Some(sink))
    };
    let mut opts = check_options(&args)?;
    let stop = crate::interrupt::install();
    let on_file = |r: &FileReport| {
        if let Some(s) = &stream {
            s.send(r.clone());
        }
    };
    let (files, interrupted) = batch.run(&entries, &unreadable, &mut opts, stop, &on_file)?;
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

    let report = batch.report(files);
    if let Some(stream) = stream {
        stream.finish()?;
        write_entry_pages(
            &report,
            &args.out,
            opts.prober.as_ref(),
            opts.store.cache.as_ref(),
            stop,
        )?;
    }
    if let Some(sink) = sink {
        write_report(
            &report,
            format,
            &args.out,
            opts.prober.as_ref(),
            opts.store.cache.as_ref(),
            stop,
            sink,
        )?;
    }
    if let Some(path) = &args.out.output {
        crate::output::message(&super::write::summary_line(path, &report));
    }
    Ok(outcome(&report))
}

/// What `check` (and `watch`, run after run) makes of its arguments: the rule sets and how
/// each entry is probed.
pub(super) struct Batch {
    plan: Plan,
    base_config: reelcheck_probe::ProbeSettings,
    with: Needs,
    quick: bool,
    per_entry: bool,
}

impl Batch {
    pub(super) fn new(args: &CheckArgs) -> Result<Batch> {
        let per_entry = args.track_from.is_some() || args.manifest.is_some();
        Ok(Batch {
            base_config: probe_settings(Needs::header_only(), &args.provenance, &args.audio)?,
            plan: plan(args, per_entry)?,
            with: parse_with(args.with.as_deref())?,
            quick: args.quick,
            per_entry,
        })
    }

    /// Gives each entry found under the PATH arguments its track (a manifest's already have
    /// theirs).
    pub(super) fn assign_tracks<'a>(
        &self,
        args: &CheckArgs,
        entries: impl IntoIterator<Item = &'a mut Entry>,
    ) {
        assign_tracks(args, &self.plan, entries)
    }

    /// Checks `entries`, each by its track's rules, and reports `unreadable` ones as errors.
    /// `on_file` sees each report as it is done. Returns the reports, sorted by path, and how
    /// many files a stop left unchecked.
    pub(super) fn run(
        &self,
        entries: &[Entry],
        unreadable: &[(Entry, String)],
        opts: &mut batch::Options,
        stop: &std::sync::atomic::AtomicBool,
        on_file: &(dyn Fn(&FileReport) + Sync),
    ) -> Result<(Vec<FileReport>, usize)> {
        let plan = &self.plan;
        // One bar for the whole batch, whichever track each entry is checked as.
        let to_check = entries.iter().filter(|e| plan.set_for(e).is_some()).count();
        let progress = batch::progress_bar(to_check as u64);
        opts.progress = Some(progress.clone());
        let mut interrupted = 0;
        let mut files = Vec::new();
        for (i, set) in plan.sets.iter().enumerate() {
            let group: Vec<&Entry> = entries
                .iter()
                .filter(|e| plan.set_for(e) == Some(i))
                .collect();
            if group.is_empty() {
                continue;
            }
            let mut needs = if self.quick {
                set.needs().without_decoding()
            } else {
                set.needs()
            };
            needs.0.extend(self.with.0.iter().copied());
            let config = self.base_config.with_needs(needs);
            let paths: Vec<_> = group.iter().map(|e| e.path.clone()).collect();
            let each = |k: usize, r: &FileReport| on_file(&with_entry(r.clone(), group[k]));
            let outcome = batch::run(&paths, set, &config, opts, stop, &each)?;
            interrupted += outcome.interrupted;
            files.extend(
                outcome
                    .reports
                    .into_iter()
                    .zip(&group)
                    .map(|(r, e)| with_entry(r, e)),
            );
        }
        progress.finish_and_clear();
        opts.progress = None;
        let no_track = no_track(&plan.known);
        let untracked = entries.iter().filter(|e| plan.set_for(e).is_none());
        let not_checked = untracked
            .map(|e| (e, no_track.clone()))
            .chain(unreadable.iter().map(|(e, why)| (e, why.clone())));
        for (e, why) in not_checked {
            let r = with_entry(batch::unreadable(&e.path, &why), e);
            on_file(&r);
            files.push(r);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((files, interrupted))
    }

    /// The report of `files`, naming the rule set of every track when entries have their own.
    pub(super) fn report(&self, files: Vec<FileReport>) -> Report {
        if self.per_entry && !self.plan.single {
            Report::by_track(self.plan.infos.clone(), files)
        } else {
            Report::new(self.plan.infos[0].clone(), files)
        }
    }

    pub(super) fn check_tracks(&self, entries: &[Entry]) -> Result<()> {
        self.plan.check_tracks(entries)
    }
}

/// Which rule set checks which entries: one per track of the festival, or one rule file
/// (`--rules FILE`) for every entry.
struct Plan {
    sets: Vec<RuleSet>,
    /// What the report says of each set (with the track's title).
    infos: Vec<RuleSetInfo>,
    /// Track names entries may have: folder names, manifest values.
    known: Vec<String>,
    /// The track of an entry that names none (no --track-from, no manifest), or the default
    /// track with --track-from.
    default_track: Option<String>,
    /// One rule file for every entry, whatever its track.
    single: bool,
}

impl Plan {
    /// Which of the sets checks an entry: the only one, or the one of its track.
    fn set_for(&self, e: &Entry) -> Option<usize> {
        if self.single {
            return Some(0);
        }
        let track = e.info.track.as_deref()?;
        self.sets
            .iter()
            .position(|s| s.track.as_deref() == Some(track))
    }

    /// With one rule file for every entry, an entry of a track the file is not for is a
    /// mistake of the command: that file's rules would judge it by another track's terms.
    fn check_tracks(&self, entries: &[Entry]) -> Result<()> {
        if !self.single {
            return Ok(());
        }
        let set = &self.sets[0];
        let Some(own) = &set.track else {
            return Ok(()); // a rule file for no track in particular
        };
        if let Some((e, track)) = entries
            .iter()
            .find_map(|e| Some((e, e.info.track.as_ref().filter(|t| *t != own)?)))
        {
            return Err(usage(format!(
                "the rule file {} ('{}') is for the {own} track, but {} is an entry of the {track} track; give each track its rules with --rules {track}=FILE or a festival file (--festival)",
                set.source,
                set.name,
                e.path.display()
            )));
        }
        Ok(())
    }
}

/// The rule sets of this run, from --festival, --rules and --track.
fn plan(args: &CheckArgs, per_entry: bool) -> Result<Plan> {
    let mut festival = match &args.festival {
        Some(path) => Festival::load_file(path).map_err(usage)?,
        None => Festival::builtin(),
    };
    let mut plain: Vec<&str> = Vec::new();
    for given in &args.rules {
        match given.split_once('=') {
            Some((name, file)) if crate::intake::festival::valid_name(name) => {
                festival.set_rules(name, crate::intake::festival::RulesRef::given(file));
            }
            _ => plain.push(given),
        }
    }
    let pairs = args.rules.len() - plain.len();
    if plain.len() > 1 || (plain.len() == 1 && (pairs > 0 || args.festival.is_some())) {
        return Err(usage(
            "--rules FILE checks every entry by that one file and is given alone; to give a track its own rules, use --rules NAME=FILE (once per track) or a festival file (--festival)",
        ));
    }
    let mut known = festival.names();
    if let Some(file) = plain.first() {
        let set = match crate::intake::festival::RulesRef::given(file) {
            crate::intake::festival::RulesRef::BuiltIn(name) => rules::load_builtin(&name),
            crate::intake::festival::RulesRef::File(path) => rules::load_file(&path),
        }
        .map_err(load_error)?;
        if let Some(own) = &set.track {
            if !known.contains(own) {
                known.push(own.clone());
            }
        }
        if let Some(track) = &args.track {
            unknown_track(track, &known)?;
            crate::intake::festival::check_track(&set, track, &format!("the rule file {file}"))
                .map_err(usage)?;
        }
        let default_track = args.track.clone().or_else(|| set.track.clone());
        return Ok(Plan {
            infos: vec![info(&set, None)],
            sets: vec![set],
            known,
            default_track,
            single: true,
        });
    }
    if let Some(track) = &args.track {
        unknown_track(track, &known)?;
    }
    let chosen: Vec<&crate::intake::festival::Track> = if per_entry {
        festival.tracks.iter().collect()
    } else {
        let first = known.first().map(String::as_str);
        let Some(name) = args.track.as_deref().or(first) else {
            return Err(usage("the festival has no tracks"));
        };
        festival.track(name).into_iter().collect()
    };
    let sets = chosen
        .iter()
        .map(|t| festival.load_rules(t).map_err(usage))
        .collect::<Result<Vec<_>>>()?;
    let infos = sets
        .iter()
        .zip(&chosen)
        .map(|(s, t)| info(s, Some(t.title.clone())))
        .collect();
    Ok(Plan {
        default_track: if per_entry {
            args.track.clone()
        } else {
            sets.first().and_then(|s| s.track.clone())
        },
        sets,
        infos,
        known,
        single: false,
    })
}

fn unknown_track(track: &str, known: &[String]) -> Result<()> {
    if known.iter().any(|k| k == track) {
        Ok(())
    } else {
        Err(usage(format!(
            "unknown track '{track}' (the festival's tracks: {})",
            known.join(", ")
        )))
    }
}

fn no_track(known: &[String]) -> String {
    format!(
        "no track: not inside a folder named after a track ({}); --track gives a default for such files",
        known.join(", ")
    )
}

/// Paths that could not even be listed, with the reason.
type Unlisted = Vec<(Entry, String)>;

/// The entries to check, and paths that could not even be listed, from the PATH arguments or
/// the manifest.
fn gather(args: &CheckArgs, tracks: &[String]) -> Result<(Vec<Entry>, Unlisted)> {
    if let Some(manifest) = &args.manifest {
        let m =
            intake::manifest::load(manifest, args.manifest_allow_outside, tracks).map_err(usage)?;
        return Ok((m.entries, m.rejected));
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
    plan: &Plan,
    entries: impl IntoIterator<Item = &'a mut Entry>,
) {
    for e in entries {
        if args.manifest.is_some() {
            continue; // the manifest named it
        }
        e.info.track = if args.track_from.is_some() {
            let root = intake::root_of(&args.paths, &e.path).unwrap_or(&e.path);
            intake::track_from_folder(root, &e.path, &plan.known)
                .map(str::to_string)
                .or_else(|| plan.default_track.clone())
        } else {
            plan.default_track.clone()
        };
    }
}

fn with_entry(mut r: FileReport, e: &Entry) -> FileReport {
    r.entry = e.info.clone();
    r
}

fn info(rules: &RuleSet, title: Option<String>) -> RuleSetInfo {
    RuleSetInfo {
        name: rules.name.clone(),
        track: rules.track.clone(),
        source: rules.source.clone(),
        title,
    }
}

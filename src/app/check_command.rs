//! `reelcheck check`: which files, the plan that gives each its track and rule set, the batch
//! run and its report.

use super::config::{check_options, parse_with, probe_settings};
use super::write::{open_output, output_format, write_entry_pages, write_report, LineWriter};
use super::{outcome, usage};
use crate::cli::CheckArgs;
use crate::exit_codes::ExitCode;
use crate::intake::discover;
use crate::intake::festival::Festival;
use crate::intake::plan::{Ask, Plan, RulesArg, TrackSource, Tracks};
use crate::intake::{self, Entry};
use crate::report::CheckFormat;
use crate::run::batch;
use crate::verdict::{FileReport, FileStatus, Report};
use anyhow::Result;
use reelcheck_facts::Needs;
use std::path::PathBuf;

pub(super) fn check(args: CheckArgs) -> Result<ExitCode> {
    let batch = Batch::new(&args)?;
    let found = gather(&args, batch.tracks.known())?;
    let mut system = found.system;
    let mut plan = batch.plan(found.entries, found.refused, found.listed);
    if let Some((_, why)) = plan.wrong_track.first() {
        return Err(usage(why.clone()));
    }
    if let Some(shard) = args.shard {
        let total = plan.len();
        plan.retain(|e| shard.contains(&e.key));
        // Each system file is counted by the one shard its key falls in, as entries are.
        system.retain(|key| shard.contains(key));
        if plan.is_empty() {
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
    // Which entries went out as they finished: the rest (those a stop left unchecked) follow
    // once the run is over, so JSON Lines hold every entry, as the JSON report does.
    let streamed = std::sync::Mutex::new(std::collections::HashSet::new());
    // A verdict that rests on the batch as a whole (rules on `similar.*`) is not known when its
    // file finishes: such lines wait until the batch is grouped, so none goes out wrong.
    let hold = batch.tracks.any_names("similar.");
    let on_file = |r: &FileReport| {
        if let (Some(s), false) = (&stream, hold) {
            streamed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(r.path.clone());
            s.send(r.clone());
        }
    };
    // Read before the run, so that a report that cannot be read stops it before hours of work.
    let earlier = super::similar_step::earlier(&args.compare_with)?;
    let (mut files, interrupted) = batch.run(&plan, &mut opts, stop, &on_file)?;
    let similar = super::similar_step::apply(&batch, &plan, &mut files, &earlier, opts.strict);
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

    let mut report = batch
        .report(files.into_iter().map(|(_, r)| r).collect())
        .with_system_files(system);
    report.similar = similar;
    if let Some(stream) = stream {
        let streamed = streamed.into_inner().unwrap_or_else(|e| e.into_inner());
        for r in report.files.iter().filter(|r| !streamed.contains(&r.path)) {
            stream.send(r.clone());
        }
        stream.finish(&report)?;
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

/// What `check` (and `watch`, run after run) makes of its arguments: the rule sets, how
/// entries get their tracks, and the probe settings every track shares.
pub(super) struct Batch {
    pub(super) tracks: Tracks,
    /// The organizer's festival (`--festival`), as the reports name it.
    festival: Option<crate::verdict::FestivalInfo>,
    /// The probe settings but the analyzers, which each track's rules decide.
    base: reelcheck_probe::ProbeSettings,
}

impl Batch {
    pub(super) fn new(args: &CheckArgs) -> Result<Batch> {
        let mut base = probe_settings(Needs::header_only(), &args.provenance, &args.audio)?;
        base.no_fingerprint = args.no_similar;
        let source = if args.manifest.is_some() {
            TrackSource::Manifest
        } else if args.track_from.is_some() {
            TrackSource::Folders {
                roots: args.paths.clone(),
            }
        } else {
            TrackSource::Given
        };
        let festival = match &args.festival {
            Some(path) => Festival::load_file(path).map_err(usage)?,
            None => Festival::builtin(),
        };
        let info = args
            .festival
            .is_some()
            .then(|| crate::verdict::FestivalInfo {
                name: festival.name.clone(),
                contact: festival.contact.clone(),
            });
        let ask = Ask {
            festival,
            festival_given: args.festival.is_some(),
            rules: args.rules.iter().map(|r| RulesArg::parse(r)).collect(),
            // Track names are lowercase (a festival file refuses others) and folder names
            // match them in any case: `--track AI` means the ai track too.
            track: args.track.as_deref().map(str::to_lowercase),
            source,
            quick: args.quick,
            with: parse_with(args.with.as_deref())?,
        };
        let tracks =
            Tracks::new(ask, &|rules| rules.load().map_err(|e| e.to_string())).map_err(usage)?;
        Ok(Batch {
            tracks,
            festival: info,
            base,
        })
    }

    /// The plan for `entries`, `refused` ones (errors, with the reason) and `listed` ones (not
    /// checked and no failure, with the reason), each given its track.
    pub(super) fn plan(
        &self,
        mut entries: Vec<Entry>,
        mut refused: Vec<(Entry, String)>,
        mut listed: Vec<(Entry, String)>,
    ) -> Plan {
        for e in entries
            .iter_mut()
            .chain(refused.iter_mut().map(|(e, _)| e))
            .chain(listed.iter_mut().map(|(e, _)| e))
        {
            self.tracks.assign(e);
        }
        self.tracks.plan(entries, refused, listed)
    }

    /// Checks each group of the plan by its rule set, reports entries not checked (of no
    /// track, of the wrong track, unreadable, not a film) as errors, and lists those the plan
    /// lists (ignored, hidden, documents) as ignored. `on_file` sees each report as it is
    /// done. Returns each entry's path with its report, sorted by path, and how many files a
    /// stop left unchecked.
    pub(super) fn run(
        &self,
        plan: &Plan,
        opts: &mut batch::Options,
        stop: &std::sync::atomic::AtomicBool,
        on_file: &(dyn Fn(&FileReport) + Sync),
    ) -> Result<(Vec<(PathBuf, FileReport)>, usize)> {
        // One bar for the whole batch, whichever track each entry is checked as.
        let to_check: usize = plan.groups.iter().map(|g| g.entries.len()).sum();
        let progress = batch::progress_bar(to_check as u64);
        opts.progress = Some(progress.clone());
        let mut interrupted = 0;
        let mut files = Vec::new();
        for group in &plan.groups {
            let settings = self.base.with_needs(group.needs.clone());
            // At once, on a terminal only: which rules, and what the wait is for.
            let named = self.tracks.named();
            let set_info = named.get(group.set).or(named.first());
            opts.headline = rules_said(set_info);
            progress.set_message(stage_said(set_info, &group.needs, to_check));
            let paths: Vec<_> = group.entries.iter().map(|e| e.path.clone()).collect();
            let each =
                |k: usize, r: &FileReport| on_file(&with_entry(r.clone(), &group.entries[k]));
            let set = self.tracks.set(group.set);
            let outcome = batch::run(&paths, set, &settings, opts, stop, &each)?;
            interrupted += outcome.interrupted;
            files.extend(
                outcome
                    .reports
                    .into_iter()
                    .zip(&group.entries)
                    .map(|(r, e)| (e.path.clone(), with_entry(r, e))),
            );
        }
        progress.finish_and_clear();
        opts.progress = None;
        for (e, why) in plan.not_checked.iter().chain(&plan.wrong_track) {
            let r = with_entry(batch::unreadable(&e.path, why), e);
            on_file(&r);
            files.push((e.path.clone(), r));
        }
        for (e, why) in &plan.listed {
            let r = with_entry(listed(&e.path, why), e);
            on_file(&r);
            files.push((e.path.clone(), r));
        }
        // By the report's path as people read it; two names that read the same keep an order.
        files.sort_by(|a, b| a.1.path.cmp(&b.1.path).then_with(|| a.0.cmp(&b.0)));
        Ok((files, interrupted))
    }

    /// The report of `files`, naming the rule set of every track when entries have their own.
    pub(super) fn report(&self, files: Vec<FileReport>) -> Report {
        let mut report = match self.tracks.named() {
            [one] => Report::new(one.clone(), files),
            sets => Report::by_track(sets.to_vec(), files),
        };
        report.festival = self.festival.clone();
        report
    }
}

/// The progress line's words for a group: "rules human (built-in): reading headers, then
/// decoding for audio and credits".
fn stage_said(set: Option<&crate::verdict::RuleSetInfo>, needs: &Needs, files: usize) -> String {
    let rules = rules_said(set);
    let decoding: Vec<&str> = needs.0.iter().map(|a| a.name()).collect();
    let what = if files == 1 { "the film" } else { "each film" };
    if decoding.is_empty() {
        format!("{rules}reading {what}'s header")
    } else {
        format!(
            "{rules}reading {what}'s header, then decoding it for {}",
            decoding.join(", ")
        )
    }
}

/// The rules a progress line names first: "rules human (built-in): ".
fn rules_said(set: Option<&crate::verdict::RuleSetInfo>) -> String {
    set.map_or_else(String::new, |s| {
        let line = crate::output::one_line;
        format!("rules {} ({}): ", line(&s.name), line(&s.source))
    })
}

/// What `check` was given, as entries.
struct Gathered {
    /// To check.
    entries: Vec<Entry>,
    /// Not checked, and errors: unreadable, not a film where one was expected, a manifest row
    /// that cannot be checked. With the reason.
    refused: Vec<(Entry, String)>,
    /// Not checked, and no failure: ignored, hidden, a document. With the reason.
    listed: Vec<(Entry, String)>,
    /// The keys of the system files left out.
    system: Vec<String>,
}

/// The entries of the PATH arguments or of the manifest: every file of a folder, checked or
/// not.
fn gather(args: &CheckArgs, tracks: &[String]) -> Result<Gathered> {
    if let Some(manifest) = &args.manifest {
        let m =
            intake::manifest::load(manifest, args.manifest_allow_outside, tracks).map_err(usage)?;
        return Ok(Gathered {
            entries: m.entries,
            refused: m.rejected,
            listed: Vec::new(),
            system: Vec::new(),
        });
    }
    let opts = super::config::discovery(args)?;
    let found = discover::discover(&args.paths, &opts).map_err(|e| usage(e.to_string()))?;
    for folder in &found.empty_folders {
        crate::output::message(&format!("no media files in {}", folder.display()));
    }
    if found.files.is_empty() && found.refused.is_empty() {
        return Err(usage("nothing to check: no media files in the given paths"));
    }
    let entry = |p: &PathBuf| {
        let root = intake::root_of(&args.paths, p).unwrap_or(p);
        Entry::under(root, p.clone())
    };
    let with_reasons = |list: &[(PathBuf, String)]| -> Vec<(Entry, String)> {
        list.iter()
            .map(|(p, why)| (entry(p), why.clone()))
            .collect()
    };
    Ok(Gathered {
        entries: found.files.iter().map(entry).collect(),
        refused: with_reasons(&found.refused),
        listed: with_reasons(&found.listed),
        system: found.system.iter().map(|p| entry(p).key).collect(),
    })
}

/// The entry, its track and its key in the file's report.
pub(super) fn with_entry(mut r: FileReport, e: &Entry) -> FileReport {
    r.entry = e.info.clone();
    r.entry.key = Some(e.key.clone());
    r
}

/// The report of a file listed without being checked: no failure, with the reason.
pub(super) fn listed(path: &std::path::Path, why: &str) -> FileReport {
    let mut r = batch::unreadable(path, why);
    r.status = FileStatus::Ignored;
    r
}

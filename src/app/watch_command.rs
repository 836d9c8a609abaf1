//! `reelcheck watch DIR -o FILE`: an intake folder checked as films arrive. The folder's file
//! events (the `notify` crate) say when to look again; a film is checked once its size and
//! modification time have stayed the same for the settle time, so a film still being uploaded
//! is never judged half-way. A changed film is checked again, a deleted one leaves the report.
//! The report is rewritten atomically after every change, the journal grows as `check`'s does,
//! and SIGINT or SIGTERM ends the watch after a last report.

use super::check_command::Batch;
use super::config::check_options;
use super::usage;
use super::write::{open_output, output_format, summary_line, write_report};
use crate::cli::WatchArgs;
use crate::exit_codes::ExitCode;
use crate::intake::Entry;
use crate::verdict::FileReport;
use anyhow::Result;
use notify::{RecursiveMode, Watcher};
use reelcheck_facts::Stamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often pending files are looked at while no event comes: the settle time's resolution.
const TICK: Duration = Duration::from_millis(200);

/// A film in the folder, as last seen and as last checked.
struct Seen {
    /// Its size and modification time when last looked at; `None` if it could not be read.
    stamp: Option<Stamp>,
    /// When `stamp` last changed.
    since: Instant,
    /// The stamp its report in `Watch::reports` was made from.
    checked: Option<Stamp>,
}

impl Seen {
    fn pending(&self) -> bool {
        self.stamp.is_none() || self.stamp != self.checked
    }
}

struct Watch<'a> {
    args: &'a WatchArgs,
    dir: &'a Path,
    batch: Batch,
    films: BTreeMap<PathBuf, Seen>,
    /// Every entry's latest report, by path: checked films and paths that could not be read.
    reports: BTreeMap<PathBuf, FileReport>,
}

pub(super) fn watch(args: WatchArgs) -> Result<ExitCode> {
    let check = &args.check;
    let dir = match check.paths.as_slice() {
        [dir] if dir.is_dir() => dir,
        [other] => {
            return Err(usage(format!(
                "{}: not a folder (watch takes the intake folder to watch)",
                other.display()
            )))
        }
        _ => return Err(usage("watch takes one folder")),
    };
    for (given, flag) in [
        (check.manifest.is_some(), "--manifest"),
        (check.shard.is_some(), "--shard"),
        (check.resume, "--resume"),
    ] {
        if given {
            return Err(usage(format!(
                "{flag} is for check: watch checks every film in its folder as it arrives"
            )));
        }
    }
    if check.out.output.is_none() {
        return Err(usage(
            "watch keeps a report up to date: name its file with -o FILE (report.html, report.json …)",
        ));
    }
    let format = output_format(&check.out)?;
    let mut watch = Watch {
        args: &args,
        dir,
        batch: Batch::new(check)?,
        films: BTreeMap::new(),
        reports: BTreeMap::new(),
    };
    let mut opts = check_options(check)?;
    let stop = crate::interrupt::install();

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver only goes away when the watch ends.
        let _ = tx.send(event);
    })
    .map_err(|e| usage(format!("cannot watch {}: {e}", dir.display())))?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|e| usage(format!("cannot watch {}: {e}", dir.display())))?;
    crate::output::message(&format!(
        "watching {} (a film is checked once unchanged for {} s; Ctrl-C or SIGTERM stops)",
        dir.display(),
        args.settle.as_secs_f64()
    ));

    // The first report (of nothing yet) proves -o writable before any film is checked.
    watch.write(format, &opts, stop)?;
    let mut look = true;
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(TICK) {
            Ok(event) => {
                if let Err(e) = event {
                    crate::output::message(&format!("warning: watching: {e}"));
                }
                look = true;
                // One look serves every event that came together.
                while rx.try_recv().is_ok() {}
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(anyhow::anyhow!("the folder watcher stopped"));
            }
        }
        let mut changed = look && watch.look();
        look = false;
        watch.restat();
        let ready = watch.ready();
        if !ready.is_empty() {
            watch.check(&ready, &mut opts, stop)?;
            changed = true;
        }
        if changed && !stop.load(Ordering::SeqCst) {
            watch.write(format, &opts, stop)?;
        }
    }
    drop(watcher);
    // The last report holds every film checked to the end; one a stop cut short is left out
    // (it is checked on the next watch).
    watch.write(format, &opts, stop)?;
    Ok(ExitCode::Success)
}

impl Watch<'_> {
    /// Lists the folder again: new films start settling, films gone leave the report. Returns
    /// whether the report changed.
    fn look(&mut self) -> bool {
        let found = match crate::intake::discover::discover(std::slice::from_ref(
            &self.dir.to_path_buf(),
        )) {
            Ok(found) => found,
            Err(e) => {
                crate::output::message(&format!("warning: {e}"));
                return false;
            }
        };
        let now = Instant::now();
        let mut changed = false;
        let present: std::collections::BTreeSet<&PathBuf> = found.files.iter().collect();
        self.films.retain(|p, _| present.contains(p));
        for path in &found.files {
            // An event may be a film replaced (renamed over, rewritten): its wait starts anew.
            let stamp = Stamp::of(path);
            let seen = self.films.entry(path.clone()).or_insert_with(|| Seen {
                stamp: stamp.clone(),
                since: now,
                checked: None,
            });
            if seen.stamp != stamp {
                seen.stamp = stamp;
                seen.since = now;
            }
        }
        let unreadable: BTreeMap<&PathBuf, &String> =
            found.unreadable.iter().map(|(p, why)| (p, why)).collect();
        let before = self.reports.len();
        self.reports
            .retain(|p, _| self.films.contains_key(p) || unreadable.contains_key(p));
        changed |= self.reports.len() != before;
        for (path, why) in unreadable {
            if !self.reports.contains_key(path) {
                let mut entry = Entry::under(self.dir, path.clone());
                self.batch
                    .assign_tracks(&self.args.check, std::iter::once(&mut entry));
                let report = with_info(crate::run::batch::unreadable(path, why), &entry);
                self.reports.insert(path.clone(), report);
                changed = true;
            }
        }
        changed
    }

    /// Looks at every film not yet checked in its present state: a change restarts its wait.
    fn restat(&mut self) {
        let now = Instant::now();
        for (path, seen) in self.films.iter_mut().filter(|(_, s)| s.pending()) {
            let stamp = Stamp::of(path);
            if stamp != seen.stamp {
                seen.stamp = stamp;
                seen.since = now;
            }
        }
    }

    /// Films unchanged for the settle time and not yet checked as they are.
    fn ready(&self) -> Vec<PathBuf> {
        self.films
            .iter()
            .filter(|(_, s)| {
                s.stamp.is_some() && s.pending() && s.since.elapsed() >= self.args.settle
            })
            .map(|(p, _)| p.clone())
            .collect()
    }

    fn check(
        &mut self,
        ready: &[PathBuf],
        opts: &mut crate::run::batch::Options,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<()> {
        let mut entries: Vec<Entry> = ready
            .iter()
            .map(|p| Entry::under(self.dir, p.clone()))
            .collect();
        self.batch
            .assign_tracks(&self.args.check, entries.iter_mut());
        // A rule file for another track than an entry's is that entry's error here: the watch
        // goes on for the others.
        let (entries, refused): (Vec<Entry>, Vec<Entry>) = entries
            .into_iter()
            .partition(|e| self.batch.check_tracks(std::slice::from_ref(e)).is_ok());
        let refused: Vec<(Entry, String)> = refused
            .into_iter()
            .map(|e| {
                let why = self
                    .batch
                    .check_tracks(std::slice::from_ref(&e))
                    .err()
                    .map_or_else(String::new, |err| err.to_string());
                (e, why)
            })
            .collect();
        let (files, _) = self.batch.run(&entries, &refused, opts, stop, &|_| {})?;
        for f in files {
            // A film a stop cut short is not judged: the next watch checks it.
            if f.error_code.as_deref() == Some("interrupted") {
                continue;
            }
            let path = PathBuf::from(&f.path);
            if let Some(seen) = self.films.get_mut(&path) {
                // As it was when checked: a change since makes it pending again.
                seen.checked = f.stamp.clone().or_else(|| seen.stamp.clone());
            }
            self.reports.insert(path, f);
        }
        Ok(())
    }

    /// Writes the report of every film checked so far, atomically, and says so on stderr.
    fn write(
        &self,
        format: crate::report::CheckFormat,
        opts: &crate::run::batch::Options,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<()> {
        let out = &self.args.check.out;
        let report = self.batch.report(self.reports.values().cloned().collect());
        let sink = open_output(out, format)?;
        write_report(
            &report,
            format,
            out,
            opts.prober.as_ref(),
            opts.store.cache.as_ref(),
            stop,
            sink,
        )?;
        if let Some(path) = &out.output {
            crate::output::message(&summary_line(path, &report));
        }
        Ok(())
    }
}

fn with_info(mut r: FileReport, e: &Entry) -> FileReport {
    r.entry = e.info.clone();
    r
}

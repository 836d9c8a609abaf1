//! `reelcheck watch DIR -o FILE`: an intake folder checked as films arrive. The folder's file
//! events (the `notify` crate) say when to look again; what a look finds is judged by
//! `arrivals`: a film is checked once it and its sidecars have stayed the same for the settle
//! time, so a film still being uploaded is never judged half-way, and a film changed or given a
//! sidecar since is checked again; a deleted one leaves the report. The report is rewritten
//! atomically after every change, the journal grows as `check`'s does, and SIGINT or SIGTERM
//! ends the watch after a last report.

use super::arrivals::{is_partial_upload, Arrivals};
use super::check_command::{listed as listed_report, with_entry, Batch};
use super::config::check_options;
use super::usage;
use super::write::{open_output, output_format, summary_line, write_report};
use crate::cli::WatchArgs;
use crate::exit_codes::ExitCode;
use crate::intake::{discover, Entry};
use crate::run::batch;
use crate::run::store::key::FileVersion;
use crate::verdict::FileReport;
use anyhow::Result;
use notify::{RecursiveMode, Watcher};
use reelcheck_probe::Listings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often pending files are looked at while no event comes: the settle time's resolution.
const TICK: Duration = Duration::from_millis(200);

struct Watch<'a> {
    args: &'a WatchArgs,
    dir: &'a Path,
    batch: Batch,
    arrivals: Arrivals,
    /// Every entry's latest report, by its path: checked films, files refused (unreadable,
    /// not a film) and files listed without being checked.
    reports: BTreeMap<PathBuf, FileReport>,
    /// How the folder is searched (`--ignore`, `--follow-links-outside`).
    discovery: discover::Options,
    /// The keys of the system files the last look left out.
    system: Vec<String>,
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
    let mut watch = Watch::new(&args, dir)?;
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
        let changed = watch.step(look, Instant::now(), &mut opts, stop)?;
        look = false;
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

impl<'a> Watch<'a> {
    fn new(args: &'a WatchArgs, dir: &'a Path) -> Result<Watch<'a>> {
        Ok(Watch {
            args,
            dir,
            batch: Batch::new(&args.check)?,
            arrivals: Arrivals::new(args.settle),
            reports: BTreeMap::new(),
            discovery: super::config::discovery(&args.check)?,
            system: Vec::new(),
        })
    }

    /// One turn of the watch at `now`: the folder listed again when an event came (`look`),
    /// films still settling looked at, and the films ready checked. Returns whether the report
    /// changed.
    fn step(
        &mut self,
        look: bool,
        now: Instant,
        opts: &mut batch::Options,
        stop: &AtomicBool,
    ) -> Result<bool> {
        let mut changed = look && self.look(now);
        self.restat(now);
        let ready = self.arrivals.ready(now);
        if !ready.is_empty() {
            self.check(&ready, opts, stop)?;
            changed = true;
        }
        Ok(changed)
    }

    /// Lists the folder again: new films start settling, films gone leave the report. Returns
    /// whether the report changed.
    fn look(&mut self, now: Instant) -> bool {
        let found = match discover::discover(
            std::slice::from_ref(&self.dir.to_path_buf()),
            &self.discovery,
        ) {
            Ok(found) => found,
            Err(e) => {
                crate::output::message(&format!("warning: {e}"));
                return false;
            }
        };
        // Listed afresh at every look: a sidecar that arrived since must be seen.
        let listings = Listings::default();
        let versions = found.files.iter().map(|p| {
            let version = FileVersion::of(p, &listings);
            (p.clone(), version)
        });
        self.arrivals.listed(now, versions.collect::<Vec<_>>());
        // Files that are not checked, errors or not, with the reason. A partial upload is
        // neither: it is no entry until it is renamed whole.
        let not_checked: BTreeMap<&PathBuf, (&String, bool)> = found
            .refused
            .iter()
            .map(|(p, why)| (p, (why, false)))
            .chain(found.listed.iter().map(|(p, why)| (p, (why, true))))
            .filter(|(p, _)| !is_partial_upload(p))
            .collect();
        let before = self.reports.len();
        let arrivals = &self.arrivals;
        self.reports
            .retain(|p, _| arrivals.contains(p) || not_checked.contains_key(p));
        let mut changed = self.reports.len() != before;
        for (path, (why, listed)) in not_checked {
            // Made again when its reason changed (a file replaced by another kind of file).
            if self.reports.get(path).and_then(|r| r.error.as_ref()) == Some(why) {
                continue;
            }
            let entry = vec![(Entry::under(self.dir, path.clone()), why.clone())];
            let plan = if listed {
                self.batch.plan(Vec::new(), Vec::new(), entry)
            } else {
                self.batch.plan(Vec::new(), entry, Vec::new())
            };
            let made = plan
                .listed
                .first()
                .map(|(e, why)| with_entry(listed_report(&e.path, why), e))
                .or_else(|| {
                    let (e, why) = plan.not_checked.first()?;
                    Some(with_entry(batch::unreadable(&e.path, why), e))
                });
            if let Some(report) = made {
                self.reports.insert(path.clone(), report);
                changed = true;
            }
        }
        let system: Vec<String> = found
            .system
            .iter()
            .map(|p| Entry::under(self.dir, p.clone()).key)
            .collect();
        changed |= system != self.system;
        self.system = system;
        changed
    }

    /// Looks at every film not yet checked in its present state.
    fn restat(&mut self, now: Instant) {
        let listings = Listings::default();
        for path in self.arrivals.pending() {
            let version = FileVersion::of(&path, &listings);
            self.arrivals.seen(now, &path, version);
        }
    }

    fn check(
        &mut self,
        ready: &[PathBuf],
        opts: &mut batch::Options,
        stop: &AtomicBool,
    ) -> Result<()> {
        let entries: Vec<Entry> = ready
            .iter()
            .map(|p| Entry::under(self.dir, p.clone()))
            .collect();
        let mut plan = self.batch.plan(entries, Vec::new(), Vec::new());
        // A rule file for another track than an entry's is that entry's error here: the watch
        // goes on for the others.
        plan.not_checked.append(&mut plan.wrong_track);
        let (files, _) = self.batch.run(&plan, opts, stop, &|_| {})?;
        // Each report goes back to its film by the film's own path: the report's path is text
        // for people, which a name that is not UTF-8 does not survive.
        for (path, f) in files {
            // A film a stop cut short is not judged: the next watch checks it.
            if f.error_code.as_deref() == Some("interrupted") {
                continue;
            }
            self.arrivals.checked(&path);
            self.reports.insert(path, still_arriving(f));
        }
        Ok(())
    }

    /// Writes the report of every film checked so far, atomically, and says so on stderr.
    fn write(
        &self,
        format: crate::report::CheckFormat,
        opts: &batch::Options,
        stop: &AtomicBool,
    ) -> Result<()> {
        let out = &self.args.check.out;
        let report = self
            .batch
            .report(self.reports.values().cloned().collect())
            .with_system_files(self.system.clone());
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

/// A film that is cut short in an intake folder may be an upload that paused past the settle
/// time: it is an error until it grows (the watch then checks it again), and the reason says so.
fn still_arriving(mut r: FileReport) -> FileReport {
    if r.error_code.as_deref() == Some("truncated") {
        if let Some(why) = r.error.as_mut() {
            why.push_str(" (still arriving? it is checked again when it grows)");
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use crate::run::fake::{FakeProber, Log};
    use crate::run::store::Store;
    use crate::run::test_films::write_at;
    use clap::Parser;
    use reelcheck_facts::Facts;

    /// The first bytes of an MP4: a partial upload sniffs as a film.
    const MP4_HEAD: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2";

    fn watch_args(dir: &Path, report: &Path) -> WatchArgs {
        let (dir, report) = (dir.display().to_string(), report.display().to_string());
        let argv = ["reelcheck", "watch", &dir, "-o", &report, "--settle", "5"];
        match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Watch(args)) => *args,
            other => panic!("not a watch command: {other:?}"),
        }
    }

    fn fake() -> (batch::Options, Log) {
        let prober = FakeProber::default();
        let log = prober.log();
        let opts = batch::Options {
            strict: false,
            prober: Box::new(prober),
            store: Store::default(),
            progress: None,
            headline: String::new(),
        };
        (opts, log)
    }

    fn names(log: &Log) -> Vec<String> {
        log.take()
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_sidecar_arriving_after_its_film_has_it_checked_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let intake = dir.path().join("intake");
        std::fs::create_dir(&intake).expect("intake folder");
        write_at(&intake.join("night.mp4"), MP4_HEAD, 1);
        let args = watch_args(&intake, &dir.path().join("report.json"));
        let mut watch = Watch::new(&args, &intake).expect("a watch");
        let (mut opts, log) = fake();
        let stop = AtomicBool::new(false);
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        watch.step(true, at(0), &mut opts, &stop).expect("a step");
        assert!(names(&log).is_empty(), "still settling");
        watch.step(false, at(5), &mut opts, &stop).expect("a step");
        assert_eq!(names(&log), ["night.mp4"]);
        watch.step(true, at(10), &mut opts, &stop).expect("a step");
        assert!(names(&log).is_empty(), "unchanged");

        write_at(&intake.join("night.en.srt"), b"1\n", 2);
        watch.step(true, at(20), &mut opts, &stop).expect("a step");
        assert!(names(&log).is_empty(), "the sidecar settles first");
        watch.step(false, at(25), &mut opts, &stop).expect("a step");
        assert_eq!(names(&log), ["night.mp4"]);
        assert_eq!(watch.reports.len(), 1, "a sidecar is no entry of its own");
    }

    #[test]
    fn an_upload_paused_past_the_settle_time_says_so_and_is_checked_again_when_it_grows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let intake = dir.path().join("intake");
        std::fs::create_dir(&intake).expect("intake folder");
        let film = intake.join("night.mp4");
        write_at(&film, MP4_HEAD, 1);
        let args = watch_args(&intake, &dir.path().join("report.json"));
        let mut watch = Watch::new(&args, &intake).expect("a watch");
        let cut = Facts::failed(
            &film,
            "file ends before its header is complete (truncated?)",
        );
        let prober = FakeProber::default().with(&film, crate::run::fake::Canned::Facts(cut));
        let log = prober.log();
        let (mut opts, _) = fake();
        opts.prober = Box::new(prober);
        let stop = AtomicBool::new(false);
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        watch.step(true, at(0), &mut opts, &stop).expect("a step");
        watch.step(false, at(5), &mut opts, &stop).expect("a step");
        assert_eq!(names(&log), ["night.mp4"]);
        let why = watch.reports[&film].error.clone().unwrap_or_default();
        assert!(why.contains("still arriving?"), "{why}");
        // Unchanged: not checked again. Grown: checked again once it settles.
        watch.step(true, at(10), &mut opts, &stop).expect("a step");
        assert!(names(&log).is_empty());
        let mut more = MP4_HEAD.to_vec();
        more.extend_from_slice(&[0; 64]);
        write_at(&film, &more, 2);
        watch.step(true, at(20), &mut opts, &stop).expect("a step");
        watch.step(false, at(25), &mut opts, &stop).expect("a step");
        assert_eq!(names(&log), ["night.mp4"]);
    }

    #[test]
    fn a_partial_upload_is_not_checked_until_renamed_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let intake = dir.path().join("intake");
        std::fs::create_dir(&intake).expect("intake folder");
        let partial = intake.join("night.mp4.part");
        write_at(&partial, MP4_HEAD, 1);
        let args = watch_args(&intake, &dir.path().join("report.json"));
        let mut watch = Watch::new(&args, &intake).expect("a watch");
        let (mut opts, log) = fake();
        let stop = AtomicBool::new(false);
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        watch.step(true, at(0), &mut opts, &stop).expect("a step");
        watch.step(false, at(60), &mut opts, &stop).expect("a step");
        assert!(names(&log).is_empty());
        assert!(watch.reports.is_empty());
        std::fs::rename(&partial, intake.join("night.mp4")).expect("rename");
        watch.step(true, at(61), &mut opts, &stop).expect("a step");
        watch.step(false, at(66), &mut opts, &stop).expect("a step");
        assert_eq!(names(&log), ["night.mp4"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_film_whose_name_is_not_utf8_is_checked_once_not_every_poll() {
        use std::os::unix::ffi::OsStringExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let intake = dir.path().join("intake");
        std::fs::create_dir(&intake).expect("intake folder");
        let name = std::ffi::OsString::from_vec(b"caf\xe9.mp4".to_vec());
        write_at(&intake.join(&name), MP4_HEAD, 1);
        let args = watch_args(&intake, &dir.path().join("report.json"));
        let mut watch = Watch::new(&args, &intake).expect("a watch");
        let (mut opts, log) = fake();
        let stop = AtomicBool::new(false);
        let t0 = Instant::now();
        watch.step(true, t0, &mut opts, &stop).expect("a step");
        for poll in 1..6 {
            let now = t0 + Duration::from_secs(5 * poll);
            watch
                .step(poll % 2 == 0, now, &mut opts, &stop)
                .expect("a step");
        }
        assert_eq!(log.take().len(), 1, "checked once");
        assert_eq!(
            watch.reports.keys().collect::<Vec<_>>(),
            [&intake.join(&name)]
        );
    }
}

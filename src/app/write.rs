//! Reports on their way out: the format, the destination, the HTML pictures, the pages per
//! entry, JSON lines as files finish, and `reelcheck merge`.

use super::{outcome, usage};
use crate::cli::{MergeArgs, OutputArgs};
use crate::exit_codes::ExitCode;
use crate::output::{Content, Sink};
use crate::report::pictures::{Moments, Pictures};
use crate::report::{self, CheckFormat};
use crate::run::prober::Prober;
use crate::run::store::cache::Cache;
use crate::verdict::{FileReport, FileStatus, Report};
use anyhow::Result;
use reelcheck_facts::Stamp;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;

pub(super) fn merge(args: MergeArgs) -> Result<ExitCode> {
    let report = crate::report::merge::merge(&args.reports).map_err(usage)?;
    let format = output_format(&args.out)?;
    let sink = open_output(&args.out, format)?;
    // Pictures are grabbed with the same limits as `check` probes with, without a cache.
    let prober = super::config::prober(
        args.jobs,
        false,
        Some((args.limits.timeout, args.limits.memory_limit.0)),
    );
    write_report(
        &report,
        format,
        &args.out,
        prober.as_ref(),
        None,
        crate::interrupt::install(),
        sink,
    )?;
    if let Some(path) = &args.out.output {
        crate::output::message(&summary_line(path, &report));
    }
    Ok(outcome(&report))
}

/// The one line on stderr after `-o FILE` is written, so a run that prints no report still
/// says how it went: "wrote report.html: 12 files: 9 passed, 2 failed, 1 error, 3 warnings",
/// then what was ignored ("; 2 ignored; 3 system files ignored").
pub(super) fn summary_line(path: &std::path::Path, report: &Report) -> String {
    let s = &report.summary;
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    let mut line = format!(
        "wrote {}: {}: {} passed, {} failed, {}, {}",
        path.display(),
        n(s.files, "file", "files"),
        s.passed,
        s.failed,
        n(s.errors, "error", "errors"),
        n(s.warnings, "warning", "warnings"),
    );
    if s.not_checked > 0 {
        line.push_str(&format!(
            "; {} not checked for reasons not the file's (check again)",
            n(s.not_checked, "file", "files")
        ));
    }
    if s.ignored > 0 {
        line.push_str(&format!("; {} ignored", s.ignored));
    }
    if s.system_files > 0 {
        line.push_str(&format!(
            "; {} ignored",
            n(s.system_files, "system file", "system files")
        ));
    }
    if s.skipped.needs_decoding > 0 {
        line.push_str(&format!(
            "; {} skipped (--quick)",
            n(s.skipped.needs_decoding, "check", "checks")
        ));
    }
    line
}

/// An --output that cannot be written is a wrong command (exit code 2), found before any work.
pub(super) fn open_output(out: &OutputArgs, format: CheckFormat) -> Result<Sink> {
    if let Some(dir) = &out.per_entry {
        super::entry_pages::prepare(dir).map_err(usage)?;
    }
    let content = match format {
        CheckFormat::Text => Content::Text,
        _ => Content::Data,
    };
    Sink::open(out.output.as_deref(), content).map_err(usage)
}

/// The report's format: --format, else the --output file's extension, else text. An
/// extension that names no format is a mistake (`report.pdf` must not silently be text).
pub(super) fn output_format(out: &OutputArgs) -> Result<CheckFormat> {
    if let Some(f) = out.format {
        return Ok(f);
    }
    let Some(path) = out.output.as_deref() else {
        return Ok(CheckFormat::Text);
    };
    match (report::format_for(path), path.extension()) {
        (Some(f), _) => Ok(f),
        (None, None) => Ok(CheckFormat::Text),
        (None, Some(ext)) => Err(usage(format!(
            "{}: no report format is written as .{} (the formats: {}); name the format with --format",
            path.display(),
            ext.to_string_lossy(),
            report::format::EXTENSIONS
        ))),
    }
}

/// Writes the report; an HTML one gets its pictures first, read by `prober`.
pub(super) fn write_report(
    report: &Report,
    format: CheckFormat,
    out: &OutputArgs,
    prober: &dyn Prober,
    cache: Option<&Cache>,
    stop: &std::sync::atomic::AtomicBool,
    mut sink: Sink,
) -> Result<()> {
    let html = format == CheckFormat::Html || out.per_entry.is_some();
    let pictures = if html && !out.no_pictures {
        pictures(report, prober, cache, stop)?
    } else {
        BTreeMap::new()
    };
    if let Some(dir) = &out.per_entry {
        super::entry_pages::write(dir, report, &pictures)?;
    }
    let text = report::exporter(format, out.verbose, pictures).render(report)?;
    if format == CheckFormat::Csv && out.csv_bom {
        // Excel reads a CSV without one as the system's legacy code page ("Ã©" for "é").
        sink.write("\u{feff}")?;
    }
    sink.write(&text)?;
    sink.finish()?;
    Ok(())
}

/// The pages of `--per-entry` alone, for a run whose report went out line by line (JSON
/// Lines), so there was no whole report to write until now.
pub(super) fn write_entry_pages(
    report: &Report,
    out: &OutputArgs,
    prober: &dyn Prober,
    cache: Option<&Cache>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
    let Some(dir) = &out.per_entry else {
        return Ok(());
    };
    let pictures = if out.no_pictures {
        BTreeMap::new()
    } else {
        pictures(report, prober, cache, stop)?
    };
    super::entry_pages::write(dir, report, &pictures)
}

/// The files whose pictures a report may show: those it checked (it recorded their size and
/// modification time) that are regular files still of that size and time. A report read by
/// `merge` names whatever paths its writer put in it; without this, a crafted path would put a
/// frame of an unrelated private film in a page meant to be shared, or hang on a FIFO.
fn unchanged(f: &FileReport) -> Option<Stamp> {
    let recorded = f.stamp.as_ref()?;
    if f.status == FileStatus::Error {
        return None;
    }
    // `Stamp::of` is only for regular files (after following links).
    let now = Stamp::of(std::path::Path::new(&f.path))?;
    (now == *recorded).then_some(now)
}

/// The HTML report's pictures: from the cache when an earlier report of the same file made
/// them, otherwise grabbed like facts are probed, in worker processes with the run's limits (or
/// in this process with `--in-process`).
fn pictures(
    report: &Report,
    prober: &dyn Prober,
    cache: Option<&Cache>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<BTreeMap<String, Pictures>> {
    let mut found = BTreeMap::new();
    let mut asks: Vec<(&FileReport, PathBuf, Moments, Stamp)> = Vec::new();
    for f in &report.files {
        let Some(at) = report::pictures::moments(&f.facts) else {
            continue;
        };
        let Some(stamp) = unchanged(f) else {
            continue;
        };
        let path = PathBuf::from(&f.path);
        let cached = cache.and_then(|cache| cache.get_pictures(&path, &stamp, &at.grab()));
        match cached {
            Some(stills) => {
                found.insert(f.path.clone(), Pictures::from_stills(&at, stills));
            }
            None => asks.push((f, path, at, stamp)),
        }
    }
    let grabs: Vec<(PathBuf, reelcheck_probe::frames::Grab)> = asks
        .iter()
        .map(|(_, p, at, _)| (p.clone(), at.grab()))
        .collect();
    let taken = prober.grab_all(&grabs, stop)?;
    for ((f, path, at, stamp), stills) in asks.into_iter().zip(taken) {
        // A grab that crashed or timed out is not remembered: the next report tries again.
        let stills = match stills {
            Some(Ok(stills)) => stills,
            Some(Err(_)) | None => continue,
        };
        if let Some(cache) = cache {
            cache.put_pictures(&path, &stamp, &at.grab(), &stills);
        }
        found.insert(f.path.clone(), Pictures::from_stills(&at, stills));
    }
    Ok(found)
}

/// Writes JSON lines from the workers as each file finishes. A thread of its own does the
/// writing, so a slow reader of stdout never holds up probing.
pub(super) struct LineWriter {
    tx: mpsc::Sender<FileReport>,
    thread: std::thread::JoinHandle<Result<()>>,
}

impl LineWriter {
    pub(super) fn start(mut sink: Sink) -> LineWriter {
        let (tx, rx) = mpsc::channel::<FileReport>();
        let thread = std::thread::spawn(move || {
            for file in rx {
                sink.write(&report::jsonl::line(&file)?)?;
            }
            sink.finish()?;
            Ok(())
        });
        LineWriter { tx, thread }
    }

    pub(super) fn send(&self, file: FileReport) {
        // The writer only stops early on a write error, which `finish` reports.
        let _ = self.tx.send(file);
    }

    pub(super) fn finish(self) -> Result<()> {
        drop(self.tx);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the report writer stopped unexpectedly"))?
    }
}

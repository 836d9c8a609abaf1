//! Reports on their way out: the format, the destination, the HTML pictures, JSON lines as
//! files finish, and `reelcheck merge`.

use super::{outcome, usage};
use crate::cache::{Cache, Stamp};
use crate::cli::{MergeArgs, OutputArgs};
use crate::exit_codes::ExitCode;
use crate::output::Sink;
use crate::prober::Prober;
use crate::report::pictures::{Moments, Pictures};
use crate::report::{self, CheckFormat};
use crate::verdict::{FileReport, Report};
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;

pub(super) fn merge(args: MergeArgs) -> Result<ExitCode> {
    let report = crate::merge::merge(&args.reports).map_err(usage)?;
    let format = output_format(&args.out);
    let sink = open_output(&args.out)?;
    // An HTML report of merged runs grabs its pictures as `check` would, without a cache.
    write_report(
        &report,
        format,
        &args.out,
        &Prober::default(),
        None,
        crate::interrupt::install(),
        sink,
    )?;
    Ok(outcome(&report))
}

/// An --output that cannot be written is a wrong command (exit code 2), found before any work.
pub(super) fn open_output(out: &OutputArgs) -> Result<Sink> {
    Sink::open(out.output.as_deref()).map_err(|e| usage(e.to_string()))
}

pub(super) fn output_format(out: &OutputArgs) -> CheckFormat {
    out.format
        .or_else(|| out.output.as_deref().and_then(report::format_for))
        .unwrap_or(CheckFormat::Text)
}

/// Writes the report; an HTML one gets its pictures first, read by `prober`.
pub(super) fn write_report(
    report: &Report,
    format: CheckFormat,
    out: &OutputArgs,
    prober: &Prober,
    cache: Option<&Cache>,
    stop: &std::sync::atomic::AtomicBool,
    mut sink: Sink,
) -> Result<()> {
    let pictures = if format == CheckFormat::Html && !out.no_pictures {
        pictures(report, prober, cache, stop)?
    } else {
        BTreeMap::new()
    };
    let text = report::exporter(format, out.verbose, pictures).render(report)?;
    sink.write(&text)?;
    sink.finish()
}

/// The HTML report's pictures: from the cache when an earlier report of the same file made
/// them, otherwise grabbed like facts are probed, in worker processes with the run's limits (or
/// in this process with `--in-process`).
fn pictures(
    report: &Report,
    prober: &Prober,
    cache: Option<&Cache>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<BTreeMap<String, Pictures>> {
    let mut found = BTreeMap::new();
    let mut asks: Vec<(&FileReport, PathBuf, Moments, Option<Stamp>)> = Vec::new();
    for f in &report.files {
        let Some(at) = report::pictures::moments(&f.facts) else {
            continue;
        };
        let path = PathBuf::from(&f.path);
        let stamp = Stamp::of(&path);
        let cached = cache
            .zip(stamp.as_ref())
            .and_then(|(cache, stamp)| cache.get_pictures(&path, stamp, &at.grab()));
        match cached {
            Some(stills) => {
                found.insert(f.path.clone(), Pictures::from_stills(&at, stills));
            }
            None => asks.push((f, path, at, stamp)),
        }
    }
    let grabs: Vec<(PathBuf, crate::probe::frames::Grab)> = asks
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
        if let (Some(cache), Some(stamp)) = (cache, &stamp) {
            cache.put_pictures(&path, stamp, &at.grab(), &stills);
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
            sink.finish()
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

//! Checking a batch: probe each file in parallel, evaluate it, keep the input order.

use crate::facts::Facts;
use crate::probe::{self, Needs};
use crate::rules::eval::evaluate;
use crate::rules::RuleSet;
use crate::verdict::FileReport;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Options {
    /// Files probed at once; `None` means one per core.
    pub jobs: Option<usize>,
    pub strict: bool,
    pub needs: Needs,
}

/// Probes and evaluates every file. The result is in the order of `files`, whatever the
/// parallelism; a file that cannot be probed gets status `error`, and the rest carry on.
pub fn run(files: &[PathBuf], rules: &RuleSet, opts: &Options) -> anyhow::Result<Vec<FileReport>> {
    let progress = progress_bar(files.len() as u64);
    let work = || -> Vec<FileReport> {
        files
            .par_iter()
            .map(|path| {
                let facts = probe::probe(path, &opts.needs);
                let report = evaluate(rules, &facts, opts.strict);
                progress.inc(1);
                report
            })
            .collect()
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.jobs {
        builder = builder.num_threads(n);
    }
    let pool = builder.build()?;
    let reports = pool.install(work);
    progress.finish_and_clear();
    Ok(reports)
}

/// A report for a path that could not even be listed (an unreadable folder, a link loop).
pub fn unreadable(path: &Path, reason: &str) -> FileReport {
    let facts = Facts {
        path: path.display().to_string(),
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        error: Some(reason.to_string()),
        ..Default::default()
    };
    evaluate(&RuleSet::empty(), &facts, false)
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} checking {pos}/{len} [{bar:30}] {elapsed} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

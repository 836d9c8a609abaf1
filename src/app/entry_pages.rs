//! `--per-entry DIR`: one self-contained HTML page per entry, named so that any file system
//! takes it and no two entries share one, for an organizer to send to each filmmaker.

use crate::report::html;
use crate::report::pictures::Pictures;
use crate::verdict::Report;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Makes DIR if needed, before any work: a directory that cannot be made is a wrong command.
pub(super) fn prepare(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("--per-entry: cannot make {}: {e}", dir.display()))?;
    if !dir.is_dir() {
        return Err(format!("--per-entry: {} is not a directory", dir.display()));
    }
    Ok(())
}

/// Writes each entry's page atomically, so a page being rewritten is never seen half-written.
pub(super) fn write(
    dir: &Path,
    report: &Report,
    pictures: &BTreeMap<String, Pictures>,
) -> Result<()> {
    for (i, f) in report.files.iter().enumerate() {
        let page = html::entry_page(report, i, pictures.get(&f.path));
        let path = dir.join(html::entry_file_name(i, f));
        crate::atomic::write(&path, page.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

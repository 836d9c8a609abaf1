//! `--per-entry DIR`: one self-contained HTML page per entry, named so that any file system
//! takes it and no two entries share one, for an organizer to send to each filmmaker.

use crate::report::html;
use crate::report::pictures::Pictures;
use crate::verdict::{FileStatus, Report};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
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

/// The list of the pages the last run wrote in DIR, kept there so that the next run can remove
/// the pages that no longer apply (an entry withdrawn, renamed, or checked under another
/// name), and nothing else.
const WRITTEN: &str = ".reelcheck-pages";

/// Writes each entry's page atomically, so a page being rewritten is never seen half-written,
/// then removes the pages an earlier run wrote here that this run did not: a stale FAIL page
/// must not lie beside a new PASS page of the same film, waiting to be mailed.
pub(super) fn write(
    dir: &Path,
    report: &Report,
    pictures: &BTreeMap<String, Pictures>,
) -> Result<()> {
    let mut written = BTreeSet::new();
    for (i, f) in report.files.iter().enumerate() {
        // A file listed without being checked (a press kit, a hidden draft) is no entry a
        // filmmaker is sent a verdict on.
        if f.status == FileStatus::Ignored {
            continue;
        }
        let page = html::entry_page(report, i, pictures.get(&f.path));
        let name = html::entry_file_name(f);
        let path = dir.join(&name);
        crate::atomic::write(&path, page.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.insert(name);
    }
    for old in earlier(dir).difference(&written) {
        let path = dir.join(old);
        // Only a regular file that is still where this program put it is removed.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the stale page {}", path.display()))?;
        }
    }
    let list: String = written.iter().map(|n| format!("{n}\n")).collect();
    let record = dir.join(WRITTEN);
    crate::atomic::write(&record, list.as_bytes())
        .with_context(|| format!("cannot write {}", record.display()))
}

/// The pages the last run listed as its own: plain page names only (no folder, no other
/// extension), whatever else the list was made to hold.
fn earlier(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = crate::settings_file::read_text(&dir.join(WRITTEN)) else {
        return BTreeSet::new();
    };
    text.lines()
        .filter(|n| n.ends_with(".html") && !n.starts_with('.'))
        .filter(|n| !n.contains(['/', '\\']) && Path::new(n).file_name() == Some(n.as_ref()))
        .map(str::to_string)
        .collect()
}

//! After a batch is checked: which entries show the same film (among themselves and against
//! the earlier reports `--compare-with` names), what each entry learns from it
//! (`facts.similar`), and its rules evaluated again with that known.

use super::check_command::Batch;
use super::usage;
use crate::intake::plan::Plan;
use crate::rules::eval::evaluate;
use crate::similar::{self, earlier, Candidate, Group};
use crate::verdict::FileReport;
use anyhow::Result;
use std::collections::HashMap;
use std::path::PathBuf;

/// The films of the earlier reports; a report that cannot be read makes the command wrong.
pub(super) fn earlier(reports: &[PathBuf]) -> Result<Vec<Candidate>> {
    let mut out = Vec::new();
    for r in reports {
        out.extend(earlier::load(r).map_err(usage)?);
    }
    Ok(out)
}

/// Groups the batch's films, sets `facts.similar` on every entry with a fingerprint and
/// evaluates its track's rules again (rules may name `similar.*`). Entries of an earlier
/// report at a path of this batch are that same file checked before, not a second entry.
pub(super) fn apply(
    batch: &Batch,
    plan: &Plan,
    files: &mut [(PathBuf, FileReport)],
    earlier: &[Candidate],
    strict: bool,
) -> Vec<Group> {
    let set_of: HashMap<&PathBuf, usize> = plan
        .groups
        .iter()
        .flat_map(|g| g.entries.iter().map(move |e| (&e.path, g.set)))
        .collect();
    let films: Vec<(usize, Candidate)> = files
        .iter()
        .enumerate()
        .filter(|(_, (path, _))| set_of.contains_key(path))
        .filter_map(|(i, (_, r))| Some((i, earlier::of_report(r)?)))
        .collect();
    let batch_films: Vec<Candidate> = films.iter().map(|(_, c)| c.clone()).collect();
    let ours: std::collections::HashSet<&str> =
        batch_films.iter().map(|c| c.path.as_str()).collect();
    let others: Vec<Candidate> = earlier
        .iter()
        .filter(|c| !ours.contains(c.path.as_str()))
        .cloned()
        .collect();
    let groups = similar::find(&batch_films, &others);
    for (i, c) in &films {
        let (path, report) = &mut files[*i];
        let Some(&set) = set_of.get(&*path) else {
            continue;
        };
        let mut facts = report.facts.clone();
        facts.similar = Some(similar::facts_of(c, &groups, &batch_films));
        let mut again = evaluate(batch.tracks.set(set), &facts, strict);
        again.entry = report.entry.clone();
        again.stamp = report.stamp.clone();
        again.timing = report.timing;
        *report = again;
    }
    groups
}

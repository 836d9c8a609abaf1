//! What a run keeps for the next: the facts cache and the run journal, both keyed by one reuse
//! key (`key`), so facts are reused from either only while everything they depend on is
//! unchanged.

pub mod cache;
pub mod journal;
pub mod key;

use cache::Cache;
use journal::{Earlier, Journal};
use key::FileVersion;
use key::ReuseKey;
use reelcheck_facts::{error_code, Facts, Needs, ProbeSettings};
use reelcheck_probe::Listings;
use std::path::Path;

/// The cache, the journal being written and the journal of an earlier run, as one run uses
/// them.
#[derive(Default)]
pub struct Store {
    pub cache: Option<Cache>,
    pub journal: Option<Journal>,
    /// Files finished by an earlier run, from its journal (`--resume`).
    pub earlier: Earlier,
    /// The run's folder listings, for the sidecars each key names.
    listings: Listings,
}

/// Facts measured before, and where they were kept.
#[derive(Debug)]
pub enum Reused {
    /// In the earlier run's journal (they are not journaled again).
    Journaled(Facts),
    Cached(Facts),
}

impl Store {
    pub fn new(cache: Option<Cache>, journal: Option<Journal>, earlier: Earlier) -> Store {
        Store {
            cache,
            journal,
            earlier,
            listings: Listings::default(),
        }
    }

    /// The key of `path` as it is now, probed with `settings`; `None` for a path that is not a
    /// regular file, which is always read afresh.
    pub fn key(&self, path: &Path, settings: &ProbeSettings) -> Option<ReuseKey> {
        // Without a cache or a journal nothing is reused, and the content sample would be two
        // reads of every film for nothing.
        let reused = self.cache.is_some() || self.journal.is_some() || !self.earlier.is_empty();
        let file = FileVersion::read(path, &self.listings, reused)?;
        Some(ReuseKey::new(file, settings))
    }

    /// Facts measured under `key` before: from the earlier run's journal, else the cache.
    pub fn reuse(&self, key: &ReuseKey) -> Option<Reused> {
        if let Some(facts) = self.earlier.reusable(key) {
            return Some(Reused::Journaled(facts.clone()));
        }
        self.cache.as_ref()?.get(key).map(Reused::Cached)
    }

    /// Caches facts just measured under `key` (the cache leaves out those not worth keeping).
    pub fn keep(&self, path: &Path, key: &ReuseKey, facts: &Facts) {
        if let Some(cache) = &self.cache {
            cache.put(path, key, facts);
        }
    }

    /// Journals a finished file; a journal that cannot be written costs a warning, not the run.
    pub fn record(
        &self,
        path: &Path,
        key: &ReuseKey,
        status: crate::verdict::FileStatus,
        facts: Facts,
        needs: &Needs,
    ) {
        let Some(j) = &self.journal else {
            return;
        };
        if let Err(e) = j.append(&journal::Line::new(path, key, status, facts, needs)) {
            eprintln!("reelcheck: warning: cannot write the journal: {e}");
        }
    }
}

/// Whether facts are worth keeping for another run: not when reading them failed for a reason
/// that was not the file's (a time or memory limit, a crashed or unavailable worker, a stopped
/// run, an internal error), since the next try may well succeed.
pub fn worth_keeping(facts: &Facts) -> bool {
    let Some(error) = facts.error.as_deref() else {
        return true;
    };
    // The failure is typed where it happens; the wording is read only for facts of a run
    // that did not type it (a journal of an earlier build).
    let not_the_files_fault = facts.failure.is_some()
        || reelcheck_facts::failure::Failure::from_code(error_code::of(error)).is_some()
        || error.starts_with("internal:");
    !not_the_files_fault
}

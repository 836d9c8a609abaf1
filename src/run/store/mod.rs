//! What a run keeps for the next: the facts cache and the run journal.

pub mod cache;
pub mod journal;

use reelcheck_facts::error_code;
use reelcheck_facts::Facts;

/// Whether facts are worth keeping for another run: not when reading them failed for a reason
/// that was not the file's (a time or memory limit, a crashed or unavailable worker, a stopped
/// run, an internal error), since the next try may well succeed.
pub fn worth_keeping(facts: &Facts) -> bool {
    let Some(error) = facts.error.as_deref() else {
        return true;
    };
    let not_the_files_fault = matches!(
        error_code::of(error),
        "timeout" | "out_of_memory" | "crashed" | "interrupted" | "worker_unavailable"
    ) || error.starts_with("internal:");
    !not_the_files_fault
}

//! What a run keeps for the next: the facts cache and the run journal.

pub mod cache;
pub mod journal;

//! reelcheck: checks film-festival submissions against a festival's delivery rules.
//!
//! The pipeline is discover → probe (facts) → evaluate (verdicts) → report.

pub mod app;
pub mod atomic;
pub mod build_id;
pub mod cache;
pub mod check;
pub mod cli;
pub mod discover;
pub mod exit_codes;
pub mod festival;
pub mod intake;
pub mod interrupt;
pub mod journal;
pub mod merge;
pub mod output;
pub mod platform;
pub mod pool;
pub mod prober;
pub mod report;
pub mod rules;
pub mod settings_file;
pub mod verdict;
pub mod worker;

//! reelcheck: checks film-festival submissions against a festival's delivery rules.
//!
//! The pipeline is discover → probe (facts) → evaluate (verdicts) → report.

pub mod app;
pub mod atomic;
pub mod build_id;
pub mod cli;
pub mod exit_codes;
pub mod intake;
pub mod interrupt;
pub mod output;
pub mod platform;
pub mod report;
pub mod rules;
pub mod run;
pub mod settings_file;
pub mod similar;
pub mod verdict;

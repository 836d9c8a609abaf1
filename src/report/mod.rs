//! Reports: each format is a pure function of the check report (or of facts, for `probe`).

pub mod credits_text;
pub mod json;
pub mod probe_text;
pub mod text;

use crate::verdict::Report;

/// One output format of a check report.
pub trait Exporter {
    fn render(&self, report: &Report) -> anyhow::Result<String>;
}

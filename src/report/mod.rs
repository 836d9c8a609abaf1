//! Reports: each format is a pure function of the check report (or of facts, for `probe`).
//! Pictures for the HTML report are grabbed beforehand by `pictures`.

pub mod credits_explain;
pub mod credits_text;
pub mod csv;
pub mod format;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod merge;
pub mod pictures;
pub mod probe_text;
pub mod schema;
pub mod similar;
pub mod text;

use crate::verdict::Report;

pub use format::{exporter, format_for, CheckFormat};

/// One output format of a check report.
pub trait Exporter {
    fn render(&self, report: &Report) -> anyhow::Result<String>;
}

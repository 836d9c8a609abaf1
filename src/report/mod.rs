//! Reports: each format is a pure function of the check report (or of facts, for `probe`).
//! Pictures for the HTML report are grabbed beforehand by `pictures`.

pub mod credits_explain;
pub mod credits_text;
pub mod csv;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod pictures;
pub mod probe_text;
pub mod text;

use crate::cli::CheckFormat;
use crate::verdict::Report;

/// One output format of a check report.
pub trait Exporter {
    fn render(&self, report: &Report) -> anyhow::Result<String>;
}

/// The format `--output FILE` implies by its extension, when `--format` is not given.
pub fn format_for(output: &std::path::Path) -> Option<CheckFormat> {
    let ext = output.extension()?.to_string_lossy().to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => CheckFormat::Html,
        "json" => CheckFormat::Json,
        "jsonl" | "ndjson" => CheckFormat::Jsonl,
        "xml" => CheckFormat::Junit,
        "csv" => CheckFormat::Csv,
        "txt" => CheckFormat::Text,
        _ => return None,
    })
}

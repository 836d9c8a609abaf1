//! The formats of a check report, and the exporter that writes each.

use super::pictures::Pictures;
use super::Exporter;
use clap::ValueEnum;
use std::collections::BTreeMap;

/// Formats of a check report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// One JSON object per file, printed as each file finishes
    Jsonl,
    /// JUnit XML: a test suite per entry, a test case per rule
    Junit,
    /// One row per entry
    Csv,
    /// One self-contained page with pictures, to open in a browser or send by email
    Html,
}

/// The extensions `format_for` knows, for messages.
pub const EXTENSIONS: &str =
    ".txt (text), .json, .jsonl or .ndjson, .xml (JUnit), .csv, .html or .htm";

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

/// The exporter of `format`. `verbose` is for the text report; `pictures`, grabbed
/// beforehand, for the HTML one.
pub fn exporter(
    format: CheckFormat,
    verbose: bool,
    pictures: BTreeMap<String, Pictures>,
) -> Box<dyn Exporter> {
    match format {
        CheckFormat::Text => Box::new(super::text::Text { verbose }),
        CheckFormat::Json => Box::new(super::json::Json),
        CheckFormat::Jsonl => Box::new(super::jsonl::Jsonl),
        CheckFormat::Junit => Box::new(super::junit::Junit),
        CheckFormat::Csv => Box::new(super::csv::Csv),
        CheckFormat::Html => Box::new(super::html::Html { pictures }),
    }
}

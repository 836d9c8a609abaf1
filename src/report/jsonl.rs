//! JSON Lines: one file report per line, for streaming into other tools. `check` prints each
//! line as its file finishes (see `app`); rendering a whole report gives the same lines in
//! report order.

use crate::report::Exporter;
use crate::verdict::{FileReport, Report};

pub struct Jsonl;

impl Exporter for Jsonl {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = String::new();
        for f in &report.files {
            out.push_str(&line(f)?);
        }
        Ok(out)
    }
}

/// One file's line: its report, with the schema and reelcheck versions on every line so that
/// each stands on its own.
pub fn line(file: &FileReport) -> anyhow::Result<String> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        schema_version: u32,
        reelcheck_version: &'static str,
        #[serde(flatten)]
        file: &'a FileReport,
    }
    let line = Line {
        schema_version: crate::verdict::SCHEMA_VERSION,
        reelcheck_version: env!("CARGO_PKG_VERSION"),
        file,
    };
    Ok(serde_json::to_string(&line)? + "\n")
}

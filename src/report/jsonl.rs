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

pub fn line(file: &FileReport) -> anyhow::Result<String> {
    Ok(serde_json::to_string(file)? + "\n")
}

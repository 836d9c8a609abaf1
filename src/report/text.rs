//! The text report for people: a status per file, each failing or warning rule under it with
//! what was expected and what was found, then one summary line.

use crate::report::Exporter;
use crate::rules::Severity;
use crate::verdict::{FileStatus, Report, RuleStatus};
use std::fmt::Write as _;

pub struct Text {
    /// Also list failed info rules.
    pub verbose: bool,
}

impl Exporter for Text {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = String::new();
        let rs = &report.rule_set;
        let track = rs
            .track
            .as_deref()
            .map(|t| format!(", track {t}"))
            .unwrap_or_default();
        writeln!(out, "Rules: {} ({}{track})", rs.name, rs.source)?;
        writeln!(out)?;
        for file in &report.files {
            writeln!(out, "{:<5}  {}", file.status.label(), file.path)?;
            if file.status == FileStatus::Error {
                if let Some(e) = &file.error {
                    writeln!(out, "       {e}")?;
                }
                continue;
            }
            let shown = file.results.iter().filter(|r| {
                r.status == RuleStatus::Fail && (self.verbose || r.severity != Severity::Info)
            });
            for r in shown {
                writeln!(out, "       {:<7}  {}  {}", r.severity, r.id, r.message)?;
                writeln!(
                    out,
                    "                expected {}, found {}",
                    r.expected,
                    r.actual.as_deref().unwrap_or("nothing")
                )?;
            }
        }
        let s = &report.summary;
        writeln!(out)?;
        writeln!(
            out,
            "{} {}: {} passed, {} failed, {} {}, {} {}",
            s.files,
            plural(s.files, "file", "files"),
            s.passed,
            s.failed,
            s.errors,
            plural(s.errors, "error", "errors"),
            s.warnings,
            plural(s.warnings, "warning", "warnings"),
        )?;
        Ok(out)
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

//! The text report for people: a status per file, each failing or warning rule under it with
//! what was expected and what was found, then one summary line.

use crate::report::Exporter;
use crate::verdict::Severity;
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
            // Runs that check each entry by its own track say which, entry by entry.
            let track = match (&file.entry.track, report.rule_sets.is_empty()) {
                (Some(t), false) => format!("  [{t}]"),
                _ => String::new(),
            };
            writeln!(
                out,
                "{:<5}  {}{track}",
                file.status.label(),
                printable(&file.path)
            )?;
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

/// A path on one line: control characters (a newline in a file name) are shown escaped.
pub fn printable(path: &str) -> String {
    if path.chars().any(char::is_control) {
        path.chars()
            .flat_map(|c| {
                if c.is_control() {
                    c.escape_default().collect::<Vec<_>>()
                } else {
                    vec![c]
                }
            })
            .collect()
    } else {
        path.to_string()
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

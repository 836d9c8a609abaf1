//! The text report for people: a status per file, each failing or warning rule under it with
//! what was expected and what was found (as people say them) and how to fix it, then one
//! summary line.
//!
//! Every value that comes from a file or a report is put on one line (`one_line`): a newline
//! in a file name or a tag must not start a line of its own. Other control characters are
//! escaped where all text output goes out (`output::Sink`).

use crate::output::one_line;
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
            .map(|t| format!(", track {}", one_line(t)))
            .unwrap_or_default();
        writeln!(
            out,
            "Rules: {} ({}{track})",
            one_line(&rs.name),
            one_line(&rs.source)
        )?;
        writeln!(out)?;
        for file in &report.files {
            // Runs that check each entry by its own track say which, entry by entry.
            let track = match (&file.entry.track, report.rule_sets.is_empty()) {
                (Some(t), false) => format!("  [{}]", one_line(t)),
                _ => String::new(),
            };
            writeln!(
                out,
                "{:<5}  {}{track}",
                file.status.label(),
                one_line(&file.path)
            )?;
            // A verdict without its requirements checked must say so where it is read.
            let unchecked = file.unchecked_requirements();
            if unchecked > 0 {
                writeln!(
                    out,
                    "       not final: {unchecked} {} decoding and {} not checked (--quick)",
                    plural(unchecked, "requirement needs", "requirements need"),
                    plural(unchecked, "was", "were"),
                )?;
            }
            if file.status == FileStatus::Error {
                if let Some(e) = &file.error {
                    writeln!(out, "       {}", one_line(e))?;
                }
                continue;
            }
            let shown = file.results.iter().filter(|r| {
                r.status == RuleStatus::Fail && (self.verbose || r.severity != Severity::Info)
            });
            for r in shown {
                writeln!(
                    out,
                    "       {:<7}  {}  {}",
                    r.severity,
                    one_line(&r.id),
                    one_line(&r.message)
                )?;
                let found = one_line(r.actual_said());
                match r.expected_said() {
                    Some(e) => writeln!(
                        out,
                        "                expected {}, found {found}",
                        one_line(e)
                    )?,
                    None => writeln!(out, "                found {found}")?,
                }
                // One line per tool, as the rule file lists them.
                for line in r
                    .fix
                    .iter()
                    .flat_map(|f| f.lines())
                    .filter(|l| !l.trim().is_empty())
                {
                    writeln!(out, "                fix: {}", one_line(line.trim()))?;
                }
            }
        }
        let s = &report.summary;
        writeln!(out)?;
        // Before the totals, which stay the last line.
        if let Some(skipped) = s.skipped.sentence() {
            writeln!(out, "Skipped: {skipped}")?;
        }
        if s.provisional > 0 {
            writeln!(
                out,
                "{} {} not final: checked without decoding (--quick); check again without --quick",
                s.provisional,
                plural(s.provisional, "verdict is", "verdicts are"),
            )?;
        }
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

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

/// The rules the run used: one set, or a line per track of the festival with the track's title
/// (what the organizer calls it, "Documentary"), so that a reader knows which rules checked
/// whom without opening the festival file.
fn header(out: &mut String, report: &Report) -> std::fmt::Result {
    let rs = &report.rule_set;
    if report.rule_sets.is_empty() {
        let track = rs
            .track
            .as_deref()
            .map(|t| format!(", track {}", track_said(t, rs.title.as_deref())))
            .unwrap_or_default();
        return writeln!(
            out,
            "Rules: {} ({}{track})",
            one_line(&rs.name),
            one_line(&rs.source)
        );
    }
    writeln!(
        out,
        "Rules: {} ({})",
        one_line(&rs.name),
        one_line(&rs.source)
    )?;
    for set in &report.rule_sets {
        let track = set.track.as_deref().unwrap_or("any");
        writeln!(
            out,
            "       track {}: {} ({})",
            track_said(track, set.title.as_deref()),
            one_line(&set.name),
            one_line(&set.source)
        )?;
    }
    Ok(())
}

/// `documentary "Documentary"`: the track's name as the options take it, and its title when the
/// festival gives it one of its own.
fn track_said(name: &str, title: Option<&str>) -> String {
    match title.filter(|t| !t.trim().is_empty() && *t != name) {
        Some(t) => format!("{} \"{}\"", one_line(name), one_line(t)),
        None => one_line(name).into_owned(),
    }
}

pub struct Text {
    /// Also list failed info rules.
    pub verbose: bool,
}

impl Exporter for Text {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = String::new();
        header(&mut out, report)?;
        writeln!(out)?;
        for file in &report.files {
            // Runs that check each entry by its own track say which, entry by entry.
            let track = match (&file.entry.track, report.rule_sets.is_empty()) {
                (Some(t), false) => format!("  [{}]", one_line(t)),
                _ => String::new(),
            };
            // The verdict in words where a label alone misleads: a PASS with warnings below it
            // must not read as all clear.
            let said = match file.status {
                FileStatus::Pass if file.warning_count() == 0 => String::new(),
                FileStatus::Pass | FileStatus::Fail => format!("  ({})", file.verdict_said()),
                FileStatus::Error if file.not_the_files_fault() => {
                    format!("  ({})", file.verdict_said())
                }
                _ => String::new(),
            };
            writeln!(
                out,
                "{:<5}  {}{track}{said}",
                file.status.label(),
                one_line(&file.path)
            )?;
            // A manifest's submission id and title: what an organizer files the entry under.
            if let Some(entry) = entry_said(&file.entry) {
                writeln!(out, "       {entry}")?;
            }
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
            // Why it could not be checked, or was not.
            if matches!(file.status, FileStatus::Error | FileStatus::Ignored) {
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
                writeln!(out, "                {}", one_line(&r.finding_said()))?;
                // One line per tool, as the rule file lists them.
                for line in r.fix_lines() {
                    writeln!(out, "                fix: {}", one_line(line))?;
                }
            }
        }
        let s = &report.summary;
        writeln!(out)?;
        out.push_str(&super::similar::text(report));
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
        if s.system_files > 0 {
            writeln!(
                out,
                "{} system {} ignored (.DS_Store, Thumbs.db and the like)",
                s.system_files,
                plural(s.system_files, "file", "files"),
            )?;
        }
        let with_warnings = if s.passed_with_warnings > 0 {
            format!(" ({} with warnings)", s.passed_with_warnings)
        } else {
            String::new()
        };
        let not_checked = if s.not_checked > 0 {
            format!(" ({} not the file's fault: check again)", s.not_checked)
        } else {
            String::new()
        };
        let ignored = if s.ignored > 0 {
            format!(", {} ignored", s.ignored)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{} {}: {} passed{with_warnings}, {} failed, {} {}{not_checked}{ignored}, {} {}",
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

/// `entry 17 "Night Bus"`: the submission id and title a manifest gives, when it gives them.
fn entry_said(entry: &crate::verdict::EntryInfo) -> Option<String> {
    let id = entry.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let title = entry
        .title
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (id, title) {
        (None, None) => None,
        (Some(id), None) => Some(format!("entry {}", one_line(id))),
        (None, Some(t)) => Some(format!("\"{}\"", one_line(t))),
        (Some(id), Some(t)) => Some(format!("entry {} \"{}\"", one_line(id), one_line(t))),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

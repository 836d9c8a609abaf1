//! CSV for spreadsheets: one row per entry. The columns are a contract; add new ones at the end.
//!
//! path, id, title, track, status, failed, warned, runtime_s, container, video_codec, width,
//! height, fps, audio_codec, channels, sample_rate, loudness_lufs, true_peak_dbtp,
//! credits_start_s, credits_position, failed_rules, warned_rules, error, findings, fixes
//!
//! `findings` says each failed error and warning rule as the text report does
//! (`runtime.max: expected at most 15 minutes, found 16:00`), separated by ` | `; `fixes` holds
//! their fix lines, each after its rule's id, separated likewise. Every entry stays one line of
//! the file (`wc -l`, `grep` work on it). The columns before them keep raw values for scripts.
//!
//! `failed`/`warned` count the failed error and warning rules; `failed_rules`/`warned_rules`
//! list their ids separated by spaces. Numbers are plain (seconds, pixels, Hz, LUFS); an empty
//! cell is a fact that is unknown or was not measured.
//!
//! Every cell is on one line: control characters in it (newlines from a file name, a manifest
//! title or a tag) are written escaped (`\n`), as in the text report.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (CSV injection):
//! a file named `=HYPERLINK(…).mp4` or a manifest title would run in the organizer's
//! spreadsheet. As OWASP recommends, such a cell (and one starting with a tab or a carriage
//! return) is written with a `'` in front, which spreadsheets show as text; a number such as
//! `-23.1` is left as it is. Quoting is the csv crate's.

use crate::output::one_line;
use crate::report::Exporter;
use crate::verdict::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleResult};

/// Between the findings (and the fixes) of one entry: a cell on one line reads in a spreadsheet
/// and keeps one entry to one line of the file.
const SEPARATOR: &str = " | ";

pub const COLUMNS: &[&str] = &[
    "path",
    "id",
    "title",
    "track",
    "status",
    "failed",
    "warned",
    "runtime_s",
    "container",
    "video_codec",
    "width",
    "height",
    "fps",
    "audio_codec",
    "channels",
    "sample_rate",
    "loudness_lufs",
    "true_peak_dbtp",
    "credits_start_s",
    "credits_position",
    "failed_rules",
    "warned_rules",
    "error",
    "findings",
    "fixes",
];

pub struct Csv;

impl Exporter for Csv {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(COLUMNS)?;
        for file in &report.files {
            w.write_record(row(file).iter().map(|cell| cell_text(cell)))?;
        }
        Ok(String::from_utf8(w.into_inner()?)?)
    }
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Three decimals: enough for frame-accurate times, short enough to read.
fn secs(v: Option<f64>) -> String {
    v.map(|x| format!("{:.3}", x)).unwrap_or_default()
}

fn row(file: &FileReport) -> Vec<String> {
    let f = &file.facts;
    let v = f.video.first();
    let a = f.audio.first();
    let loud = a.and_then(|a| a.loudness.as_ref());
    let ids = |sev: Severity| {
        file.failures(sev)
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let status = match file.status {
        FileStatus::Pass => "pass",
        FileStatus::Fail => "fail",
        FileStatus::Error => "error",
        FileStatus::Ignored => "ignored",
    };
    vec![
        file.path.clone(),
        file.entry.id.clone().unwrap_or_default(),
        file.entry.title.clone().unwrap_or_default(),
        file.entry.track.clone().unwrap_or_default(),
        status.to_string(),
        file.failures(Severity::Error).count().to_string(),
        file.failures(Severity::Warning).count().to_string(),
        secs(f.container.as_ref().and_then(|c| c.duration_s)),
        f.container
            .as_ref()
            .map(|c| c.format.clone())
            .unwrap_or_default(),
        v.map(|v| v.codec.clone()).unwrap_or_default(),
        num(v.map(|v| v.width)),
        num(v.map(|v| v.height)),
        num(v.and_then(|v| v.fps).map(|x| (x * 1000.0).round() / 1000.0)),
        a.map(|a| a.codec.clone()).unwrap_or_default(),
        num(a.map(|a| a.channels)),
        num(a.map(|a| a.sample_rate)),
        num(loud.and_then(|l| l.integrated_lufs)),
        num(loud.and_then(|l| l.true_peak_dbtp)),
        secs(f.credits.as_ref().and_then(|c| c.start_s)),
        f.credits
            .as_ref()
            .map(|c| c.position.clone())
            .unwrap_or_default(),
        ids(Severity::Error),
        ids(Severity::Warning),
        file.error.clone().unwrap_or_default(),
        findings(file)
            .map(|(r, said)| format!("{}: {said}", one_line(&r.id)))
            .collect::<Vec<_>>()
            .join(SEPARATOR),
        findings(file)
            .flat_map(|(r, _)| {
                r.fix_lines()
                    .map(move |l| format!("{}: {}", one_line(&r.id), one_line(l)))
            })
            .collect::<Vec<_>>()
            .join(SEPARATOR),
    ]
}

/// Failed error and warning rules with what was expected and found in words for people. Each
/// piece is put on one line, so a newline from a submission cannot fake a finding of its own.
fn findings(file: &FileReport) -> impl Iterator<Item = (&RuleResult, String)> {
    file.failures(Severity::Error)
        .chain(file.failures(Severity::Warning))
        .map(|r| (r, one_line(&r.finding_said()).into_owned()))
}

/// A cell as written: on one line (a newline or carriage return in a file name, a manifest
/// title or a tag would otherwise start a line of its own, one that could read "PASS"), with
/// every other control character shown escaped, and never a formula.
fn cell_text(cell: &str) -> String {
    neutralise(&one_line(cell)).into_owned()
}

/// A cell a spreadsheet would take as text, never as a formula (OWASP, "CSV Injection").
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if starts_formula && !is_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A plain decimal number (`-23.1`, `+1e3`): what the numeric columns hold. Words that Rust
/// parses as numbers (`-inf`, `NaN`) are not.
fn is_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && cell.bytes().any(|b| b.is_ascii_digit())
        && cell.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::{cell_text, neutralise};

    #[test]
    fn every_cell_stays_on_one_line() {
        assert_eq!(cell_text("a\nPASS,b.mp4"), "a\\nPASS,b.mp4");
        assert_eq!(cell_text("x\r\n=1"), "x\\r\\n=1");
        assert_eq!(cell_text("bell\u{7}"), "bell\\u{7}");
        // Escaping comes first, so a cell that now starts with a formula sign is neutralised.
        assert_eq!(cell_text("\t=1"), "\\t=1");
    }

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("-inf", "'-inf"),
            ("-23.1", "-23.1"),
            ("+1e3", "+1e3"),
            ("night.mp4", "night.mp4"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), written, "{cell}");
        }
    }
}

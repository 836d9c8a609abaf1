//! What checking produces: a result per rule, a status per file, and the report of a run.
//! These serialize to the check-report JSON of docs/design.md; reports in every format are made
//! from them alone.

use reelcheck_facts::failure::Failure;
use reelcheck_facts::Facts;
use reelcheck_facts::Stamp;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a failed rule matters: errors fail a file, warnings fail it with `--strict`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Pass,
    Fail,
    Skip,
}

/// Why a rule was skipped.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SkipCause {
    /// Its fact needs decoding, which `--quick` leaves out.
    NeedsDecoding,
    /// Its `when` condition does not hold for this file.
    NotApplicable,
    /// The file has no stream (or item) of the kind the rule looks at.
    NoStream,
    /// The value could not be established, and the rule is not a requirement.
    Unknown,
}

impl SkipCause {
    pub const ALL: [SkipCause; 4] = [
        SkipCause::NeedsDecoding,
        SkipCause::NotApplicable,
        SkipCause::NoStream,
        SkipCause::Unknown,
    ];
}

/// A measured value as a number in its unit, for scripts: `{"value": 61.2, "unit": "s"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Measured {
    pub value: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleResult {
    pub id: String,
    pub severity: Severity,
    pub status: RuleStatus,
    pub message: String,
    pub expected: String,
    /// What the file has, in the rule's units; null when skipped.
    pub actual: Option<String>,
    /// `actual` as a number with its unit, when the rule looked at one number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_value: Option<Measured>,
    /// Why the rule was skipped (with `status` skip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_cause: Option<SkipCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why a rule was skipped, or why it failed on a value that could not be established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `expected` as a person says it ("MP4/MOV", "at most 15 minutes"); absent when only the
    /// rule's pattern can say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_text: Option<String>,
    /// `actual` as a person says it ("640 × 360", "MKV (Matroska)", "4:2:2 10-bit").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_text: Option<String>,
    /// How to fix a failure, one line per tool ("DaVinci Resolve: …"). Reports of schema
    /// version 1 held one text with a line per tool; `merge` still reads them.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "fix_lines_or_text"
    )]
    #[schemars(with = "Vec<String>")]
    pub fix: Vec<String>,
    /// `expected` as numbers in the fact's base unit, for scripts: the comparison and its
    /// limits (`{"op": "le", "value": -16, "unit": "LUFS"}`); absent for text, yes/no and
    /// patterns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_value: Option<ExpectedValue>,
    /// The fact the rule looks at, as the rule file names it (`audio[*].loudness.integrated_lufs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
}

impl RuleResult {
    /// What was expected, in words for people; `None` when only the rule's regular expression
    /// could say it (a report written before these words existed shows `expected` as it is).
    pub fn expected_said(&self) -> Option<&str> {
        match (&self.expected_text, &self.actual_text) {
            (Some(e), _) => Some(e),
            (None, Some(_)) => None,
            (None, None) => Some(&self.expected),
        }
    }

    /// What was found, in words for people when the report has them.
    pub fn actual_said(&self) -> &str {
        self.actual_text
            .as_deref()
            .or(self.actual.as_deref())
            .unwrap_or("nothing")
    }

    /// "expected …, found …" in words for people, as every report for people says a finding.
    pub fn finding_said(&self) -> String {
        match self.expected_said() {
            Some(e) => format!("expected {e}, found {}", self.actual_said()),
            None => format!("found {}", self.actual_said()),
        }
    }

    /// The fix, one line per tool, blank lines left out.
    pub fn fix_lines(&self) -> impl Iterator<Item = &str> {
        self.fix
            .iter()
            .flat_map(|f| f.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Pass,
    Fail,
    Error,
    /// Listed without being checked, and no failure: a file in an intake folder that an
    /// `--ignore` pattern names, a hidden file, a document or picture (`error` says which).
    Ignored,
}

impl FileStatus {
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Pass => "PASS",
            FileStatus::Fail => "FAIL",
            FileStatus::Error => "ERROR",
            FileStatus::Ignored => "IGNORED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FileReport {
    pub path: String,
    pub status: FileStatus,
    pub error: Option<String>,
    /// A stable code for `error` (see `error_code`); absent for a file that was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The verdict was reached with requirements (error rules) left unchecked because their
    /// facts need decoding (`--quick`): a pass is not yet a pass.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    pub results: Vec<RuleResult>,
    pub facts: Facts,
    /// Which track the entry was checked as, and its submission id and title when a manifest
    /// names them. Additive to the report contract: absent when unknown.
    #[serde(flatten)]
    pub entry: EntryInfo,
    /// The size and modification time of the file when it was checked; absent for a file that
    /// could not be read. `merge` takes pictures only of files that still match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
    /// When this run started checking the file and how long it took (reading its facts from
    /// the cache takes next to nothing), for the JUnit report. Not in the JSON report, which
    /// says what was found, not when.
    #[serde(skip)]
    #[schemars(skip)]
    pub timing: Option<Timing>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntryInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The entry's path relative to the folder or manifest it came from, `/`-separated: the
    /// same wherever the intake is mounted, so `merge` knows one entry in two reports by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl FileReport {
    /// Error rules left unchecked because their facts need decoding.
    pub fn unchecked_requirements(&self) -> usize {
        self.results
            .iter()
            .filter(|r| {
                r.severity == Severity::Error && r.skip_cause == Some(SkipCause::NeedsDecoding)
            })
            .count()
    }

    /// Failed rules of `severity`.
    pub fn failures(&self, severity: Severity) -> impl Iterator<Item = &RuleResult> {
        self.results
            .iter()
            .filter(move |r| r.status == RuleStatus::Fail && r.severity == severity)
    }

    /// How many warning rules failed.
    pub fn warning_count(&self) -> usize {
        self.failures(Severity::Warning).count()
    }

    /// Whether the file could not be checked for a reason that is not the file's: a time or
    /// memory limit, a crashed or unavailable worker, a stopped run, reelcheck's own fault.
    /// Such an entry is neither accepted nor rejected; it must be checked again.
    pub fn not_the_files_fault(&self) -> bool {
        self.status == FileStatus::Error
            && (self.facts.failure.is_some()
                || self
                    .error_code
                    .as_deref()
                    .and_then(Failure::from_code)
                    .is_some())
    }

    /// The verdict in words, as the verdict line says it: "passed", "passed with 2 warnings",
    /// "failed: 1 requirement not met, 1 warning", "could not be checked", "not checked". A
    /// pass with warnings must not read as all clear.
    pub fn verdict_said(&self) -> String {
        let warnings = self.warning_count();
        let w = count(warnings, "warning", "warnings");
        match self.status {
            FileStatus::Pass if warnings == 0 => "passed".to_string(),
            FileStatus::Pass => format!("passed with {w}"),
            FileStatus::Fail => {
                let errors = self.failures(Severity::Error).count();
                let mut parts = Vec::new();
                if errors > 0 {
                    parts.push(count(errors, "requirement not met", "requirements not met"));
                }
                if warnings > 0 {
                    parts.push(w);
                }
                if parts.is_empty() {
                    // --strict with requirements left unchecked (--quick).
                    "failed".to_string()
                } else {
                    format!("failed: {}", parts.join(", "))
                }
            }
            FileStatus::Error if self.not_the_files_fault() => {
                "could not be checked, for a reason not the file's: check it again".to_string()
            }
            FileStatus::Error => "could not be checked".to_string(),
            FileStatus::Ignored => "not checked".to_string(),
        }
    }
}

/// "1 warning", "2 warnings".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleSetInfo {
    pub name: String,
    pub track: Option<String>,
    pub source: String,
    /// The track's title in the festival file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl RuleSetInfo {
    /// Describes several sets as one, for readers of `rule_set` that know nothing of tracks.
    pub fn combined(sets: &[RuleSetInfo]) -> RuleSetInfo {
        match sets {
            [one] => one.clone(),
            _ => RuleSetInfo {
                name: sets
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join("+"),
                track: None,
                source: "by track".to_string(),
                title: None,
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub files: usize,
    pub passed: usize,
    /// Of `passed`, the files that passed with failed warnings (counted in `passed` too).
    #[serde(default)]
    pub passed_with_warnings: usize,
    pub failed: usize,
    pub errors: usize,
    /// Of `errors`, the files that could not be checked for a reason that is not the file's
    /// (a time or memory limit, a crashed worker, a stopped run): neither accepted nor
    /// rejected, to be checked again (exit status 4 when nothing was rejected).
    #[serde(default)]
    pub not_checked: usize,
    /// Files listed without being checked (status `ignored`), counted in `files` too.
    #[serde(default)]
    pub ignored: usize,
    /// System files left out of the intake folders (`.DS_Store`, `Thumbs.db`), which are not
    /// in `files`.
    #[serde(default)]
    pub system_files: usize,
    /// Warning-severity rules that failed, over all files.
    pub warnings: usize,
    /// Files whose verdict left requirements unchecked (see `FileReport::provisional`).
    #[serde(default)]
    pub provisional: usize,
    /// Skipped rules over all files, by cause.
    #[serde(default)]
    pub skipped: Skipped,
}

/// Rules skipped, over all files, by why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Skipped {
    pub needs_decoding: usize,
    pub not_applicable: usize,
    pub no_stream: usize,
    pub unknown: usize,
    /// Of `no_stream`, how many by the kind of stream that was missing: `subtitles`, `audio`,
    /// `video`, `chapters`, so a report can say "no subtitles, so 4 subtitle checks do not
    /// apply".
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub no_stream_by_kind: std::collections::BTreeMap<String, usize>,
}

/// The kind of stream a no-stream skip's reason names ("no subtitle tracks", "no audio
/// stream at audio[1]").
fn missing_kind(reason: &str) -> Option<&'static str> {
    let what = reason.strip_prefix("no ")?;
    [
        ("subtitle", "subtitles"),
        ("audio", "audio"),
        ("video", "video"),
        ("chapter", "chapters"),
    ]
    .into_iter()
    .find(|(word, _)| what.starts_with(word))
    .map(|(_, kind)| kind)
}

impl Skipped {
    pub fn count(&mut self, cause: SkipCause) {
        *self.get_mut(cause) += 1;
    }

    /// Counts one skipped result, with the kind of stream it found missing.
    pub fn count_result(&mut self, r: &RuleResult) {
        let Some(cause) = r.skip_cause else { return };
        self.count(cause);
        if cause == SkipCause::NoStream {
            let kind = r
                .reason
                .as_deref()
                .and_then(missing_kind)
                .unwrap_or("other");
            *self.no_stream_by_kind.entry(kind.to_string()).or_default() += 1;
        }
    }

    pub fn get(&self, cause: SkipCause) -> usize {
        match cause {
            SkipCause::NeedsDecoding => self.needs_decoding,
            SkipCause::NotApplicable => self.not_applicable,
            SkipCause::NoStream => self.no_stream,
            SkipCause::Unknown => self.unknown,
        }
    }

    fn get_mut(&mut self, cause: SkipCause) -> &mut usize {
        match cause {
            SkipCause::NeedsDecoding => &mut self.needs_decoding,
            SkipCause::NotApplicable => &mut self.not_applicable,
            SkipCause::NoStream => &mut self.no_stream,
            SkipCause::Unknown => &mut self.unknown,
        }
    }

    pub fn total(&self) -> usize {
        SkipCause::ALL.iter().map(|c| self.get(*c)).sum()
    }

    /// What was not checked and why, in plain words: "no subtitles, so 4 subtitle checks do
    /// not apply; 21 checks need decoding and were skipped (--quick)", or `None`.
    pub fn sentence(&self) -> Option<String> {
        let checks =
            |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "check" } else { "checks" });
        let mut parts: Vec<String> = Vec::new();
        for c in SkipCause::ALL {
            let n = self.get(c);
            if n == 0 {
                continue;
            }
            match c {
                SkipCause::NeedsDecoding => parts.push(format!(
                    "{} {} decoding and {} skipped (--quick)",
                    checks(n, ""),
                    if n == 1 { "needs" } else { "need" },
                    if n == 1 { "was" } else { "were" }
                )),
                SkipCause::NotApplicable => parts.push(format!(
                    "{} {} only to other kinds of film (another codec or container)",
                    checks(n, ""),
                    if n == 1 { "applies" } else { "apply" }
                )),
                SkipCause::NoStream => {
                    let mut told = 0;
                    for (kind, k) in &self.no_stream_by_kind {
                        let (none, what) = match kind.as_str() {
                            "subtitles" => ("no subtitles", "subtitle "),
                            "audio" => ("no sound", "sound "),
                            "video" => ("no picture", "picture "),
                            "chapters" => ("no chapters", "chapter "),
                            _ => continue,
                        };
                        told += k;
                        parts.push(format!(
                            "{none}, so {} {}",
                            checks(*k, what),
                            if *k == 1 {
                                "does not apply"
                            } else {
                                "do not apply"
                            }
                        ));
                    }
                    // Counts from a report that did not keep the kinds.
                    if n > told {
                        parts.push(format!(
                            "{} did not apply: the file has none of what they look at",
                            checks(n - told, "")
                        ));
                    }
                }
                SkipCause::Unknown => parts.push(format!(
                    "{} could not be made: the file does not state the value {} at",
                    checks(n, ""),
                    if n == 1 { "it looks" } else { "they look" }
                )),
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[cfg(test)]
mod skipped_tests {
    use super::*;

    #[test]
    fn skips_are_said_as_what_was_not_checked_and_why() {
        let mut s = Skipped::default();
        let no_subs = RuleResult {
            id: "subtitles.lines".into(),
            severity: Severity::Warning,
            status: RuleStatus::Skip,
            message: String::new(),
            expected: String::new(),
            actual: None,
            actual_value: None,
            skip_cause: Some(SkipCause::NoStream),
            source: None,
            reason: Some("no subtitle tracks".into()),
            expected_text: None,
            actual_text: None,
            fix: Vec::new(),
            expected_value: None,
            fact: None,
        };
        for _ in 0..4 {
            s.count_result(&no_subs);
        }
        s.count(SkipCause::Unknown);
        assert_eq!(
            s.sentence().as_deref(),
            Some("no subtitles, so 4 subtitle checks do not apply; 1 check could not be made: the file does not state the value it looks at")
        );
    }
}

/// The version of the JSON report's layout. New fields do not change it; it is raised only
/// when a field is renamed, removed or changes its meaning.
pub const SCHEMA_VERSION: u32 = 2;

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

fn reelcheck_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// See `SCHEMA_VERSION`.
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// The reelcheck that wrote the report.
    #[serde(default = "reelcheck_version")]
    pub reelcheck_version: String,
    pub rule_set: RuleSetInfo,
    /// The festival whose tracks the entries were checked by: its name and the contact line
    /// the pages sent to filmmakers give; absent when the run named no festival file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub festival: Option<FestivalInfo>,
    /// Every rule set of a run that checks each entry by its own track; absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_sets: Vec<RuleSetInfo>,
    pub summary: Summary,
    pub files: Vec<FileReport>,
    /// The system files left out, by their path relative to the folder searched, so that
    /// `merge` counts each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system_files: Vec<String>,
    /// Pairs of entries that show the same pictures (see docs/similar.md); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<crate::similar::Group>,
}

impl Report {
    pub fn new(rule_set: RuleSetInfo, files: Vec<FileReport>) -> Report {
        let mut summary = Summary {
            files: files.len(),
            ..Default::default()
        };
        for f in &files {
            match f.status {
                FileStatus::Pass => summary.passed += 1,
                FileStatus::Fail => summary.failed += 1,
                FileStatus::Error => summary.errors += 1,
                FileStatus::Ignored => summary.ignored += 1,
            }
            if f.status == FileStatus::Pass && f.warning_count() > 0 {
                summary.passed_with_warnings += 1;
            }
            if f.not_the_files_fault() {
                summary.not_checked += 1;
            }
            summary.warnings += f.failures(Severity::Warning).count();
            summary.provisional += usize::from(f.provisional);
            for r in &f.results {
                summary.skipped.count_result(r);
            }
        }
        Report {
            schema_version: SCHEMA_VERSION,
            reelcheck_version: reelcheck_version(),
            rule_set,
            festival: None,
            rule_sets: Vec::new(),
            summary,
            files,
            system_files: Vec::new(),
            similar: Vec::new(),
        }
    }

    /// The report with the system files its run left out (their keys), counted once each.
    pub fn with_system_files(mut self, mut keys: Vec<String>) -> Report {
        keys.sort();
        keys.dedup();
        self.summary.system_files = keys.len();
        self.system_files = keys;
        self
    }

    /// A report over entries checked with several rule sets (one per track).
    pub fn by_track(sets: Vec<RuleSetInfo>, files: Vec<FileReport>) -> Report {
        let mut report = Report::new(RuleSetInfo::combined(&sets), files);
        if sets.len() > 1 {
            report.rule_sets = sets;
        }
        report
    }

    /// Whether every file passed.
    pub fn all_passed(&self) -> bool {
        self.summary.failed == 0 && self.summary.errors == 0
    }
}

/// A rule's expectation as numbers, in the base unit of its fact (seconds, bytes, LUFS, dB …):
/// `op` is the rule's operator; `value` its number (`eq` … `ge`, `multiple_of`), `min` and
/// `max` its range (`between`), `values` its list (`in`, `not_in`); `tolerance` the rule's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExpectedValue {
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    pub unit: String,
}

/// The festival of a run, as the pages say it: its name, and the line a filmmaker is told to
/// write to (`contact` in the festival file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FestivalInfo {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// `fix` as an array of lines, or as the one text of schema version 1 (a line per tool).
fn fix_lines_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Fix {
        Lines(Vec<String>),
        Text(Option<String>),
    }
    Ok(match Fix::deserialize(d)? {
        Fix::Lines(lines) => lines,
        Fix::Text(text) => text
            .iter()
            .flat_map(|t| t.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// When a file's check started in this run, and how long it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub started: std::time::SystemTime,
    pub seconds: f64,
}

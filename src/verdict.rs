//! What checking produces: a result per rule, a status per file, and the report of a run.
//! These serialize to the check-report JSON of DESIGN.md; reports in every format are made
//! from them alone.

use crate::facts::Facts;
use crate::rules::Severity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Pass,
    Fail,
    Skip,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    pub id: String,
    pub severity: Severity,
    pub status: RuleStatus,
    pub message: String,
    pub expected: String,
    /// What the file has, in the rule's units; null when skipped.
    pub actual: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Why a rule was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Pass,
    Fail,
    Error,
}

impl FileStatus {
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Pass => "PASS",
            FileStatus::Fail => "FAIL",
            FileStatus::Error => "ERROR",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub path: String,
    pub status: FileStatus,
    pub error: Option<String>,
    pub results: Vec<RuleResult>,
    pub facts: Facts,
}

impl FileReport {
    /// Failed rules of `severity`.
    pub fn failures(&self, severity: Severity) -> impl Iterator<Item = &RuleResult> {
        self.results
            .iter()
            .filter(move |r| r.status == RuleStatus::Fail && r.severity == severity)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSetInfo {
    pub name: String,
    pub track: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub files: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    /// Warning-severity rules that failed, over all files.
    pub warnings: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub rule_set: RuleSetInfo,
    pub summary: Summary,
    pub files: Vec<FileReport>,
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
            }
            summary.warnings += f.failures(Severity::Warning).count();
        }
        Report {
            rule_set,
            summary,
            files,
        }
    }

    /// Whether every file passed.
    pub fn all_passed(&self) -> bool {
        self.summary.failed == 0 && self.summary.errors == 0
    }
}

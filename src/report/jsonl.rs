//! JSON Lines: one file report per line, for streaming into other tools, then one closing
//! record of the run (its summary, and the groups of entries that show the same film). A file
//! line that goes out as its file finishes has no `facts.similar`: the batch is not whole yet.
//! When the rules name `similar.*` facts, the file lines wait until it is, and carry them. `check` prints each file's line as its file finishes (see
//! `app`); rendering a whole report gives the same lines in report order. Each line says what
//! it is in `record`: `file` or `run`.

use crate::report::Exporter;
use crate::verdict::{FestivalInfo, FileReport, Report, RuleSetInfo, Summary};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub struct Jsonl;

impl Exporter for Jsonl {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = String::new();
        for f in &report.files {
            out.push_str(&line(f)?);
        }
        out.push_str(&run_line(report)?);
        Ok(out)
    }
}

/// What a `file` line says: `record`, the schema and reelcheck versions (so that each line
/// stands on its own), and the file's report as the JSON report's `files[]` gives it.
#[derive(Serialize, JsonSchema)]
pub struct FileLine<'a> {
    /// Always `file`.
    #[schemars(with = "FileRecordTag")]
    pub record: &'static str,
    pub schema_version: u32,
    pub reelcheck_version: &'static str,
    #[serde(flatten)]
    pub file: &'a FileReport,
}

#[derive(JsonSchema)]
#[allow(dead_code)] // names the value of `record` for the schema
enum FileRecordTag {
    #[serde(rename = "file")]
    File,
}

#[derive(JsonSchema)]
#[allow(dead_code)] // names the value of `record` for the schema
enum RunRecordTag {
    #[serde(rename = "run")]
    Run,
}

/// The closing line of a run: the JSON report without its `files` (the lines before it).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// Always `run`.
    #[schemars(with = "RunRecordTag")]
    pub record: String,
    pub schema_version: u32,
    pub reelcheck_version: String,
    pub rule_set: RuleSetInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_sets: Vec<RuleSetInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub festival: Option<FestivalInfo>,
    pub summary: Summary,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system_files: Vec<String>,
    /// The entries that show the same film, as the JSON report's `similar`: known only once
    /// the batch is whole, so here and not on the file lines that went out before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<crate::similar::Group>,
}

/// One line of a JSON Lines report, either kind: what `reelcheck schema jsonl` describes.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used
pub enum AnyLine<'a> {
    File(FileLine<'a>),
    Run(Box<RunRecord>),
}

/// One file's line.
pub fn line(file: &FileReport) -> anyhow::Result<String> {
    let line = FileLine {
        record: "file",
        schema_version: crate::verdict::SCHEMA_VERSION,
        reelcheck_version: env!("CARGO_PKG_VERSION"),
        file,
    };
    Ok(serde_json::to_string(&line)? + "\n")
}

/// The run's closing line.
pub fn run_line(report: &Report) -> anyhow::Result<String> {
    let record = RunRecord {
        record: "run".to_string(),
        schema_version: report.schema_version,
        reelcheck_version: report.reelcheck_version.clone(),
        rule_set: report.rule_set.clone(),
        rule_sets: report.rule_sets.clone(),
        festival: report.festival.clone(),
        summary: report.summary.clone(),
        system_files: report.system_files.clone(),
        similar: report.similar.clone(),
    };
    Ok(serde_json::to_string(&record)? + "\n")
}

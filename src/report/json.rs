//! The check report as one JSON object (docs/design.md), and facts as a JSON array.

use crate::report::Exporter;
use crate::verdict::Report;
use reelcheck_facts::Facts;

pub struct Json;

impl Exporter for Json {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(report)? + "\n")
    }
}

pub fn facts(facts: &[Facts]) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(facts)? + "\n")
}

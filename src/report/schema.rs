//! The JSON Schema of each machine output, generated from the types that write it, so that
//! the schema cannot drift from the output. `reelcheck schema NAME` prints one; the copies in
//! docs/schema/ are tested to equal what these types generate.

use crate::report::jsonl::AnyLine;
use crate::verdict::Report;
use clap::ValueEnum;
use reelcheck_facts::Facts;
use schemars::generate::SchemaSettings;
use schemars::Schema;

/// A machine output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// The JSON report of `check --format json` (and of `watch`)
    Check,
    /// One line of `check --format jsonl`: a file's record or the run's closing record
    Jsonl,
    /// `probe --format json`: facts, one object per file
    Probe,
    /// `merge --format json`: the check report of the merged runs
    Merge,
}

impl Output {
    pub const ALL: [Output; 4] = [Output::Check, Output::Jsonl, Output::Probe, Output::Merge];

    /// The output's name, as the subcommand and the file in docs/schema/ name it.
    pub fn name(self) -> &'static str {
        match self {
            Output::Check => "check",
            Output::Jsonl => "jsonl",
            Output::Probe => "probe",
            Output::Merge => "merge",
        }
    }
}

/// The schema of `output`, describing what reelcheck writes (fields it may leave out are not
/// required).
pub fn schema(output: Output) -> Schema {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let (title, mut schema) = match output {
        Output::Check => (
            "reelcheck check report",
            generator.into_root_schema_for::<Report>(),
        ),
        Output::Merge => (
            "reelcheck merged report",
            generator.into_root_schema_for::<Report>(),
        ),
        Output::Jsonl => (
            "reelcheck JSON Lines record",
            generator.into_root_schema_for::<AnyLine<'static>>(),
        ),
        Output::Probe => (
            "reelcheck probe facts",
            generator.into_root_schema_for::<Vec<Facts>>(),
        ),
    };
    schema.insert("title".into(), title.into());
    schema.insert(
        "description".into(),
        format!(
            "What reelcheck writes, schema_version {}; see docs/reports.md.",
            crate::verdict::SCHEMA_VERSION
        )
        .into(),
    );
    schema
}

/// The schema as `reelcheck schema` prints it and docs/schema/ keeps it.
pub fn text(output: Output) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&schema(output))? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/schema/NAME.json is what the types generate; `UPDATE_DOCS=1` rewrites them.
    #[test]
    fn the_schemas_in_docs_are_what_the_types_generate() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
        for output in Output::ALL {
            let path = dir.join(format!("{}.json", output.name()));
            let want = text(output).unwrap();
            if std::env::var_os("UPDATE_DOCS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "{} differs from what the types generate: run UPDATE_DOCS=1 cargo test --lib -- schema",
                path.display()
            );
        }
    }
}

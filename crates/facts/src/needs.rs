//! Which facts a run asks for: the costly analyzers that rules (or `--with`) need beyond the
//! header facts that are always read. It sits with the facts so that `rules/` can say what it
//! needs without reaching into the prober.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// A costly analysis that runs only when a rule or a flag asks for one of its facts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Analyzer {
    Credits,
    Black,
    Audio,
    Provenance,
    Subtitles,
    Video,
}

impl Analyzer {
    pub const ALL: &'static [Analyzer] = &[
        Analyzer::Credits,
        Analyzer::Black,
        Analyzer::Audio,
        Analyzer::Provenance,
        Analyzer::Subtitles,
        Analyzer::Video,
    ];

    /// Whether the analysis decodes the film or reads all of it. Provenance reads metadata
    /// only (tags, XMP packets, C2PA manifests), so `--quick` runs it too: a film that declares
    /// itself AI-made must not pass a quick check of the human track.
    pub fn decodes(self) -> bool {
        !matches!(self, Analyzer::Provenance)
    }

    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Credits => "credits",
            Analyzer::Black => "black",
            Analyzer::Audio => "audio",
            Analyzer::Provenance => "provenance",
            Analyzer::Subtitles => "subtitles",
            Analyzer::Video => "video",
        }
    }
}

impl fmt::Display for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Analyzer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Analyzer::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Analyzer::ALL.iter().map(|a| a.name()).collect();
                format!("unknown analyzer '{s}' (known: {}, all)", names.join(", "))
            })
    }
}

/// Which analyzers to run beyond the always-taken header facts.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Needs(pub BTreeSet<Analyzer>);

impl Needs {
    pub fn header_only() -> Self {
        Needs::default()
    }
    pub fn all() -> Self {
        Needs(Analyzer::ALL.iter().copied().collect())
    }
    pub fn has(&self, a: Analyzer) -> bool {
        self.0.contains(&a)
    }
    pub fn insert(&mut self, a: Analyzer) {
        self.0.insert(a);
    }
    /// These needs without the analyses that decode (`--quick`).
    pub fn without_decoding(&self) -> Needs {
        Needs(self.0.iter().copied().filter(|a| !a.decodes()).collect())
    }

    /// Parses `--with credits,audio` or `--with all`.
    pub fn parse_list(list: &str) -> Result<Self, String> {
        let mut needs = Needs::default();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part == "all" {
                return Ok(Needs::all());
            }
            needs.insert(part.parse()?);
        }
        Ok(needs)
    }

    /// The analyzers' names, in a stable order.
    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|a| a.name().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_by_name() {
        let needs = Needs::parse_list("audio,credits").unwrap();
        let json = serde_json::to_string(&needs).unwrap();
        assert_eq!(json, r#"["credits","audio"]"#);
        assert_eq!(serde_json::from_str::<Needs>(&json).unwrap(), needs);
    }
}

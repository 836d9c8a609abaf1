//! The list of programs whose names in metadata say how a film was made, kept as data
//! (`rules/software.toml`, built in) so that organizers can extend it with `--software-list`.

use anyhow::{bail, Context as _, Result};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub const KINDS: &[&str] = &["ai_generator", "3d_cad", "editor", "encoder"];

const BUILT_IN: &str = include_str!("../../../../rules/software.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Software {
    pub name: String,
    pub kind: String,
    /// Lower-case words and phrases.
    words: Vec<String>,
}

impl Software {
    /// Whether one of the words appears in `text`, not preceded by a letter or digit and not
    /// followed by a letter: version numbers may follow ("Lavf59", "Blender4.1") while a word
    /// that merely starts the same ("sorage") does not match.
    pub fn is_named_in(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        self.words.iter().any(|w| {
            text.match_indices(w.as_str()).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + w.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphabetic)
            })
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    #[serde(default)]
    software: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    kind: String,
    #[serde(rename = "match")]
    words: Vec<String>,
}

/// Parses a software list; `origin` names it in messages.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Software>> {
    let raw: RawList =
        toml::from_str(text).with_context(|| format!("{origin}: not a software list"))?;
    let mut list = Vec::new();
    for e in raw.software {
        if !KINDS.contains(&e.kind.as_str()) {
            bail!(
                "{origin}: software '{}' has kind '{}' (known: {})",
                e.name,
                e.kind,
                KINDS.join(", ")
            );
        }
        let words: Vec<String> = e
            .words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            bail!("{origin}: software '{}' has no words to match", e.name);
        }
        list.push(Software {
            name: e.name,
            kind: e.kind,
            words,
        });
    }
    Ok(list)
}

/// The built-in list, parsed once: it is constant data compiled into the program.
fn built_in() -> &'static [Software] {
    static BUILT_IN_LIST: OnceLock<Vec<Software>> = OnceLock::new();
    // The built-in list is tested; should it ever fail to parse, probing goes on without it.
    BUILT_IN_LIST.get_or_init(|| parse("built-in software list", BUILT_IN).unwrap_or_default())
}

/// The built-in list with the organizer's additions; an addition with a built-in name
/// replaces that entry.
pub fn list(extra: &[Software]) -> Vec<Software> {
    let mut all: Vec<Software> = built_in()
        .iter()
        .filter(|s| !extra.iter().any(|x| x.name.eq_ignore_ascii_case(&s.name)))
        .cloned()
        .collect();
    all.extend(extra.iter().cloned());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_list_parses() {
        let list = parse("built-in", BUILT_IN).unwrap();
        assert!(list.iter().any(|s| s.kind == "ai_generator"));
        assert!(list.iter().any(|s| s.kind == "3d_cad"));
    }

    #[test]
    fn matches_words_with_versions_but_not_inside_words() {
        let list = parse("built-in", BUILT_IN).unwrap();
        let find = |t: &str| -> Vec<String> {
            list.iter()
                .filter(|s| s.is_named_in(t))
                .map(|s| s.name.clone())
                .collect()
        };
        assert_eq!(find("Lavf59.27.100"), vec!["FFmpeg"]);
        assert_eq!(find("Blender 4.1.0"), vec!["Blender"]);
        assert_eq!(find("made with OpenAI SORA"), vec!["OpenAI Sora"]);
        assert!(find("sorage").is_empty());
        assert!(find("ablender").is_empty());
    }

    #[test]
    fn rejects_unknown_kinds() {
        let e = parse("x", "[[software]]\nname='A'\nkind='camera'\nmatch=['a']\n").unwrap_err();
        assert!(e.to_string().contains("kind 'camera'"), "{e}");
    }
}

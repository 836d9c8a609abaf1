//! A festival: its tracks, each with a name, a title and the rule set that checks its entries.
//! The built-in festival (tracks `human` and `ai`) is a festival file like any other, shipped
//! inside the binary; `check --festival FILE` reads one of the organizer's own.
//!
//! ```toml
//! name = "Northern Lights 2026"
//! contact = "Questions about your check: tech@northernlights.example"
//! [tracks.documentary]
//! title = "Documentary"
//! rules = "documentary.toml"   # a built-in rule set's name, or a file beside this one
//! ```

use crate::rules::{self, builtin, RuleSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

const BUILTIN: &str = include_str!("../../rules/festival.toml");

/// Where a track's rules come from.
#[derive(Debug, Clone, PartialEq)]
pub enum RulesRef {
    BuiltIn(String),
    File(PathBuf),
}

impl RulesRef {
    /// A built-in name (`human`), else a file, relative to `dir` (the festival file's folder).
    fn from_text(text: &str, dir: Option<&Path>) -> RulesRef {
        if builtin::text(text).is_some() {
            return RulesRef::BuiltIn(text.to_string());
        }
        RulesRef::File(dir.map_or_else(|| PathBuf::from(text), |d| d.join(text)))
    }

    /// What `--rules` names: a file, or a built-in set's name (`screening`) when no file of that
    /// name is there.
    pub fn given(text: &str) -> RulesRef {
        let path = PathBuf::from(text);
        if !path.exists() && builtin::text(text).is_some() {
            return RulesRef::BuiltIn(text.to_string());
        }
        RulesRef::File(path)
    }

    /// Reads the rule set: a built-in one, or a rule file with everything it extends.
    pub fn load(&self) -> Result<RuleSet, rules::LoadError> {
        match self {
            RulesRef::BuiltIn(name) => rules::load_builtin(name),
            RulesRef::File(path) => rules::load_file(path),
        }
    }

    fn describe(&self) -> String {
        match self {
            RulesRef::BuiltIn(name) => format!("the built-in rule set '{name}'"),
            RulesRef::File(path) => format!("the rule file {}", path.display()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub name: String,
    pub title: String,
    pub rules: RulesRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Festival {
    pub name: String,
    /// The line the pages sent to filmmakers give for questions (an address, a person).
    pub contact: Option<String>,
    /// `built-in`, or the festival file's path.
    pub source: String,
    /// In the order the file lists them; the first is the default track.
    pub tracks: Vec<Track>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFestival {
    name: Option<String>,
    contact: Option<String>,
    #[serde(default)]
    tracks: BTreeMap<Spanned<String>, Spanned<RawTrack>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrack {
    title: Option<String>,
    rules: Option<Spanned<String>>,
}

impl Festival {
    /// The built-in festival: `human` and `ai`, each by the built-in rule set of its name.
    pub fn builtin() -> Festival {
        // The embedded file is tested (`builtin_festival_parses`); should it ever fail, an
        // empty festival makes every entry an error entry rather than a panic.
        parse("built-in festival", BUILTIN, None).unwrap_or_else(|_| Festival {
            name: "built-in".into(),
            contact: None,
            source: "built-in".into(),
            tracks: Vec::new(),
        })
    }

    /// Reads a festival file. A mistake is one line: `FILE:LINE:COL: what is wrong`.
    pub fn load_file(path: &Path) -> Result<Festival, String> {
        let name = path.display().to_string();
        let text = crate::settings_file::read_text(path)
            .map_err(|e| format!("{name}: cannot read the festival file: {e}"))?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        let mut festival = parse(&name, &text, Some(dir.unwrap_or(Path::new("."))))?;
        festival.source = name;
        Ok(festival)
    }

    pub fn track(&self, name: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.name == name)
    }

    /// The track names, in order.
    pub fn names(&self) -> Vec<String> {
        self.tracks.iter().map(|t| t.name.clone()).collect()
    }

    /// `--rules NAME=FILE`: the track's rules are FILE (or a built-in set); a track the festival
    /// lacks is added.
    pub fn set_rules(&mut self, name: &str, rules: RulesRef) {
        match self.tracks.iter_mut().find(|t| t.name == name) {
            Some(t) => t.rules = rules,
            None => self.tracks.push(Track {
                name: name.to_string(),
                title: name.to_string(),
                rules,
            }),
        }
    }

    /// The rule set of one track, marked with the track's name. A set that names another track
    /// (itself or through the set it extends) is a mistake: its rules were written for entries
    /// of that track.
    pub fn load_rules(&self, track: &Track) -> Result<RuleSet, String> {
        track_rules(track, track.rules.load().map_err(|e| e.to_string())?)
    }
}

/// `set`, loaded from `track.rules`, as the rule set of `track`: marked with the track's name,
/// or refused when it was written for another track.
pub fn track_rules(track: &Track, mut set: RuleSet) -> Result<RuleSet, String> {
    check_track(&set, &track.name, &track.rules.describe())?;
    set.track = Some(track.name.clone());
    Ok(set)
}

/// Whether a track name is usable as a folder name and a manifest value.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// An error when `set` is for a track other than `track`.
pub fn check_track(set: &RuleSet, track: &str, what: &str) -> Result<(), String> {
    let fix = if set.source == "built-in" {
        format!(
            "to check them by these rules, write a rule file with extends = \"{}\" and track = \"{track}\"",
            set.name
        )
    } else {
        format!("set track = \"{track}\" in it if it is meant for them")
    };
    match set.track.as_deref() {
        Some(own) if own != track => Err(format!(
            "{what} ('{}') is for the {own} track, but checks entries of the {track} track; {fix}",
            set.name
        )),
        _ => Ok(()),
    }
}

fn parse(name: &str, text: &str, dir: Option<&Path>) -> Result<Festival, String> {
    let at = |span: Range<usize>, msg: &str| {
        let (line, col) = rules::load::line_col(text, span.start);
        format!("{name}:{line}:{col}: {msg}")
    };
    let raw: RawFestival =
        toml::from_str(text).map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim()))?;
    let mut tracks: Vec<(usize, Track)> = Vec::new();
    for (key, value) in &raw.tracks {
        let track_name = key.get_ref();
        if !valid_name(track_name) {
            return Err(at(
                key.span(),
                &format!("track name '{track_name}' is not lowercase letters, digits, - and _ (it is also the folder name of the track)"),
            ));
        }
        let raw_track = value.get_ref();
        let Some(rules_text) = &raw_track.rules else {
            return Err(at(
                value.span(),
                &format!("track '{track_name}' has no rules (a built-in rule set's name, such as \"human\", or a rule file)"),
            ));
        };
        let rules = RulesRef::from_text(rules_text.get_ref(), dir);
        if let RulesRef::File(path) = &rules {
            if !path.is_file() {
                return Err(at(
                    rules_text.span(),
                    &format!(
                        "track '{track_name}': rules '{}' is not a built-in rule set ({}) and no file {} exists",
                        rules_text.get_ref(),
                        builtin::NAMES.join(", "),
                        path.display()
                    ),
                ));
            }
        }
        tracks.push((
            key.span().start,
            Track {
                name: track_name.clone(),
                title: raw_track
                    .title
                    .clone()
                    .unwrap_or_else(|| track_name.clone()),
                rules,
            },
        ));
    }
    if tracks.is_empty() {
        return Err(at(
            0..0,
            "no tracks: a festival lists its tracks as [tracks.NAME] tables",
        ));
    }
    // The file's own order: the first track is the default one.
    tracks.sort_by_key(|(pos, _)| *pos);
    Ok(Festival {
        name: raw.name.unwrap_or_else(|| {
            Path::new(name)
                .file_stem()
                .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned())
        }),
        contact: raw
            .contact
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        source: "built-in".to_string(),
        tracks: tracks.into_iter().map(|(_, t)| t).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_festival_parses() {
        let f = parse("built-in festival", BUILTIN, None).unwrap();
        assert_eq!(f.names(), ["human", "ai"]);
        assert_eq!(f.tracks[0].rules, RulesRef::BuiltIn("human".into()));
        for t in &f.tracks {
            let set = f.load_rules(t).unwrap();
            assert_eq!(set.track.as_deref(), Some(t.name.as_str()));
        }
    }

    #[test]
    fn the_contact_line_is_read_and_optional() {
        let text =
            "name = \"Fest\"\ncontact = \" tech@fest.example \"\n[tracks.a]\nrules = \"human\"\n";
        let f = parse("f.toml", text, None).unwrap();
        assert_eq!(f.contact.as_deref(), Some("tech@fest.example"));
        let f = parse("f.toml", "[tracks.a]\nrules = \"human\"\n", None).unwrap();
        assert_eq!(f.contact, None);
    }

    #[test]
    fn tracks_keep_the_files_order() {
        let text = "[tracks.zeta]\nrules = \"human\"\n[tracks.alpha]\nrules = \"ai\"\n";
        let f = parse("f.toml", text, None).unwrap();
        assert_eq!(f.names(), ["zeta", "alpha"]);
        assert_eq!(f.tracks[1].title, "alpha");
    }

    #[test]
    fn mistakes_are_one_line_with_line_and_column() {
        let e = parse("f.toml", "[tracks.doc]\ntitle = \"Doc\"\n", None).unwrap_err();
        assert!(e.starts_with("f.toml:1:"), "{e}");
        let e = parse("f.toml", "[tracks.Doc]\nrules = \"human\"\n", None).unwrap_err();
        assert!(e.starts_with("f.toml:1:9: track name 'Doc'"), "{e}");
        let e = parse("f.toml", "\n[tracks.doc]\nrules = \"nope.toml\"\n", None).unwrap_err();
        assert!(e.starts_with("f.toml:3:9: track 'doc'"), "{e}");
        let e = parse("f.toml", "[tracks.doc]\nrule = \"human\"\n", None).unwrap_err();
        assert!(e.starts_with("f.toml:2:1: unknown field"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn a_rule_set_for_another_track_is_refused() {
        let f = Festival {
            name: "x".into(),
            contact: None,
            source: "x".into(),
            tracks: vec![Track {
                name: "documentary".into(),
                title: "Documentary".into(),
                rules: RulesRef::BuiltIn("ai".into()),
            }],
        };
        let e = f.load_rules(&f.tracks[0]).unwrap_err();
        assert!(
            e.contains("is for the ai track, but checks entries of the documentary track"),
            "{e}"
        );
    }
}

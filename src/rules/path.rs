//! Fact paths as rules write them: `container.duration_s`, `video[0].width`,
//! `audio[*].sample_rate` (every track), `audio[any].language` (at least one track),
//! `count(audio)` (how many tracks).

use crate::rules::schema::{self, Entry, LISTS};
use reelcheck_facts::units::Kind;
use reelcheck_facts::Analyzer;
use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    At(usize),
    /// Every item must satisfy the rule (and the rule is skipped when there is none).
    All,
    /// At least one item must satisfy the rule.
    Any,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Field(String),
    List(String, Selector),
}

#[derive(Debug, Clone)]
pub struct FactPath {
    pub text: String,
    segs: Vec<Seg>,
    /// `count(list)`: the number of items rather than a value.
    count: bool,
    pub kind: Kind,
    pub analyzer: Option<Analyzer>,
    /// The last part is a free-form key (a tag name): a missing key is a value the file does
    /// not have, not a fact that was not measured.
    free_key: bool,
}

impl fmt::Display for FactPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a path found in one file's facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// The analyzer that computes it did not run.
    NotComputed,
    /// The selector matched no stream (e.g. `video[0]` in a file without video).
    NoItems(String),
    /// Values with a label for each (`audio[1]`), `Value::Null` where the fact does not apply.
    Values(Vec<(String, Value)>),
}

impl FactPath {
    pub fn parse(text: &str) -> Result<FactPath, String> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix("count(").and_then(|r| r.strip_suffix(')')) {
            let list = inner.trim();
            if !LISTS.contains(&list) {
                return Err(format!(
                    "count() takes one of {}, not '{list}'",
                    LISTS.join(", ")
                ));
            }
            return Ok(FactPath {
                text: t.to_string(),
                segs: vec![Seg::Field(list.to_string())],
                count: true,
                kind: Kind::Number,
                analyzer: None,
                free_key: false,
            });
        }
        let mut segs = Vec::new();
        let mut pattern = Vec::new();
        let mut fan_outs = 0;
        for part in t.split('.') {
            if part.is_empty() {
                return Err(format!("'{t}' has an empty part"));
            }
            if let Some((name, rest)) = part.split_once('[') {
                let sel = rest
                    .strip_suffix(']')
                    .ok_or_else(|| format!("'{part}' lacks its closing ']'"))?;
                let selector = match sel.trim() {
                    "*" | "all" => Selector::All,
                    "any" => Selector::Any,
                    n => Selector::At(n.parse().map_err(|_| {
                        format!("'[{sel}]' is not a stream selector (use a number, * or any)")
                    })?),
                };
                if matches!(selector, Selector::All | Selector::Any) {
                    fan_outs += 1;
                }
                segs.push(Seg::List(name.to_string(), selector));
                pattern.push(format!("{name}[]"));
            } else {
                segs.push(Seg::Field(part.to_string()));
                pattern.push(part.to_string());
            }
        }
        if fan_outs > 1 {
            return Err(format!("'{t}' has more than one [*] or [any]"));
        }
        let pattern = pattern.join(".");
        let entry: &Entry = schema::lookup(&pattern).ok_or_else(|| {
            let hint = schema::closest(&pattern)
                .map(|p| format!(" (did you mean {p}?)"))
                .unwrap_or_else(|| " (`reelcheck rules facts` lists them all)".into());
            if LISTS.contains(&pattern.as_str()) {
                format!("'{t}' is a list: name a field of it, or use count({t})")
            } else {
                format!("unknown fact '{t}'{hint}")
            }
        })?;
        if let Some(Seg::Field(first)) = segs.first() {
            if LISTS.contains(&first.as_str()) {
                return Err(format!("'{first}' is a list: select streams with {first}[0], {first}[*] or {first}[any]"));
            }
        }
        Ok(FactPath {
            text: t.to_string(),
            segs,
            count: false,
            kind: entry.kind,
            analyzer: entry.analyzer,
            free_key: entry.pattern.ends_with(".*") && entry.pattern != pattern,
        })
    }

    /// The path with its selectors left out, as the schema lists it: `video[].width`.
    pub fn pattern(&self) -> String {
        if self.count {
            return self.text.clone();
        }
        let parts: Vec<String> = self
            .segs
            .iter()
            .map(|s| match s {
                Seg::Field(name) => name.clone(),
                Seg::List(name, _) => format!("{name}[]"),
            })
            .collect();
        parts.join(".")
    }

    /// How many items must pass: all of them, or any one.
    pub fn quantifier(&self) -> Selector {
        self.segs
            .iter()
            .find_map(|s| match s {
                Seg::List(_, sel @ (Selector::All | Selector::Any)) => Some(*sel),
                _ => None,
            })
            .unwrap_or(Selector::At(0))
    }

    pub fn lookup(&self, facts: &Value) -> Found {
        if self.count {
            let Some(Seg::Field(list)) = self.segs.first() else {
                return Found::NotComputed;
            };
            let n = facts
                .get(list)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            return Found::Values(vec![(self.text.clone(), Value::from(n))]);
        }
        let mut current: Vec<(String, &Value)> = vec![(String::new(), facts)];
        for seg in &self.segs {
            let mut next = Vec::new();
            for (label, value) in current {
                let join = |name: &str| {
                    if label.is_empty() {
                        name.to_string()
                    } else {
                        format!("{label}.{name}")
                    }
                };
                match seg {
                    Seg::Field(name) => match value {
                        Value::Null => next.push((join(name), &Value::Null)),
                        Value::Object(map) => match map.get(name) {
                            Some(v) => next.push((join(name), v)),
                            // A missing tag is a tag the file does not have; any other missing
                            // key is a fact whose analyzer did not run.
                            None if self.free_key => next.push((join(name), &Value::Null)),
                            None => return Found::NotComputed,
                        },
                        _ => return Found::NotComputed,
                    },
                    Seg::List(name, sel) => {
                        let items = value.get(name).and_then(Value::as_array);
                        let items: &[Value] = items.map_or(&[], Vec::as_slice);
                        match sel {
                            Selector::At(i) => match items.get(*i) {
                                Some(v) => next.push((join(&format!("{name}[{i}]")), v)),
                                None => {
                                    return Found::NoItems(format!(
                                        "no {} at {name}[{i}]",
                                        singular(name)
                                    ))
                                }
                            },
                            Selector::All | Selector::Any => {
                                if items.is_empty() {
                                    return Found::NoItems(format!("no {}", plural(name)));
                                }
                                for (i, v) in items.iter().enumerate() {
                                    next.push((join(&format!("{name}[{i}]")), v));
                                }
                            }
                        }
                    }
                }
            }
            current = next;
        }
        Found::Values(current.into_iter().map(|(l, v)| (l, v.clone())).collect())
    }
}

fn singular(list: &str) -> &str {
    match list {
        "video" => "video stream",
        "audio" => "audio stream",
        "subtitles" => "subtitle track",
        "chapters" => "chapter",
        other => other,
    }
}

fn plural(list: &str) -> &str {
    match list {
        "video" => "video streams",
        "audio" => "audio streams",
        "subtitles" => "subtitle tracks",
        "chapters" => "chapters",
        other => other,
    }
}

/// Whether `name` (what stands between braces) is a fact path a message may name.
pub fn is_fact_path(name: &str) -> bool {
    (name.contains('.') || name.contains('[')) && FactPath::parse(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> Value {
        json!({
            "file_name": "a.mp4",
            "container": {"format": "mov,mp4", "duration_s": 61.0, "tags": {"title": "A"}},
            "video": [{"width": 1920}],
            "audio": [{"sample_rate": 48000}, {"sample_rate": 44100}],
        })
    }

    #[test]
    fn selects_streams() {
        let p = FactPath::parse("audio[*].sample_rate").unwrap();
        assert_eq!(p.quantifier(), Selector::All);
        assert_eq!(
            p.lookup(&facts()),
            Found::Values(vec![
                ("audio[0].sample_rate".into(), json!(48000)),
                ("audio[1].sample_rate".into(), json!(44100)),
            ])
        );
        let p = FactPath::parse("video[1].width").unwrap();
        assert!(matches!(p.lookup(&facts()), Found::NoItems(_)));
        let p = FactPath::parse("count(audio)").unwrap();
        assert_eq!(
            p.lookup(&facts()),
            Found::Values(vec![("count(audio)".into(), json!(2))])
        );
    }

    #[test]
    fn absent_analyzer_facts_are_not_computed() {
        let p = FactPath::parse("credits.start_s").unwrap();
        assert_eq!(p.lookup(&facts()), Found::NotComputed);
        let p = FactPath::parse("container.tags.comment").unwrap();
        assert_eq!(
            p.lookup(&facts()),
            Found::Values(vec![("container.tags.comment".into(), Value::Null)])
        );
    }

    #[test]
    fn rejects_unknown_paths_with_a_hint() {
        let e = FactPath::parse("video[0].widht").unwrap_err();
        assert!(e.contains("did you mean video[].width"), "{e}");
        assert!(FactPath::parse("video.width").is_err());
        assert!(FactPath::parse("video[x].width").is_err());
        assert!(FactPath::parse("count(credits)").is_err());
    }
}

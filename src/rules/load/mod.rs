//! Reading rule files: TOML into rules, with every mistake reported at its file, line and
//! column. A rule set may extend another (a built-in one by name, or a file), override its
//! rules field by field and disable them by id.

use crate::rules::builtin;
use crate::rules::model::RuleSet;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

mod compile;
use compile::compile;

/// One rule file's text, kept to point at mistakes in it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// A mistake in a rule file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub span: Range<usize>,
    pub text: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl Problem {
    /// The problem with the offending line underlined, for `rules validate`.
    pub fn render(&self) -> String {
        let diag = miette::MietteDiagnostic::new(self.message.clone())
            .with_label(miette::LabeledSpan::at(self.span.clone(), "here"));
        let report = miette::Report::new(diag).with_source_code(miette::NamedSource::new(
            self.file.clone(),
            self.text.clone(),
        ));
        format!("{report:?}")
    }
}

/// Every mistake found while loading, or the error that stopped reading altogether.
#[derive(Debug)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.problems.iter().map(|p| p.to_string()).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for LoadError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: Option<Spanned<String>>,
    description: Option<String>,
    track: Option<Spanned<String>>,
    extends: Option<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<RawRule>>,
    #[serde(default, rename = "override")]
    overrides: Vec<Spanned<RawRule>>,
    /// A set that checks nothing passes every film: refused unless it says it means to.
    allow_empty: Option<bool>,
}

/// A `[[rule]]`, or an `[[override]]` where every field but `id` is optional.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    fact: Option<Spanned<String>>,
    op: Option<Spanned<String>>,
    value: Option<Spanned<toml::Value>>,
    tolerance: Option<Spanned<toml::Value>>,
    severity: Option<Spanned<String>>,
    message: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    fix: Option<Spanned<String>>,
    when: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    fact: String,
    op: String,
    value: Option<toml::Value>,
    tolerance: Option<toml::Value>,
}

/// A field and where it was written.
#[derive(Clone)]
struct At<T> {
    value: T,
    file: usize,
    span: Range<usize>,
}

fn at<T: Clone>(s: &Spanned<T>, file: usize) -> At<T> {
    At {
        value: s.get_ref().clone(),
        file,
        span: s.span(),
    }
}

/// A rule after `extends` and overrides are applied, before its fields are checked.
#[derive(Clone)]
struct Draft {
    id: At<String>,
    fact: Option<At<String>>,
    op: Option<At<String>>,
    value: Option<At<toml::Value>>,
    tolerance: Option<At<toml::Value>>,
    severity: Option<At<String>>,
    message: Option<At<String>>,
    source: Option<At<String>>,
    fix: Option<At<String>>,
    when: Option<At<toml::Value>>,
}

impl Draft {
    fn from_raw(r: &RawRule, file: usize) -> Draft {
        Draft {
            id: at(&r.id, file),
            fact: r.fact.as_ref().map(|s| at(s, file)),
            op: r.op.as_ref().map(|s| at(s, file)),
            value: r.value.as_ref().map(|s| at(s, file)),
            tolerance: r.tolerance.as_ref().map(|s| at(s, file)),
            severity: r.severity.as_ref().map(|s| at(s, file)),
            message: r.message.as_ref().map(|s| at(s, file)),
            source: r.source.as_ref().map(|s| at(s, file)),
            fix: r.fix.as_ref().map(|s| at(s, file)),
            when: r.when.as_ref().map(|s| at(s, file)),
        }
    }

    fn apply(&mut self, o: &RawRule, file: usize) {
        let d = Draft::from_raw(o, file);
        macro_rules! take {
            ($($f:ident),*) => { $( if d.$f.is_some() { self.$f = d.$f.clone(); } )* };
        }
        take!(fact, op, value, tolerance, severity, message, source, fix, when);
    }
}

struct Loader {
    sources: Vec<Source>,
    problems: Vec<Problem>,
    /// Probable mistakes that do not stop loading.
    warnings: Vec<Problem>,
}

impl Loader {
    fn problem(&mut self, file: usize, span: Range<usize>, message: impl Into<String>) {
        let src = &self.sources[file];
        let (line, column) = line_col(&src.text, span.start);
        self.problems.push(Problem {
            file: src.name.clone(),
            line,
            column,
            message: message.into(),
            span,
            text: src.text.clone(),
        });
    }

    fn warning(&mut self, file: usize, span: Range<usize>, message: impl Into<String>) {
        let before = self.problems.len();
        self.problem(file, span, message);
        self.warnings.extend(self.problems.drain(before..));
    }
}

/// Where a rule set comes from.
pub enum Origin<'a> {
    BuiltIn(&'a str),
    File(&'a Path),
}

pub fn load_file(path: &Path) -> Result<RuleSet, LoadError> {
    load(Origin::File(path))
}

pub fn load_builtin(name: &str) -> Result<RuleSet, LoadError> {
    load(Origin::BuiltIn(name))
}

/// Loads rules from TOML text already in hand (`name` is used in messages).
pub fn load_text(name: &str, text: &str, dir: Option<&Path>) -> Result<RuleSet, LoadError> {
    let mut loader = Loader {
        sources: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let result = read_chain(&mut loader, name.to_string(), text.to_string(), dir, 0);
    finish(loader, result, name.to_string())
}

fn load(origin: Origin<'_>) -> Result<RuleSet, LoadError> {
    let (name, text, dir, source) = match origin {
        Origin::BuiltIn(n) => match builtin::text(n) {
            Some(t) => (
                format!("built-in:{n}"),
                t.to_string(),
                None,
                "built-in".to_string(),
            ),
            None => {
                return Err(simple(
                    n,
                    format!(
                        "no built-in rule set named '{n}' (known: {})",
                        builtin::NAMES.join(", ")
                    ),
                ))
            }
        },
        Origin::File(p) => match crate::settings_file::read_text(p) {
            Ok(t) => (
                p.display().to_string(),
                t,
                p.parent().map(Path::to_path_buf),
                p.display().to_string(),
            ),
            Err(e) => {
                return Err(simple(
                    &p.display().to_string(),
                    format!("cannot read rule file: {e}"),
                ))
            }
        },
    };
    let mut loader = Loader {
        sources: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let result = read_chain(&mut loader, name, text, dir.as_deref(), 0);
    finish(loader, result, source)
}

fn simple(file: &str, message: String) -> LoadError {
    LoadError {
        problems: vec![Problem {
            file: file.to_string(),
            line: 1,
            column: 1,
            message,
            span: 0..0,
            text: String::new(),
        }],
    }
}

struct Chain {
    name: String,
    description: Option<String>,
    track: Option<String>,
    drafts: Vec<Draft>,
    allow_empty: bool,
}

fn finish(mut loader: Loader, chain: Option<Chain>, source: String) -> Result<RuleSet, LoadError> {
    let Some(chain) = chain else {
        return Err(LoadError {
            problems: loader.problems,
        });
    };
    let mut rules = Vec::new();
    for draft in &chain.drafts {
        if let Some(rule) = compile(&mut loader, draft) {
            rules.push(rule);
        }
    }
    if loader.problems.is_empty() && rules.is_empty() && !chain.allow_empty {
        // Reported at the top of the file named (read first): the set as a whole is empty.
        loader.problem(
            0,
            0..0,
            "this rule set has no rules, so it would pass every film unchecked; add [[rule]] \
             tables, or `allow_empty = true` at the top if checking nothing is meant",
        );
    }
    if !loader.problems.is_empty() {
        return Err(LoadError {
            problems: loader.problems,
        });
    }
    Ok(RuleSet {
        name: chain.name,
        description: chain.description,
        track: chain.track,
        source,
        rules,
        warnings: loader
            .warnings
            .iter()
            .map(|w| format!("{}:{}:{}: warning: {}", w.file, w.line, w.column, w.message))
            .collect(),
    })
}

fn read_chain(
    loader: &mut Loader,
    name: String,
    text: String,
    dir: Option<&Path>,
    depth: usize,
) -> Option<Chain> {
    let file = loader.sources.len();
    loader.sources.push(Source {
        name: name.clone(),
        text: text.clone(),
    });
    let raw: RawFile = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            loader.problem(file, span, e.message().trim().to_string());
            return None;
        }
    };

    let mut chain = match &raw.extends {
        None => Chain {
            name: String::new(),
            description: None,
            track: None,
            drafts: Vec::new(),
            allow_empty: false,
        },
        Some(ext) => {
            if depth >= 8 {
                loader.problem(
                    file,
                    ext.span(),
                    "rule sets extend each other too deeply (a loop?)",
                );
                return None;
            }
            let base = ext.get_ref();
            let loaded = if let Some(t) = builtin::text(base) {
                Some((format!("built-in:{base}"), t.to_string(), None))
            } else {
                let p: PathBuf = dir.map_or_else(|| PathBuf::from(base), |d| d.join(base));
                match crate::settings_file::read_text(&p) {
                    Ok(t) => Some((
                        p.display().to_string(),
                        t,
                        p.parent().map(Path::to_path_buf),
                    )),
                    Err(e) => {
                        loader.problem(
                            file,
                            ext.span(),
                            format!("extends '{base}': not a built-in rule set ({}) and not a readable file: {e}", builtin::NAMES.join(", ")),
                        );
                        None
                    }
                }
            };
            let (n, t, d) = loaded?;
            read_chain(loader, n, t, d.as_deref(), depth + 1)?
        }
    };

    if let Some(n) = &raw.name {
        chain.name = n.get_ref().clone();
    } else if chain.name.is_empty() {
        chain.name = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(name.clone());
    }
    if raw.description.is_some() {
        chain.description = raw.description.clone();
    }
    if let Some(t) = &raw.track {
        chain.track = Some(t.get_ref().clone());
    }
    // The file named on the command line has the last word, as with every other key.
    if let Some(allow) = raw.allow_empty {
        chain.allow_empty = allow;
    }

    let inherited: HashSet<String> = chain.drafts.iter().map(|d| d.id.value.clone()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    for rule in &raw.rules {
        let r = rule.get_ref();
        let id = r.id.get_ref();
        if id.trim().is_empty() {
            loader.problem(file, r.id.span(), "a rule id cannot be empty");
            continue;
        }
        if !seen.insert(id.clone()) {
            loader.problem(file, r.id.span(), format!("duplicate rule id '{id}'"));
            continue;
        }
        if inherited.contains(id) {
            loader.problem(
                file,
                r.id.span(),
                format!("rule '{id}' is already defined by the rule set this one extends; change it with [[override]] or remove it with disable"),
            );
            continue;
        }
        chain.drafts.push(Draft::from_raw(r, file));
    }
    for o in &raw.overrides {
        let r = o.get_ref();
        let id = r.id.get_ref();
        match chain.drafts.iter_mut().find(|d| &d.id.value == id) {
            Some(d) if !seen.contains(id) => {
                stale_message(loader, d, r, file);
                d.apply(r, file);
            }
            Some(_) => loader.problem(
                file,
                r.id.span(),
                format!(
                    "rule '{id}' is defined in this file: edit it there rather than overriding it"
                ),
            ),
            None => loader.problem(
                file,
                r.id.span(),
                format!("override of unknown rule '{id}'{}", hint(id, &chain.drafts)),
            ),
        }
    }
    for d in &raw.disable {
        let id = d.get_ref();
        let before = chain.drafts.len();
        chain.drafts.retain(|r| &r.id.value != id);
        if chain.drafts.len() == before {
            loader.problem(
                file,
                d.span(),
                format!(
                    "cannot disable unknown rule '{id}'{}",
                    hint(id, &chain.drafts)
                ),
            );
        }
    }
    Some(chain)
}

/// Warns when an override changes a rule's value but keeps a message that states a number
/// without `{value}`: "longer than 15 minutes" would stay in a rule that now allows 10.
fn stale_message(loader: &mut Loader, d: &Draft, o: &RawRule, file: usize) {
    let (Some(value), None, Some(message)) = (&o.value, &o.message, &d.message) else {
        return;
    };
    let text = &message.value;
    if text.contains("{value}") || !text.chars().any(|c| c.is_ascii_digit()) {
        return;
    }
    loader.warning(
        file,
        value.span(),
        format!(
            "rule '{}' gets a new value, but its message states a number and has no {{value}}: \"{}\". Override `message` too, writing {{value}} where the number goes",
            d.id.value, text
        ),
    );
}

fn hint(id: &str, drafts: &[Draft]) -> String {
    drafts
        .iter()
        .map(|d| (strsim::levenshtein(id, &d.id.value), &d.id.value))
        .filter(|(dist, _)| *dist <= 3)
        .min()
        .map(|(_, best)| format!(" (did you mean '{best}'?)"))
        .unwrap_or_default()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

//! Reading rule files: TOML into rules, with every mistake reported at its file, line and
//! column. A rule set may extend another (a built-in one by name, or a file), override its
//! rules field by field and disable them by id.

use crate::rules::builtin;
use crate::rules::model::{Expected, Op, Rule, RuleSet, Severity, Test};
use crate::rules::path::FactPath;
use crate::rules::units::Kind;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

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
            when: r.when.as_ref().map(|s| at(s, file)),
        }
    }

    fn apply(&mut self, o: &RawRule, file: usize) {
        let d = Draft::from_raw(o, file);
        macro_rules! take {
            ($($f:ident),*) => { $( if d.$f.is_some() { self.$f = d.$f.clone(); } )* };
        }
        take!(fact, op, value, tolerance, severity, message, source, when);
    }
}

struct Loader {
    sources: Vec<Source>,
    problems: Vec<Problem>,
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
        Origin::File(p) => match std::fs::read_to_string(p) {
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
                match std::fs::read_to_string(&p) {
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
            Some(d) if !seen.contains(id) => d.apply(r, file),
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

fn hint(id: &str, drafts: &[Draft]) -> String {
    drafts
        .iter()
        .map(|d| (strsim::levenshtein(id, &d.id.value), &d.id.value))
        .filter(|(dist, _)| *dist <= 3)
        .min()
        .map(|(_, best)| format!(" (did you mean '{best}'?)"))
        .unwrap_or_default()
}

fn compile(loader: &mut Loader, d: &Draft) -> Option<Rule> {
    let id = d.id.value.clone();
    let before = loader.problems.len();
    let missing = |loader: &mut Loader, what: &str| {
        loader.problem(
            d.id.file,
            d.id.span.clone(),
            format!("rule '{id}' has no `{what}`"),
        );
    };
    let (Some(fact), Some(op)) = (&d.fact, &d.op) else {
        if d.fact.is_none() {
            missing(loader, "fact");
        }
        if d.op.is_none() {
            missing(loader, "op");
        }
        return None;
    };
    let severity = match &d.severity {
        None => {
            missing(loader, "severity");
            None
        }
        Some(s) => {
            let sev = Severity::parse(&s.value);
            if sev.is_none() {
                loader.problem(
                    s.file,
                    s.span.clone(),
                    format!("severity must be error, warning or info, not '{}'", s.value),
                );
            }
            sev
        }
    };
    let message = match &d.message {
        Some(m) if !m.value.trim().is_empty() => Some(m.value.clone()),
        Some(m) => {
            loader.problem(m.file, m.span.clone(), "a rule's message cannot be empty");
            None
        }
        None => {
            missing(loader, "message");
            None
        }
    };
    let test = compile_test(
        loader,
        fact,
        op,
        d.value.as_ref(),
        d.tolerance.as_ref(),
        (d.id.file, d.id.span.clone()),
    );
    let mut when = Vec::new();
    if let Some(w) = &d.when {
        let conds: Vec<toml::Value> = match &w.value {
            toml::Value::Array(items) => items.clone(),
            t @ toml::Value::Table(_) => vec![t.clone()],
            _ => {
                loader.problem(
                    w.file,
                    w.span.clone(),
                    "`when` is a table {fact, op, value} or a list of them",
                );
                Vec::new()
            }
        };
        for c in conds {
            let cond: RawCond = match c.try_into() {
                Ok(c) => c,
                Err(e) => {
                    loader.problem(
                        w.file,
                        w.span.clone(),
                        format!("in `when`: {}", e.message().trim()),
                    );
                    continue;
                }
            };
            let place = |v: String| At {
                value: v,
                file: w.file,
                span: w.span.clone(),
            };
            let place_v = |v: toml::Value| At {
                value: v,
                file: w.file,
                span: w.span.clone(),
            };
            if let Some(t) = compile_test(
                loader,
                &place(cond.fact),
                &place(cond.op),
                cond.value.map(place_v).as_ref(),
                cond.tolerance.map(place_v).as_ref(),
                (w.file, w.span.clone()),
            ) {
                when.push(t);
            }
        }
    }
    if loader.problems.len() > before {
        return None;
    }
    Some(Rule {
        id,
        test: test?,
        severity: severity?,
        message: message?,
        source: d.source.as_ref().map(|s| s.value.clone()),
        when,
    })
}

fn compile_test(
    loader: &mut Loader,
    fact: &At<String>,
    op: &At<String>,
    value: Option<&At<toml::Value>>,
    tolerance: Option<&At<toml::Value>>,
    owner: (usize, Range<usize>),
) -> Option<Test> {
    let path = match FactPath::parse(&fact.value) {
        Ok(p) => Some(p),
        Err(e) => {
            loader.problem(fact.file, fact.span.clone(), e);
            None
        }
    };
    let parsed_op = Op::parse(&op.value);
    if parsed_op.is_none() {
        loader.problem(
            op.file,
            op.span.clone(),
            format!(
                "unknown operator '{}' (known: {})",
                op.value,
                Op::NAMES.join(", ")
            ),
        );
    }
    let (path, parsed_op) = (path?, parsed_op?);
    let kind = path.kind;
    let Some(value) = value else {
        loader.problem(
            owner.0,
            owner.1,
            format!("operator '{}' needs a `value`", op.value),
        );
        return None;
    };
    let fail = |loader: &mut Loader, msg: String| {
        loader.problem(value.file, value.span.clone(), msg);
        None::<Expected>
    };
    let expected = match parsed_op {
        Op::Exists => match value.value {
            toml::Value::Boolean(b) => Some(Expected::Bool(b)),
            _ => fail(loader, "`exists` takes true or false".into()),
        },
        Op::Matches => match (&value.value, kind) {
            (toml::Value::String(s), Kind::Text) => match regex::Regex::new(s) {
                Ok(re) => Some(Expected::Pattern(re)),
                Err(e) => fail(
                    loader,
                    format!(
                        "not a valid regular expression: {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                ),
            },
            (_, Kind::Text) => fail(
                loader,
                "`matches` takes a regular expression in quotes".into(),
            ),
            _ => fail(
                loader,
                format!(
                    "`matches` works on text, but {} is {}",
                    path,
                    kind.describe()
                ),
            ),
        },
        Op::Between => match &value.value {
            toml::Value::Array(items) if items.len() == 2 && kind.is_numeric() => {
                match (number(&items[0], kind), number(&items[1], kind)) {
                    (Ok(lo), Ok(hi)) if lo <= hi => Some(Expected::Range(lo, hi)),
                    (Ok(_), Ok(_)) => {
                        fail(loader, "`between` needs [low, high] with low ≤ high".into())
                    }
                    (Err(e), _) | (_, Err(e)) => fail(loader, e),
                }
            }
            _ if !kind.is_numeric() => fail(
                loader,
                format!(
                    "`between` compares numbers, but {path} is {}",
                    kind.describe()
                ),
            ),
            _ => fail(
                loader,
                "`between` takes a list of two values, [low, high]".into(),
            ),
        },
        Op::In | Op::NotIn => match &value.value {
            toml::Value::Array(items) if !items.is_empty() => match kind {
                Kind::Text => {
                    let texts: Option<Vec<String>> = items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect();
                    match texts {
                        Some(t) => Some(Expected::Texts(t)),
                        None => fail(loader, format!("{path} is text: list strings in quotes")),
                    }
                }
                Kind::Bool => fail(loader, format!("{path} is true or false: use eq")),
                _ => match items
                    .iter()
                    .map(|i| number(i, kind))
                    .collect::<Result<Vec<f64>, String>>()
                {
                    Ok(ns) => Some(Expected::Numbers(ns)),
                    Err(e) => fail(loader, e),
                },
            },
            _ => fail(
                loader,
                format!("`{}` takes a non-empty list of values", op.value),
            ),
        },
        Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::MultipleOf if !kind.is_numeric() => fail(
            loader,
            format!(
                "`{}` compares numbers, but {path} is {}",
                op.value,
                kind.describe()
            ),
        ),
        Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::MultipleOf => match kind {
            Kind::Text => match value.value.as_str() {
                Some(s) => Some(Expected::Text(s.to_string())),
                None => fail(loader, format!("{path} is text: put the value in quotes")),
            },
            Kind::Bool => match value.value.as_bool() {
                Some(b) => Some(Expected::Bool(b)),
                None => fail(
                    loader,
                    format!("{path} is true or false, not {}", value.value),
                ),
            },
            _ => match number(&value.value, kind) {
                Ok(n) if parsed_op == Op::MultipleOf && n <= 0.0 => {
                    fail(loader, "`multiple_of` needs a positive number".into())
                }
                Ok(n) => Some(Expected::Number(n)),
                Err(e) => fail(loader, e),
            },
        },
    };
    let tolerance = match tolerance {
        None => Some(None),
        Some(t) if kind.is_numeric() => match number(&t.value, kind) {
            Ok(n) if n >= 0.0 => Some(Some(n)),
            Ok(_) => {
                loader.problem(t.file, t.span.clone(), "a tolerance cannot be negative");
                None
            }
            Err(e) => {
                loader.problem(t.file, t.span.clone(), e);
                None
            }
        },
        Some(t) => {
            loader.problem(
                t.file,
                t.span.clone(),
                format!(
                    "a tolerance needs a number, but {path} is {}",
                    kind.describe()
                ),
            );
            None
        }
    };
    Some(Test {
        fact: path,
        op: parsed_op,
        expected: expected?,
        tolerance: tolerance?,
    })
}

fn number(v: &toml::Value, kind: Kind) -> Result<f64, String> {
    match v {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Ok(*f),
        toml::Value::String(s) => kind.parse(s),
        other => Err(format!("{other} is not {}", kind.describe())),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

//! A loaded rule set: rules ready to evaluate, with their operators and parsed values.

use crate::rules::path::FactPath;
pub use crate::verdict::Severity;
use reelcheck_facts::units::Kind;
use reelcheck_facts::{Analyzer, Needs};
use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Between,
    In,
    NotIn,
    Matches,
    Exists,
    MultipleOf,
}

impl Op {
    pub const NAMES: &'static [&'static str] = &[
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "between",
        "in",
        "not_in",
        "matches",
        "exists",
        "multiple_of",
    ];

    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "between" => Op::Between,
            "in" => Op::In,
            "not_in" => Op::NotIn,
            "matches" => Op::Matches,
            "exists" => Op::Exists,
            "multiple_of" => Op::MultipleOf,
            _ => return None,
        })
    }
}

/// The value a rule compares with, already parsed into the fact's base unit.
#[derive(Debug, Clone)]
pub enum Expected {
    Number(f64),
    Text(String),
    Bool(bool),
    Range(f64, f64),
    Numbers(Vec<f64>),
    Texts(Vec<String>),
    Pattern(Regex),
}

/// A test on one fact: used for rules and for their `when` conditions.
#[derive(Debug, Clone)]
pub struct Test {
    pub fact: FactPath,
    pub op: Op,
    pub expected: Expected,
    pub tolerance: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub test: Test,
    pub severity: Severity,
    /// May hold `{value}` (what the rule asks for) and `{actual}` (what the file has), so that
    /// an override of the value keeps the message true.
    pub message: String,
    pub source: Option<String>,
    /// How to fix a failure, one line per tool ("DaVinci Resolve: …").
    pub fix: Option<String>,
    /// All must hold for the rule to apply.
    pub when: Vec<Test>,
}

#[derive(Debug, Clone)]
pub struct RuleSet {
    pub name: String,
    pub description: Option<String>,
    pub track: Option<String>,
    /// Where the set was loaded from: `built-in` or a file path.
    pub source: String,
    pub rules: Vec<Rule>,
    /// Things that load but are probably mistakes, as `file:line:col: text` (`rules validate`
    /// prints them).
    pub warnings: Vec<String>,
}

impl RuleSet {
    /// A set with no rules, for reports about paths that were never probed.
    pub fn empty() -> RuleSet {
        RuleSet {
            name: String::new(),
            description: None,
            track: None,
            source: String::new(),
            rules: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The analyzers whose facts the rules name.
    pub fn needs(&self) -> Needs {
        let mut needs = Needs::default();
        for rule in &self.rules {
            for test in std::iter::once(&rule.test).chain(&rule.when) {
                if let Some(a) = test.fact.analyzer {
                    needs.insert(a);
                }
            }
        }
        needs
    }

    pub fn uses(&self, a: Analyzer) -> bool {
        self.needs().has(a)
    }

    /// Whether a rule (or its `when`) names a fact under `prefix` (`similar.`).
    pub fn names(&self, prefix: &str) -> bool {
        self.rules.iter().any(|rule| {
            std::iter::once(&rule.test)
                .chain(&rule.when)
                .any(|t| t.fact.text.starts_with(prefix))
        })
    }
}

impl Test {
    /// The expectation in words, with the fact's units: "≥ 1:00", "one of h264, hevc".
    pub fn describe(&self) -> String {
        let kind = self.fact.kind;
        let show = |v: f64| kind.show(v);
        let tol = self
            .tolerance
            .map(|t| format!(" (±{})", kind.show(t)))
            .unwrap_or_default();
        let body = match (&self.op, &self.expected) {
            (Op::Exists, Expected::Bool(true)) => "present".to_string(),
            (Op::Exists, Expected::Bool(false)) => "absent".to_string(),
            (Op::Matches, Expected::Pattern(re)) => format!("matches {}", re.as_str()),
            (Op::Between, Expected::Range(lo, hi)) => {
                format!("between {} and {}", show(*lo), show(*hi))
            }
            (Op::In, e) => format!("one of {}", list(e, kind)),
            (Op::NotIn, e) => format!("none of {}", list(e, kind)),
            (Op::MultipleOf, Expected::Number(n)) => format!("a multiple of {}", show(*n)),
            // "≥ 2 s before the picture ends" would read backwards.
            (Op::Ge, Expected::Number(n)) if kind == Kind::Offset => {
                format!("no earlier than {}", show(*n))
            }
            (Op::Le, Expected::Number(n)) if kind == Kind::Offset => {
                format!("no later than {}", show(*n))
            }
            (op, e) => {
                let sym = match op {
                    Op::Eq => "",
                    Op::Ne => "not ",
                    Op::Lt => "< ",
                    Op::Le => "≤ ",
                    Op::Gt => "> ",
                    Op::Ge => "≥ ",
                    _ => "",
                };
                format!("{sym}{}", single(e, kind))
            }
        };
        format!("{body}{tol}")
    }
}

fn single(e: &Expected, kind: Kind) -> String {
    match e {
        Expected::Number(n) => kind.show(*n),
        Expected::Text(t) => t.clone(),
        Expected::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        other => list(other, kind),
    }
}

fn list(e: &Expected, kind: Kind) -> String {
    match e {
        Expected::Numbers(ns) => ns
            .iter()
            .map(|n| kind.show(*n))
            .collect::<Vec<_>>()
            .join(", "),
        Expected::Texts(ts) => ts.join(", "),
        other => single(other, kind),
    }
}

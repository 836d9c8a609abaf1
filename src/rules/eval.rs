//! Evaluating a rule set against one file's facts. Pure and cheap: no I/O, no FFmpeg.

use crate::facts::Facts;
use crate::rules::model::{Expected, Op, Rule, RuleSet, Test};
use crate::rules::path::{Found, Selector};
use crate::rules::units::Kind;
use crate::verdict::Severity;
use crate::verdict::{FileReport, FileStatus, RuleResult, RuleStatus};
use serde_json::Value;

/// Checks one file. With `strict`, a failed warning fails the file too.
pub fn evaluate(rules: &RuleSet, facts: &Facts, strict: bool) -> FileReport {
    if let Some(err) = &facts.error {
        return FileReport {
            path: facts.path.clone(),
            status: FileStatus::Error,
            error: Some(err.clone()),
            results: Vec::new(),
            facts: facts.clone(),
            entry: Default::default(),
            stamp: None,
        };
    }
    let value = serde_json::to_value(facts).unwrap_or(Value::Null);
    let results: Vec<RuleResult> = rules.rules.iter().map(|r| check_rule(r, &value)).collect();
    let fails = |sev: Severity| {
        results
            .iter()
            .any(|r| r.status == RuleStatus::Fail && r.severity == sev)
    };
    let failed = fails(Severity::Error) || (strict && fails(Severity::Warning));
    FileReport {
        path: facts.path.clone(),
        status: if failed {
            FileStatus::Fail
        } else {
            FileStatus::Pass
        },
        error: None,
        results,
        facts: facts.clone(),
        entry: Default::default(),
        stamp: None,
    }
}

enum Outcome {
    Pass(String),
    Fail(String),
    Skip(String),
    /// The fact was measured, but its value (for some or all tracks) is unknown: the file did
    /// not say, or said something impossible. `partly` when other tracks passed.
    Unknown {
        shown: String,
        why: String,
        partly: bool,
    },
}

pub fn check_rule(rule: &Rule, facts: &Value) -> RuleResult {
    let outcome = applies(rule, facts).map_or_else(|| run(&rule.test, facts), Outcome::Skip);
    let (status, actual, reason) = match outcome {
        Outcome::Pass(a) => (RuleStatus::Pass, Some(a), None),
        Outcome::Fail(a) => (RuleStatus::Fail, Some(a), None),
        Outcome::Skip(why) => (RuleStatus::Skip, None, Some(why)),
        // A requirement cannot be met by a value nobody could establish: a film whose
        // runtime is unknown must not pass the runtime limits.
        Outcome::Unknown { shown, why, .. } if rule.severity == Severity::Error => (
            RuleStatus::Fail,
            Some(shown),
            Some(format!(
                "{why}; a requirement is never passed on a value that could not be established"
            )),
        ),
        Outcome::Unknown {
            shown,
            partly: true,
            ..
        } => (RuleStatus::Pass, Some(shown), None),
        Outcome::Unknown { why, .. } => (RuleStatus::Skip, None, Some(why)),
    };
    RuleResult {
        id: rule.id.clone(),
        severity: rule.severity,
        status,
        message: crate::rules::message::fill(&rule.message, facts),
        expected: rule.test.describe(),
        actual,
        source: rule.source.clone(),
        reason,
    }
}

/// `None` when the rule applies, or why it does not.
fn applies(rule: &Rule, facts: &Value) -> Option<String> {
    for cond in &rule.when {
        match run(cond, facts) {
            Outcome::Pass(_) => {}
            Outcome::Fail(actual) => {
                return Some(format!(
                    "applies only when {} is {} (it is {actual})",
                    cond.fact,
                    cond.describe()
                ))
            }
            Outcome::Unknown { partly: true, .. } => {}
            Outcome::Skip(why) | Outcome::Unknown { why, .. } => return Some(why),
        }
    }
    None
}

fn run(test: &Test, facts: &Value) -> Outcome {
    let items = match test.fact.lookup(facts) {
        Found::NotComputed => {
            let by = test
                .fact
                .analyzer
                .map(|a| format!(" (needs the {a} analysis)"))
                .unwrap_or_default();
            return Outcome::Skip(format!("{} was not measured{by}", test.fact));
        }
        Found::NoItems(why) if test.op == Op::Exists => {
            return if matches!(test.expected, Expected::Bool(false)) {
                Outcome::Pass(why)
            } else {
                Outcome::Fail(why)
            };
        }
        Found::NoItems(why) => return Outcome::Skip(why),
        Found::Values(v) => v,
    };
    let multi = items.len() > 1 || test.fact.quantifier() != Selector::At(0);
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for (label, v) in &items {
        let shown = if multi {
            format!("{}: {}", stream_label(label), show(v, test.fact.kind))
        } else {
            show(v, test.fact.kind)
        };
        match holds(test, v) {
            Some(true) => passed.push(shown),
            Some(false) => failed.push(shown),
            None => unknown.push(shown),
        }
    }
    let all: Vec<String> = items
        .iter()
        .map(|(l, v)| {
            if multi {
                format!("{}: {}", stream_label(l), show(v, test.fact.kind))
            } else {
                show(v, test.fact.kind)
            }
        })
        .collect();
    match test.fact.quantifier() {
        Selector::Any => {
            // "At least one track is X" fails when no track is known to be X.
            if passed.is_empty() {
                Outcome::Fail(all.join(", "))
            } else {
                Outcome::Pass(all.join(", "))
            }
        }
        _ => {
            if !failed.is_empty() {
                Outcome::Fail(failed.join(", "))
            } else if !unknown.is_empty() || passed.is_empty() {
                Outcome::Unknown {
                    shown: all.join(", "),
                    why: format!("{} is unknown for this file", test.fact),
                    partly: !passed.is_empty(),
                }
            } else {
                Outcome::Pass(all.join(", "))
            }
        }
    }
}

/// `audio[1].sample_rate` → `audio[1]`: the field is already named by the rule.
fn stream_label(label: &str) -> &str {
    label.find(']').map_or(label, |i| &label[..=i])
}

/// Whether one value satisfies the test; `None` when the value is unknown (null).
fn holds(test: &Test, v: &Value) -> Option<bool> {
    if let (Op::Exists, Expected::Bool(want)) = (test.op, &test.expected) {
        return Some(v.is_null() != *want);
    }
    if v.is_null() {
        return None;
    }
    let tol = test.tolerance.unwrap_or(0.0);
    let close = |a: f64, b: f64| (a - b).abs() <= tol + 1e-9 * b.abs().max(1.0);
    match &test.expected {
        Expected::Number(n) => {
            let x = v.as_f64()?;
            Some(match test.op {
                Op::Eq => close(x, *n),
                Op::Ne => !close(x, *n),
                Op::Lt => x < n + tol,
                Op::Le => x <= n + tol,
                Op::Gt => x > n - tol,
                Op::Ge => x >= n - tol,
                Op::MultipleOf => {
                    let r = x.rem_euclid(*n);
                    r <= tol + 1e-9 || (n - r) <= tol + 1e-9
                }
                _ => return None,
            })
        }
        Expected::Range(lo, hi) => {
            let x = v.as_f64()?;
            Some(x >= lo - tol && x <= hi + tol)
        }
        Expected::Numbers(ns) => {
            let x = v.as_f64()?;
            let found = ns.iter().any(|n| close(x, *n));
            Some(if test.op == Op::NotIn { !found } else { found })
        }
        Expected::Text(t) => {
            let s = text_of(v)?;
            Some(if test.op == Op::Ne { s != *t } else { s == *t })
        }
        Expected::Texts(ts) => {
            let s = text_of(v)?;
            let found = ts.contains(&s);
            Some(if test.op == Op::NotIn { !found } else { found })
        }
        Expected::Pattern(re) => Some(re.is_match(&text_of(v)?)),
        Expected::Bool(b) => {
            let x = v.as_bool()?;
            Some(if test.op == Op::Ne { x != *b } else { x == *b })
        }
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn show(v: &Value, kind: Kind) -> String {
    match v {
        Value::Null => "unknown".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| kind.show(x)),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

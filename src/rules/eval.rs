//! Evaluating a rule set against one file's facts. Pure and cheap: no I/O, no FFmpeg.

use crate::rules::model::{Expected, Op, Rule, RuleSet, Test};
use crate::rules::path::{Found, Selector};
use crate::rules::say;
use crate::verdict::Severity;
use crate::verdict::{
    ExpectedValue, FileReport, FileStatus, Measured, RuleResult, RuleStatus, SkipCause,
};
use reelcheck_facts::units::show_value as show;
use reelcheck_facts::Facts;
use serde_json::Value;

/// Checks one file. With `strict`, a failed warning fails the file too, and so does a
/// requirement left unchecked because its facts need decoding (`--quick`).
pub fn evaluate(rules: &RuleSet, facts: &Facts, strict: bool) -> FileReport {
    if let Some(err) = &facts.error {
        return FileReport {
            path: facts.path.clone(),
            status: FileStatus::Error,
            error: Some(err.clone()),
            error_code: facts.error_code().map(str::to_string),
            provisional: false,
            results: Vec::new(),
            facts: facts.clone(),
            entry: Default::default(),
            stamp: None,
            timing: None,
        };
    }
    let value = serde_json::to_value(facts).unwrap_or(Value::Null);
    let results: Vec<RuleResult> = rules.rules.iter().map(|r| check_rule(r, &value)).collect();
    let mut report = FileReport {
        path: facts.path.clone(),
        status: FileStatus::Pass,
        error: None,
        error_code: None,
        provisional: false,
        results,
        facts: facts.clone(),
        entry: Default::default(),
        stamp: None,
        timing: None,
    };
    report.provisional = report.unchecked_requirements() > 0;
    let fails = |sev: Severity| report.failures(sev).next().is_some();
    let failed =
        fails(Severity::Error) || (strict && (fails(Severity::Warning) || report.provisional));
    if failed {
        report.status = FileStatus::Fail;
    }
    report
}

/// A value as the JSON report keeps it (`raw`) and as a person reads it (`said`).
#[derive(Clone)]
struct Shown {
    raw: String,
    said: String,
}

impl Shown {
    fn same(text: String) -> Shown {
        Shown {
            said: text.clone(),
            raw: text,
        }
    }

    fn join(items: &[Shown]) -> Shown {
        let part = |f: fn(&Shown) -> &String| {
            items
                .iter()
                .map(|s| f(s).as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        Shown {
            raw: part(|s| &s.raw),
            said: part(|s| &s.said),
        }
    }
}

enum Outcome {
    Pass(Shown),
    Fail(Shown),
    Skip(SkipCause, String),
    /// The fact was measured, but its value (for some or all tracks) is unknown: the file did
    /// not say, or said something impossible. `partly` when other tracks passed.
    Unknown {
        shown: Shown,
        why: String,
        partly: bool,
    },
}

pub fn check_rule(rule: &Rule, facts: &Value) -> RuleResult {
    let outcome = applies(rule, facts).unwrap_or_else(|| run(&rule.test, facts));
    let mut cause = None;
    let (status, actual, reason) = match outcome {
        Outcome::Pass(a) => (RuleStatus::Pass, Some(a), None),
        Outcome::Fail(a) => (RuleStatus::Fail, Some(a), None),
        Outcome::Skip(c, why) => {
            cause = Some(c);
            (RuleStatus::Skip, None, Some(why))
        }
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
        Outcome::Unknown { why, .. } => {
            cause = Some(SkipCause::Unknown);
            (RuleStatus::Skip, None, Some(why))
        }
    };
    let actual_said = actual.as_ref().map(|a| a.said.clone());
    RuleResult {
        id: rule.id.clone(),
        severity: rule.severity,
        status,
        message: crate::rules::message::fill(
            &rule.message,
            &say::value(&rule.test),
            actual_said.as_deref().unwrap_or("unknown"),
            facts,
        ),
        expected: rule.test.describe(),
        actual_value: actual.as_ref().and_then(|_| measured(&rule.test, facts)),
        actual: actual.map(|a| a.raw),
        skip_cause: cause,
        source: rule.source.clone(),
        reason,
        expected_text: say::expected(&rule.test),
        actual_text: actual_said,
        fix: rule
            .fix
            .iter()
            .flat_map(|f| f.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        expected_value: expected_value(&rule.test),
        fact: Some(rule.test.fact.to_string()),
    }
}

/// The rule's expectation as numbers in the fact's base unit; `None` for text, yes/no and
/// patterns.
fn expected_value(test: &Test) -> Option<ExpectedValue> {
    let unit = test.fact.kind.unit()?.to_string();
    let op = Op::NAMES
        .iter()
        .find(|n| Op::parse(n) == Some(test.op))?
        .to_string();
    let mut out = ExpectedValue {
        op,
        value: None,
        min: None,
        max: None,
        values: Vec::new(),
        tolerance: test.tolerance,
        unit,
    };
    match &test.expected {
        Expected::Number(n) => out.value = Some(*n),
        Expected::Range(lo, hi) => (out.min, out.max) = (Some(*lo), Some(*hi)),
        Expected::Numbers(ns) => out.values = ns.clone(),
        _ => return None,
    }
    Some(out)
}

/// The one number a test looked at, with its unit; `None` for text, yes/no, or several values.
fn measured(test: &Test, facts: &Value) -> Option<Measured> {
    let Found::Values(items) = test.fact.lookup(facts) else {
        return None;
    };
    let unit = test.fact.kind.unit()?;
    match items.as_slice() {
        [(_, v)] => Some(Measured {
            value: v.as_f64()?,
            unit: unit.to_string(),
        }),
        _ => None,
    }
}

/// Whether the analyzer ran to the end on the file whose facts these are.
fn ran(facts: &Value, analyzer: reelcheck_facts::Analyzer) -> bool {
    facts["analyzers"]
        .as_array()
        .is_some_and(|a| a.iter().any(|n| n.as_str() == Some(analyzer.name())))
}

/// `None` when the rule applies, or a skip saying why it does not.
fn applies(rule: &Rule, facts: &Value) -> Option<Outcome> {
    for cond in &rule.when {
        match run(cond, facts) {
            Outcome::Pass(_) => {}
            Outcome::Fail(actual) => {
                return Some(Outcome::Skip(
                    SkipCause::NotApplicable,
                    format!(
                        "applies only when {} is {} (it is {})",
                        cond.fact,
                        cond.describe(),
                        actual.raw
                    ),
                ))
            }
            Outcome::Unknown { partly: true, .. } => {}
            Outcome::Skip(cause, why) => return Some(Outcome::Skip(cause, why)),
            Outcome::Unknown { why, .. } => return Some(Outcome::Skip(SkipCause::Unknown, why)),
        }
    }
    None
}

fn run(test: &Test, facts: &Value) -> Outcome {
    let items = match test.fact.lookup(facts) {
        Found::NotComputed => {
            return match test.fact.analyzer {
                // Only an analysis that was not asked for (`--quick`) leaves a fact out and
                // says nothing of the film.
                Some(a) if !ran(facts, a) => Outcome::Skip(
                    SkipCause::NeedsDecoding,
                    format!("{} was not measured (needs the {a} analysis)", test.fact),
                ),
                // The analysis ran and still has no value, or a header fact is missing: the
                // value could not be established, which a requirement never passes on.
                Some(a) => Outcome::Unknown {
                    shown: Shown::same("unknown".into()),
                    why: format!("the {a} analysis ran but could not measure {}", test.fact),
                    partly: false,
                },
                None => Outcome::Unknown {
                    shown: Shown::same("unknown".into()),
                    why: format!("{} could not be read from the file", test.fact),
                    partly: false,
                },
            };
        }
        Found::NoItems(why) if test.op == Op::Exists => {
            return if matches!(test.expected, Expected::Bool(false)) {
                Outcome::Pass(Shown::same(why))
            } else {
                Outcome::Fail(Shown::same(why))
            };
        }
        Found::NoItems(why) => return Outcome::Skip(SkipCause::NoStream, why),
        Found::Values(v) => v,
    };
    let multi = items.len() > 1 || test.fact.quantifier() != Selector::At(0);
    let pattern = test.fact.pattern();
    let kind = test.fact.kind;
    let all: Vec<Shown> = items
        .iter()
        .map(|(label, v)| {
            let raw = show(v, kind);
            let said = say::actual(&pattern, kind, v, facts, label);
            if multi {
                Shown {
                    raw: format!("{}: {raw}", stream_label(label)),
                    // One track needs no name; several do, as people number them.
                    said: if items.len() > 1 {
                        format!("{}: {said}", say::track(label))
                    } else {
                        said
                    },
                }
            } else {
                Shown { raw, said }
            }
        })
        .collect();
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for ((_, v), shown) in items.iter().zip(&all) {
        match holds(test, v) {
            Some(true) => passed.push(shown.clone()),
            Some(false) => failed.push(shown.clone()),
            None => unknown.push(shown.clone()),
        }
    }
    match test.fact.quantifier() {
        Selector::Any => {
            // "At least one track is X" fails when no track is known to be X.
            if passed.is_empty() {
                Outcome::Fail(Shown::join(&all))
            } else {
                Outcome::Pass(Shown::join(&all))
            }
        }
        _ => {
            if !failed.is_empty() {
                Outcome::Fail(Shown::join(&failed))
            } else if !unknown.is_empty() || passed.is_empty() {
                Outcome::Unknown {
                    shown: Shown::join(&all),
                    why: format!("{} is unknown for this file", test.fact),
                    partly: !passed.is_empty(),
                }
            } else {
                Outcome::Pass(Shown::join(&all))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::load_text;
    use reelcheck_facts::{Analyzer, Container, VideoStream};

    fn black_tail_rules(severity: &str) -> RuleSet {
        let text = format!(
            "name = \"t\"\n[[rule]]\nid = \"tail\"\nfact = \"video[*].black_tail_s\"\n\
             op = \"le\"\nvalue = \"2s\"\nseverity = \"{severity}\"\nmessage = \"m\"\n"
        );
        load_text("t.toml", &text, None).unwrap()
    }

    fn film(analyzers: &[Analyzer], black_tail_s: Option<f64>) -> Facts {
        Facts {
            path: "film.ts".into(),
            container: Some(Container {
                duration_s: Some(60.0),
                ..Default::default()
            }),
            video: vec![VideoStream {
                black_tail_s,
                ..Default::default()
            }],
            analyzers: analyzers.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn a_requirement_an_analysis_could_not_measure_is_not_passed() {
        let report = evaluate(
            &black_tail_rules("error"),
            &film(&[Analyzer::Black], None),
            false,
        );
        assert_eq!(report.status, FileStatus::Fail);
        let r = &report.results[0];
        assert_eq!(r.status, RuleStatus::Fail);
        let why = r.reason.as_deref().unwrap_or_default();
        assert!(
            why.contains("black analysis ran but could not measure"),
            "{why}"
        );
        assert!(!why.contains("--quick"), "{why}");
    }

    #[test]
    fn a_fact_not_asked_for_is_left_for_quick_and_a_warning_is_skipped_as_unknown() {
        // `--quick`: the analysis did not run; the pass is provisional, as before.
        let report = evaluate(&black_tail_rules("error"), &film(&[], None), false);
        assert_eq!(report.results[0].status, RuleStatus::Skip);
        assert_eq!(report.results[0].skip_cause, Some(SkipCause::NeedsDecoding));
        assert!(report.provisional);
        // A warning the analysis could not measure is skipped, as unknown, not as --quick.
        let report = evaluate(
            &black_tail_rules("warning"),
            &film(&[Analyzer::Black], None),
            false,
        );
        assert_eq!(report.status, FileStatus::Pass);
        assert_eq!(report.results[0].skip_cause, Some(SkipCause::Unknown));
        // Measured, it is judged.
        let report = evaluate(
            &black_tail_rules("error"),
            &film(&[Analyzer::Black], Some(3.0)),
            false,
        );
        assert_eq!(report.status, FileStatus::Fail);
        let report = evaluate(
            &black_tail_rules("error"),
            &film(&[Analyzer::Black], Some(1.0)),
            false,
        );
        assert_eq!(report.status, FileStatus::Pass);
    }
}

//! Checking each rule's fields once `extends` and overrides are applied: the fact path, the
//! operator, the value and tolerance in the fact's units, the severity and the `when`
//! conditions, every mistake reported where it was written.

use super::{At, Draft, Loader, RawCond};
use crate::rules::model::{Expected, Op, Rule, Severity, Test};
use crate::rules::path::FactPath;
use reelcheck_facts::units::Kind;
use std::ops::Range;

pub(super) fn compile(loader: &mut Loader, d: &Draft) -> Option<Rule> {
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
        Some(m) if !m.value.trim().is_empty() => {
            match crate::rules::say::unknown_placeholder(&m.value) {
                Some(bad) => {
                    loader.problem(
                    m.file,
                    m.span.clone(),
                    format!("unknown placeholder {{{bad}}} in the message (known: {{value}}, {{actual}} and fact paths such as {{container.duration_s}})"),
                );
                    None
                }
                None => Some(m.value.clone()),
            }
        }
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
        fix: d
            .fix
            .as_ref()
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty()),
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

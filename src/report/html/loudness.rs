//! The loudness-over-time line, as inline SVG, when the audio facts carry a loudness series.
//!
//! The series is read from the facts JSON rather than the structs, so that it is drawn as soon
//! as the audio analyzer adds one: `audio[0].loudness.momentary` (or `short_term`), either as
//! numbers (LUFS) evenly spaced by `step_s` (or `momentary_step_s`/`short_term_step_s`, else
//! spread over the film's duration), as `[t_s, lufs]` pairs, or as objects with a time
//! (`t_s`, `time_s`, `start_s` or `at_s`) and a level (`lufs` or `value`). Nulls and levels
//! below the floor are silence: gaps in the line.

use crate::verdict::{RuleResult, RuleStatus};
use maud::{html, Markup};
use reelcheck_facts::units::{show_duration, trim_num};
use reelcheck_facts::Facts;
use serde_json::Value;

const W: f64 = 640.0;
const H: f64 = 160.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 20.0;
/// The graph's range, in LUFS: quieter than -60 is drawn as silence.
const FLOOR: f64 = -60.0;
const TOP: f64 = 0.0;

/// A rule's limit on the integrated loudness, to draw across the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    pub lufs: f64,
    /// "max" or "min".
    pub side: &'static str,
    pub rule: String,
    pub failed: bool,
}

/// The limits the entry's rules put on its integrated loudness, as the rules say them (an
/// overridden limit is drawn where the organizer put it).
pub fn limits(results: &[RuleResult]) -> Vec<Limit> {
    let mut out = Vec::new();
    for r in results {
        let on_loudness = r
            .fact
            .as_deref()
            .is_some_and(|f| f.ends_with("loudness.integrated_lufs"));
        let Some(e) = r.expected_value.as_ref().filter(|_| on_loudness) else {
            continue;
        };
        if e.unit != "LUFS" {
            continue;
        }
        let failed = r.status == RuleStatus::Fail;
        let mut add = |lufs: Option<f64>, side| {
            if let Some(lufs) = lufs.filter(|l| l.is_finite()) {
                out.push(Limit {
                    lufs,
                    side,
                    rule: r.id.clone(),
                    failed,
                });
            }
        };
        match e.op.as_str() {
            "le" | "lt" => add(e.value, "max"),
            "ge" | "gt" => add(e.value, "min"),
            "between" => {
                add(e.min, "min");
                add(e.max, "max");
            }
            _ => {}
        }
    }
    out
}

pub fn svg(facts: &Facts, results: &[RuleResult]) -> Option<Markup> {
    let value = serde_json::to_value(facts).ok()?;
    let loudness = value.pointer("/audio/0/loudness")?;
    let duration = facts.container.as_ref().and_then(|c| c.duration_s);
    let (name, points) = ["momentary", "short_term"]
        .into_iter()
        .find_map(|n| series(loudness, n, duration).map(|p| (n, p)))?;
    let integrated = loudness.get("integrated_lufs").and_then(Value::as_f64);
    Some(draw(name, &points, integrated, &limits(results)))
}

/// Time and level pairs; `None` levels are silence.
pub fn series(
    loudness: &Value,
    name: &str,
    duration: Option<f64>,
) -> Option<Vec<(f64, Option<f64>)>> {
    let items = loudness.get(name)?.as_array()?;
    if items.len() < 2 {
        return None;
    }
    let level = |v: &Value| v.as_f64().filter(|x| x.is_finite() && *x > FLOOR);
    let step = ["step_s", &format!("{name}_step_s")]
        .iter()
        .find_map(|k| loudness.get(*k).and_then(Value::as_f64))
        .filter(|s| *s > 0.0)
        .or_else(|| duration.map(|d| d / (items.len() - 1) as f64))
        .unwrap_or(1.0);
    let points: Vec<(f64, Option<f64>)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Value::Array(pair) if pair.len() == 2 => Some((pair[0].as_f64()?, level(&pair[1]))),
            Value::Object(o) => {
                let t = ["t_s", "time_s", "start_s", "at_s"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_f64))?;
                let v = ["lufs", "value"]
                    .iter()
                    .find_map(|k| o.get(*k))
                    .and_then(level);
                Some((t, v))
            }
            other => Some((i as f64 * step, level(other))),
        })
        .collect();
    (points.len() >= 2).then_some(points)
}

fn draw(
    name: &str,
    points: &[(f64, Option<f64>)],
    integrated: Option<f64>,
    limits: &[Limit],
) -> Markup {
    let t0 = points.first().map_or(0.0, |p| p.0);
    let t1 = points.last().map_or(1.0, |p| p.0).max(t0 + 1e-6);
    let x = |t: f64| LEFT + (t - t0) / (t1 - t0) * (W - LEFT - 4.0);
    let y = |v: f64| 4.0 + (TOP - v.clamp(FLOOR, TOP)) / (TOP - FLOOR) * (H - BOTTOM - 4.0);
    let label = if name == "short_term" {
        "Short-term"
    } else {
        "Momentary"
    };
    // One path with a move at every gap, so silence breaks the line.
    let mut d = String::new();
    let mut pen_down = false;
    for (t, v) in points {
        match v {
            Some(v) => {
                d.push_str(&format!(
                    "{}{:.1},{:.1}",
                    if pen_down { "L" } else { "M" },
                    x(*t),
                    y(*v)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let f1 = |v: f64| format!("{v:.1}");
    html! {
        svg.loudness viewBox={ "0 0 " (W) " " (H) } role="img" aria-label={ (label) " loudness over time" }
            data-points=(points.len()) data-limits=(limits.len()) xmlns="http://www.w3.org/2000/svg" {
            @for lufs in [-10.0, -23.0, -40.0] {
                line x1=(LEFT) x2=(W) y1=(f1(y(lufs))) y2=(f1(y(lufs))) stroke="#dadce0" {}
                text x=(LEFT - 4.0) y=(f1(y(lufs) + 3.0)) font-size="10" text-anchor="end" fill="#5f6368" { (lufs) }
            }
            path d=(d) fill="none" stroke="#1a73e8" stroke-width="1.2" {}
            @if let Some(i) = integrated.filter(|i| i.is_finite()) {
                line x1=(LEFT) x2=(W) y1=(f1(y(i))) y2=(f1(y(i))) stroke="#c62828" stroke-dasharray="4 3" {
                    title { "integrated " (trim_num(i, 1)) " LUFS" }
                }
            }
            @for l in limits {
                @let colour = if l.failed { "#c62828" } else { "#b26a00" };
                g.limit data-rule=(l.rule) data-lufs=(l.lufs) data-side=(l.side) {
                    line x1=(LEFT) x2=(W) y1=(f1(y(l.lufs))) y2=(f1(y(l.lufs))) stroke=(colour) stroke-dasharray="1 2" stroke-width="1.5" {
                        title { (l.rule) ": " (l.side) " " (trim_num(l.lufs, 1)) " LUFS" }
                    }
                    text x=(W - 4.0) y=(f1(y(l.lufs) + if l.side == "max" { -3.0 } else { 10.0 })) font-size="10" text-anchor="end" fill=(colour) {
                        (l.side) " " (trim_num(l.lufs, 1)) " LUFS"
                    }
                }
            }
            text x=(LEFT) y=(H - 6.0) font-size="10" fill="#5f6368" { (show_duration(t0)) }
            text x=(W) y=(H - 6.0) font-size="10" text-anchor="end" fill="#5f6368" { (show_duration(t1)) " · LUFS" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_shape_of_series() {
        let numbers = json!({"momentary": [-20.0, null, -30.0], "step_s": 0.5});
        assert_eq!(
            series(&numbers, "momentary", None),
            Some(vec![(0.0, Some(-20.0)), (0.5, None), (1.0, Some(-30.0))])
        );
        let spread = json!({"momentary": [-20.0, -21.0, -22.0]});
        assert_eq!(
            series(&spread, "momentary", Some(10.0)).map(|p| p[2].0),
            Some(10.0)
        );
        let pairs = json!({"short_term": [[0.0, -18.0], [3.0, -90.0]]});
        assert_eq!(
            series(&pairs, "short_term", None),
            Some(vec![(0.0, Some(-18.0)), (3.0, None)])
        );
        let objects =
            json!({"momentary": [{"t_s": 1.0, "lufs": -19.0}, {"t_s": 2.0, "value": -20.0}]});
        assert_eq!(
            series(&objects, "momentary", None),
            Some(vec![(1.0, Some(-19.0)), (2.0, Some(-20.0))])
        );
        assert_eq!(
            series(&json!({"momentary": [-20.0]}), "momentary", None),
            None
        );
    }

    #[test]
    fn gaps_break_the_line() {
        let svg = draw(
            "momentary",
            &[(0.0, Some(-20.0)), (1.0, None), (2.0, Some(-20.0))],
            Some(-20.0),
            &[],
        )
        .into_string();
        let d = svg
            .split("<path d=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        assert_eq!(d.matches('M').count(), 2, "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}

//! A rule's message filled in for one file: `{value}` is the rule's value and `{actual}` what the
//! file has, both as people say them; a fact path, `{container.header_duration_s}`, is the file's
//! value as people say it too, so that a message can say what was measured ("its header says
//! 4:04, but picture and sound end at 0:04"). One pass over the message: text from the file
//! (a title tag saying `{value}`) is never filled in again. Braces around anything else are left
//! as written; `rules validate` reports them.

use crate::rules::path::is_fact_path;
use crate::rules::path::{FactPath, Found};
use serde_json::Value;

/// The message with its placeholders and each fact path in braces replaced.
pub fn fill(message: &str, value: &str, actual: &str, facts: &Value) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..open + len];
        match inner {
            "value" => out.push_str(value),
            "actual" => out.push_str(actual),
            _ => match value_of(inner, facts) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[open..=open + len]),
            },
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of a fact path as a report shows it; `None` when `name` is not a fact path.
fn value_of(name: &str, facts: &Value) -> Option<String> {
    // A fact path names a field inside the facts: `size_bytes` alone is left to other uses of
    // braces.
    if !is_fact_path(name) {
        return None;
    }
    let path = FactPath::parse(name).ok()?;
    let pattern = path.pattern();
    Some(match path.lookup(facts) {
        // As people say it: "MOV (QuickTime)", not FFmpeg's "mov,mp4,m4a,3gp,3g2,mj2".
        Found::Values(values) if !values.is_empty() => values
            .iter()
            .map(|(label, v)| crate::rules::say::actual(&pattern, path.kind, v, facts, label))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "unknown".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fact_paths_are_filled_in_their_units_and_other_braces_are_kept() {
        let facts = json!({"container": {"duration_s": 4.2, "header_duration_s": 243.6}});
        assert_eq!(
            fill(
                "header {container.header_duration_s}, plays {container.duration_s}; {value} {",
                "15 minutes",
                "{actual}",
                &facts
            ),
            "header 4:04, plays 0:04; 15 minutes {"
        );
        assert_eq!(fill("{container.bit_rate}", "", "", &facts), "unknown");
        // What the file says is not filled in again.
        assert_eq!(
            fill("over {value}: {actual}", "15 minutes", "{value}", &facts),
            "over 15 minutes: {value}"
        );
    }
}

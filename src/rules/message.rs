//! A rule's message with its placeholders filled in: `{value}` (the rule's value), `{actual}`
//! (what the file has) and fact paths, `{container.header_duration_s}`, which become the file's
//! value in the fact's units, so that a message can say what was measured ("its header says
//! 4:03.6, but picture and sound end at 0:04.2"). One pass over the message: a value that
//! itself holds braces (a title from the file) is never read as a placeholder.

use crate::rules::eval::show;
use crate::rules::path::{FactPath, Found};
use serde_json::Value;

/// The message with `{value}`, `{actual}` and each fact path in braces replaced; braces around
/// anything else are left as written.
pub fn fill(message: &str, value: &str, actual: &str, facts: &Value) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..open + len];
        let filled = match inner {
            "value" => Some(value.to_string()),
            "actual" => Some(actual.to_string()),
            _ => value_of(inner, facts),
        };
        match filled {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=open + len]),
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether `name` is a fact path a message may name. A fact path names a field inside the
/// facts: `size_bytes` alone is left to other uses of braces.
pub fn is_fact_path(name: &str) -> bool {
    (name.contains('.') || name.contains('[')) && FactPath::parse(name).is_ok()
}

/// The value of a fact path as a report shows it; `None` when `name` is not a fact path.
fn value_of(name: &str, facts: &Value) -> Option<String> {
    if !is_fact_path(name) {
        return None;
    }
    let path = FactPath::parse(name).ok()?;
    Some(match path.lookup(facts) {
        Found::Values(values) if !values.is_empty() => values
            .iter()
            .map(|(_, v)| show(v, path.kind))
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
                "header {container.header_duration_s}, plays {container.duration_s}; {value} {x} {",
                "15 minutes",
                "{container.duration_s}",
                &facts
            ),
            "header 4:03.6, plays 4.2 s; 15 minutes {x} {"
        );
        assert_eq!(fill("{container.bit_rate}", "", "", &facts), "unknown");
        // A value from the file that looks like a placeholder stays as it is.
        assert_eq!(
            fill("{actual}", "", "{container.duration_s}", &facts),
            "{container.duration_s}"
        );
    }
}

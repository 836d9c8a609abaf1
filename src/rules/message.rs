//! Facts named in a rule's message: `{container.header_duration_s}` becomes the file's value,
//! shown in the fact's units, so that a message can say what was measured ("its header says
//! 4:03.6, but picture and sound end at 0:04.2"). Braces around anything that is not a fact
//! path are left as written.

use crate::rules::eval::show;
use crate::rules::path::{FactPath, Found};
use serde_json::Value;

/// The message with each fact path in braces replaced by the value in `facts`.
pub fn fill(message: &str, facts: &Value) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..open + len];
        match value_of(inner, facts) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..=open + len]),
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
    if !name.contains('.') && !name.contains('[') {
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
                "header {container.header_duration_s}, plays {container.duration_s}; {value} {",
                &facts
            ),
            "header 4:03.6, plays 4.2 s; {value} {"
        );
        assert_eq!(fill("{container.bit_rate}", &facts), "unknown");
    }
}

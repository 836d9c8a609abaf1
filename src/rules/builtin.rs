//! The rule sets shipped inside the binary: one per track of the first festival, and the
//! `common` set both extend, which other festivals can extend too.

pub const NAMES: &[&str] = &["human", "ai", "common"];

pub fn text(name: &str) -> Option<&'static str> {
    match name {
        "human" => Some(include_str!("../../rules/human.toml")),
        "ai" => Some(include_str!("../../rules/ai.toml")),
        "common" => Some(include_str!("../../rules/common.toml")),
        _ => None,
    }
}

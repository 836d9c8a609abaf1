//! The rule sets shipped inside the binary: one per track of the first festival, and the
//! `common` set both extend, which other festivals can extend too; `screening` (common plus
//! a decode of every frame, for selected films) and `filmhub` (a Filmhub delivery).

pub const NAMES: &[&str] = &["human", "ai", "common", "screening", "filmhub"];

pub fn text(name: &str) -> Option<&'static str> {
    match name {
        "human" => Some(include_str!("../../rules/human.toml")),
        "ai" => Some(include_str!("../../rules/ai.toml")),
        "common" => Some(include_str!("../../rules/common.toml")),
        "screening" => Some(include_str!("../../rules/screening.toml")),
        "filmhub" => Some(include_str!("../../rules/filmhub.toml")),
        _ => None,
    }
}

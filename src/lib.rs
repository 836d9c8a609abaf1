//! reelcheck: checks film-festival submissions against a festival's delivery rules.

pub mod facts;
pub mod probe;

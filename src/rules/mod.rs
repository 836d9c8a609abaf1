//! Rule files: parsing and validation (`load`), the fact paths they name (`path`, `schema`),
//! values as people say them (`say`) and evaluation against facts (`eval`). Values with units
//! (the kinds of fact and how each is written and shown) are the facts crate's `units`.

pub mod builtin;
pub mod eval;
pub mod load;
pub mod message;
pub mod model;
pub mod path;
pub mod say;
pub mod schema;

pub use load::{load_builtin, load_file, LoadError};
pub use model::{Rule, RuleSet, Severity};

//! Rule files: parsing and validation (`load`), the fact paths they name (`path`, `schema`),
//! values with units (`units`), values as people say them (`say`) and evaluation against facts (`eval`).

pub mod builtin;
pub mod eval;
pub mod load;
pub mod message;
pub mod model;
pub mod path;
pub mod say;
pub mod schema;
pub mod units;

pub use load::{load_builtin, load_file, LoadError};
pub use model::{Rule, RuleSet, Severity};

//! sspm's policy engine.
//!
//! - [`builtins`]: sspm's Rego builtins (linear-time filters for long lists).
//! - [`catalog`]: loads checks (Rego + sidecar YAML metadata), libraries and Rego tests,
//!   built-in (embedded in the binary) and from the user's directories.
//! - [`snapshot`]: reads an `sspm-snapshot/1` file once into the engine's value type.
//! - [`eval`]: evaluates every check of the snapshot's app and turns outcomes into results.
//! - [`scoring`]: points, ranking and score roll-ups.
//! - [`initiatives`]: initiative definitions and their computed scores.
//! - [`policy_test`]: runs `test_*` rules of `*_test.rego` files (regorus has no `opa test`).

pub mod builtins;
pub mod catalog;
pub mod drift;
mod embedded;
pub mod eval;
mod files;
mod fxhash;
pub mod initiatives;
mod parallel;
pub mod policy_test;
pub mod scoring;
pub mod snapshot;
pub mod states;

pub use catalog::{Catalog, CatalogError, Check};
pub use eval::{assess, AssessOptions, Evaluator};
pub use initiatives::{Initiative, InitiativeError, Initiatives};
pub use snapshot::{LoadedSnapshot, SnapshotError, SnapshotText};

//! Shared types of sspm.
//!
//! Every other crate speaks in these types: the [`snapshot`] a connector writes, the
//! [`check`] metadata a policy declares, the [`result`] the engine produces and the
//! [`score`] it rolls up. They serialize exactly as `docs/design.md` specifies.

pub mod check;
pub mod result;
pub mod score;
pub mod snapshot;
pub mod state;

pub use check::{Benchmark, CheckMeta, Effort, Reference, Scoring, Severity};
pub use result::{
    AppScore, Assessment, CheckResult, InitiativeScore, MetricScore, Offender, ResultsDocument,
    Status, RESULTS_FORMAT,
};
pub use score::Score;
pub use snapshot::{Failure, Snapshot, SNAPSHOT_FORMAT};
pub use state::{AppliedState, ParseStateError, RecommendationState};

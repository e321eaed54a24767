//! What the engine says about each check, and the `sspm-results/1` document.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::check::{Benchmark, Effort, Scoring, Severity};
use crate::score::Score;
use crate::state::AppliedState;

/// The value of a results document's `format` field.
pub const RESULTS_FORMAT: &str = "sspm-results/1";

/// A status measured by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// Cannot be verified automatically.
    Manual,
    NotApplicable,
    /// Not evaluable: inputs missing or the check failed to run.
    Error,
}

impl Status {
    /// All statuses.
    pub const ALL: [Status; 5] = [
        Self::Pass,
        Self::Fail,
        Self::Manual,
        Self::NotApplicable,
        Self::Error,
    ];

    /// The snake_case name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Manual => "manual",
            Self::NotApplicable => "not_applicable",
            Self::Error => "error",
        }
    }

    /// Whether results with this status count towards achieved and possible points.
    pub fn is_scored(self) -> bool {
        matches!(self, Self::Pass | Self::Fail)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown status name.
#[derive(Debug, thiserror::Error)]
#[error("unknown status `{0}`: expected one of pass, fail, manual, not_applicable, error")]
pub struct ParseStatusError(pub String);

impl FromStr for Status {
    type Err = ParseStatusError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| ParseStatusError(s.to_string()))
    }
}

/// An object that makes a check fail: a user, a policy, a domain, an app …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offender {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub name: String,
}

/// One recommendation's outcome on one instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// Points achieved; 0 for statuses outside the score.
    pub points: f64,
    pub max_points: f64,
    /// Compliant objects (proportional checks only).
    pub compliant: Option<u64>,
    /// Objects considered (proportional checks only).
    pub total: Option<u64>,
    pub offenders: Vec<Offender>,
    pub reason: String,
    pub benchmarks: Vec<Benchmark>,
    pub initiatives: Vec<String>,
    pub scoring: Scoring,
    pub user_impact: Effort,
    pub implementation_cost: Effort,
    /// 1-based position in the instance's ranking (most points to gain first).
    pub rank: usize,
    /// The recommendation state in effect, when a person set one; `points` already
    /// reflect it (see [`crate::state`]). Absent from plain `sspm assess` output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<AppliedState>,
}

impl CheckResult {
    /// Whether the result counts towards the score: a `pass` or `fail`, or a `manual`
    /// result a person marked as risk accepted or mitigated.
    pub fn is_scored(&self) -> bool {
        self.status.is_scored()
            || (self.status == Status::Manual
                && self
                    .state
                    .as_ref()
                    .is_some_and(|s| s.state.points(self.max_points).is_some()))
    }

    /// Points possible for this result: `max_points` when scored, else 0.
    pub fn possible(&self) -> f64 {
        if self.is_scored() {
            self.max_points
        } else {
            0.0
        }
    }

    /// Points still to gain: `possible - points`.
    pub fn points_to_gain(&self) -> f64 {
        (self.possible() - self.points).max(0.0)
    }
}

/// The assessment of one snapshot (one instance of one app).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub app: String,
    pub instance: String,
    pub tenant: String,
    /// When the snapshot was collected (RFC 3339).
    pub collected_at: String,
    /// When the engine assessed it (RFC 3339).
    pub assessed_at: String,
    pub score: Score,
    /// The score if every `planned` recommendation were done; present when
    /// recommendation states were applied (results read from the store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_score: Option<Score>,
    /// Results in rank order.
    pub results: Vec<CheckResult>,
}

/// The `sspm-results/1` document printed by `sspm assess --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsDocument {
    /// Always [`RESULTS_FORMAT`].
    pub format: String,
    pub assessments: Vec<Assessment>,
    /// Overall score across every assessment.
    pub score: Score,
    /// Overall planned score, when recommendation states were applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_score: Option<Score>,
    /// Score per app, summed over its instances.
    #[serde(default)]
    pub apps: Vec<AppScore>,
    /// Initiative scores computed over every assessment.
    #[serde(default)]
    pub initiatives: Vec<InitiativeScore>,
}

/// One app's score summed over its instances.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppScore {
    pub app: String,
    pub instances: usize,
    pub score: Score,
}

/// An initiative's computed score and its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InitiativeScore {
    pub id: String,
    pub name: String,
    /// Weighted mean of the metrics' percentages (0–100); `null` when no metric is scored.
    pub percent: Option<f64>,
    pub metrics: Vec<MetricScore>,
}

/// One metric of an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricScore {
    pub id: String,
    pub name: String,
    pub weight: f64,
    pub score: Score,
    /// Ids of the recommendations the metric selects.
    pub recommendations: Vec<String>,
}

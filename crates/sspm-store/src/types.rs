//! What the store holds, as Rust types.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sspm_model::{Assessment, Score};

/// A scan's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ScanId(pub i64);

impl fmt::Display for ScanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One instance (tenant / org) of one app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instance {
    /// Name chosen by the user, unique in the store, e.g. `contoso-prod`.
    pub name: String,
    /// The app's short name, e.g. `m365`.
    pub app: String,
    /// Non-secret connector configuration (tenant id, endpoint overrides …).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub config: serde_json::Value,
    /// Whether security recommendations are assessed and scored (else only collected).
    pub recommendations: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When its configuration last changed.
    pub updated_at: DateTime<Utc>,
}

/// What is needed to add an instance.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInstance {
    /// Unique name: letters, digits, `-`, `_`, `.` (no `/`, no whitespace).
    pub name: String,
    /// The app's short name, e.g. `m365`.
    pub app: String,
    /// Non-secret configuration; secrets go to [`Store::set_credential`](crate::Store::set_credential).
    pub config: serde_json::Value,
    /// Whether security recommendations are assessed and scored.
    pub recommendations: bool,
}

/// A stored credential's name and dates; never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CredentialInfo {
    /// The credential's name, e.g. `client_secret`.
    pub name: String,
    /// Id of the master key that encrypted it.
    pub key_id: String,
    /// When it was first stored.
    pub created_at: DateTime<Utc>,
    /// When its value was last replaced.
    pub updated_at: DateTime<Utc>,
}

/// A scan's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// Begun, not yet completed or failed.
    Running,
    /// Completed; every call was read and every check evaluated.
    Succeeded,
    /// Completed, but some calls could not be read (snapshot `failures`) or some results
    /// are `error` (not evaluable).
    Partial,
    /// Did not complete; `error` says why. The previous assessment stays the latest.
    Failed,
}

impl ScanStatus {
    /// All statuses.
    pub const ALL: [ScanStatus; 4] = [Self::Running, Self::Succeeded, Self::Partial, Self::Failed];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Partial => "partial",
            Self::Failed => "failed",
        }
    }

    /// Whether the scan has an assessment (succeeded or partial).
    pub fn is_complete(self) -> bool {
        matches!(self, Self::Succeeded | Self::Partial)
    }
}

impl fmt::Display for ScanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown name of a [`ScanStatus`] or [`RecommendationState`].
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown {what} `{value}`: expected one of {expected}")]
pub struct ParseEnumError {
    what: &'static str,
    value: String,
    expected: &'static str,
}

impl ParseEnumError {
    pub(crate) fn new(what: &'static str, value: &str, expected: &'static str) -> Self {
        Self {
            what,
            value: value.to_string(),
            expected,
        }
    }
}

impl FromStr for ScanStatus {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| ParseEnumError {
                what: "scan status",
                value: s.to_string(),
                expected: "running, succeeded, partial, failed",
            })
    }
}

/// Counts of a completed scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanCounts {
    /// Results (recommendations assessed).
    pub results: u64,
    /// Results with status `pass`.
    pub passed: u64,
    /// Results with status `fail`.
    pub failed: u64,
    /// Results with status `manual`.
    pub manual: u64,
    /// Results with status `not_applicable`.
    pub not_applicable: u64,
    /// Results with status `error` (not evaluable).
    pub errors: u64,
    /// Snapshot resources read.
    pub resources: u64,
    /// Snapshot calls that failed.
    pub failures: u64,
}

/// Time spent in each phase of a scan, as measured by the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanTimings {
    /// Collection (connector).
    pub collect: Option<Duration>,
    /// Assessment (engine).
    pub assess: Option<Duration>,
}

/// A scan as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanRecord {
    /// The scan's id.
    pub id: ScanId,
    /// The instance scanned.
    pub instance: String,
    /// The instance's app.
    pub app: String,
    /// Where the scan is.
    pub status: ScanStatus,
    /// When [`Store::begin_scan`](crate::Store::begin_scan) was called.
    pub started_at: DateTime<Utc>,
    /// When it completed or failed.
    pub finished_at: Option<DateTime<Utc>>,
    /// Host of the process that ran it.
    pub owner_host: String,
    /// Process id of the process that ran it.
    pub owner_pid: i64,
    /// The tenant, as written in the snapshot (completed scans only).
    pub tenant: Option<String>,
    /// Collection time (RFC 3339), as written in the snapshot (completed scans only).
    pub collected_at: Option<String>,
    /// Assessment time (RFC 3339), as written in the assessment (completed scans only).
    pub assessed_at: Option<String>,
    /// The score measured (completed scans only).
    pub score: Option<Score>,
    /// Results by status, snapshot resources and failures (zero until completed).
    pub counts: ScanCounts,
    /// Milliseconds spent collecting, as reported by the caller.
    pub collect_ms: Option<i64>,
    /// Milliseconds spent assessing, as reported by the caller.
    pub assess_ms: Option<i64>,
    /// Milliseconds spent writing the scan in [`Store::complete_scan`](crate::Store::complete_scan).
    pub write_ms: Option<i64>,
    /// Why the scan failed.
    pub error: Option<String>,
    /// SHA-256 of the stored snapshot (completed scans only).
    pub snapshot_sha256: Option<String>,
}

/// The assessment of a completed scan, rebuilt from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAssessment {
    /// The scan it came from.
    pub scan: ScanRecord,
    /// Results in rank order; the score as measured (recommendation states not applied).
    pub assessment: Assessment,
}

pub use sspm_model::RecommendationState;

/// A change of a recommendation's state.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    /// The new state (`default` clears it).
    pub state: RecommendationState,
    /// Why (required except for `default`).
    pub reason: String,
    /// When the state stops being in effect (the measured status applies again).
    pub until: Option<DateTime<Utc>>,
    /// Who set it.
    pub set_by: String,
}

/// A recommendation's stored state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateRecord {
    /// The instance it applies to.
    pub instance: String,
    /// The recommendation (check id).
    pub check_id: String,
    /// The state (never `default`: that is the absence of a record).
    pub state: RecommendationState,
    /// Why it was set.
    pub reason: String,
    /// When it stops being in effect; `None`: until changed.
    pub until: Option<DateTime<Utc>>,
    /// Who set it.
    pub set_by: String,
    /// When it was set.
    pub set_at: DateTime<Utc>,
}

impl StateRecord {
    /// Whether the state applies at `at`: it has no `until`, or `until` is later.
    pub fn in_effect(&self, at: DateTime<Utc>) -> bool {
        self.until.is_none_or(|until| until > at)
    }

    /// The state as put on a result (see `sspm_engine::states`).
    pub fn applied(&self) -> sspm_model::AppliedState {
        let time = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        sspm_model::AppliedState {
            state: self.state,
            reason: self.reason.clone(),
            set_by: self.set_by.clone(),
            set_at: time(self.set_at),
            until: self.until.map(time),
        }
    }
}

/// The score of one instance on one day: the last completed scan of that (UTC) day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyScore {
    /// The UTC day of the assessment.
    pub day: NaiveDate,
    /// The score measured by that day's last scan.
    pub score: Score,
    /// That scan.
    pub scan: ScanId,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Sequence number (increasing).
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: String,
    /// What, e.g. `instance.add`, `state.set`, `credential.set`.
    pub action: String,
    /// On what, e.g. `instance/contoso-prod` or `state/contoso-prod/m365.entra.mfa`.
    pub target: String,
    /// Details (never secret values).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

//! Check (recommendation) metadata, as declared in each policy's sidecar YAML.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad it is when a check fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The lowercase name used in documents and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown severity name.
#[derive(Debug, thiserror::Error)]
#[error("unknown severity `{0}`: expected one of critical, high, medium, low")]
pub struct ParseSeverityError(pub String);

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseSeverityError(s.to_string()))
    }
}

/// How a check's points are earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Scoring {
    /// All or nothing.
    Binary,
    /// `max_points × compliant / total`.
    Proportional,
}

/// A low / moderate / high rating, used for user impact and implementation cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    Low,
    Moderate,
    High,
}

impl Effort {
    /// The lowercase name used in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }
}

impl fmt::Display for Effort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference from a check to a control in a benchmark.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Benchmark {
    /// The framework's short name, e.g. `cisa-scuba` or `cis-m365-v6`.
    pub framework: String,
    /// The control id within the framework, e.g. `MS.AAD.1.1v1`.
    pub id: String,
}

/// A link to vendor or benchmark documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    pub title: String,
    pub url: String,
}

/// Everything sspm knows about a check besides its logic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckMeta {
    /// Stable id, e.g. `m365.entra.legacy_auth_blocked`. Its first segment is the app.
    pub id: String,
    pub title: String,
    /// What the check verifies (markdown).
    pub description: String,
    /// Why it matters (markdown).
    pub rationale: String,
    pub severity: Severity,
    /// Points the recommendation is worth, 1–10.
    pub max_points: f64,
    pub scoring: Scoring,
    /// Snapshot keys the check reads.
    pub needs: Vec<String>,
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
    /// Initiatives the check contributes to (initiative definitions may add more).
    #[serde(default)]
    pub initiatives: Vec<String>,
    /// Free-form labels that initiative metrics can select on.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Attack techniques the check mitigates, e.g. `password-spray`.
    #[serde(default)]
    pub threats: Vec<String>,
    pub user_impact: Effort,
    pub implementation_cost: Effort,
    /// Ordered markdown steps: a portal path, then an API / CLI way.
    pub implementation: Vec<String>,
    #[serde(default)]
    pub references: Vec<Reference>,
}

impl CheckMeta {
    /// The app a check belongs to: the first segment of its id.
    pub fn app(&self) -> &str {
        self.id.split('.').next().unwrap_or_default()
    }
}

//! Recommendation states: a person's decision about a recommendation on one instance.
//!
//! Scoring (docs/design.md): `risk_accepted` is worth 0 points and stays possible;
//! `mitigated_third_party` and `mitigated_alternate` are worth full points; `planned` is
//! scored as measured, and the *planned score* counts it as full.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A person's decision about a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecommendationState {
    /// Accepted as a risk: 0 points, still possible.
    RiskAccepted,
    /// Mitigated by a third-party tool: full points.
    MitigatedThirdParty,
    /// Mitigated by another control: full points.
    MitigatedAlternate,
    /// Planned: scored as measured; the planned score counts it as full.
    Planned,
    /// No decision: the measured status applies. Setting it clears the state.
    Default,
}

impl RecommendationState {
    /// All states.
    pub const ALL: [RecommendationState; 5] = [
        Self::RiskAccepted,
        Self::MitigatedThirdParty,
        Self::MitigatedAlternate,
        Self::Planned,
        Self::Default,
    ];

    /// The snake_case name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RiskAccepted => "risk_accepted",
            Self::MitigatedThirdParty => "mitigated_third_party",
            Self::MitigatedAlternate => "mitigated_alternate",
            Self::Planned => "planned",
            Self::Default => "default",
        }
    }

    /// Points a result in this state is worth, out of `max_points`, given what was
    /// measured; `None` when the state leaves the measured points as they are.
    pub fn points(self, max_points: f64) -> Option<f64> {
        match self {
            Self::RiskAccepted => Some(0.0),
            Self::MitigatedThirdParty | Self::MitigatedAlternate => Some(max_points),
            Self::Planned | Self::Default => None,
        }
    }
}

impl fmt::Display for RecommendationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown state name.
#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown recommendation state `{0}`: expected one of risk_accepted, mitigated_third_party, mitigated_alternate, planned, default")]
pub struct ParseStateError(pub String);

impl FromStr for RecommendationState {
    type Err = ParseStateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| ParseStateError(s.to_string()))
    }
}

/// A state in effect on a result: what was decided, why, by whom, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppliedState {
    /// The decision (never `default`).
    pub state: RecommendationState,
    /// Why it was decided.
    pub reason: String,
    /// Who decided it.
    pub set_by: String,
    /// When it was decided (RFC 3339).
    pub set_at: String,
    /// When it stops applying (RFC 3339); `null`: until changed.
    pub until: Option<String>,
}

//! `/recommendations`: the ranked list, one recommendation with offenders and
//! implementation steps, and recommendation states.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sspm_model::{
    AppliedState, Benchmark, CheckResult, Effort, Offender, RecommendationState, Reference,
    Severity, Status,
};
use sspm_store::{StateChange, StateRecord};

use super::instances::unknown;
use crate::server::auth::{ApiCaller, Operator, Viewer};
use crate::server::error::{ApiError, ApiResult, Errors, Json, Path, Query};
use crate::server::filter::{reject_unknown, RecQuery, REC_QUERY_KEYS};
use crate::server::state::AppState;

/// One recommendation on one instance, as listed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationSummary {
    /// The instance.
    pub instance: String,
    /// Its app.
    pub app: String,
    /// The check id.
    pub id: String,
    /// What should be true.
    pub title: String,
    /// How bad a failure is.
    pub severity: Severity,
    /// The measured status.
    pub status: Status,
    /// Points achieved (with its state in effect).
    pub points: f64,
    /// Points possible.
    pub max_points: f64,
    /// Points to gain by fixing it.
    pub points_to_gain: f64,
    /// Rank within its instance (1 = most to gain).
    pub rank: usize,
    /// Effect of the fix on users.
    pub user_impact: Effort,
    /// Effort of the fix.
    pub implementation_cost: Effort,
    /// Offenders found.
    pub offenders: usize,
    /// Compliant objects, when counted.
    pub compliant: Option<u64>,
    /// Objects evaluated, when counted.
    pub total: Option<u64>,
    /// Its state, when one is in effect.
    pub state: Option<AppliedState>,
    /// Initiatives it belongs to.
    pub initiatives: Vec<String>,
    /// Benchmark controls it maps to.
    pub benchmarks: Vec<Benchmark>,
}

/// Builds the listed form of a result.
pub fn summary(instance: &str, app: &str, r: &CheckResult) -> RecommendationSummary {
    RecommendationSummary {
        instance: instance.to_string(),
        app: app.to_string(),
        id: r.id.clone(),
        title: r.title.clone(),
        severity: r.severity,
        status: r.status,
        points: r.points,
        max_points: r.max_points,
        points_to_gain: r.points_to_gain(),
        rank: r.rank,
        user_impact: r.user_impact,
        implementation_cost: r.implementation_cost,
        offenders: r.offenders.len(),
        compliant: r.compliant,
        total: r.total,
        state: r.state.clone(),
        initiatives: r.initiatives.clone(),
        benchmarks: r.benchmarks.clone(),
    }
}

/// One page of recommendations.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationPage {
    /// How many match the filters in all.
    pub total: usize,
    /// This page (from 1).
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// The recommendations on this page, in the requested order.
    pub items: Vec<RecommendationSummary>,
}

/// The ranked recommendations of every instance whose recommendations are on, with
/// states in effect, filtered and paged. Role: viewer.
#[utoipa::path(get, path = "/recommendations", tag = "recommendations", params(RecQuery),
    responses((status = 200, body = RecommendationPage), Errors))]
pub async fn list_recommendations(
    _c: Viewer,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    Query(q): Query<RecQuery>,
) -> ApiResult<Json<RecommendationPage>> {
    reject_unknown(raw.as_deref(), &REC_QUERY_KEYS)?;
    let view = state.view().await?;
    let filter = q.parse(&view, &state.catalog)?;
    let (total, rows) = filter.apply(&view, &state.catalog);
    let items = rows
        .into_iter()
        .map(|row| {
            let (a, r) = view.result(row);
            summary(&a.instance, &a.app, r)
        })
        .collect();
    Ok(Json(RecommendationPage {
        total,
        page: filter.page,
        per_page: filter.per_page,
        items,
    }))
}

/// One recommendation in full.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationDetail {
    /// The listed fields.
    #[serde(flatten)]
    pub summary: RecommendationSummary,
    /// What was measured, in words.
    pub reason: String,
    /// Every offender.
    pub offender_list: Vec<Offender>,
    /// What the check verifies.
    pub description: String,
    /// Why it matters.
    pub rationale: String,
    /// How to fix it, step by step (Markdown).
    pub implementation: Vec<String>,
    /// Further reading.
    pub references: Vec<Reference>,
    /// Threats it counters.
    pub threats: Vec<String>,
}

/// One recommendation on one instance: offenders, why it matters and the implementation
/// steps. Role: viewer.
#[utoipa::path(get, path = "/recommendations/{instance}/{check}", tag = "recommendations",
    params(("instance" = String, Path, description = "The instance"),
           ("check" = String, Path, description = "The check id")),
    responses((status = 200, body = RecommendationDetail), Errors))]
pub async fn get_recommendation(
    _c: Viewer,
    State(state): State<AppState>,
    Path((instance, check)): Path<(String, String)>,
) -> ApiResult<Json<RecommendationDetail>> {
    let view = state.view().await?;
    view.instance(&instance).ok_or_else(|| unknown(&instance))?;
    let assessment = view.assessment(&instance).ok_or_else(|| {
        ApiError::not_found(format!(
            "instance `{instance}` has no scored assessment (not scanned yet, or its recommendations are off)"
        ))
    })?;
    let r = assessment
        .results
        .iter()
        .find(|r| r.id == check)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no recommendation `{check}` on instance `{instance}`"
            ))
        })?;
    let meta = state.catalog.get(&check).map(|c| &c.meta);
    Ok(Json(RecommendationDetail {
        summary: summary(&assessment.instance, &assessment.app, r),
        reason: r.reason.clone(),
        offender_list: r.offenders.clone(),
        description: meta.map(|m| m.description.clone()).unwrap_or_default(),
        rationale: meta.map(|m| m.rationale.clone()).unwrap_or_default(),
        implementation: meta.map(|m| m.implementation.clone()).unwrap_or_default(),
        references: meta.map(|m| m.references.clone()).unwrap_or_default(),
        threats: meta.map(|m| m.threats.clone()).unwrap_or_default(),
    }))
}

/// A state to set.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetState {
    /// `risk_accepted`, `mitigated_third_party`, `mitigated_alternate` or `planned`.
    pub state: RecommendationState,
    /// Why (required).
    pub reason: String,
    /// When it stops being in effect: RFC 3339, or a date (through that day, UTC).
    pub until: Option<String>,
}

/// Checks that `check` is a check of `instance`'s app: 404 otherwise.
pub async fn check_target(state: &AppState, instance: &str, check: &str) -> ApiResult<()> {
    let stored = state
        .store
        .instance(instance)
        .await?
        .ok_or_else(|| unknown(instance))?;
    let c = state.catalog.get(check).ok_or_else(|| {
        ApiError::not_found(format!("no check `{check}`; `sspm checks` lists them"))
    })?;
    if c.meta.app() != stored.app {
        return Err(ApiError::not_found(format!(
            "check `{check}` is a check of {}, but instance `{instance}` is a {} instance",
            c.meta.app(),
            stored.app
        )));
    }
    Ok(())
}

/// Parses `until`: 400 naming the field, and it must be in the future.
pub fn parse_until(until: Option<&str>) -> ApiResult<Option<DateTime<Utc>>> {
    until
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| {
            crate::history::parse_until(u, Utc::now())
                .map_err(|e| ApiError::invalid_body(format!("until: {e:#}")))
        })
        .transpose()
}

/// Sets a recommendation's state (risk accepted, mitigated, planned), with a reason and
/// an optional expiry. It counts for the current assessment and every later one until
/// it expires. Role: operator.
#[utoipa::path(put, path = "/recommendations/{instance}/{check}/state", tag = "recommendations",
    request_body = SetState,
    params(("instance" = String, Path, description = "The instance"),
           ("check" = String, Path, description = "The check id")),
    responses((status = 200, body = StateRecord), Errors))]
pub async fn set_state(
    ApiCaller(caller): Operator,
    State(state): State<AppState>,
    Path((instance, check)): Path<(String, String)>,
    Json(body): Json<SetState>,
) -> ApiResult<Json<StateRecord>> {
    check_target(&state, &instance, &check).await?;
    if body.state == RecommendationState::Default {
        return Err(ApiError::invalid_body(
            "state: `default` clears a state; use DELETE on this resource",
        ));
    }
    if body.reason.trim().is_empty() {
        return Err(ApiError::invalid_body("reason: a reason is required"));
    }
    let change = StateChange {
        state: body.state,
        reason: body.reason,
        until: parse_until(body.until.as_deref())?,
        set_by: caller.actor(),
    };
    let record = state
        .store
        .set_state(&instance, &check, &change)
        .await?
        .ok_or_else(|| ApiError::internal("the state set was not read back"))?;
    Ok(Json(record))
}

/// Query of `DELETE …/state`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClearQuery {
    /// Why (recorded in the audit log).
    pub reason: Option<String>,
}

/// Clears a recommendation's state: its measured status counts again. Role: operator.
#[utoipa::path(delete, path = "/recommendations/{instance}/{check}/state", tag = "recommendations",
    params(("instance" = String, Path, description = "The instance"),
           ("check" = String, Path, description = "The check id"), ClearQuery),
    responses((status = 204, description = "Cleared (or there was none)"), Errors))]
pub async fn clear_state(
    ApiCaller(caller): Operator,
    State(state): State<AppState>,
    Path((instance, check)): Path<(String, String)>,
    Query(q): Query<ClearQuery>,
) -> ApiResult<StatusCode> {
    check_target(&state, &instance, &check).await?;
    let change = StateChange {
        state: RecommendationState::Default,
        reason: q.reason.unwrap_or_default(),
        until: None,
        set_by: caller.actor(),
    };
    state.store.set_state(&instance, &check, &change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of `GET /states`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatesQuery {
    /// Only this instance's states.
    pub instance: Option<String>,
}

/// Every stored recommendation state (expired ones included). Role: viewer.
#[utoipa::path(get, path = "/states", tag = "recommendations", params(StatesQuery),
    responses((status = 200, body = Vec<StateRecord>), Errors))]
pub async fn list_states(
    _c: Viewer,
    State(state): State<AppState>,
    Query(q): Query<StatesQuery>,
) -> ApiResult<Json<Vec<StateRecord>>> {
    if let Some(name) = &q.instance {
        if state.store.instance(name).await?.is_none() {
            return Err(unknown(name));
        }
    }
    Ok(Json(state.store.states(q.instance.as_deref()).await?))
}

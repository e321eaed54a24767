//! `/diff` and `/audit`.

use axum::extract::State;
use serde::Deserialize;
use sspm_engine::drift::Drift;
use sspm_store::{AuditEntry, ScanId};

use super::instances::unknown;
use crate::history::{diff_scans, scan_pair, ScanPair};
use crate::server::auth::Viewer;
use crate::server::error::{ApiError, ApiResult, Errors, Json, Query};
use crate::server::state::AppState;

/// Query of `GET /diff`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The instance.
    pub instance: String,
    /// The earlier scan: an id or a date (the last completed scan on or before it);
    /// default the completed scan before `to`.
    pub from: Option<String>,
    /// The later scan: an id or a date; default the latest completed scan.
    pub to: Option<String>,
}

/// What changed between two scans of an instance: recommendations that became failing,
/// passing or not evaluable, the score delta, and the configuration values behind each
/// change. Role: viewer.
#[utoipa::path(get, path = "/diff", tag = "history", params(DiffQuery),
    responses((status = 200, body = Drift), Errors))]
pub async fn get_diff(
    _c: Viewer,
    State(state): State<AppState>,
    Query(q): Query<DiffQuery>,
) -> ApiResult<Json<Drift>> {
    state
        .store
        .instance(&q.instance)
        .await?
        .ok_or_else(|| unknown(&q.instance))?;
    for (field, spec) in [("from", &q.from), ("to", &q.to)] {
        if let Some(id) = spec.as_deref().and_then(|s| s.parse::<i64>().ok()) {
            if state.store.scan(ScanId(id)).await?.is_none() {
                return Err(ApiError::not_found(format!("{field}: no scan {id}")));
            }
        }
    }
    let pair = scan_pair(
        &state.store,
        &q.instance,
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .await
    .map_err(|e| ApiError::invalid("from/to", format!("{e:#}")))?;
    let (from, to) = match pair {
        ScanPair::Found(from, to) => (from, to),
        ScanPair::NoCompletedScan => {
            return Err(ApiError::not_found(format!(
                "instance `{}` has no completed scan yet",
                q.instance
            )))
        }
        ScanPair::OneCompletedScan => {
            return Err(ApiError::not_found(format!(
                "instance `{}` has one completed scan only; a diff needs two",
                q.instance
            )))
        }
    };
    Ok(Json(
        diff_scans(&state.store, &state.catalog, from, to).await?,
    ))
}

/// Query of `GET /audit`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries about this instance (its configuration, credentials, states).
    pub instance: Option<String>,
    /// At most this many, newest first (1–10000, default 100).
    pub limit: Option<u32>,
}

/// The audit log: every instance, credential, state and token change, newest first.
/// Role: viewer.
#[utoipa::path(get, path = "/audit", tag = "history", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), Errors))]
pub async fn get_audit(
    _c: Viewer,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("{limit} is not from 1 to 10000"),
        ));
    }
    Ok(Json(
        state.store.audit_log(q.instance.as_deref(), limit).await?,
    ))
}

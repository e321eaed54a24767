//! `/scans`: list, trigger (in the background), progress.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sspm_store::{ScanId, ScanRecord, ScanStatus};

use super::instances::unknown;
use crate::scanning::ScanProgress;
use crate::server::auth::{Operator, Viewer};
use crate::server::error::{ApiError, ApiResult, Errors, Json, Path, Query};
use crate::server::scheduler;
use crate::server::state::AppState;

/// A scan, with its progress while this server runs it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScanOut {
    /// The stored scan.
    #[serde(flatten)]
    pub scan: ScanRecord,
    /// Where it is, while it runs in this server.
    pub progress: Option<ScanProgress>,
}

fn scan_out(state: &AppState, scan: ScanRecord) -> ScanOut {
    let progress = state.scheduler.board.get(scan.id);
    ScanOut { scan, progress }
}

/// Query of `GET /scans`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScansQuery {
    /// Only this instance's scans.
    pub instance: Option<String>,
    /// At most this many, newest first (1–1000, default 50).
    pub limit: Option<u32>,
}

/// Lists scans, newest first. Role: viewer.
#[utoipa::path(get, path = "/scans", tag = "scans", params(ScansQuery),
    responses((status = 200, body = Vec<ScanOut>), Errors))]
pub async fn list_scans(
    _c: Viewer,
    State(state): State<AppState>,
    Query(q): Query<ScansQuery>,
) -> ApiResult<Json<Vec<ScanOut>>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            format!("{limit} is not from 1 to 1000"),
        ));
    }
    if let Some(name) = &q.instance {
        if state.store.instance(name).await?.is_none() {
            return Err(unknown(name));
        }
    }
    let scans = state.store.scans(q.instance.as_deref(), limit).await?;
    Ok(Json(
        scans.into_iter().map(|s| scan_out(&state, s)).collect(),
    ))
}

/// What to scan.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TriggerScans {
    /// The instances to scan; empty or absent: every instance whose recommendations are on.
    #[serde(default)]
    pub instances: Vec<String>,
}

/// Starts scans in the background; follow them with `GET /scans/{id}/progress`.
/// Role: operator.
#[utoipa::path(post, path = "/scans", tag = "scans", request_body = TriggerScans,
    responses((status = 202, description = "Scans begun", body = Vec<ScanOut>), Errors))]
pub async fn trigger_scans(
    _c: Operator,
    State(state): State<AppState>,
    Json(body): Json<TriggerScans>,
) -> ApiResult<(StatusCode, Json<Vec<ScanOut>>)> {
    let names = if body.instances.is_empty() {
        state
            .store
            .instances()
            .await?
            .into_iter()
            .filter(|i| i.recommendations)
            .map(|i| i.name)
            .collect()
    } else {
        body.instances
    };
    if names.is_empty() {
        return Err(ApiError::invalid_body(
            "instances: no instance to scan (none has recommendations on)",
        ));
    }
    let begun = scheduler::trigger(&state, &names).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(begun.into_iter().map(|s| scan_out(&state, s)).collect()),
    ))
}

async fn scan_or_404(state: &AppState, id: i64) -> ApiResult<ScanRecord> {
    state
        .store
        .scan(ScanId(id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no scan {id}; GET /api/v1/scans lists them")))
}

/// One scan. Role: viewer.
#[utoipa::path(get, path = "/scans/{id}", tag = "scans",
    params(("id" = i64, Path, description = "The scan id")),
    responses((status = 200, body = ScanOut), Errors))]
pub async fn get_scan(
    _c: Viewer,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ScanOut>> {
    let scan = scan_or_404(&state, id).await?;
    Ok(Json(scan_out(&state, scan)))
}

/// Where a scan is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProgressOut {
    /// The scan id.
    pub id: ScanId,
    /// Its status.
    pub status: ScanStatus,
    /// Where it is, while it runs in this server.
    pub progress: Option<ScanProgress>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The progress of a scan: phase and API calls done while it runs, then its status.
/// Role: viewer.
#[utoipa::path(get, path = "/scans/{id}/progress", tag = "scans",
    params(("id" = i64, Path, description = "The scan id")),
    responses((status = 200, body = ProgressOut), Errors))]
pub async fn get_scan_progress(
    _c: Viewer,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProgressOut>> {
    let scan = scan_or_404(&state, id).await?;
    Ok(Json(ProgressOut {
        id: scan.id,
        status: scan.status,
        progress: state.scheduler.board.get(scan.id),
        error: scan.error,
    }))
}

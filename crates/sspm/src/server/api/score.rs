//! `/score`, `/score/history`, `/initiatives`.

use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sspm_model::{AppScore, InitiativeScore, Score};
use sspm_store::{DailyScore, ScanRecord};

use super::instances::unknown;
use crate::server::auth::Viewer;
use crate::server::error::{ApiError, ApiResult, Errors, Json, Path, Query};
use crate::server::state::AppState;

/// One instance's score.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InstanceScore {
    /// The instance.
    pub instance: String,
    /// Its app.
    pub app: String,
    /// Whether its recommendations are on (only then is it scored).
    pub recommendations: bool,
    /// Its score with states in effect (scored and scanned instances).
    pub score: Option<Score>,
    /// Its planned score.
    pub planned_score: Option<Score>,
    /// Its latest scan.
    pub last_scan: Option<ScanRecord>,
}

/// The secure score now.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScoreReport {
    /// Overall, with states in effect.
    pub score: Score,
    /// Overall when every planned recommendation is done.
    pub planned_score: Score,
    /// By app.
    pub apps: Vec<AppScore>,
    /// By instance.
    pub instances: Vec<InstanceScore>,
}

/// The secure score: overall, planned, by app and by instance. Role: viewer.
#[utoipa::path(get, path = "/score", tag = "score",
    responses((status = 200, body = ScoreReport), Errors))]
pub async fn get_score(_c: Viewer, State(state): State<AppState>) -> ApiResult<Json<ScoreReport>> {
    let view = state.view().await?;
    let instances = view
        .instances
        .iter()
        .map(|i| {
            let a = i.assessment.map(|a| &view.doc.assessments[a]);
            InstanceScore {
                instance: i.instance.name.clone(),
                app: i.instance.app.clone(),
                recommendations: i.instance.recommendations,
                score: a.map(|a| a.score),
                planned_score: a.map(|a| a.planned_score.unwrap_or(a.score)),
                last_scan: i.last_scan.clone(),
            }
        })
        .collect();
    Ok(Json(ScoreReport {
        score: view.doc.score,
        planned_score: view.planned(),
        apps: view.doc.apps.clone(),
        instances,
    }))
}

/// Query of `GET /score/history`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Days back from today (1–3650, default 90).
    pub days: Option<u32>,
    /// Only this instance.
    pub instance: Option<String>,
}

/// The overall score of one day.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DayScore {
    /// The day (UTC).
    pub day: NaiveDate,
    /// The score: each instance's latest point on or before the day, summed.
    pub score: Score,
}

/// One instance's daily scores.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InstanceHistory {
    /// The instance.
    pub instance: String,
    /// Its daily points (the last scan of each day).
    pub days: Vec<DailyScore>,
}

/// Score history.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScoreHistory {
    /// The overall score per day.
    pub days: Vec<DayScore>,
    /// Each instance's points.
    pub instances: Vec<InstanceHistory>,
}

/// The measured score per day, overall and per instance. Role: viewer.
#[utoipa::path(get, path = "/score/history", tag = "score", params(HistoryQuery),
    responses((status = 200, body = ScoreHistory), Errors))]
pub async fn get_score_history(
    _c: Viewer,
    State(state): State<AppState>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<ScoreHistory>> {
    let days = q.days.unwrap_or(90);
    if !(1..=3650).contains(&days) {
        return Err(ApiError::invalid(
            "days",
            format!("{days} is not from 1 to 3650"),
        ));
    }
    let names: Vec<String> = match &q.instance {
        Some(name) => {
            state
                .store
                .instance(name)
                .await?
                .ok_or_else(|| unknown(name))?;
            vec![name.clone()]
        }
        None => state
            .store
            .instances()
            .await?
            .into_iter()
            .filter(|i| i.recommendations)
            .map(|i| i.name)
            .collect(),
    };
    let mut instances = Vec::with_capacity(names.len());
    for name in names {
        let days = state.store.score_history(&name, days).await?;
        instances.push(InstanceHistory {
            instance: name,
            days,
        });
    }
    let histories: Vec<&[DailyScore]> = instances.iter().map(|i| i.days.as_slice()).collect();
    let overall = crate::history::overall_history(&histories, days)
        .into_iter()
        .map(|(day, score)| DayScore { day, score })
        .collect();
    Ok(Json(ScoreHistory {
        days: overall,
        instances,
    }))
}

/// The initiatives with their scores and metrics. Role: viewer.
#[utoipa::path(get, path = "/initiatives", tag = "score",
    responses((status = 200, body = Vec<InitiativeScore>), Errors))]
pub async fn list_initiatives(
    _c: Viewer,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<InitiativeScore>>> {
    Ok(Json(state.view().await?.doc.initiatives.clone()))
}

/// One initiative with its metrics and the recommendations behind each. Role: viewer.
#[utoipa::path(get, path = "/initiatives/{id}", tag = "score",
    params(("id" = String, Path, description = "The initiative id")),
    responses((status = 200, body = InitiativeScore), Errors))]
pub async fn get_initiative(
    _c: Viewer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<InitiativeScore>> {
    let view = state.view().await?;
    view.doc
        .initiatives
        .iter()
        .find(|i| i.id == id)
        .cloned()
        .map(Json)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no initiative `{id}`; GET /api/v1/initiatives lists them"
            ))
        })
}

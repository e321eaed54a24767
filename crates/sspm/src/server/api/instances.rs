//! `/instances`: connected app instances (tenants).

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sspm_model::Score;
use sspm_store::{NewInstance, ScanRecord, Secret};

use crate::scanning::ScanProgress;
use crate::server::auth::{Admin, ApiCaller, Viewer};
use crate::server::error::{ApiError, ApiResult, Errors, Json, Path};
use crate::server::state::AppState;
use crate::server::view::View;
use crate::stored::CLIENT_SECRET;
use axum::extract::State;

/// An instance, with its last scan and scores.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InstanceOut {
    /// Unique name.
    pub name: String,
    /// The app, e.g. `m365`.
    pub app: String,
    /// Whether security recommendations are on (assessed and scored).
    pub recommendations: bool,
    /// Non-secret connector configuration.
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Names of the stored credentials (never their values).
    pub credentials: Vec<String>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
    /// Its latest scan, whatever its status.
    pub last_scan: Option<ScanRecord>,
    /// The progress of its running scan, when this server runs it.
    pub progress: Option<ScanProgress>,
    /// Its score with recommendation states in effect (recommendations on and scanned).
    pub score: Option<Score>,
    /// Its planned score.
    pub planned_score: Option<Score>,
}

pub(super) async fn instance_out(
    state: &AppState,
    view: &View,
    name: &str,
) -> ApiResult<InstanceOut> {
    let v = view.instance(name).ok_or_else(|| unknown(name))?;
    let assessment = view.assessment(name);
    let credentials = state
        .store
        .credentials(name)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let progress = v
        .last_scan
        .as_ref()
        .and_then(|s| state.scheduler.board.get(s.id));
    Ok(InstanceOut {
        name: v.instance.name.clone(),
        app: v.instance.app.clone(),
        recommendations: v.instance.recommendations,
        config: v.instance.config.clone(),
        credentials,
        created_at: v.instance.created_at,
        updated_at: v.instance.updated_at,
        last_scan: v.last_scan.clone(),
        progress,
        score: assessment.map(|a| a.score),
        planned_score: assessment.map(|a| a.planned_score.unwrap_or(a.score)),
    })
}

pub(super) fn unknown(name: &str) -> ApiError {
    ApiError::not_found(format!(
        "no instance `{name}`; GET /api/v1/instances lists them"
    ))
}

/// Lists the instances. Role: viewer.
#[utoipa::path(get, path = "/instances", tag = "instances",
    responses((status = 200, body = Vec<InstanceOut>), Errors))]
pub async fn list_instances(
    _c: Viewer,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<InstanceOut>>> {
    let view = state.view().await?;
    let mut out = Vec::with_capacity(view.instances.len());
    for i in &view.instances {
        out.push(instance_out(&state, &view, &i.instance.name).await?);
    }
    Ok(Json(out))
}

/// One instance. Role: viewer.
#[utoipa::path(get, path = "/instances/{name}", tag = "instances",
    params(("name" = String, Path, description = "The instance")),
    responses((status = 200, body = InstanceOut), Errors))]
pub async fn get_instance(
    _c: Viewer,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<InstanceOut>> {
    let view = state.view().await?;
    Ok(Json(instance_out(&state, &view, &name).await?))
}

/// A new instance.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInstance {
    /// Unique name: letters, digits, `-`, `_`, `.`.
    pub name: String,
    /// The app (default `m365`).
    #[serde(default = "default_app")]
    pub app: String,
    /// Connector configuration, as an instance block of sspm.toml without `name`, `app`
    /// and `recommendations`: `tenant_id`, `client_id`, `cloud`, `organization`, …
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// Assess and score it (default true).
    #[serde(default = "default_true")]
    pub recommendations: bool,
    /// The client secret, stored encrypted; never returned.
    #[serde(default)]
    pub client_secret: Option<String>,
}

fn default_app() -> String {
    "m365".into()
}

fn default_true() -> bool {
    true
}

/// Checks that `config` is one the connector of `app` can use.
fn check_config(
    state: &AppState,
    name: &str,
    app: &str,
    config: &serde_json::Value,
) -> ApiResult<()> {
    if !state.catalog.apps().contains(app) {
        return Err(ApiError::invalid_body(format!(
            "app: unknown app `{app}`; known: {}",
            state
                .catalog
                .apps()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let probe = sspm_store::Instance {
        name: name.to_string(),
        app: app.to_string(),
        config: config.clone(),
        recommendations: true,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    };
    crate::stored::connector_instance(&probe)
        .map(|_| ())
        .map_err(|e| ApiError::invalid_body(format!("config: {e:#}")))
}

/// Adds an instance (with its client secret, stored encrypted). Role: admin.
#[utoipa::path(post, path = "/instances", tag = "instances", request_body = CreateInstance,
    responses((status = 201, body = InstanceOut), Errors))]
pub async fn create_instance(
    ApiCaller(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<CreateInstance>,
) -> ApiResult<(StatusCode, Json<InstanceOut>)> {
    check_config(&state, &body.name, &body.app, &body.config)?;
    let actor = caller.actor();
    state
        .store
        .add_instance(
            &NewInstance {
                name: body.name.clone(),
                app: body.app,
                config: body.config,
                recommendations: body.recommendations,
            },
            &actor,
        )
        .await?;
    if let Some(secret) = body.client_secret {
        state
            .store
            .set_credential(
                &body.name,
                CLIENT_SECRET,
                &Secret::new(secret.into_bytes()),
                &actor,
            )
            .await?;
    }
    let view = state.view().await?;
    Ok((
        StatusCode::CREATED,
        Json(instance_out(&state, &view, &body.name).await?),
    ))
}

/// Changes to an instance; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInstance {
    /// The new connector configuration (replaces the old one).
    #[schema(value_type = Option<Object>)]
    pub config: Option<serde_json::Value>,
    /// Security recommendations on (assessed and scored) or off (only collected).
    pub recommendations: Option<bool>,
    /// A new client secret, stored encrypted.
    pub client_secret: Option<String>,
}

/// Changes an instance: configuration, recommendations on/off, client secret. Role: admin.
#[utoipa::path(patch, path = "/instances/{name}", tag = "instances", request_body = UpdateInstance,
    params(("name" = String, Path, description = "The instance")),
    responses((status = 200, body = InstanceOut), Errors))]
pub async fn update_instance(
    ApiCaller(caller): Admin,
    State(state): State<AppState>,
    Path(name): Path<String>,
    Json(body): Json<UpdateInstance>,
) -> ApiResult<Json<InstanceOut>> {
    let current = state
        .store
        .instance(&name)
        .await?
        .ok_or_else(|| unknown(&name))?;
    let actor = caller.actor();
    if let Some(config) = &body.config {
        check_config(&state, &name, &current.app, config)?;
        state
            .store
            .set_instance_config(&name, config, &actor)
            .await?;
    }
    if let Some(on) = body.recommendations {
        if on != current.recommendations {
            state.store.set_recommendations(&name, on, &actor).await?;
        }
    }
    if let Some(secret) = body.client_secret {
        state
            .store
            .set_credential(
                &name,
                CLIENT_SECRET,
                &Secret::new(secret.into_bytes()),
                &actor,
            )
            .await?;
    }
    let view = state.view().await?;
    Ok(Json(instance_out(&state, &view, &name).await?))
}

/// Removes an instance with its scans, states and credentials. Role: admin.
#[utoipa::path(delete, path = "/instances/{name}", tag = "instances",
    params(("name" = String, Path, description = "The instance")),
    responses((status = 204, description = "Removed"), Errors))]
pub async fn delete_instance(
    ApiCaller(caller): Admin,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    if state.scheduler.is_scanning(&name) {
        return Err(ApiError::conflict(format!(
            "instance `{name}` is being scanned; remove it when the scan has ended"
        )));
    }
    state.store.remove_instance(&name, &caller.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

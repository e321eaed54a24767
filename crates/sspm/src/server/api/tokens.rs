//! `/tokens`: API tokens (admin only).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sspm_store::{Role, TokenInfo};

use crate::server::auth::{Admin, ApiCaller};
use crate::server::error::{ApiResult, Errors, Json, Path};
use crate::server::state::AppState;

/// Every token (never their values), revoked ones included. Role: admin.
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenInfo>), Errors))]
pub async fn list_tokens(
    _c: Admin,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    Ok(Json(state.store.tokens().await?))
}

/// A token to create.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// A unique name, e.g. `ci-pipeline`.
    pub name: String,
    /// `viewer`, `operator` or `admin`.
    pub role: Role,
}

/// A token just created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    /// The token: shown this once, stored only as a hash.
    pub token: String,
    /// Its record.
    pub info: TokenInfo,
}

/// Creates a token; its value is in this response only. Role: admin.
#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = CreateToken,
    responses((status = 201, body = CreatedToken), Errors))]
pub async fn create_token(
    ApiCaller(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<CreateToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let new = state
        .store
        .create_token(&body.name, body.role, &caller.actor())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token: new.token,
            info: new.info,
        }),
    ))
}

/// Revokes a token: it, and every session signed in with it, stop working at once.
/// Role: admin.
#[utoipa::path(delete, path = "/tokens/{name}", tag = "tokens",
    params(("name" = String, Path, description = "The token's name")),
    responses((status = 200, body = TokenInfo), Errors))]
pub async fn revoke_token(
    ApiCaller(caller): Admin,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<TokenInfo>> {
    Ok(Json(
        state.store.revoke_token(&name, &caller.actor()).await?,
    ))
}

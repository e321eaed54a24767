//! The REST API, `/api/v1`: every route is declared with `utoipa`, so the OpenAPI 3.1
//! document at `/api/v1/openapi.json` is generated from the routes themselves.
//!
//! Roles: **viewer** reads; **operator** also triggers scans and sets recommendation
//! states; **admin** also manages instances and tokens. Each operation's description
//! names its role.

mod history;
mod instances;
mod recommendations;
mod scans;
mod score;
mod tokens;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Viewer;
use super::error::{ApiResult, Errors};
use super::state::AppState;

/// The API's base path.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sspm API",
        description = "SaaS Security Posture Management: instances, scans, ranked recommendations \
                       with implementation steps, recommendation states, secure score and its \
                       history, initiatives, drift between scans and the audit log.\n\n\
                       Authenticate with `Authorization: Bearer <token>` (`sspm token create`).",
    ),
    modifiers(&BearerAuth),
    security(("token" = [])),
    components(schemas(super::error::ErrorBody)),
    tags(
        (name = "instances", description = "Connected app instances (tenants)"),
        (name = "scans", description = "Scans: list, trigger, progress"),
        (name = "recommendations", description = "Ranked recommendations and their states"),
        (name = "score", description = "Secure score, its history, initiatives"),
        (name = "history", description = "Drift between scans and the audit log"),
        (name = "tokens", description = "API tokens"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sspm_…")
                    .description(Some("An API token from `sspm token create`."))
                    .build(),
            ),
        );
    }
}

/// Every API route, with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(
            instances::list_instances,
            instances::create_instance
        ))
        .routes(routes!(
            instances::get_instance,
            instances::update_instance,
            instances::delete_instance
        ))
        .routes(routes!(scans::list_scans, scans::trigger_scans))
        .routes(routes!(scans::get_scan))
        .routes(routes!(scans::get_scan_progress))
        .routes(routes!(recommendations::list_recommendations))
        .routes(routes!(recommendations::get_recommendation))
        .routes(routes!(
            recommendations::set_state,
            recommendations::clear_state
        ))
        .routes(routes!(recommendations::list_states))
        .routes(routes!(score::get_score))
        .routes(routes!(score::get_score_history))
        .routes(routes!(score::list_initiatives))
        .routes(routes!(score::get_initiative))
        .routes(routes!(history::get_diff))
        .routes(routes!(history::get_audit))
        .routes(routes!(tokens::list_tokens, tokens::create_token))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(openapi_json));
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest(BASE, v1)
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    router().split_for_parts().1
}

/// The OpenAPI 3.1 document of this API. Role: viewer.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "history",
    responses((status = 200, description = "The OpenAPI document", body = Object), Errors)
)]
async fn openapi_json(_caller: Viewer) -> ApiResult<axum::Json<utoipa::openapi::OpenApi>> {
    Ok(axum::Json(openapi()))
}

//! The dashboard: server-rendered HTML pages (no JavaScript), styled by `/static/app.css`.
//!
//! Every page needs a signed-in session ([`PageCaller`]); every form that changes
//! something carries the session's CSRF token and is checked against the caller's role.
//! Errors are HTML pages with the status code and the message.

mod apps;
mod chart;
mod history;
mod initiatives;
mod layout;
mod login;
mod markdown;
mod overview;
mod recommendations;

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use sspm_store::Role;

use super::auth::{client_ip, same_secret, Caller};
use super::error::ApiError;
use super::state::AppState;

/// The stylesheet, served at `/static/app.css`.
const APP_CSS: &str = include_str!("../../../static/app.css");

/// The dashboard's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/", get(overview::page))
        .route("/recommendations", get(recommendations::page))
        .route(
            "/recommendations/{instance}/{check}/state",
            post(recommendations::set_state),
        )
        .route("/initiatives", get(initiatives::page))
        .route("/apps", get(apps::page))
        .route(
            "/apps/{name}/recommendations",
            post(apps::set_recommendations),
        )
        .route("/apps/{name}/scan", post(apps::scan))
        .route("/history", get(history::page))
        .route("/static/app.css", get(stylesheet))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
        .into_response()
}

/// An error as an HTML page with its status code and message.
pub fn error_page(error: ApiError) -> Response {
    let status = error.status;
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let body = html! {
        section.card.error-page id="error" {
            h1 { (title) }
            p.error-message { (error.message) }
            p { a href="/" { "Back to the overview" } }
        }
    };
    (status, layout::bare(&title, body)).into_response()
}

/// A page handler's error: rendered by [`error_page`].
pub struct PageError(pub ApiError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0)
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<sspm_store::StoreError> for PageError {
    fn from(e: sspm_store::StoreError) -> Self {
        Self(e.into())
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        Self(e.into())
    }
}

/// What page handlers return.
pub type PageResult<T = Response> = Result<T, PageError>;

/// A 400 error naming `field`.
fn bad(field: &str, message: impl std::fmt::Display) -> PageError {
    PageError(ApiError::invalid(field, message))
}

/// 403 unless the form's CSRF token is the session's and the caller has `role`.
fn authorize(caller: &Caller, csrf: &str, role: Role) -> Result<(), PageError> {
    let ok = caller
        .csrf
        .as_deref()
        .is_some_and(|expected| same_secret(expected, csrf));
    if !ok {
        return Err(PageError(ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: "the form's security token is missing or stale; reload the page and try again"
                .into(),
        }));
    }
    if !caller.has(role) {
        return Err(PageError(ApiError::forbidden(role, caller.token.role)));
    }
    Ok(())
}

/// A form's rejection as a 400 page.
fn form_error(r: axum::extract::rejection::FormRejection) -> PageError {
    PageError(ApiError::invalid_body(r.body_text()))
}

/// A query's rejection as a 400 page.
fn query_error(r: axum::extract::rejection::QueryRejection) -> PageError {
    PageError(ApiError::from(r))
}

/// The client's address.
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

/// Percent-encodes a query component (everything but unreserved characters).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `path?k=v&…` with the non-empty values of `pairs`.
pub(crate) fn url(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_components() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode("m365.entra-x_y~"), "m365.entra-x_y~");
    }

    #[test]
    fn builds_urls_without_empty_values() {
        assert_eq!(url("/x", &[]), "/x");
        assert_eq!(url("/x", &[("a", ""), ("b", "1 2")]), "/x?b=1%202");
        assert_eq!(
            url("/recommendations", &[("app", "m365"), ("selected", "i/c")]),
            "/recommendations?app=m365&selected=i%2Fc"
        );
    }
}

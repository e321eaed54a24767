//! Sign-in with an API token, and sign-out.

use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use sspm_store::Role;

use super::{authorize, form_error, layout, ClientIp, PageResult};
use crate::server::auth::{cookie, PageCaller, SESSION_COOKIE, SESSION_TTL};
use crate::server::state::AppState;

fn login_page(error: Option<&str>) -> Markup {
    let body = html! {
        section.card.login {
            h1 { "Sign in" }
            p.muted { "Sign in with an API token (create one with " code { "sspm token create" } ")." }
            @if let Some(e) = error {
                p.notice.error id="login-error" role="alert" { (e) }
            }
            form id="login" method="post" action="/login" {
                label for="token" { "API token" }
                input id="token" name="token" type="password" autocomplete="current-password"
                    required placeholder="sspm_…";
                button.primary id="login-submit" type="submit" { "Sign in" }
            }
        }
    };
    layout::bare("Sign in", body)
}

/// `GET /login`: the sign-in form (signed-in callers go to the overview).
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Ok(Some(_)) = state.session(&headers).await {
        return Redirect::to("/").into_response();
    }
    login_page(None).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    token: String,
}

/// The `Set-Cookie` value of a new session.
pub fn session_cookie(id: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        SESSION_TTL.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    form: Result<Form<LoginForm>, FormRejection>,
) -> PageResult {
    if let Some(wait) = state.logins.blocked(ip) {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            login_page(Some(&format!(
                "Too many failed sign-ins from your address; try again in {wait} seconds."
            ))),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(response);
    }
    let Form(form) = form.map_err(form_error)?;
    let token = form.token.trim();
    let info = if token.is_empty() {
        None
    } else {
        state.store.authenticate(token).await?
    };
    let Some(info) = info else {
        state.logins.failed(ip);
        return Ok((
            StatusCode::UNAUTHORIZED,
            login_page(Some("Unknown or revoked token.")),
        )
            .into_response());
    };
    let id = state.sessions.create(&info)?;
    let mut response = Redirect::to("/").into_response();
    let value = HeaderValue::from_str(&session_cookie(&id, state.secure_cookies))
        .map_err(crate::server::ApiError::internal)?;
    response.headers_mut().insert(header::SET_COOKIE, value);
    Ok(response)
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> PageResult {
    let Form(form) = form.map_err(form_error)?;
    authorize(&caller, &form.csrf, Role::Viewer)?;
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        state.sessions.remove(id);
    }
    let mut response = Redirect::to("/login").into_response();
    let clear = format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        if state.secure_cookies { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&clear) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_attributes() {
        assert_eq!(
            session_cookie("abc", false),
            "sspm_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200"
        );
        assert!(session_cookie("abc", true).ends_with("; Secure"));
    }

    #[test]
    fn login_form_has_the_fields() {
        let html = login_page(Some("<bad>")).into_string();
        assert!(html.contains("<form id=\"login\" method=\"post\" action=\"/login\">"));
        assert!(html.contains("name=\"token\" type=\"password\""));
        assert!(html.contains("&lt;bad&gt;"));
    }
}

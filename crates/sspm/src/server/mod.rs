//! `sspm serve`: the web dashboard and the REST API (`/api/v1`), with background scans.
//!
//! - [`api`]: the REST API and its OpenAPI 3.1 document (`/api/v1/openapi.json`);
//! - [`pages`]: the dashboard, server-rendered HTML (no JavaScript needed);
//! - [`auth`]: API tokens, roles, sessions, CSRF and sign-in rate limiting;
//! - [`view`]: the derived view of the store that both read;
//! - [`scheduler`]: scans on demand and on an interval.

pub mod api;
pub mod auth;
pub mod error;
pub mod filter;
pub mod pages;
pub mod scheduler;
pub mod state;
pub mod view;

use std::net::SocketAddr;

use axum::http::{header, HeaderValue, Method, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

pub use error::ApiError;
pub use state::AppState;

/// The Content-Security-Policy of every response: nothing but this origin's own styles
/// and images, no scripts, no framing, forms only to this origin.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole application: dashboard pages, static assets and the API.
pub fn router(state: AppState) -> Router {
    let (api, _) = api::router().split_for_parts();
    Router::new()
        .merge(pages::router())
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .with_state(state)
}

async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let writes = !matches!(request.method(), &Method::GET | &Method::HEAD);
    // What a write changes is seen at once: by the handler's own reads after it writes,
    // and by the next request.
    if writes {
        state.views.invalidate();
    }
    let mut response = next.run(request).await;
    if writes {
        state.views.invalidate();
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Serves `state` on `listener` until `shutdown` resolves, then finishes the requests in
/// flight.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("sspm serve: shutting down (finishing requests in flight) …");
}

//! API errors: `{"error": {"code", "message"}}` with the right status code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sspm_store::StoreError;

/// An error answered by the API.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// What went wrong and what to do, for people.
    pub message: String,
}

/// The body of an error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid_parameter`, `invalid_body`,
    /// `conflict`, `rate_limited` or `internal`.
    pub code: &'static str,
    /// What went wrong, naming the field or id, and what to do.
    pub message: String,
}

impl ApiError {
    /// 400 for a query parameter or path segment: `field` names it.
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: format!("{field}: {message}"),
        }
    }

    /// 400 for a request body.
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_body",
            message: message.into(),
        }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    /// 409.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            code: "conflict",
            message: message.into(),
        }
    }

    /// 401.
    pub fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "send an API token as `Authorization: Bearer sspm_…` (create one with \
                      `sspm token create`); unknown and revoked tokens are refused"
                .into(),
        }
    }

    /// 403.
    pub fn forbidden(needed: sspm_store::Role, have: sspm_store::Role) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: format!("this needs the {needed} role; the token has the {have} role"),
        }
    }

    /// 500: the details go to the log, not to the client.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!("request failed: {error}");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error; the server log has the details".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownInstance(_)
            | StoreError::UnknownScan(_)
            | StoreError::UnknownToken(_) => Self::not_found(e.to_string()),
            StoreError::InstanceExists(_) | StoreError::ScanNotRunning { .. } => {
                Self::conflict(e.to_string())
            }
            StoreError::Invalid { what, reason } => Self::invalid_body(format!("{what}: {reason}")),
            other => Self::internal(other),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<StoreError>() {
            Ok(store) => store.into(),
            Err(e) => Self::internal(format!("{e:#}")),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        Self::invalid_body(r.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: r.body_text(),
        }
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(r: axum::extract::rejection::PathRejection) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_parameter",
            message: r.body_text(),
        }
    }
}

/// `axum::Json` whose rejection is an [`ApiError`] naming the field.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejection is an [`ApiError`] naming the parameter.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` whose rejection is an [`ApiError`].
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// The error responses every operation may give (documentation only).
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum Errors {
    /// A query parameter, path segment or body field is invalid; the message names it.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// No token, or an unknown or revoked one.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token's role is too low for this operation.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such instance, scan, recommendation, initiative or token.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The request conflicts with the current state (name taken, scan running).
    #[response(status = 409)]
    Conflict(ErrorBody),
}

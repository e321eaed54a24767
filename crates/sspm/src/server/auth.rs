//! Who is calling: API tokens (`Authorization: Bearer`) for the API, sessions (a cookie
//! made at sign-in with a token) for the dashboard; roles; CSRF; sign-in rate limiting.
//!
//! Every request re-reads its token from the store, so a revoked token (revoked here or
//! with `sspm token revoke` on the same store) stops working at once, and so do the
//! sessions signed in with it.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use sspm_store::{Role, TokenInfo};

use super::error::ApiError;
use super::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "sspm_session";
/// How long a session lasts after sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins allowed per client address per [`LOGIN_WINDOW`].
pub const LOGIN_ATTEMPTS: usize = 5;
/// The sign-in rate-limit window.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(60);
/// A token's `last_used_at` is written at most this often.
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token it authenticated with (directly, or through its session).
    pub token: TokenInfo,
    /// The session's CSRF token (dashboard callers only).
    pub csrf: Option<String>,
}

impl Caller {
    /// Who, for the audit log: `token:NAME`.
    pub fn actor(&self) -> String {
        format!("token:{}", self.token.name)
    }

    /// Whether the caller has `role` or a higher one.
    pub fn has(&self, role: Role) -> bool {
        self.token.role >= role
    }
}

/// 256 random bits, base64url.
pub fn random_id() -> Result<String, ApiError> {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(ApiError::internal)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Constant-time comparison of two secrets.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

struct Session {
    token_id: i64,
    csrf: String,
    expires: Instant,
}

/// Dashboard sessions, in memory (a restart signs everyone out).
#[derive(Default)]
pub struct Sessions {
    map: std::sync::Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// A new session for `token`: its id (the cookie value).
    pub fn create(&self, token: &TokenInfo) -> Result<String, ApiError> {
        let id = random_id()?;
        let csrf = random_id()?;
        let mut map = self.map.lock().map_err(ApiError::internal)?;
        let now = Instant::now();
        map.retain(|_, s| s.expires > now);
        map.insert(
            id.clone(),
            Session {
                token_id: token.id,
                csrf,
                expires: now + SESSION_TTL,
            },
        );
        Ok(id)
    }

    /// Ends a session.
    pub fn remove(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(id);
        }
    }

    fn get(&self, id: &str) -> Option<(i64, String)> {
        let map = self.map.lock().ok()?;
        map.get(id)
            .filter(|s| s.expires > Instant::now())
            .map(|s| (s.token_id, s.csrf.clone()))
    }
}

/// Failed sign-ins per client address.
#[derive(Default)]
pub struct LoginLimiter {
    failures: std::sync::Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// `Some(seconds to wait)` when `ip` has used up its attempts.
    pub fn blocked(&self, ip: IpAddr) -> Option<u64> {
        let mut map = self.failures.lock().ok()?;
        let now = Instant::now();
        let entry = map.get_mut(&ip)?;
        while entry
            .front()
            .is_some_and(|t| now.duration_since(*t) >= LOGIN_WINDOW)
        {
            entry.pop_front();
        }
        (entry.len() >= LOGIN_ATTEMPTS).then(|| {
            entry
                .front()
                .map(|t| {
                    LOGIN_WINDOW
                        .saturating_sub(now.duration_since(*t))
                        .as_secs()
                        + 1
                })
                .unwrap_or(1)
        })
    }

    /// Records a failed sign-in from `ip`.
    pub fn failed(&self, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.entry(ip).or_default().push_back(Instant::now());
        }
    }
}

/// The client's address (unspecified when the server runs without connection info).
pub fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl AppState {
    async fn touch(&self, token: &TokenInfo) {
        let due = self
            .touched
            .lock()
            .map(|mut t| {
                let now = Instant::now();
                let due = t
                    .get(&token.id)
                    .is_none_or(|last| now.duration_since(*last) >= TOUCH_EVERY);
                if due {
                    t.insert(token.id, now);
                }
                due
            })
            .unwrap_or(false);
        if due {
            if let Err(e) = self.store.touch_token(token.id, chrono::Utc::now()).await {
                tracing::warn!("cannot record the use of token `{}`: {e}", token.name);
            }
        }
    }

    /// The caller of an API request: `Ok(None)` without credentials, 401 with a bad one.
    async fn bearer(&self, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Ok(None);
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorized)?;
        let info = self
            .store
            .authenticate(token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        self.touch(&info).await;
        Ok(Some(Caller {
            token: info,
            csrf: None,
        }))
    }

    /// The caller of a dashboard request, from its session cookie.
    pub async fn session(&self, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        let Some(id) = cookie(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let Some((token_id, csrf)) = self.sessions.get(id) else {
            return Ok(None);
        };
        match self.store.active_token(token_id).await? {
            Some(info) => {
                self.touch(&info).await;
                Ok(Some(Caller {
                    token: info,
                    csrf: Some(csrf),
                }))
            }
            None => {
                self.sessions.remove(id);
                Ok(None)
            }
        }
    }
}

/// An API caller with at least role `R` (0 viewer, 1 operator, 2 admin): 401 without a
/// valid token, 403 with a lower role.
pub struct ApiCaller<const R: u8>(pub Caller);

/// Any valid token.
pub type Viewer = ApiCaller<0>;
/// An operator or admin token.
pub type Operator = ApiCaller<1>;
/// An admin token.
pub type Admin = ApiCaller<2>;

const fn role_of(r: u8) -> Role {
    match r {
        0 => Role::Viewer,
        1 => Role::Operator,
        _ => Role::Admin,
    }
}

impl<const R: u8> FromRequestParts<AppState> for ApiCaller<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = state
            .bearer(&parts.headers)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        let needed = role_of(R);
        if !caller.has(needed) {
            return Err(ApiError::forbidden(needed, caller.token.role));
        }
        Ok(ApiCaller(caller))
    }
}

/// A signed-in dashboard user; anyone else is sent to the sign-in page.
pub struct PageCaller(pub Caller);

/// Why a page request was refused.
pub enum PageRejection {
    /// Not signed in: to the sign-in page.
    SignIn,
    /// Something failed.
    Error(ApiError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn => Redirect::to("/login").into_response(),
            PageRejection::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = PageRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match state.session(&parts.headers).await {
            Ok(Some(caller)) => Ok(PageCaller(caller)),
            Ok(None) => Err(PageRejection::SignIn),
            Err(e) => Err(PageRejection::Error(e)),
        }
    }
}

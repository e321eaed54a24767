//! An HTTP simulator of a Microsoft 365 tenant: the Microsoft identity platform's
//! token endpoint, Microsoft Graph v1.0 and the Exchange Online admin API, serving
//! an [`M365Tenant`] on 127.0.0.1 with injectable faults, for connector tests,
//! demos and benchmarks.
//!
//! | request | served by |
//! |---|---|
//! | `POST /{tenant}/oauth2/v2.0/token` | [`token`]: client credentials, secret or certificate assertion |
//! | `GET /v1.0/…` (every [`crate::Resource`]) | [`graph`]: paging, `$top`, `$select` |
//! | `GET /v1.0/groups/{id}/members`, `/applications/{id}/owners`, `/servicePrincipals/{id}/owners`, `/servicePrincipals/{id}/appRoleAssignedTo` | [`graph`]: the per-object lists of [`crate::sub`], paged the same way |
//! | `POST /adminapi/beta/{tenant}/InvokeCommand` | [`exo`]: the cmdlets of [`crate::exo::EXO_CMDLETS`] |
//!
//! `{tenant}` is the tenant id or one of its domains. Point a connector's
//! `login_url`, `graph_url` and Exchange URL at [`SimServer::base_url`].
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sspm_sim::server::{SimOptions, SimServer};
//! use sspm_sim::{M365Spec, M365Tenant, Posture};
//! let tenant = M365Tenant::generate(&M365Spec::small(Posture::Weak));
//! let server = SimServer::start(tenant, SimOptions::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("serving on {}", server.base_url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

pub mod exo;
mod faults;
pub mod graph;
mod options;
mod response;
mod stats;
pub mod token;

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, RETRY_AFTER};
use hyper::service::service_fn;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};

pub use options::{instance_toml, SimOptions, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
pub use stats::SimStats;

use crate::M365Tenant;
use faults::{Fault, Faults};
use response::{exo_error, graph_error, Resp};
use stats::Counters;
use token::Tokens;

/// Largest request body read (token forms and cmdlet inputs are small).
const MAX_BODY: usize = 1 << 20;

/// What every connection shares.
pub(crate) struct State {
    pub(crate) tenant: M365Tenant,
    pub(crate) options: SimOptions,
    /// `http://127.0.0.1:PORT`, the host of every link the server writes.
    pub(crate) base_url: String,
    pub(crate) stats: Counters,
    pub(crate) tokens: Tokens,
    faults: Faults,
}

impl State {
    /// Whether a `{tenant}` path segment names this tenant (id or a domain).
    pub(crate) fn is_tenant(&self, segment: &str) -> bool {
        segment.eq_ignore_ascii_case(&self.tenant.tenant_id)
            || segment.eq_ignore_ascii_case(&self.tenant.tenant_domain)
            || self
                .tenant
                .domains
                .iter()
                .any(|d| d.is_verified && d.name.eq_ignore_ascii_case(segment))
    }
}

/// A running simulator. Dropping it stops accepting connections; [`SimServer::shutdown`]
/// also waits for the open ones to be closed.
pub struct SimServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SimServer {
    /// Listen on `addr` (a loopback address; port 0 picks a free one) and serve
    /// `tenant` until shut down. Must be called inside a tokio runtime.
    pub async fn start(
        tenant: M365Tenant,
        options: SimOptions,
        addr: SocketAddr,
    ) -> io::Result<SimServer> {
        if !addr.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the simulator listens on loopback addresses only, not {addr}"),
            ));
        }
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            tenant,
            options,
            base_url: format!("http://{addr}"),
            stats: Counters::default(),
            tokens: Tokens::default(),
            faults: Faults::default(),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state), stopped));
        Ok(SimServer {
            addr,
            state,
            stop,
            task,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash): the login, Graph and Exchange host.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The simulated tenant.
    pub fn tenant(&self) -> &M365Tenant {
        &self.state.tenant
    }

    /// The counters so far.
    pub fn stats(&self) -> SimStats {
        self.state.stats.snapshot()
    }

    /// Stop accepting, close open connections and wait until they are closed.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, Arc::clone(&state)));
                }
                // Out of file descriptors and the like: wait rather than spin.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            },
        }
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

/// Serve one connection until the client closes it or a handler asks for it to be
/// dropped (the `reset_every` fault): then the connection is dropped unanswered.
async fn serve_connection(stream: TcpStream, state: Arc<State>) {
    let _ = stream.set_nodelay(true);
    let drop_it = Arc::new(Notify::new());
    let signal = Arc::clone(&drop_it);
    let service = service_fn(move |req| {
        let state = Arc::clone(&state);
        let signal = Arc::clone(&signal);
        async move { Ok::<_, Infallible>(handle(state, signal, req).await) }
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = drop_it.notified() => {}
    }
}

enum Route<'a> {
    Token(&'a str),
    Exo(&'a str),
    Graph,
}

fn route(path: &str) -> Route<'_> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [tenant, "oauth2", "v2.0", "token"] => Route::Token(tenant),
        [a, b, tenant, c]
            if a.eq_ignore_ascii_case("adminapi")
                && b.eq_ignore_ascii_case("beta")
                && c.eq_ignore_ascii_case("InvokeCommand") =>
        {
            Route::Exo(tenant)
        }
        _ => Route::Graph,
    }
}

async fn handle(state: Arc<State>, drop_connection: Arc<Notify>, req: Request<Incoming>) -> Resp {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    state.stats.update(|s| {
        s.requests += 1;
        *s.per_path.entry(path.clone()).or_default() += 1;
    });
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return graph_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "BadRequest",
                "The request body is too large.",
            )
        }
    };
    let route = route(&path);
    let plan = match route {
        Route::Token(_) => faults::Plan {
            fault: None,
            truncate: false,
        },
        _ => state.faults.next(&state.options),
    };
    if !state.options.latency.is_zero() {
        tokio::time::sleep(state.options.latency).await;
    }
    let exo = matches!(route, Route::Exo(_));
    match plan.fault {
        Some(Fault::Reset) => {
            state.stats.update(|s| s.resets += 1);
            drop_connection.notify_one();
            // The connection task drops this future with the connection.
            return std::future::pending().await;
        }
        Some(Fault::Throttle) => {
            state.stats.update(|s| s.throttled += 1);
            let message =
                "Too many requests. Retry after the number of seconds in the Retry-After header.";
            let mut resp = if exo {
                exo_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    message,
                    "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                    message,
                )
            } else {
                graph_error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests", message)
            };
            resp.headers_mut().insert(
                RETRY_AFTER,
                HeaderValue::from(state.options.retry_after_secs),
            );
            return resp;
        }
        Some(Fault::Unavailable) => {
            state.stats.update(|s| s.unavailable += 1);
            let message = "The service is temporarily unavailable. Retry the request later.";
            return if exo {
                exo_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "ServiceUnavailable",
                    message,
                    "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                    message,
                )
            } else {
                graph_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "serviceNotAvailable",
                    message,
                )
            };
        }
        None => {}
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let resp = match route {
        Route::Token(tenant) => token::handle(&state, tenant, &parts.method, &body),
        Route::Exo(tenant) => exo::handle(
            &state,
            tenant,
            &parts.method,
            &query,
            exo::ExoHeaders {
                authorization: header(AUTHORIZATION.as_str()),
                prefer: header("prefer"),
            },
            &body,
        ),
        Route::Graph => graph::handle(
            &state,
            &parts.method,
            &path,
            &query,
            header(AUTHORIZATION.as_str()),
        ),
    };
    if plan.truncate && resp.status() == StatusCode::OK {
        state.stats.update(|s| s.truncated += 1);
        return truncate(resp).await;
    }
    resp
}

/// The same response with the first half of its body (a complete HTTP message whose
/// JSON is cut short).
async fn truncate(resp: Resp) -> Resp {
    let (mut parts, body) = resp.into_parts();
    let full = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let cut = full.slice(..full.len() / 2);
    parts.headers.remove(hyper::header::CONTENT_LENGTH);
    hyper::Response::from_parts(parts, Full::new(cut))
}

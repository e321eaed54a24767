//! What the simulator serves and which faults it injects.

use std::time::Duration;

/// The client id the simulator accepts unless [`SimOptions::client_id`] is changed.
pub const DEFAULT_CLIENT_ID: &str = "5e1b7d2a-0c6f-4a8e-9d3b-51a7c0de0001";
/// The client secret the simulator accepts unless [`SimOptions::client_secret`] is changed.
pub const DEFAULT_CLIENT_SECRET: &str = "sim~client~secret~not~a~real~one";

/// How a [`super::SimServer`] behaves. `SimOptions::default()` is a well-behaved tenant:
/// no latency, no faults, Graph's default page size of 100.
///
/// Fault counters run over *API requests*: every request that is not a token
/// request (Graph and Exchange alike, whatever their path). Request `n` (from 1) is
/// dropped when `reset_every` divides `n`, else throttled when `throttle_every`
/// divides `n`, else answered 503 when the seeded draw for `n` is below `fail_rate`,
/// else (if it succeeds) truncated when `truncate_every` divides `n`.
#[derive(Debug, Clone, PartialEq)]
pub struct SimOptions {
    /// Waited before every response (token requests included).
    pub latency: Duration,
    /// Every K-th API request is answered `429 Too Many Requests` with `Retry-After`.
    pub throttle_every: Option<u32>,
    /// The `Retry-After` of throttled responses, in seconds.
    pub retry_after_secs: u64,
    /// Share (0.0–1.0) of API requests answered `503 Service Unavailable`; which
    /// ones is decided by `seed`, so a run is repeatable.
    pub fail_rate: f64,
    /// Every K-th API request: the connection is closed without a response.
    pub reset_every: Option<u32>,
    /// Every K-th API request that would succeed: `200` whose JSON body is cut in
    /// half (a complete HTTP message, `Content-Length` of the cut body, invalid JSON).
    pub truncate_every: Option<u32>,
    /// Graph paths (e.g. `/v1.0/reports/authenticationMethods/userRegistrationDetails`)
    /// answered `403 Authorization_RequestDenied`, as when a permission is missing.
    pub forbidden: Vec<String>,
    /// Items per page of Graph lists when the request has no `$top`.
    pub page_size: usize,
    /// Seed of the 503 draws and of the issued tokens.
    pub seed: u64,
    /// The only client id (application id) the token endpoint knows.
    pub client_id: String,
    /// The client secret that client id authenticates with.
    pub client_secret: String,
    /// How long issued access tokens are accepted (`expires_in`, whole seconds);
    /// after that API requests with them are `401`, so a client must fetch a new one.
    pub token_lifetime: Duration,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            throttle_every: None,
            retry_after_secs: 1,
            fail_rate: 0.0,
            reset_every: None,
            truncate_every: None,
            forbidden: Vec::new(),
            page_size: 100,
            seed: 1,
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            token_lifetime: Duration::from_secs(super::token::EXPIRES_IN),
        }
    }
}

/// The `sspm.toml` `[[instances]]` table that points sspm at a simulator serving
/// `tenant_id` on `base_url`, with the client secret read from `secret_env`.
pub fn instance_toml(name: &str, tenant_id: &str, base_url: &str, secret_env: &str) -> String {
    format!(
        "[[instances]]\nname = \"{name}\"\napp = \"m365\"\ntenant_id = \"{tenant_id}\"\nclient_id = \"{DEFAULT_CLIENT_ID}\"\nclient_secret_env = \"{secret_env}\"\ngraph_url = \"{base_url}\"\nlogin_url = \"{base_url}\"\nexo_url = \"{base_url}\"\n"
    )
}

//! One HTTP stack for every connector.
//!
//! Request timeouts; retries with exponential backoff and full jitter on 5xx, connection
//! errors, timeouts and incomplete bodies; 429 and 503 wait as long as `Retry-After` says
//! (seconds or an HTTP date); a rate limiter per API; bounded concurrency with two
//! priorities (a request of a long sequential chain — the next page of a tenant-wide
//! list, a token — is let in before the queued per-object calls, so that thousands of
//! small calls never stretch the longest chain); gzip; a `User-Agent` naming sspm; and a
//! tracing span per attempt (method, path, status, attempt, duration) that never holds a
//! secret (no headers, no query string).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::{oneshot, Mutex};
use tracing::Instrument;

use crate::secret::Secret;

/// How an [`Http`] client behaves.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Time limit of one attempt, body included.
    pub timeout: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff delay; doubled per attempt, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one fails the request.
    pub max_retry_after: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per second, per API (`0` for no limit). The default, 300, stays
    /// under Microsoft Graph's smallest per-app, per-tenant quota for directory reads
    /// (3,500 resource units per 10 s for tenants under 50 users; 8,000 above 500); a
    /// 429 beyond it is still honoured.
    pub requests_per_second: f64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(100),
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(300),
            concurrency: 16,
            requests_per_second: 300.0,
        }
    }
}

/// A request: method, absolute URL, API name (for the rate limiter and logs), an
/// optional bearer token, extra headers, an optional body and its priority.
pub struct Request {
    pub method: Method,
    pub url: String,
    pub api: &'static str,
    pub bearer: Option<Arc<Secret>>,
    /// Extra headers (never secrets: they are not marked sensitive).
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
    pub priority: Priority,
}

/// Which waiting request gets the next free slot of the concurrency limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Priority {
    /// Tokens, tenant-wide lists, Exchange: few requests, long sequential chains.
    #[default]
    High,
    /// Per-object calls: many short independent requests; they fill what is left.
    Low,
}

/// A request body.
pub enum Body {
    None,
    Json(Value),
    /// `application/x-www-form-urlencoded` pairs; values may be secrets.
    Form(Vec<(&'static str, Secret)>),
}

impl Request {
    pub fn get(api: &'static str, url: impl Into<String>, bearer: Arc<Secret>) -> Self {
        Self {
            method: Method::GET,
            url: url.into(),
            api,
            bearer: Some(bearer),
            headers: Vec::new(),
            body: Body::None,
            priority: Priority::High,
        }
    }

    /// This request with another priority.
    pub fn with_priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }
}

/// Why a request failed after every attempt.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CallError {
    /// The service answered with an error status.
    #[error("HTTP {status} {code}: {message}")]
    Status {
        status: u16,
        /// The service's error code (Graph `error.code`, OAuth `error`), or the reason phrase.
        code: String,
        message: String,
    },
    /// No usable answer: connection error, timeout, or a body that is not complete JSON.
    #[error("{0}")]
    Transport(String),
}

impl CallError {
    /// The HTTP status, or 0 when there was no usable response.
    pub fn status(&self) -> u16 {
        match self {
            CallError::Status { status, .. } => *status,
            CallError::Transport(_) => 0,
        }
    }
}

/// Counters of one client, for progress displays and benchmarks.
#[derive(Debug, Default)]
pub struct HttpStats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    /// 429/503 answers waited out.
    pub throttled: AtomicU64,
    /// Milliseconds spent waiting for `Retry-After` or backoff.
    pub waited_ms: AtomicU64,
    pub failures: AtomicU64,
    /// Microseconds requests were in flight (summed over requests).
    pub busy_us: AtomicU64,
    /// Microseconds requests waited for a concurrency slot (summed).
    pub queued_us: AtomicU64,
    /// Microseconds requests holding a slot waited for the rate limiter (summed).
    pub limited_us: AtomicU64,
}

/// A plain snapshot of [`HttpStats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub requests: u64,
    pub retries: u64,
    pub throttled: u64,
    pub waited_ms: u64,
    pub failures: u64,
    pub busy_us: u64,
    pub queued_us: u64,
    pub limited_us: u64,
}

impl HttpStats {
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            waited_ms: self.waited_ms.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            busy_us: self.busy_us.load(Ordering::Relaxed),
            queued_us: self.queued_us.load(Ordering::Relaxed),
            limited_us: self.limited_us.load(Ordering::Relaxed),
        }
    }
}

/// The HTTP client of one instance: shared by all of its calls.
pub struct Http {
    client: reqwest::Client,
    options: HttpOptions,
    permits: Permits,
    limiters: std::sync::Mutex<Vec<(&'static str, Arc<RateLimiter>)>>,
    stats: Arc<HttpStats>,
}

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!(
    "sspm/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/sspm/sspm; read-only posture assessment)"
);

impl Http {
    pub fn new(options: HttpOptions) -> Result<Self, CallError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .gzip(true)
            .timeout(options.timeout)
            .connect_timeout(Duration::from_secs(10).min(options.timeout))
            .pool_max_idle_per_host(options.concurrency.max(1))
            .build()
            .map_err(|e| CallError::Transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            client,
            permits: Permits::new(options.concurrency.max(1)),
            options,
            limiters: std::sync::Mutex::new(Vec::new()),
            stats: Arc::new(HttpStats::default()),
        })
    }

    pub fn stats(&self) -> Arc<HttpStats> {
        Arc::clone(&self.stats)
    }

    /// The options this client was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    fn limiter(&self, api: &'static str) -> Arc<RateLimiter> {
        let Ok(mut limiters) = self.limiters.lock() else {
            return Arc::new(RateLimiter::new(0.0));
        };
        if let Some((_, l)) = limiters.iter().find(|(a, _)| *a == api) {
            return Arc::clone(l);
        }
        let limiter = Arc::new(RateLimiter::new(self.options.requests_per_second));
        limiters.push((api, Arc::clone(&limiter)));
        limiter
    }

    /// Sends `request` until it succeeds or retries run out; the body must be JSON.
    pub async fn json(&self, request: &Request) -> Result<Value, CallError> {
        self.parsed(request, &|body| serde_json::from_slice(body))
            .await
    }

    /// Like [`Http::json`], with the body read by `parse` (e.g. into borrowed raw JSON
    /// pieces rather than a tree of values). A body `parse` refuses is retried like a
    /// cut-off one.
    pub async fn parsed<T>(
        &self,
        request: &Request,
        parse: &(dyn Fn(&[u8]) -> Result<T, serde_json::Error> + Sync),
    ) -> Result<T, CallError> {
        let limiter = self.limiter(request.api);
        let path = log_path(&request.url);
        let mut attempt = 1;
        loop {
            let outcome = {
                // The slot first, then the rate limiter: the limiter hands out start
                // times in order of arrival, so a request reserves one only once its
                // priority got it a slot (a page of a long list never queues behind
                // the start times of hundreds of waiting per-object calls).
                let waiting = Instant::now();
                let _permit = self.permits.acquire(request.priority).await;
                let queued = waiting.elapsed();
                limiter.acquire().await;
                let limited = waiting.elapsed() - queued;
                let held = Instant::now();
                self.stats
                    .limited_us
                    .fetch_add(limited.as_micros() as u64, Ordering::Relaxed);
                self.stats
                    .queued_us
                    .fetch_add(queued.as_micros() as u64, Ordering::Relaxed);
                let span = tracing::debug_span!(
                    "http",
                    api = request.api,
                    method = %request.method,
                    path = %path,
                    attempt,
                    status = tracing::field::Empty,
                    ms = tracing::field::Empty,
                );
                let outcome = self.attempt(request, parse).instrument(span).await;
                self.stats
                    .busy_us
                    .fetch_add(held.elapsed().as_micros() as u64, Ordering::Relaxed);
                outcome
            };
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let wait = match outcome {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fatal(error) => {
                    self.stats.failures.fetch_add(1, Ordering::Relaxed);
                    return Err(error);
                }
                Attempt::Throttled(error, retry_after) => {
                    self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                    match retry_after {
                        Some(wait) if wait > self.options.max_retry_after => {
                            self.stats.failures.fetch_add(1, Ordering::Relaxed);
                            return Err(error);
                        }
                        Some(wait) => (error, wait),
                        None => (error, backoff(&self.options, attempt)),
                    }
                }
                Attempt::Retry(error) => (error, backoff(&self.options, attempt)),
            };
            if attempt >= self.options.max_attempts {
                self.stats.failures.fetch_add(1, Ordering::Relaxed);
                return Err(wait.0);
            }
            tracing::debug!(api = request.api, path = %path, attempt, wait_ms = wait.1.as_millis() as u64, error = %wait.0, "retrying");
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            self.stats
                .waited_ms
                .fetch_add(wait.1.as_millis() as u64, Ordering::Relaxed);
            tokio::time::sleep(wait.1).await;
            attempt += 1;
        }
    }

    async fn attempt<T>(
        &self,
        request: &Request,
        parse: &(dyn Fn(&[u8]) -> Result<T, serde_json::Error> + Sync),
    ) -> Attempt<T> {
        let started = Instant::now();
        let mut builder = self.client.request(request.method.clone(), &request.url);
        if let Some(token) = &request.bearer {
            match HeaderValue::from_str(&format!("Bearer {}", token.expose())) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    let mut headers = HeaderMap::new();
                    headers.insert(AUTHORIZATION, value);
                    builder = builder.headers(headers);
                }
                Err(_) => {
                    return Attempt::Fatal(CallError::Transport(
                        "the access token holds characters that cannot be sent in a header".into(),
                    ))
                }
            }
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        builder = match &request.body {
            Body::None => builder,
            Body::Json(v) => builder.json(v),
            Body::Form(pairs) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.expose())))
                    .finish();
                builder
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(encoded)
            }
        };
        let span = tracing::Span::current();
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                span.record("ms", started.elapsed().as_millis() as u64);
                return Attempt::Retry(CallError::Transport(describe(&e)));
            }
        };
        let status = response.status();
        span.record("status", status.as_u16());
        let retry_after = retry_after(response.headers());
        let body = response.bytes().await;
        span.record("ms", started.elapsed().as_millis() as u64);
        let body = match body {
            Ok(b) => b,
            Err(e) => return Attempt::Retry(CallError::Transport(describe(&e))),
        };
        if status.is_success() {
            return match parse(&body) {
                Ok(v) => Attempt::Done(v),
                Err(e) => Attempt::Retry(CallError::Transport(format!(
                    "the response body is not complete JSON ({e}); the connection may have been cut"
                ))),
            };
        }
        let error = status_error(status, &body);
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            Attempt::Throttled(error, retry_after)
        } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            Attempt::Retry(error)
        } else {
            Attempt::Fatal(error)
        }
    }
}

enum Attempt<T> {
    Done(T),
    Retry(CallError),
    Throttled(CallError, Option<Duration>),
    Fatal(CallError),
}

/// The path of a URL for logs: no host, no query string (it may carry filters on
/// user data), no credentials.
fn log_path(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| "<invalid url>".into())
}

fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the response body was cut short"
    } else {
        "the request failed"
    };
    // reqwest's own message names the whole URL (query string included); report the
    // innermost cause instead.
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}

/// The code and message of an error answer (Graph `{"error": {"code", "message"}}`,
/// OAuth `{"error", "error_description"}`, or the reason phrase).
fn status_error(status: StatusCode, body: &[u8]) -> CallError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let (code, message) = match parsed.as_ref().map(|v| &v["error"]) {
        Some(Value::Object(e)) => (
            e.get("code").and_then(Value::as_str).unwrap_or_default(),
            e.get("message").and_then(Value::as_str).unwrap_or_default(),
        ),
        Some(Value::String(code)) => (
            code.as_str(),
            parsed
                .as_ref()
                .and_then(|v| v["error_description"].as_str())
                .unwrap_or_default(),
        ),
        _ => ("", ""),
    };
    let reason = status.canonical_reason().unwrap_or("error");
    CallError::Status {
        status: status.as_u16(),
        code: if code.is_empty() { reason } else { code }.to_string(),
        message: if message.is_empty() {
            String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned()
        } else {
            message
                .lines()
                .next()
                .unwrap_or_default()
                .trim_end()
                .to_string()
        },
    }
}

/// `Retry-After` as a delay: delta-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Exponential backoff with full jitter: a random delay in [d/2, d], d = base × 2^(n-1).
fn backoff(options: &HttpOptions, attempt: u32) -> Duration {
    let exp = options
        .base_delay
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let ceiling = exp.min(options.max_delay);
    let jitter = random_unit();
    ceiling.mul_f64(0.5 + 0.5 * jitter)
}

/// A random number in [0, 1) (jitter only; not for secrets).
fn random_unit() -> f64 {
    let bits = uuid::Uuid::new_v4().as_u128() as u64;
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The concurrency limit: `n` slots; a freed slot goes to the oldest waiting
/// [`Priority::High`] request, else to the oldest [`Priority::Low`] one.
struct Permits {
    state: std::sync::Mutex<PermitState>,
}

struct PermitState {
    available: usize,
    high: VecDeque<oneshot::Sender<()>>,
    low: VecDeque<oneshot::Sender<()>>,
}

/// A held slot; freed when dropped.
struct Permit<'a>(&'a Permits);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// A request waiting for a slot. When it is dropped (cancelled) after a slot was
/// handed to it, the slot is passed on rather than lost.
struct Waiter<'a> {
    permits: &'a Permits,
    rx: Option<oneshot::Receiver<()>>,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if let Some(mut rx) = self.rx.take() {
            rx.close();
            if rx.try_recv().is_ok() {
                self.permits.release();
            }
        }
    }
}

impl Permits {
    fn new(n: usize) -> Self {
        Self {
            state: std::sync::Mutex::new(PermitState {
                available: n,
                high: VecDeque::new(),
                low: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PermitState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn acquire(&self, priority: Priority) -> Permit<'_> {
        let rx = {
            let mut state = self.lock();
            // Slots are handed to waiters directly, so a free slot means nobody waits.
            if state.available > 0 {
                state.available -= 1;
                return Permit(self);
            }
            let (tx, rx) = oneshot::channel();
            match priority {
                Priority::High => state.high.push_back(tx),
                Priority::Low => state.low.push_back(tx),
            }
            rx
        };
        let mut waiter = Waiter {
            permits: self,
            rx: Some(rx),
        };
        if let Some(rx) = waiter.rx.as_mut() {
            // The sender is only dropped after a successful send or with the Permits.
            let _ = rx.await;
        }
        waiter.rx = None;
        Permit(self)
    }

    fn release(&self) {
        let mut state = self.lock();
        loop {
            let next = match state.high.pop_front() {
                Some(tx) => Some(tx),
                None => state.low.pop_front(),
            };
            match next {
                // Handed over; a waiter that is gone gives it back through `Err`.
                Some(tx) => {
                    if tx.send(()).is_ok() {
                        return;
                    }
                }
                None => {
                    state.available += 1;
                    return;
                }
            }
        }
    }
}

/// Spaces request starts evenly: at most `rate` per second (no limit when 0).
pub struct RateLimiter {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl RateLimiter {
    pub fn new(rate: f64) -> Self {
        Self {
            interval: (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate)),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this request's turn.
    pub async fn acquire(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + interval;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let wait = retry_after(&h).unwrap();
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            retry_after(&h),
            Some(Duration::ZERO),
            "a past date means now"
        );
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let o = HttpOptions {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..HttpOptions::default()
        };
        for attempt in 1..10 {
            let d = backoff(&o, attempt);
            let ceiling =
                (Duration::from_millis(100) * (1 << (attempt - 1))).min(Duration::from_secs(1));
            assert!(d >= ceiling / 2 && d <= ceiling, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn error_bodies_give_code_and_message() {
        let graph = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{}}}"#;
        let CallError::Status {
            status,
            code,
            message,
        } = status_error(StatusCode::FORBIDDEN, graph)
        else {
            panic!()
        };
        assert_eq!(
            (status, code.as_str()),
            (403, "Authorization_RequestDenied")
        );
        assert!(message.starts_with("Insufficient privileges"));
        let oauth = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x"}"#;
        let CallError::Status { code, message, .. } = status_error(StatusCode::UNAUTHORIZED, oauth)
        else {
            panic!()
        };
        assert_eq!(code, "invalid_client");
        assert_eq!(message, "AADSTS7000215: Invalid client secret provided.");
        let CallError::Status { code, .. } = status_error(StatusCode::BAD_GATEWAY, b"<html>")
        else {
            panic!()
        };
        assert_eq!(code, "Bad Gateway");
    }

    #[test]
    fn log_paths_drop_host_and_query() {
        assert_eq!(
            log_path("https://graph.microsoft.com/v1.0/users?$select=id&$filter=x"),
            "/v1.0/users"
        );
    }

    #[tokio::test]
    async fn freed_slots_go_to_high_priority_waiters_first() {
        let permits = Arc::new(Permits::new(1));
        let held = permits.acquire(Priority::High).await;
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, priority) in [
            ("low1", Priority::Low),
            ("low2", Priority::Low),
            ("high", Priority::High),
        ] {
            let (permits, order) = (Arc::clone(&permits), Arc::clone(&order));
            tasks.push(tokio::spawn(async move {
                let _p = permits.acquire(priority).await;
                order.lock().unwrap().push(name);
            }));
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // A cancelled waiter passes its slot on.
        let cancelled =
            tokio::time::timeout(Duration::from_millis(5), permits.acquire(Priority::High)).await;
        assert!(cancelled.is_err());
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["high", "low1", "low2"]);
        assert_eq!(permits.lock().available, 1, "no slot was lost");
    }

    #[tokio::test]
    async fn the_rate_limiter_spaces_requests() {
        let limiter = RateLimiter::new(100.0);
        let started = Instant::now();
        for _ in 0..11 {
            limiter.acquire().await;
        }
        assert!(
            started.elapsed() >= Duration::from_millis(95),
            "{:?}",
            started.elapsed()
        );
    }
}

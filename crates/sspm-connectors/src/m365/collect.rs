//! Collecting one Microsoft 365 tenant into an `sspm-snapshot/1`.
//!
//! Every tenant-wide Graph call starts at once, the longest chains of pages first
//! (bounded by the instance's HTTP client). Per-object calls (group members, owners,
//! granted application permissions) start as soon as the page of the list that names
//! their object arrives, while the long lists go on; they queue behind the lists' next
//! pages ([`Priority::Low`]), so the sequential chains are never stretched by them. At
//! most a few per concurrency slot wait at a time, so a tenant with 10^4 applications
//! does not hold 10^4 pending tasks. Exchange Online settings come through the admin
//! API's InvokeCommand endpoint, with the `X-AnchorMailbox` routing header of
//! ExchangeOnlineManagement v3. A call that fails after its retries is recorded under
//! `failures` with the permission or licence it needs; it never stops the collection,
//! and a list whose page failed is never kept half-read.
//!
//! Each call leaves a [`CallTrace`] (pages, items, when it could have started, when it
//! did and when it ended), from which `sspm bench collect` works out where the time goes
//! and the lower bound of the collection's wall time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as SyncMutex, PoisonError};
use std::time::Instant;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use sspm_model::{Failure, Snapshot};
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::auth::{Credential, TokenSource};
use super::cloud::Hosts;
use super::manifest::{
    self, Endpoint, Shape, SubEndpoint, APPLICATION_OWNERS, APP_ROLE_ASSIGNED_TO, ENDPOINTS,
    EXO_CMDLETS, FIRST_PARTY_APIS, GROUP_MEMBERS, SERVICE_PRINCIPAL_OWNERS,
};
use crate::config::{ConfigError, Instance};
use crate::http::{Body, CallError, Http, HttpOptions, Priority, Request};
use crate::secret::Secret;

/// Calls done and to do, for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    pub planned: AtomicU64,
    pub done: AtomicU64,
    pub failed: AtomicU64,
}

/// What one call of a collection did: for benchmarks and "where the time goes".
#[derive(Debug, Clone, Serialize)]
pub struct CallTrace {
    /// The snapshot key (`graph:/v1.0/…`, `exo:<cmdlet>`).
    pub key: String,
    /// For a per-object call: its path template (`/applications/{id}/owners`).
    pub template: Option<&'static str>,
    /// Successful page requests (an object is one page).
    pub pages: u32,
    /// Items kept (0 for objects and failures).
    pub items: usize,
    /// Requests that must have finished, one after the other, before this call could
    /// be sent at all: the access token, and for a per-object call the pages of its
    /// parent list up to the one naming the object; for Exchange, the token and, when
    /// the anchor domain is not configured, the `/domains` call (in parallel with the
    /// token, so `max` of both chains).
    pub after: u32,
    /// Milliseconds since the collection started: when the first request was sent…
    pub started_ms: f64,
    /// …and when the last answer arrived.
    pub finished_ms: f64,
    pub ok: bool,
}

/// A connection to one tenant.
pub struct M365 {
    instance: String,
    tenant_id: String,
    /// The tenant's initial domain when configured (`organization`).
    organization: Option<String>,
    hosts: Hosts,
    /// The cloud's own hosts: token scopes name them even when URLs are overridden.
    scopes: Hosts,
    http: Http,
    tokens: TokenSource,
    progress: Arc<Progress>,
    traces: SyncMutex<Vec<CallTrace>>,
    /// The organization the last collection's Exchange requests were anchored on.
    anchored_on: SyncMutex<Option<String>>,
}

/// Why a collection could not start at all (a failed call is a `failures` entry instead).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("instance `{instance}`: cannot get an access token from {url}: {error}. Check tenant_id, client_id and the secret or certificate (and login_url for national clouds)")]
    Token {
        instance: String,
        url: String,
        error: CallError,
    },
    #[error("instance `{instance}`: {error}")]
    Http { instance: String, error: CallError },
}

/// The mailbox Exchange Online routes app-only admin API calls to: ExchangeOnlineManagement
/// v3 sends `X-AnchorMailbox: UPN:SystemMailbox{bb558c35-…}@<initial domain>` with every
/// `InvokeCommand`.
pub const EXO_ANCHOR_MAILBOX: &str = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

/// The `X-AnchorMailbox` value for an organization (its initial `*.onmicrosoft.com`
/// domain, or the tenant id when no domain is known).
pub fn exo_anchor(organization: &str) -> String {
    format!("UPN:{EXO_ANCHOR_MAILBOX}@{organization}")
}

/// Per-object calls waiting for a slot, per slot of the HTTP client's concurrency.
const SUB_CALLS_PER_SLOT: usize = 4;

type Outcome = (String, Result<Box<RawValue>, Failure>);

/// A collected snapshot whose resources are the JSON text the services sent (a list is
/// its items, in order, in one array): what a collection holds in memory. It is written
/// out as an `sspm-snapshot/1` document without ever becoming a tree of values, which
/// for 10^5 users is several times larger than the text.
#[derive(Debug, Serialize)]
pub struct RawSnapshot {
    pub format: String,
    pub app: String,
    pub instance: String,
    pub tenant: String,
    pub collected_at: String,
    pub resources: BTreeMap<String, Box<RawValue>>,
    pub failures: BTreeMap<String, Failure>,
}

impl RawSnapshot {
    /// The `sspm-snapshot/1` document, streamed to `out`.
    pub fn write_json<W: std::io::Write>(&self, out: W) -> serde_json::Result<()> {
        serde_json::to_writer(out, self)
    }

    /// The `sspm-snapshot/1` document as text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The snapshot with its resources parsed.
    pub fn into_snapshot(self) -> Snapshot {
        let mut snapshot =
            Snapshot::new(&self.app, &self.instance, &self.tenant, &self.collected_at);
        snapshot.format = self.format;
        for (key, raw) in self.resources {
            // The text was parsed once already (it is what the service sent, checked).
            let value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
            snapshot.resources.insert(key, value);
        }
        snapshot.failures = self.failures;
        snapshot
    }
}

/// One page of a Graph or Exchange collection, its items kept as text.
#[derive(Deserialize)]
struct RawPage {
    value: Option<Vec<Box<RawValue>>>,
    #[serde(rename = "@odata.nextLink")]
    next: Option<String>,
}

/// The properties of a list item that decide its per-object calls.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemKeys {
    id: Option<String>,
    is_assignable_to_role: Option<bool>,
    app_id: Option<String>,
    app_owner_organization_id: Option<String>,
}

/// A per-object call to make: which, for which object, and how many sequential
/// requests preceded the page that named it.
struct SubCall {
    sub: SubEndpoint,
    id: String,
    after: u32,
}

/// One collection in progress.
struct Run {
    started: Instant,
    results: mpsc::UnboundedSender<Outcome>,
    sub_calls: mpsc::UnboundedSender<SubCall>,
}

impl M365 {
    /// A connection for a configured instance (reads its credential now).
    pub fn new(instance: &Instance) -> Result<Self, CollectError> {
        let credential = instance.credential()?;
        Self::with_credential(instance, credential)
    }

    /// Like [`M365::new`] with the credential given.
    pub fn with_credential(
        instance: &Instance,
        credential: Credential,
    ) -> Result<Self, CollectError> {
        let options = HttpOptions {
            concurrency: instance.concurrency.unwrap_or(16),
            ..HttpOptions::default()
        };
        Self::with_options(instance, credential, options)
    }

    /// Like [`M365::with_credential`] with the HTTP client's options given.
    pub fn with_options(
        instance: &Instance,
        credential: Credential,
        options: HttpOptions,
    ) -> Result<Self, CollectError> {
        let scopes = instance.cloud.hosts();
        let mut hosts = instance.cloud.hosts();
        for (slot, over) in [
            (&mut hosts.graph, &instance.graph_url),
            (&mut hosts.login, &instance.login_url),
            (&mut hosts.exo, &instance.exo_url),
        ] {
            if let Some(url) = over {
                *slot = url.trim_end_matches('/').to_string();
            }
        }
        let http = Http::new(options).map_err(|error| CollectError::Http {
            instance: instance.name.clone(),
            error,
        })?;
        let tokens = TokenSource::new(
            &hosts.login,
            &instance.tenant_id,
            &instance.client_id,
            credential,
        );
        // A tenant configured by its domain names its organization already.
        let organization = instance.organization.clone().or_else(|| {
            instance
                .tenant_id
                .contains('.')
                .then(|| instance.tenant_id.clone())
        });
        Ok(Self {
            instance: instance.name.clone(),
            tenant_id: instance.tenant_id.clone(),
            organization,
            hosts,
            scopes,
            http,
            tokens,
            progress: Arc::new(Progress::default()),
            traces: SyncMutex::new(Vec::new()),
            anchored_on: SyncMutex::new(None),
        })
    }

    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// What each call of the last collection did (in the order they ended).
    pub fn traces(&self) -> Vec<CallTrace> {
        self.traces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The organization (initial domain, or the tenant id when none was found) that the
    /// last collection's Exchange requests named in `X-AnchorMailbox`.
    pub fn exchange_organization(&self) -> Option<String> {
        self.anchored_on
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn graph_scope(&self) -> String {
        format!("{}/.default", self.scopes.graph)
    }

    fn exo_scope(&self) -> String {
        format!("{}/.default", self.scopes.exo)
    }

    async fn token(&self, scope: &str) -> Result<Arc<Secret>, CollectError> {
        self.tokens
            .token(&self.http, scope)
            .await
            .map_err(|error| CollectError::Token {
                instance: self.instance.clone(),
                url: format!("{}/{}/oauth2/v2.0/token", self.hosts.login, self.tenant_id),
                error,
            })
    }

    pub(crate) async fn graph_token(&self) -> Result<Arc<Secret>, CollectError> {
        self.token(&self.graph_scope()).await
    }

    pub(crate) async fn exo_token(&self) -> Result<Arc<Secret>, CollectError> {
        self.token(&self.exo_scope()).await
    }

    pub(crate) fn url_of(&self, path: &str, query: &str) -> String {
        self.graph_url(path, query)
    }

    pub(crate) fn exo_url(&self) -> String {
        format!(
            "{}/adminapi/beta/{}/InvokeCommand",
            self.hosts.exo, self.tenant_id
        )
    }

    /// The configured organization (initial domain), if any: from `organization` in the
    /// configuration, or a `tenant_id` given as a domain.
    pub(crate) fn configured_organization(&self) -> Option<&str> {
        self.organization.as_deref()
    }

    /// The tenant's initial domain read from `/domains` (then `/organization`), else
    /// the tenant id: the organization Exchange requests are anchored on.
    pub(crate) async fn initial_domain(&self, token: &Arc<Secret>) -> String {
        for (path, find) in [
            ("/domains", initial_domain as DomainOf),
            ("/organization", organization_initial_domain as DomainOf),
        ] {
            if let Ok(value) = self
                .list(&self.graph_url(path, ""), Arc::clone(token))
                .await
            {
                if let Some(domain) = find(&value) {
                    return domain;
                }
            }
        }
        self.tenant_id.clone()
    }

    /// The first page of an Exchange cmdlet: `POST …/InvokeCommand` with the anchor
    /// mailbox of `organization`.
    pub(crate) fn exo_request(
        &self,
        cmdlet: &str,
        token: Arc<Secret>,
        organization: &str,
    ) -> Request {
        Request {
            method: Method::POST,
            url: self.exo_url(),
            api: "exo",
            bearer: Some(token),
            headers: vec![("X-AnchorMailbox", exo_anchor(organization))],
            body: Body::Json(json!({"CmdletInput": {"CmdletName": cmdlet, "Parameters": {}}})),
            priority: Priority::High,
        }
    }

    fn trace(&self, trace: CallTrace) {
        self.traces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(trace);
    }

    /// Collects the whole tenant.
    pub async fn collect(self: &Arc<Self>) -> Result<Snapshot, CollectError> {
        Ok(self.collect_raw().await?.into_snapshot())
    }

    /// Collects the whole tenant, keeping each resource as the text received.
    pub async fn collect_raw(self: &Arc<Self>) -> Result<RawSnapshot, CollectError> {
        self.traces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let started = Instant::now();
        // Exchange gets its own token at once, beside Graph's.
        let (domain_tx, domain_rx) = oneshot::channel();
        let (org_tx, org_rx) = oneshot::channel();
        let (results_tx, mut results) = mpsc::unbounded_channel();
        let (sub_tx, sub_rx) = mpsc::unbounded_channel();
        let run = Arc::new(Run {
            started,
            results: results_tx,
            sub_calls: sub_tx,
        });
        let exo = {
            let (me, run) = (Arc::clone(self), Arc::clone(&run));
            tokio::spawn(async move { me.exchange(run, domain_rx, org_rx).await })
        };
        let graph = match self.graph_token().await {
            Ok(token) => token,
            Err(e) => {
                exo.abort();
                return Err(e);
            }
        };
        let planned = ENDPOINTS.len() + EXO_CMDLETS.len();
        self.progress
            .planned
            .fetch_add(planned as u64, Ordering::Relaxed);

        let mut domain_tx = Some(domain_tx);
        let mut org_tx = Some(org_tx);
        for endpoint in ENDPOINTS {
            let (me, run, token) = (Arc::clone(self), Arc::clone(&run), Arc::clone(&graph));
            let notify = match endpoint.path {
                "/domains" => domain_tx.take().map(|tx| (tx, initial_domain as DomainOf)),
                "/organization" => org_tx
                    .take()
                    .map(|tx| (tx, organization_initial_domain as DomainOf)),
                _ => None,
            };
            tokio::spawn(async move {
                let result = me.endpoint(endpoint, token, &run).await;
                if let Some((tx, find)) = notify {
                    let value = result
                        .as_ref()
                        .ok()
                        .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok());
                    let _ = tx.send(value.as_ref().and_then(find));
                }
                let key = format!("graph:/v1.0{}", endpoint.path);
                let _ = run.results.send((key, result));
            });
        }
        // Per-object calls: a few per slot wait at a time, the rest stay small jobs.
        let dispatcher = {
            let (me, run, token) = (Arc::clone(self), Arc::clone(&run), Arc::clone(&graph));
            tokio::spawn(async move { me.dispatch_sub_calls(sub_rx, token, run).await })
        };
        drop(run);

        let mut snapshot_results: BTreeMap<String, Result<Box<RawValue>, Failure>> =
            BTreeMap::new();
        // Ends when every task (and with them every sender) is done.
        while let Some((key, result)) = results.recv().await {
            self.progress.done.fetch_add(1, Ordering::Relaxed);
            snapshot_results.insert(key, result);
        }
        let _ = dispatcher.await;
        let _ = exo.await;

        let tenant = tenant_name(&snapshot_results).unwrap_or_else(|| self.tenant_id.clone());
        let collected_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut snapshot = RawSnapshot {
            format: sspm_model::SNAPSHOT_FORMAT.to_string(),
            app: "m365".into(),
            instance: self.instance.clone(),
            tenant,
            collected_at,
            resources: BTreeMap::new(),
            failures: BTreeMap::new(),
        };
        for (key, result) in snapshot_results {
            match result {
                Ok(value) => {
                    snapshot.resources.insert(key, value);
                }
                Err(failure) => {
                    snapshot.failures.insert(key, failure);
                }
            }
        }
        Ok(snapshot)
    }

    /// Runs the per-object calls the lists ask for, at most `SUB_CALLS_PER_SLOT` per
    /// concurrency slot pending at a time.
    async fn dispatch_sub_calls(
        self: Arc<Self>,
        mut jobs: mpsc::UnboundedReceiver<SubCall>,
        token: Arc<Secret>,
        run: Arc<Run>,
    ) {
        let slots = Arc::new(Semaphore::new(
            self.http.options().concurrency.max(1) * SUB_CALLS_PER_SLOT,
        ));
        // The run (and its job sender) is dropped by the list tasks as they end; the
        // dispatcher keeps only a results sender so that its own copy never keeps the
        // job channel open.
        let results = run.results.clone();
        let started = run.started;
        drop(run);
        while let Some(job) = jobs.recv().await {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                break;
            };
            self.progress.planned.fetch_add(1, Ordering::Relaxed);
            let (me, token, results) = (Arc::clone(&self), Arc::clone(&token), results.clone());
            tokio::spawn(async move {
                let path = job.sub.path.replace("{id}", &job.id);
                let url = me.graph_url(&path, job.sub.query);
                let key = format!("graph:/v1.0{path}");
                let begun = ms_since(started);
                let (mut pages, mut items) = (0, 0);
                let result = me
                    .pages(
                        Method::GET,
                        &url,
                        Body::None,
                        token,
                        "graph",
                        Priority::Low,
                        &mut |page| {
                            pages += 1;
                            items += page.len();
                        },
                    )
                    .await;
                me.trace(CallTrace {
                    key: key.clone(),
                    template: Some(job.sub.path),
                    pages,
                    items: if result.is_ok() { items } else { 0 },
                    after: job.after,
                    started_ms: begun,
                    finished_ms: ms_since(started),
                    ok: result.is_ok(),
                });
                let result = result.map_err(|e| me.failure(&key, e));
                let _ = results.send((key, result));
                drop(slot);
            });
        }
    }

    fn graph_url(&self, path: &str, query: &str) -> String {
        let mut url = format!("{}/v1.0{path}", self.hosts.graph);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }

    /// One tenant-wide Graph call; the per-object calls its items need are queued as
    /// each page arrives.
    async fn endpoint(
        &self,
        endpoint: &Endpoint,
        token: Arc<Secret>,
        run: &Run,
    ) -> Result<Box<RawValue>, Failure> {
        let key = format!("graph:/v1.0{}", endpoint.path);
        let begun = ms_since(run.started);
        let mut pages = 0u32;
        let mut items = 0usize;
        let mut first_try = true;
        let mut query = endpoint.query.to_string();
        let result = loop {
            let url = self.graph_url(endpoint.path, &query);
            let result = match endpoint.shape {
                Shape::List => {
                    // Per-object calls of a retried list are queued once: the retry
                    // starts after a refusal of its first page, before any item.
                    let mut on_page = |page: &[Box<RawValue>]| {
                        pages += 1;
                        items += page.len();
                        for (sub, id) in self.sub_calls_of(endpoint.path, page) {
                            // The token, then this list's pages so far.
                            let _ = run.sub_calls.send(SubCall {
                                sub,
                                id,
                                after: 1 + pages,
                            });
                        }
                    };
                    self.pages(
                        Method::GET,
                        &url,
                        Body::None,
                        Arc::clone(&token),
                        "graph",
                        Priority::High,
                        &mut on_page,
                    )
                    .await
                }
                Shape::Object => {
                    let result = self.object(&url, Arc::clone(&token)).await;
                    pages += u32::from(result.is_ok());
                    result
                }
            };
            if !first_try {
                break result;
            }
            first_try = false;
            match &result {
                // signInActivity needs Entra ID P1: without it Graph refuses the whole
                // /users call, so ask again without that property rather than lose
                // every user.
                Err(CallError::Status {
                    status: 403, code, ..
                }) if endpoint.path == "/users"
                    && code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant" =>
                {
                    tracing::warn!(instance = %self.instance, "signInActivity needs Entra ID P1; collecting users without it");
                    query = format!("$top=999&$select={}", manifest::USER_SELECT_WITHOUT_SIGN_IN);
                }
                // A list that does not take `$top`: Graph's own page size then.
                Err(CallError::Status {
                    status: 400,
                    code,
                    message,
                }) if pages == 0 && query.contains("$top=") && refuses_top(code, message) => {
                    tracing::warn!(instance = %self.instance, path = endpoint.path, "Graph refused $top; collecting with its default page size");
                    query = without_top(&query);
                }
                _ => break result,
            }
        };
        self.trace(CallTrace {
            key: key.clone(),
            template: None,
            pages,
            items: if result.is_ok() { items } else { 0 },
            after: 1,
            started_ms: begun,
            finished_ms: ms_since(run.started),
            ok: result.is_ok(),
        });
        result.map_err(|e| self.failure(&key, e))
    }

    /// Every item of a Graph collection: follows `@odata.nextLink` verbatim until it is
    /// absent. A page that fails fails the whole list.
    pub async fn list(&self, url: &str, token: Arc<Secret>) -> Result<Value, CallError> {
        let raw = self
            .pages(
                Method::GET,
                url,
                Body::None,
                token,
                "graph",
                Priority::High,
                &mut |_| {},
            )
            .await?;
        serde_json::from_str(raw.get()).map_err(|e| CallError::Transport(e.to_string()))
    }

    /// Follows a collection's pages; `on_page` sees each page's items before their text
    /// is appended to the result: the list's items in one JSON array, as sent.
    #[allow(clippy::too_many_arguments)]
    async fn pages(
        &self,
        method: Method,
        url: &str,
        body: Body,
        token: Arc<Secret>,
        api: &'static str,
        priority: Priority,
        on_page: &mut (dyn FnMut(&[Box<RawValue>]) + Send),
    ) -> Result<Box<RawValue>, CallError> {
        let mut headers = Vec::new();
        let body_json = match body {
            Body::Json(v) => Some(v),
            _ => None,
        };
        self.pages_with(
            method,
            url,
            body_json,
            &mut headers,
            token,
            api,
            priority,
            on_page,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn pages_with(
        &self,
        method: Method,
        url: &str,
        body: Option<Value>,
        headers: &mut Vec<(&'static str, String)>,
        token: Arc<Secret>,
        api: &'static str,
        priority: Priority,
        on_page: &mut (dyn FnMut(&[Box<RawValue>]) + Send),
    ) -> Result<Box<RawValue>, CallError> {
        let mut text = String::from("[");
        let mut next = Some(url.to_string());
        while let Some(url) = next.take() {
            let request = Request {
                method: method.clone(),
                url,
                api,
                bearer: Some(Arc::clone(&token)),
                headers: std::mem::take(headers),
                body: match &body {
                    Some(v) => Body::Json(v.clone()),
                    None => Body::None,
                },
                priority,
            };
            let result = self
                .http
                .parsed(&request, &|body| serde_json::from_slice::<RawPage>(body))
                .await;
            *headers = request.headers;
            let page = result?;
            let Some(items) = page.value else {
                return Err(CallError::Transport(
                    "the answer is not a collection (no `value` array)".into(),
                ));
            };
            on_page(&items);
            for item in &items {
                if text.len() > 1 {
                    text.push(',');
                }
                text.push_str(item.get());
            }
            next = page.next;
        }
        text.push(']');
        RawValue::from_string(text).map_err(|e| CallError::Transport(e.to_string()))
    }

    async fn object(&self, url: &str, token: Arc<Secret>) -> Result<Box<RawValue>, CallError> {
        let mut value = self.http.json(&Request::get("graph", url, token)).await?;
        if let Value::Object(map) = &mut value {
            map.remove("@odata.context");
        }
        serde_json::value::to_raw_value(&value).map_err(|e| CallError::Transport(e.to_string()))
    }

    /// The per-object calls that items of the list at `path` call for.
    fn sub_calls_of(&self, path: &str, items: &[Box<RawValue>]) -> Vec<(SubEndpoint, String)> {
        if !matches!(path, "/groups" | "/applications" | "/servicePrincipals") {
            return Vec::new();
        }
        let mut calls = Vec::new();
        for item in items {
            let Ok(keys) = serde_json::from_str::<ItemKeys>(item.get()) else {
                continue;
            };
            let Some(id) = keys.id else {
                continue;
            };
            match path {
                "/groups" if keys.is_assignable_to_role == Some(true) => {
                    calls.push((GROUP_MEMBERS, id));
                }
                "/applications" => calls.push((APPLICATION_OWNERS, id)),
                "/servicePrincipals" => {
                    let app_id = keys.app_id.as_deref().unwrap_or_default();
                    let own =
                        keys.app_owner_organization_id.as_deref() == Some(self.tenant_id.as_str());
                    if FIRST_PARTY_APIS.iter().any(|(a, _)| *a == app_id) {
                        calls.push((APP_ROLE_ASSIGNED_TO, id.clone()));
                    }
                    if own {
                        calls.push((SERVICE_PRINCIPAL_OWNERS, id));
                    }
                }
                _ => {}
            }
        }
        calls
    }

    /// Every Exchange cmdlet, keyed `exo:<cmdlet>`, each sent with the anchor mailbox
    /// of the organization: the configured one, else the initial domain from
    /// `/domains` (or `/organization` when that fails), else the tenant id.
    async fn exchange(
        self: Arc<Self>,
        run: Arc<Run>,
        domains: oneshot::Receiver<Option<String>>,
        organization: oneshot::Receiver<Option<String>>,
    ) {
        let scope = self.exo_scope();
        let token = match self.tokens.token(&self.http, &scope).await {
            Ok(t) => t,
            Err(e) => {
                for c in EXO_CMDLETS {
                    let key = format!("exo:{c}");
                    let failure = self.failure(&key, e.clone());
                    let _ = run.results.send((key, Err(failure)));
                }
                return;
            }
        };
        // Waiting for /domains costs nothing on the critical path: it is one request
        // after the Graph token, in parallel with the Exchange token.
        let (organization, after) = match self.configured_organization() {
            Some(o) => (o.to_string(), 1),
            None => match domains.await.ok().flatten() {
                Some(d) => (d, 2),
                None => match organization.await.ok().flatten() {
                    Some(d) => (d, 2),
                    None => {
                        tracing::warn!(instance = %self.instance, "the tenant's initial domain is unknown (/domains and /organization failed); Exchange is anchored on the tenant id");
                        (self.tenant_id.clone(), 2)
                    }
                },
            },
        };
        *self
            .anchored_on
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(organization.clone());
        let organization: Arc<str> = organization.into();
        let mut tasks = Vec::new();
        for cmdlet in EXO_CMDLETS {
            let (me, run, token, organization) = (
                Arc::clone(&self),
                Arc::clone(&run),
                Arc::clone(&token),
                Arc::clone(&organization),
            );
            tasks.push(tokio::spawn(async move {
                let key = format!("exo:{cmdlet}");
                let begun = ms_since(run.started);
                let first = me.exo_request(cmdlet, token.clone(), &organization);
                let Request {
                    url,
                    mut headers,
                    body,
                    ..
                } = first;
                let body = match body {
                    Body::Json(v) => Some(v),
                    _ => None,
                };
                let (mut pages, mut items) = (0, 0);
                let result = me
                    .pages_with(
                        Method::POST,
                        &url,
                        body,
                        &mut headers,
                        token,
                        "exo",
                        Priority::High,
                        &mut |page| {
                            pages += 1;
                            items += page.len();
                        },
                    )
                    .await;
                me.trace(CallTrace {
                    key: key.clone(),
                    template: None,
                    pages,
                    items: if result.is_ok() { items } else { 0 },
                    after,
                    started_ms: begun,
                    finished_ms: ms_since(run.started),
                    ok: result.is_ok(),
                });
                let result = result.map_err(|e| me.failure(&key, e));
                let _ = run.results.send((key, result));
            }));
        }
        for task in tasks {
            let _ = task.await;
        }
    }

    /// A failed call as a snapshot failure: what happened and what it needs.
    fn failure(&self, key: &str, error: CallError) -> Failure {
        self.progress.failed.fetch_add(1, Ordering::Relaxed);
        classify(key, &error)
    }
}

type DomainOf = fn(&Value) -> Option<String>;

fn ms_since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Whether a `400` says the list does not take `$top` (not, say, a missing licence).
fn refuses_top(code: &str, message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    code == "Request_UnsupportedQuery"
        || message.contains("$top")
        || message.contains("page size")
        || message.contains("query option")
}

/// A query string without its `$top`.
fn without_top(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.to_ascii_lowercase().starts_with("$top=") && !p.is_empty())
        .collect::<Vec<_>>()
        .join("&")
}

/// The initial `*.onmicrosoft.com` domain from a `/domains` list.
fn initial_domain(domains: &Value) -> Option<String> {
    domains
        .as_array()?
        .iter()
        .find(|d| d["isInitial"] == true)
        .and_then(|d| d["id"].as_str())
        .map(str::to_string)
}

/// The initial domain from `/organization` (`verifiedDomains[isInitial]`).
fn organization_initial_domain(orgs: &Value) -> Option<String> {
    orgs.as_array()?.first()?["verifiedDomains"]
        .as_array()?
        .iter()
        .find(|d| d["isInitial"] == true)
        .and_then(|d| d["name"].as_str())
        .map(str::to_string)
}

/// Classifies a failed call: 401/403 → the permission it needs; 400/404 on a
/// licence-gated call → the licence; 5xx, throttling or no answer after retries →
/// unavailable, with the permission for reference.
pub fn classify(key: &str, error: &CallError) -> Failure {
    let needs = manifest::needs(key);
    let path = key.trim_start_matches("graph:/v1.0");
    let (code, message) = match error {
        CallError::Status { code, message, .. } => (Some(code.clone()), message.clone()),
        CallError::Transport(message) => (None, message.clone()),
    };
    let status = error.status();
    let needs = match status {
        401 | 403 => needs,
        400 | 404 => match manifest::licence(path) {
            Some(licence) => format!("{licence} (the call is not available without it)"),
            None => needs,
        },
        _ => format!(
            "the service to answer (unavailable after retries; try again later); it needs {needs}"
        ),
    };
    Failure {
        status,
        code,
        message,
        needs: Some(needs),
    }
}

/// The tenant's initial or default verified domain, from `/organization`.
fn tenant_name(results: &BTreeMap<String, Result<Box<RawValue>, Failure>>) -> Option<String> {
    let Some(Ok(raw)) = results.get("graph:/v1.0/organization") else {
        return None;
    };
    let Ok(Value::Array(orgs)) = serde_json::from_str::<Value>(raw.get()) else {
        return None;
    };
    let domains = orgs.first()?["verifiedDomains"].as_array()?;
    domains
        .iter()
        .find(|d| d["isInitial"] == true)
        .or_else(|| domains.iter().find(|d| d["isDefault"] == true))
        .and_then(|d| d["name"].as_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_is_anchored_on_the_system_mailbox_of_the_initial_domain() {
        assert_eq!(
            exo_anchor("contoso.onmicrosoft.com"),
            "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com"
        );
        let domains = json!([
            {"id": "contoso.com", "isInitial": false, "isDefault": true},
            {"id": "contoso.onmicrosoft.com", "isInitial": true}
        ]);
        assert_eq!(
            initial_domain(&domains).as_deref(),
            Some("contoso.onmicrosoft.com")
        );
        let orgs = json!([{"verifiedDomains": [
            {"name": "contoso.com", "isInitial": false},
            {"name": "contoso.onmicrosoft.com", "isInitial": true}
        ]}]);
        assert_eq!(
            organization_initial_domain(&orgs).as_deref(),
            Some("contoso.onmicrosoft.com")
        );
        assert_eq!(initial_domain(&json!([])), None);
    }

    #[test]
    fn a_refused_top_is_dropped_from_the_query() {
        assert_eq!(without_top("$top=999&$select=id"), "$select=id");
        assert_eq!(without_top("$top=999"), "");
        assert!(refuses_top("Request_UnsupportedQuery", ""));
        assert!(!refuses_top(
            "AadPremiumLicenseRequired",
            "The tenant needs an AAD Premium 2 license."
        ));
    }

    #[test]
    fn failures_name_permission_licence_or_unavailability() {
        let denied = CallError::Status {
            status: 403,
            code: "Authorization_RequestDenied".into(),
            message: "Insufficient privileges to complete the operation.".into(),
        };
        let f = classify("graph:/v1.0/domains", &denied);
        assert_eq!(f.status, 403);
        assert_eq!(f.needs.as_deref(), Some("Domain.Read.All"));
        let no_p2 = CallError::Status {
            status: 400,
            code: "AadPremiumLicenseRequired".into(),
            message: "…".into(),
        };
        let f = classify(
            "graph:/v1.0/roleManagement/directory/roleEligibilityScheduleInstances",
            &no_p2,
        );
        assert!(f.needs.unwrap().starts_with("Microsoft Entra ID P2"));
        let f = classify(
            "exo:Get-TransportConfig",
            &CallError::Transport("timed out".into()),
        );
        assert_eq!(f.status, 0);
        assert!(f.needs.unwrap().contains("unavailable after retries"));
    }
}

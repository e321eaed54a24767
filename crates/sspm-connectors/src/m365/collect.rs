//! Collecting one Microsoft 365 tenant into an `sspm-snapshot/1`.
//!
//! Tenant-wide Graph calls run concurrently (bounded by the instance's HTTP client);
//! per-object calls (group members, owners, granted application permissions) follow for
//! the items that need them; Exchange Online settings come through the admin API's
//! InvokeCommand endpoint. A call that fails after its retries is recorded under
//! `failures` with the permission or licence it needs; it never stops the collection,
//! and a list whose page failed is never kept half-read.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use reqwest::Method;
use serde_json::{json, Value};
use sspm_model::{Failure, Snapshot};
use tokio::task::JoinSet;

use super::auth::{Credential, TokenSource};
use super::cloud::Hosts;
use super::manifest::{
    self, Endpoint, Shape, SubEndpoint, APPLICATION_OWNERS, APP_ROLE_ASSIGNED_TO, ENDPOINTS,
    EXO_CMDLETS, FIRST_PARTY_APIS, GROUP_MEMBERS, SERVICE_PRINCIPAL_OWNERS,
};
use crate::config::{ConfigError, Instance};
use crate::http::{Body, CallError, Http, HttpOptions, Request};
use crate::secret::Secret;

/// Calls done and to do, for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    pub planned: AtomicU64,
    pub done: AtomicU64,
    pub failed: AtomicU64,
}

/// A connection to one tenant.
pub struct M365 {
    instance: String,
    tenant_id: String,
    hosts: Hosts,
    /// The cloud's own hosts: token scopes name them even when URLs are overridden.
    scopes: Hosts,
    http: Http,
    tokens: TokenSource,
    progress: Arc<Progress>,
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
        Ok(Self {
            instance: instance.name.clone(),
            tenant_id: instance.tenant_id.clone(),
            hosts,
            scopes,
            http,
            tokens,
            progress: Arc::new(Progress::default()),
        })
    }

    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    pub fn http(&self) -> &Http {
        &self.http
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

    /// Collects the whole tenant.
    pub async fn collect(self: &Arc<Self>) -> Result<Snapshot, CollectError> {
        let graph = self.graph_token().await?;
        let planned = ENDPOINTS.len() + EXO_CMDLETS.len();
        self.progress
            .planned
            .fetch_add(planned as u64, Ordering::Relaxed);
        let mut results: BTreeMap<String, Result<Value, Failure>> = BTreeMap::new();

        let mut tasks = JoinSet::new();
        for endpoint in ENDPOINTS {
            let me = Arc::clone(self);
            let token = Arc::clone(&graph);
            tasks.spawn(async move {
                let key = format!("graph:/v1.0{}", endpoint.path);
                (key, me.endpoint(endpoint, token).await)
            });
        }
        let exo = Arc::clone(self);
        let exo_task = tokio::spawn(async move { exo.exchange().await });
        while let Some(joined) = tasks.join_next().await {
            if let Ok((key, result)) = joined {
                self.progress.done.fetch_add(1, Ordering::Relaxed);
                results.insert(key, result);
            }
        }

        let subs = self.sub_calls(&results);
        self.progress
            .planned
            .fetch_add(subs.len() as u64, Ordering::Relaxed);
        let mut tasks = JoinSet::new();
        for (sub, id) in subs {
            let me = Arc::clone(self);
            let token = Arc::clone(&graph);
            tasks.spawn(async move {
                let path = sub.path.replace("{id}", &id);
                let url = me.graph_url(&path, sub.query);
                let key = format!("graph:/v1.0{path}");
                let result = me.list(&url, token).await.map_err(|e| me.failure(&key, e));
                (key, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            if let Ok((key, result)) = joined {
                self.progress.done.fetch_add(1, Ordering::Relaxed);
                results.insert(key, result);
            }
        }
        if let Ok(exo) = exo_task.await {
            results.extend(exo);
        }

        let tenant = tenant_name(&results).unwrap_or_else(|| self.tenant_id.clone());
        let collected_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut snapshot = Snapshot::new("m365", &self.instance, &tenant, &collected_at);
        for (key, result) in results {
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

    fn graph_url(&self, path: &str, query: &str) -> String {
        let mut url = format!("{}/v1.0{path}", self.hosts.graph);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }

    /// One tenant-wide Graph call.
    async fn endpoint(&self, endpoint: &Endpoint, token: Arc<Secret>) -> Result<Value, Failure> {
        let key = format!("graph:/v1.0{}", endpoint.path);
        let url = self.graph_url(endpoint.path, endpoint.query);
        let result = match endpoint.shape {
            Shape::List => self.list(&url, Arc::clone(&token)).await,
            Shape::Object => self.object(&url, Arc::clone(&token)).await,
        };
        // signInActivity needs Entra ID P1: without it Graph refuses the whole /users
        // call, so ask again without that property rather than lose every user.
        let result = match result {
            Err(CallError::Status {
                status: 403, code, ..
            }) if endpoint.path == "/users"
                && code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant" =>
            {
                tracing::warn!(instance = %self.instance, "signInActivity needs Entra ID P1; collecting users without it");
                let query = format!("$top=999&$select={}", manifest::USER_SELECT_WITHOUT_SIGN_IN);
                self.list(&self.graph_url("/users", &query), token).await
            }
            other => other,
        };
        result.map_err(|e| self.failure(&key, e))
    }

    /// Every item of a Graph collection: follows `@odata.nextLink` verbatim until it is
    /// absent. A page that fails fails the whole list.
    pub async fn list(&self, url: &str, token: Arc<Secret>) -> Result<Value, CallError> {
        self.pages(Method::GET, url, Body::None, token).await
    }

    async fn pages(
        &self,
        method: Method,
        url: &str,
        body: Body,
        token: Arc<Secret>,
    ) -> Result<Value, CallError> {
        let mut items = Vec::new();
        let mut next = Some(url.to_string());
        let body_json = match &body {
            Body::Json(v) => Some(v.clone()),
            _ => None,
        };
        while let Some(url) = next.take() {
            let request = Request {
                method: method.clone(),
                url,
                api: "graph",
                bearer: Some(Arc::clone(&token)),
                body: match &body_json {
                    Some(v) => Body::Json(v.clone()),
                    None => Body::None,
                },
            };
            let mut page = self.http.json(&request).await?;
            match page.get_mut("value").map(Value::take) {
                Some(Value::Array(values)) => items.extend(values),
                _ => {
                    return Err(CallError::Transport(
                        "the answer is not a collection (no `value` array)".into(),
                    ))
                }
            }
            next = page["@odata.nextLink"].as_str().map(str::to_string);
        }
        Ok(Value::Array(items))
    }

    async fn object(&self, url: &str, token: Arc<Secret>) -> Result<Value, CallError> {
        let mut value = self.http.json(&Request::get("graph", url, token)).await?;
        if let Value::Object(map) = &mut value {
            map.remove("@odata.context");
        }
        Ok(value)
    }

    /// The per-object calls the tenant-wide lists call for.
    fn sub_calls(
        &self,
        results: &BTreeMap<String, Result<Value, Failure>>,
    ) -> Vec<(SubEndpoint, String)> {
        let items = |path: &str| -> Vec<Value> {
            match results.get(&format!("graph:/v1.0{path}")) {
                Some(Ok(Value::Array(items))) => items.clone(),
                _ => Vec::new(),
            }
        };
        let id = |v: &Value| v["id"].as_str().map(str::to_string);
        let mut calls = Vec::new();
        for group in items("/groups") {
            if group["isAssignableToRole"] == true {
                calls.extend(id(&group).map(|i| (GROUP_MEMBERS, i)));
            }
        }
        for app in items("/applications") {
            calls.extend(id(&app).map(|i| (APPLICATION_OWNERS, i)));
        }
        for sp in items("/servicePrincipals") {
            let app_id = sp["appId"].as_str().unwrap_or_default();
            if FIRST_PARTY_APIS.iter().any(|(a, _)| *a == app_id) {
                calls.extend(id(&sp).map(|i| (APP_ROLE_ASSIGNED_TO, i)));
            }
            if sp["appOwnerOrganizationId"].as_str() == Some(self.tenant_id.as_str()) {
                calls.extend(id(&sp).map(|i| (SERVICE_PRINCIPAL_OWNERS, i)));
            }
        }
        calls
    }

    /// Every Exchange cmdlet, keyed `exo:<cmdlet>`.
    async fn exchange(self: Arc<Self>) -> Vec<(String, Result<Value, Failure>)> {
        let scope = self.exo_scope();
        let token = match self.tokens.token(&self.http, &scope).await {
            Ok(t) => t,
            Err(e) => {
                return EXO_CMDLETS
                    .iter()
                    .map(|c| {
                        let key = format!("exo:{c}");
                        (key.clone(), Err(self.failure(&key, e.clone())))
                    })
                    .collect()
            }
        };
        let mut tasks = JoinSet::new();
        for cmdlet in EXO_CMDLETS {
            let me = Arc::clone(&self);
            let token = Arc::clone(&token);
            tasks.spawn(async move {
                let key = format!("exo:{cmdlet}");
                let url = me.exo_url();
                let body = json!({"CmdletInput": {"CmdletName": cmdlet, "Parameters": {}}});
                let result = me
                    .pages(Method::POST, &url, Body::Json(body), token)
                    .await
                    .map_err(|e| me.failure(&key, e));
                (key, result)
            });
        }
        let mut out = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(pair) = joined {
                self.progress.done.fetch_add(1, Ordering::Relaxed);
                out.push(pair);
            }
        }
        out
    }

    /// A failed call as a snapshot failure: what happened and what it needs.
    fn failure(&self, key: &str, error: CallError) -> Failure {
        self.progress.failed.fetch_add(1, Ordering::Relaxed);
        classify(key, &error)
    }
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
fn tenant_name(results: &BTreeMap<String, Result<Value, Failure>>) -> Option<String> {
    let Some(Ok(Value::Array(orgs))) = results.get("graph:/v1.0/organization") else {
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

//! `sspm doctor`: every call of the collection, tried once, with what each one lacks.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::collect::{classify, CollectError, M365};
use super::manifest::{self, Shape, ENDPOINTS, EXO_CMDLETS};
use crate::http::{CallError, Request};

/// How one call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// 401/403: the permission to grant.
    MissingPermission(String),
    /// 400/404 on a licence-gated call: the licence the tenant lacks.
    MissingLicence(String),
    /// Anything else: what happened.
    Unavailable(String),
}

/// One line of the doctor's report.
#[derive(Debug, Clone)]
pub struct Line {
    pub call: String,
    pub verdict: Verdict,
}

impl M365 {
    /// Tries each tenant-wide Graph call (first page only) and each Exchange cmdlet once.
    pub async fn doctor(self: &Arc<Self>) -> Result<Vec<Line>, CollectError> {
        let graph = self.graph_token().await?;
        let mut tasks = JoinSet::new();
        for endpoint in ENDPOINTS {
            let me = Arc::clone(self);
            let token = Arc::clone(&graph);
            tasks.spawn(async move {
                let key = format!("graph:/v1.0{}", endpoint.path);
                // The first item is enough to know the call works (where the
                // collection pages with `$top`, or sends no query at all).
                let query = match endpoint.shape {
                    Shape::List
                        if endpoint.query.is_empty() || endpoint.query.contains("$top=") =>
                    {
                        let rest: Vec<&str> = endpoint
                            .query
                            .split('&')
                            .filter(|p| !p.is_empty() && !p.starts_with("$top="))
                            .collect();
                        std::iter::once("$top=1")
                            .chain(rest)
                            .collect::<Vec<_>>()
                            .join("&")
                    }
                    _ => endpoint.query.to_string(),
                };
                let url = me.url_of(endpoint.path, &query);
                let result = me.http().json(&Request::get("graph", url, token)).await;
                (
                    format!("GET /v1.0{}", endpoint.path),
                    key,
                    result.map(|_| ()),
                )
            });
        }
        let organization = match self.configured_organization() {
            Some(o) => o.to_string(),
            None => self.initial_domain(&graph).await,
        };
        match self.exo_token().await {
            Ok(token) => {
                for cmdlet in EXO_CMDLETS {
                    let me = Arc::clone(self);
                    let token = Arc::clone(&token);
                    let organization = organization.clone();
                    tasks.spawn(async move {
                        let request = me.exo_request(cmdlet, token, &organization);
                        let result = me.http().json(&request).await.map(|_| ());
                        (
                            format!("Exchange {cmdlet}"),
                            format!("exo:{cmdlet}"),
                            result,
                        )
                    });
                }
            }
            Err(e) => {
                tasks.spawn(async move {
                    (
                        "Exchange token".to_string(),
                        "exo:Get-OrganizationConfig".to_string(),
                        Err(CallError::Transport(e.to_string())),
                    )
                });
            }
        }
        let mut lines = Vec::new();
        while let Some(Ok((call, key, result))) = tasks.join_next().await {
            let verdict = match result {
                Ok(()) => Verdict::Ok,
                Err(error) => {
                    let failure = classify(&key, &error);
                    let needs = failure.needs.unwrap_or_default();
                    match failure.status {
                        401 | 403 => Verdict::MissingPermission(needs),
                        400 | 404
                            if manifest::licence(key.trim_start_matches("graph:/v1.0"))
                                .is_some() =>
                        {
                            Verdict::MissingLicence(needs)
                        }
                        _ => Verdict::Unavailable(error.to_string()),
                    }
                }
            };
            lines.push(Line { call, verdict });
        }
        lines.sort_by(|a, b| a.call.cmp(&b.call));
        Ok(lines)
    }
}

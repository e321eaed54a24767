//! `GET /apps`: the connected instances, their last scans and health, scans running here,
//! the recommendations switch and "Scan now".

use std::collections::BTreeMap;

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use sspm_model::Failure;
use sspm_store::{Role, ScanStatus};

use super::layout::{self, csrf_input, pct, Nav};
use super::{authorize, bad, encode, form_error, query_error, url, PageError, PageResult};
use crate::scanning::ScanProgress;
use crate::server::auth::{Caller, PageCaller};
use crate::server::error::ApiError;
use crate::server::scheduler;
use crate::server::state::AppState;
use crate::server::view::InstanceView;

/// Failed calls listed per instance.
const MAX_FAILURES: usize = 20;

#[derive(Deserialize)]
struct FailuresOnly {
    #[serde(default)]
    failures: BTreeMap<String, Failure>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AppsQuery {
    notice: Option<String>,
    instance: Option<String>,
}

fn phase(p: &ScanProgress) -> String {
    serde_json::to_value(p.phase)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn row(
    caller: &Caller,
    iv: &InstanceView,
    failures: Option<&BTreeMap<String, Failure>>,
    running: Option<Option<ScanProgress>>,
) -> Markup {
    let i = &iv.instance;
    let on = i.recommendations;
    let path = encode(&i.name);
    html! {
        tr data-instance=(i.name) {
            td.name { strong { (i.name) } }
            td { (i.app) }
            td.last-scan {
                (layout::last_scan(iv.last_scan.as_ref()))
                @if let Some(s) = &iv.last_scan {
                    @if s.status.is_complete() {
                        br;
                        span.muted.scan-counts {
                            (s.counts.results) " results · " (s.counts.failures) " failed calls"
                            @if let Some(score) = &s.score { " · " (pct(score.percent)) }
                        }
                    }
                    @if let Some(e) = &s.error {
                        br; span.error.scan-error { (e) }
                    }
                }
            }
            td.health {
                @match failures {
                    Some(f) if !f.is_empty() => {
                        details.failures {
                            summary.warn { (f.len()) " calls failed" }
                            ul {
                                @for (key, failure) in f.iter().take(MAX_FAILURES) {
                                    li.failure {
                                        code { (key) } ": "
                                        @if failure.status > 0 { (failure.status) " " }
                                        @if let Some(c) = &failure.code { (c) " " }
                                        span.muted { (failure.message) }
                                        @if let Some(n) = &failure.needs {
                                            br; span.needs { "Needs: " strong { (n) } }
                                        }
                                    }
                                }
                            }
                            @if f.len() > MAX_FAILURES { p.muted { "… and " (f.len() - MAX_FAILURES) " more" } }
                        }
                    }
                    _ => {
                        @if iv.last_scan.as_ref().is_some_and(|s| s.status.is_complete()) {
                            span.ok { "All calls succeeded" }
                        } @else {
                            span.muted { "–" }
                        }
                    }
                }
                @if let Some(progress) = &running {
                    div.progress.scan-progress {
                        "Scanning"
                        @if let Some(p) = progress {
                            ": " (phase(p)) ", " (p.calls_done) " / " (p.calls_planned) " calls"
                            @if p.calls_failed > 0 { " (" (p.calls_failed) " failed)" }
                            progress max=(p.calls_planned.max(1)) value=(p.calls_done) {}
                        } @else { "…" }
                    }
                }
            }
            td.switch {
                @if caller.has(Role::Admin) {
                    form.recommendations-switch method="post" action=(format!("/apps/{path}/recommendations")) {
                        (csrf_input(caller))
                        input type="hidden" name="enabled" value=(if on { "off" } else { "on" });
                        button type="submit" class=(if on { "toggle on" } else { "toggle off" })
                            title=(if on { "Switch recommendations off" } else { "Switch recommendations on" }) {
                            (if on { "On" } else { "Off" })
                        }
                    }
                } @else {
                    span.recommendations-state { (if on { "On" } else { "Off" }) }
                }
            }
            td.actions {
                @if caller.has(Role::Operator) {
                    form.scan-now method="post" action=(format!("/apps/{path}/scan")) {
                        (csrf_input(caller))
                        button type="submit" disabled[running.is_some()] { "Scan now" }
                    }
                }
                a href=(url("/history", &[("instance", i.name.as_str())])) { "History" }
            }
        }
    }
}

/// `GET /apps`.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    query: Result<Query<AppsQuery>, QueryRejection>,
) -> PageResult {
    let Query(q) = query.map_err(query_error)?;
    let view = state.view().await?;
    let mut rows = Vec::with_capacity(view.instances.len());
    for iv in &view.instances {
        let failures = match &iv.last_scan {
            Some(s) if s.counts.failures > 0 => match state.store.scan_snapshot_json(s.id).await? {
                Some(bytes) => serde_json::from_slice::<FailuresOnly>(&bytes)
                    .map(|f| f.failures)
                    .ok(),
                None => None,
            },
            _ => None,
        };
        let running = if state.scheduler.is_scanning(&iv.instance.name) {
            // The view may predate the scan: read the latest scan for its id.
            let latest = state.store.scans(Some(&iv.instance.name), 1).await?;
            Some(
                latest
                    .first()
                    .filter(|s| s.status == ScanStatus::Running)
                    .and_then(|s| state.scheduler.board.get(s.id)),
            )
        } else if iv
            .last_scan
            .as_ref()
            .is_some_and(|s| s.status == ScanStatus::Running)
        {
            Some(None)
        } else {
            None
        };
        rows.push(row(&caller, iv, failures.as_ref(), running));
    }
    let notice = match (q.notice.as_deref(), q.instance.as_deref()) {
        (Some("busy"), Some(name)) => Some(format!("{name} is already being scanned.")),
        (Some("started"), Some(name)) => Some(format!("Scan of {name} started.")),
        _ => None,
    };
    let body = html! {
        h1 { "Connected apps" }
        @if let Some(n) = notice { p.notice id="apps-notice" { (n) } }
        section.card {
            table id="instances" {
                thead { tr {
                    th { "Instance" } th { "App" } th { "Last scan" } th { "Health" }
                    th { "Recommendations" } th { }
                } }
                tbody {
                    @for r in rows { (r) }
                    @if view.instances.is_empty() {
                        tr.empty { td colspan="6" {
                            "No instance yet: add one with " code { "sspm instance add" } "."
                        } }
                    }
                }
            }
        }
    };
    Ok(layout::page("Connected apps", &caller, Nav::Apps, body).into_response())
}

#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    enabled: String,
}

/// `POST /apps/{name}/recommendations` (admin).
pub async fn set_recommendations(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<SwitchForm>, FormRejection>,
) -> PageResult {
    let Path(name) = path.map_err(|r| PageError(ApiError::from(r)))?;
    let Form(form) = form.map_err(form_error)?;
    authorize(&caller, &form.csrf, Role::Admin)?;
    let on = match form.enabled.as_str() {
        "on" => true,
        "off" => false,
        other => return Err(bad("enabled", format!("`{other}` is neither on nor off"))),
    };
    state
        .store
        .set_recommendations(&name, on, &caller.actor())
        .await?;
    Ok(Redirect::to("/apps").into_response())
}

#[derive(Deserialize)]
pub struct ScanForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /apps/{name}/scan` (operator).
pub async fn scan(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<ScanForm>, FormRejection>,
) -> PageResult {
    let Path(name) = path.map_err(|r| PageError(ApiError::from(r)))?;
    let Form(form) = form.map_err(form_error)?;
    authorize(&caller, &form.csrf, Role::Operator)?;
    match scheduler::trigger(&state, std::slice::from_ref(&name)).await {
        Ok(_) => Ok(Redirect::to(&url(
            "/apps",
            &[("notice", "started"), ("instance", name.as_str())],
        ))
        .into_response()),
        Err(e) if e.status == StatusCode::CONFLICT => Ok(Redirect::to(&url(
            "/apps",
            &[("notice", "busy"), ("instance", name.as_str())],
        ))
        .into_response()),
        Err(e) => Err(PageError(e)),
    }
}

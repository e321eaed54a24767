//! `GET /history`: the drift of one instance between two completed scans — the score
//! change and each recommendation that changed, with what changed in its configuration.

use std::collections::BTreeMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use maud::{html, Markup};
use serde::Deserialize;
use sspm_engine::drift::{Drift, RecommendationChange};
use sspm_model::Status;

use super::layout::{self, num, pct, Nav};
use super::{bad, query_error, url, PageResult};
use crate::history::{diff_scans, scan_pair, ScanPair};
use crate::server::auth::PageCaller;
use crate::server::state::AppState;

/// Completed scans offered in the from / to lists.
const SCAN_CHOICES: u32 = 200;
/// Characters of a JSON value shown.
const VALUE_CHARS: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    instance: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A JSON value as text, cut at [`VALUE_CHARS`].
pub fn value_text(v: &Option<serde_json::Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > VALUE_CHARS {
                format!("{}…", text.chars().take(VALUE_CHARS).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn kind_label(kind: &str) -> String {
    let s = kind.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

fn change(instance: &str, c: &RecommendationChange) -> Markup {
    let status = |s: Option<Status>| -> Markup {
        html! { @match s { Some(s) => { (layout::status(s)) } None => { span.muted { "–" } } } }
    };
    html! {
        div.change data-check=(c.id) {
            h4 {
                a href=(url("/recommendations", &[("selected", format!("{instance}/{}", c.id).as_str())])) { (c.title) }
                " " (layout::severity(c.severity))
            }
            p.muted {
                code { (c.id) } " · "
                (status(c.status_from)) " → " (status(c.status_to))
                " · " (num(c.points_from)) " → " (num(c.points_to)) " pts"
            }
            p.reason { (c.reason) }
            @for key in &c.config {
                div.key-diff {
                    p { code.key { (key.key) } }
                    table.value-changes {
                        thead { tr { th { "Path" } th { "Object" } th { "From" } th { "To" } } }
                        tbody {
                            @for v in &key.changes {
                                tr {
                                    td { code { (if v.path.is_empty() { "(whole value)" } else { v.path.as_str() }) } }
                                    td { (v.object.as_deref().unwrap_or("")) }
                                    td.from { code { (value_text(&v.from)) } }
                                    td.to { code { (value_text(&v.to)) } }
                                }
                            }
                        }
                    }
                    @if key.omitted > 0 { p.muted { "… and " (key.omitted) " more changes" } }
                }
            }
        }
    }
}

fn drift(instance: &str, d: &Drift) -> Markup {
    let mut by_kind: BTreeMap<_, Vec<&RecommendationChange>> = BTreeMap::new();
    for c in &d.changes {
        by_kind.entry(c.kind).or_default().push(c);
    }
    let delta_class = if d.points_delta > 0.0 {
        "delta up"
    } else if d.points_delta < 0.0 {
        "delta down"
    } else {
        "delta"
    };
    html! {
        section.card id="drift" {
            p.muted { (d.from) " → " (d.to) }
            p.big id="drift-score" {
                span.from { (pct(d.score_from.percent)) }
                " → "
                span.to { (pct(d.score_to.percent)) }
                " "
                span class=(delta_class) id="drift-delta" {
                    (format!("{:+}", (d.points_delta * 100.0).round() / 100.0)) " points"
                    @if let Some(p) = d.percent_delta { (format!(", {p:+.1} percentage points")) }
                }
            }
            @if d.changes.is_empty() {
                p.notice id="no-changes" { "No recommendation changed." }
            }
            @for (kind, changes) in &by_kind {
                section.change-group data-kind=(kind.as_str()) {
                    h3 { (kind_label(kind.as_str())) " (" (changes.len()) ")" }
                    @for c in changes { (change(instance, c)) }
                }
            }
        }
    }
}

/// `GET /history`.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> PageResult {
    let Query(q) = query.map_err(query_error)?;
    let view = state.view().await?;
    let (from, to) = (given(&q.from), given(&q.to));
    // The instance: as asked, else the first with two completed scans, else the first.
    let mut pair = None;
    let instance: Option<String> = match given(&q.instance) {
        Some(name) => {
            if view.instance(name).is_none() {
                return Err(bad(
                    "instance",
                    format!(
                        "unknown instance `{name}`; known: {}",
                        view.instance_names()
                    ),
                ));
            }
            Some(name.to_string())
        }
        None => {
            let mut first_found = None;
            for iv in &view.instances {
                let p = scan_pair(&state.store, &iv.instance.name, None, None).await?;
                if matches!(p, ScanPair::Found(..)) {
                    first_found = Some(iv.instance.name.clone());
                    pair = Some(p);
                    break;
                }
            }
            if from.is_some() || to.is_some() {
                pair = None;
            }
            first_found.or_else(|| view.instances.first().map(|i| i.instance.name.clone()))
        }
    };
    let mut scans = Vec::new();
    if let Some(name) = &instance {
        if pair.is_none() {
            pair =
                Some(scan_pair(&state.store, name, from, to).await.map_err(|e| {
                    bad(if from.is_some() { "from" } else { "to" }, format!("{e:#}"))
                })?);
        }
        scans = state
            .store
            .scans(Some(name), SCAN_CHOICES)
            .await?
            .into_iter()
            .filter(|s| s.status.is_complete())
            .collect();
    }
    let result = match (&instance, pair) {
        (Some(_), Some(ScanPair::Found(a, b))) => {
            Some(diff_scans(&state.store, &state.catalog, a, b).await?)
        }
        _ => None,
    };
    let (from_id, to_id) = match pair {
        Some(ScanPair::Found(a, b)) => (Some(a), Some(b)),
        _ => (None, None),
    };
    let body = html! {
        h1 { "History" }
        form id="history-form" class="filters card" method="get" action="/history" {
            label {
                span { "Instance" }
                select name="instance" {
                    @for iv in &view.instances {
                        option value=(iv.instance.name) selected[instance.as_deref() == Some(iv.instance.name.as_str())] {
                            (iv.instance.name) " (" (iv.instance.app) ")"
                        }
                    }
                }
            }
            label {
                span { "From" }
                select name="from" {
                    option value="" selected[from.is_none()] { "The scan before “to”" }
                    @for s in &scans {
                        option value=(s.id.0) selected[from.is_some() && from_id == Some(s.id)] {
                            "scan " (s.id.0) " · " (layout::time(&s.started_at))
                        }
                    }
                }
            }
            label {
                span { "To" }
                select name="to" {
                    option value="" selected[to.is_none()] { "The latest scan" }
                    @for s in &scans {
                        option value=(s.id.0) selected[to.is_some() && to_id == Some(s.id)] {
                            "scan " (s.id.0) " · " (layout::time(&s.started_at))
                        }
                    }
                }
            }
            div.actions { button.primary id="history-submit" type="submit" { "Compare" } }
        }
        @match (&instance, pair, &result) {
            (None, _, _) => { p.notice id="history-empty" { "No instance yet." } }
            (Some(name), _, Some(d)) => { (drift(name, d)) }
            (Some(name), Some(ScanPair::OneCompletedScan), _) => {
                p.notice id="history-one-scan" {
                    (name) " has one completed scan only: scan it again to see what changes."
                }
            }
            (Some(name), _, _) => {
                p.notice id="history-no-scan" { (name) " has no completed scan yet." }
            }
        }
    };
    Ok(layout::page("History", &caller, Nav::History, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut() {
        assert_eq!(value_text(&None), "(absent)");
        assert_eq!(value_text(&Some(serde_json::json!({"a": 1}))), "{\"a\":1}");
        let long = serde_json::Value::String("x".repeat(500));
        assert_eq!(value_text(&Some(long)).chars().count(), VALUE_CHARS + 1);
        assert_eq!(kind_label("became_failing"), "Became failing");
    }
}

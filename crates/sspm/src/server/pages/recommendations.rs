//! `GET /recommendations`: the ranked, filtered list, one page at a time, with the detail
//! of a selected recommendation; `POST /recommendations/{instance}/{check}/state`.

use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use sspm_model::{Assessment, CheckResult, RecommendationState, Severity, Status};
use sspm_store::{Role, StateChange};

use super::layout::{self, csrf_input, num, Nav};
use super::{authorize, bad, form_error, markdown, query_error, url, PageError, PageResult};
use crate::server::auth::{Caller, PageCaller};
use crate::server::error::ApiError;
use crate::server::filter::RecQuery;
use crate::server::state::AppState;
use crate::server::view::View;

/// Offenders listed in the detail pane.
const MAX_OFFENDERS: usize = 200;

/// The page's query: the filters, the selection and the tab.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PageQuery {
    app: Option<String>,
    instance: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    initiative: Option<String>,
    benchmark: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
    /// `INSTANCE/CHECK`.
    selected: Option<String>,
    /// `general` or `implementation`.
    tab: Option<String>,
}

fn v(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or_default()
}

impl PageQuery {
    fn rec_query(&self) -> RecQuery {
        RecQuery {
            app: self.app.clone(),
            instance: self.instance.clone(),
            severity: self.severity.clone(),
            status: self.status.clone(),
            initiative: self.initiative.clone(),
            benchmark: self.benchmark.clone(),
            q: self.q.clone(),
            sort: self.sort.clone(),
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
    }

    /// The filter parameters (no selection, no tab, no page).
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("app", v(&self.app)),
            ("instance", v(&self.instance)),
            ("severity", v(&self.severity)),
            ("status", v(&self.status)),
            ("initiative", v(&self.initiative)),
            ("benchmark", v(&self.benchmark)),
            ("q", v(&self.q)),
            ("sort", v(&self.sort)),
            ("per_page", v(&self.per_page)),
        ]
    }

    /// This page with the same filters on page `page`.
    fn page_url(&self, page: usize) -> String {
        let page = page.to_string();
        let mut pairs = self.filters();
        pairs.push(("page", if page == "1" { "" } else { page.as_str() }));
        url("/recommendations", &pairs)
    }

    /// This page with the same filters and page, `selected` and `tab`.
    fn select_url(&self, selected: &str, tab: &str) -> String {
        let mut pairs = self.filters();
        pairs.push(("page", v(&self.page)));
        pairs.push(("selected", selected));
        pairs.push(("tab", tab));
        url("/recommendations", &pairs)
    }
}

/// Whether `back` is a safe place to return to: this page, with any query.
pub fn valid_back(back: &str) -> bool {
    (back == "/recommendations" || back.starts_with("/recommendations?"))
        && !back
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

fn select(name: &str, label: &str, current: &str, options: &[(String, String)]) -> Markup {
    html! {
        label {
            span { (label) }
            select name=(name) {
                option value="" selected[current.is_empty()] { "All" }
                @for (value, text) in options {
                    option value=(value) selected[current == value] { (text) }
                }
            }
        }
    }
}

fn filter_form(view: &View, state: &AppState, q: &PageQuery) -> Markup {
    let mut apps: Vec<String> = state
        .catalog
        .apps()
        .into_iter()
        .map(str::to_string)
        .collect();
    for i in &view.instances {
        if !apps.contains(&i.instance.app) {
            apps.push(i.instance.app.clone());
        }
    }
    apps.sort();
    let pairs = |items: Vec<String>| -> Vec<(String, String)> {
        items.into_iter().map(|x| (x.clone(), x)).collect()
    };
    let instances = pairs(
        view.instances
            .iter()
            .map(|i| i.instance.name.clone())
            .collect(),
    );
    let initiatives: Vec<(String, String)> = view
        .doc
        .initiatives
        .iter()
        .map(|i| (i.id.clone(), i.name.clone()))
        .collect();
    let severities = pairs(
        Severity::ALL
            .iter()
            .rev()
            .map(|s| s.as_str().to_string())
            .collect(),
    );
    let statuses = pairs(Status::ALL.iter().map(|s| s.as_str().to_string()).collect());
    let sorts: Vec<(String, String)> = [
        ("severity", "Severity"),
        ("status", "Status"),
        ("title", "Title"),
        ("instance", "Instance"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    html! {
        form id="filters" class="filters card" method="get" action="/recommendations" {
            (select("app", "App", v(&q.app), &pairs(apps)))
            (select("instance", "Instance", v(&q.instance), &instances))
            (select("initiative", "Initiative", v(&q.initiative), &initiatives))
            (select("severity", "Severity", v(&q.severity), &severities))
            (select("status", "Status", v(&q.status), &statuses))
            label {
                span { "Search" }
                input type="search" name="q" value=(v(&q.q)) placeholder="id, title, description";
            }
            label {
                span { "Order" }
                select name="sort" {
                    option value="" selected[v(&q.sort).is_empty() || v(&q.sort) == "rank"] { "Points to gain" }
                    @for (value, text) in &sorts {
                        option value=(value) selected[v(&q.sort) == value] { (text) }
                    }
                }
            }
            @if !v(&q.benchmark).is_empty() {
                input type="hidden" name="benchmark" value=(v(&q.benchmark));
            }
            @if !v(&q.per_page).is_empty() {
                input type="hidden" name="per_page" value=(v(&q.per_page));
            }
            div.actions {
                button.primary id="apply-filters" type="submit" { "Apply" }
                a.button href="/recommendations" { "Reset" }
            }
        }
    }
}

fn pagination(q: &PageQuery, page: usize, pages: usize) -> Markup {
    let window: Vec<usize> = (1..=pages)
        .filter(|p| *p == 1 || *p == pages || p.abs_diff(page) <= 2)
        .collect();
    html! {
        @if pages > 1 {
            nav.pagination id="pagination" aria-label="Pages" {
                @if page > 1 {
                    a.prev rel="prev" href=(q.page_url(page - 1)) { "← Previous" }
                }
                @for (i, p) in window.iter().enumerate() {
                    @if i > 0 && *p > window[i - 1] + 1 { span.gap { "…" } }
                    @if *p == page {
                        span.current aria-current="page" { (p) }
                    } @else {
                        a.page href=(q.page_url(*p)) { (p) }
                    }
                }
                @if page < pages {
                    a.next rel="next" href=(q.page_url(page + 1)) { "Next →" }
                }
            }
        }
    }
}

fn state_text(r: &CheckResult) -> Markup {
    html! {
        @match &r.state {
            Some(s) => {
                (layout::state_badge(s.state))
                " "
                span.muted {
                    "“" (s.reason) "” — " (s.set_by) ", " (layout::time_text(&s.set_at))
                    @if let Some(u) = &s.until { ", until " (layout::time_text(u)) }
                }
            }
            None => { span.muted { "No state set: the measured status applies." } }
        }
    }
}

fn state_form(caller: &Caller, a: &Assessment, r: &CheckResult, back: &str) -> Markup {
    let current = r.state.as_ref().map(|s| s.state);
    html! {
        form id="state-form" class="state-form" method="post"
            action=(format!("/recommendations/{}/{}/state", super::encode(&a.instance), super::encode(&r.id))) {
            (csrf_input(caller))
            input type="hidden" name="back" value=(back);
            label {
                span { "State" }
                select name="state" {
                    @for s in RecommendationState::ALL {
                        option value=(s.as_str())
                            selected[current == Some(s) || (current.is_none() && s == RecommendationState::Default)] {
                            (layout::state_label(s))
                        }
                    }
                }
            }
            label {
                span { "Reason" }
                input name="reason" type="text" value=(r.state.as_ref().map(|s| s.reason.as_str()).unwrap_or_default())
                    placeholder="Why (required unless clearing)";
            }
            label {
                span { "Until (optional)" }
                input name="until" type="date";
            }
            div.actions {
                button.primary id="state-submit" type="submit" { "Save state" }
            }
        }
    }
}

fn detail(
    state: &AppState,
    view: &View,
    caller: &Caller,
    q: &PageQuery,
    selected: &str,
    back: &str,
) -> Markup {
    let tab = if v(&q.tab) == "implementation" {
        "implementation"
    } else {
        "general"
    };
    let found = selected.split_once('/').and_then(|(instance, check)| {
        let a = view.assessment(instance)?;
        let r = a.results.iter().find(|r| r.id == check)?;
        Some((a, r))
    });
    let Some((a, r)) = found else {
        return html! {
            section id="detail" class="card detail" {
                p.notice.not-found id="detail-not-found" {
                    "Recommendation " code { (selected) } " not found: the instance is unknown, not scored, "
                    "or has no such recommendation."
                }
            }
        };
    };
    let meta = state.catalog.get(&r.id).map(|c| &c.meta);
    html! {
        section id="detail" class="card detail" data-instance=(a.instance) data-check=(r.id) {
            h2 { (r.title) }
            p.muted { code { (r.id) } " on " strong { (a.instance) } " (" (a.app) ")" }
            p.badges {
                (layout::severity(r.severity)) " " (layout::status(r.status))
                " " span.badge.points { (num(r.points)) " / " (num(r.max_points)) " pts" }
                @if r.points_to_gain() > 0.0 { " " span.badge.gain { "+" (num(r.points_to_gain())) } }
            }
            nav.tabs {
                a id="tab-general" class=[(tab == "general").then_some("active")]
                    href=(q.select_url(selected, "general")) { "General" }
                a id="tab-implementation" class=[(tab == "implementation").then_some("active")]
                    href=(q.select_url(selected, "implementation")) { "Implementation" }
            }
            @if tab == "general" {
                div.tab-body id="general" {
                    @if let Some(m) = meta {
                        h3 { "Description" }
                        p.description { (markdown::render(&m.description)) }
                        h3 { "Why it matters" }
                        p.rationale { (markdown::render(&m.rationale)) }
                    }
                    h3 { "Result" }
                    p.reason { (r.reason) }
                    @if let (Some(c), Some(t)) = (r.compliant, r.total) {
                        p.muted { (c) " of " (t) " compliant" }
                    }
                    @if !r.offenders.is_empty() {
                        h3 { "Offenders (" span id="offender-count" { (r.offenders.len()) } ")" }
                        table id="offenders" {
                            thead { tr { th { "Type" } th { "Name" } th { "Id" } } }
                            tbody {
                                @for o in r.offenders.iter().take(MAX_OFFENDERS) {
                                    tr { td { (o.kind) } td { (o.name) } td { code { (o.id) } } }
                                }
                            }
                        }
                        @if r.offenders.len() > MAX_OFFENDERS {
                            p.muted { "The first " (MAX_OFFENDERS) " of " (r.offenders.len()) " are listed." }
                        }
                    }
                    @if !r.benchmarks.is_empty() {
                        h3 { "Benchmarks" }
                        ul.benchmarks {
                            @for b in &r.benchmarks {
                                li { span.badge.framework { (b.framework) } " " code { (b.id) } }
                            }
                        }
                    }
                    p.muted {
                        "User impact: " (r.user_impact.as_str())
                        " · Implementation cost: " (r.implementation_cost.as_str())
                    }
                    @if let Some(m) = meta {
                        @if !m.references.is_empty() {
                            h3 { "References" }
                            ul.references {
                                @for reference in &m.references {
                                    li {
                                        @if reference.url.starts_with("https://") || reference.url.starts_with("http://") {
                                            a href=(reference.url) rel="noopener noreferrer" { (reference.title) }
                                        } @else {
                                            (reference.title)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } @else {
                div.tab-body {
                    @match meta {
                        Some(m) => {
                            ol id="implementation" {
                                @for step in &m.implementation {
                                    li { (markdown::render(step)) }
                                }
                            }
                        }
                        None => { p.muted { "No implementation steps for this check." } }
                    }
                }
            }
            div.state-box {
                h3 { "State" }
                p id="current-state" { (state_text(r)) }
                @if caller.has(Role::Operator) {
                    (state_form(caller, a, r, back))
                }
            }
        }
    }
}

/// `GET /recommendations`.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    uri: Uri,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> PageResult {
    let Query(q) = query.map_err(query_error)?;
    let view = state.view().await?;
    let filter = q.rec_query().parse(&view, &state.catalog)?;
    let (total, rows) = filter.apply(&view, &state.catalog);
    let pages = total.div_ceil(filter.per_page).max(1);
    let start = (filter.page - 1).saturating_mul(filter.per_page);
    let selected = v(&q.selected).trim().to_string();
    let back = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .filter(|b| valid_back(b))
        .unwrap_or_else(|| "/recommendations".into());
    let tab = if v(&q.tab) == "implementation" {
        "implementation"
    } else {
        "general"
    };
    let body = html! {
        h1 { "Recommendations" }
        (filter_form(&view, &state, &q))
        div.layout-split.with-detail[!selected.is_empty()] {
            section.card.list {
                p.summary {
                    strong id="rec-total" { (total) } " recommendations"
                    @if total > 0 {
                        " · showing " (start.min(total) + 1) "–" (start + rows.len())
                        " · page " (filter.page) " of " (pages)
                    }
                }
                table id="recommendations" {
                    thead { tr {
                        th.num { "#" } th { "Recommendation" } th { "App" } th { "Instance" }
                        th { "Severity" } th { "Status" } th.num { "Points" } th { "User impact" } th { "State" }
                    } }
                    tbody {
                        @for (i, row) in rows.iter().enumerate() {
                            @let (a, r) = view.result(*row);
                            @let key = format!("{}/{}", a.instance, r.id);
                            tr data-instance=(a.instance) data-check=(r.id) class=[(key == selected).then_some("selected")] {
                                td.num.rank { (start + i + 1) }
                                td.title {
                                    a.rec-link href=(q.select_url(&key, tab)) { (r.title) }
                                    br;
                                    code.muted { (r.id) }
                                }
                                td { (a.app) }
                                td { (a.instance) }
                                td { (layout::severity(r.severity)) }
                                td { (layout::status(r.status)) }
                                td.num.points {
                                    (num(r.points)) "/" (num(r.max_points))
                                    @if r.points_to_gain() > 0.0 {
                                        br; span.gain { "+" (num(r.points_to_gain())) }
                                    }
                                }
                                td { (r.user_impact.as_str()) }
                                td.state {
                                    @if let Some(s) = &r.state { (layout::state_badge(s.state)) }
                                }
                            }
                        }
                        @if rows.is_empty() {
                            tr.empty { td colspan="9" { "No recommendation matches these filters." } }
                        }
                    }
                }
                (pagination(&q, filter.page, pages))
            }
            @if !selected.is_empty() {
                (detail(&state, &view, &caller, &q, &selected, &back))
            }
        }
    };
    Ok(layout::page("Recommendations", &caller, Nav::Recommendations, body).into_response())
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    back: String,
}

/// `POST /recommendations/{instance}/{check}/state`.
pub async fn set_state(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    path: Result<Path<(String, String)>, PathRejection>,
    form: Result<Form<StateForm>, FormRejection>,
) -> PageResult {
    let Path((instance, check)) = path.map_err(|r| PageError(ApiError::from(r)))?;
    let Form(form) = form.map_err(form_error)?;
    authorize(&caller, &form.csrf, Role::Operator)?;
    let new_state: RecommendationState = form.state.trim().parse().map_err(|e| bad("state", e))?;
    let until = match form.until.trim() {
        "" => None,
        text => Some(
            crate::history::parse_until(text, Utc::now())
                .map_err(|e| bad("until", format!("{e:#}")))?,
        ),
    };
    let meta = state.catalog.get(&check).map(|c| &c.meta).ok_or_else(|| {
        ApiError::not_found(format!("no recommendation `{check}` in the catalog"))
    })?;
    let stored = state
        .store
        .instance(&instance)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no instance `{instance}`")))?;
    if meta.app() != stored.app {
        return Err(bad(
            "check",
            format!(
                "`{check}` is a recommendation of app {}, and instance `{instance}` is a {} instance",
                meta.app(),
                stored.app
            ),
        ));
    }
    let change = StateChange {
        state: new_state,
        reason: form.reason.trim().to_string(),
        until,
        set_by: caller.actor(),
    };
    state.store.set_state(&instance, &check, &change).await?;
    let back = if valid_back(&form.back) {
        form.back
    } else {
        "/recommendations".to_string()
    };
    Ok(Redirect::to(&back).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_must_be_this_page() {
        assert!(valid_back("/recommendations"));
        assert!(valid_back(
            "/recommendations?app=m365&selected=a%2Fb&tab=general"
        ));
        assert!(!valid_back("https://evil.example/recommendations"));
        assert!(!valid_back("//evil.example/recommendations"));
        assert!(!valid_back("/recommendationsevil"));
        assert!(!valid_back("/recommendations/../x"));
        assert!(!valid_back("/\\evil.example"));
        assert!(!valid_back("/recommendations?\r\nSet-Cookie: x"));
        assert!(!valid_back("/recommendations?a=\\b"));
        assert!(!valid_back(""));
        assert!(!valid_back("/"));
    }

    #[test]
    fn urls_keep_filters() {
        let q = PageQuery {
            app: Some("m365".into()),
            q: Some("mfa users".into()),
            page: Some("2".into()),
            ..Default::default()
        };
        assert_eq!(
            q.select_url("prod/m365.x", "implementation"),
            "/recommendations?app=m365&q=mfa%20users&page=2&selected=prod%2Fm365.x&tab=implementation"
        );
        assert_eq!(q.page_url(1), "/recommendations?app=m365&q=mfa%20users");
        assert_eq!(
            q.page_url(3),
            "/recommendations?app=m365&q=mfa%20users&page=3"
        );
    }
}

//! The recommendation filters shared by `GET /api/v1/recommendations` and the
//! Recommendations page: parsed and checked against the view, then applied to its rows.

use std::str::FromStr;

use serde::Deserialize;
use sspm_engine::Catalog;
use sspm_model::{CheckResult, Severity, Status};

use super::error::ApiError;
use super::view::{Row, View};

/// The most results one page may hold.
pub const MAX_PER_PAGE: usize = 500;
/// Results per page by default.
pub const DEFAULT_PER_PAGE: usize = 50;

/// Query parameters of a recommendation list, as received. Empty values mean "any".
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecQuery {
    /// Only this app, e.g. `m365`.
    pub app: Option<String>,
    /// Only these instances (comma-separated names).
    pub instance: Option<String>,
    /// Only these severities (comma-separated: `low`, `medium`, `high`, `critical`).
    pub severity: Option<String>,
    /// Only these statuses (comma-separated: `pass`, `fail`, `manual`, `not_applicable`, `error`).
    pub status: Option<String>,
    /// Only recommendations of this initiative (its id, e.g. `ransomware-protection`).
    pub initiative: Option<String>,
    /// Only recommendations mapped to this benchmark: a framework (`cisa-scuba`) or a
    /// framework and control (`cisa-scuba:MS.EXO.9.1v2`).
    pub benchmark: Option<String>,
    /// Text search in the id, title and description (case-insensitive).
    pub q: Option<String>,
    /// Order: `rank` (most points to gain first; the default), `severity`, `status`,
    /// `title` or `instance`.
    pub sort: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Results per page (1–500, default 50).
    pub per_page: Option<String>,
}

/// The names of [`RecQuery`]'s parameters.
pub const REC_QUERY_KEYS: [&str; 10] = [
    "app",
    "instance",
    "severity",
    "status",
    "initiative",
    "benchmark",
    "q",
    "sort",
    "page",
    "per_page",
];

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most points to gain first (the view's order).
    #[default]
    Rank,
    /// Most severe first.
    Severity,
    /// Failing first.
    Status,
    /// By title.
    Title,
    /// By instance, then rank.
    Instance,
}

/// A checked filter.
#[derive(Debug, Clone, Default)]
pub struct RecFilter {
    /// Only this app.
    pub app: Option<String>,
    /// Only these instances.
    pub instances: Vec<String>,
    /// Only these severities.
    pub severities: Vec<Severity>,
    /// Only these statuses.
    pub statuses: Vec<Status>,
    /// Only this initiative.
    pub initiative: Option<String>,
    /// Only this benchmark: framework and, optionally, control.
    pub benchmark: Option<(String, Option<String>)>,
    /// Lowercase search text.
    pub q: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Page, from 1.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn list<T: FromStr>(field: &str, v: &Option<String>) -> Result<Vec<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    given(v)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| x.parse::<T>().map_err(|e| ApiError::invalid(field, e)))
                .collect()
        })
        .unwrap_or(Ok(Vec::new()))
}

fn number(field: &str, v: &Option<String>, default: usize, max: usize) -> Result<usize, ApiError> {
    match given(v) {
        None => Ok(default),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid(
                field,
                format!("`{s}` is not a whole number from 1 to {max}"),
            )),
        },
    }
}

impl RecQuery {
    /// Checks every parameter: 400 naming the parameter for a bad value or an unknown
    /// app, instance or initiative.
    pub fn parse(&self, view: &View, catalog: &Catalog) -> Result<RecFilter, ApiError> {
        let app = given(&self.app).map(str::to_string);
        if let Some(app) = &app {
            let apps = catalog.apps();
            if !apps.contains(app.as_str())
                && !view.instances.iter().any(|i| &i.instance.app == app)
            {
                return Err(ApiError::invalid(
                    "app",
                    format!(
                        "unknown app `{app}`; known: {}",
                        apps.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        let instances: Vec<String> = list("instance", &self.instance)?;
        for name in &instances {
            if view.instance(name).is_none() {
                return Err(ApiError::invalid(
                    "instance",
                    format!(
                        "unknown instance `{name}`; known: {}",
                        view.instance_names()
                    ),
                ));
            }
        }
        let initiative = given(&self.initiative).map(str::to_string);
        if let Some(id) = &initiative {
            if !view.doc.initiatives.iter().any(|i| &i.id == id) {
                return Err(ApiError::invalid(
                    "initiative",
                    format!(
                        "unknown initiative `{id}`; known: {}",
                        view.doc
                            .initiatives
                            .iter()
                            .map(|i| i.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        let benchmark = given(&self.benchmark).map(|b| match b.split_once(':') {
            Some((f, id)) => (f.to_string(), Some(id.to_string())),
            None => (b.to_string(), None),
        });
        let sort = match given(&self.sort) {
            None | Some("rank") => Sort::Rank,
            Some("severity") => Sort::Severity,
            Some("status") => Sort::Status,
            Some("title") => Sort::Title,
            Some("instance") => Sort::Instance,
            Some(other) => {
                return Err(ApiError::invalid(
                    "sort",
                    format!(
                    "unknown order `{other}`; expected rank, severity, status, title or instance"
                ),
                ))
            }
        };
        Ok(RecFilter {
            app,
            instances,
            severities: list("severity", &self.severity)?,
            statuses: list("status", &self.status)?,
            initiative,
            benchmark,
            q: given(&self.q).map(str::to_lowercase),
            sort,
            page: number("page", &self.page, 1, usize::MAX)?,
            per_page: number("per_page", &self.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }
}

/// Rejects query parameters other than `allowed` (400 naming the first unknown one).
pub fn reject_unknown(raw: Option<&str>, allowed: &[&str]) -> Result<(), ApiError> {
    let Some(raw) = raw else { return Ok(()) };
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map(|(k, _)| k).unwrap_or(pair);
        if !allowed.contains(&key) {
            return Err(ApiError::invalid(
                key,
                format!("unknown parameter; expected one of {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

fn severity_of(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Error => 1,
        Status::Manual => 2,
        Status::Pass => 3,
        Status::NotApplicable => 4,
    }
}

impl RecFilter {
    fn matches(&self, view: &View, catalog: &Catalog, row: Row) -> bool {
        let (a, r) = view.result(row);
        if self.app.as_ref().is_some_and(|app| app != &a.app)
            || (!self.instances.is_empty() && !self.instances.contains(&a.instance))
            || (!self.severities.is_empty() && !self.severities.contains(&r.severity))
            || (!self.statuses.is_empty() && !self.statuses.contains(&r.status))
            || self
                .initiative
                .as_ref()
                .is_some_and(|i| !r.initiatives.contains(i))
        {
            return false;
        }
        if let Some((framework, control)) = &self.benchmark {
            let hit = r.benchmarks.iter().any(|b| {
                b.framework.eq_ignore_ascii_case(framework)
                    && control
                        .as_ref()
                        .is_none_or(|c| b.id.eq_ignore_ascii_case(c))
            });
            if !hit {
                return false;
            }
        }
        if let Some(q) = &self.q {
            let description = catalog.get(&r.id).map(|c| c.meta.description.as_str());
            let hit = contains(&r.id, q)
                || contains(&r.title, q)
                || description.is_some_and(|d| contains(d, q));
            if !hit {
                return false;
            }
        }
        true
    }

    /// The rows that match, in order, and how many match in all (before paging).
    pub fn apply(&self, view: &View, catalog: &Catalog) -> (usize, Vec<Row>) {
        let mut rows: Vec<Row> = view
            .rows
            .iter()
            .copied()
            .filter(|row| self.matches(view, catalog, *row))
            .collect();
        let key = |row: &Row| -> (&CheckResult, &str) {
            let (a, r) = view.result(*row);
            (r, a.instance.as_str())
        };
        match self.sort {
            Sort::Rank => {}
            Sort::Severity => rows.sort_by_key(|x| std::cmp::Reverse(key(x).0.severity)),
            Sort::Status => rows.sort_by_key(|x| severity_of(key(x).0.status)),
            Sort::Title => rows.sort_by(|x, y| key(x).0.title.cmp(&key(y).0.title)),
            Sort::Instance => rows.sort_by(|x, y| {
                key(x)
                    .1
                    .cmp(key(y).1)
                    .then(key(x).0.rank.cmp(&key(y).0.rank))
            }),
        }
        let total = rows.len();
        let start = (self.page - 1).saturating_mul(self.per_page).min(total);
        let end = start.saturating_add(self.per_page).min(total);
        (total, rows[start..end].to_vec())
    }
}

fn contains(haystack: &str, lowercase_needle: &str) -> bool {
    haystack.to_lowercase().contains(lowercase_needle)
}

//! The page frame (header, navigation, sign-out) and small formatting helpers.

use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};
use sspm_model::{RecommendationState, Score, Severity, Status};
use sspm_store::{ScanRecord, ScanStatus};

use crate::server::auth::Caller;

/// The sections of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Recommendations,
    Initiatives,
    Apps,
    History,
}

const NAV: [(Nav, &str, &str); 5] = [
    (Nav::Overview, "/", "Overview"),
    (Nav::Recommendations, "/recommendations", "Recommendations"),
    (Nav::Initiatives, "/initiatives", "Initiatives"),
    (Nav::Apps, "/apps", "Connected apps"),
    (Nav::History, "/history", "History"),
];

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · sspm" }
            link rel="stylesheet" href="/static/app.css";
        }
    }
}

/// A page of the dashboard for a signed-in `caller`.
pub fn page(title: &str, caller: &Caller, active: Nav, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header.topbar {
                    a.brand href="/" { "sspm" }
                    nav.mainnav {
                        @for (nav, href, label) in NAV {
                            a.active[nav == active] href=(href) { (label) }
                        }
                    }
                    div.who {
                        span.token-name { (caller.token.name) }
                        " "
                        span.badge.role { (caller.token.role.as_str()) }
                        form id="logout" method="post" action="/logout" {
                            (csrf_input(caller))
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page without navigation (sign-in, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body.bare {
                header.topbar {
                    a.brand href="/" { "sspm" }
                }
                main { (body) }
            }
        }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf_input(caller: &Caller) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or_default());
    }
}

/// `63.2%`, or `–` when nothing is possible.
pub fn pct(p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{p:.1}%"),
        None => "–".into(),
    }
}

/// A number of points: `3`, `2.5`, `1.33`.
pub fn num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// `12.5 / 20 pts`.
pub fn points(s: &Score) -> String {
    format!("{} / {} pts", num(s.achieved), num(s.possible))
}

/// A time, to the minute, in UTC.
pub fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An RFC 3339 time as [`time`] shows it (as given when it does not parse).
pub fn time_text(t: &str) -> String {
    DateTime::parse_from_rfc3339(t)
        .map(|t| time(&t.with_timezone(&Utc)))
        .unwrap_or_else(|_| t.to_string())
}

/// A `<progress>` bar of a percentage.
pub fn bar(p: Option<f64>) -> Markup {
    html! {
        progress max="100" value=(format!("{:.1}", p.unwrap_or(0.0))) { (pct(p)) }
    }
}

pub fn severity(s: Severity) -> Markup {
    html! { span class=(format!("badge sev sev-{}", s.as_str())) { (s.as_str()) } }
}

pub fn status(s: Status) -> Markup {
    let label = match s {
        Status::NotApplicable => "n/a",
        other => other.as_str(),
    };
    html! { span class=(format!("badge status status-{}", s.as_str())) { (label) } }
}

pub fn state_label(s: RecommendationState) -> &'static str {
    match s {
        RecommendationState::RiskAccepted => "Risk accepted",
        RecommendationState::MitigatedThirdParty => "Mitigated (third party)",
        RecommendationState::MitigatedAlternate => "Mitigated (alternate control)",
        RecommendationState::Planned => "Planned",
        RecommendationState::Default => "Default (clear the state)",
    }
}

pub fn state_badge(s: RecommendationState) -> Markup {
    html! { span class=(format!("badge state state-{}", s.as_str())) { (state_label(s)) } }
}

pub fn scan_status(s: ScanStatus) -> Markup {
    html! { span class=(format!("badge scan scan-{}", s.as_str())) { (s.as_str()) } }
}

/// A last scan's status and time, or "never scanned".
pub fn last_scan(scan: Option<&ScanRecord>) -> Markup {
    html! {
        @match scan {
            Some(s) => {
                (scan_status(s.status))
                " "
                span.muted.scan-time { (time(s.finished_at.as_ref().unwrap_or(&s.started_at))) }
            }
            None => { span.muted { "never scanned" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(1.333_333), "1.33");
        assert_eq!(pct(Some(63.24)), "63.2%");
        assert_eq!(pct(None), "–");
    }
}

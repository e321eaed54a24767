//! `GET /`: the secure score, its trend, scores by app and instance, and the
//! recommendations worth the most points.

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;

use super::layout::{self, bar, last_scan, num, pct, points, Nav};
use super::{chart, url, PageResult};
use crate::server::auth::PageCaller;
use crate::server::state::AppState;

/// Recommendations listed on the overview.
const TOP: usize = 10;

pub async fn page(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult {
    let view = state.view().await?;
    let score = view.doc.score;
    let planned = view.planned();
    // The rows are ranked by points to gain: the first ones are the top recommendations.
    let top: Vec<_> = view
        .rows
        .iter()
        .map(|row| view.result(*row))
        .take_while(|(_, r)| r.points_to_gain() > 0.0)
        .take(TOP)
        .collect();
    let body = html! {
        h1 { "Overview" }
        @if view.instances.is_empty() {
            p.notice {
                "No instance yet: add one with " code { "sspm instance add" }
                ", then scan it from " a href="/apps" { "Connected apps" } "."
            }
        }
        div.cards {
            section.card.score-card id="secure-score" {
                h2 { "Secure score" }
                p.big { span id="score-percent" { (pct(score.percent)) } }
                p.muted {
                    span id="score-achieved" { (num(score.achieved)) }
                    " of "
                    span id="score-possible" { (num(score.possible)) }
                    " points"
                }
                (bar(score.percent))
            }
            section.card.score-card {
                h2 { "Planned score" }
                p.big id="planned-score" {
                    span.planned-percent { (pct(planned.percent)) }
                    " "
                    span.planned-points.muted { "(" (points(&planned)) ")" }
                }
                p.muted { "If every planned recommendation were done." }
                (bar(planned.percent))
            }
            section.card.score-card {
                h2 { "Instances" }
                p.big { (view.instances.len()) }
                p.muted { (view.doc.assessments.len()) " scored · updated " (layout::time(&view.at)) }
            }
        }
        section.card {
            h2 { "Trend (90 days)" }
            (chart::trend(&view.history, view.doc.planned_score.and_then(|p| p.percent)))
        }
        div.columns {
            section.card {
                h2 { "Score by app" }
                table id="score-by-app" {
                    thead { tr { th { "App" } th.num { "Instances" } th.num { "Points" } th.num { "Score" } th { } } }
                    tbody {
                        @for app in &view.doc.apps {
                            tr data-app=(app.app) {
                                td { (app.app) }
                                td.num { (app.instances) }
                                td.num { (points(&app.score)) }
                                td.num { (pct(app.score.percent)) }
                                td { (bar(app.score.percent)) }
                            }
                        }
                        @if view.doc.apps.is_empty() {
                            tr.empty { td colspan="5" { "No scored instance yet." } }
                        }
                    }
                }
            }
            section.card {
                h2 { "Top recommendations" }
                table id="top-recommendations" {
                    thead { tr { th { "Recommendation" } th { "Instance" } th { "Severity" } th.num { "To gain" } } }
                    tbody {
                        @for (a, r) in &top {
                            tr data-instance=(a.instance) data-check=(r.id) {
                                td {
                                    a.rec-link href=(url("/recommendations", &[("selected", format!("{}/{}", a.instance, r.id).as_str())])) { (r.title) }
                                }
                                td { (a.instance) }
                                td { (layout::severity(r.severity)) }
                                td.num { "+" (num(r.points_to_gain())) }
                            }
                        }
                        @if top.is_empty() {
                            tr.empty { td colspan="4" { "Nothing to gain: every scored recommendation passes." } }
                        }
                    }
                }
                p { a href="/recommendations" { "All recommendations →" } }
            }
        }
        section.card {
            h2 { "Score by instance" }
            table id="score-by-instance" {
                thead { tr {
                    th { "Instance" } th { "App" } th.num { "Score" } th.num { "Planned" } th { "Last scan" }
                } }
                tbody {
                    @for iv in &view.instances {
                        @let a = iv.assessment.map(|i| &view.doc.assessments[i]);
                        tr data-instance=(iv.instance.name) {
                            td { a href=(url("/recommendations", &[("instance", iv.instance.name.as_str())])) { (iv.instance.name) } }
                            td { (iv.instance.app) }
                            @match a {
                                Some(a) => {
                                    td.num.score { (pct(a.score.percent)) }
                                    td.num.planned { (pct(a.planned_score.unwrap_or(a.score).percent)) }
                                }
                                None => {
                                    td.num.score.muted {
                                        @if iv.instance.recommendations { "not scanned" } @else { "recommendations off" }
                                    }
                                    td.num.planned.muted { "–" }
                                }
                            }
                            td.last-scan { (last_scan(iv.last_scan.as_ref())) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page("Overview", &caller, Nav::Overview, body).into_response())
}

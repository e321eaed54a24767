//! `GET /initiatives`: each initiative's score, its metrics and the recommendations
//! behind them.

use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;

use super::layout::{self, bar, pct, points, Nav};
use super::{url, PageResult};
use crate::server::auth::PageCaller;
use crate::server::state::AppState;

pub async fn page(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult {
    let view = state.view().await?;
    let description = |id: &str| {
        state
            .initiatives
            .items()
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.description.as_str())
            .unwrap_or_default()
    };
    let body = html! {
        h1 { "Initiatives" }
        @if view.doc.initiatives.is_empty() {
            p.notice { "No initiative is defined." }
        }
        @for i in &view.doc.initiatives {
            section.card.initiative data-initiative=(i.id) id=(format!("initiative-{}", i.id)) {
                div.initiative-head {
                    h2 { (i.name) }
                    p.big.initiative-percent { (pct(i.percent)) }
                }
                @let d = description(&i.id);
                @if !d.is_empty() { p.muted { (d) } }
                (bar(i.percent))
                p { a.all-recommendations href=(url("/recommendations", &[("initiative", i.id.as_str())])) { "Its recommendations →" } }
                table.metrics {
                    thead { tr { th { "Metric" } th.num { "Weight" } th.num { "Points" } th.num { "Score" } th { } th { "Recommendations" } } }
                    tbody {
                        @for m in &i.metrics {
                            tr.metric data-metric=(m.id) {
                                td { (m.name) }
                                td.num { (layout::num(m.weight)) }
                                td.num { (points(&m.score)) }
                                td.num { (pct(m.score.percent)) }
                                td { (bar(m.score.percent)) }
                                td {
                                    @if m.recommendations.is_empty() {
                                        span.muted { "none" }
                                    } @else {
                                        details {
                                            summary { (m.recommendations.len()) " recommendations" }
                                            ul.metric-recommendations {
                                                @for id in &m.recommendations {
                                                    li {
                                                        a href=(url("/recommendations", &[("initiative", i.id.as_str()), ("q", id.as_str())])) {
                                                            (state.catalog.get(id).map(|c| c.meta.title.as_str()).unwrap_or(id))
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page("Initiatives", &caller, Nav::Initiatives, body).into_response())
}

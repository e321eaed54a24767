//! The score trend: an inline SVG line chart, drawn here (no scripts, no styles: colours
//! are attributes).

use chrono::NaiveDate;
use maud::{html, Markup};
use sspm_model::Score;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 88.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;

const LINE: &str = "#2563eb";
const PLANNED: &str = "#16a34a";
const GRID: &str = "#e5e7eb";
const LABEL: &str = "#6b7280";

fn y_of(percent: f64) -> f64 {
    let h = HEIGHT - TOP - BOTTOM;
    TOP + h * (1.0 - percent.clamp(0.0, 100.0) / 100.0)
}

fn c(x: f64) -> String {
    format!("{x:.1}")
}

/// The positions of the days with a percentage: `(x, y, day, percent)`.
fn points(history: &[(NaiveDate, Score)]) -> Vec<(f64, f64, NaiveDate, f64)> {
    let scored: Vec<(NaiveDate, f64)> = history
        .iter()
        .filter_map(|(d, s)| s.percent.map(|p| (*d, p)))
        .collect();
    let (Some(first), Some(last)) = (scored.first(), scored.last()) else {
        return Vec::new();
    };
    let span = (last.0 - first.0).num_days().max(0) as f64;
    let w = WIDTH - LEFT - RIGHT;
    scored
        .iter()
        .map(|(d, p)| {
            let x = if span == 0.0 {
                LEFT + w / 2.0
            } else {
                LEFT + w * (*d - first.0).num_days() as f64 / span
            };
            (x, y_of(*p), *d, *p)
        })
        .collect()
}

/// The chart of `history` (the overall score per day), with the planned percentage as a
/// dashed line.
pub fn trend(history: &[(NaiveDate, Score)], planned: Option<f64>) -> Markup {
    let pts = points(history);
    let polyline: String = pts
        .iter()
        .map(|(x, y, _, _)| format!("{},{}", c(*x), c(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let right_edge = WIDTH - RIGHT;
    let base = HEIGHT - BOTTOM;
    html! {
        svg id="score-trend" class="chart" xmlns="http://www.w3.org/2000/svg"
            viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
            aria-label="Secure score per day" data-points=(pts.len()) {
            title { "Secure score per day, last 90 days" }
            @for p in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line x1=(c(LEFT)) x2=(c(right_edge)) y1=(c(y_of(p))) y2=(c(y_of(p)))
                    stroke=(GRID) stroke-width="1" {}
                text x=(c(LEFT - 6.0)) y=(c(y_of(p) + 4.0)) text-anchor="end" font-size="11"
                    fill=(LABEL) { (format!("{p:.0}%")) }
            }
            @if pts.is_empty() {
                text.empty x=(c(LEFT + (right_edge - LEFT) / 2.0)) y=(c(HEIGHT / 2.0))
                    text-anchor="middle" font-size="13" fill=(LABEL) { "No completed scans yet" }
            } @else {
                @if pts.len() > 1 {
                    polyline.trend points=(polyline) fill="none" stroke=(LINE) stroke-width="2"
                        stroke-linejoin="round" {}
                }
                @if let Some((x, y, day, p)) = pts.last() {
                    circle cx=(c(*x)) cy=(c(*y)) r="3.5" fill=(LINE) {
                        title { (day.format("%Y-%m-%d").to_string()) ": " (format!("{p:.1}%")) }
                    }
                }
                @if let Some((x, _, day, _)) = pts.first() {
                    text x=(c(*x)) y=(c(base + 18.0)) text-anchor=(if pts.len() > 1 { "start" } else { "middle" })
                        font-size="11" fill=(LABEL) { (day.format("%b %-d").to_string()) }
                }
                @if pts.len() > 1 {
                    @if let Some((x, _, day, _)) = pts.last() {
                        text x=(c(*x)) y=(c(base + 18.0)) text-anchor="end" font-size="11"
                            fill=(LABEL) { (day.format("%b %-d").to_string()) }
                    }
                }
            }
            @if let Some(p) = planned {
                line.planned x1=(c(LEFT)) x2=(c(right_edge)) y1=(c(y_of(p))) y2=(c(y_of(p)))
                    stroke=(PLANNED) stroke-width="1.5" stroke-dasharray="6 4" {}
                text x=(c(right_edge + 6.0)) y=(c(y_of(p) + 4.0)) font-size="11" fill=(PLANNED) {
                    "planned " (format!("{p:.1}%"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn no_points() {
        let svg = trend(&[], None).into_string();
        assert!(svg.starts_with("<svg id=\"score-trend\""));
        assert!(svg.contains("No completed scans yet"));
        assert!(!svg.contains("<polyline"));
        assert!(!svg.contains("<circle"));
        // Days without a percentage are not points either.
        let svg = trend(&[(day(1), Score::empty())], None).into_string();
        assert!(svg.contains("No completed scans yet"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn one_point() {
        let svg = trend(&[(day(3), Score::new(5.0, 10.0))], Some(80.0)).into_string();
        assert!(!svg.contains("<polyline"));
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("data-points=\"1\""));
        assert!(svg.contains("50.0%"));
        assert!(svg.contains("planned 80.0%"));
        assert!(svg.contains("stroke-dasharray"));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn many_points() {
        let history: Vec<_> = (1..=30)
            .map(|d| (day(d), Score::new(d as f64, 30.0)))
            .collect();
        let svg = trend(&history, None).into_string();
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("data-points=\"30\""));
        assert!(!svg.contains("planned"));
        assert!(!svg.contains("NaN"));
        assert!(!svg.contains("style="));
        let pts = points(&history);
        // Left to right, rising.
        assert!(pts.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 > w[1].1));
        assert_eq!(pts[0].0, LEFT);
        assert_eq!(pts[29].0, WIDTH - RIGHT);
        assert_eq!(pts[29].1, TOP);
    }
}

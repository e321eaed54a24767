//! Initiative scores for `sspm initiatives`: a terminal table and Markdown.

use sspm_model::{InitiativeScore, MetricScore};

use crate::markdown::{code, escape};
use crate::text::{fmt_fraction, fmt_num, fmt_percent, Align, Cell, Grid, Painter, Style};
use crate::RenderOptions;

/// Each initiative with its progress, then its metrics indented below it.
pub(crate) fn render_table(initiatives: &[InitiativeScore], opts: &RenderOptions) -> String {
    if initiatives.is_empty() {
        return "No initiatives.\n".to_string();
    }
    let p = Painter { color: opts.color };
    let mut grid = Grid::new(&[
        ("INITIATIVE / METRIC", Align::Left),
        ("WEIGHT", Align::Right),
        ("POINTS", Align::Right),
        ("PROGRESS", Align::Left),
        ("SCORE", Align::Right),
        ("CHECKS", Align::Right),
    ]);
    for (i, initiative) in initiatives.iter().enumerate() {
        if i > 0 {
            grid.row(Vec::new());
        }
        grid.row(vec![
            Cell::new(&initiative.name, Some(Style::Bold)),
            Cell::plain(""),
            Cell::plain(""),
            Cell::bar(initiative.percent),
            Cell::percent(initiative.percent),
        ]);
        for m in &initiative.metrics {
            grid.row(vec![
                Cell::indented(&m.name, 1, None),
                Cell::plain(fmt_num(m.weight)),
                Cell::plain(points(m)),
                Cell::bar(m.score.percent),
                Cell::percent(m.score.percent),
                Cell::plain(m.recommendations.len().to_string()),
            ]);
        }
    }
    grid.render(&p, "")
}

/// `3.5/16`, or `–` when the metric has nothing scored.
fn points(m: &MetricScore) -> String {
    match m.score.percent {
        Some(_) => fmt_fraction(m.score.achieved, m.score.possible),
        None => "–".to_string(),
    }
}

/// A Markdown document: one section per initiative with a table of its metrics.
pub(crate) fn render_markdown(initiatives: &[InitiativeScore]) -> String {
    let mut out = String::from("# Initiatives\n\n");
    if initiatives.is_empty() {
        out.push_str("No initiatives.\n");
        return out;
    }
    out.push_str(&render_markdown_summary(initiatives));
    for initiative in initiatives {
        out.push_str(&format!(
            "\n## {} — {}\n\n",
            escape(&initiative.name),
            fmt_percent(initiative.percent)
        ));
        if initiative.metrics.is_empty() {
            out.push_str("No metrics.\n");
            continue;
        }
        out.push_str("| Metric | Weight | Points | Score | Recommendations |\n");
        out.push_str("|---|--:|--:|--:|--:|\n");
        for m in &initiative.metrics {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                escape(&m.name),
                fmt_num(m.weight),
                points(m),
                fmt_percent(m.score.percent),
                m.recommendations.len()
            ));
        }
    }
    out
}

/// A one-row-per-initiative Markdown table.
pub(crate) fn render_markdown_summary(initiatives: &[InitiativeScore]) -> String {
    let mut out = String::from("| Initiative | Id | Metrics | Score |\n|---|---|--:|--:|\n");
    for i in initiatives {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            escape(&i.name),
            code(&i.id, true),
            i.metrics.len(),
            fmt_percent(i.percent)
        ));
    }
    out
}

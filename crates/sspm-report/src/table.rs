//! The terminal table of `sspm assess`.
//!
//! Per assessment: a header (app / instance · tenant, score, status counts), then the
//! ranked results with a dimmed reason line under each failing or erroring row. Then
//! the overall score, the per-app scores and the initiatives.

use sspm_model::{Assessment, CheckResult, ResultsDocument, Score, Status};

use crate::text::{
    fmt_score, one_line, result_points, status_counts, status_label, Align, Cell, Grid, Painter,
    Style,
};
use crate::RenderOptions;

/// Renders the whole document as a terminal report.
pub(crate) fn render(doc: &ResultsDocument, opts: &RenderOptions) -> String {
    let p = Painter { color: opts.color };
    let mut out = String::new();
    if doc.assessments.is_empty() {
        out.push_str("No assessments.\n\n");
    }
    for assessment in &doc.assessments {
        out.push_str(&render_assessment(assessment, &p));
        out.push('\n');
    }
    out.push_str(&render_summary(doc, &p));
    out
}

fn render_assessment(a: &Assessment, p: &Painter) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} {}\n",
        p.paint(
            &one_line(&format!("{} / {}", a.app, a.instance)),
            Some(Style::Bold)
        ),
        p.paint(&one_line(&format!("· {}", a.tenant)), Some(Style::Dim)),
    ));
    out.push_str(&format!(
        "Score {}{}  {}  {}\n\n",
        p.paint(&fmt_score(&a.score), Style::percent(a.score.percent)),
        planned(a.planned_score.as_ref(), &a.score, p),
        counts_line(&a.results, p),
        p.paint(
            &one_line(&format!("assessed {}", a.assessed_at)),
            Some(Style::Dim)
        ),
    ));
    if a.results.is_empty() {
        out.push_str("  No checks apply to this instance.\n");
        return out;
    }
    let mut grid = Grid::new(&[
        ("#", Align::Right),
        ("STATUS", Align::Left),
        ("SEVERITY", Align::Left),
        ("POINTS", Align::Right),
        ("RECOMMENDATION", Align::Left),
        ("ID", Align::Left),
    ]);
    for r in &a.results {
        grid.row(vec![
            Cell::plain(r.rank.to_string()),
            Cell::new(status_label(r.status), Some(Style::status(r.status))),
            Cell::new(r.severity.as_str(), Some(Style::severity(r.severity))),
            Cell::plain(result_points(r)),
            Cell::plain(&r.title),
            Cell::new(&r.id, Some(Style::Dim)),
        ]);
        if matches!(r.status, Status::Fail | Status::Error) {
            grid.note(4, Cell::new(note(r), Some(Style::Dim)));
        }
        if let Some(state) = &r.state {
            let until = state
                .until
                .as_deref()
                .map(|u| format!(" until {u}"))
                .unwrap_or_default();
            grid.note(
                4,
                Cell::new(
                    format!(
                        "↳ {} by {}{until}: {}",
                        state.state.as_str().replace('_', " "),
                        state.set_by,
                        state.reason
                    ),
                    Some(Style::Dim),
                ),
            );
        }
    }
    out.push_str(&grid.render(p, "  "));
    out
}

/// The reason line under a failing or erroring row.
fn note(r: &CheckResult) -> String {
    let mut s = format!("↳ {}", r.reason);
    let mut extra = Vec::new();
    if let (Some(c), Some(t)) = (r.compliant, r.total) {
        if r.status == Status::Fail {
            extra.push(format!("{c} of {t} compliant"));
        }
    }
    match r.offenders.len() {
        0 => {}
        1 => extra.push("1 offender".to_string()),
        n => extra.push(format!("{n} offenders")),
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    s
}

/// `2 fail · 1 error · 3 pass` in status order, coloured.
fn counts_line(results: &[CheckResult], p: &Painter) -> String {
    status_counts(results)
        .into_iter()
        .map(|(status, n)| {
            p.paint(
                &format!("{n} {}", status_label(status)),
                Some(Style::status(status)),
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `  (planned 80.0%)` when a planned score differs from the score.
fn planned(planned: Option<&Score>, score: &Score, p: &Painter) -> String {
    match planned {
        Some(planned) if planned != score => format!(
            "  {}",
            p.paint(
                &format!("(planned {})", fmt_score(planned)),
                Some(Style::Dim)
            )
        ),
        _ => String::new(),
    }
}

fn render_summary(doc: &ResultsDocument, p: &Painter) -> String {
    let mut out = format!(
        "{} {}{}\n",
        p.paint("Overall score", Some(Style::Bold)),
        p.paint(&fmt_score(&doc.score), Style::percent(doc.score.percent)),
        planned(doc.planned_score.as_ref(), &doc.score, p),
    );
    if !doc.apps.is_empty() {
        let mut grid = Grid::new(&[
            ("APP", Align::Left),
            ("INSTANCES", Align::Right),
            ("SCORE", Align::Left),
        ]);
        for app in &doc.apps {
            grid.row(vec![
                Cell::plain(&app.app),
                Cell::plain(app.instances.to_string()),
                Cell::new(fmt_score(&app.score), Style::percent(app.score.percent)),
            ]);
        }
        out.push('\n');
        out.push_str(&grid.render(p, "  "));
    }
    if !doc.initiatives.is_empty() {
        let mut grid = Grid::new(&[
            ("INITIATIVE", Align::Left),
            ("PROGRESS", Align::Left),
            ("SCORE", Align::Right),
        ]);
        for i in &doc.initiatives {
            grid.row(vec![
                Cell::plain(&i.name),
                Cell::bar(i.percent),
                Cell::percent(i.percent),
            ]);
        }
        out.push('\n');
        out.push_str(&grid.render(p, "  "));
    }
    out
}

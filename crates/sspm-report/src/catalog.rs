//! The check catalog (`sspm checks`) and one check's detail (`sspm show ID`).

use sspm_model::{CheckMeta, Scoring, Severity};

use crate::text::{
    counts_by, fmt_num, join_benchmarks, one_line, safe_lines, Align, Cell, Grid, Painter, Style,
};
use crate::RenderOptions;

/// One line per check, then a count by severity.
pub(crate) fn render_table(metas: &[CheckMeta], opts: &RenderOptions) -> String {
    if metas.is_empty() {
        return "No checks.\n".to_string();
    }
    let p = Painter { color: opts.color };
    let mut grid = Grid::new(&[
        ("ID", Align::Left),
        ("APP", Align::Left),
        ("SEVERITY", Align::Left),
        ("POINTS", Align::Right),
        ("SCORING", Align::Left),
        ("BENCHMARKS", Align::Left),
        ("TITLE", Align::Left),
    ]);
    for m in metas {
        grid.row(vec![
            Cell::plain(&m.id),
            Cell::plain(m.app()),
            Cell::new(m.severity.as_str(), Some(Style::severity(m.severity))),
            Cell::plain(fmt_num(m.max_points)),
            Cell::plain(scoring(m.scoring)),
            Cell::new(join_benchmarks(&m.benchmarks, ", "), Some(Style::Dim)),
            Cell::plain(&m.title),
        ]);
    }
    let mut out = grid.render(&p, "");
    let counts: Vec<String> = counts_by(Severity::ALL.into_iter().rev(), metas, |m| m.severity)
        .into_iter()
        .map(|(sev, n)| format!("{n} {sev}"))
        .collect();
    out.push_str(&format!(
        "\n{} check{} ({})\n",
        metas.len(),
        if metas.len() == 1 { "" } else { "s" },
        counts.join(", ")
    ));
    out
}

fn scoring(s: Scoring) -> &'static str {
    match s {
        Scoring::Binary => "binary",
        Scoring::Proportional => "proportional",
    }
}

/// Everything about one check, in the order someone fixing it reads it.
pub(crate) fn render_detail(meta: &CheckMeta, opts: &RenderOptions) -> String {
    let p = Painter { color: opts.color };
    let mut out = format!(
        "{}\n{}\n\n",
        p.paint(&one_line(&meta.title), Some(Style::Bold)),
        p.paint(&one_line(&meta.id), Some(Style::Dim)),
    );
    let facts = [
        (
            "Severity",
            p.paint(meta.severity.as_str(), Some(Style::severity(meta.severity))),
        ),
        (
            "Points",
            format!("{} ({})", fmt_num(meta.max_points), scoring(meta.scoring)),
        ),
        ("User impact", meta.user_impact.to_string()),
        ("Cost", meta.implementation_cost.to_string()),
        ("App", one_line(meta.app())),
    ];
    for (label, value) in facts {
        out.push_str(&format!("  {label:<12} {value}\n"));
    }

    section(&mut out, &p, "Description", &indent(&meta.description, 2));
    section(&mut out, &p, "Why it matters", &indent(&meta.rationale, 2));
    if !meta.benchmarks.is_empty() {
        let w = meta
            .benchmarks
            .iter()
            .map(|b| one_line(&b.framework).chars().count())
            .max()
            .unwrap_or(0);
        let body: String = meta
            .benchmarks
            .iter()
            .map(|b| format!("  {:<w$}  {}\n", one_line(&b.framework), one_line(&b.id)))
            .collect();
        section(&mut out, &p, "Benchmarks", &body);
    }
    for (title, items) in [
        ("Initiatives", &meta.initiatives),
        ("Threats", &meta.threats),
        ("Tags", &meta.tags),
    ] {
        if !items.is_empty() {
            let list = items.iter().map(|s| one_line(s)).collect::<Vec<_>>();
            section(&mut out, &p, title, &format!("  {}\n", list.join(", ")));
        }
    }
    if !meta.needs.is_empty() {
        let body: String = meta
            .needs
            .iter()
            .map(|n| format!("  {}\n", one_line(n)))
            .collect();
        section(&mut out, &p, "Reads (snapshot keys)", &body);
    }
    if !meta.implementation.is_empty() {
        let mut body = String::new();
        for (i, step) in meta.implementation.iter().enumerate() {
            let marker = format!("{}. ", i + 1);
            let cont = " ".repeat(2 + marker.len());
            for (j, line) in safe_lines(step.trim()).lines().enumerate() {
                if j == 0 {
                    body.push_str(&format!("  {marker}{line}\n"));
                } else if line.trim().is_empty() {
                    body.push('\n');
                } else {
                    body.push_str(&format!("{cont}{line}\n"));
                }
            }
        }
        section(&mut out, &p, "Implementation", &body);
    }
    if !meta.references.is_empty() {
        let body: String = meta
            .references
            .iter()
            .map(|r| format!("  {}\n    {}\n", one_line(&r.title), one_line(&r.url)))
            .collect();
        section(&mut out, &p, "References", &body);
    }
    out
}

/// A blank line, a bold heading and its (already indented) body.
fn section(out: &mut String, p: &Painter, title: &str, body: &str) {
    if body.trim().is_empty() {
        return;
    }
    out.push('\n');
    out.push_str(&p.paint(title, Some(Style::Bold)));
    out.push('\n');
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
}

/// Multi-line text with every non-blank line indented by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    safe_lines(text.trim())
        .lines()
        .map(|line| {
            if line.trim().is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{}\n", line.trim_end())
            }
        })
        .collect()
}

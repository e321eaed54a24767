//! Helpers shared by the renderers: number formatting, terminal styling, aligned grids,
//! sanitizing and stable fingerprints.

use sspm_model::{Benchmark, CheckResult, Score, Severity, Status};

/// A number with at most two decimals and no trailing zeros: `8`, `4.5`, `3.33`.
pub(crate) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `58.75%`, or `n/a` when nothing is scored.
pub(crate) fn fmt_percent(percent: Option<f64>) -> String {
    percent.map_or_else(|| "n/a".to_string(), |p| format!("{}%", fmt_num(p)))
}

/// `3.5/16`: points achieved out of points possible.
pub(crate) fn fmt_fraction(achieved: f64, possible: f64) -> String {
    format!("{}/{}", fmt_num(achieved), fmt_num(possible))
}

/// `9.5/20 (47.5%)`, or `n/a` when nothing is scored.
pub(crate) fn fmt_score(score: &Score) -> String {
    match score.percent {
        Some(p) => format!(
            "{} ({}%)",
            fmt_fraction(score.achieved, score.possible),
            fmt_num(p)
        ),
        None => "n/a".to_string(),
    }
}

/// A result's `points/max_points` when it is scored, `–` otherwise.
pub(crate) fn result_points(r: &CheckResult) -> String {
    if r.is_scored() {
        fmt_fraction(r.points, r.max_points)
    } else {
        "–".to_string()
    }
}

/// `framework:id` for each benchmark.
pub(crate) fn benchmark_labels(benchmarks: &[Benchmark]) -> Vec<String> {
    benchmarks
        .iter()
        .map(|b| format!("{}:{}", b.framework, b.id))
        .collect()
}

/// `framework:id` for each benchmark, joined by `sep`.
pub(crate) fn join_benchmarks(benchmarks: &[Benchmark], sep: &str) -> String {
    benchmark_labels(benchmarks).join(sep)
}

/// Statuses in the order reports list them: the ones needing attention first.
const STATUS_ORDER: [Status; 5] = [
    Status::Fail,
    Status::Error,
    Status::Pass,
    Status::Manual,
    Status::NotApplicable,
];

/// How many of `items` have each key of `order`, in that order, leaving out zeros.
pub(crate) fn counts_by<K: PartialEq + Copy, T>(
    order: impl IntoIterator<Item = K>,
    items: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<(K, usize)> {
    order
        .into_iter()
        .filter_map(|k| {
            let n = items.iter().filter(|item| key(item) == k).count();
            (n > 0).then_some((k, n))
        })
        .collect()
}

/// How many results have each status, in [`STATUS_ORDER`], leaving out zeros.
pub(crate) fn status_counts(results: &[CheckResult]) -> Vec<(Status, usize)> {
    counts_by(STATUS_ORDER, results, |r| r.status)
}

/// The status as shown to people: `pass`, `fail`, `error`, `manual`, `n/a`.
pub(crate) fn status_label(status: Status) -> &'static str {
    match status {
        Status::NotApplicable => "n/a",
        other => other.as_str(),
    }
}

/// Text made safe for one terminal line: control characters (newlines, escape
/// sequences from tenant data) become spaces, runs of whitespace collapse, ends trimmed.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Text made safe for a terminal while keeping its lines: control characters other than
/// newline become spaces.
pub(crate) fn safe_lines(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Display width of text already passed through [`one_line`] (one column per char).
pub(crate) fn width(s: &str) -> usize {
    s.chars().count()
}

/// A stable 64-bit FNV-1a hash of `parts` (separated by NUL), as 16 hex digits.
///
/// Used for fingerprints and event ids that must stay the same across runs and
/// releases; it is not a cryptographic hash.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = parts.iter().enumerate().flat_map(|(i, part)| {
        let separator = (i > 0).then_some(0u8);
        separator.into_iter().chain(part.bytes())
    });
    let mut hash = OFFSET;
    for b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:016x}")
}

/// Terminal text styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Bold,
    Dim,
    Red,
    BoldRed,
    Green,
    Yellow,
    Blue,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Self::Bold => "1",
            Self::Dim => "2",
            Self::Red => "31",
            Self::BoldRed => "1;31",
            Self::Green => "32",
            Self::Yellow => "33",
            Self::Blue => "34",
        }
    }

    /// The colour of a status.
    pub(crate) fn status(status: Status) -> Style {
        match status {
            Status::Pass => Self::Green,
            Status::Fail => Self::Red,
            Status::Error => Self::Yellow,
            Status::Manual | Status::NotApplicable => Self::Dim,
        }
    }

    /// The colour of a severity.
    pub(crate) fn severity(severity: Severity) -> Style {
        match severity {
            Severity::Critical => Self::BoldRed,
            Severity::High => Self::Red,
            Severity::Medium => Self::Yellow,
            Severity::Low => Self::Blue,
        }
    }

    /// The colour of a percentage: green from 80, yellow from 50, red below.
    pub(crate) fn percent(percent: Option<f64>) -> Option<Style> {
        match percent {
            None => Some(Self::Dim),
            Some(p) if p >= 80.0 => Some(Self::Green),
            Some(p) if p >= 50.0 => Some(Self::Yellow),
            Some(_) => Some(Self::Red),
        }
    }
}

/// Applies styles when colour is on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Painter {
    pub(crate) color: bool,
}

impl Painter {
    /// `text` wrapped in the ANSI codes of `style` (or unchanged without colour).
    pub(crate) fn paint(&self, text: &str, style: Option<Style>) -> String {
        match style {
            Some(style) if self.color && !text.is_empty() => {
                format!("\x1b[{}m{text}\x1b[0m", style.code())
            }
            _ => text.to_string(),
        }
    }
}

/// A ten-cell bar for a percentage: `███████░░░`.
pub(crate) fn bar(percent: Option<f64>) -> String {
    let filled = percent.map_or(0, |p| ((p.clamp(0.0, 100.0) / 10.0).round()) as usize);
    let mut s = "█".repeat(filled);
    s.push_str(&"░".repeat(10 - filled));
    s
}

/// Notes under a grid row wrap at the table's width, but never narrower than this.
const NOTE_MIN_WIDTH: usize = 60;

/// Greedy word wrap of one line of text into lines of at most `columns` columns, the lines
/// after the first `hang` columns narrower. A word longer than a line gets its own line.
pub(crate) fn wrap(text: &str, columns: usize, hang: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let limit = if lines.is_empty() {
            columns
        } else {
            columns.saturating_sub(hang)
        };
        if !current.is_empty() && width(&current) + 1 + width(word) > limit {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// One cell of a [`Grid`].
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    text: String,
    style: Option<Style>,
}

impl Cell {
    /// A cell; its text is flattened to one safe line.
    pub(crate) fn new(text: impl AsRef<str>, style: Option<Style>) -> Self {
        Self {
            text: one_line(text.as_ref()),
            style,
        }
    }

    /// A cell indented by two spaces per `depth` level.
    pub(crate) fn indented(text: impl AsRef<str>, depth: usize, style: Option<Style>) -> Self {
        Self {
            text: format!("{}{}", "  ".repeat(depth), one_line(text.as_ref())),
            style,
        }
    }

    /// An unstyled cell.
    pub(crate) fn plain(text: impl AsRef<str>) -> Self {
        Self::new(text, None)
    }

    /// A progress [`bar`] coloured by its percentage.
    pub(crate) fn bar(percent: Option<f64>) -> Self {
        Self::new(bar(percent), Style::percent(percent))
    }

    /// A percentage (or `n/a`) coloured by its value.
    pub(crate) fn percent(percent: Option<f64>) -> Self {
        Self::new(fmt_percent(percent), Style::percent(percent))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
enum Row {
    Cells(Vec<Cell>),
    /// A line under the previous row, starting at a column; not part of width computing.
    Note {
        column: usize,
        cell: Cell,
    },
}

/// Columns aligned by content width, two spaces apart, with a header row.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    headers: Vec<(&'static str, Align)>,
    rows: Vec<Row>,
}

impl Grid {
    pub(crate) fn new(headers: &[(&'static str, Align)]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank, extra cells are ignored.
    pub(crate) fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::Cells(cells));
    }

    /// Adds a full-length line under the last row, starting at `column`.
    pub(crate) fn note(&mut self, column: usize, cell: Cell) {
        self.rows.push(Row::Note { column, cell });
    }

    /// The grid as lines, each prefixed by `indent`, without trailing spaces.
    pub(crate) fn render(&self, painter: &Painter, indent: &str) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|(h, _)| width(h)).collect();
        for row in &self.rows {
            if let Row::Cells(cells) = row {
                for (w, cell) in widths.iter_mut().zip(cells) {
                    *w = (*w).max(width(&cell.text));
                }
            }
        }
        let header: Vec<Cell> = self
            .headers
            .iter()
            .map(|(h, _)| Cell::new(h, Some(Style::Bold)))
            .collect();
        let mut out = String::new();
        for row in std::iter::once(Row::Cells(header)).chain(self.rows.iter().cloned()) {
            let mut line = String::from(indent);
            match row {
                Row::Cells(cells) => {
                    // The last non-blank cell ends the line: no padding after it.
                    let last = cells
                        .iter()
                        .take(n)
                        .rposition(|c| !c.text.is_empty())
                        .unwrap_or(0);
                    for (i, ((w, (_, align)), cell)) in
                        widths.iter().zip(&self.headers).zip(&cells).enumerate()
                    {
                        if i > last {
                            break;
                        }
                        if i > 0 {
                            line.push_str("  ");
                        }
                        let pad = " ".repeat(w.saturating_sub(width(&cell.text)));
                        let painted = painter.paint(&cell.text, cell.style);
                        match align {
                            Align::Left if i == last => line.push_str(&painted),
                            Align::Left => {
                                line.push_str(&painted);
                                line.push_str(&pad);
                            }
                            Align::Right => {
                                line.push_str(&pad);
                                line.push_str(&painted);
                            }
                        }
                    }
                }
                Row::Note { column, cell } => {
                    // Wrapped to the table's width (at least NOTE_MIN_WIDTH columns);
                    // continuation lines hang two spaces in.
                    let offset: usize = widths.iter().take(column).map(|w| w + 2).sum();
                    let total: usize = widths.iter().sum::<usize>() + 2 * n.saturating_sub(1);
                    let room = total.saturating_sub(offset).max(NOTE_MIN_WIDTH);
                    for (i, part) in wrap(&cell.text, room, 2).iter().enumerate() {
                        if i > 0 {
                            out.push_str(line.trim_end());
                            out.push('\n');
                            line = String::from(indent);
                        }
                        line.push_str(&" ".repeat(offset + if i > 0 { 2 } else { 0 }));
                        line.push_str(&painter.paint(part, cell.style));
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_no_trailing_zeros() {
        assert_eq!(fmt_num(8.0), "8");
        assert_eq!(fmt_num(4.5), "4.5");
        assert_eq!(fmt_num(10.0 / 3.0), "3.33");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(f64::NAN), "n/a");
    }

    #[test]
    fn scores_show_na_when_nothing_is_possible() {
        assert_eq!(fmt_score(&Score::new(9.5, 20.0)), "9.5/20 (47.5%)");
        assert_eq!(fmt_score(&Score::empty()), "n/a");
        assert_eq!(fmt_percent(None), "n/a");
    }

    #[test]
    fn one_line_strips_control_characters() {
        assert_eq!(one_line("a\nb\t c\x1b[2J"), "a b c [2J");
        assert_eq!(one_line("  x  "), "x");
        assert_eq!(safe_lines("a\nb\x1bc"), "a\nb c");
    }

    #[test]
    fn fingerprints_are_stable_and_separate_parts() {
        // FNV-1a 64 of the empty input is the offset basis.
        assert_eq!(fingerprint(&[""]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a"]), "af63dc4c8601ec8c");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    #[test]
    fn painter_only_colours_when_asked() {
        let on = Painter { color: true };
        let off = Painter { color: false };
        assert_eq!(on.paint("x", Some(Style::Red)), "\x1b[31mx\x1b[0m");
        assert_eq!(off.paint("x", Some(Style::Red)), "x");
        assert_eq!(on.paint("x", None), "x");
    }

    #[test]
    fn bar_scales_to_ten_cells() {
        assert_eq!(bar(Some(47.5)), "█████░░░░░");
        assert_eq!(bar(None), "░░░░░░░░░░");
        assert_eq!(bar(Some(250.0)), "██████████");
    }

    #[test]
    fn wraps_words_with_a_hanging_indent() {
        assert_eq!(wrap("aa bb cc dd", 5, 0), ["aa bb", "cc dd"]);
        assert_eq!(wrap("aa bb cc dd", 5, 2), ["aa bb", "cc", "dd"]);
        assert_eq!(wrap("averylongword x", 4, 0), ["averylongword", "x"]);
        assert_eq!(wrap("", 4, 0), [""]);
    }

    #[test]
    fn grid_aligns_columns_and_notes() {
        let mut g = Grid::new(&[
            ("#", Align::Right),
            ("NAME", Align::Left),
            ("ID", Align::Left),
        ]);
        g.row(vec![
            Cell::plain("1"),
            Cell::plain("alpha"),
            Cell::plain("a"),
        ]);
        g.note(1, Cell::plain("why"));
        g.row(vec![Cell::plain("10"), Cell::plain("b"), Cell::plain("bb")]);
        let out = g.render(&Painter { color: false }, "");
        assert_eq!(out, " #  NAME   ID\n 1  alpha  a\n    why\n10  b      bb\n");
    }
}

//! CSV: one row per result, RFC 4180.
//!
//! - Columns: [`HEADER`]. Records end in CRLF; a field containing a comma, a double
//!   quote, CR or LF is enclosed in double quotes with inner quotes doubled.
//! - `points` and `max_points` are plain numbers (`3.5`), also for results outside the
//!   score (whose points are 0). `compliant` and `total` are empty unless the check is
//!   proportional.
//! - `benchmarks` is `framework:id` joined by `;`; `offenders` lists every offender as
//!   `type:id` joined by `;` (ids as the vendor gives them).
//! - Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//!   tab or CR) is prefixed with `'`, since offender names and ids come from the tenant.

use sspm_model::ResultsDocument;

use crate::text::{fmt_num, join_benchmarks};

/// The header record.
pub(crate) const HEADER: [&str; 15] = [
    "app",
    "instance",
    "tenant",
    "rank",
    "id",
    "title",
    "severity",
    "status",
    "points",
    "max_points",
    "compliant",
    "total",
    "reason",
    "benchmarks",
    "offenders",
];

/// Renders every result of every assessment.
pub(crate) fn render(doc: &ResultsDocument) -> String {
    let mut out = String::new();
    write_record(&mut out, HEADER.iter().map(|h| h.to_string()));
    for a in &doc.assessments {
        for r in &a.results {
            let offenders = r
                .offenders
                .iter()
                .map(|o| format!("{}:{}", o.kind, o.id))
                .collect::<Vec<_>>()
                .join(";");
            write_record(
                &mut out,
                [
                    text(&a.app),
                    text(&a.instance),
                    text(&a.tenant),
                    r.rank.to_string(),
                    text(&r.id),
                    text(&r.title),
                    r.severity.as_str().to_string(),
                    r.status.as_str().to_string(),
                    fmt_num(r.points),
                    fmt_num(r.max_points),
                    r.compliant.map(|c| c.to_string()).unwrap_or_default(),
                    r.total.map(|t| t.to_string()).unwrap_or_default(),
                    text(&r.reason),
                    text(&join_benchmarks(&r.benchmarks, ";")),
                    text(&offenders),
                ],
            );
        }
    }
    out
}

/// Appends one record, quoting fields as RFC 4180 requires, terminated by CRLF.
fn write_record(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&field));
    }
    out.push_str("\r\n");
}

/// A field as it appears in a record.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Free text, defused against spreadsheet formula injection.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote(""), "");
    }

    #[test]
    fn defuses_formulas() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("a=b"), "a=b");
    }

    #[test]
    fn records_end_in_crlf() {
        let mut out = String::new();
        write_record(&mut out, ["a".to_string(), "b,c".to_string()]);
        assert_eq!(out, "a,\"b,c\"\r\n");
    }
}

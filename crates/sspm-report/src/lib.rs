//! Rendering of sspm assessment results and check metadata.
//!
//! [`render_results`] turns a [`ResultsDocument`] into any [`Format`]: the exact JSON
//! document, a terminal table, CSV, a Markdown report, SARIF 2.1.0 for code-scanning
//! tools, or OCSF 1.3.0 Detection Findings for a SIEM. [`render_catalog`],
//! [`render_check_detail`] and [`render_initiatives`] serve `sspm checks`, `sspm show`
//! and `sspm initiatives`.
//!
//! Every renderer is a pure function of its input: the same document always gives the
//! same bytes (no clock, no randomness), so outputs can be diffed and snapshot-tested.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sspm_model::{CheckMeta, InitiativeScore, ResultsDocument};

mod catalog;
mod csv;
mod initiatives;
mod markdown;
mod ocsf;
mod sarif;
mod table;
mod text;

/// Joins string literals with `, ` at compile time: the names a format accepts.
macro_rules! comma_list {
    ($first:literal $(, $rest:literal)*) => {
        concat!($first $(, ", ", $rest)*)
    };
}

/// Declares a format enum whose variants have command-line names, with `ALL` (in
/// declaration order), `as_str`, `Display` and a case-insensitive `FromStr` that fails
/// with [`ParseFormatError`] listing every name.
macro_rules! format_enum {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $name:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $ty {
            /// Every format, in the order they are documented.
            pub const ALL: [$ty; [$($name),+].len()] = [$(Self::$variant),+];

            /// The lowercase name used on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $name, )+
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = ParseFormatError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|f| f.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| ParseFormatError {
                        value: s.to_string(),
                        expected: comma_list!($($name),+),
                    })
            }
        }
    };
}

format_enum! {
    /// Output formats of assessment results.
    pub enum Format {
        /// The `sspm-results/1` document, pretty-printed, exactly its serde shape.
        Json => "json",
        /// A ranked, optionally coloured table for a terminal; reasons under failing and
        /// erroring rows, wrapped to the table's width. Control characters in data are blanked.
        Table => "table",
        /// One RFC 4180 row per result (CRLF, quoted when needed). `benchmarks` is
        /// `framework:id;…`, `offenders` is every offender as `type:id;…`; free text starting
        /// with `= + - @` is prefixed with `'` against spreadsheet formula injection.
        Csv => "csv",
        /// A GitHub-flavoured report: scores, a ranked table per assessment, then each failing
        /// recommendation with up to 20 offenders and its implementation steps.
        Markdown => "markdown",
        /// SARIF 2.1.0: one rule per check id in the document; results only for `fail`
        /// (`kind: fail`, level by severity) and `error` (`kind: open`, level `none`).
        Sarif => "sarif",
        /// OCSF 1.3.0 Detection Findings (class 2004) as one JSON array, one finding per `fail`
        /// or `error` result; errors are `Informational` with `status_code: not_evaluable`.
        Ocsf => "ocsf",
    }
}

format_enum! {
    /// Output formats of the check catalog (`sspm checks`).
    pub enum CatalogFormat {
        /// One line per check.
        Table => "table",
        /// The checks' full metadata as a JSON array of `CheckMeta` objects.
        Json => "json",
    }
}

format_enum! {
    /// Output formats of initiative scores (`sspm initiatives`).
    pub enum InitiativesFormat {
        /// Initiatives and their metrics, aligned for a terminal.
        Table => "table",
        /// The `InitiativeScore` list, pretty-printed.
        Json => "json",
        /// A Markdown table.
        Markdown => "markdown",
    }
}

/// An unknown output format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{value}`: expected one of {expected}")]
pub struct ParseFormatError {
    /// The name that was given.
    pub value: String,
    /// The accepted names, comma-separated.
    pub expected: &'static str,
}

/// Settings shared by every renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colours (table and detail views only; other formats ignore it).
    pub color: bool,
    /// The sspm version recorded in SARIF and OCSF output.
    pub tool_version: String,
}

impl Default for RenderOptions {
    /// No colour; this crate's version as the tool version.
    fn default() -> Self {
        Self {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Serializing to JSON failed.
    #[error("cannot render {what} as JSON: {source}")]
    Json {
        /// What was being serialized.
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A timestamp in the document is not RFC 3339.
    #[error("assessment of {app}/{instance}: `{field}` is not an RFC 3339 time: `{value}`")]
    InvalidTime {
        /// The assessment's app.
        app: String,
        /// The assessment's instance.
        instance: String,
        /// The field holding the time, e.g. `assessed_at`.
        field: &'static str,
        /// The value that did not parse.
        value: String,
    },
}

/// Renders an assessment run in `format`.
///
/// `metas` gives each check's metadata by id; it supplies SARIF rule help, Markdown and
/// OCSF remediation. A result whose id has no metadata is still rendered, with what the
/// result itself carries.
pub fn render_results(
    doc: &ResultsDocument,
    metas: &BTreeMap<String, CheckMeta>,
    format: Format,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        Format::Json => to_json(doc, "results document"),
        Format::Table => Ok(table::render(doc, opts)),
        Format::Csv => Ok(csv::render(doc)),
        Format::Markdown => Ok(markdown::render(doc, metas, opts)),
        Format::Sarif => sarif::render(doc, metas, opts),
        Format::Ocsf => ocsf::render(doc, metas, opts),
    }
}

/// Renders the check catalog for `sspm checks`.
///
/// The table lists id, app, severity, points, scoring, benchmarks and title; JSON is the
/// array of full [`CheckMeta`] objects (it round-trips into `Vec<CheckMeta>`).
pub fn render_catalog(
    metas: &[CheckMeta],
    format: CatalogFormat,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        CatalogFormat::Table => Ok(catalog::render_table(metas, opts)),
        CatalogFormat::Json => to_json(metas, "check catalog"),
    }
}

/// Renders everything known about one check for `sspm show ID`.
pub fn render_check_detail(meta: &CheckMeta, opts: &RenderOptions) -> String {
    catalog::render_detail(meta, opts)
}

/// Renders initiative scores for `sspm initiatives`.
pub fn render_initiatives(
    initiatives: &[InitiativeScore],
    format: InitiativesFormat,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        InitiativesFormat::Table => Ok(initiatives::render_table(initiatives, opts)),
        InitiativesFormat::Json => to_json(initiatives, "initiative scores"),
        InitiativesFormat::Markdown => Ok(initiatives::render_markdown(initiatives)),
    }
}

/// Pretty JSON with a trailing newline.
pub(crate) fn to_json<T: Serialize + ?Sized>(
    value: &T,
    what: &'static str,
) -> Result<String, RenderError> {
    let mut out =
        serde_json::to_string_pretty(value).map_err(|source| RenderError::Json { what, source })?;
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
        }
        for f in CatalogFormat::ALL {
            assert_eq!(f.to_string().parse::<CatalogFormat>().unwrap(), f);
        }
        for f in InitiativesFormat::ALL {
            assert_eq!(f.to_string().parse::<InitiativesFormat>().unwrap(), f);
        }
        assert_eq!("SARIF".parse::<Format>().unwrap(), Format::Sarif);
    }

    #[test]
    fn unknown_format_names_the_choices() {
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml`: expected one of json, table, csv, markdown, sarif, ocsf"
        );
        assert!("markdown".parse::<CatalogFormat>().is_err());
        assert_eq!(
            "xml".parse::<InitiativesFormat>().unwrap_err().expected,
            "table, json, markdown"
        );
        assert_eq!(Format::ALL.len(), 6);
    }
}

//! The check catalog: every check's Rego and metadata, the shared Rego libraries, and the
//! Rego unit tests.
//!
//! A policy directory holds, at any depth:
//! - `<name>.rego` + `<name>.yaml` — one check: its logic and its metadata;
//! - `<name>_test.rego` — Rego unit tests (`test_*` rules);
//! - any other `.rego` — a library module, loaded beside every check.
//!
//! Built-in policies are embedded in the binary. User directories are loaded after them
//! and a user check replaces a built-in one with the same id.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use sspm_model::CheckMeta;

use crate::embedded;

/// The entry rule every check package defines.
pub const RESULT_RULE: &str = "result";

/// Where a policy file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary (`policies/` of the source tree).
    BuiltIn,
    /// A directory given with `--policies`.
    User(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BuiltIn => f.write_str("built-in"),
            Self::User(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// One Rego source file.
#[derive(Debug, Clone)]
pub struct Module {
    /// Path shown in messages: `policies/<rel>` for built-ins, the file path for user files.
    pub path: String,
    pub source: String,
    /// The package as regorus reports it, e.g. `data.sspm.m365.entra.legacy_auth_blocked`.
    pub package: String,
    pub origin: Origin,
}

/// A check: its metadata and the Rego module that computes its result.
#[derive(Debug, Clone)]
pub struct Check {
    pub meta: CheckMeta,
    /// Path of the metadata file, for messages.
    pub meta_path: String,
    pub module: Module,
}

impl Check {
    /// The rule path the engine evaluates, e.g. `data.sspm.m365.entra.x.result`.
    pub fn entry_rule(&self) -> String {
        format!("{}.{RESULT_RULE}", self.module.package)
    }

    /// The snapshot keys this check reads: its `needs` and the keys its own module
    /// names literally.
    pub fn keys_read(&self) -> BTreeSet<String> {
        let mut keys: BTreeSet<String> = self.meta.needs.iter().cloned().collect();
        keys.extend(literal_keys(&self.module.source));
        keys
    }
}

/// The string literals of Rego source that look like snapshot keys (`api:path`).
fn literal_keys(source: &str) -> impl Iterator<Item = String> + '_ {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|lit| is_snapshot_key(lit))
        .map(str::to_string)
}

/// What can go wrong while loading policies. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read policy directory {path}: {source}")]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read policy file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("policy {path} does not parse:\n{message}")]
    Rego { path: String, message: String },
    #[error("metadata {path} is invalid: {message}")]
    Metadata { path: String, message: String },
    #[error("metadata {path} has no policy beside it: expected {expected}")]
    OrphanMetadata { path: String, expected: String },
    #[error("duplicate check id `{id}`: declared by {first} and by {second}; ids must be unique within a policy directory (a directory given later may override a built-in id on purpose)")]
    DuplicateId {
        id: String,
        first: String,
        second: String,
    },
    #[error("duplicate package `{package}`: used by check policies {first} and {second}; give each check its own package")]
    DuplicatePackage {
        package: String,
        first: String,
        second: String,
    },
    #[error("policy {path} declares no `{RESULT_RULE}` rule: a check's package must define `{RESULT_RULE}` (see policies/README.md)")]
    NoResultRule { path: String },
}

/// All checks, libraries and tests, after overrides.
#[derive(Debug, Clone)]
pub struct Catalog {
    checks: Vec<Check>,
    libraries: Vec<Module>,
    tests: Vec<Module>,
    /// Every library and check module, parsed once; cloned for evaluation.
    engine: regorus::Engine,
}

/// The files of one policy source, before they are grouped.
struct SourceFiles {
    origin: Origin,
    /// `(relative path with '/' separators, display path, contents)`
    files: Vec<(String, String, String)>,
}

impl Catalog {
    /// The built-in catalog only.
    pub fn builtin() -> Result<Self, CatalogError> {
        Self::load(&[])
    }

    /// The built-in catalog plus the user's policy directories, in order.
    pub fn load(user_dirs: &[PathBuf]) -> Result<Self, CatalogError> {
        let mut sources = vec![builtin_source()];
        for dir in user_dirs {
            sources.push(dir_source(dir)?);
        }
        Self::from_sources(sources)
    }

    fn from_sources(sources: Vec<SourceFiles>) -> Result<Self, CatalogError> {
        let mut by_id: BTreeMap<String, Check> = BTreeMap::new();
        let mut libraries = Vec::new();
        let mut tests = Vec::new();
        for source in sources {
            let grouped = group(source)?;
            for check in grouped.checks {
                if let Some(old) = by_id.get(&check.meta.id) {
                    tracing::info!(
                        id = %check.meta.id,
                        replaced = %old.module.path,
                        by = %check.module.path,
                        "user check overrides a built-in check"
                    );
                }
                by_id.insert(check.meta.id.clone(), check);
            }
            libraries.extend(grouped.libraries);
            tests.extend(grouped.tests);
        }
        let checks: Vec<Check> = by_id.into_values().collect();
        let mut packages: BTreeMap<&str, &str> = BTreeMap::new();
        for check in &checks {
            if let Some(first) = packages.insert(&check.module.package, &check.module.path) {
                return Err(CatalogError::DuplicatePackage {
                    package: check.module.package.clone(),
                    first: first.to_string(),
                    second: check.module.path.clone(),
                });
            }
        }
        let engine = checked_engine(&libraries, &checks)?;
        Ok(Self {
            checks,
            libraries,
            tests,
            engine,
        })
    }

    /// All checks, sorted by id.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The checks of one app, sorted by id.
    pub fn checks_for_app<'a>(&'a self, app: &'a str) -> impl Iterator<Item = &'a Check> + 'a {
        self.checks.iter().filter(move |c| c.meta.app() == app)
    }

    /// One check by id.
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks
            .binary_search_by(|c| c.meta.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.checks[i])
    }

    /// Apps that have at least one check.
    pub fn apps(&self) -> BTreeSet<&str> {
        self.checks.iter().map(|c| c.meta.app()).collect()
    }

    /// Library modules, loaded beside every check.
    pub fn libraries(&self) -> &[Module] {
        &self.libraries
    }

    /// Rego test modules.
    pub fn tests(&self) -> &[Module] {
        &self.tests
    }

    /// Metadata of every check, keyed by id.
    pub fn metas(&self) -> BTreeMap<String, CheckMeta> {
        self.checks
            .iter()
            .map(|c| (c.meta.id.clone(), c.meta.clone()))
            .collect()
    }

    /// Snapshot keys the checks and libraries can read: every check's `needs` and every
    /// string literal in their Rego that looks like a key (`<api>:<path>`). Resources
    /// under other keys are not converted for Rego.
    pub fn resource_keys(&self) -> BTreeSet<String> {
        let mut keys: BTreeSet<String> = self
            .checks
            .iter()
            .flat_map(|c| c.meta.needs.iter().cloned())
            .collect();
        for module in self
            .libraries
            .iter()
            .chain(self.checks.iter().map(|c| &c.module))
        {
            keys.extend(literal_keys(&module.source));
        }
        keys
    }

    /// A regorus engine holding every library and check module (and tests when asked).
    pub fn engine(&self, with_tests: bool) -> Result<regorus::Engine, CatalogError> {
        let mut engine = self.engine.clone();
        if with_tests {
            for module in &self.tests {
                add_module(&mut engine, module)?;
            }
        }
        Ok(engine)
    }
}

/// An engine with every library and check module, after checking that each check's
/// package declares a `result` rule.
fn checked_engine(libraries: &[Module], checks: &[Check]) -> Result<regorus::Engine, CatalogError> {
    let mut engine = regorus::Engine::new();
    crate::builtins::register(&mut engine).map_err(|e| CatalogError::Rego {
        path: "<sspm builtins>".into(),
        message: e.to_string(),
    })?;
    for module in libraries {
        add_module(&mut engine, module)?;
    }
    for check in checks {
        add_module(&mut engine, &check.module)?;
        let declared = engine
            .has_declared_rule_rooted_at(&check.module.path, RESULT_RULE)
            .unwrap_or(false);
        if !declared {
            return Err(CatalogError::NoResultRule {
                path: check.module.path.clone(),
            });
        }
    }
    Ok(engine)
}

/// Adds one module to an engine, turning a parse error into a [`CatalogError::Rego`].
fn add_module(engine: &mut regorus::Engine, module: &Module) -> Result<String, CatalogError> {
    engine
        .add_policy(module.path.clone(), module.source.clone())
        .map_err(|e| CatalogError::Rego {
            path: module.path.clone(),
            message: e.to_string(),
        })
}

fn builtin_source() -> SourceFiles {
    SourceFiles {
        origin: Origin::BuiltIn,
        files: embedded::POLICY_FILES
            .iter()
            .map(|(rel, text)| (rel.to_string(), format!("policies/{rel}"), text.to_string()))
            .collect(),
    }
}

fn dir_source(dir: &Path) -> Result<SourceFiles, CatalogError> {
    let paths = crate::files::with_extensions(dir, &["rego", "yaml", "yml"]).map_err(|source| {
        CatalogError::ReadDir {
            path: dir.to_path_buf(),
            source,
        }
    })?;
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| CatalogError::ReadFile {
            path: path.clone(),
            source,
        })?;
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        files.push((rel, path.display().to_string(), text));
    }
    Ok(SourceFiles {
        origin: Origin::User(dir.to_path_buf()),
        files,
    })
}

struct Grouped {
    checks: Vec<Check>,
    libraries: Vec<Module>,
    tests: Vec<Module>,
}

/// Sorts one source's files into checks, libraries and tests, and validates them.
fn group(source: SourceFiles) -> Result<Grouped, CatalogError> {
    let mut regos: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut metas: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (rel, display, text) in source.files {
        if let Some(stem) = rel.strip_suffix(".rego") {
            regos.insert(stem.to_string(), (display, text));
        } else if let Some(stem) = rel
            .strip_suffix(".yaml")
            .or_else(|| rel.strip_suffix(".yml"))
        {
            metas.insert(stem.to_string(), (display, text));
        }
    }

    let mut grouped = Grouped {
        checks: Vec::new(),
        libraries: Vec::new(),
        tests: Vec::new(),
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (stem, (meta_path, meta_text)) in &metas {
        let Some((rego_path, rego_text)) = regos.remove(stem) else {
            return Err(CatalogError::OrphanMetadata {
                path: meta_path.clone(),
                expected: format!("{stem}.rego"),
            });
        };
        let meta = parse_meta(meta_path, meta_text)?;
        if let Some(first) = ids.insert(meta.id.clone(), meta_path.clone()) {
            return Err(CatalogError::DuplicateId {
                id: meta.id,
                first,
                second: meta_path.clone(),
            });
        }
        let module = parse_module(rego_path, rego_text, &source.origin)?;
        grouped.checks.push(Check {
            meta,
            meta_path: meta_path.clone(),
            module,
        });
    }
    for (stem, (path, text)) in regos {
        let module = parse_module(path, text, &source.origin)?;
        if stem.ends_with("_test") {
            grouped.tests.push(module);
        } else {
            grouped.libraries.push(module);
        }
    }
    Ok(grouped)
}

/// Parses a module on its own to learn its package and report syntax errors with file and line.
fn parse_module(path: String, source: String, origin: &Origin) -> Result<Module, CatalogError> {
    let mut engine = regorus::Engine::new();
    let package = engine
        .add_policy(path.clone(), source.clone())
        .map_err(|e| CatalogError::Rego {
            path: path.clone(),
            message: e.to_string(),
        })?;
    Ok(Module {
        path,
        source,
        package,
        origin: origin.clone(),
    })
}

/// Parses and validates a sidecar metadata file.
pub fn parse_meta(path: &str, text: &str) -> Result<CheckMeta, CatalogError> {
    let err = |message: String| CatalogError::Metadata {
        path: path.to_string(),
        message,
    };
    let meta: CheckMeta = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
    let id_ok = meta.id.split('.').count() >= 2
        && meta.id.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        });
    if !id_ok {
        return Err(err(format!(
            "field `id`: `{}` is not a valid check id; use lowercase dot-separated segments starting with the app, e.g. `m365.entra.legacy_auth_blocked`",
            meta.id
        )));
    }
    for (field, value) in [
        ("title", &meta.title),
        ("description", &meta.description),
        ("rationale", &meta.rationale),
    ] {
        if value.trim().is_empty() {
            return Err(err(format!("field `{field}` is empty")));
        }
    }
    if !(1.0..=10.0).contains(&meta.max_points) {
        return Err(err(format!(
            "field `max_points`: {} is out of range; use a value from 1 to 10",
            meta.max_points
        )));
    }
    if meta.needs.is_empty() {
        return Err(err(
            "field `needs` is empty: list the snapshot keys the check reads, e.g. `graph:/v1.0/domains`".into(),
        ));
    }
    if let Some(bad) = meta.needs.iter().find(|k| !is_snapshot_key(k)) {
        return Err(err(format!(
            "field `needs`: `{bad}` is not a snapshot key; keys look like `<api>:<path>` without a query string, e.g. `graph:/v1.0/domains`"
        )));
    }
    if meta.implementation.is_empty() {
        return Err(err(
            "field `implementation` is empty: give the numbered steps that fix the finding".into(),
        ));
    }
    Ok(meta)
}

fn is_snapshot_key(key: &str) -> bool {
    match key.split_once(':') {
        Some((api, path)) => {
            !api.is_empty()
                && api.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !path.is_empty()
                && !path.contains('?')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#"
id: demo.settings.flag_on
title: Flag is on
description: Checks the flag.
rationale: Because.
severity: high
max_points: 5
scoring: binary
needs: ["demo:/settings"]
user_impact: low
implementation_cost: low
implementation: ["Turn it on."]
"#;

    const REGO: &str = r#"package demo.flag_on
result := {"status": "pass", "reason": "ok"} if input.resources["demo:/settings"].flag
else := {"status": "fail", "reason": "off"}
"#;

    fn source(files: &[(&str, &str)]) -> SourceFiles {
        SourceFiles {
            origin: Origin::User(PathBuf::from("/tmp/p")),
            files: files
                .iter()
                .map(|(rel, text)| (rel.to_string(), format!("/tmp/p/{rel}"), text.to_string()))
                .collect(),
        }
    }

    #[test]
    fn groups_checks_libraries_and_tests() {
        let c = Catalog::from_sources(vec![source(&[
            ("a/flag_on.rego", REGO),
            ("a/flag_on.yaml", META),
            (
                "a/flag_on_test.rego",
                "package demo.flag_on_test\ntest_x if true\n",
            ),
            ("lib/util.rego", "package demo.lib\nx := 1\n"),
        ])])
        .unwrap();
        assert_eq!(c.checks().len(), 1);
        assert_eq!(c.checks()[0].module.package, "data.demo.flag_on");
        assert_eq!(c.checks()[0].entry_rule(), "data.demo.flag_on.result");
        assert_eq!(c.libraries().len(), 1);
        assert_eq!(c.tests().len(), 1);
        assert!(c.get("demo.settings.flag_on").is_some());
        assert!(c.apps().contains("demo"));
    }

    #[test]
    fn resource_keys_come_from_needs_and_literals() {
        let rego =
            format!("{REGO}users := input.resources[\"graph:/v1.0/users\"]\nx := \"not a key\"\n");
        let c = Catalog::from_sources(vec![source(&[
            ("flag_on.rego", &rego),
            ("flag_on.yaml", META),
        ])])
        .unwrap();
        let keys: Vec<_> = c.resource_keys().into_iter().collect();
        assert_eq!(keys, vec!["demo:/settings", "graph:/v1.0/users"]);
    }

    #[test]
    fn reports_parse_errors_with_file_and_line() {
        let err = Catalog::from_sources(vec![source(&[
            ("flag_on.rego", "package demo.flag_on\nresult := {\n"),
            ("flag_on.yaml", META),
        ])])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/tmp/p/flag_on.rego"), "{msg}");
        assert!(
            msg.contains(":2") || msg.contains(":3"),
            "line missing: {msg}"
        );
    }

    #[test]
    fn reports_missing_metadata_field() {
        let meta = META.replace("severity: high\n", "");
        let err = Catalog::from_sources(vec![source(&[
            ("flag_on.rego", REGO),
            ("flag_on.yaml", &meta),
        ])])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/tmp/p/flag_on.yaml"), "{msg}");
        assert!(msg.contains("severity"), "{msg}");
    }

    #[test]
    fn rejects_out_of_range_points_and_bad_needs() {
        let meta = META.replace("max_points: 5", "max_points: 11");
        let err = parse_meta("m.yaml", &meta).unwrap_err().to_string();
        assert!(err.contains("max_points"), "{err}");
        let meta = META.replace("demo:/settings", "/settings?x=1");
        let err = parse_meta("m.yaml", &meta).unwrap_err().to_string();
        assert!(err.contains("needs"), "{err}");
    }

    #[test]
    fn rejects_duplicate_ids_within_a_source() {
        let err = Catalog::from_sources(vec![source(&[
            ("a/flag_on.rego", REGO),
            ("a/flag_on.yaml", META),
            (
                "b/flag_on.rego",
                &REGO.replace("demo.flag_on", "demo.other"),
            ),
            ("b/flag_on.yaml", META),
        ])])
        .unwrap_err();
        assert!(matches!(err, CatalogError::DuplicateId { .. }), "{err}");
        assert!(err.to_string().contains("demo.settings.flag_on"));
    }

    #[test]
    fn later_source_overrides_by_id() {
        let first = source(&[("flag_on.rego", REGO), ("flag_on.yaml", META)]);
        let mut second = source(&[
            ("flag_on.rego", REGO),
            ("flag_on.yaml", &META.replace("Flag is on", "Overridden")),
        ]);
        second.origin = Origin::User(PathBuf::from("/tmp/q"));
        let c = Catalog::from_sources(vec![first, second]).unwrap();
        assert_eq!(c.checks().len(), 1);
        assert_eq!(c.checks()[0].meta.title, "Overridden");
    }

    #[test]
    fn rejects_orphan_metadata_and_missing_result_rule() {
        let err = Catalog::from_sources(vec![source(&[("flag_on.yaml", META)])]).unwrap_err();
        assert!(matches!(err, CatalogError::OrphanMetadata { .. }), "{err}");
        let err = Catalog::from_sources(vec![source(&[
            ("flag_on.rego", "package demo.flag_on\nverdict := 1\n"),
            ("flag_on.yaml", META),
        ])])
        .unwrap_err();
        assert!(matches!(err, CatalogError::NoResultRule { .. }), "{err}");
    }
}

//! A Rego unit-test runner: every `test_*` rule of every `*_test.rego` module must
//! evaluate to `true` (regorus has no `opa test`).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use regorus::Value;

use crate::catalog::{Catalog, CatalogError, Module, Origin};

/// How one test ended.
#[derive(Debug, Clone, PartialEq)]
pub enum TestOutcome {
    Passed,
    /// The rule evaluated to something other than `true` (shown).
    Failed(String),
    /// The rule could not be evaluated (the engine's message).
    Errored(String),
}

/// One `test_*` rule.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The test module's file.
    pub file: String,
    /// `data.<package>.<rule>`
    pub rule: String,
    pub outcome: TestOutcome,
    pub duration: Duration,
}

/// All test cases run.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    pub cases: Vec<TestCase>,
}

impl TestReport {
    /// Count of passed cases.
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.outcome == TestOutcome::Passed)
            .count()
    }

    /// Count of failed or errored cases.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// Which test modules to run.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every test module, built-in and user.
    All,
    /// Built-in modules only.
    BuiltIn,
    /// Modules loaded from this user directory.
    Dir(&'a std::path::Path),
}

/// Runs the test modules in scope against the catalog's checks and libraries;
/// `filter` keeps only rules whose full path contains it.
pub fn run(
    catalog: &Catalog,
    scope: Scope<'_>,
    filter: Option<&str>,
) -> Result<TestReport, CatalogError> {
    let mut engine = catalog.engine(true)?;
    let mut report = TestReport::default();
    for module in catalog.tests().iter().filter(|m| in_scope(m, scope)) {
        for name in test_rules(&module.source) {
            let rule = format!("{}.{name}", module.package);
            if filter.is_some_and(|f| !rule.contains(f)) {
                continue;
            }
            let started = Instant::now();
            let outcome = match engine.eval_rule(rule.clone()) {
                Ok(Value::Bool(true)) => TestOutcome::Passed,
                Ok(Value::Undefined) => {
                    TestOutcome::Failed("undefined (a condition did not hold)".into())
                }
                Ok(other) => TestOutcome::Failed(format!("evaluated to {other}, expected true")),
                Err(e) => TestOutcome::Errored(e.to_string()),
            };
            report.cases.push(TestCase {
                file: module.path.clone(),
                rule,
                outcome,
                duration: started.elapsed(),
            });
        }
    }
    Ok(report)
}

fn in_scope(module: &Module, scope: Scope<'_>) -> bool {
    match (scope, &module.origin) {
        (Scope::All, _) => true,
        (Scope::BuiltIn, Origin::BuiltIn) => true,
        (Scope::Dir(dir), Origin::User(d)) => d == dir,
        _ => false,
    }
}

/// Names of the `test_*` rules a module declares (rule heads start a line).
pub fn test_rules(source: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::new();
    for line in source.lines() {
        if !line.starts_with("test_") {
            continue;
        }
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_test_rule_heads_once() {
        let src = "package x_test\n\ntest_a if {\n  true\n}\ntest_b := true\ntest_a if false\n  test_indented if true\nhelper if true\n";
        assert_eq!(test_rules(src), vec!["test_a", "test_b"]);
    }

    /// Every built-in check's Rego tests pass, and every check has tests for the pass,
    /// fail and not-evaluable cases.
    #[test]
    fn builtin_policy_tests_pass_and_cover_every_check() {
        let catalog = Catalog::builtin().unwrap();
        assert!(catalog.checks().len() >= 13, "built-in checks are missing");
        let report = run(&catalog, Scope::BuiltIn, None).unwrap();
        let failures: Vec<_> = report
            .cases
            .iter()
            .filter(|c| c.outcome != TestOutcome::Passed)
            .map(|c| format!("{}: {:?}", c.rule, c.outcome))
            .collect();
        assert!(
            failures.is_empty(),
            "failing Rego tests:\n{}",
            failures.join("\n")
        );
        for check in catalog.checks() {
            let package = format!("{}_test.", check.module.package);
            let names: Vec<&str> = report
                .cases
                .iter()
                .filter_map(|c| c.rule.strip_prefix(&package))
                .collect();
            for (kind, words) in [
                ("pass", &["pass"][..]),
                ("fail", &["fail"][..]),
                (
                    "not-evaluable",
                    &["error", "missing", "not_evaluable", "malformed"][..],
                ),
            ] {
                assert!(
                    names.iter().any(|n| words.iter().any(|w| n.contains(w))),
                    "{} has no {kind} test (a test_* rule in {}_test.rego naming {words:?})",
                    check.meta.id,
                    check.module.path.trim_end_matches(".rego"),
                );
            }
        }
    }
}

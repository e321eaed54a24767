//! SARIF 2.1.0: one run whose driver is sspm.
//!
//! - `tool.driver.rules`: one rule per check id present in the document (every status),
//!   sorted by id; help text from the check's metadata when it is known.
//! - `results`: only actionable outcomes. `fail` → `kind: "fail"` with a level by
//!   severity (critical/high `error`, medium `warning`, low `note`); `error` (not
//!   evaluable) → `kind: "open"` with level `none`, as SARIF §3.27.9 requires for any kind
//!   other than `fail`. `pass`, `manual` and `not_applicable` are not emitted.
//! - Locations are logical: the instance (`app/instance`, kind `resource`), then one
//!   location per offender (kind = offender type), at most [`MAX_OFFENDERS`].
//! - `partialFingerprints["sspm/v1"]` hashes app, instance and check id, so a finding keeps
//!   its identity across runs.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use sspm_model::{
    Assessment, CheckMeta, CheckResult, Reference, ResultsDocument, Severity, Status,
};

use crate::markdown::{link, numbered};
use crate::text::fingerprint;
use crate::{to_json, RenderError, RenderOptions};

/// The schema URI written in `$schema`.
pub(crate) const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Offender locations per result, at most.
pub(crate) const MAX_OFFENDERS: usize = 100;

/// Renders the document as a SARIF log.
pub(crate) fn render(
    doc: &ResultsDocument,
    metas: &BTreeMap<String, CheckMeta>,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    // One rule per check id; the first result seen stands in for missing metadata.
    let mut checks: BTreeMap<&str, &CheckResult> = BTreeMap::new();
    for r in doc.assessments.iter().flat_map(|a| &a.results) {
        checks.entry(r.id.as_str()).or_insert(r);
    }
    let rule_index: BTreeMap<&str, usize> =
        checks.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = checks.values().map(|r| rule(r, metas.get(&r.id))).collect();

    let mut results = Vec::new();
    for a in &doc.assessments {
        for r in &a.results {
            if let Some(index) = rule_index.get(r.id.as_str()) {
                if let Some(result) = result(a, r, *index) {
                    results.push(result);
                }
            }
        }
    }

    let mut driver = Map::new();
    driver.insert("name".into(), json!("sspm"));
    driver.insert("version".into(), json!(opts.tool_version));
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver.insert("informationUri".into(), json!(repository));
    }
    driver.insert("rules".into(), Value::Array(rules));

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "results": results,
            "properties": {
                "score": doc.score,
                "assessments": doc.assessments.iter().map(|a| json!({
                    "app": a.app,
                    "instance": a.instance,
                    "tenant": a.tenant,
                    "assessedAt": a.assessed_at,
                    "score": a.score,
                })).collect::<Vec<_>>(),
            },
        }],
    });
    to_json(&log, "SARIF log")
}

/// `m365.entra.legacy_auth_blocked` → `M365EntraLegacyAuthBlocked`.
pub(crate) fn camel_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The SARIF level of a failing check of `severity`.
pub(crate) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity`: a CVSS-like score as a string.
pub(crate) fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn rule(r: &CheckResult, meta: Option<&CheckMeta>) -> Value {
    let severity = meta.map_or(r.severity, |m| m.severity);
    let benchmarks = meta.map_or(&r.benchmarks, |m| &m.benchmarks);
    let mut tags = vec!["security".to_string(), severity.as_str().to_string()];
    tags.extend(
        benchmarks
            .iter()
            .map(|b| format!("{}/{}", b.framework, b.id)),
    );

    let mut rule = Map::new();
    rule.insert("id".into(), json!(r.id));
    rule.insert("name".into(), json!(camel_case(&r.id)));
    rule.insert(
        "shortDescription".into(),
        json!({ "text": meta.map_or(&r.title, |m| &m.title) }),
    );
    if let Some(meta) = meta {
        rule.insert(
            "fullDescription".into(),
            json!({ "text": meta.description.trim() }),
        );
        rule.insert(
            "help".into(),
            json!({ "text": help_text(meta), "markdown": help_markdown(meta) }),
        );
        if let Some(reference) = meta.references.first() {
            rule.insert("helpUri".into(), json!(reference.url));
        }
    }
    rule.insert(
        "defaultConfiguration".into(),
        json!({ "level": level(severity) }),
    );
    rule.insert(
        "properties".into(),
        json!({
            "tags": tags,
            "severity": severity.as_str(),
            "security-severity": security_severity(severity),
            "maxPoints": meta.map_or(r.max_points, |m| m.max_points),
        }),
    );
    Value::Object(rule)
}

fn help_text(meta: &CheckMeta) -> String {
    help(
        meta,
        meta.rationale.trim().to_string(),
        ["\n\nHow to fix:\n", "\nReferences:\n"],
        |r| format!("- {}: {}\n", r.title, r.url),
    )
}

fn help_markdown(meta: &CheckMeta) -> String {
    help(
        meta,
        format!("**Why it matters**\n\n{}\n", meta.rationale.trim()),
        ["\n**How to fix**\n\n", "\n**References**\n\n"],
        |r| format!("- {}\n", link(&r.title, &r.url)),
    )
}

/// A rule's help: `intro`, then the numbered implementation steps and one line per
/// reference, each under its heading (`[steps, references]`) when there are any.
fn help(
    meta: &CheckMeta,
    intro: String,
    headings: [&str; 2],
    reference: impl Fn(&Reference) -> String,
) -> String {
    let mut out = intro;
    if !meta.implementation.is_empty() {
        out.push_str(headings[0]);
        out.push_str(&numbered(&meta.implementation));
    }
    if !meta.references.is_empty() {
        out.push_str(headings[1]);
        out.extend(meta.references.iter().map(reference));
    }
    out.trim_end().to_string()
}

fn result(a: &Assessment, r: &CheckResult, rule_index: usize) -> Option<Value> {
    let (kind, level) = match r.status {
        Status::Fail => ("fail", level(r.severity)),
        Status::Error => ("open", "none"),
        Status::Pass | Status::Manual | Status::NotApplicable => return None,
    };
    let instance = format!("{}/{}", a.app, a.instance);
    let mut locations = vec![json!({
        "logicalLocations": [{
            "name": a.instance,
            "fullyQualifiedName": instance,
            "kind": "resource",
        }],
    })];
    locations.extend(r.offenders.iter().take(MAX_OFFENDERS).map(|o| {
        json!({
            "logicalLocations": [{
                "name": o.name,
                "fullyQualifiedName": format!("{instance}/{}/{}", o.kind, o.id),
                "kind": o.kind,
            }],
        })
    }));
    let mut properties = Map::new();
    properties.insert("app".into(), json!(a.app));
    properties.insert("instance".into(), json!(a.instance));
    properties.insert("tenant".into(), json!(a.tenant));
    properties.insert("status".into(), json!(r.status));
    properties.insert("severity".into(), json!(r.severity));
    properties.insert("rank".into(), json!(r.rank));
    properties.insert("points".into(), json!(r.points));
    properties.insert("maxPoints".into(), json!(r.max_points));
    if let (Some(c), Some(t)) = (r.compliant, r.total) {
        properties.insert("compliant".into(), json!(c));
        properties.insert("total".into(), json!(t));
    }
    properties.insert("offenders".into(), json!(r.offenders.len()));
    Some(json!({
        "ruleId": r.id,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": r.reason },
        "locations": locations,
        "partialFingerprints": {
            "sspm/v1": fingerprint(&[&a.app, &a.instance, &r.id]),
        },
        "properties": properties,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(
            camel_case("m365.entra.legacy_auth_blocked"),
            "M365EntraLegacyAuthBlocked"
        );
        assert_eq!(camel_case("github.org-2fa"), "GithubOrg2fa");
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(security_severity(Severity::High), "8.0");
    }
}

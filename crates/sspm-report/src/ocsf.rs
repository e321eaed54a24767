//! OCSF 1.3.0 Detection Findings (class 2004), one per `fail` or `error` result, as one
//! pretty-printed JSON array (`[]` when there is nothing to report).
//!
//! - Every finding is activity 1 `Create` (`type_uid` 200401) with status 1 `New`; `time`
//!   and `finding_info.created_time` are the assessment time in epoch milliseconds.
//! - `fail`: severity from the check (critical 5 … low 2), confidence 3 `High` (the
//!   configuration was read). `error` (not evaluable): severity 1 `Informational`,
//!   `status_code` `not_evaluable` and the reason in `status_detail`; the check's own
//!   severity stays in `unmapped.check_severity`. A SIEM must not page on a missing
//!   permission as if it were a breach.
//! - `remediation` (for `fail` only): the check's implementation steps as a numbered
//!   Markdown list in `desc`, its reference URLs in `references`.
//! - `finding_info.uid` is `app/instance/check id`: the same finding in every run.
//!   `metadata.uid` is a hash of that and the assessment time: one id per event.
//! - `resources`: one per offender (at most [`MAX_RESOURCES`]); otherwise the instance.
//! - The `cloud` profile is applied: `cloud.provider` is the SaaS vendor and
//!   `cloud.account` the tenant (uid) and instance (name).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use sspm_model::{Assessment, CheckMeta, CheckResult, ResultsDocument, Severity, Status};

use crate::text::{benchmark_labels, fingerprint};
use crate::{to_json, RenderError, RenderOptions};

/// The OCSF schema version the findings follow.
pub(crate) const OCSF_VERSION: &str = "1.3.0";
/// Detection Finding.
pub(crate) const CLASS_UID: u32 = 2004;
/// Findings.
pub(crate) const CATEGORY_UID: u32 = 2;
/// Create.
pub(crate) const ACTIVITY_ID: u32 = 1;
/// Affected resources per finding, at most.
pub(crate) const MAX_RESOURCES: usize = 100;

/// Renders the findings of every assessment.
pub(crate) fn render(
    doc: &ResultsDocument,
    metas: &BTreeMap<String, CheckMeta>,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let mut findings = Vec::new();
    for a in &doc.assessments {
        let relevant: Vec<&CheckResult> = a
            .results
            .iter()
            .filter(|r| matches!(r.status, Status::Fail | Status::Error))
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let time = epoch_millis(a)?;
        for r in relevant {
            findings.push(finding(a, r, metas.get(&r.id), time, opts));
        }
    }
    to_json(&findings, "OCSF findings")
}

/// The assessment time in milliseconds since the Unix epoch.
fn epoch_millis(a: &Assessment) -> Result<i64, RenderError> {
    chrono::DateTime::parse_from_rfc3339(&a.assessed_at)
        .map(|t| t.timestamp_millis())
        .map_err(|_| RenderError::InvalidTime {
            app: a.app.clone(),
            instance: a.instance.clone(),
            field: "assessed_at",
            value: a.assessed_at.clone(),
        })
}

/// OCSF `severity_id` and its caption.
pub(crate) fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// The vendor behind an app, for `cloud.provider`.
pub(crate) fn provider(app: &str) -> String {
    match app {
        "m365" | "entra" | "azure" => "Microsoft".to_string(),
        "github" => "GitHub".to_string(),
        "okta" => "Okta".to_string(),
        "salesforce" => "Salesforce".to_string(),
        "gws" | "google" | "google-workspace" | "googleworkspace" => "Google".to_string(),
        "slack" => "Slack".to_string(),
        "servicenow" => "ServiceNow".to_string(),
        "atlassian" | "jira" | "confluence" => "Atlassian".to_string(),
        "zoom" => "Zoom".to_string(),
        other => other.to_string(),
    }
}

fn finding(
    a: &Assessment,
    r: &CheckResult,
    meta: Option<&CheckMeta>,
    time: i64,
    opts: &RenderOptions,
) -> Value {
    let finding_uid = format!("{}/{}/{}", a.app, a.instance, r.id);
    let (severity_id, severity_name) = match r.status {
        Status::Fail => severity(r.severity),
        _ => (1, "Informational"),
    };

    let mut event = Map::new();
    event.insert("activity_id".into(), json!(ACTIVITY_ID));
    event.insert("activity_name".into(), json!("Create"));
    event.insert("category_uid".into(), json!(CATEGORY_UID));
    event.insert("category_name".into(), json!("Findings"));
    event.insert("class_uid".into(), json!(CLASS_UID));
    event.insert("class_name".into(), json!("Detection Finding"));
    event.insert("type_uid".into(), json!(CLASS_UID * 100 + ACTIVITY_ID));
    event.insert("type_name".into(), json!("Detection Finding: Create"));
    event.insert("severity_id".into(), json!(severity_id));
    event.insert("severity".into(), json!(severity_name));
    event.insert("status_id".into(), json!(1));
    event.insert("status".into(), json!("New"));
    event.insert("time".into(), json!(time));
    event.insert("message".into(), json!(r.reason));
    if r.status == Status::Fail {
        event.insert("confidence_id".into(), json!(3));
        event.insert("confidence".into(), json!("High"));
    } else {
        event.insert("status_code".into(), json!("not_evaluable"));
        let detail = if r.reason.to_ascii_lowercase().starts_with("not evaluable") {
            r.reason.clone()
        } else {
            format!("not evaluable: {}", r.reason)
        };
        event.insert("status_detail".into(), json!(detail));
    }
    event.insert(
        "metadata".into(),
        json!({
            "version": OCSF_VERSION,
            "uid": fingerprint(&[&a.app, &a.instance, &r.id, &a.assessed_at]),
            "product": {
                "name": "sspm",
                "vendor_name": "sspm",
                "version": opts.tool_version,
            },
            "profiles": ["cloud"],
            "labels": [format!("app:{}", a.app), format!("status:{}", r.status)],
        }),
    );
    event.insert(
        "finding_info".into(),
        json!({
            "uid": finding_uid,
            "title": r.title,
            "desc": r.reason,
            "types": ["SaaS Security Posture"],
            "analytic": {
                "uid": r.id,
                "name": r.title,
                "type_id": 1,
                "type": "Rule",
            },
            "created_time": time,
        }),
    );
    event.insert("resources".into(), Value::Array(resources(a, r)));
    event.insert(
        "cloud".into(),
        json!({
            "provider": provider(&a.app),
            "account": { "uid": a.tenant, "name": a.instance },
        }),
    );
    // An unevaluable check is fixed by granting access, not by the check's remediation.
    if let Some(remediation) = meta
        .filter(|_| r.status == Status::Fail)
        .and_then(remediation)
    {
        event.insert("remediation".into(), remediation);
    }
    let mut unmapped = Map::new();
    unmapped.insert("sspm_status".into(), json!(r.status));
    unmapped.insert("check_severity".into(), json!(r.severity));
    unmapped.insert("points".into(), json!(r.points));
    unmapped.insert("max_points".into(), json!(r.max_points));
    unmapped.insert("rank".into(), json!(r.rank));
    if let (Some(c), Some(t)) = (r.compliant, r.total) {
        unmapped.insert("compliant".into(), json!(c));
        unmapped.insert("total".into(), json!(t));
    }
    unmapped.insert("offenders_total".into(), json!(r.offenders.len()));
    unmapped.insert("benchmarks".into(), json!(benchmark_labels(&r.benchmarks)));
    unmapped.insert("initiatives".into(), json!(r.initiatives));
    event.insert("unmapped".into(), Value::Object(unmapped));
    Value::Object(event)
}

fn resources(a: &Assessment, r: &CheckResult) -> Vec<Value> {
    if r.offenders.is_empty() {
        return vec![json!({
            "type": "tenant",
            "uid": a.tenant,
            "name": a.instance,
            "labels": [format!("app:{}", a.app)],
        })];
    }
    r.offenders
        .iter()
        .take(MAX_RESOURCES)
        .map(|o| json!({ "type": o.kind, "uid": o.id, "name": o.name }))
        .collect()
}

fn remediation(meta: &CheckMeta) -> Option<Value> {
    if meta.implementation.is_empty() {
        return None;
    }
    let desc = crate::markdown::numbered(&meta.implementation);
    let references: Vec<&str> = meta.references.iter().map(|r| r.url.as_str()).collect();
    let mut remediation = Map::new();
    remediation.insert("desc".into(), json!(desc.trim_end()));
    if !references.is_empty() {
        remediation.insert("references".into(), json!(references));
    }
    Some(Value::Object(remediation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_map_to_ocsf_ids() {
        assert_eq!(severity(Severity::Low), (2, "Low"));
        assert_eq!(severity(Severity::Critical), (5, "Critical"));
    }

    #[test]
    fn providers_are_vendors() {
        assert_eq!(provider("m365"), "Microsoft");
        assert_eq!(provider("github"), "GitHub");
        assert_eq!(provider("acme"), "acme");
    }
}

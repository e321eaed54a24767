//! Drift between two assessments of one instance: which recommendations changed status or
//! points, the score delta, and — for each changed recommendation — what changed in the
//! configuration it reads (a JSON diff of those snapshot keys, with paths).
//!
//! Paths are JSON Pointers (RFC 6901) inside one snapshot key, except that an element of a
//! list of objects with an identity (`id`, `Identity`, `Guid`) is named `[id=…]` rather
//! than by its position, so that a policy moving in a list is not a change and a change
//! names the object. Each change also carries the object's display name when it has one.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;
use sspm_model::{CheckResult, Score, Severity, Snapshot, Status};

use crate::Catalog;

/// Value changes kept per snapshot key; the rest are counted in `omitted`.
pub const MAX_CHANGES_PER_KEY: usize = 50;

/// One side of a comparison: a scan's results, score and (when stored) snapshot.
#[derive(Debug, Clone)]
pub struct DriftSide<'a> {
    /// What the side is, e.g. `scan 41 (2026-11-26T03:00:00Z)`.
    pub label: String,
    /// The score of that side.
    pub score: Score,
    /// Its results.
    pub results: &'a [CheckResult],
    /// Its snapshot, for the configuration diff (none: no configuration diff).
    pub snapshot: Option<&'a Snapshot>,
}

/// What changed between two assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Drift {
    /// The earlier side's label.
    pub from: String,
    /// The later side's label.
    pub to: String,
    /// The earlier score.
    pub score_from: Score,
    /// The later score.
    pub score_to: Score,
    /// Achieved points, later minus earlier.
    pub points_delta: f64,
    /// Percentage points, later minus earlier (`null` when either has nothing possible).
    pub percent_delta: Option<f64>,
    /// Changed recommendations: became failing first, then not evaluable, then passing,
    /// then the rest; by severity within each.
    pub changes: Vec<RecommendationChange>,
}

/// How a recommendation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Now `fail`, before anything else.
    BecameFailing,
    /// Now `error` (not evaluable), before anything else.
    BecameNotEvaluable,
    /// Same status, fewer points (e.g. fewer users with MFA).
    Worse,
    /// Now `pass`, before anything else.
    BecamePassing,
    /// Same status, more points.
    Better,
    /// Another status change (to `manual` or `not_applicable`).
    StatusChanged,
    /// Only in the later assessment (a new check).
    Added,
    /// Only in the earlier assessment (a check removed).
    Removed,
}

impl ChangeKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BecameFailing => "became_failing",
            Self::BecameNotEvaluable => "became_not_evaluable",
            Self::Worse => "worse",
            Self::BecamePassing => "became_passing",
            Self::Better => "better",
            Self::StatusChanged => "status_changed",
            Self::Added => "added",
            Self::Removed => "removed",
        }
    }
}

/// One recommendation that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendationChange {
    /// The check id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its severity.
    pub severity: Severity,
    /// How it changed.
    pub kind: ChangeKind,
    /// Status before (`null` when added).
    pub status_from: Option<Status>,
    /// Status after (`null` when removed).
    pub status_to: Option<Status>,
    /// Points before.
    pub points_from: f64,
    /// Points after.
    pub points_to: f64,
    /// The later reason (the earlier one when removed).
    pub reason: String,
    /// What changed in the snapshot keys the check reads.
    pub config: Vec<KeyDiff>,
}

/// Changes inside one snapshot key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyDiff {
    /// The snapshot key, e.g. `graph:/v1.0/identity/conditionalAccess/policies`.
    pub key: String,
    /// The changes, at most [`MAX_CHANGES_PER_KEY`].
    pub changes: Vec<ValueChange>,
    /// Changes left out beyond the limit.
    pub omitted: usize,
}

/// One changed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueChange {
    /// Where, inside the key's value: `[id=…]/state`, `/isEnabled` …; empty for the
    /// whole value.
    pub path: String,
    /// The display name of the object the change is in, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The value before (`null` when added).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub from: Option<Value>,
    /// The value after (`null` when removed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub to: Option<Value>,
}

/// Compares two assessments of one instance.
pub fn drift(catalog: &Catalog, from: &DriftSide<'_>, to: &DriftSide<'_>) -> Drift {
    let before: BTreeMap<&str, &CheckResult> =
        from.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let after: BTreeMap<&str, &CheckResult> =
        to.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let ids: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    // Checks share keys (13 read the conditional access policies): diff each key once.
    let mut diffs: BTreeMap<String, Option<KeyDiff>> = BTreeMap::new();
    let mut changes = Vec::new();
    for id in ids {
        let (b, a) = (before.get(id).copied(), after.get(id).copied());
        let Some(kind) = classify(b, a) else {
            continue;
        };
        let Some(shown) = a.or(b) else {
            continue;
        };
        let config = match (from.snapshot, to.snapshot, catalog.get(id)) {
            (Some(fs), Some(ts), Some(check)) => check
                .keys_read()
                .into_iter()
                .filter_map(|key| {
                    diffs
                        .entry(key)
                        .or_insert_with_key(|key| key_diff(key, fs, ts))
                        .clone()
                })
                .collect(),
            _ => Vec::new(),
        };
        changes.push(RecommendationChange {
            id: id.to_string(),
            title: shown.title.clone(),
            severity: shown.severity,
            kind,
            status_from: b.map(|r| r.status),
            status_to: a.map(|r| r.status),
            points_from: b.map_or(0.0, |r| r.points),
            points_to: a.map_or(0.0, |r| r.points),
            reason: shown.reason.clone(),
            config,
        });
    }
    changes.sort_by(|x, y| {
        x.kind
            .cmp(&y.kind)
            .then(y.severity.cmp(&x.severity))
            .then(x.id.cmp(&y.id))
    });
    Drift {
        from: from.label.clone(),
        to: to.label.clone(),
        score_from: from.score,
        score_to: to.score,
        points_delta: sspm_model::score::round2(to.score.achieved - from.score.achieved),
        percent_delta: match (from.score.percent, to.score.percent) {
            (Some(f), Some(t)) => Some(sspm_model::score::round2(t - f)),
            _ => None,
        },
        changes,
    }
}

/// How a recommendation changed, or `None` when it did not.
fn classify(before: Option<&CheckResult>, after: Option<&CheckResult>) -> Option<ChangeKind> {
    let (b, a) = match (before, after) {
        (None, None) => return None,
        (None, Some(_)) => return Some(ChangeKind::Added),
        (Some(_), None) => return Some(ChangeKind::Removed),
        (Some(b), Some(a)) => (b, a),
    };
    if a.status != b.status {
        return Some(match a.status {
            Status::Fail => ChangeKind::BecameFailing,
            Status::Error => ChangeKind::BecameNotEvaluable,
            Status::Pass => ChangeKind::BecamePassing,
            Status::Manual | Status::NotApplicable => ChangeKind::StatusChanged,
        });
    }
    if (a.points - b.points).abs() > 1e-9 {
        return Some(if a.points < b.points {
            ChangeKind::Worse
        } else {
            ChangeKind::Better
        });
    }
    None
}

/// The diff of one snapshot key, or `None` when it is the same on both sides.
fn key_diff(key: &str, from: &Snapshot, to: &Snapshot) -> Option<KeyDiff> {
    let (a, b) = (from.resources.get(key), to.resources.get(key));
    let mut out = Changes::default();
    match (a, b) {
        (Some(a), Some(b)) => diff_values("", None, a, b, &mut out),
        _ => {
            // Absent, or a call that could not be read on one side.
            let state = |s: &Snapshot, v: Option<&Value>| -> Option<Value> {
                match (v, s.failures.get(key)) {
                    (Some(v), _) => Some(v.clone()),
                    (None, Some(f)) => Some(serde_json::json!({
                        "(not read)": format!("HTTP {}: {}", f.status, f.message)
                    })),
                    (None, None) => None,
                }
            };
            let (a, b) = (state(from, a), state(to, b));
            match (&a, &b) {
                _ if a == b => {}
                (Some(x), Some(y)) => diff_values("", None, x, y, &mut out),
                _ => out.push(String::new(), None, a, b),
            }
        }
    }
    (out.total > 0).then(|| KeyDiff {
        key: key.to_string(),
        omitted: out.total - out.kept.len(),
        changes: out.kept,
    })
}

#[derive(Default)]
struct Changes {
    kept: Vec<ValueChange>,
    total: usize,
}

impl Changes {
    fn push(&mut self, path: String, object: Option<&str>, from: Option<Value>, to: Option<Value>) {
        self.total += 1;
        if self.kept.len() < MAX_CHANGES_PER_KEY {
            self.kept.push(ValueChange {
                path,
                object: object.map(str::to_string),
                from,
                to,
            });
        }
    }
}

/// RFC 6901 escaping of one path segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The identity field shared by every element of two lists of objects.
fn identity_field(x: &[Value], y: &[Value]) -> Option<&'static str> {
    ["id", "Identity", "Guid"].into_iter().find(|field| {
        x.iter()
            .chain(y)
            .all(|item| matches!(item.get(field), Some(Value::String(_))))
    })
}

/// A human name of an object, when it has one.
fn display_name(value: &Value) -> Option<&str> {
    ["displayName", "userPrincipalName", "Name", "name"]
        .into_iter()
        .find_map(|f| value.get(f).and_then(Value::as_str))
}

fn diff_values(path: &str, object: Option<&str>, a: &Value, b: &Value, out: &mut Changes) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let object = display_name(b).or(object);
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{path}/{}", escape(k));
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => diff_values(&p, object, va, vb, out),
                    (va, vb) => out.push(p, object, va.cloned(), vb.cloned()),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => diff_arrays(path, object, x, y, out),
        _ => out.push(path.to_string(), object, Some(a.clone()), Some(b.clone())),
    }
}

fn diff_arrays(path: &str, object: Option<&str>, x: &[Value], y: &[Value], out: &mut Changes) {
    if let Some(field) = identity_field(x, y) {
        let id = |v: &Value| {
            v.get(field)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let before: BTreeMap<String, &Value> = x.iter().map(|v| (id(v), v)).collect();
        let after: BTreeMap<String, &Value> = y.iter().map(|v| (id(v), v)).collect();
        let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in ids {
            let p = format!("{path}[{field}={key}]");
            match (before.get(key), after.get(key)) {
                (Some(a), Some(b)) => diff_values(&p, object, a, b, out),
                (a, b) => {
                    let name = b.or(a).and_then(|v| display_name(v));
                    out.push(
                        p,
                        name.or(object),
                        a.map(|v| (*v).clone()),
                        b.map(|v| (*v).clone()),
                    );
                }
            }
        }
        return;
    }
    if x.iter().chain(y).all(|v| !v.is_object() && !v.is_array()) {
        // A set of scalars (scopes, excluded ids …): what was removed, what was added.
        let removed: Vec<Value> = x.iter().filter(|v| !y.contains(v)).cloned().collect();
        let added: Vec<Value> = y.iter().filter(|v| !x.contains(v)).cloned().collect();
        if removed.is_empty() && added.is_empty() {
            // Same elements, another order: not a configuration change.
            return;
        }
        out.push(
            path.to_string(),
            object,
            (!removed.is_empty()).then_some(Value::Array(removed)),
            (!added.is_empty()).then_some(Value::Array(added)),
        );
        return;
    }
    for i in 0..x.len().max(y.len()) {
        let p = format!("{path}/{i}");
        match (x.get(i), y.get(i)) {
            (Some(a), Some(b)) => diff_values(&p, object, a, b, out),
            (a, b) => out.push(p, object, a.cloned(), b.cloned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot(resources: &[(&str, Value)]) -> Snapshot {
        let mut s = Snapshot::new("m365", "i", "t", "2026-11-27T00:00:00Z");
        for (k, v) in resources {
            s.resources.insert(k.to_string(), v.clone());
        }
        s
    }

    /// A change as (path, object, from, to).
    type Row = (String, Option<String>, Option<Value>, Option<Value>);

    fn changes(a: &Value, b: &Value) -> Vec<Row> {
        let mut out = Changes::default();
        diff_values("", None, a, b, &mut out);
        out.kept
            .into_iter()
            .map(|c| (c.path, c.object, c.from, c.to))
            .collect()
    }

    #[test]
    fn lists_of_objects_are_matched_by_id_and_changes_name_the_object() {
        let a = json!([
            {"id": "p1", "displayName": "Block legacy auth", "state": "enabled"},
            {"id": "p2", "displayName": "MFA", "state": "enabled"}
        ]);
        let b = json!([
            {"id": "p2", "displayName": "MFA", "state": "enabled"},
            {"id": "p1", "displayName": "Block legacy auth", "state": "disabled"},
            {"id": "p3", "displayName": "New", "state": "enabled"}
        ]);
        let c = changes(&a, &b);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].0, "[id=p1]/state");
        assert_eq!(c[0].1.as_deref(), Some("Block legacy auth"));
        assert_eq!(c[0].2, Some(json!("enabled")));
        assert_eq!(c[0].3, Some(json!("disabled")));
        assert_eq!(c[1].0, "[id=p3]");
        assert_eq!(c[1].1.as_deref(), Some("New"));
        assert_eq!(c[1].2, None);
    }

    #[test]
    fn scalar_lists_report_removed_and_added_elements_and_ignore_order() {
        let a = json!({"conditions": {"users": {"excludeUsers": ["u1", "u2"]}}});
        let b = json!({"conditions": {"users": {"excludeUsers": ["u2", "u3"]}}});
        assert_eq!(
            changes(&a, &b),
            vec![(
                "/conditions/users/excludeUsers".to_string(),
                None,
                Some(json!(["u1"])),
                Some(json!(["u3"]))
            )]
        );
        let reordered = json!({"conditions": {"users": {"excludeUsers": ["u2", "u1"]}}});
        assert!(changes(&a, &reordered).is_empty());
    }

    #[test]
    fn keys_are_escaped_as_json_pointer_segments() {
        let c = changes(&json!({"a/b": 1, "c~d": 1}), &json!({"a/b": 2}));
        assert_eq!(c[0].0, "/a~1b");
        assert_eq!(c[1].0, "/c~0d");
        assert_eq!(c[1].3, None);
    }

    #[test]
    fn a_key_that_could_not_be_read_is_shown_as_such() {
        let from = snapshot(&[("graph:/x", json!({"a": 1}))]);
        let mut to = snapshot(&[]);
        to.failures.insert(
            "graph:/x".into(),
            sspm_model::Failure {
                status: 403,
                code: None,
                message: "denied".into(),
                needs: None,
            },
        );
        let d = key_diff("graph:/x", &from, &to).unwrap();
        assert_eq!(d.changes[0].path, "/(not read)");
        assert_eq!(d.changes[0].to, Some(json!("HTTP 403: denied")));
        assert!(key_diff("graph:/x", &from, &from).is_none());
    }

    #[test]
    fn classifies_status_and_point_changes() {
        let r = |status: Status, points: f64| CheckResult {
            id: "c".into(),
            title: "c".into(),
            severity: Severity::High,
            status,
            points,
            max_points: 10.0,
            compliant: None,
            total: None,
            offenders: vec![],
            reason: String::new(),
            benchmarks: vec![],
            initiatives: vec![],
            scoring: sspm_model::Scoring::Proportional,
            user_impact: sspm_model::Effort::Low,
            implementation_cost: sspm_model::Effort::Low,
            rank: 1,
            state: None,
        };
        let k = |a: &CheckResult, b: &CheckResult| classify(Some(a), Some(b));
        assert_eq!(
            k(&r(Status::Pass, 10.0), &r(Status::Fail, 5.0)),
            Some(ChangeKind::BecameFailing)
        );
        assert_eq!(
            k(&r(Status::Fail, 5.0), &r(Status::Pass, 10.0)),
            Some(ChangeKind::BecamePassing)
        );
        assert_eq!(
            k(&r(Status::Pass, 10.0), &r(Status::Error, 0.0)),
            Some(ChangeKind::BecameNotEvaluable)
        );
        assert_eq!(
            k(&r(Status::Fail, 5.0), &r(Status::Fail, 4.0)),
            Some(ChangeKind::Worse)
        );
        assert_eq!(
            k(&r(Status::Fail, 4.0), &r(Status::Fail, 5.0)),
            Some(ChangeKind::Better)
        );
        assert_eq!(
            k(&r(Status::Pass, 10.0), &r(Status::NotApplicable, 0.0)),
            Some(ChangeKind::StatusChanged)
        );
        assert_eq!(k(&r(Status::Fail, 5.0), &r(Status::Fail, 5.0)), None);
        assert_eq!(
            classify(None, Some(&r(Status::Pass, 1.0))),
            Some(ChangeKind::Added)
        );
        assert_eq!(
            classify(Some(&r(Status::Pass, 1.0)), None),
            Some(ChangeKind::Removed)
        );
    }

    #[test]
    fn long_diffs_are_cut_with_a_count() {
        let a = Value::Array(
            (0..120)
                .map(|i| json!({"id": format!("u{i}"), "on": true}))
                .collect(),
        );
        let b = Value::Array(
            (0..120)
                .map(|i| json!({"id": format!("u{i}"), "on": false}))
                .collect(),
        );
        let d = key_diff(
            "graph:/users",
            &snapshot(&[("graph:/users", a)]),
            &snapshot(&[("graph:/users", b)]),
        )
        .unwrap();
        assert_eq!(d.changes.len(), MAX_CHANGES_PER_KEY);
        assert_eq!(d.omitted, 120 - MAX_CHANGES_PER_KEY);
    }
}

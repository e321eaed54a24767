//! Evaluating checks over a snapshot.
//!
//! One regorus engine is built with every library and check module; for each snapshot it
//! gets the parsed snapshot as `input` once and each check's `result` rule is evaluated
//! under a per-check time limit. A check that is not evaluable (its inputs are missing or
//! failed to collect), throws, times out or returns a malformed object gets `error` with
//! the reason; the other checks still run.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use regorus::Value;
use sspm_model::{Assessment, CheckResult, Offender, ResultsDocument, Status, RESULTS_FORMAT};

use crate::catalog::{Catalog, CatalogError, Check};
use crate::initiatives::Initiatives;
use crate::scoring;
use crate::snapshot::{type_name, LoadedSnapshot};

/// A trivial module evaluated once so that the engine is prepared before it is cloned.
const WARMUP: (&str, &str) = ("<engine>", "package sspm_engine_warmup\nready := true\n");

/// How the engine runs.
#[derive(Debug, Clone)]
pub struct AssessOptions {
    /// Wall-clock limit for one check's evaluation.
    pub check_timeout: Duration,
    /// Worker threads evaluating checks in parallel (at least 1).
    pub threads: usize,
    /// The assessment time to stamp (RFC 3339); now when `None`.
    pub assessed_at: Option<String>,
}

impl Default for AssessOptions {
    fn default() -> Self {
        Self {
            check_timeout: Duration::from_secs(10),
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            assessed_at: None,
        }
    }
}

/// Why an assessment could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    #[error("snapshot {source_name}: unknown app `{app}`; this sspm has checks for: {known}")]
    UnknownApp {
        source_name: String,
        app: String,
        known: String,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// What one check's evaluation produced, before metadata and points are added.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub reason: String,
    pub offenders: Vec<Offender>,
    pub compliant: Option<u64>,
    pub total: Option<u64>,
}

impl Outcome {
    /// A not-evaluable outcome.
    pub fn error(reason: String) -> Self {
        Self {
            status: Status::Error,
            reason,
            offenders: Vec::new(),
            compliant: None,
            total: None,
        }
    }
}

/// How long one check took.
#[derive(Debug, Clone)]
pub struct CheckTiming {
    pub id: String,
    pub duration: Duration,
}

/// Evaluates the catalog's checks over snapshots.
pub struct Evaluator<'c> {
    catalog: &'c Catalog,
    engine: regorus::Engine,
    options: AssessOptions,
}

impl<'c> Evaluator<'c> {
    /// Builds the engine once for every snapshot to come.
    pub fn new(catalog: &'c Catalog, options: AssessOptions) -> Result<Self, CatalogError> {
        let mut engine = catalog.engine(false)?;
        // Analyse the modules once here, not in every worker's clone of the engine.
        engine
            .add_policy(WARMUP.0.into(), WARMUP.1.into())
            .map_err(|e| CatalogError::Rego {
                path: WARMUP.0.into(),
                message: e.to_string(),
            })?;
        if let Err(e) = engine.eval_rule("data.sspm_engine_warmup.ready".into()) {
            tracing::debug!(error = %e, "engine warm-up failed");
        }
        let interval = NonZeroU32::new(256).unwrap_or(NonZeroU32::MIN);
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: options.check_timeout,
            check_interval: interval,
        });
        Ok(Self {
            catalog,
            engine,
            options,
        })
    }

    /// Assesses one snapshot: one result per check of its app, ranked.
    pub fn assess(&self, snapshot: &LoadedSnapshot) -> Result<Assessment, AssessError> {
        self.assess_timed(snapshot).map(|(a, _)| a)
    }

    /// Like [`Evaluator::assess`], also returning each check's evaluation time.
    pub fn assess_timed(
        &self,
        snapshot: &LoadedSnapshot,
    ) -> Result<(Assessment, Vec<CheckTiming>), AssessError> {
        let checks: Vec<&Check> = self.catalog.checks_for_app(&snapshot.app).collect();
        if checks.is_empty() {
            return Err(AssessError::UnknownApp {
                source_name: snapshot.source.clone(),
                app: snapshot.app.clone(),
                known: self
                    .catalog
                    .apps()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let outcomes = self.evaluate_all(&checks, snapshot);
        let mut timings = Vec::with_capacity(checks.len());
        let mut results: Vec<CheckResult> = Vec::with_capacity(checks.len());
        for (check, (outcome, duration)) in checks.iter().zip(outcomes) {
            timings.push(CheckTiming {
                id: check.meta.id.clone(),
                duration,
            });
            results.push(scoring::to_result(&check.meta, outcome));
        }
        scoring::rank(&mut results);
        let assessed_at = self.options.assessed_at.clone().unwrap_or_else(|| {
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        });
        let score = scoring::score_of(&results);
        Ok((
            Assessment {
                app: snapshot.app.clone(),
                instance: snapshot.instance.clone(),
                tenant: snapshot.tenant.clone(),
                collected_at: snapshot.collected_at.clone(),
                assessed_at,
                score,
                planned_score: None,
                results,
            },
            timings,
        ))
    }

    /// Evaluates the checks on up to `threads` workers; outcomes come back in `checks` order.
    fn evaluate_all(
        &self,
        checks: &[&Check],
        snapshot: &LoadedSnapshot,
    ) -> Vec<(Outcome, Duration)> {
        let timeout = self.options.check_timeout;
        // Longest first: checks that read the largest lists start first, so that one big
        // check does not run alone at the end while the other workers idle.
        let mut order: Vec<usize> = (0..checks.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(input_weight(checks[i], snapshot)));
        let init = || {
            let mut engine = self.engine.clone();
            engine.set_input(snapshot.value.clone());
            engine
        };
        let outputs = crate::parallel::map(&order, self.options.threads, init, |engine, &i| {
            let started = Instant::now();
            let outcome = evaluate_check(engine, checks[i], snapshot, timeout);
            let elapsed = started.elapsed();
            tracing::debug!(check = %checks[i].meta.id, ms = elapsed.as_secs_f64() * 1e3, "check evaluated");
            (outcome, elapsed)
        });
        let mut slots: Vec<Option<(Outcome, Duration)>> = checks.iter().map(|_| None).collect();
        for (&i, output) in order.iter().zip(outputs) {
            slots[i] = output;
        }
        slots
            .into_iter()
            .map(|slot| {
                slot.unwrap_or_else(|| {
                    (
                        Outcome::error("the check's worker stopped before evaluating it".into()),
                        Duration::ZERO,
                    )
                })
            })
            .collect()
    }
}

/// How much input a check reads: the items of the lists under its `needs`.
fn input_weight(check: &Check, snapshot: &LoadedSnapshot) -> usize {
    check
        .meta
        .needs
        .iter()
        .map(|key| match &snapshot.value["resources"][key.as_str()] {
            Value::Array(items) => items.len(),
            _ => 1,
        })
        .sum()
}

/// Evaluates one check on an engine whose input is the snapshot.
pub fn evaluate_check(
    engine: &mut regorus::Engine,
    check: &Check,
    snapshot: &LoadedSnapshot,
    timeout: Duration,
) -> Outcome {
    if let Some(reason) = missing_inputs(check, snapshot) {
        return Outcome::error(reason);
    }
    match engine.eval_rule(check.entry_rule()) {
        Ok(value) => parse_outcome(&value).unwrap_or_else(|problem| {
            Outcome::error(format!(
                "check {} returned a malformed result: {problem}",
                check.module.path
            ))
        }),
        Err(e) => {
            let timed_out = matches!(
                e.downcast_ref::<regorus::LimitError>(),
                Some(regorus::LimitError::TimeLimitExceeded { .. })
            ) || e.to_string().contains("exceeded time limit");
            let reason = if timed_out {
                format!(
                    "check {} timed out after {:?} ({e}); raise --check-timeout, or make the check linear in its input (index big lists by id once instead of scanning them per item)",
                    check.module.path, timeout
                )
            } else {
                format!("check {} failed to evaluate: {e}", check.module.path)
            };
            Outcome::error(reason)
        }
    }
}

/// The reason a check is not evaluable, when any of its `needs` is absent or failed.
pub fn missing_inputs(check: &Check, snapshot: &LoadedSnapshot) -> Option<String> {
    let mut problems = Vec::new();
    for key in &check.meta.needs {
        if let Some(f) = snapshot.failures.get(key) {
            let mut p = if f.status == 0 {
                format!("reading `{key}` failed with no response")
            } else {
                format!("reading `{key}` failed with HTTP {}", f.status)
            };
            if let Some(code) = &f.code {
                p.push_str(&format!(" ({code})"));
            }
            if !f.message.is_empty() {
                p.push_str(&format!(": {}", f.message.trim_end_matches('.')));
            }
            if let Some(needs) = &f.needs {
                p.push_str(&format!("; it needs {needs}"));
            }
            problems.push(p);
        } else if !snapshot.has_resource(key) {
            problems.push(format!(
                "the snapshot has no `{key}` (it was not collected; re-collect with a connector that reads it)"
            ));
        }
    }
    (!problems.is_empty()).then(|| format!("not evaluable: {}", problems.join("; ")))
}

const RESULT_KEYS: [&str; 5] = ["status", "reason", "offenders", "compliant", "total"];

/// Validates a check's `result` value.
pub fn parse_outcome(value: &Value) -> Result<Outcome, String> {
    let obj = match value {
        Value::Object(obj) => obj,
        Value::Undefined => {
            return Err("`result` is undefined for this input; make the rule total (add an `else` or a default)".into())
        }
        other => return Err(format!("`result` is a {}, expected an object", type_name(other))),
    };
    for key in obj.keys() {
        let name = key.as_string().map(|s| s.to_string()).unwrap_or_default();
        if !RESULT_KEYS.contains(&name.as_str()) {
            return Err(format!(
                "unexpected key `{}`; allowed keys: {}",
                if name.is_empty() {
                    key.to_string()
                } else {
                    name
                },
                RESULT_KEYS.join(", ")
            ));
        }
    }
    let status = match &value["status"] {
        Value::String(s) => s.parse::<Status>().map_err(|e| format!("`status`: {e}"))?,
        Value::Undefined => return Err("`status` is missing".into()),
        other => {
            return Err(format!(
                "`status` is a {}, expected a string",
                type_name(other)
            ))
        }
    };
    let reason = match &value["reason"] {
        Value::String(s) => s.to_string(),
        Value::Undefined => return Err("`reason` is missing".into()),
        other => {
            return Err(format!(
                "`reason` is a {}, expected a string",
                type_name(other)
            ))
        }
    };
    let offenders = parse_offenders(&value["offenders"])?;
    let count = |key: &str| -> Result<Option<u64>, String> {
        match &value[key] {
            Value::Undefined | Value::Null => Ok(None),
            v => v
                .as_u64()
                .map(Some)
                .map_err(|_| format!("`{key}` must be a non-negative integer, found {v}")),
        }
    };
    let compliant = count("compliant")?;
    let total = count("total")?;
    if let (Some(c), Some(t)) = (compliant, total) {
        if c > t {
            return Err(format!("`compliant` ({c}) is greater than `total` ({t})"));
        }
    }
    if compliant.is_some() != total.is_some() {
        return Err("`compliant` and `total` must be given together".into());
    }
    Ok(Outcome {
        status,
        reason,
        offenders,
        compliant,
        total,
    })
}

fn parse_offenders(value: &Value) -> Result<Vec<Offender>, String> {
    let items: Vec<&Value> = match value {
        Value::Undefined | Value::Null => return Ok(Vec::new()),
        Value::Array(a) => a.iter().collect(),
        Value::Set(s) => s.iter().collect(),
        other => {
            return Err(format!(
                "`offenders` is a {}, expected an array of {{type, id, name}}",
                type_name(other)
            ))
        }
    };
    let mut offenders = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let text = |key: &str| -> Result<Option<String>, String> {
            match &item[key] {
                Value::String(s) => Ok(Some(s.to_string())),
                Value::Undefined | Value::Null => Ok(None),
                other => Err(format!(
                    "`offenders[{i}].{key}` is a {}, expected a string",
                    type_name(other)
                )),
            }
        };
        if item.as_object().is_err() {
            return Err(format!(
                "`offenders[{i}]` is a {}, expected an object {{type, id, name}}",
                type_name(item)
            ));
        }
        let kind = text("type")?.ok_or(format!("`offenders[{i}].type` is missing"))?;
        let id = text("id")?.ok_or(format!("`offenders[{i}].id` is missing"))?;
        let name = text("name")?.unwrap_or_else(|| id.clone());
        offenders.push(Offender { kind, id, name });
    }
    Ok(offenders)
}

/// Assesses every snapshot and rolls up scores and initiatives into one document.
pub fn assess(
    catalog: &Catalog,
    snapshots: &[LoadedSnapshot],
    initiatives: &Initiatives,
    options: AssessOptions,
) -> Result<ResultsDocument, AssessError> {
    let evaluator = Evaluator::new(catalog, options)?;
    let mut assessments = Vec::with_capacity(snapshots.len());
    for snapshot in snapshots {
        assessments.push(evaluator.assess(snapshot)?);
    }
    Ok(document(assessments, catalog, initiatives))
}

/// Builds the results document (overall, per-app and initiative scores) from assessments.
pub fn document(
    mut assessments: Vec<Assessment>,
    catalog: &Catalog,
    initiatives: &Initiatives,
) -> ResultsDocument {
    let membership = initiatives.membership(catalog);
    for assessment in &mut assessments {
        for result in &mut assessment.results {
            if let Some(ids) = membership.get(&result.id) {
                for id in ids {
                    if !result.initiatives.contains(id) {
                        result.initiatives.push(id.clone());
                    }
                }
                result.initiatives.sort();
            }
        }
    }
    let initiative_scores = initiatives.score(&assessments, catalog);
    let planned_score = assessments
        .iter()
        .any(|a| a.planned_score.is_some())
        .then(|| {
            sspm_model::Score::sum(
                assessments
                    .iter()
                    .map(|a| a.planned_score.as_ref().unwrap_or(&a.score)),
            )
        });
    ResultsDocument {
        format: RESULTS_FORMAT.to_string(),
        score: sspm_model::Score::sum(assessments.iter().map(|a| &a.score)),
        planned_score,
        apps: scoring::app_scores(&assessments),
        initiatives: initiative_scores,
        assessments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(json: &str) -> Result<Outcome, String> {
        parse_outcome(&Value::from_json_str(json).unwrap())
    }

    #[test]
    fn parses_a_full_result() {
        let o = outcome(
            r#"{"status":"fail","reason":"2 of 3","compliant":1,"total":3,
                "offenders":[{"type":"user","id":"u1","name":"Ann"},{"type":"user","id":"u2"}]}"#,
        )
        .unwrap();
        assert_eq!(o.status, Status::Fail);
        assert_eq!((o.compliant, o.total), (Some(1), Some(3)));
        assert_eq!(o.offenders.len(), 2);
        assert_eq!(o.offenders[1].name, "u2", "name defaults to id");
    }

    #[test]
    fn rejects_malformed_results() {
        for (json, needle) in [
            (r#""pass""#, "string"),
            (r#"{"reason":"x"}"#, "`status` is missing"),
            (r#"{"status":"ok","reason":"x"}"#, "unknown status"),
            (r#"{"status":"pass"}"#, "`reason` is missing"),
            (
                r#"{"status":"pass","reason":"x","extra":1}"#,
                "unexpected key `extra`",
            ),
            (
                r#"{"status":"pass","reason":"x","offenders":"u1"}"#,
                "`offenders`",
            ),
            (
                r#"{"status":"pass","reason":"x","offenders":[{"id":"u"}]}"#,
                "type` is missing",
            ),
            (
                r#"{"status":"pass","reason":"x","offenders":[{"type":"u","id":5}]}"#,
                "expected a string",
            ),
            (
                r#"{"status":"pass","reason":"x","compliant":-1,"total":3}"#,
                "non-negative",
            ),
            (
                r#"{"status":"pass","reason":"x","compliant":4,"total":3}"#,
                "greater than",
            ),
            (
                r#"{"status":"pass","reason":"x","compliant":1}"#,
                "together",
            ),
        ] {
            let err = outcome(json).unwrap_err();
            assert!(err.contains(needle), "{json}: `{needle}` not in `{err}`");
        }
        let err = parse_outcome(&Value::Undefined).unwrap_err();
        assert!(err.contains("undefined"), "{err}");
    }

    fn catalog_with(dir: &std::path::Path, rego: &str, needs: &[&str]) -> Catalog {
        let needs = needs
            .iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ");
        std::fs::write(
            dir.join("t.yaml"),
            format!(
                "id: zz.test.check\ntitle: T\ndescription: d\nrationale: r\nseverity: low\nmax_points: 2\nscoring: binary\nneeds: [{needs}]\nuser_impact: low\nimplementation_cost: low\nimplementation: [x]\n"
            ),
        )
        .unwrap();
        std::fs::write(dir.join("t.rego"), rego).unwrap();
        Catalog::load(&[dir.to_path_buf()]).unwrap()
    }

    fn snapshot(resources: &str, failures: &str) -> LoadedSnapshot {
        LoadedSnapshot::from_json(
            "s.json",
            &format!(
                r#"{{"format":"sspm-snapshot/1","app":"zz","instance":"i","tenant":"t","collected_at":"2026-01-01T00:00:00Z","resources":{resources},"failures":{failures}}}"#
            ),
        )
        .unwrap()
    }

    #[test]
    fn missing_or_failed_needs_are_errors_naming_the_call() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = catalog_with(
            dir.path(),
            "package zz.t\nresult := {\"status\": \"fail\", \"reason\": \"always\"}\n",
            &["zz:/a", "zz:/b"],
        );
        let evaluator = Evaluator::new(&catalog, AssessOptions::default()).unwrap();
        let snap = snapshot(
            r#"{"zz:/a": {}}"#,
            r#"{"zz:/b": {"status": 403, "code": "Forbidden", "message": "Insufficient privileges.", "needs": "Zz.Read.All; Zz P1"}}"#,
        );
        let a = evaluator.assess(&snap).unwrap();
        let r = &a.results[0];
        assert_eq!(r.status, Status::Error);
        for needle in [
            "zz:/b",
            "HTTP 403",
            "Forbidden",
            "Insufficient privileges",
            "Zz.Read.All; Zz P1",
        ] {
            assert!(r.reason.contains(needle), "`{needle}` not in {}", r.reason);
        }
        let snap = snapshot(r#"{"zz:/b": {}}"#, "{}");
        let r = &evaluator.assess(&snap).unwrap().results[0];
        assert_eq!(r.status, Status::Error);
        assert!(r.reason.contains("no `zz:/a`"), "{}", r.reason);
        let snap = snapshot(r#"{"zz:/a": {}, "zz:/b": {}}"#, "{}");
        let r = &evaluator.assess(&snap).unwrap().results[0];
        assert_eq!(r.status, Status::Fail);
    }

    #[test]
    fn a_timed_out_check_does_not_starve_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let meta = |id: &str, needs: &str| {
            format!(
                "id: {id}\ntitle: T\ndescription: d\nrationale: r\nseverity: low\nmax_points: 2\nscoring: binary\nneeds: [\"{needs}\"]\nuser_impact: low\nimplementation_cost: low\nimplementation: [x]\n"
            )
        };
        // The slow check reads the longer list, so it is evaluated first on the one worker.
        std::fs::write(dir.path().join("slow.yaml"), meta("zz.t.slow", "zz:/big")).unwrap();
        std::fs::write(
            dir.path().join("slow.rego"),
            "package zz.slow\nn := count([x | some x in numbers.range(1, 4000); some y in numbers.range(1, 4000); x == y])\nresult := {\"status\": \"pass\", \"reason\": sprintf(\"%d\", [n])}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("fast.yaml"), meta("zz.t.fast", "zz:/small")).unwrap();
        std::fs::write(
            dir.path().join("fast.rego"),
            "package zz.fast\nresult := {\"status\": \"pass\", \"reason\": \"ok\"}\n",
        )
        .unwrap();
        let catalog = Catalog::load(&[dir.path().to_path_buf()]).unwrap();
        let options = AssessOptions {
            check_timeout: Duration::from_millis(200),
            threads: 1,
            assessed_at: None,
        };
        let evaluator = Evaluator::new(&catalog, options).unwrap();
        let snap = snapshot(r#"{"zz:/big": [1, 2, 3], "zz:/small": []}"#, "{}");
        let (assessment, timings) = evaluator.assess_timed(&snap).unwrap();
        let by_id = |id: &str| assessment.results.iter().find(|r| r.id == id).unwrap();
        assert_eq!(by_id("zz.t.slow").status, Status::Error);
        assert!(
            by_id("zz.t.slow").reason.contains("timed out"),
            "{}",
            by_id("zz.t.slow").reason
        );
        assert_eq!(
            by_id("zz.t.fast").status,
            Status::Pass,
            "{}",
            by_id("zz.t.fast").reason
        );
        assert_eq!(timings.len(), 2);
    }

    #[test]
    fn parallel_and_serial_evaluation_agree() {
        let catalog = Catalog::builtin().unwrap();
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/m365-contoso-weak.json"),
        )
        .unwrap();
        let snap = LoadedSnapshot::from_json("weak", &text).unwrap();
        let opts = |threads| AssessOptions {
            threads,
            assessed_at: Some("2026-01-01T00:00:00Z".into()),
            ..AssessOptions::default()
        };
        let one = Evaluator::new(&catalog, opts(1))
            .unwrap()
            .assess(&snap)
            .unwrap();
        let four = Evaluator::new(&catalog, opts(4))
            .unwrap()
            .assess(&snap)
            .unwrap();
        assert_eq!(one, four);
        // Converting only the resources checks read gives the same results.
        let keys = catalog.resource_keys();
        let lean = LoadedSnapshot::from_json_keeping("weak", &text, Some(&keys)).unwrap();
        let lean = Evaluator::new(&catalog, opts(2))
            .unwrap()
            .assess(&lean)
            .unwrap();
        assert_eq!(one, lean);
    }
}

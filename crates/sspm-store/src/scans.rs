//! Scans: begin, complete (snapshot + results + score + daily point in one transaction),
//! fail, and read back.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use sspm_model::{Assessment, Benchmark, CheckResult, Offender, Score, Snapshot, Status};

use crate::blob;
use crate::error::{Context, Result, StoreError};
use crate::store::{now, to_i64, to_u64, with_pool, Store};
use crate::types::{ScanCounts, ScanId, ScanRecord, ScanStatus, ScanTimings, StoredAssessment};

#[derive(sqlx::FromRow)]
struct ScanRow {
    id: i64,
    instance: String,
    app: String,
    status: String,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    owner_host: String,
    owner_pid: i64,
    tenant: Option<String>,
    collected_at: Option<String>,
    assessed_at: Option<String>,
    score_achieved: Option<f64>,
    score_possible: Option<f64>,
    results: i64,
    passed: i64,
    failed: i64,
    manual: i64,
    not_applicable: i64,
    errors: i64,
    resources: i64,
    failures: i64,
    collect_ms: Option<i64>,
    assess_ms: Option<i64>,
    write_ms: Option<i64>,
    error: Option<String>,
    snapshot_sha256: Option<String>,
}

impl TryFrom<ScanRow> for ScanRecord {
    type Error = StoreError;

    fn try_from(r: ScanRow) -> Result<Self> {
        let status = r
            .status
            .parse::<ScanStatus>()
            .map_err(|e| StoreError::Corrupt(format!("scan {}: {e}", r.id)))?;
        let score = match (r.score_achieved, r.score_possible) {
            (Some(a), Some(p)) => Some(Score::new(a, p)),
            _ => None,
        };
        Ok(ScanRecord {
            id: ScanId(r.id),
            instance: r.instance,
            app: r.app,
            status,
            started_at: r.started_at,
            finished_at: r.finished_at,
            owner_host: r.owner_host,
            owner_pid: r.owner_pid,
            tenant: r.tenant,
            collected_at: r.collected_at,
            assessed_at: r.assessed_at,
            score,
            counts: ScanCounts {
                results: to_u64(r.results),
                passed: to_u64(r.passed),
                failed: to_u64(r.failed),
                manual: to_u64(r.manual),
                not_applicable: to_u64(r.not_applicable),
                errors: to_u64(r.errors),
                resources: to_u64(r.resources),
                failures: to_u64(r.failures),
            },
            collect_ms: r.collect_ms,
            assess_ms: r.assess_ms,
            write_ms: r.write_ms,
            error: r.error,
            snapshot_sha256: r.snapshot_sha256,
        })
    }
}

const SCAN_SELECT: &str = "SELECT s.id, i.name AS instance, i.app, s.status, s.started_at, \
     s.finished_at, s.owner_host, s.owner_pid, s.tenant, s.collected_at, s.assessed_at, \
     s.score_achieved, s.score_possible, s.results, s.passed, s.failed, s.manual, \
     s.not_applicable, s.errors, s.resources, s.failures, s.collect_ms, s.assess_ms, \
     s.write_ms, s.error, sn.sha256 AS snapshot_sha256 \
     FROM scans s JOIN instances i ON i.id = s.instance_id \
     LEFT JOIN snapshots sn ON sn.id = s.snapshot_id";

#[derive(sqlx::FromRow)]
struct ResultRow {
    check_id: String,
    rank: i64,
    title: String,
    severity: String,
    status: String,
    points: f64,
    max_points: f64,
    compliant: Option<i64>,
    total: Option<i64>,
    reason: String,
    offenders: Json<Vec<Offender>>,
    offenders_data: Option<Vec<u8>>,
    offenders_size: Option<i64>,
    offenders_sha256: Option<String>,
    benchmarks: Json<Vec<Benchmark>>,
    initiatives: Json<Vec<String>>,
    scoring: String,
    user_impact: String,
    implementation_cost: String,
}

/// Parses a snake_case enum value stored as text.
fn parse_enum<T: DeserializeOwned>(what: &str, check: &str, value: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|_| StoreError::Corrupt(format!("result {check}: unknown {what} `{value}`")))
}

/// The text of a serializable enum (`"high"`, `"binary"` …).
fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl TryFrom<ResultRow> for CheckResult {
    type Error = StoreError;

    fn try_from(r: ResultRow) -> Result<Self> {
        let id = r.check_id;
        let offenders = match (r.offenders_data, r.offenders_sha256) {
            (Some(data), Some(sha256)) => {
                let json = blob::decompress(
                    "offender set",
                    &data,
                    r.offenders_size.unwrap_or(0),
                    &sha256,
                )?;
                serde_json::from_slice(&json).map_err(|e| {
                    StoreError::Corrupt(format!("offender set {sha256} of result {id}: {e}"))
                })?
            }
            _ => r.offenders.0,
        };
        Ok(CheckResult {
            severity: parse_enum("severity", &id, &r.severity)?,
            status: parse_enum("status", &id, &r.status)?,
            scoring: parse_enum("scoring", &id, &r.scoring)?,
            user_impact: parse_enum("user impact", &id, &r.user_impact)?,
            implementation_cost: parse_enum("implementation cost", &id, &r.implementation_cost)?,
            title: r.title,
            points: r.points,
            max_points: r.max_points,
            compliant: r.compliant.map(to_u64),
            total: r.total.map(to_u64),
            offenders,
            reason: r.reason,
            benchmarks: r.benchmarks.0,
            initiatives: r.initiatives.0,
            rank: usize::try_from(r.rank).unwrap_or(usize::MAX),
            state: None,
            id,
        })
    }
}

/// Results per `INSERT`: 18 parameters each, well under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters per statement.
const RESULTS_PER_INSERT: usize = 500;

const RESULT_SELECT: &str = "SELECT r.check_id, r.rank, r.title, r.severity, r.status, \
     r.points, r.max_points, r.compliant, r.total, r.reason, r.offenders, o.data AS offenders_data, \
     o.size AS offenders_size, o.sha256 AS offenders_sha256, r.benchmarks, r.initiatives, \
     r.scoring, r.user_impact, r.implementation_cost \
     FROM results r LEFT JOIN offender_sets o ON o.id = r.offender_set_id \
     WHERE r.scan_id = $1 ORDER BY r.rank, r.check_id";

/// Counts of an assessment and its snapshot.
fn counts(snapshot: &Snapshot, assessment: &Assessment) -> ScanCounts {
    let mut c = ScanCounts {
        results: assessment.results.len() as u64,
        resources: snapshot.resources.len() as u64,
        failures: snapshot.failures.len() as u64,
        ..ScanCounts::default()
    };
    for r in &assessment.results {
        match r.status {
            Status::Pass => c.passed += 1,
            Status::Fail => c.failed += 1,
            Status::Manual => c.manual += 1,
            Status::NotApplicable => c.not_applicable += 1,
            Status::Error => c.errors += 1,
        }
    }
    c
}

/// The UTC day an assessment counts for: its `assessed_at`, else `fallback`.
fn score_day(assessment: &Assessment, fallback: DateTime<Utc>) -> NaiveDate {
    match DateTime::parse_from_rfc3339(&assessment.assessed_at) {
        Ok(t) => t.with_timezone(&Utc).date_naive(),
        Err(e) => {
            tracing::warn!(assessed_at = %assessment.assessed_at, "assessed_at is not RFC 3339 ({e}); the score point counts for today");
            fallback.date_naive()
        }
    }
}

/// The offender lists of an assessment's results, encoded for storage.
struct OffenderSets {
    /// Each distinct non-empty list once.
    distinct: Vec<EncodedSet>,
    /// The hash of each result's list, by check id (results without offenders absent).
    by_result: HashMap<String, String>,
}

struct EncodedSet {
    sha256: String,
    count: usize,
    size: usize,
    data: Vec<u8>,
}

impl OffenderSets {
    fn encode(results: &[CheckResult]) -> Result<Self> {
        let mut distinct: Vec<EncodedSet> = Vec::new();
        let mut by_result = HashMap::new();
        for r in results.iter().filter(|r| !r.offenders.is_empty()) {
            let blob = blob::encode_offenders(&r.offenders)?;
            if !distinct.iter().any(|s| s.sha256 == blob.sha256) {
                distinct.push(EncodedSet {
                    sha256: blob.sha256.clone(),
                    count: r.offenders.len(),
                    size: blob.size,
                    data: blob::compress(&blob.json)?,
                });
            }
            by_result.insert(r.id.clone(), blob.sha256);
        }
        Ok(Self {
            distinct,
            by_result,
        })
    }
}

fn millis(d: Option<std::time::Duration>) -> Option<i64> {
    d.map(|d| to_i64(d.as_millis()))
}

impl Store {
    /// Starts a scan of `instance`: a `running` scan owned by this process.
    pub async fn begin_scan(&self, instance: &str) -> Result<ScanId> {
        let id: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO scans (instance_id, status, started_at, owner_host, owner_pid, owner_start) \
                 SELECT id, 'running', $2, $3, $4, $5 FROM instances WHERE name = $1 RETURNING id",
            )
            .bind(instance)
            .bind(now())
            .bind(&self.owner.host)
            .bind(self.owner.pid)
            .bind(self.owner.start)
            .fetch_optional(pool)
            .await
        })
        .ctx(|| format!("begin a scan of instance `{instance}`"))?;
        let id = id.ok_or_else(|| StoreError::UnknownInstance(instance.to_string()))?;
        tracing::debug!(scan = id, instance, "scan begun");
        Ok(ScanId(id))
    }

    /// Completes a running scan: stores its snapshot (once per content hash), its results,
    /// its score, the instance's score point for the day, and sets its status — all in one
    /// transaction, so a scan is either wholly written or not at all.
    ///
    /// The status is `partial` when the snapshot has failures or some result is `error`,
    /// else `succeeded`. The daily score point is for the UTC day of `assessed_at`; the
    /// last scan of a day (highest id) wins. An assessment with no results (an instance
    /// whose recommendations are off) writes no score point.
    pub async fn complete_scan(
        &self,
        scan: ScanId,
        snapshot: &Snapshot,
        assessment: &Assessment,
        timings: ScanTimings,
    ) -> Result<ScanRecord> {
        let started = Instant::now();
        let record = self
            .scan(scan)
            .await?
            .ok_or(StoreError::UnknownScan(scan.0))?;
        if record.status != ScanStatus::Running {
            return Err(StoreError::ScanNotRunning {
                id: scan.0,
                status: record.status.to_string(),
            });
        }
        for (what, instance, app) in [
            ("snapshot", &snapshot.instance, &snapshot.app),
            ("assessment", &assessment.instance, &assessment.app),
        ] {
            if instance != &record.instance || app != &record.app {
                return Err(StoreError::Invalid {
                    what: "scan data",
                    reason: format!(
                        "the {what} is of instance `{instance}` ({app}) but scan {scan} is of `{}` ({})",
                        record.instance, record.app
                    ),
                });
            }
        }
        let counts = counts(snapshot, assessment);
        let status = if counts.failures > 0 || counts.errors > 0 {
            ScanStatus::Partial
        } else {
            ScanStatus::Succeeded
        };
        let blob = blob::encode(snapshot)?;
        let known: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar("SELECT id FROM snapshots WHERE sha256 = $1")
                .bind(&blob.sha256)
                .fetch_optional(pool)
                .await
        })
        .ctx(|| "look up the snapshot".into())?;
        // Compress outside the transaction (SQLite holds its write lock until commit).
        let mut compressed = match known {
            Some(_) => None,
            None => Some(blob::compress(&blob.json)?),
        };
        let offender_sets = OffenderSets::encode(&assessment.results)?;
        let finished = now();
        let day = score_day(assessment, finished);
        let what = || format!("write scan {scan}");
        with_pool!(self, pool => {
            let mut tx = pool.begin().await.ctx(|| "begin a transaction".into())?;
            // Claim the scan first: this takes SQLite's write lock and, on PostgreSQL,
            // locks the row against a concurrent fail or recovery.
            let claimed = sqlx::query(
                "UPDATE scans SET finished_at = $2 WHERE id = $1 AND status = 'running'",
            )
            .bind(scan.0)
            .bind(finished)
            .execute(&mut *tx)
            .await
            .ctx(what)?
            .rows_affected();
            if claimed == 0 {
                let status: Option<String> = sqlx::query_scalar("SELECT status FROM scans WHERE id = $1")
                    .bind(scan.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx(what)?;
                return Err(match status {
                    Some(status) => StoreError::ScanNotRunning { id: scan.0, status },
                    None => StoreError::UnknownScan(scan.0),
                });
            }
            let mut snapshot_id: Option<i64> = sqlx::query_scalar("SELECT id FROM snapshots WHERE sha256 = $1")
                .bind(&blob.sha256)
                .fetch_optional(&mut *tx)
                .await
                .ctx(what)?;
            if snapshot_id.is_none() {
                let data = match compressed.take() {
                    Some(data) => data,
                    // Removed since we looked: compress now.
                    None => blob::compress(&blob.json)?,
                };
                sqlx::query(
                    "INSERT INTO snapshots (sha256, app, size, stored_size, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(&blob.sha256)
                .bind(&snapshot.app)
                .bind(to_i64(blob.size))
                .bind(to_i64(data.len()))
                .bind(&data)
                .bind(finished)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("store the snapshot of scan {scan}"))?;
                snapshot_id = sqlx::query_scalar("SELECT id FROM snapshots WHERE sha256 = $1")
                    .bind(&blob.sha256)
                    .fetch_optional(&mut *tx)
                    .await
                    .ctx(what)?;
            }
            let Some(snapshot_id) = snapshot_id else {
                return Err(StoreError::Corrupt(format!("snapshot {} vanished while scan {scan} was written", blob.sha256)));
            };
            // Offender lists: stored once per content, then referenced by id.
            let mut set_ids: HashMap<&str, i64> = HashMap::new();
            for set in &offender_sets.distinct {
                sqlx::query(
                    "INSERT INTO offender_sets (sha256, count, size, data) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(&set.sha256)
                .bind(to_i64(set.count))
                .bind(to_i64(set.size))
                .bind(&set.data)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("store the offenders of scan {scan}"))?;
                let id: i64 = sqlx::query_scalar("SELECT id FROM offender_sets WHERE sha256 = $1")
                    .bind(&set.sha256)
                    .fetch_one(&mut *tx)
                    .await
                    .ctx(|| format!("store the offenders of scan {scan}"))?;
                set_ids.insert(set.sha256.as_str(), id);
            }
            let no_offenders: &[Offender] = &[];
            // Many rows per statement: one round trip per chunk, not per result.
            for chunk in assessment.results.chunks(RESULTS_PER_INSERT) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO results (scan_id, check_id, rank, title, severity, status, points, \
                     max_points, compliant, total, reason, offenders, offender_set_id, benchmarks, \
                     initiatives, scoring, user_impact, implementation_cost) ",
                );
                insert.push_values(chunk, |mut row, r| {
                    let set_id = offender_sets
                        .by_result
                        .get(r.id.as_str())
                        .and_then(|sha| set_ids.get(sha.as_str()).copied());
                    let inline = if set_id.is_some() { no_offenders } else { &r.offenders };
                    row.push_bind(scan.0)
                        .push_bind(r.id.as_str())
                        .push_bind(to_i64(r.rank))
                        .push_bind(r.title.as_str())
                        .push_bind(r.severity.as_str())
                        .push_bind(r.status.as_str())
                        .push_bind(r.points)
                        .push_bind(r.max_points)
                        .push_bind(r.compliant.map(to_i64))
                        .push_bind(r.total.map(to_i64))
                        .push_bind(r.reason.as_str())
                        .push_bind(Json(inline))
                        .push_bind(set_id)
                        .push_bind(Json(&r.benchmarks))
                        .push_bind(Json(&r.initiatives))
                        .push_bind(enum_text(&r.scoring))
                        .push_bind(enum_text(&r.user_impact))
                        .push_bind(enum_text(&r.implementation_cost));
                });
                insert
                    .build()
                    .execute(&mut *tx)
                    .await
                    .ctx(|| format!("store the results of scan {scan}"))?;
            }
            if !assessment.results.is_empty() {
                sqlx::query(
                    "INSERT INTO daily_scores (instance_id, day, achieved, possible, scan_id) \
                     SELECT instance_id, $2, $3, $4, id FROM scans WHERE id = $1 \
                     ON CONFLICT (instance_id, day) DO UPDATE SET achieved = excluded.achieved, \
                     possible = excluded.possible, scan_id = excluded.scan_id \
                     WHERE excluded.scan_id > daily_scores.scan_id",
                )
                .bind(scan.0)
                .bind(day)
                .bind(assessment.score.achieved)
                .bind(assessment.score.possible)
                .execute(&mut *tx)
                .await
                .ctx(|| format!("store the daily score of scan {scan}"))?;
            }
            let write_ms = to_i64(started.elapsed().as_millis());
            sqlx::query(
                "UPDATE scans SET status = $2, snapshot_id = $3, tenant = $4, collected_at = $5, \
                 assessed_at = $6, score_achieved = $7, score_possible = $8, results = $9, \
                 passed = $10, failed = $11, manual = $12, not_applicable = $13, errors = $14, \
                 resources = $15, failures = $16, collect_ms = $17, assess_ms = $18, write_ms = $19 \
                 WHERE id = $1",
            )
            .bind(scan.0)
            .bind(status.as_str())
            .bind(snapshot_id)
            .bind(&snapshot.tenant)
            .bind(&snapshot.collected_at)
            .bind(&assessment.assessed_at)
            .bind(assessment.score.achieved)
            .bind(assessment.score.possible)
            .bind(to_i64(counts.results))
            .bind(to_i64(counts.passed))
            .bind(to_i64(counts.failed))
            .bind(to_i64(counts.manual))
            .bind(to_i64(counts.not_applicable))
            .bind(to_i64(counts.errors))
            .bind(to_i64(counts.resources))
            .bind(to_i64(counts.failures))
            .bind(millis(timings.collect))
            .bind(millis(timings.assess))
            .bind(write_ms)
            .execute(&mut *tx)
            .await
            .ctx(what)?;
            tx.commit().await.ctx(what)?;
            Ok::<_, StoreError>(())
        })?;
        tracing::info!(scan = scan.0, instance = %record.instance, status = %status, snapshot = %blob.sha256, "scan stored");
        self.scan(scan)
            .await?
            .ok_or(StoreError::UnknownScan(scan.0))
    }

    /// Marks a running scan failed with `error` (what went wrong and what to do). The
    /// previous assessment stays the latest.
    pub async fn fail_scan(&self, scan: ScanId, error: &str) -> Result<()> {
        let done = with_pool!(self, pool => {
            sqlx::query(
                "UPDATE scans SET status = 'failed', finished_at = $2, error = $3 \
                 WHERE id = $1 AND status = 'running'",
            )
            .bind(scan.0)
            .bind(now())
            .bind(error)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .ctx(|| format!("mark scan {scan} failed"))?;
        if done == 0 {
            let record = self
                .scan(scan)
                .await?
                .ok_or(StoreError::UnknownScan(scan.0))?;
            return Err(StoreError::ScanNotRunning {
                id: scan.0,
                status: record.status.to_string(),
            });
        }
        tracing::warn!(scan = scan.0, "scan failed: {error}");
        Ok(())
    }

    /// One scan, if it exists.
    pub async fn scan(&self, scan: ScanId) -> Result<Option<ScanRecord>> {
        let sql = format!("{SCAN_SELECT} WHERE s.id = $1");
        let row: Option<ScanRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(scan.0).fetch_optional(pool).await
        })
        .ctx(|| format!("read scan {scan}"))?;
        row.map(ScanRecord::try_from).transpose()
    }

    /// Scans, newest first: of one instance or of all, at most `limit`.
    pub async fn scans(&self, instance: Option<&str>, limit: u32) -> Result<Vec<ScanRecord>> {
        let sql =
            format!("{SCAN_SELECT} WHERE ($1 IS NULL OR i.name = $1) ORDER BY s.id DESC LIMIT $2");
        let rows: Vec<ScanRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(instance)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
        })
        .ctx(|| "list scans".into())?;
        rows.into_iter().map(ScanRecord::try_from).collect()
    }

    /// The results of a scan, in rank order (empty for a scan that did not complete).
    pub async fn scan_results(&self, scan: ScanId) -> Result<Vec<CheckResult>> {
        let rows: Vec<ResultRow> = with_pool!(self, pool => {
            sqlx::query_as(RESULT_SELECT).bind(scan.0).fetch_all(pool).await
        })
        .ctx(|| format!("read the results of scan {scan}"))?;
        rows.into_iter().map(CheckResult::try_from).collect()
    }

    /// The assessment of a completed scan (`None` if it is unknown or did not complete).
    pub async fn scan_assessment(&self, scan: ScanId) -> Result<Option<StoredAssessment>> {
        match self.scan(scan).await? {
            Some(record) if record.status.is_complete() => self.rebuild(record).await.map(Some),
            _ => Ok(None),
        }
    }

    /// The latest completed assessment of an instance: that of its most recently begun
    /// scan that succeeded or was partial. Failed and running scans are skipped, so a
    /// scan that died leaves the previous assessment in place.
    pub async fn latest_assessment(&self, instance: &str) -> Result<Option<StoredAssessment>> {
        let sql = format!(
            "{SCAN_SELECT} WHERE i.name = $1 AND s.status IN ('succeeded', 'partial') \
             ORDER BY s.id DESC LIMIT 1"
        );
        let row: Option<ScanRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(instance).fetch_optional(pool).await
        })
        .ctx(|| format!("find the latest scan of instance `{instance}`"))?;
        match row {
            Some(row) => self.rebuild(ScanRecord::try_from(row)?).await.map(Some),
            None => {
                if self.instance(instance).await?.is_none() {
                    return Err(StoreError::UnknownInstance(instance.to_string()));
                }
                Ok(None)
            }
        }
    }

    /// The latest completed assessment of every instance that has one, by instance name.
    pub async fn latest_assessments(&self) -> Result<Vec<StoredAssessment>> {
        let sql = format!(
            "{SCAN_SELECT} WHERE s.id IN (SELECT MAX(id) FROM scans \
             WHERE status IN ('succeeded', 'partial') GROUP BY instance_id) ORDER BY i.name"
        );
        let rows: Vec<ScanRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await
        })
        .ctx(|| "find the latest scans".into())?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.rebuild(ScanRecord::try_from(row)?).await?);
        }
        Ok(out)
    }

    async fn rebuild(&self, scan: ScanRecord) -> Result<StoredAssessment> {
        let results = self.scan_results(scan.id).await?;
        let assessment = Assessment {
            app: scan.app.clone(),
            instance: scan.instance.clone(),
            tenant: scan.tenant.clone().unwrap_or_default(),
            collected_at: scan.collected_at.clone().unwrap_or_default(),
            assessed_at: scan.assessed_at.clone().unwrap_or_default(),
            score: scan.score.unwrap_or_else(Score::empty),
            planned_score: None,
            results,
        };
        Ok(StoredAssessment { scan, assessment })
    }

    /// The stored snapshot JSON of a completed scan, decompressed and verified against its
    /// hash. Its `collected_at` is blank (it is what lets unchanged snapshots share one
    /// blob): use [`Store::scan_snapshot`] for the snapshot with the scan's time.
    pub async fn scan_snapshot_json(&self, scan: ScanId) -> Result<Option<Vec<u8>>> {
        Ok(self.snapshot_blob(scan).await?.map(|(json, _, _)| json))
    }

    /// The snapshot of a completed scan, as the connector wrote it.
    pub async fn scan_snapshot(&self, scan: ScanId) -> Result<Option<Snapshot>> {
        match self.snapshot_blob(scan).await? {
            Some((json, collected_at, sha256)) => {
                blob::decode(&json, collected_at.as_deref(), &sha256).map(Some)
            }
            None => Ok(None),
        }
    }

    async fn snapshot_blob(
        &self,
        scan: ScanId,
    ) -> Result<Option<(Vec<u8>, Option<String>, String)>> {
        let row: Option<(Vec<u8>, i64, String, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT sn.data, sn.size, sn.sha256, s.collected_at FROM scans s \
                 JOIN snapshots sn ON sn.id = s.snapshot_id WHERE s.id = $1",
            )
            .bind(scan.0)
            .fetch_optional(pool)
            .await
        })
        .ctx(|| format!("read the snapshot of scan {scan}"))?;
        let Some((data, size, sha256, collected_at)) = row else {
            return Ok(None);
        };
        let json = blob::decompress("snapshot", &data, size, &sha256)?;
        Ok(Some((json, collected_at, sha256)))
    }
}

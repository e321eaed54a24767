//! `sspm bench store`: the store benchmark.
//!
//! Writes `--scans` scans (1,000 by default) of one simulated Microsoft 365 tenant
//! (10,000 users by default; groups, service principals, role assignments and
//! conditional access policies scale with the users as in `bench collect`, mixed
//! posture) to SQLite, PostgreSQL or both, then times the store's read paths.
//!
//! **Workload.** The tenant is generated once and assessed with the real engine and the
//! built-in catalog. Every `--change-every`-th scan (5 by default) the tenant changes
//! before it is collected, applied directly to the snapshot's JSON:
//! - 1–3 users join (a copy of an existing user with a new id and name, plus their
//!   authentication-method registration row, not registered for MFA);
//! - 1–2 users leave (`accountEnabled` set to false);
//! - 1–5 users' MFA registration flips (`isMfaRegistered`, `isMfaCapable`,
//!   `methodsRegistered` in `userRegistrationDetails`);
//! - with probability 1/4, a conditional access policy flips between `enabled` and
//!   `enabledForReportingButNotEnforced`;
//! - with probability 1/3, an application gets a new client secret.
//!
//! A changed snapshot is assessed again (the assessment time is reported); the scans in
//! between store the same snapshot content with a new `collected_at`, which is the
//! "unchanged-snapshot scan" whose cost the store's dedupe is meant to keep small.
//! Scans are spread evenly over the 90 days up to now (`assessed_at` and `collected_at`
//! set accordingly), so the daily score history holds 90 points. Each scan is
//! `Store::begin_scan` + `Store::complete_scan`; when both backends are measured, each
//! scan is written to SQLite and then to PostgreSQL (the workload is built once).
//!
//! **Bytes.** SQLite: after every write, the database's logical size is read from a
//! separate connection, `(page_count − freelist_count) × page_size` (in WAL mode that
//! counts the committed pages still in the WAL); the growth across a write is that
//! scan's cost. At the end the file sizes (database + WAL after the store closed, which
//! checkpoints) and the per-table split (`dbstat`) are reported. PostgreSQL: the same
//! per-write growth of `pg_total_relation_size` (heap + TOAST + indexes) summed over the
//! benchmark schema's tables. Both grow in whole pages (4 KiB / 8 KiB), so a single
//! scan's growth is lumpy; the averages over many scans are what is reported. Scans are
//! split into those whose snapshot was unchanged (stored nothing but the scan row,
//! results and score point) and those that stored a new snapshot (the first scan and
//! every change). KB = 1,000 bytes.
//!
//! **Queries**, each run `--queries` times after 5 warm-up runs, once all scans are
//! written: "latest recommendations" = `Store::latest_assessment`, "score history" =
//! `Store::score_history(instance, 90)`, and "diff of two scans" = both scans'
//! assessments and snapshots read back (`scan_assessment`, `scan_snapshot`) and
//! compared with `sspm_engine::drift::drift`. The diff pairs cycle through four kinds,
//! reported apart: consecutive scans whose results differ (the only case in which
//! `drift` diffs configuration), consecutive scans of different snapshots with equal
//! results, consecutive scans of one snapshot, and the latest scan against the scan
//! about 7 days before it. The time is split into reading back and `drift()`.
//!
//! SQLite lives in a fresh temporary directory; PostgreSQL in a fresh schema of its own
//! (`options[search_path]`, as the store's tests do), dropped at the end.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::ConnectOptions as _;
use sspm_engine::{AssessOptions, Catalog, Evaluator, LoadedSnapshot};
use sspm_model::{Assessment, Snapshot};
use sspm_store::{Backend, MasterKey, NewInstance, ScanId, ScanTimings, Store, StoreOptions};

use crate::cli::{BenchFormat, BenchStoreArgs};
use crate::Outcome;

/// Days the scans are spread over (and of the score history query).
const HISTORY_DAYS: u32 = 90;
/// Unmeasured runs of each query before the measured ones.
const WARMUP: usize = 5;
/// Targets from the issue.
const TARGET_P95_MS: f64 = 20.0;
const TARGET_UNCHANGED_BYTES: f64 = 200_000.0;

const USERS: &str = "graph:/v1.0/users";
const REGISTRATIONS: &str = "graph:/v1.0/reports/authenticationMethods/userRegistrationDetails";
const CA_POLICIES: &str = "graph:/v1.0/identity/conditionalAccess/policies";
const APPLICATIONS: &str = "graph:/v1.0/applications";

pub fn run(args: BenchStoreArgs) -> Result<Outcome> {
    if args.scans < 2 {
        bail!("--scans must be at least 2 (the diff needs two scans)");
    }
    if args.queries == 0 {
        bail!("--queries must be at least 1");
    }
    let backends: Vec<Backend> = match args.backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![Backend::Postgres],
        _ => vec![Backend::Sqlite, Backend::Postgres],
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("sspm-worker")
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = rt.block_on(measure(&args, &backends))?;
    match args.format {
        BenchFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        BenchFormat::Text => print!("{}", text(&report)),
    }
    Ok(Outcome::Ok)
}

/// What `sspm bench store` reports (`--format json` prints it as is).
#[derive(Debug, Serialize)]
pub struct StoreReport {
    pub tenant: TenantInfo,
    pub scans: usize,
    pub change_every: usize,
    /// Scans that stored a new snapshot (the first and every change).
    pub new_snapshot_scans: usize,
    /// Scans whose results differ from the scan before's (status or points).
    pub results_changed_scans: usize,
    pub history_days: u32,
    /// One assessment of a changed snapshot (serialize, load, evaluate), not part of
    /// any store timing.
    pub assess: Stats,
    pub backends: Vec<BackendReport>,
    pub wall_s: f64,
    pub method: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TenantInfo {
    pub users: usize,
    pub groups: usize,
    pub service_principals: usize,
    pub role_assignments: usize,
    pub ca_policies: usize,
    pub resources: usize,
    /// Results per assessment (checks of the app).
    pub results: usize,
    /// The first snapshot's JSON, as serialized.
    pub snapshot_json_bytes: u64,
    /// Serializing the snapshot to JSON (median of 3), which every `complete_scan` does
    /// to hash it, changed or not.
    pub snapshot_serialize_ms: f64,
    /// The last assessment's results as JSON, and of that their offenders.
    pub results_json_bytes: u64,
    pub offenders_json_bytes: u64,
    pub offenders: usize,
    pub generate_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct BackendReport {
    pub backend: &'static str,
    /// The database file or the PostgreSQL schema (removed at the end).
    pub location: String,
    pub bytes: Bytes,
    /// `Store::complete_scan`, every scan.
    pub write: Stats,
    /// `Store::complete_scan` of the scans whose snapshot was unchanged.
    pub write_unchanged: Stats,
    /// `Store::complete_scan` of the scans that stored a new snapshot.
    pub write_changed: Stats,
    /// `Store::begin_scan`.
    pub begin: Stats,
    pub latest_recommendations: Stats,
    pub score_history_90d: Stats,
    /// Daily points the score history query returned.
    pub score_history_points: usize,
    /// Every diff: reading both scans back, then `drift()`.
    pub diff: Stats,
    /// Of every diff: reading both assessments and snapshots back.
    pub diff_load: Stats,
    /// Of every diff: `drift()` itself.
    pub diff_compute: Stats,
    /// The same by kind of pair.
    pub diff_by_pair: Vec<PairStats>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Serialize)]
pub struct Bytes {
    /// Growth over all scans divided by the scans.
    pub per_scan: f64,
    /// Mean growth across the writes of scans whose snapshot was unchanged.
    pub per_unchanged_scan: f64,
    /// Mean growth across the writes of scans that stored a new snapshot.
    pub per_changed_scan: f64,
    /// Logical size (SQLite) or relation size (PostgreSQL) before the first scan.
    pub empty: u64,
    /// The same after the last scan.
    pub after_writes: u64,
    /// SQLite: database + WAL files after the store closed; PostgreSQL: relation size
    /// at the end (after the queries).
    pub on_disk: u64,
    pub snapshots_stored: u64,
    /// Mean JSON size of a stored snapshot (before compression).
    pub snapshot_json_mean: f64,
    /// Mean stored (zstd) size of a stored snapshot.
    pub snapshot_stored_mean: f64,
    /// Per table (SQLite `dbstat`: tables and indexes apart; PostgreSQL: each table's
    /// total relation size, its indexes and TOAST included), largest first.
    pub tables: Vec<(String, u64)>,
    pub method: String,
}

/// Durations of one measured operation, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Stats {
    pub n: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Stats {
    fn of(samples: &[Duration]) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let i = (p * ms.len() as f64).ceil() as usize;
            ms[i.clamp(1, ms.len()) - 1]
        };
        Self {
            n: ms.len(),
            p50_ms: rank(0.50),
            p95_ms: rank(0.95),
            max_ms: ms[ms.len() - 1],
            mean_ms: ms.iter().sum::<f64>() / ms.len() as f64,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PairStats {
    pub pair: &'static str,
    pub total: Stats,
    pub load: Stats,
    pub compute: Stats,
    /// Mean recommendations changed per diff (a check that the pair differs or not).
    pub changed_recommendations: f64,
}

#[derive(Debug, Serialize)]
pub struct Target {
    pub what: &'static str,
    pub target: String,
    pub value: String,
    pub pass: bool,
}

/// The benchmark tenant scaled to `users` (as `bench collect` does), mixed posture.
fn spec(users: usize) -> sspm_sim::M365Spec {
    let posture = sspm_sim::Posture::Mixed;
    let small = sspm_sim::M365Spec::small(posture);
    let bench = sspm_sim::M365Spec::bench();
    let scale = |n: usize, min: usize| (n * users / bench.users.max(1)).max(min);
    sspm_sim::M365Spec {
        users,
        groups: scale(bench.groups, small.groups),
        service_principals: scale(bench.service_principals, small.service_principals),
        role_assignments: scale(bench.role_assignments, small.role_assignments),
        ca_policies: scale(bench.ca_policies, small.ca_policies),
        posture,
        ..bench
    }
}

/// When scan `i` of `n` happened: evenly spread over the [`HISTORY_DAYS`] up to `now`.
fn scan_time(now: DateTime<Utc>, i: usize, n: usize) -> DateTime<Utc> {
    let span = chrono::Duration::days(i64::from(HISTORY_DAYS)).num_seconds();
    let step = span / i64::try_from(n).unwrap_or(i64::MAX).max(1);
    let back = i64::try_from(n - 1 - i).unwrap_or(0) * step;
    now - chrono::Duration::seconds(back)
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Seeded tenant changes applied to a snapshot's JSON (see the module documentation).
struct Churn {
    state: u64,
    joined: usize,
}

impl Churn {
    fn new(seed: u64) -> Self {
        Self {
            state: seed ^ 0x9e37_79b9_7f4a_7c15,
            joined: 0,
        }
    }

    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// One round of changes at time `at`.
    fn apply(&mut self, snapshot: &mut Snapshot, at: &str) {
        for _ in 0..1 + self.below(3) {
            self.join(snapshot, at);
        }
        for _ in 0..1 + self.below(2) {
            if let Some(users) = list(snapshot, USERS) {
                let i = self.below(users.len());
                users[i]["accountEnabled"] = json!(false);
            }
        }
        for _ in 0..1 + self.below(5) {
            if let Some(rows) = list(snapshot, REGISTRATIONS) {
                let i = self.below(rows.len());
                let row = &mut rows[i];
                let on = !row["isMfaRegistered"].as_bool().unwrap_or(false);
                row["isMfaRegistered"] = json!(on);
                row["isMfaCapable"] = json!(on);
                row["methodsRegistered"] = if on {
                    json!(["microsoftAuthenticatorPush", "softwareOneTimePasscode"])
                } else {
                    json!([])
                };
                row["lastUpdatedDateTime"] = json!(at);
            }
        }
        if self.below(4) == 0 {
            if let Some(policies) = list(snapshot, CA_POLICIES) {
                let i = self.below(policies.len());
                let policy = &mut policies[i];
                let next = match policy["state"].as_str() {
                    Some("enabled") => "enabledForReportingButNotEnforced",
                    _ => "enabled",
                };
                policy["state"] = json!(next);
                policy["modifiedDateTime"] = json!(at);
            }
        }
        if self.below(3) == 0 {
            let key_id = self.uuid();
            if let Some(apps) = list(snapshot, APPLICATIONS) {
                let i = self.below(apps.len());
                let secret = json!({
                    "customKeyIdentifier": null,
                    "displayName": "rotated client secret",
                    "endDateTime": at,
                    "hint": "rot",
                    "keyId": key_id,
                    "secretText": null,
                    "startDateTime": at,
                });
                match apps[i]["passwordCredentials"].as_array_mut() {
                    Some(creds) => creds.push(secret),
                    None => apps[i]["passwordCredentials"] = json!([secret]),
                }
            }
        }
    }

    /// A new user: a copy of an existing one with a new id and name, and their
    /// registration row (not registered for MFA).
    fn join(&mut self, snapshot: &mut Snapshot, at: &str) {
        self.joined += 1;
        let n = self.joined;
        let id = self.uuid();
        let name = format!("Bench Joiner {n}");
        let Some(users) = list(snapshot, USERS) else {
            return;
        };
        let template = users[self.below(users.len())].clone();
        let domain = template["userPrincipalName"]
            .as_str()
            .and_then(|upn| upn.split_once('@'))
            .map_or("bench.onmicrosoft.com".to_string(), |(_, d)| d.to_string());
        let upn = format!("bench.joiner.{n}@{domain}");
        let mut user = template;
        user["id"] = json!(id);
        user["displayName"] = json!(name);
        user["userPrincipalName"] = json!(upn);
        user["accountEnabled"] = json!(true);
        user["createdDateTime"] = json!(at);
        user["signInActivity"] = Value::Null;
        users.push(user);
        if let Some(rows) = list(snapshot, REGISTRATIONS) {
            let mut row = rows[self.below(rows.len())].clone();
            row["id"] = json!(id);
            row["userPrincipalName"] = json!(upn);
            row["userDisplayName"] = json!(name);
            row["isAdmin"] = json!(false);
            row["isMfaRegistered"] = json!(false);
            row["isMfaCapable"] = json!(false);
            row["isPasswordlessCapable"] = json!(false);
            row["methodsRegistered"] = json!([]);
            row["lastUpdatedDateTime"] = json!(at);
            rows.push(row);
        }
    }
}

/// A list resource of a snapshot, if present, a list, and not empty (so that an index
/// drawn below its length is in it).
fn list<'a>(snapshot: &'a mut Snapshot, key: &str) -> Option<&'a mut Vec<Value>> {
    snapshot
        .resources
        .get_mut(key)?
        .as_array_mut()
        .filter(|items| !items.is_empty())
}

/// Assesses a snapshot the way `sspm assess` does (serialized, loaded, evaluated).
fn assess(
    evaluator: &Evaluator<'_>,
    keys: &BTreeSet<String>,
    snapshot: &Snapshot,
) -> Result<Assessment> {
    let text = serde_json::to_string(snapshot).context("cannot serialize the snapshot")?;
    let loaded = LoadedSnapshot::from_json_keeping(&snapshot.instance, &text, Some(keys))?;
    Ok(evaluator.assess(&loaded)?)
}

/// One backend being measured: its store, a side connection that reads sizes, and what
/// was measured so far.
pub(super) struct Bench {
    backend: Backend,
    pub(super) store: Store,
    pub(super) probe: Probe,
    pub(super) location: String,
    empty: u64,
    last: u64,
    writes: Vec<Write>,
    begins: Vec<Duration>,
    scans: Vec<ScanId>,
}

struct Write {
    new_snapshot: bool,
    duration: Duration,
    growth: i64,
}

pub(super) enum Probe {
    Sqlite {
        pool: SqlitePool,
        dir: PathBuf,
        file: PathBuf,
    },
    Postgres {
        pool: PgPool,
        admin: String,
        schema: String,
    },
}

fn options(dir: Option<&Path>) -> StoreOptions {
    StoreOptions {
        master_key: Some(MasterKey::generate("bench")),
        key_file: dir.map(|d| d.join("master.key")),
        ..StoreOptions::default()
    }
}

impl Bench {
    pub(super) async fn open_sqlite() -> Result<Self> {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("sspm-bench-store-{}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let file = dir.join("sspm.db");
        let Some(path) = file.to_str() else {
            bail!("{} is not valid UTF-8: set TMPDIR", file.display());
        };
        let url = sspm_store::paths::sqlite_url(path);
        let store = Store::open_with(&url, options(Some(&dir)))
            .await
            .with_context(|| format!("cannot open the SQLite store {}", file.display()))?;
        let connect = SqliteConnectOptions::from_str(&url)
            .with_context(|| format!("bad SQLite URL {url}"))?
            .read_only(true)
            // The per-table sizes (`dbstat`) are slow on purpose; no warnings about it.
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect)
            .await
            .with_context(|| format!("cannot open {} to measure it", file.display()))?;
        Self::new(
            Backend::Sqlite,
            store,
            Probe::Sqlite {
                pool,
                dir,
                file: file.clone(),
            },
            file.display().to_string(),
        )
        .await
    }

    pub(super) async fn open_postgres(admin: &str) -> Result<Self> {
        let schema = format!(
            "sspm_bench_{}_{:x}",
            std::process::id(),
            Utc::now().timestamp_micros()
        );
        let shown = sspm_store::redact_url(admin);
        let connect = PgConnectOptions::from_str(admin)
            .with_context(|| format!("bad PostgreSQL URL {shown}"))?
            .disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(connect)
            .await
            .with_context(|| {
                format!("PostgreSQL is not reachable at {shown}: start it or pass --postgres-url")
            })?;
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&pool)
            .await
            .with_context(|| format!("cannot create schema {schema} on {shown}"))?;
        let probe = Probe::Postgres {
            pool,
            admin: shown.clone(),
            schema: schema.clone(),
        };
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options[search_path]={schema}");
        let store = match Store::open_with(&url, options(None)).await {
            Ok(store) => store,
            Err(e) => {
                probe.remove().await;
                return Err(e).with_context(|| format!("cannot open the store in schema {schema}"));
            }
        };
        Self::new(
            Backend::Postgres,
            store,
            probe,
            format!("{shown} schema {schema}"),
        )
        .await
    }

    async fn new(backend: Backend, store: Store, probe: Probe, location: String) -> Result<Self> {
        let mut bench = Self {
            backend,
            store,
            probe,
            location,
            empty: 0,
            last: 0,
            writes: Vec::new(),
            begins: Vec::new(),
            scans: Vec::new(),
        };
        match bench.size().await {
            Ok(size) => {
                bench.empty = size;
                bench.last = size;
                Ok(bench)
            }
            Err(e) => {
                bench.finish().await;
                Err(e)
            }
        }
    }

    pub(super) fn name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The database's current size (see the module documentation).
    async fn size(&self) -> Result<u64> {
        let bytes: i64 = match &self.probe {
            Probe::Sqlite { pool, .. } => sqlx::query_scalar(
                "SELECT ((SELECT page_count FROM pragma_page_count()) \
                 - (SELECT freelist_count FROM pragma_freelist_count())) \
                 * (SELECT page_size FROM pragma_page_size())",
            )
            .fetch_one(pool)
            .await
            .context("cannot read the SQLite page count")?,
            Probe::Postgres { pool, schema, .. } => sqlx::query_scalar(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = $1 AND c.relkind = 'r'",
            )
            .bind(schema)
            .fetch_one(pool)
            .await
            .context("cannot read the PostgreSQL relation sizes")?,
        };
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    /// Writes one scan and records its time and the database's growth.
    async fn write(
        &mut self,
        instance: &str,
        snapshot: &Snapshot,
        assessment: &Assessment,
        new_snapshot: bool,
        assess: Option<Duration>,
    ) -> Result<()> {
        let began = Instant::now();
        let scan = self.store.begin_scan(instance).await?;
        self.begins.push(began.elapsed());
        let started = Instant::now();
        self.store
            .complete_scan(
                scan,
                snapshot,
                assessment,
                ScanTimings {
                    collect: None,
                    assess,
                },
            )
            .await
            .with_context(|| format!("{}: cannot write scan {scan}", self.name()))?;
        let duration = started.elapsed();
        let size = self.size().await?;
        let growth =
            i64::try_from(size).unwrap_or(i64::MAX) - i64::try_from(self.last).unwrap_or(0);
        self.last = size;
        self.writes.push(Write {
            new_snapshot,
            duration,
            growth,
        });
        self.scans.push(scan);
        Ok(())
    }

    /// The snapshots table's count and sizes, through the side connection.
    async fn snapshot_sizes(&self) -> Result<(i64, i64, i64)> {
        const SQL: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT), \
             CAST(COALESCE(SUM(stored_size), 0) AS BIGINT) FROM snapshots";
        match &self.probe {
            Probe::Sqlite { pool, .. } => sqlx::query_as(SQL).fetch_one(pool).await,
            Probe::Postgres { pool, schema, .. } => {
                sqlx::query_as(&SQL.replace("FROM snapshots", &format!("FROM {schema}.snapshots")))
                    .fetch_one(pool)
                    .await
            }
        }
        .context("cannot read the snapshot sizes")
    }

    /// Bytes per table, largest first (empty if the backend cannot tell).
    async fn tables(&self) -> Vec<(String, u64)> {
        let rows: Result<Vec<(String, i64)>, sqlx::Error> = match &self.probe {
            Probe::Sqlite { pool, .. } => {
                sqlx::query_as(
                    "SELECT name, CAST(SUM(pgsize) AS BIGINT) FROM dbstat GROUP BY name ORDER BY 2 DESC",
                )
                .fetch_all(pool)
                .await
            }
            Probe::Postgres { pool, schema, .. } => {
                sqlx::query_as(
                    "SELECT c.relname::text, pg_total_relation_size(c.oid) FROM pg_class c \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 2 DESC",
                )
                .bind(schema)
                .fetch_all(pool)
                .await
            }
        };
        match rows {
            Ok(rows) => rows
                .into_iter()
                .map(|(name, bytes)| (name, u64::try_from(bytes).unwrap_or(0)))
                .collect(),
            Err(e) => {
                eprintln!("{}: no per-table sizes ({e})", self.name());
                Vec::new()
            }
        }
    }

    /// Closes the store, measures what is left on disk (SQLite: database + WAL files)
    /// and removes the database.
    pub(super) async fn finish(&self) -> Option<u64> {
        self.store.close().await;
        let on_disk = match &self.probe {
            Probe::Sqlite { pool, file, .. } => {
                pool.close().await;
                let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
                let wal = PathBuf::from(format!("{}-wal", file.display()));
                Some(len(file) + len(&wal))
            }
            Probe::Postgres { .. } => None,
        };
        self.probe.remove().await;
        on_disk
    }
}

impl Probe {
    /// Removes the benchmark database: the temporary directory or the schema.
    async fn remove(&self) {
        match self {
            Probe::Sqlite { dir, .. } => {
                if let Err(e) = std::fs::remove_dir_all(dir) {
                    eprintln!("cannot remove {}: {e}", dir.display());
                }
            }
            Probe::Postgres {
                pool,
                admin,
                schema,
            } => {
                let drop = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(pool)
                    .await;
                if let Err(e) = drop {
                    eprintln!("cannot drop schema {schema} on {admin}: {e}; drop it by hand");
                }
                pool.close().await;
            }
        }
    }
}

/// The kinds of scan pairs the diff query compares.
const PAIRS: [&str; 4] = [
    "consecutive, results changed",
    "consecutive, new snapshot, same results",
    "consecutive, same snapshot",
    "latest vs 7 days before",
];

/// The scans compared by the diff query, as (kind, from, to), kind indexing [`PAIRS`]:
/// they cycle through two consecutive scans whose results differ, two consecutive scans
/// of different snapshots but equal results, two consecutive scans of one snapshot, and
/// the latest scan against the one `week` scans before it.
fn diff_pairs(scans: &[ScanId], written: &Written, week: usize) -> Vec<(usize, ScanId, ScanId)> {
    let n = scans.len();
    let of = |pick: &dyn Fn(usize) -> bool| -> Vec<usize> { (1..n).filter(|&i| pick(i)).collect() };
    let kinds = [
        of(&|i| written.results_changed[i]),
        of(&|i| written.changed[i] && !written.results_changed[i]),
        of(&|i| !written.changed[i]),
    ];
    let back = week.clamp(1, n - 1);
    let mut pairs = Vec::new();
    let rounds = kinds.iter().map(Vec::len).max().unwrap_or(0).max(1);
    for k in 0..rounds {
        for (kind, scans_of_kind) in kinds.iter().enumerate() {
            if !scans_of_kind.is_empty() {
                // Spread over the history with a stride prime to the list lengths.
                let i = scans_of_kind[(k * 7919) % scans_of_kind.len()];
                pairs.push((kind, scans[i - 1], scans[i]));
            }
        }
        pairs.push((3, scans[n - 1 - back], scans[n - 1]));
    }
    pairs
}

/// Whether two assessments differ in some recommendation's status or points.
fn results_differ(a: &Assessment, b: &Assessment) -> bool {
    a.results.len() != b.results.len()
        || a.results.iter().any(|x| {
            b.results
                .iter()
                .find(|y| y.id == x.id)
                .is_none_or(|y| y.status != x.status || (y.points - x.points).abs() > 1e-9)
        })
}

/// What the writes left: assessment times, results per assessment, and which scans
/// stored a new snapshot.
struct Written {
    assess: Vec<Duration>,
    results: usize,
    /// Per scan: whether its results differ from the scan before.
    results_changed: Vec<bool>,
    results_json_bytes: u64,
    offenders_json_bytes: u64,
    offenders: usize,
    changed: Vec<bool>,
}

async fn measure(args: &BenchStoreArgs, backends: &[Backend]) -> Result<StoreReport> {
    let started = Instant::now();
    let spec = spec(args.users);
    eprintln!(
        "generating a {}-user tenant ({} groups, {} service principals, {} role assignments, {} CA policies)…",
        spec.users, spec.groups, spec.service_principals, spec.role_assignments, spec.ca_policies
    );
    let generated = Instant::now();
    let mut snapshot = sspm_sim::generate_m365(&spec);
    let generate_ms = generated.elapsed().as_secs_f64() * 1000.0;
    for key in [USERS, REGISTRATIONS, CA_POLICIES, APPLICATIONS] {
        if !snapshot.resources.get(key).is_some_and(Value::is_array) {
            bail!("the simulated snapshot has no list `{key}` to change");
        }
    }
    let mut serialize = Vec::new();
    let mut snapshot_json_bytes = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let json = serde_json::to_vec(&snapshot).context("cannot serialize the snapshot")?;
        serialize.push(t.elapsed());
        snapshot_json_bytes = json.len() as u64;
    }
    let resources = snapshot.resources.len();
    let catalog = Catalog::load(&[])?;
    let keys = catalog.resource_keys();
    let evaluator = Evaluator::new(&catalog, AssessOptions::default())?;
    let instance = snapshot.instance.clone();

    let mut benches = Vec::new();
    for backend in backends {
        let opened = match backend {
            Backend::Sqlite => Bench::open_sqlite().await,
            Backend::Postgres => Bench::open_postgres(&args.postgres_url).await,
        };
        match opened {
            Ok(bench) => benches.push(bench),
            Err(e) => {
                for bench in &benches {
                    bench.finish().await;
                }
                return Err(e);
            }
        }
    }
    let written = match write_all(
        args,
        &mut benches,
        &evaluator,
        &keys,
        &mut snapshot,
        &instance,
    )
    .await
    {
        Ok(written) => written,
        Err(e) => {
            for bench in &benches {
                bench.finish().await;
            }
            return Err(e);
        }
    };
    drop(snapshot);
    let mut reports = Vec::new();
    let mut failure = None;
    for bench in benches {
        // Every backend is removed, even after another one failed.
        match report_of(bench, args, &catalog, &instance, &written).await {
            Ok(report) => reports.push(report),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(StoreReport {
        tenant: TenantInfo {
            users: spec.users,
            groups: spec.groups,
            service_principals: spec.service_principals,
            role_assignments: spec.role_assignments,
            ca_policies: spec.ca_policies,
            resources,
            results: written.results,
            snapshot_json_bytes,
            snapshot_serialize_ms: Stats::of(&serialize).p50_ms,
            results_json_bytes: written.results_json_bytes,
            offenders_json_bytes: written.offenders_json_bytes,
            offenders: written.offenders,
            generate_ms,
        },
        scans: args.scans,
        change_every: args.change_every.max(1),
        new_snapshot_scans: written.changed.iter().filter(|c| **c).count(),
        results_changed_scans: written.results_changed.iter().filter(|c| **c).count(),
        history_days: HISTORY_DAYS,
        assess: Stats::of(&written.assess),
        backends: reports,
        wall_s: started.elapsed().as_secs_f64(),
        method: method_notes(),
    })
}

/// Writes every scan to every backend, changing and re-assessing the tenant every
/// `--change-every`-th scan.
async fn write_all(
    args: &BenchStoreArgs,
    benches: &mut [Bench],
    evaluator: &Evaluator<'_>,
    keys: &BTreeSet<String>,
    snapshot: &mut Snapshot,
    instance: &str,
) -> Result<Written> {
    for bench in benches.iter() {
        let new = NewInstance {
            name: instance.to_string(),
            app: snapshot.app.clone(),
            config: json!({}),
            recommendations: true,
        };
        bench
            .store
            .add_instance(&new, "bench")
            .await
            .with_context(|| format!("{}: cannot add the instance", bench.name()))?;
    }
    let change_every = args.change_every.max(1);
    let now = Utc::now();
    let mut churn = Churn::new(2026);
    let mut current: Option<Assessment> = None;
    let mut assess_times = Vec::new();
    let mut changed = Vec::with_capacity(args.scans);
    let mut results_changed = Vec::with_capacity(args.scans);
    let progress_every = (args.scans / 10).max(1);
    let writing = Instant::now();
    for i in 0..args.scans {
        let at = scan_time(now, i, args.scans);
        let collected_at = rfc3339(at - chrono::Duration::seconds(90));
        let new_snapshot = i % change_every == 0;
        if i > 0 && new_snapshot {
            churn.apply(snapshot, &collected_at);
        }
        snapshot.collected_at = collected_at.clone();
        let mut assess_time = None;
        let mut differ = false;
        let assessment = match current.take() {
            Some(assessment) if !new_snapshot => assessment,
            before => {
                let t = Instant::now();
                let fresh = tokio::task::block_in_place(|| assess(evaluator, keys, snapshot))?;
                let d = t.elapsed();
                assess_times.push(d);
                assess_time = Some(d);
                differ = before.is_some_and(|b| results_differ(&b, &fresh));
                fresh
            }
        };
        let assessment = current.insert(assessment);
        assessment.collected_at = collected_at;
        assessment.assessed_at = rfc3339(at);
        for bench in benches.iter_mut() {
            bench
                .write(instance, snapshot, assessment, new_snapshot, assess_time)
                .await?;
        }
        changed.push(new_snapshot);
        results_changed.push(differ);
        if (i + 1) % progress_every == 0 || i + 1 == args.scans {
            eprintln!(
                "written {}/{} scans ({} new snapshots) in {:.1} s",
                i + 1,
                args.scans,
                changed.iter().filter(|c| **c).count(),
                writing.elapsed().as_secs_f64()
            );
        }
    }
    let Some(last) = current else {
        bail!("no scan was written");
    };
    Ok(Written {
        assess: assess_times,
        results: last.results.len(),
        results_changed,
        results_json_bytes: serde_json::to_vec(&last.results)?.len() as u64,
        offenders_json_bytes: last
            .results
            .iter()
            .map(|r| serde_json::to_vec(&r.offenders).map_or(0, |v| v.len() as u64))
            .sum(),
        offenders: last.results.iter().map(|r| r.offenders.len()).sum(),
        changed,
    })
}

/// What the queries measured on one backend.
struct Reads {
    latest: Vec<Duration>,
    history: Vec<Duration>,
    history_points: usize,
    /// Per diff: the kind of pair, the time reading back, the time in `drift()`, and
    /// the recommendations that changed.
    diffs: Vec<(usize, Duration, Duration, usize)>,
}

/// Runs the queries on one backend, measures what it holds, and removes it.
async fn report_of(
    bench: Bench,
    args: &BenchStoreArgs,
    catalog: &Catalog,
    instance: &str,
    written: &Written,
) -> Result<BackendReport> {
    let reads = read_all(&bench, args, catalog, instance, written).await;
    // Measured before `finish` removes the database, whatever happened.
    let tables = bench.tables().await;
    let snapshots = bench.snapshot_sizes().await;
    let end_size = bench.size().await;
    let on_disk = bench.finish().await;
    let reads = reads?;
    let (stored, json, zstd) = snapshots?;
    let end_size = end_size?;

    let mean = |of: &mut dyn Iterator<Item = i64>| {
        let (sum, n) = of.fold((0i64, 0usize), |(s, n), g| (s + g, n + 1));
        if n == 0 {
            0.0
        } else {
            sum as f64 / n as f64
        }
    };
    let writes = &bench.writes;
    let per_unchanged = mean(&mut writes.iter().filter(|w| !w.new_snapshot).map(|w| w.growth));
    let per_changed = mean(&mut writes.iter().filter(|w| w.new_snapshot).map(|w| w.growth));
    let per_scan = (bench.last.saturating_sub(bench.empty)) as f64 / writes.len().max(1) as f64;
    let durations = |pick: &dyn Fn(&Write) -> bool| -> Vec<Duration> {
        writes
            .iter()
            .filter(|w| pick(w))
            .map(|w| w.duration)
            .collect()
    };
    let stored_n = stored.max(1) as f64;
    let method = match bench.backend {
        Backend::Sqlite => {
            "growth of (page_count - freelist_count) x page_size across each write; \
             on disk = database + WAL files after the store closed; tables from dbstat"
                .to_string()
        }
        Backend::Postgres => {
            "growth of the sum of pg_total_relation_size (heap + TOAST + indexes) \
             over the schema's tables across each write; on disk = the same sum at the end"
                .to_string()
        }
    };
    let bytes = Bytes {
        per_scan,
        per_unchanged_scan: per_unchanged,
        per_changed_scan: per_changed,
        empty: bench.empty,
        after_writes: bench.last,
        on_disk: on_disk.unwrap_or(end_size),
        snapshots_stored: u64::try_from(stored).unwrap_or(0),
        snapshot_json_mean: json as f64 / stored_n,
        snapshot_stored_mean: zstd as f64 / stored_n,
        tables,
        method,
    };
    type Part = dyn Fn(Duration, Duration) -> Duration;
    let pick = |kind: &dyn Fn(usize) -> bool, part: &Part| -> Vec<Duration> {
        reads
            .diffs
            .iter()
            .filter(|d| kind(d.0))
            .map(|d| part(d.1, d.2))
            .collect()
    };
    let diff_by_pair = PAIRS
        .iter()
        .enumerate()
        .map(|(i, pair)| {
            let of_kind = |k: usize| k == i;
            let n = reads.diffs.iter().filter(|d| d.0 == i).count().max(1);
            let changes: usize = reads.diffs.iter().filter(|d| d.0 == i).map(|d| d.3).sum();
            PairStats {
                pair,
                total: Stats::of(&pick(&of_kind, &|l, c| l + c)),
                load: Stats::of(&pick(&of_kind, &|l, _| l)),
                compute: Stats::of(&pick(&of_kind, &|_, c| c)),
                changed_recommendations: changes as f64 / n as f64,
            }
        })
        .collect();
    let latest = Stats::of(&reads.latest);
    let history = Stats::of(&reads.history);
    let targets = vec![
        Target {
            what: "latest recommendations p95",
            target: format!("< {TARGET_P95_MS} ms"),
            value: format!("{:.1} ms", latest.p95_ms),
            pass: latest.p95_ms < TARGET_P95_MS,
        },
        Target {
            what: "score history 90 days p95",
            target: format!("< {TARGET_P95_MS} ms"),
            value: format!("{:.1} ms", history.p95_ms),
            pass: history.p95_ms < TARGET_P95_MS,
        },
        Target {
            what: "bytes per unchanged-snapshot scan",
            target: format!("< {:.0} KB", TARGET_UNCHANGED_BYTES / 1000.0),
            value: fmt_bytes(per_unchanged),
            pass: per_unchanged < TARGET_UNCHANGED_BYTES,
        },
    ];
    Ok(BackendReport {
        backend: bench.name(),
        location: bench.location.clone(),
        bytes,
        write: Stats::of(&durations(&|_| true)),
        write_unchanged: Stats::of(&durations(&|w| !w.new_snapshot)),
        write_changed: Stats::of(&durations(&|w| w.new_snapshot)),
        begin: Stats::of(&bench.begins),
        latest_recommendations: latest,
        score_history_90d: history,
        score_history_points: reads.history_points,
        diff: Stats::of(&pick(&|_| true, &|l, c| l + c)),
        diff_load: Stats::of(&pick(&|_| true, &|l, _| l)),
        diff_compute: Stats::of(&pick(&|_| true, &|_, c| c)),
        diff_by_pair,
        targets,
    })
}

/// Times the three queries on one backend.
async fn read_all(
    bench: &Bench,
    args: &BenchStoreArgs,
    catalog: &Catalog,
    instance: &str,
    written: &Written,
) -> Result<Reads> {
    let store = &bench.store;
    let name = bench.name();
    let runs = WARMUP + args.queries;
    eprintln!("{name}: timing the queries, {} runs each…", args.queries);

    let mut latest = Vec::with_capacity(args.queries);
    for k in 0..runs {
        let t = Instant::now();
        let got = store
            .latest_assessment(instance)
            .await
            .with_context(|| format!("{name}: latest assessment"))?
            .with_context(|| format!("{name}: no latest assessment of `{instance}`"))?;
        let d = t.elapsed();
        if got.assessment.results.is_empty() {
            bail!("{name}: the latest assessment has no results");
        }
        if k >= WARMUP {
            latest.push(d);
        }
    }

    let mut history = Vec::with_capacity(args.queries);
    let mut history_points = 0;
    for k in 0..runs {
        let t = Instant::now();
        let points = store
            .score_history(instance, HISTORY_DAYS)
            .await
            .with_context(|| format!("{name}: score history"))?;
        let d = t.elapsed();
        history_points = points.len();
        if k >= WARMUP {
            history.push(d);
        }
    }

    let week = (bench.scans.len() * 7).div_ceil(HISTORY_DAYS as usize);
    let pairs = diff_pairs(&bench.scans, written, week);
    let mut diffs = Vec::with_capacity(args.queries);
    for k in 0..runs {
        let (kind, from, to) = pairs[k % pairs.len()];
        let (load, compute, changes) = diff_once(store, catalog, from, to)
            .await
            .with_context(|| format!("{name}: diff of scans {from} and {to}"))?;
        if k >= WARMUP {
            diffs.push((kind, load, compute, changes));
        }
    }
    Ok(Reads {
        latest,
        history,
        history_points,
        diffs,
    })
}

/// One diff: both scans' assessments and snapshots read back, then compared. Returns
/// the time spent reading and the time spent comparing.
async fn diff_once(
    store: &Store,
    catalog: &Catalog,
    from: ScanId,
    to: ScanId,
) -> Result<(Duration, Duration, usize)> {
    let t = Instant::now();
    let a = store
        .scan_assessment(from)
        .await?
        .with_context(|| format!("scan {from} has no assessment"))?;
    let b = store
        .scan_assessment(to)
        .await?
        .with_context(|| format!("scan {to} has no assessment"))?;
    let sa = store
        .scan_snapshot(from)
        .await?
        .with_context(|| format!("scan {from} has no snapshot"))?;
    let sb = store
        .scan_snapshot(to)
        .await?
        .with_context(|| format!("scan {to} has no snapshot"))?;
    let load = t.elapsed();
    let t = Instant::now();
    let drift = sspm_engine::drift::drift(
        catalog,
        &sspm_engine::drift::DriftSide {
            label: format!("scan {from}"),
            score: a.assessment.score,
            results: &a.assessment.results,
            snapshot: Some(&sa),
        },
        &sspm_engine::drift::DriftSide {
            label: format!("scan {to}"),
            score: b.assessment.score,
            results: &b.assessment.results,
            snapshot: Some(&sb),
        },
    );
    let compute = t.elapsed();
    Ok((load, compute, std::hint::black_box(drift).changes.len()))
}

fn method_notes() -> Vec<String> {
    [
        "bytes: growth of the database across each Store::complete_scan, averaged over the scans \
         whose snapshot was unchanged and over those that stored a new one (KB = 1,000 bytes)",
        "write: Store::complete_scan (snapshot hashing, and compression of a new snapshot, included)",
        "latest recommendations: Store::latest_assessment; score history: Store::score_history(_, 90)",
        "diff: scan_assessment x 2 + scan_snapshot x 2 + drift(); the pairs cycle through the kinds \
         shown (consecutive scans whose results differ, whose snapshots differ but results do not, \
         of one snapshot; the latest scan and the one 7 days before it)",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// Bytes in SI units (KB = 1,000 bytes).
fn fmt_bytes(b: f64) -> String {
    let abs = b.abs();
    if abs >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if abs >= 1e6 {
        format!("{:.2} MB", b / 1e6)
    } else if abs >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{b:.0} B")
    }
}

pub(super) fn fmt_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.2}")
    }
}

fn p50_p95(s: &Stats) -> String {
    format!("{} / {} ms", fmt_ms(s.p50_ms), fmt_ms(s.p95_ms))
}

fn p50_p95_max(s: &Stats) -> String {
    format!(
        "{} / {} / {} ms",
        fmt_ms(s.p50_ms),
        fmt_ms(s.p95_ms),
        fmt_ms(s.max_ms)
    )
}

pub(super) fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "MISS"
    }
}

/// Thousands separators for counts.
pub(super) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn text(r: &StoreReport) -> String {
    use std::fmt::Write as _;
    let t = &r.tenant;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sspm bench store: {} scans of one Microsoft 365 tenant over {} days",
        count(r.scans),
        r.history_days
    );
    let _ = writeln!(
        out,
        "tenant: {} users, {} groups, {} service principals, {} role assignments, {} CA policies; \
         {} resources, {} snapshot JSON (serialized in {} ms)",
        count(t.users),
        count(t.groups),
        count(t.service_principals),
        count(t.role_assignments),
        count(t.ca_policies),
        t.resources,
        fmt_bytes(t.snapshot_json_bytes as f64),
        fmt_ms(t.snapshot_serialize_ms)
    );
    let _ = writeln!(
        out,
        "assessment: {} results, {} as JSON, of which offenders {} ({} offenders)",
        t.results,
        fmt_bytes(t.results_json_bytes as f64),
        fmt_bytes(t.offenders_json_bytes as f64),
        count(t.offenders)
    );
    let _ = writeln!(
        out,
        "churn: the tenant changes every {} scans ({} scans stored a new snapshot, {} an unchanged one; \
         {} changed some recommendation); assessing a changed snapshot: p50 {} ms\n",
        r.change_every,
        count(r.new_snapshot_scans),
        count(r.scans - r.new_snapshot_scans),
        count(r.results_changed_scans),
        fmt_ms(r.assess.p50_ms)
    );

    // Rows: label, one cell per backend, target.
    type Cell = (String, Option<bool>);
    let mut rows: Vec<(String, Vec<Cell>, String)> = Vec::new();
    let mut row = |label: &str, target: &str, cell: &dyn Fn(&BackendReport) -> Cell| {
        let cells = r.backends.iter().map(cell).collect();
        rows.push((label.to_string(), cells, target.to_string()));
    };
    let target_bytes = format!("< {:.0} KB", TARGET_UNCHANGED_BYTES / 1000.0);
    let target_ms = format!("p95 < {TARGET_P95_MS} ms");
    row("bytes per unchanged-snapshot scan", &target_bytes, &|b| {
        let v = b.bytes.per_unchanged_scan;
        (fmt_bytes(v), Some(v < TARGET_UNCHANGED_BYTES))
    });
    row("bytes per new-snapshot scan", "", &|b| {
        (fmt_bytes(b.bytes.per_changed_scan), None)
    });
    row("bytes per scan, all", "", &|b| {
        (fmt_bytes(b.bytes.per_scan), None)
    });
    row("on disk at the end", "", &|b| {
        (fmt_bytes(b.bytes.on_disk as f64), None)
    });
    row("snapshots stored, mean JSON -> zstd", "", &|b| {
        (
            format!(
                "{} x {} -> {}",
                b.bytes.snapshots_stored,
                fmt_bytes(b.bytes.snapshot_json_mean),
                fmt_bytes(b.bytes.snapshot_stored_mean)
            ),
            None,
        )
    });
    row("write one scan p50 / p95 / max", "", &|b| {
        (p50_p95_max(&b.write), None)
    });
    row("  unchanged snapshot p50 / p95", "", &|b| {
        (p50_p95(&b.write_unchanged), None)
    });
    row("  new snapshot p50 / p95", "", &|b| {
        (p50_p95(&b.write_changed), None)
    });
    row("  begin_scan p50 / p95", "", &|b| (p50_p95(&b.begin), None));
    row("latest recommendations p50 / p95", &target_ms, &|b| {
        let s = &b.latest_recommendations;
        (p50_p95(s), Some(s.p95_ms < TARGET_P95_MS))
    });
    row("score history 90 days p50 / p95", &target_ms, &|b| {
        let s = &b.score_history_90d;
        (p50_p95(s), Some(s.p95_ms < TARGET_P95_MS))
    });
    row("  daily points returned", "", &|b| {
        (b.score_history_points.to_string(), None)
    });
    row("diff of two scans p50 / p95", "", &|b| {
        (p50_p95(&b.diff), None)
    });
    row("  read back p50 / p95", "", &|b| {
        (p50_p95(&b.diff_load), None)
    });
    row("  drift() p50 / p95", "", &|b| {
        (p50_p95(&b.diff_compute), None)
    });
    for (i, pair) in PAIRS.iter().enumerate() {
        row(&format!("  {pair}: p50 / p95"), "", &|b| {
            (p50_p95(&b.diff_by_pair[i].total), None)
        });
        row("    of it drift() p50 / p95", "", &|b| {
            (p50_p95(&b.diff_by_pair[i].compute), None)
        });
    }

    let label_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let cell = |c: &Cell| match c.1 {
        Some(pass) => format!("{}  {}", c.0, verdict(pass)),
        None => c.0.clone(),
    };
    let cell_w = rows
        .iter()
        .flat_map(|r| r.1.iter().map(|c| cell(c).len()))
        .max()
        .unwrap_or(0)
        .max(10);
    let _ = write!(out, "{:label_w$}", "");
    for b in &r.backends {
        let _ = write!(out, "  {:cell_w$}", b.backend);
    }
    let _ = writeln!(out, "  target");
    for (label, cells, target) in &rows {
        let _ = write!(out, "{label:label_w$}");
        for c in cells {
            let _ = write!(out, "  {:cell_w$}", cell(c));
        }
        let _ = writeln!(out, "  {target}");
    }
    for b in &r.backends {
        let _ = writeln!(out, "\n{} ({}):", b.backend, b.location);
        let _ = writeln!(out, "  bytes: {}", b.bytes.method);
        let mut tables: Vec<String> = b
            .bytes
            .tables
            .iter()
            .take(4)
            .map(|(name, bytes)| format!("{name} {}", fmt_bytes(*bytes as f64)))
            .collect();
        let rest: u64 = b.bytes.tables.iter().skip(4).map(|t| t.1).sum();
        if rest > 0 {
            tables.push(format!(
                "{} others {}",
                b.bytes.tables.len() - 4,
                fmt_bytes(rest as f64)
            ));
        }
        if !tables.is_empty() {
            let _ = writeln!(out, "  by table: {}", tables.join(", "));
        }
        let missed: Vec<&Target> = b.targets.iter().filter(|t| !t.pass).collect();
        for t in missed {
            let _ = writeln!(
                out,
                "  MISS: {} is {} (target {})",
                t.what, t.value, t.target
            );
        }
    }
    let _ = writeln!(out, "\nmethod:");
    for note in &r.method {
        let _ = writeln!(out, "  {note}");
    }
    let _ = writeln!(out, "wall time {:.0} s", r.wall_s);
    out
}

//! `sspm bench serve`: the web server benchmark.
//!
//! **Data set.** A fresh store (SQLite in a temporary directory, PostgreSQL in a schema
//! of its own, as `bench store` makes them) gets `--instances` Microsoft 365 instances
//! (100 by default). Each instance's assessment has `--recommendations` results (150 by
//! default): every built-in Microsoft 365 check's metadata (id, title, severity, points,
//! scoring, benchmarks, initiatives), then synthetic results `m365.bench.extra_NNN`
//! (metadata copied from a real check, with their own id, title and points) up to the
//! count. Statuses are seeded per instance and check: about 6 % `manual`, 3 % `error`,
//! the rest `fail` or `pass`, with fewer failures day after day (the posture improves);
//! a failed result has 1–4 offenders (stable per instance and check). Points, ranks and
//! the score come from `sspm_engine::scoring` (`to_result`, `rank`, `score_of`). The
//! snapshot is small (two resources) and the same for every instance but its names.
//!
//! **History.** With `--history scans` (the default) every instance gets one full scan
//! (`Store::begin_scan` + `Store::complete_scan`) per day for `--days` days (90), the
//! last one now, so 100 × 90 = 9,000 scans, each with all its results; the daily score
//! points are what `complete_scan` writes for the scan's `assessed_at` day. With
//! `--history scores` only the last day is a full scan and the earlier days' score
//! points are inserted into `daily_scores` directly (quicker to build, same view).
//!
//! **Load.** The store is opened as `sspm serve` opens it (`open_for_serving`, a pool of
//! 16), served in-process on `127.0.0.1:0`, and an admin token is created. One request
//! to `GET /api/v1/recommendations` warms the server up (it builds the server's cached
//! view; its time is reported), then `POST /login` with the token gives a session for
//! the dashboard overview `GET /`. Each endpoint is loaded in turn by
//! `wrk -t2 -c<connections> -d<duration>s --latency` (a child process on the same
//! machine, so it competes with the server for the CPU); requests per second and the
//! latency distribution are wrk's, and errors are its non-2xx/3xx responses plus its
//! socket errors (connect, read, write, timeout — wrk's timeout is 2 s).
//!
//! **Target.** p99 < 50 ms and no errors, per endpoint.

use std::net::SocketAddr;
use std::process::Command as Process;
use std::str::FromStr as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sspm_engine::eval::Outcome as CheckOutcome;
use sspm_engine::{scoring, Catalog, Initiatives};
use sspm_model::{Assessment, CheckMeta, CheckResult, Offender, Scoring, Snapshot, Status};
use sspm_store::{Backend, NewInstance, Role, ScanId, ScanTimings, Store};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::store::{count, fmt_ms, rfc3339, verdict, Bench, Probe};
use crate::cli::{BenchFormat, BenchServeArgs};
use crate::server::{self, AppState};
use crate::Outcome;

/// The target from the issue, per endpoint: p99 below this and no errors.
const TARGET_P99_MS: f64 = 50.0;
/// Who the benchmark's store writes are attributed to.
const ACTOR: &str = "bench";
const RECOMMENDATIONS: &str = "/api/v1/recommendations";
const OVERVIEW: &str = "/";

pub fn run(args: BenchServeArgs) -> Result<Outcome> {
    if args.instances == 0 || args.recommendations == 0 || args.days == 0 {
        bail!("--instances, --recommendations and --days must be at least 1");
    }
    if args.connections == 0 || args.duration == 0 {
        bail!("--connections and --duration must be at least 1");
    }
    check_wrk()?;
    let backends: Vec<Backend> = match args.backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![Backend::Postgres],
        _ => vec![Backend::Sqlite, Backend::Postgres],
    };
    let (catalog, initiatives) = crate::commands::load_catalog(&Default::default())?;
    let report = crate::stored::runtime()?.block_on(measure(
        &args,
        &backends,
        Arc::new(catalog),
        Arc::new(initiatives),
    ))?;
    match args.format {
        BenchFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        BenchFormat::Text => print!("{}", text(&report)),
    }
    Ok(Outcome::Ok)
}

/// Fails with how to install `wrk` when it cannot be run.
fn check_wrk() -> Result<()> {
    match Process::new("wrk").arg("--version").output() {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("`wrk` (the HTTP load generator) is not installed: apt-get install -y wrk")
        }
        Err(e) => Err(e).context("cannot run `wrk`: apt-get install -y wrk"),
    }
}

/// What `sspm bench serve` reports (`--format json` prints it as is).
#[derive(Debug, Serialize)]
pub struct ServeReport {
    pub instances: usize,
    pub recommendations_per_instance: usize,
    /// Of them, results of built-in checks (the rest are synthetic).
    pub builtin_checks: usize,
    pub days: u32,
    /// `scans` (a full scan per instance per day) or `scores` (see the module docs).
    pub history: String,
    pub connections: usize,
    pub wrk_threads: usize,
    pub duration_s: u64,
    pub target: String,
    pub backends: Vec<BackendReport>,
    pub pass: bool,
    pub wall_s: f64,
}

#[derive(Debug, Serialize)]
pub struct BackendReport {
    pub backend: &'static str,
    /// The database file or the PostgreSQL schema.
    pub location: String,
    /// Whether the store was kept (`--keep`) or removed.
    pub kept: bool,
    /// Full scans written (`begin_scan` + `complete_scan`).
    pub scans_written: usize,
    /// Score points inserted directly (`--history scores`).
    pub score_points_inserted: usize,
    /// Writing the data set: instances, scans and score points.
    pub write_s: f64,
    /// Daily score points of the first instance, as the store returns them.
    pub history_points: usize,
    /// The first `GET /api/v1/recommendations`, which builds the server's view.
    pub first_view_ms: f64,
    /// A second one, on the cached view.
    pub cached_request_ms: f64,
    /// Recommendations the API reports in total (instances × recommendations).
    pub api_total: Option<u64>,
    /// The first `GET /` (overview) of the signed-in session.
    pub first_overview_ms: f64,
    pub endpoints: Vec<EndpointReport>,
    pub pass: bool,
}

#[derive(Debug, Serialize)]
pub struct EndpointReport {
    pub endpoint: &'static str,
    #[serde(flatten)]
    pub load: Wrk,
    pub pass: bool,
}

/// What one wrk run reported.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Wrk {
    pub requests: u64,
    pub seconds: f64,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p75_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    /// Responses with a status other than 2xx or 3xx.
    pub non_2xx_3xx: u64,
    /// Connect, read, write and timeout errors.
    pub socket_errors: u64,
    /// The two above together.
    pub errors: u64,
    /// wrk's own `Transfer/sec` line.
    pub transfer_per_s: String,
}

async fn measure(
    args: &BenchServeArgs,
    backends: &[Backend],
    catalog: Arc<Catalog>,
    initiatives: Arc<Initiatives>,
) -> Result<ServeReport> {
    let started = Instant::now();
    let workload = Arc::new(Workload::new(&catalog, args)?);
    let mut reports = Vec::new();
    for backend in backends {
        let bench = match backend {
            Backend::Sqlite => Bench::open_sqlite().await?,
            Backend::Postgres => Bench::open_postgres(&args.postgres).await?,
        };
        let name = bench.name();
        eprintln!("{name}: store at {}", bench.location);
        let measured = one_backend(&bench, args, &workload, &catalog, &initiatives).await;
        if args.keep {
            keep(&bench).await;
        } else {
            bench.finish().await;
        }
        let mut report = measured.with_context(|| format!("{name}: the benchmark failed"))?;
        report.kept = args.keep;
        reports.push(report);
    }
    Ok(ServeReport {
        instances: args.instances,
        recommendations_per_instance: args.recommendations,
        builtin_checks: workload.builtin,
        days: args.days,
        history: args.history.clone(),
        connections: args.connections,
        wrk_threads: wrk_threads(args.connections),
        duration_s: args.duration,
        target: format!("p99 < {TARGET_P99_MS} ms and no errors"),
        pass: reports.iter().all(|r| r.pass),
        backends: reports,
        wall_s: started.elapsed().as_secs_f64(),
    })
}

/// Closes a kept store's connections and says where it is.
async fn keep(bench: &Bench) {
    bench.store.close().await;
    match &bench.probe {
        Probe::Sqlite { pool, file, .. } => {
            pool.close().await;
            eprintln!(
                "{}: kept the store: sspm serve --store {}",
                bench.name(),
                sspm_store::paths::sqlite_url(&file.display().to_string())
            );
        }
        Probe::Postgres { pool, schema, .. } => {
            pool.close().await;
            eprintln!(
                "{}: kept the store in schema {schema} ({}); drop it with DROP SCHEMA {schema} CASCADE",
                bench.name(),
                bench.location
            );
        }
    }
}

/// The URL of a benchmark store (with its search path on PostgreSQL).
fn store_url(bench: &Bench, admin: &str) -> Result<String> {
    match &bench.probe {
        Probe::Sqlite { file, .. } => {
            let Some(path) = file.to_str() else {
                bail!("{} is not valid UTF-8: set TMPDIR", file.display());
            };
            Ok(sspm_store::paths::sqlite_url(path))
        }
        Probe::Postgres { schema, .. } => {
            let sep = if admin.contains('?') { '&' } else { '?' };
            Ok(format!("{admin}{sep}options[search_path]={schema}"))
        }
    }
}

/// Fills one backend, serves it and loads it.
async fn one_backend(
    bench: &Bench,
    args: &BenchServeArgs,
    workload: &Arc<Workload>,
    catalog: &Arc<Catalog>,
    initiatives: &Arc<Initiatives>,
) -> Result<BackendReport> {
    let name = bench.name();
    let url = store_url(bench, &args.postgres)?;
    let store = Arc::new(
        crate::serving::open_for_serving(&url)
            .await
            .context("cannot open the store for serving")?,
    );
    let result = fill_and_load(bench, &store, &url, args, workload, catalog, initiatives).await;
    store.close().await;
    let (written, served) = result?;
    let pass = served.endpoints.iter().all(|e| e.pass);
    Ok(BackendReport {
        backend: name,
        location: bench.location.clone(),
        kept: false,
        scans_written: written.scans,
        score_points_inserted: written.score_points,
        write_s: written.seconds,
        history_points: written.history_points,
        first_view_ms: served.first_view_ms,
        cached_request_ms: served.cached_request_ms,
        api_total: served.api_total,
        first_overview_ms: served.first_overview_ms,
        endpoints: served.endpoints,
        pass,
    })
}

async fn fill_and_load(
    bench: &Bench,
    store: &Arc<Store>,
    url: &str,
    args: &BenchServeArgs,
    workload: &Arc<Workload>,
    catalog: &Arc<Catalog>,
    initiatives: &Arc<Initiatives>,
) -> Result<(Written, Served)> {
    let written = write_data(bench, store, url, args, workload).await?;
    let token = store
        .create_token("bench-serve", Role::Admin, ACTOR)
        .await
        .context("cannot create the benchmark's API token")?
        .token;
    let served = serve_and_load(bench.name(), store, args, &token, catalog, initiatives).await?;
    Ok((written, served))
}

/// The generated data set: the results' metadata and the instances.
struct Workload {
    metas: Vec<CheckMeta>,
    builtin: usize,
    instances: Vec<Tenant>,
    days: u32,
    now: DateTime<Utc>,
}

struct Tenant {
    name: String,
    tenant: String,
    client: String,
}

impl Workload {
    fn new(catalog: &Catalog, args: &BenchServeArgs) -> Result<Self> {
        let real: Vec<&CheckMeta> = catalog.checks_for_app("m365").map(|c| &c.meta).collect();
        if real.is_empty() {
            bail!("the catalog has no Microsoft 365 (m365) checks");
        }
        let mut metas: Vec<CheckMeta> = real
            .iter()
            .take(args.recommendations)
            .map(|m| (*m).clone())
            .collect();
        let builtin = metas.len();
        let mut k = 0;
        while metas.len() < args.recommendations {
            k += 1;
            let template = real[(k - 1) % real.len()];
            let mut meta = template.clone();
            meta.id = format!("m365.bench.extra_{k:03}");
            meta.title = format!("Synthetic recommendation {k} ({})", template.title);
            meta.max_points = (1 + mix(k as u64, 0, 7) % 10) as f64;
            metas.push(meta);
        }
        let instances = (0..args.instances)
            .map(|i| Tenant {
                name: format!("bench-m365-{i:03}"),
                tenant: uuid(i as u64, 1),
                client: uuid(i as u64, 2),
            })
            .collect();
        Ok(Self {
            metas,
            builtin,
            instances,
            days: args.days,
            now: Utc::now(),
        })
    }

    /// When day `day` (0 = the first, `days - 1` = today) was scanned.
    fn at(&self, day: u32) -> DateTime<Utc> {
        self.now - chrono::Duration::days(i64::from(self.days - 1 - day))
    }

    /// Instance `i`'s snapshot and assessment of day `day`.
    fn scan(&self, i: usize, day: u32) -> (Snapshot, Assessment) {
        let t = &self.instances[i];
        let at = self.at(day);
        let collected_at = rfc3339(at - chrono::Duration::seconds(90));
        let mut snapshot = Snapshot::new("m365", &t.name, &t.tenant, &collected_at);
        snapshot.resources.insert(
            "graph:/v1.0/organization".to_string(),
            json!([{
                "id": t.tenant,
                "displayName": format!("Bench organisation {i}"),
                "verifiedDomains": [{"name": format!("{}.onmicrosoft.com", t.name), "isDefault": true}],
            }]),
        );
        snapshot.resources.insert(
            "graph:/v1.0/domains".to_string(),
            json!([{"id": format!("{}.onmicrosoft.com", t.name), "isVerified": true}]),
        );
        let progress = if self.days > 1 {
            f64::from(day) / f64::from(self.days - 1)
        } else {
            1.0
        };
        let mut results: Vec<CheckResult> = self
            .metas
            .iter()
            .enumerate()
            .map(|(j, meta)| result(meta, i, j, progress))
            .collect();
        scoring::rank(&mut results);
        let assessment = Assessment {
            app: "m365".to_string(),
            instance: t.name.clone(),
            tenant: t.tenant.clone(),
            collected_at,
            assessed_at: rfc3339(at),
            score: scoring::score_of(&results),
            planned_score: None,
            results,
        };
        (snapshot, assessment)
    }
}

/// Instance `i`'s result of check `j` when the posture has improved by `progress`
/// (0 on the first day, 1 today).
fn result(meta: &CheckMeta, i: usize, j: usize, progress: f64) -> CheckResult {
    let (i, j) = (i as u64, j as u64);
    let kind = unit(i, j, 1);
    let outcome = if kind < 0.06 {
        CheckOutcome {
            status: Status::Manual,
            reason: "Verify this setting by hand.".to_string(),
            offenders: Vec::new(),
            compliant: None,
            total: None,
        }
    } else if kind < 0.09 {
        CheckOutcome::error("Simulated evaluation error (bench).".to_string())
    } else {
        let fail = unit(i, j, 2) < 0.6 - 0.3 * progress;
        let total = 10 + mix(i, j, 3) % 190;
        let (compliant, total) = match meta.scoring {
            Scoring::Proportional if fail => (
                Some((total as f64 * unit(i, j, 4) * 0.9) as u64),
                Some(total),
            ),
            Scoring::Proportional => (Some(total), Some(total)),
            Scoring::Binary => (None, None),
        };
        let offenders = if fail {
            (0..1 + mix(i, j, 5) % 4)
                .map(|k| Offender {
                    kind: "user".to_string(),
                    id: uuid(i * 1_000 + j, 100 + k),
                    name: format!("Bench User {i}.{j}.{k}"),
                })
                .collect()
        } else {
            Vec::new()
        };
        CheckOutcome {
            status: if fail { Status::Fail } else { Status::Pass },
            reason: if fail {
                format!("{} objects do not comply.", offenders.len())
            } else {
                "Compliant.".to_string()
            },
            offenders,
            compliant,
            total,
        }
    };
    scoring::to_result(meta, outcome)
}

/// splitmix64 of three seeds.
fn mix(a: u64, b: u64, c: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(b.rotate_left(21))
        .wrapping_add(c.rotate_left(42))
        .wrapping_add(0x2026);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in `[0, 1)` from three seeds.
fn unit(a: u64, b: u64, c: u64) -> f64 {
    (mix(a, b, c) >> 11) as f64 / (1u64 << 53) as f64
}

fn uuid(a: u64, b: u64) -> String {
    let (x, y) = (mix(a, b, 11), mix(a, b, 12));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        x >> 32,
        (x >> 16) & 0xffff,
        x & 0xfff,
        0x8000 | ((y >> 48) & 0x3fff),
        y & 0xffff_ffff_ffff
    )
}

/// What writing the data set did.
struct Written {
    scans: usize,
    score_points: usize,
    seconds: f64,
    history_points: usize,
}

/// Adds the instances and writes their history (see the module documentation).
async fn write_data(
    bench: &Bench,
    store: &Arc<Store>,
    url: &str,
    args: &BenchServeArgs,
    workload: &Arc<Workload>,
) -> Result<Written> {
    let name = bench.name();
    let started = Instant::now();
    for t in &workload.instances {
        let new = NewInstance {
            name: t.name.clone(),
            app: "m365".to_string(),
            config: json!({"tenant_id": t.tenant, "client_id": t.client}),
            recommendations: true,
        };
        store
            .add_instance(&new, ACTOR)
            .await
            .with_context(|| format!("cannot add instance {}", t.name))?;
    }
    let full_days: Vec<u32> = if args.history == "scores" {
        vec![workload.days - 1]
    } else {
        (0..workload.days).collect()
    };
    let full_days = Arc::new(full_days);
    let total = workload.instances.len() * full_days.len();
    eprintln!(
        "{name}: writing {} scans ({} instances × {} days, {} results each)…",
        count(total),
        workload.instances.len(),
        full_days.len(),
        workload.metas.len()
    );
    // SQLite has one writer at a time; PostgreSQL takes a few at once.
    let workers = match store.backend() {
        Backend::Sqlite => 1,
        Backend::Postgres => 4,
    }
    .min(workload.instances.len());
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers {
        let (store, workload, full_days, done) = (
            Arc::clone(store),
            Arc::clone(workload),
            Arc::clone(&full_days),
            Arc::clone(&done),
        );
        tasks.spawn(async move {
            let mut last = Vec::new();
            for i in (w..workload.instances.len()).step_by(workers) {
                let mut scan_id = None;
                for &day in full_days.iter() {
                    let (snapshot, assessment) = workload.scan(i, day);
                    let scan = store.begin_scan(&workload.instances[i].name).await?;
                    store
                        .complete_scan(scan, &snapshot, &assessment, ScanTimings::default())
                        .await
                        .with_context(|| format!("cannot write scan {scan}"))?;
                    scan_id = Some(scan);
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n % (total / 10).max(1) == 0 {
                        eprintln!(
                            "{name}: written {}/{} scans in {:.1} s",
                            count(n),
                            count(total),
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
                if let Some(scan) = scan_id {
                    last.push((i, scan));
                }
            }
            anyhow::Ok(last)
        });
    }
    let mut last_scans = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        last_scans.extend(joined.context("a writer task failed")??);
    }
    let mut score_points = 0;
    if args.history == "scores" && workload.days > 1 {
        score_points = insert_scores(store.backend(), url, workload, &last_scans).await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let history_points = store
        .score_history(&workload.instances[0].name, workload.days)
        .await
        .context("cannot read the score history back")?
        .len();
    eprintln!(
        "{name}: data written in {seconds:.1} s ({} scans, {} score points inserted; {history_points} daily points per instance)",
        count(total),
        count(score_points)
    );
    Ok(Written {
        scans: total,
        score_points,
        seconds,
        history_points,
    })
}

/// `--history scores`: the score points of the days before the last, inserted directly
/// (pointing at the instance's one scan).
async fn insert_scores(
    backend: Backend,
    url: &str,
    workload: &Workload,
    last_scans: &[(usize, ScanId)],
) -> Result<usize> {
    let days = workload.days - 1;
    let mut rows = Vec::new();
    for &(i, scan) in last_scans {
        for day in 0..days {
            let (_, a) = workload.scan(i, day);
            let date = workload.at(day).date_naive().format("%Y-%m-%d").to_string();
            rows.push((scan.0, date, a.score.achieved, a.score.possible));
        }
    }
    let n = rows.len();
    match backend {
        Backend::Sqlite => {
            let connect =
                SqliteConnectOptions::from_str(url)?.busy_timeout(Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(connect)
                .await
                .context("cannot open the SQLite store to insert score points")?;
            let mut tx = pool.begin().await?;
            for (scan, day, achieved, possible) in rows {
                sqlx::query(
                    "INSERT INTO daily_scores (instance_id, day, achieved, possible, scan_id) \
                     SELECT instance_id, $2, $3, $4, id FROM scans WHERE id = $1",
                )
                .bind(scan)
                .bind(day)
                .bind(achieved)
                .bind(possible)
                .execute(&mut *tx)
                .await
                .context("cannot insert a score point")?;
            }
            tx.commit().await?;
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await
                .context("cannot connect to PostgreSQL to insert score points")?;
            let mut tx = pool.begin().await?;
            for (scan, day, achieved, possible) in rows {
                sqlx::query(
                    "INSERT INTO daily_scores (instance_id, day, achieved, possible, scan_id) \
                     SELECT instance_id, CAST($2 AS DATE), $3, $4, id FROM scans WHERE id = $1",
                )
                .bind(scan)
                .bind(day)
                .bind(achieved)
                .bind(possible)
                .execute(&mut *tx)
                .await
                .context("cannot insert a score point")?;
            }
            tx.commit().await?;
            pool.close().await;
        }
    }
    Ok(n)
}

/// What serving and loading one backend measured.
struct Served {
    first_view_ms: f64,
    cached_request_ms: f64,
    api_total: Option<u64>,
    first_overview_ms: f64,
    endpoints: Vec<EndpointReport>,
}

async fn serve_and_load(
    name: &str,
    store: &Arc<Store>,
    args: &BenchServeArgs,
    token: &str,
    catalog: &Arc<Catalog>,
    initiatives: &Arc<Initiatives>,
) -> Result<Served> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let state = AppState::new(
        Arc::clone(store),
        Arc::clone(catalog),
        Arc::clone(initiatives),
        false,
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve_on(listener, state, async move {
        let _ = stopped.await;
    }));
    let loaded = load(name, addr, args, token).await;
    let _ = stop.send(());
    match tokio::time::timeout(Duration::from_secs(30), server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => eprintln!("{name}: the server failed: {e}"),
        Ok(Err(e)) => eprintln!("{name}: the server task failed: {e}"),
        Err(_) => eprintln!("{name}: the server did not stop within 30 s"),
    }
    loaded
}

async fn load(name: &str, addr: SocketAddr, args: &BenchServeArgs, token: &str) -> Result<Served> {
    let bearer = format!("Authorization: Bearer {token}");
    eprintln!("{name}: serving on http://{addr}; warming up (the first request builds the view)…");
    let t = Instant::now();
    let first = http(addr, "GET", RECOMMENDATIONS, &[&bearer], None).await?;
    let first_view_ms = t.elapsed().as_secs_f64() * 1000.0;
    first.expect(200, RECOMMENDATIONS)?;
    let api_total = serde_json::from_slice::<Value>(&first.body)
        .ok()
        .and_then(|v| v["total"].as_u64());
    let t = Instant::now();
    http(addr, "GET", RECOMMENDATIONS, &[&bearer], None)
        .await?
        .expect(200, RECOMMENDATIONS)?;
    let cached_request_ms = t.elapsed().as_secs_f64() * 1000.0;

    let form = format!("token={}", form_encode(token));
    let login = http(
        addr,
        "POST",
        "/login",
        &["Content-Type: application/x-www-form-urlencoded"],
        Some(form.as_bytes()),
    )
    .await?;
    login.expect(303, "POST /login")?;
    let session = login
        .header("set-cookie")
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == "sspm_session")
        .map(|(_, v)| v.to_string())
        .context("POST /login set no sspm_session cookie")?;
    let cookie = format!("Cookie: sspm_session={session}");
    let t = Instant::now();
    http(addr, "GET", OVERVIEW, &[&cookie], None)
        .await?
        .expect(200, "GET / (overview)")?;
    let first_overview_ms = t.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "{name}: first request {} ms (builds the view), then {} ms cached; first overview {} ms",
        fmt_ms(first_view_ms),
        fmt_ms(cached_request_ms),
        fmt_ms(first_overview_ms)
    );

    let mut endpoints = Vec::new();
    for (endpoint, path, header) in [
        (
            "GET /api/v1/recommendations",
            RECOMMENDATIONS,
            bearer.as_str(),
        ),
        ("GET / (overview)", OVERVIEW, cookie.as_str()),
    ] {
        eprintln!(
            "{name}: wrk {endpoint}: {} connections for {} s…",
            args.connections, args.duration
        );
        let url = format!("http://{addr}{path}");
        let load = wrk(args.connections, args.duration, header, &url).await?;
        let pass = load.p99_ms < TARGET_P99_MS && load.errors == 0;
        endpoints.push(EndpointReport {
            endpoint,
            load,
            pass,
        });
    }
    Ok(Served {
        first_view_ms,
        cached_request_ms,
        api_total,
        first_overview_ms,
        endpoints,
    })
}

/// A response read by [`http`].
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn expect(&self, status: u16, what: &str) -> Result<()> {
        if self.status != status {
            bail!(
                "{what} answered {} (expected {status}): {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            );
        }
        Ok(())
    }

    /// The values of header `name` (lower case).
    fn header<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.head.lines().skip(1).filter_map(move |line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One HTTP/1.1 request on a connection of its own (closed after the response).
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[&str],
    body: Option<&[u8]>,
) -> Result<Response> {
    let what = format!("{method} {path}");
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .with_context(|| format!("{what}: cannot connect to {addr}"))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    if let Some(body) = body {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    let io = async {
        stream.write_all(&bytes).await?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await?;
        std::io::Result::Ok(out)
    };
    let out = tokio::time::timeout(Duration::from_secs(120), io)
        .await
        .with_context(|| format!("{what}: no response within 120 s"))?
        .with_context(|| format!("{what}: the connection failed"))?;
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .with_context(|| format!("{what}: not an HTTP response"))?;
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{what}: no status in the response"))?;
    let mut response = Response {
        status,
        head,
        body: out[split + 4..].to_vec(),
    };
    if response
        .header("transfer-encoding")
        .any(|v| v.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(&response.body);
    }
    Ok(response)
}

/// The body of a chunked response (what can be decoded of it).
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size.filter(|&s| s > 0) else {
            break;
        };
        let start = end + 2;
        let Some(chunk) = data.get(start..start + size) else {
            break;
        };
        out.extend_from_slice(chunk);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
    out
}

/// `application/x-www-form-urlencoded` value encoding.
fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.*".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn wrk_threads(connections: usize) -> usize {
    connections.clamp(1, 2)
}

/// Runs wrk against `url` with `header` and parses what it reports.
async fn wrk(connections: usize, seconds: u64, header: &str, url: &str) -> Result<Wrk> {
    let args = vec![
        format!("-t{}", wrk_threads(connections)),
        format!("-c{connections}"),
        format!("-d{seconds}s"),
        "--latency".to_string(),
        "-H".to_string(),
        header.to_string(),
        url.to_string(),
    ];
    let out = tokio::task::spawn_blocking(move || Process::new("wrk").args(&args).output())
        .await
        .context("the wrk task failed")?
        .context("cannot run wrk: apt-get install -y wrk")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "wrk failed ({}): {}{}",
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    parse_wrk(&stdout).with_context(|| format!("cannot read wrk's report:\n{stdout}"))
}

/// Parses the output of `wrk --latency`.
fn parse_wrk(out: &str) -> Result<Wrk> {
    let mut w = Wrk::default();
    let (mut p50, mut p75, mut p90, mut p99, mut requests, mut rps) =
        (None, None, None, None, None, None);
    for line in out.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("50%") => p50 = words.next().and_then(ms),
            Some("75%") => p75 = words.next().and_then(ms),
            Some("90%") => p90 = words.next().and_then(ms),
            Some("99%") => p99 = words.next().and_then(ms),
            Some("Requests/sec:") => rps = words.next().and_then(|v| v.parse::<f64>().ok()),
            Some("Transfer/sec:") => w.transfer_per_s = words.next().unwrap_or("").to_string(),
            _ => {}
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            // connect 0, read 0, write 0, timeout 0
            w.socket_errors = rest
                .split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            w.non_2xx_3xx = rest.trim().parse().unwrap_or(0);
        } else if line.contains(" requests in ") {
            // 62715 requests in 5.00s, 10.00MB read
            let mut words = line.split_whitespace();
            requests = words.next().and_then(|n| n.parse::<u64>().ok());
            w.seconds = words
                .nth(2)
                .map(|d| d.trim_end_matches(','))
                .and_then(ms)
                .map_or(0.0, |ms| ms / 1000.0);
        }
    }
    let (Some(p50), Some(p75), Some(p90), Some(p99)) = (p50, p75, p90, p99) else {
        bail!("no latency distribution (50% 75% 90% 99%)");
    };
    w.requests = requests.context("no `N requests in T` line")?;
    w.requests_per_s = rps.context("no `Requests/sec` line")?;
    w.p50_ms = p50;
    w.p75_ms = p75;
    w.p90_ms = p90;
    w.p99_ms = p99;
    w.errors = w.non_2xx_3xx + w.socket_errors;
    Ok(w)
}

/// A wrk duration (`812.00us`, `4.50ms`, `1.02s`, `1.00m`, `1.00h`) in milliseconds.
fn ms(text: &str) -> Option<f64> {
    let units = [
        ("us", 0.001),
        ("ms", 1.0),
        ("s", 1000.0),
        ("m", 60_000.0),
        ("h", 3_600_000.0),
    ];
    units.iter().find_map(|(suffix, scale)| {
        text.strip_suffix(suffix)?
            .parse::<f64>()
            .ok()
            .map(|v| v * scale)
    })
}

fn text(r: &ServeReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let history = if r.history == "scores" {
        "a full scan on the last day, earlier days as score points"
    } else {
        "one full scan per instance per day"
    };
    let _ = writeln!(
        out,
        "sspm bench serve: {} Microsoft 365 instances × {} recommendations ({} built-in checks + {} synthetic), \
         {} days of history ({history})",
        count(r.instances),
        r.recommendations_per_instance,
        r.builtin_checks,
        r.recommendations_per_instance - r.builtin_checks,
        r.days
    );
    let _ = writeln!(
        out,
        "load: wrk -t{} -c{} -d{}s per endpoint, on this machine; target {}",
        r.wrk_threads, r.connections, r.duration_s, r.target
    );
    for b in &r.backends {
        let _ = writeln!(
            out,
            "\n{} ({}{}):",
            b.backend,
            b.location,
            if b.kept { ", kept" } else { "" }
        );
        let mut data = format!(
            "  data: {} scans written in {:.1} s ({:.0} scans/s)",
            count(b.scans_written),
            b.write_s,
            b.scans_written as f64 / b.write_s.max(1e-9)
        );
        if b.score_points_inserted > 0 {
            let _ = write!(
                data,
                " + {} score points inserted",
                count(b.score_points_inserted)
            );
        }
        let _ = writeln!(
            out,
            "{data}; {} daily score points per instance",
            b.history_points
        );
        let _ = writeln!(
            out,
            "  first request (builds the view): {} ms; then {} ms cached; first overview page: {} ms; API total {}",
            fmt_ms(b.first_view_ms),
            fmt_ms(b.cached_request_ms),
            fmt_ms(b.first_overview_ms),
            b.api_total.map_or("?".to_string(), |n| count(n as usize))
        );
        let _ = writeln!(
            out,
            "  {:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}  verdict",
            "endpoint", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors"
        );
        for e in &b.endpoints {
            let l = &e.load;
            let _ = writeln!(
                out,
                "  {:<28} {:>9} {:>9.0} {:>9} {:>9} {:>9} {:>7}  {}",
                e.endpoint,
                count(l.requests as usize),
                l.requests_per_s,
                fmt_ms(l.p50_ms),
                fmt_ms(l.p90_ms),
                fmt_ms(l.p99_ms),
                l.errors,
                verdict(e.pass)
            );
        }
        for e in b.endpoints.iter().filter(|e| e.load.errors > 0) {
            let _ = writeln!(
                out,
                "  {}: {} non-2xx/3xx responses, {} socket errors",
                e.endpoint, e.load.non_2xx_3xx, e.load.socket_errors
            );
        }
    }
    let _ = writeln!(out, "\nverdict (p99 < {TARGET_P99_MS} ms and no errors):");
    for b in &r.backends {
        let missed: Vec<&str> = b
            .endpoints
            .iter()
            .filter(|e| !e.pass)
            .map(|e| e.endpoint)
            .collect();
        if missed.is_empty() {
            let _ = writeln!(out, "  {}: PASS", b.backend);
        } else {
            let _ = writeln!(out, "  {}: MISS ({})", b.backend, missed.join(", "));
        }
    }
    let _ = writeln!(out, "wall time {:.0} s", r.wall_s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 5s test @ http://127.0.0.1:4000/api/v1/recommendations
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    1.20ms  20.00ms   80.00%
    Req/Sec     6.30k   500.00     7.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    5.50ms
     90%    6.20ms
     99%    1.02s
  62715 requests in 5.00s, 10.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 10
  Non-2xx or 3xx responses: 5
Requests/sec:  12543.00
Transfer/sec:      2.00MB
";

    #[test]
    fn parses_wrk_latency_output() {
        let w = parse_wrk(WRK).unwrap();
        assert_eq!(w.requests, 62715);
        assert!((w.seconds - 5.0).abs() < 1e-9);
        assert!((w.p50_ms - 0.812).abs() < 1e-9);
        assert!((w.p75_ms - 5.5).abs() < 1e-9);
        assert!((w.p99_ms - 1020.0).abs() < 1e-9);
        assert!((w.requests_per_s - 12543.0).abs() < 1e-9);
        assert_eq!(w.socket_errors, 11);
        assert_eq!(w.non_2xx_3xx, 5);
        assert_eq!(w.errors, 16);
        assert_eq!(w.transfer_per_s, "2.00MB");
    }

    #[test]
    fn wrk_without_errors_has_none() {
        let clean: String = WRK
            .lines()
            .filter(|l| !l.contains("errors") && !l.contains("Non-2xx"))
            .map(|l| format!("{l}\n"))
            .collect();
        let w = parse_wrk(&clean).unwrap();
        assert_eq!(w.errors, 0);
    }

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
            b"hello world"
        );
    }

    #[test]
    fn synthetic_results_fill_up_and_score() {
        let catalog = Catalog::builtin().unwrap();
        let args = BenchServeArgs {
            instances: 2,
            recommendations: 150,
            days: 3,
            history: "scans".into(),
            connections: 1,
            duration: 1,
            backend: "sqlite".into(),
            postgres: String::new(),
            keep: false,
            format: BenchFormat::Text,
        };
        let w = Workload::new(&catalog, &args).unwrap();
        let (snapshot, a) = w.scan(1, 2);
        assert_eq!(a.results.len(), 150);
        assert_eq!(snapshot.instance, "bench-m365-001");
        assert!(a
            .results
            .iter()
            .any(|r| r.id.starts_with("m365.bench.extra_")));
        assert!(a.score.possible > 0.0);
        assert!(a.results.windows(2).all(|p| p[0].rank + 1 == p[1].rank));
        let (_, first) = w.scan(1, 0);
        assert!(first.score.achieved <= a.score.achieved);
    }
}

//! One suite, run against both backends: every test below runs once on SQLite (a file in
//! a temporary directory) and once on PostgreSQL (a schema of its own, dropped at the end).
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432/test` (trust auth), or at
//! `$SSPM_TEST_POSTGRES_URL`. When it cannot be reached the PostgreSQL tests FAIL: CI
//! starts it, and a silently skipped backend would hide its bugs.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;
use sspm_model::{
    Assessment, Benchmark, CheckResult, Effort, Failure, Offender, Score, Scoring, Severity,
    Snapshot, Status,
};
use sspm_store::{
    Backend, MasterKey, NewInstance, RecommendationState, ScanStatus, ScanTimings, Secret,
    StateChange, Store, StoreError, StoreOptions,
};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database for one test: its own SQLite file or its own PostgreSQL schema.
struct TestDb {
    backend: Backend,
    url: String,
    dir: tempfile::TempDir,
    key: MasterKey,
    /// PostgreSQL: the admin URL and the schema to drop at the end.
    pg: Option<(String, String)>,
}

fn random_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

impl TestDb {
    async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let key = MasterKey::generate("test");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("sspm.db").display());
                Self {
                    backend,
                    url,
                    dir,
                    key,
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = std::env::var("SSPM_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
                let schema = format!("sspm_test_{}", random_suffix());
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "PostgreSQL is not reachable at {admin}: {e}\n\
                             The store's test suite runs against PostgreSQL too. Start it \
                             (`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
                             as .ci/run does) or point SSPM_TEST_POSTGRES_URL at a server \
                             with trust auth."
                        )
                    });
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&pool)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create schema {schema} on {admin}: {e}"));
                pool.close().await;
                let sep = if admin.contains('?') { '&' } else { '?' };
                let url = format!("{admin}{sep}options[search_path]={schema}");
                Self {
                    backend,
                    url,
                    dir,
                    key,
                    pg: Some((admin, schema)),
                }
            }
        }
    }

    fn options(&self) -> StoreOptions {
        StoreOptions {
            master_key: Some(self.key.clone()),
            key_file: Some(self.dir.path().join("master.key")),
            ..StoreOptions::default()
        }
    }

    async fn open(&self) -> Store {
        let store = Store::open_with(&self.url, self.options())
            .await
            .unwrap_or_else(|e| panic!("open {}: {e}", self.url));
        assert_eq!(store.backend(), self.backend);
        store
    }

    /// Runs raw SQL on the test database, behind the store's back.
    async fn exec(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("connect");
                sqlx::query(sql).execute(&pool).await.expect(sql);
                pool.close().await;
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("connect");
                sqlx::query(sql).execute(&pool).await.expect(sql);
                pool.close().await;
            }
        }
    }

    /// Runs a query returning one integer.
    async fn count(&self, sql: &str) -> i64 {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("connect");
                let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
                pool.close().await;
                n
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("connect");
                let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect(sql);
                pool.close().await;
                n
            }
        }
    }

    async fn cleanup(&self) {
        if let Some((admin, schema)) = &self.pg {
            if let Ok(pool) = sqlx::PgPool::connect(admin).await {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }
}

/// Runs a test body on a fresh database of `backend`, and drops the database even when
/// the body panics.
async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = Arc::new(TestDb::new(backend).await);
    let outcome = tokio::spawn(body(db.clone())).await;
    db.cleanup().await;
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::run(sspm_store::Backend::Sqlite, super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::run(sspm_store::Backend::Postgres, super::$name).await;
            }
        }
    )*};
}

both_backends!(
    migrations_apply_twice,
    instance_crud_is_audited,
    credentials_round_trip,
    snapshots_are_stored_once,
    completed_scan_reads_back,
    failed_write_leaves_nothing,
    many_results_round_trip,
    child_killed_mid_scan_leaves_no_half_scan,
    recover_marks_dead_scans_failed,
    states_set_expire_and_audit,
    daily_scores_one_per_day,
);

// ---------------------------------------------------------------------------------------
// Test data

fn new_instance(name: &str) -> NewInstance {
    NewInstance {
        name: name.to_string(),
        app: "m365".to_string(),
        config: json!({ "tenant_id": "00000000-0000-0000-0000-000000000001" }),
        recommendations: true,
    }
}

fn snapshot(instance: &str, collected_at: &str, users: usize) -> Snapshot {
    let mut s = Snapshot::new("m365", instance, "contoso.onmicrosoft.com", collected_at);
    let list: Vec<_> = (0..users)
        .map(|i| json!({ "id": format!("user-{i}"), "userPrincipalName": format!("user{i}@contoso.com"), "accountEnabled": true }))
        .collect();
    s.resources.insert("graph:/v1.0/users".into(), json!(list));
    s.resources.insert(
        "graph:/v1.0/policies/authorizationPolicy".into(),
        json!({ "allowInvitesFrom": "everyone" }),
    );
    s
}

fn result(id: &str, status: Status, points: f64, max: f64, rank: usize) -> CheckResult {
    CheckResult {
        id: id.to_string(),
        title: format!("Title of {id}"),
        severity: Severity::High,
        status,
        points,
        max_points: max,
        compliant: None,
        total: None,
        offenders: vec![],
        reason: format!("reason of {id}"),
        benchmarks: vec![Benchmark {
            framework: "cisa-scuba".into(),
            id: "MS.AAD.1.1v1".into(),
        }],
        initiatives: vec!["identity-security".into()],
        scoring: Scoring::Binary,
        user_impact: Effort::Moderate,
        implementation_cost: Effort::Low,
        rank,
        state: None,
    }
}

fn assessment(instance: &str, assessed_at: &str, results: Vec<CheckResult>) -> Assessment {
    let achieved = results
        .iter()
        .filter(|r| r.is_scored())
        .map(|r| r.points)
        .sum();
    let possible = results.iter().map(|r| r.possible()).sum();
    Assessment {
        app: "m365".into(),
        instance: instance.into(),
        tenant: "contoso.onmicrosoft.com".into(),
        collected_at: assessed_at.into(),
        assessed_at: assessed_at.into(),
        score: Score::new(achieved, possible),
        planned_score: None,
        results,
    }
}

/// A typical assessment: a failing proportional check with offenders, a pass, an error.
fn rich_assessment(instance: &str, assessed_at: &str) -> Assessment {
    let mut mfa = result("m365.entra.mfa_all_users", Status::Fail, 5.0, 10.0, 1);
    mfa.scoring = Scoring::Proportional;
    mfa.compliant = Some(50);
    mfa.total = Some(100);
    mfa.severity = Severity::Critical;
    mfa.offenders = vec![Offender {
        kind: "user".into(),
        id: "user-1".into(),
        name: "user1@contoso.com".into(),
    }];
    let legacy = result("m365.entra.legacy_auth_blocked", Status::Pass, 8.0, 8.0, 2);
    let mut report = result("m365.entra.registration_report", Status::Error, 0.0, 3.0, 3);
    report.reason = "graph:/v1.0/reports/x returned 403; needs AuditLog.Read.All".into();
    assessment(instance, assessed_at, vec![mfa, legacy, report])
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("valid time")
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A process id that is certainly not running: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("spawn `true`");
    let pid = child.id();
    child.wait().expect("wait for `true`");
    pid
}

// ---------------------------------------------------------------------------------------
// Tests

async fn migrations_apply_twice(db: Arc<TestDb>) {
    let store = db.open().await;
    store.migrate().await.expect("migrate again");
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    // A second store on the same database applies (nothing of) the migrations again.
    let again = db.open().await;
    again.migrate().await.expect("migrate a third time");
    let names: Vec<_> = again
        .instances()
        .await
        .expect("list")
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["contoso-prod"]);
    // 0001_init, 0002_offender_sets, 0003_api_tokens: each applied once.
    assert_eq!(db.count("SELECT COUNT(*) FROM _sqlx_migrations").await, 3);
}

async fn instance_crud_is_audited(db: Arc<TestDb>) {
    let store = db.open().await;
    let added = store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    assert!(added.recommendations);
    store
        .add_instance(&new_instance("fabrikam"), "alice")
        .await
        .expect("add a second");
    let err = store
        .add_instance(&new_instance("contoso-prod"), "bob")
        .await
        .expect_err("duplicate");
    assert!(
        matches!(err, StoreError::InstanceExists(ref n) if n == "contoso-prod"),
        "{err}"
    );
    let err = store
        .add_instance(&new_instance("bad name"), "bob")
        .await
        .expect_err("invalid name");
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");

    let got = store
        .instance("contoso-prod")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(got, added);
    assert!(store.instance("nope").await.expect("get").is_none());
    let names: Vec<_> = store
        .instances()
        .await
        .expect("list")
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["contoso-prod", "fabrikam"]);

    let config = json!({ "tenant_id": "t2", "graph_url": "https://graph.microsoft.us" });
    let updated = store
        .set_instance_config("contoso-prod", &config, "bob")
        .await
        .expect("configure");
    assert_eq!(updated.config, config);
    assert!(updated.updated_at >= added.updated_at);
    let disabled = store
        .set_recommendations("contoso-prod", false, "bob")
        .await
        .expect("disable");
    assert!(!disabled.recommendations);
    // Unchanged: no audit entry.
    store
        .set_recommendations("contoso-prod", false, "bob")
        .await
        .expect("disable again");
    let err = store
        .set_recommendations("nope", true, "bob")
        .await
        .expect_err("unknown");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");
    assert_eq!(
        store
            .instance("contoso-prod")
            .await
            .expect("get")
            .expect("exists"),
        disabled
    );

    let log = store
        .audit_log(Some("contoso-prod"), 100)
        .await
        .expect("audit");
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["instance.disable", "instance.configure", "instance.add"]
    );
    assert_eq!(log[0].actor, "bob");
    assert_eq!(log[1].details["after"], config);
    assert_eq!(
        log[1].details["before"]["tenant_id"],
        "00000000-0000-0000-0000-000000000001"
    );

    store
        .remove_instance("contoso-prod", "carol")
        .await
        .expect("remove");
    assert!(store.instance("contoso-prod").await.expect("get").is_none());
    let err = store
        .remove_instance("contoso-prod", "carol")
        .await
        .expect_err("removed already");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");
    let log = store.audit_log(None, 100).await.expect("audit");
    assert_eq!(log[0].action, "instance.remove");
    assert_eq!(log[0].target, "instance/contoso-prod");
    assert_eq!(log.len(), 5, "{log:#?}");
}

async fn credentials_round_trip(db: Arc<TestDb>) {
    const SECRET: &str = "s3cr3t-Value-that-must-never-leak-7f2c9a";
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let err = store
        .set_credential("nope", "client_secret", &Secret::from(SECRET), "alice")
        .await
        .expect_err("unknown instance");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");
    store
        .set_credential(
            "contoso-prod",
            "client_secret",
            &Secret::from("first"),
            "alice",
        )
        .await
        .expect("set");
    store
        .set_credential(
            "contoso-prod",
            "client_secret",
            &Secret::from(SECRET),
            "alice",
        )
        .await
        .expect("replace");
    let got = store
        .credential("contoso-prod", "client_secret")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(got.expose_str(), Some(SECRET));
    assert!(!format!("{got:?}").contains(SECRET));
    assert!(store
        .credential("contoso-prod", "other")
        .await
        .expect("get")
        .is_none());
    let listed = store.credentials("contoso-prod").await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "client_secret");
    assert_eq!(listed[0].key_id, db.key.id());

    // The ciphertext in the database is not the secret.
    assert_eq!(db.count("SELECT COUNT(*) FROM credentials").await, 1);
    let audit = store
        .audit_log(Some("contoso-prod"), 10)
        .await
        .expect("audit");
    assert_eq!(audit[0].action, "credential.set");
    assert!(!serde_json::to_string(&audit)
        .expect("json")
        .contains(SECRET));

    // Another master key: a clear error, never the secret.
    let other = Store::open_with(
        &db.url,
        StoreOptions {
            master_key: Some(MasterKey::generate("SSPM_MASTER_KEY")),
            ..StoreOptions::default()
        },
    )
    .await
    .expect("open with another key");
    let err = other
        .credential("contoso-prod", "client_secret")
        .await
        .expect_err("wrong key");
    assert!(matches!(err, StoreError::WrongMasterKey { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("another master key"), "{message}");
    assert!(message.contains("SSPM_MASTER_KEY"), "{message}");
    assert!(!message.contains(SECRET));
    other.close().await;

    // Removing the instance removes its credentials.
    assert!(!store
        .remove_credential("contoso-prod", "other", "alice")
        .await
        .expect("remove missing"));
    store
        .set_credential("contoso-prod", "password", &Secret::from("pw"), "alice")
        .await
        .expect("set");
    assert!(store
        .remove_credential("contoso-prod", "password", "alice")
        .await
        .expect("remove"));
    if db.backend == Backend::Sqlite {
        // Neither the database nor its WAL holds the secret's bytes.
        assert_secret_absent(&db, SECRET);
    }
    store.close().await;
    if db.backend == Backend::Sqlite {
        // Nor after the WAL is checkpointed into the database.
        assert_secret_absent(&db, SECRET);
    }
}

/// Greps every file of the test directory (database, WAL, key file) for the secret.
fn assert_secret_absent(db: &TestDb, secret: &str) {
    let mut read = 0;
    for entry in std::fs::read_dir(db.dir.path()).expect("read dir") {
        let path: PathBuf = entry.expect("entry").path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            // The WAL and shared-memory files go when the last connection closes.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("read {}: {e}", path.display()),
        };
        read += 1;
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the secret is in {}",
            path.display()
        );
    }
    assert!(read >= 1, "the database file was read");
}

async fn snapshots_are_stored_once(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let mut shas = Vec::new();
    let mut scans = Vec::new();
    for (i, users) in [(1, 500), (2, 500), (3, 501)] {
        let when = rfc3339(at(2026, 11, i, 3));
        let scan = store.begin_scan("contoso-prod").await.expect("begin");
        let rec = store
            .complete_scan(
                scan,
                &snapshot("contoso-prod", &when, users),
                &rich_assessment("contoso-prod", &when),
                ScanTimings::default(),
            )
            .await
            .expect("complete");
        shas.push(rec.snapshot_sha256.expect("snapshot hash"));
        scans.push((scan, when));
    }
    assert_eq!(shas[0], shas[1], "unchanged content, same hash");
    assert_ne!(shas[1], shas[2], "changed content, new hash");
    assert_eq!(db.count("SELECT COUNT(*) FROM snapshots").await, 2);
    assert!(
        db.count("SELECT COUNT(*) FROM snapshots WHERE stored_size * 4 < size")
            .await
            == 2,
        "snapshots are compressed"
    );
    for (i, (scan, when)) in scans.iter().enumerate() {
        let users = if i == 2 { 501 } else { 500 };
        let got = store
            .scan_snapshot(*scan)
            .await
            .expect("read snapshot")
            .expect("exists");
        assert_eq!(got, snapshot("contoso-prod", when, users));
        let json = store
            .scan_snapshot_json(*scan)
            .await
            .expect("json")
            .expect("exists");
        assert!(json.starts_with(b"{\"format\":\"sspm-snapshot/1\""));
    }
    // The three scans found the same offenders: one stored list, shared by reference, and
    // read back whole on every scan.
    assert_eq!(db.count("SELECT COUNT(*) FROM offender_sets").await, 1);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM results WHERE offender_set_id IS NOT NULL")
            .await,
        3
    );
    for (scan, when) in &scans {
        let got = store.scan_results(*scan).await.expect("results");
        assert_eq!(got, rich_assessment("contoso-prod", when).results);
    }
}

async fn completed_scan_reads_back(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    store
        .add_instance(&new_instance("fabrikam"), "alice")
        .await
        .expect("add");
    assert!(store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .is_none());
    let err = store.latest_assessment("nope").await.expect_err("unknown");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");
    let err = store.begin_scan("nope").await.expect_err("unknown");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");

    let when = "2026-11-27T03:00:00Z";
    let scan = store.begin_scan("contoso-prod").await.expect("begin");
    let running = store.scan(scan).await.expect("get").expect("exists");
    assert_eq!(running.status, ScanStatus::Running);
    assert_eq!(running.owner_pid, i64::from(std::process::id()));

    let mut snap = snapshot("contoso-prod", when, 10);
    snap.failures.insert(
        "graph:/v1.0/reports/x".into(),
        Failure {
            status: 403,
            code: Some("Authorization_RequestDenied".into()),
            message: "denied".into(),
            needs: Some("AuditLog.Read.All".into()),
        },
    );
    let expected = rich_assessment("contoso-prod", when);
    // Data of another instance is rejected.
    let err = store
        .complete_scan(
            scan,
            &snapshot("fabrikam", when, 10),
            &expected,
            ScanTimings::default(),
        )
        .await
        .expect_err("mismatch");
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");

    let rec = store
        .complete_scan(
            scan,
            &snap,
            &expected,
            ScanTimings {
                collect: Some(Duration::from_millis(1500)),
                assess: Some(Duration::from_millis(20)),
            },
        )
        .await
        .expect("complete");
    assert_eq!(rec.status, ScanStatus::Partial);
    assert_eq!(rec.collect_ms, Some(1500));
    assert_eq!(rec.assess_ms, Some(20));
    assert!(rec.write_ms.is_some());
    assert!(rec.finished_at.is_some());
    assert_eq!(rec.counts.results, 3);
    assert_eq!(
        (rec.counts.passed, rec.counts.failed, rec.counts.errors),
        (1, 1, 1)
    );
    assert_eq!((rec.counts.resources, rec.counts.failures), (2, 1));
    assert_eq!(rec.score, Some(expected.score));
    assert_eq!(rec.collected_at.as_deref(), Some(when));

    let latest = store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.scan.id, scan);
    assert_eq!(latest.assessment, expected);
    assert_eq!(
        store.scan_results(scan).await.expect("results"),
        expected.results
    );
    assert_eq!(
        store
            .scan_assessment(scan)
            .await
            .expect("assessment")
            .expect("exists")
            .assessment,
        expected
    );

    // Completing or failing it again is refused.
    let err = store
        .complete_scan(scan, &snap, &expected, ScanTimings::default())
        .await
        .expect_err("twice");
    assert!(matches!(err, StoreError::ScanNotRunning { .. }), "{err}");
    let err = store.fail_scan(scan, "late").await.expect_err("completed");
    assert!(matches!(err, StoreError::ScanNotRunning { .. }), "{err}");
    let err = store
        .fail_scan(sspm_store::ScanId(999_999), "x")
        .await
        .expect_err("unknown");
    assert!(matches!(err, StoreError::UnknownScan(_)), "{err}");

    // A later scan that fails, and one still running, leave it the latest.
    let failed = store.begin_scan("contoso-prod").await.expect("begin");
    store
        .fail_scan(failed, "token request failed: 401; check the client secret")
        .await
        .expect("fail");
    let _running = store.begin_scan("contoso-prod").await.expect("begin");
    let latest = store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.scan.id, scan);
    let failed_rec = store.scan(failed).await.expect("get").expect("exists");
    assert_eq!(failed_rec.status, ScanStatus::Failed);
    assert!(failed_rec
        .error
        .as_deref()
        .is_some_and(|e| e.contains("401")));
    assert!(store.scan_assessment(failed).await.expect("get").is_none());
    assert!(store.scan_snapshot(failed).await.expect("get").is_none());

    // A clean scan succeeds; lists are newest first.
    let clean = store.begin_scan("fabrikam").await.expect("begin");
    let ok = assessment(
        "fabrikam",
        when,
        vec![result(
            "m365.entra.legacy_auth_blocked",
            Status::Pass,
            8.0,
            8.0,
            1,
        )],
    );
    let rec = store
        .complete_scan(
            clean,
            &snapshot("fabrikam", when, 3),
            &ok,
            ScanTimings::default(),
        )
        .await
        .expect("complete");
    assert_eq!(rec.status, ScanStatus::Succeeded);
    let all = store.scans(None, 10).await.expect("scans");
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].id, clean);
    let mine = store.scans(Some("contoso-prod"), 2).await.expect("scans");
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|s| s.instance == "contoso-prod"));
    let latest_all = store.latest_assessments().await.expect("latest all");
    let names: Vec<_> = latest_all
        .iter()
        .map(|a| (a.assessment.instance.as_str(), a.scan.id))
        .collect();
    assert_eq!(names, [("contoso-prod", scan), ("fabrikam", clean)]);
}

async fn failed_write_leaves_nothing(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let when = "2026-11-27T03:00:00Z";
    let first = store.begin_scan("contoso-prod").await.expect("begin");
    store
        .complete_scan(
            first,
            &snapshot("contoso-prod", when, 5),
            &rich_assessment("contoso-prod", when),
            ScanTimings::default(),
        )
        .await
        .expect("complete");
    // Two results with the same id: the insert of the second fails mid-transaction.
    let scan = store.begin_scan("contoso-prod").await.expect("begin");
    let dup = assessment(
        "contoso-prod",
        "2026-11-28T03:00:00Z",
        vec![
            result("m365.a", Status::Pass, 1.0, 1.0, 1),
            result("m365.a", Status::Fail, 0.0, 1.0, 2),
        ],
    );
    store
        .complete_scan(
            scan,
            &snapshot("contoso-prod", "2026-11-28T03:00:00Z", 6),
            &dup,
            ScanTimings::default(),
        )
        .await
        .expect_err("duplicate result ids");
    let rec = store.scan(scan).await.expect("get").expect("exists");
    assert_eq!(
        rec.status,
        ScanStatus::Running,
        "nothing of the scan was written"
    );
    assert!(rec.finished_at.is_none());
    assert_eq!(db.count("SELECT COUNT(*) FROM snapshots").await, 1);
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM results WHERE scan_id = {}",
            scan.0
        ))
        .await,
        0
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM daily_scores").await, 1);
    let latest = store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.scan.id, first);
}

async fn many_results_round_trip(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    // More results than one INSERT carries, with offenders.
    let results: Vec<_> = (0..1201)
        .map(|i| {
            let mut r = result(&format!("m365.c{i:04}"), Status::Fail, 0.0, 2.0, i + 1);
            r.offenders = (0..3)
                .map(|j| Offender {
                    kind: "user".into(),
                    id: format!("u{i}-{j}"),
                    name: format!("User \"{j}\" ünïcode ✓"),
                })
                .collect();
            r
        })
        .collect();
    let when = "2026-11-27T03:00:00Z";
    let expected = assessment("contoso-prod", when, results);
    let scan = store.begin_scan("contoso-prod").await.expect("begin");
    store
        .complete_scan(
            scan,
            &snapshot("contoso-prod", when, 1),
            &expected,
            ScanTimings::default(),
        )
        .await
        .expect("complete");
    let latest = store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.assessment, expected);
}

/// The writer that [`child_killed_mid_scan_leaves_no_half_scan`] kills.
///
/// With the store URL in `SSPM_STORE_TEST_CHILD_URL` (in the child process) it begins a
/// scan it never completes, then writes big scans back to back until it is killed. Run as
/// a test of its own, it writes one such scan and checks that it reads back whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_scan_writer() {
    let Ok(url) = std::env::var("SSPM_STORE_TEST_CHILD_URL") else {
        let db = TestDb::new(Backend::Sqlite).await;
        let store = db.open().await;
        store
            .add_instance(&new_instance("contoso-prod"), "alice")
            .await
            .expect("add");
        let scans = write_big_scans(&store, Some(1)).await;
        let results = store.scan_results(scans[0]).await.expect("results");
        assert_eq!(results.len(), KILL_TEST_RESULTS);
        assert!(results.iter().all(|r| r.offenders.len() == 20));
        return;
    };
    let store = Store::open(&url).await.expect("child: open");
    // A scan killed during collection: begun, never completed.
    let collecting = store
        .begin_scan("contoso-prod")
        .await
        .expect("child: begin");
    println!("SSPM-CHILD-COLLECTING {}", collecting.0);
    // Scans killed during writing: big ones, written back to back until the kill.
    write_big_scans(&store, None).await;
}

/// Writes `limit` big scans (or until killed), printing each one's id before writing it.
async fn write_big_scans(store: &Store, limit: Option<usize>) -> Vec<sspm_store::ScanId> {
    use std::io::Write;
    let mut written = Vec::new();
    for i in 0..limit.unwrap_or(usize::MAX) {
        let when = rfc3339(Utc::now());
        let scan = store.begin_scan("contoso-prod").await.expect("begin");
        println!("SSPM-CHILD-WRITING {}", scan.0);
        std::io::stdout().flush().expect("flush");
        store
            .complete_scan(
                scan,
                &snapshot("contoso-prod", &when, 2000 + i),
                &kill_test_assessment("contoso-prod", &when),
                ScanTimings::default(),
            )
            .await
            .expect("complete");
        written.push(scan);
    }
    written
}

/// Results written by the child: enough that writing one scan takes a while.
fn kill_test_assessment(instance: &str, when: &str) -> Assessment {
    let results = (0..KILL_TEST_RESULTS)
        .map(|i| {
            let mut r = result(&format!("m365.k{i:05}"), Status::Fail, 0.0, 1.0, i + 1);
            r.offenders = (0..20)
                .map(|j| Offender {
                    kind: "user".into(),
                    id: format!("u{i}-{j}"),
                    name: format!("user{j}@contoso.com"),
                })
                .collect();
            r
        })
        .collect();
    assessment(instance, when, results)
}

const KILL_TEST_RESULTS: usize = 3000;

async fn child_killed_mid_scan_leaves_no_half_scan(db: Arc<TestDb>) {
    use std::io::BufRead;
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let when = "2026-11-26T03:00:00Z";
    let good = store.begin_scan("contoso-prod").await.expect("begin");
    store
        .complete_scan(
            good,
            &snapshot("contoso-prod", when, 5),
            &rich_assessment("contoso-prod", when),
            ScanTimings::default(),
        )
        .await
        .expect("complete");

    let url = db.url.clone();
    let (collecting, writing) = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "big_scan_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SSPM_STORE_TEST_CHILD_URL", &url)
            .env_remove(sspm_store::MASTER_KEY_ENV)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let mut collecting = None;
        let mut writing = Vec::new();
        // Kill it while it writes its second big scan (the first may have committed).
        while writing.len() < 2 {
            let line = match lines.next() {
                Some(Ok(line)) => line,
                other => {
                    let _ = child.kill();
                    panic!("the child stopped before it wrote two scans: {other:?}");
                }
            };
            // The harness may print `test big_scan_writer ... ` before the first line.
            if let Some((_, id)) = line.split_once("SSPM-CHILD-COLLECTING ") {
                collecting = id.trim().parse::<i64>().ok();
            } else if let Some((_, id)) = line.split_once("SSPM-CHILD-WRITING ") {
                writing.push(id.trim().parse::<i64>().expect("scan id"));
            }
        }
        // Somewhere inside the transaction, or just before or after it.
        std::thread::sleep(Duration::from_millis(u64::from(
            50 + Utc::now().timestamp_subsec_millis() % 250,
        )));
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap the child");
        (collecting.expect("the collecting scan's id"), writing)
    })
    .await
    .expect("child driver");

    // The next start recovers the child's scans.
    let store = db.open().await;
    let collecting = store
        .scan(sspm_store::ScanId(collecting))
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(collecting.status, ScanStatus::Failed);
    assert!(collecting
        .error
        .as_deref()
        .is_some_and(|e| e.contains("is gone")));
    let scans = store.scans(Some("contoso-prod"), 100).await.expect("scans");
    assert!(
        scans.iter().all(|s| s.status != ScanStatus::Running),
        "{scans:#?}"
    );
    let mut failed = 0;
    for s in &scans {
        let results = store.scan_results(s.id).await.expect("results").len();
        if s.id == good {
            continue;
        }
        match s.status {
            ScanStatus::Failed => {
                failed += 1;
                assert_eq!(results, 0, "failed scan {} has results", s.id);
                assert!(store.scan_snapshot(s.id).await.expect("snapshot").is_none());
            }
            _ => {
                assert_eq!(results, KILL_TEST_RESULTS, "scan {} is half written", s.id);
                assert!(store.scan_snapshot(s.id).await.expect("snapshot").is_some());
            }
        }
    }
    eprintln!(
        "killed the child: {failed} of its scans failed, {} completed (write times {:?} ms)",
        scans.len() - 1 - failed,
        scans.iter().filter_map(|s| s.write_ms).collect::<Vec<_>>()
    );
    assert!(failed >= 1);
    assert!(writing.iter().all(|id| scans.iter().any(|s| s.id.0 == *id)));
    // The latest assessment is whole: the last completed scan's, or the one before.
    let latest = store
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    let expected = if latest.scan.id == good {
        3
    } else {
        KILL_TEST_RESULTS
    };
    assert_eq!(latest.assessment.results.len(), expected);
}

async fn recover_marks_dead_scans_failed(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let when = "2026-11-27T03:00:00Z";
    let good = store.begin_scan("contoso-prod").await.expect("begin");
    store
        .complete_scan(
            good,
            &snapshot("contoso-prod", when, 5),
            &rich_assessment("contoso-prod", when),
            ScanTimings::default(),
        )
        .await
        .expect("complete");

    let alive = store.begin_scan("contoso-prod").await.expect("begin");
    let dead = store.begin_scan("contoso-prod").await.expect("begin");
    let elsewhere = store.begin_scan("contoso-prod").await.expect("begin");
    db.exec(&format!(
        "UPDATE scans SET owner_pid = {} WHERE id = {}",
        dead_pid(),
        dead.0
    ))
    .await;
    db.exec(&format!(
        "UPDATE scans SET owner_host = 'another-host', owner_pid = 1 WHERE id = {}",
        elsewhere.0
    ))
    .await;

    let recovered = store
        .recover("sspm was interrupted")
        .await
        .expect("recover");
    assert_eq!(recovered, [dead]);
    let rec = store.scan(dead).await.expect("get").expect("exists");
    assert_eq!(rec.status, ScanStatus::Failed);
    let error = rec.error.expect("error");
    assert!(error.starts_with("sspm was interrupted: pid "), "{error}");
    assert!(rec.finished_at.is_some());
    for id in [alive, elsewhere] {
        let rec = store.scan(id).await.expect("get").expect("exists");
        assert_eq!(rec.status, ScanStatus::Running, "scan {id}");
    }

    // Opening the store recovers too.
    let another_dead = store.begin_scan("contoso-prod").await.expect("begin");
    db.exec(&format!(
        "UPDATE scans SET owner_start = owner_start + 1 WHERE id = {}",
        another_dead.0
    ))
    .await;
    let reopened = db.open().await;
    let rec = reopened
        .scan(another_dead)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        rec.status,
        ScanStatus::Failed,
        "a reused pid is not the owner"
    );
    let rec = reopened.scan(alive).await.expect("get").expect("exists");
    assert_eq!(rec.status, ScanStatus::Running);

    // Everything else, by force.
    let mut forced = reopened.recover_all("forced").await.expect("recover all");
    forced.sort();
    assert_eq!(forced, [alive, elsewhere]);
    let err = store.fail_scan(alive, "x").await.expect_err("not running");
    assert!(matches!(err, StoreError::ScanNotRunning { .. }), "{err}");

    // The last good assessment is intact.
    let latest = reopened
        .latest_assessment("contoso-prod")
        .await
        .expect("latest")
        .expect("exists");
    assert_eq!(latest.scan.id, good);
    assert_eq!(latest.assessment, rich_assessment("contoso-prod", when));
}

async fn states_set_expire_and_audit(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let check = "m365.entra.mfa_all_users";
    let now = Utc::now();
    let future = now + chrono::Duration::days(30);
    let past = now - chrono::Duration::days(1);

    let change = |state, reason: &str, until| StateChange {
        state,
        reason: reason.to_string(),
        until,
        set_by: "alice".to_string(),
    };
    let err = store
        .set_state(
            "contoso-prod",
            check,
            &change(RecommendationState::RiskAccepted, " ", None),
        )
        .await
        .expect_err("no reason");
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    let err = store
        .set_state(
            "nope",
            check,
            &change(RecommendationState::Planned, "q1", None),
        )
        .await
        .expect_err("unknown instance");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");

    let set = store
        .set_state(
            "contoso-prod",
            check,
            &change(
                RecommendationState::RiskAccepted,
                "break-glass accounts",
                Some(future),
            ),
        )
        .await
        .expect("set")
        .expect("stored");
    assert!(set.in_effect(now));
    assert_eq!(
        store.state("contoso-prod", check).await.expect("get"),
        Some(set.clone())
    );
    let effective = store
        .states_in_effect(Some("contoso-prod"), now)
        .await
        .expect("in effect");
    assert_eq!(effective, std::slice::from_ref(&set));
    assert!(store
        .states_in_effect(Some("contoso-prod"), future + chrono::Duration::seconds(1))
        .await
        .expect("in effect later")
        .is_empty());

    // Replaced by a state that has already expired: stored, not in effect.
    store
        .set_state(
            "contoso-prod",
            "m365.entra.legacy_auth_blocked",
            &change(
                RecommendationState::MitigatedThirdParty,
                "Okta blocks it",
                None,
            ),
        )
        .await
        .expect("set another");
    let expired = store
        .set_state(
            "contoso-prod",
            check,
            &change(RecommendationState::Planned, "rollout in Q1", Some(past)),
        )
        .await
        .expect("set")
        .expect("stored");
    assert!(!expired.in_effect(now));
    let stored = store
        .state("contoso-prod", check)
        .await
        .expect("get")
        .expect("stored");
    assert_eq!(stored.state, RecommendationState::Planned);
    assert!(!stored.in_effect(Utc::now()));
    let effective: Vec<_> = store
        .states_in_effect(Some("contoso-prod"), Utc::now())
        .await
        .expect("in effect")
        .into_iter()
        .map(|s| s.check_id)
        .collect();
    assert_eq!(effective, ["m365.entra.legacy_auth_blocked"]);
    assert_eq!(store.states(None).await.expect("all").len(), 2);

    // Back to default.
    assert!(store
        .clear_state("contoso-prod", check, "bob", "MFA rolled out")
        .await
        .expect("clear"));
    assert!(store
        .state("contoso-prod", check)
        .await
        .expect("get")
        .is_none());
    assert!(!store
        .clear_state("contoso-prod", check, "bob", "again")
        .await
        .expect("clear again"));

    let log = store
        .audit_log(Some("contoso-prod"), 100)
        .await
        .expect("audit");
    let target = format!("instance/contoso-prod/state/{check}");
    let mine: Vec<_> = log.iter().filter(|e| e.target == target).collect();
    let actions: Vec<_> = mine.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["state.clear", "state.clear", "state.set", "state.set"]
    );
    assert_eq!(mine[0].actor, "bob");
    assert_eq!(mine[1].details["previous"]["state"], "planned");
    assert_eq!(mine[1].details["reason"], "MFA rolled out");
    assert_eq!(mine[2].details["state"], "planned");
    assert_eq!(mine[2].details["previous"]["state"], "risk_accepted");
    assert_eq!(mine[3].details["previous"], serde_json::Value::Null);
    assert_eq!(log.last().expect("entries").action, "instance.add");
}

async fn daily_scores_one_per_day(db: Arc<TestDb>) {
    let store = db.open().await;
    store
        .add_instance(&new_instance("contoso-prod"), "alice")
        .await
        .expect("add");
    let pass = |n: usize| {
        (0..n)
            .map(|i| result(&format!("m365.c{i}"), Status::Pass, 1.0, 1.0, i + 1))
            .chain(std::iter::once(result(
                "m365.z",
                Status::Fail,
                0.0,
                4.0,
                n + 1,
            )))
            .collect::<Vec<_>>()
    };
    // Day 1: two scans, the second wins. Day 2: one scan. Today: one scan.
    let today = Utc::now();
    let scans = [
        (at(2026, 3, 1, 1), 1),
        (at(2026, 3, 1, 23), 3),
        (at(2026, 3, 2, 12), 2),
        (today, 4),
    ];
    let mut ids = Vec::new();
    for (when, passing) in scans {
        let when = rfc3339(when);
        let scan = store.begin_scan("contoso-prod").await.expect("begin");
        store
            .complete_scan(
                scan,
                &snapshot("contoso-prod", &when, 3),
                &assessment("contoso-prod", &when, pass(passing)),
                ScanTimings::default(),
            )
            .await
            .expect("complete");
        ids.push(scan);
    }
    let day1 = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let day2 = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let history = store
        .score_history_between("contoso-prod", day1, day2)
        .await
        .expect("history");
    let points: Vec<_> = history
        .iter()
        .map(|d| (d.day, d.score.achieved, d.score.possible, d.scan))
        .collect();
    assert_eq!(points, [(day1, 3.0, 7.0, ids[1]), (day2, 2.0, 6.0, ids[2])]);
    assert_eq!(history[0].score.percent, Some(42.86));

    let recent = store
        .score_history("contoso-prod", 90)
        .await
        .expect("recent");
    assert_eq!(recent.last().map(|d| d.scan), Some(ids[3]));
    assert_eq!(recent.last().map(|d| d.day), Some(today.date_naive()));
    assert!(recent
        .iter()
        .all(|d| d.day > today.date_naive() - chrono::Days::new(90)));

    let err = store
        .score_history("nope", 90)
        .await
        .expect_err("unknown instance");
    assert!(matches!(err, StoreError::UnknownInstance(_)), "{err}");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM daily_scores").await,
        if today.date_naive() == day1 || today.date_naive() == day2 {
            2
        } else {
            3
        }
    );
}

// ---------------------------------------------------------------------------------------
// Backend-independent

#[test]
fn store_is_shareable_across_tasks() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
}

#[tokio::test]
async fn key_file_is_created_private_on_first_use() {
    if std::env::var_os(sspm_store::MASTER_KEY_ENV).is_some() {
        eprintln!("SSPM_MASTER_KEY is set: the key file is not used");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("data/sspm.db").display());
    let store = Store::open(&url).await.expect("open");
    let key_file = dir.path().join("data").join(sspm_store::KEY_FILE_NAME);
    assert!(
        !key_file.exists(),
        "created only when a credential needs it"
    );
    store
        .add_instance(&new_instance("i"), "alice")
        .await
        .expect("add");
    store
        .set_credential("i", "client_secret", &Secret::from("x"), "alice")
        .await
        .expect("set");
    assert!(key_file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    store.close().await;
    // The same key is read back by the next process.
    let again = Store::open(&url).await.expect("reopen");
    let got = again
        .credential("i", "client_secret")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(got.expose(), b"x");
}

#[tokio::test]
async fn bad_urls_and_paths_are_clear_errors() {
    let err = Store::open("mysql://x").await.expect_err("unsupported");
    assert!(err.to_string().contains("sqlite://PATH"), "{err}");
    let err = Store::open("postgres://u:hunter2@127.0.0.1:1/x")
        .await
        .expect_err("nothing listens on port 1");
    let message = err.to_string();
    assert!(
        message.starts_with("cannot open store postgres://u:***@127.0.0.1:1/x"),
        "{message}"
    );
    assert!(!message.contains("hunter2"));
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let url = format!("sqlite://{}/sub/sspm.db", file.path().display());
    let err = Store::open(&url).await.expect_err("parent is a file");
    assert!(
        err.to_string()
            .contains("cannot create the store directory"),
        "{err}"
    );
}

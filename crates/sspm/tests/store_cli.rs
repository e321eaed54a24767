//! End-to-end tests of the store-backed commands through the `sspm` binary, each run on
//! both backends: SQLite (a file in a temporary directory) and PostgreSQL (a schema of its
//! own, dropped at the end). Tenants are simulated by `sspm sim m365` child processes.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432/test` (trust auth), or at
//! `$SSPM_TEST_POSTGRES_URL`. When it cannot be reached the PostgreSQL tests FAIL: a
//! silently skipped backend would hide its bugs.
//!
//! Every command runs with `SSPM_HOME` in the test's temporary directory, in a working
//! directory without `sspm.toml`, and without `SSPM_MASTER_KEY` / `SSPM_STORE` /
//! `SSPM_CONFIG` / `SSPM_LOG` from the caller's environment.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::Connection as _;
use sspm_sim::server::{instance_toml, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// How long one command may take before the test gives up (a hang, not a slow machine).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(600);

/// Users of the simulated tenants: small, the checks are the same.
const USERS: &str = "80";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn random_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).expect("random bytes");
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    format!(
        "{}{:016x}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        h.finish()
    )
}

fn admin_url() -> String {
    std::env::var("SSPM_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

// ------------------------------------------------------------------------ test environment

/// One test's world: a temporary directory with the sspm home, a working directory and
/// (SQLite) the database, or (PostgreSQL) a schema of its own, dropped on drop.
struct Env {
    backend: Backend,
    dir: tempfile::TempDir,
    url: String,
    /// PostgreSQL: the admin URL and the schema.
    pg: Option<(String, String)>,
}

impl Env {
    fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        for sub in ["home", "work", "store"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("store/sspm.db").display());
                Self {
                    backend,
                    dir,
                    url,
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = admin_url();
                let schema = format!("sspm_cli_test_{}", random_hex());
                runtime().block_on(async {
                    let mut conn = tokio::time::timeout(
                        Duration::from_secs(30),
                        sqlx::PgConnection::connect(&admin),
                    )
                    .await
                    .map_err(|_| "timed out".to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()))
                    .unwrap_or_else(|e| {
                        panic!(
                            "PostgreSQL is not reachable at {admin}: {e}\n\
                             These tests run the store-backed commands against PostgreSQL \
                             too. Start it (`pg_ctlcluster --skip-systemctl-redirect \
                             $(ls /etc/postgresql) main start`, as .ci/run does) or point \
                             SSPM_TEST_POSTGRES_URL at a server with trust auth."
                        )
                    });
                    sqlx::query(&format!("CREATE SCHEMA {schema}"))
                        .execute(&mut conn)
                        .await
                        .unwrap_or_else(|e| {
                            panic!("cannot create schema {schema} on {admin}: {e}")
                        });
                    let _ = conn.close().await;
                });
                let sep = if admin.contains('?') { '&' } else { '?' };
                let url = format!("{admin}{sep}options[search_path]={schema}");
                Self {
                    backend,
                    dir,
                    url,
                    pg: Some((admin, schema)),
                }
            }
        }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Writes a file into the working directory and returns its path.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.work().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `sspm` with the test's home and working directory and a clean environment.
    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sspm"));
        cmd.current_dir(self.work())
            .env("SSPM_HOME", self.home())
            .env("NO_COLOR", "1")
            .env_remove("SSPM_MASTER_KEY")
            .env_remove("SSPM_STORE")
            .env_remove("SSPM_CONFIG")
            .env_remove("SSPM_LOG")
            .env_remove("SSPM_ACTOR")
            .env_remove("SIM_SECRET");
        cmd
    }

    /// Runs `sspm ARGS` with the store's URL after them.
    fn store(&self, args: &[&str]) -> Out {
        self.run(&strs(&with_store(args, &self.url)), &[], None)
    }

    /// Runs `sspm ARGS` with extra environment variables and, if given, stdin.
    fn run(&self, args: &[&str], envs: &[(&str, &str)], stdin: Option<&str>) -> Out {
        let mut cmd = self.command();
        cmd.args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        run_command(cmd, args, stdin)
    }

    /// Every scan in the store, newest first (`sspm scans -f json`; opening the store
    /// recovers scans of dead processes).
    fn scans(&self) -> Vec<Value> {
        let out = self
            .store(&["scans", "--limit", "100000", "-f", "json"])
            .ok();
        out.json()
            .as_array()
            .unwrap_or_else(|| panic!("scans -f json is not an array: {}", out.stdout))
            .clone()
    }

    /// The number of running scans, read from the database behind sspm's back.
    fn running_scans(&self) -> i64 {
        let sql = "SELECT COUNT(*) FROM scans WHERE status = 'running'";
        runtime().block_on(async {
            match self.backend {
                Backend::Sqlite => {
                    let Ok(mut conn) = sqlx::SqliteConnection::connect(&self.url).await else {
                        return 0; // not created yet
                    };
                    let n: i64 = sqlx::query_scalar(sql)
                        .fetch_one(&mut conn)
                        .await
                        .unwrap_or(0);
                    let _ = conn.close().await;
                    n
                }
                Backend::Postgres => {
                    let mut conn = sqlx::PgConnection::connect(&self.url)
                        .await
                        .expect("connect to the test schema");
                    let n: i64 = sqlx::query_scalar(sql)
                        .fetch_one(&mut conn)
                        .await
                        .unwrap_or(0);
                    let _ = conn.close().await;
                    n
                }
            }
        })
    }

    /// PostgreSQL: every row of every table of the test's schema, as text.
    fn dump_schema(&self) -> String {
        let (admin, schema) = self.pg.as_ref().expect("a PostgreSQL test");
        runtime().block_on(async {
            let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect");
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .bind(schema)
            .fetch_all(&mut conn)
            .await
            .expect("list the tables");
            assert!(
                tables.iter().any(|t| t == "credentials") && tables.iter().any(|t| t == "scans"),
                "unexpected tables in {schema}: {tables:?}"
            );
            let mut dump = String::new();
            for table in tables {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT t::text FROM {schema}.\"{table}\" t"))
                        .fetch_all(&mut conn)
                        .await
                        .unwrap_or_else(|e| panic!("dump {table}: {e}"));
                dump.push_str(&format!("-- {table}: {} rows\n", rows.len()));
                for row in rows {
                    dump.push_str(&row);
                    dump.push('\n');
                }
            }
            let _ = conn.close().await;
            dump
        })
    }

    /// Every stored snapshot, decompressed (through the store's API).
    fn snapshots_json(&self) -> Vec<Vec<u8>> {
        runtime().block_on(async {
            let store = sspm_store::Store::open_with(
                &self.url,
                sspm_store::StoreOptions {
                    skip_recovery: true,
                    key_file: Some(self.home().join("unused.key")),
                    ..Default::default()
                },
            )
            .await
            .expect("open the store");
            let mut out = Vec::new();
            for scan in store.scans(None, u32::MAX).await.expect("scans") {
                if let Some(json) = store.scan_snapshot_json(scan.id).await.expect("snapshot") {
                    out.push(json);
                }
            }
            store.close().await;
            out
        })
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.pg {
            runtime().block_on(async {
                match sqlx::PgConnection::connect(admin).await {
                    Ok(mut conn) => {
                        if let Err(e) = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                            .execute(&mut conn)
                            .await
                        {
                            eprintln!("cannot drop schema {schema}: {e}");
                        }
                        let _ = conn.close().await;
                    }
                    Err(e) => eprintln!("cannot drop schema {schema}: {e}"),
                }
            });
        }
    }
}

fn with_store(args: &[&str], url: &str) -> Vec<String> {
    args.iter()
        .map(|s| s.to_string())
        .chain(["--store".to_string(), url.to_string()])
        .collect()
}

/// What a command did.
struct Out {
    command: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    /// Asserts exit code 0.
    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "`{}` failed:\nstdout:\n{}\nstderr:\n{}",
            self.command, self.stdout, self.stderr
        );
        self
    }

    /// Asserts exit code `code`.
    fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "`{}` exited {} (expected {code}):\nstdout:\n{}\nstderr:\n{}",
            self.command, self.code, self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}` printed no JSON ({e}):\n{}\nstderr:\n{}",
                self.command, self.stdout, self.stderr
            )
        })
    }

    fn assert_stderr(&self, needles: &[&str]) {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "`{}`: stderr lacks {n:?}:\n{}",
                self.command,
                self.stderr
            );
        }
        assert!(
            !self.stderr.contains("panicked"),
            "`{}` panicked:\n{}",
            self.command,
            self.stderr
        );
    }
}

/// Runs a command to its end (at most [`COMMAND_TIMEOUT`]), capturing its output.
fn run_command<S: AsRef<str>>(mut cmd: Command, args: &[S], stdin: Option<&str>) -> Out {
    let command = format!(
        "sspm {}",
        args.iter()
            .map(|a| a.as_ref())
            .collect::<Vec<_>>()
            .join(" ")
    );
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = Killed(
        cmd.spawn()
            .unwrap_or_else(|e| panic!("cannot start `{command}`: {e}")),
    );
    if let Some(text) = stdin {
        let mut pipe = child.0.stdin.take().unwrap();
        pipe.write_all(text.as_bytes()).unwrap();
    }
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = reader(Box::new(child.0.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.0.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > COMMAND_TIMEOUT {
            drop(child);
            panic!("`{command}` did not finish within {COMMAND_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Out {
        code: status
            .code()
            .unwrap_or_else(|| -status.signal().unwrap_or(1)),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        command,
    }
}

/// A child process, killed (SIGKILL) and reaped when dropped, even when a test panics.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A simulated Microsoft 365 tenant served by an `sspm sim m365` child process.
struct Sim {
    _child: Killed,
    url: String,
    tenant_id: String,
    /// What it printed on stderr when it started.
    banner: String,
}

impl Sim {
    fn start(env: &Env, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut cmd = env.command();
        cmd.args(["sim", "m365", "--port", "0", "--users", USERS])
            .args(args)
            .env("SSPM_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = Killed(cmd.spawn().expect("start sspm sim m365"));
        let mut lines = BufReader::new(child.0.stderr.take().unwrap()).lines();
        let mut banner = String::new();
        let (mut url, mut tenant_id) = (None, None);
        for line in lines.by_ref() {
            let line = line.unwrap_or_default();
            banner.push_str(&line);
            banner.push('\n');
            let value = || line.split('"').nth(1).map(str::to_string);
            if line.starts_with("tenant_id = ") {
                tenant_id = value();
            }
            if line.starts_with("graph_url = ") {
                url = value();
            }
            if line.starts_with("exo_url") {
                break;
            }
        }
        // Keep reading, so the simulator never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let (Some(url), Some(tenant_id)) = (url, tenant_id) else {
            panic!("sspm sim m365 {args:?} did not print its configuration:\n{banner}");
        };
        Self {
            _child: child,
            url,
            tenant_id,
            banner,
        }
    }

    /// `sspm.toml` text for this tenant as instance `name`, secret from `$secret_env`.
    fn toml(&self, name: &str, secret_env: &str) -> String {
        instance_toml(name, &self.tenant_id, &self.url, secret_env)
    }

    /// `instance add NAME …` arguments pointing at this tenant (secret from stdin).
    fn add_args(&self, name: &str) -> Vec<String> {
        [
            "instance",
            "add",
            name,
            "--tenant-id",
            &self.tenant_id,
            "--client-id",
            DEFAULT_CLIENT_ID,
            "--graph-url",
            &self.url,
            "--login-url",
            &self.url,
            "--exo-url",
            &self.url,
            "--client-secret-stdin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn f64_at(v: &Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v:#}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.015
}

/// Defines `NAME_sqlite` and `NAME_postgres` running `body(Backend)`.
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                super::$body(super::Backend::Sqlite);
            }
            #[test]
            fn postgres() {
                super::$body(super::Backend::Postgres);
            }
        }
    };
}

// ----------------------------------------------------------------------------- 1. SIGKILL

/// Where a scan is killed.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// As soon as its scan is `running` in the store (while collecting).
    Running,
    /// This long after it started.
    After(Duration),
}

fn sigkill_mid_scan(backend: Backend) {
    let env = Env::new(backend);
    let secret = format!("sim-{}", random_hex());
    let secret_env = [("SSPM_TEST_SIM_SECRET", secret.as_str())];
    // 300 ms per response: a scan of the small tenant takes a few seconds.
    let sim = Sim::start(
        &env,
        &[
            "--latency-ms",
            "300",
            "--client-secret-env",
            "SSPM_TEST_SIM_SECRET",
        ],
        &secret_env,
    );
    let config = env.write("sspm.toml", &sim.toml("victim", "SSPM_TEST_SIM_SECRET"));
    let config = config.to_str().unwrap();
    let scan_args = with_store(&["scan", "--config", config, "-f", "json"], &env.url);

    // One complete scan: the previous assessment, and the full number of results.
    let first = env.run(&strs(&scan_args), &secret_env, None).ok();
    let full = first.json()["assessments"][0]["results"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_else(|| panic!("no results: {}", first.stdout));
    assert!(full > 0);
    // A second one, timed (the store exists by now): the kills are aimed at its phases.
    let spawned = chrono::Utc::now();
    let started = Instant::now();
    env.run(&strs(&scan_args), &secret_env, None).ok();
    let full_time = started.elapsed();
    let scans = env.scans();
    assert_eq!(scans.len(), 2, "{scans:#?}");
    for scan in &scans {
        assert_eq!(scan["status"], "succeeded", "{scan:#}");
        assert_eq!(scan["counts"]["results"], full);
    }
    let timed = &scans[0];
    let at = |key: &str| {
        timed[key]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .unwrap_or_else(|| panic!("no {key}: {timed:#}"))
            .with_timezone(&chrono::Utc)
    };
    let ms = |key: &str| timed[key].as_u64().unwrap_or(0) as f64;
    let begun = (at("started_at") - spawned)
        .to_std()
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0;
    let (collect, assess, write) = (ms("collect_ms"), ms("assess_ms"), ms("write_ms"));
    let finished = (at("finished_at") - spawned)
        .to_std()
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0;
    let total = full_time.as_secs_f64() * 1000.0;
    let mut points = vec![KillAt::Running];
    for millis in [
        begun + collect * 0.5,               // collecting
        begun + collect + assess * 0.3,      // assessing
        begun + collect + assess * 0.7,      // assessing
        finished - write * 0.7,              // writing
        finished - write * 0.4,              // writing
        finished - write * 0.1,              // writing
        finished + (total - finished) * 0.3, // printing
        total,
        total * 1.2,
    ] {
        points.push(KillAt::After(Duration::from_secs_f64(
            millis.max(0.0) / 1000.0,
        )));
    }
    eprintln!(
        "{backend:?}: scan began {begun:.0} ms after the start, collected in {collect} ms, \
         assessed in {assess} ms, written in {write} ms, finished at {finished:.0} ms, \
         the process ended at {total:.0} ms"
    );
    let (mut killed_scans, mut completed_runs) = (0, 0);
    for point in points {
        let before = env.scans();
        let last_id = before
            .iter()
            .filter_map(|s| s["id"].as_i64())
            .max()
            .unwrap();
        let mut cmd = env.command();
        cmd.args(&scan_args)
            .envs(secret_env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = Killed(cmd.spawn().expect("start sspm scan"));
        let pid = child.0.id();
        match point {
            KillAt::Running => {
                let deadline = Instant::now() + COMMAND_TIMEOUT;
                while env.running_scans() == 0 {
                    if let Some(status) = child.0.try_wait().unwrap() {
                        panic!("the scan ended ({status}) before it was seen running");
                    }
                    assert!(Instant::now() < deadline, "no scan became running");
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            KillAt::After(delay) => std::thread::sleep(delay),
        }
        // SIGKILL (Child::kill), then reap it so its pid is gone.
        let _ = child.0.kill();
        let status = child.0.wait().unwrap();
        let was_killed = status.signal() == Some(9);

        // The next start recovers the scan of the dead process.
        let after = env.scans();
        let running: Vec<&Value> = after.iter().filter(|s| s["status"] == "running").collect();
        assert!(running.is_empty(), "{point:?}: still running: {running:#?}");
        let new: Vec<&Value> = after
            .iter()
            .filter(|s| s["id"].as_i64().unwrap() > last_id)
            .collect();
        assert!(new.len() <= 1, "{point:?}: {new:#?}");
        if matches!(point, KillAt::Running) {
            assert!(was_killed, "{point:?}: {status}");
            assert_eq!(new.len(), 1, "{point:?}: the killed scan is not listed");
        }
        if let Some(scan) = new.first() {
            match scan["status"].as_str().unwrap() {
                "failed" => {
                    assert!(was_killed, "{point:?}: failed but not killed: {scan:#}");
                    let error = scan["error"].as_str().unwrap_or_default();
                    assert!(
                        error.contains(&format!("pid {pid} ")) && error.contains("gone"),
                        "{point:?}: the error does not name the dead process {pid}: {scan:#}"
                    );
                    assert_eq!(scan["counts"]["results"], 0, "{point:?}: {scan:#}");
                    killed_scans += 1;
                }
                "succeeded" => {
                    assert_eq!(scan["counts"]["results"], full, "{point:?}: {scan:#}");
                    completed_runs += 1;
                }
                other => panic!("{point:?}: scan status {other}: {scan:#}"),
            }
        }
        eprintln!(
            "{backend:?} {point:?}: {}",
            match new.first() {
                Some(scan) => format!("scan {} {}", scan["id"], scan["status"]),
                None => "killed before its scan began".into(),
            }
        );
        // Every completed scan is whole.
        for scan in &after {
            if matches!(scan["status"].as_str(), Some("succeeded" | "partial")) {
                assert_eq!(scan["counts"]["results"], full, "{point:?}: {scan:#}");
            }
        }
        // The latest assessment is a full one, from a completed scan.
        let doc = env.store(&["recommendations", "-f", "json"]).ok().json();
        let assessments = doc["assessments"].as_array().unwrap();
        assert_eq!(assessments.len(), 1, "{point:?}");
        assert_eq!(
            assessments[0]["results"].as_array().unwrap().len(),
            full,
            "{point:?}"
        );
        let collected_at = assessments[0]["collected_at"].as_str().unwrap();
        assert!(
            after
                .iter()
                .any(|s| s["status"] == "succeeded"
                    && s["collected_at"].as_str() == Some(collected_at)),
            "{point:?}: the latest assessment ({collected_at}) is of no completed scan"
        );
    }
    assert!(killed_scans >= 1);
    eprintln!(
        "{backend:?}: {killed_scans} scans killed and recovered, {completed_runs} completed \
         before the kill"
    );
}

both_backends!(
    sigkill_mid_scan_leaves_no_half_written_scan,
    sigkill_mid_scan
);

// ----------------------------------------------------------------------------- 2. secrets

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn secrets_never_leak(backend: Backend) {
    let env = Env::new(backend);
    let secret = format!("s3cr3t-{}", random_hex());
    let sim = Sim::start(
        &env,
        &["--client-secret-env", "SSPM_TEST_SIM_SECRET"],
        &[("SSPM_TEST_SIM_SECRET", &secret)],
    );
    let mut outputs: Vec<Out> = Vec::new();

    // With no secret given anywhere and stdin not a terminal, add refuses.
    let mut args = sim.add_args("vault");
    args.retain(|a| a != "--client-secret-stdin");
    let refused = env.run(&strs(&with_store(&strs(&args), &env.url)), &[], None);
    let refused = refused.code(2);
    refused.assert_stderr(&["no credential for `vault`", "--client-secret-stdin"]);
    let list = env.store(&["instance", "list", "-f", "json"]).ok().json();
    assert_eq!(list, serde_json::json!([]), "a refused add added something");

    // The secret through stdin, stored encrypted.
    let mut add = with_store(&strs(&sim.add_args("vault")), &env.url);
    add.push("-vvv".into());
    outputs.push(env.run(&strs(&add), &[], Some(&format!("{secret}\n"))).ok());

    let vvv = |args: &[&str]| {
        let mut args = with_store(args, &env.url);
        args.push("-vvv".into());
        env.run(&strs(&args), &[], None)
    };
    for args in [
        &["instance", "list"][..],
        &["instance", "list", "-f", "json"],
        &["instance", "show", "vault"],
        &["instance", "show", "vault", "-f", "json"],
    ] {
        outputs.push(vvv(args).ok());
    }
    // The scans succeed: the stored secret was used (no variable holds it here).
    for _ in 0..2 {
        let scan = vvv(&["scan", "-f", "json"]).ok();
        let results = scan.json()["assessments"][0]["results"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        assert!(results > 0, "{}", scan.stdout);
        outputs.push(scan);
    }
    let shown = vvv(&["instance", "show", "vault", "-f", "json"]).ok();
    assert_eq!(shown.json()["credentials"][0]["name"], "client_secret");
    outputs.push(shown);
    for args in [
        &["scans", "-f", "json"][..],
        &["scans"],
        &["recommendations", "-f", "json"],
        &["recommendations", "-f", "sarif"],
        &["score", "-f", "json", "--history", "30d"],
        &["diff", "--instance", "vault", "-f", "json"],
        &["audit", "-f", "json"],
        &["audit"],
        &["state", "list"],
        &[
            "show",
            "m365.entra.legacy_auth_blocked",
            "--instance",
            "vault",
        ],
    ] {
        outputs.push(vvv(args).ok());
    }

    // collect and doctor take stored instances too (with the stored secret).
    let snapshot = env.work().join("vault-snapshot.json");
    outputs.push(
        vvv(&[
            "collect",
            "--instance",
            "vault",
            "--output",
            snapshot.to_str().unwrap(),
        ])
        .ok(),
    );
    assert!(snapshot.exists());
    let doctor = vvv(&["doctor", "--instance", "vault"]).ok();
    assert!(doctor.stdout.contains("vault (m365)"), "{}", doctor.stdout);
    outputs.push(doctor);

    // A wrong secret: the scan fails naming the token call, not a panic.
    let wrong = format!("wr0ng-{}", random_hex());
    let mut add = with_store(&strs(&sim.add_args("wrong")), &env.url);
    add.push("-vvv".into());
    outputs.push(env.run(&strs(&add), &[], Some(&format!("{wrong}\n"))).ok());
    let failed = vvv(&["scan", "--instance", "wrong", "-f", "json"]);
    assert_ne!(failed.code, 0, "a wrong secret scanned: {}", failed.stdout);
    failed.assert_stderr(&["cannot get an access token from", "/oauth2/v2.0/token"]);
    outputs.push(failed);
    let scans = vvv(&["scans", "--instance", "wrong", "-f", "json"]).ok();
    let last = &scans.json()[0];
    assert_eq!(last["status"], "failed", "{last:#}");
    assert!(
        last["error"]
            .as_str()
            .unwrap_or_default()
            .contains("cannot get an access token"),
        "{last:#}"
    );
    outputs.push(scans);
    // -vvv did log at trace level (so the grep below covers trace logs).
    assert!(
        outputs
            .iter()
            .any(|o| o.command.starts_with("sspm scan") && o.stderr.contains("TRACE")),
        "no trace logs with -vvv"
    );

    for needle in [&secret, &wrong] {
        assert!(
            !sim.banner.contains(needle.as_str()),
            "the simulator printed the secret"
        );
        for o in &outputs {
            assert!(
                !o.stdout.contains(needle.as_str()),
                "`{}` printed the secret on stdout",
                o.command
            );
            assert!(
                !o.stderr.contains(needle.as_str()),
                "`{}` printed the secret on stderr",
                o.command
            );
        }
        // The stored snapshots, decompressed.
        for json in env.snapshots_json() {
            assert!(!contains(&json, needle.as_bytes()), "a snapshot holds it");
        }
        // Every file of the test: the database, its -wal/-shm, master.key, the home.
        let all = files(env.dir.path());
        match backend {
            Backend::Sqlite => {
                let names: Vec<String> = all
                    .iter()
                    .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                    .collect();
                assert!(
                    names.iter().any(|n| n == "sspm.db") && names.iter().any(|n| n == "master.key"),
                    "{names:?}"
                );
            }
            Backend::Postgres => {
                let dump = env.dump_schema();
                assert!(
                    dump.contains("client_secret"),
                    "no credential row in the dump"
                );
                assert!(
                    !dump.contains(needle.as_str()),
                    "the database holds the secret"
                );
                assert!(
                    !dump.contains(&hex(needle.as_bytes())),
                    "the database holds the secret (bytea)"
                );
            }
        }
        for path in all {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{} holds the secret",
                path.display()
            );
        }
    }
}

both_backends!(
    secrets_never_leak_on_output_logs_or_disk,
    secrets_never_leak
);

// ---------------------------------------------------------------- 3. states, score and diff

/// `score -f json` of one instance: (score achieved, planned achieved, possible).
fn score_of(env: &Env, instance: &str) -> (f64, f64, f64) {
    let doc = env
        .store(&["score", "--instance", instance, "-f", "json"])
        .ok()
        .json();
    (
        f64_at(&doc, "/score/achieved"),
        f64_at(&doc, "/planned_score/achieved"),
        f64_at(&doc, "/score/possible"),
    )
}

/// The latest result of `check` on `instance`, states in effect.
fn result_of(env: &Env, instance: &str, check: &str) -> Value {
    let doc = env
        .store(&["recommendations", "--instance", instance, "-f", "json"])
        .ok()
        .json();
    doc["assessments"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == check)
        .unwrap_or_else(|| panic!("no result {check}"))
        .clone()
}

fn states_score_and_diff(backend: Backend) {
    let env = Env::new(backend);
    let weak = Sim::start(&env, &["--profile", "weak"], &[]);
    let hardened = Sim::start(&env, &["--profile", "hardened"], &[]);
    let weak_toml = env.write("weak.toml", &weak.toml("tenant", "SIM_SECRET"));
    let hardened_toml = env.write("hardened.toml", &hardened.toml("tenant", "SIM_SECRET"));
    let scan = |config: &Path| {
        let args = with_store(
            &["scan", "--config", config.to_str().unwrap(), "-f", "json"],
            &env.url,
        );
        env.run(&strs(&args), &[("SIM_SECRET", DEFAULT_CLIENT_SECRET)], None)
            .ok()
    };

    scan(&weak_toml);
    // One scan: diff explains that it needs two.
    env.store(&["diff", "--instance", "tenant"])
        .code(2)
        .assert_stderr(&["one completed scan only", "diff needs two"]);
    scan(&hardened_toml);
    let scans = env.scans();
    let ids: Vec<i64> = scans.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{scans:#?}");
    let (second, first) = (ids[0], ids[1]);

    // The weak tenant hardened: recommendations became passing, with the settings behind.
    let drifts = env
        .store(&["diff", "--instance", "tenant", "-f", "json"])
        .ok()
        .json();
    let drift = &drifts[0];
    assert_eq!(drifts.as_array().unwrap().len(), 1, "{drifts:#}");
    assert!(
        drift["from"]
            .as_str()
            .unwrap()
            .contains(&format!("scan {first} "))
            && drift["to"]
                .as_str()
                .unwrap()
                .contains(&format!("scan {second} ")),
        "{} → {}",
        drift["from"],
        drift["to"]
    );
    assert!(f64_at(drift, "/points_delta") > 0.0);
    let changes = drift["changes"].as_array().unwrap();
    let passing: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "became_passing")
        .collect();
    assert!(passing.len() > 10, "{changes:#?}");
    let ca_paths: Vec<&str> = passing
        .iter()
        .flat_map(|c| c["config"].as_array().unwrap())
        .filter(|k| k["key"] == "graph:/v1.0/identity/conditionalAccess/policies")
        .flat_map(|k| k["changes"].as_array().unwrap())
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert!(
        !ca_paths.is_empty(),
        "no conditional access change behind the changes: {passing:#?}"
    );
    // A conditional access policy switched on: a `[id=…]/state` path.
    assert!(
        ca_paths
            .iter()
            .any(|p| p.starts_with("[id=") && p.ends_with("]/state")),
        "CA paths: {ca_paths:?}"
    );
    for c in &passing {
        assert_eq!(c["status_to"], "pass", "{c:#}");
    }

    // The same diff by scan ids; by date.
    let by_id = env
        .store(&[
            "diff",
            "--instance",
            "tenant",
            "--from",
            &first.to_string(),
            "--to",
            &second.to_string(),
            "-f",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(by_id[0]["changes"], drift["changes"]);
    let today = chrono::Utc::now().date_naive().to_string();
    let by_date = env
        .store(&[
            "diff",
            "--instance",
            "tenant",
            "--from",
            &today,
            "-f",
            "json",
        ])
        .ok()
        .json();
    // The last scan of today is the latest: nothing changed between it and itself.
    assert!(
        by_date[0]["from"]
            .as_str()
            .unwrap()
            .contains(&format!("scan {second} ")),
        "{by_date:#}"
    );
    assert_eq!(by_date[0]["changes"], serde_json::json!([]));
    env.store(&["diff", "--instance", "tenant", "--from", "2001-01-01"])
        .code(2)
        .assert_stderr(&["no completed scan on or before 2001-01-01"]);
    env.store(&["diff", "--instance", "nobody"])
        .code(2)
        .assert_stderr(&["no instance `nobody`", "tenant"]);

    // Back to weak: failing recommendations to decide on.
    scan(&weak_toml);
    let measured = score_of(&env, "tenant");
    assert!(close(measured.0, measured.1), "{measured:?}");
    let doc = env
        .store(&["recommendations", "--instance", "tenant", "-f", "json"])
        .ok()
        .json();
    let results = doc["assessments"][0]["results"].as_array().unwrap().clone();
    let binary = results
        .iter()
        .find(|r| {
            r["status"] == "fail"
                && r["scoring"] == "binary"
                && r["points"].as_f64() == Some(0.0)
                && r["max_points"].as_f64().unwrap_or(0.0) > 0.0
        })
        .expect("a failing binary check in the weak tenant");
    let (check, max) = (
        binary["id"].as_str().unwrap().to_string(),
        f64_at(binary, "/max_points"),
    );
    let partial = results
        .iter()
        .find(|r| r["status"] == "fail" && r["points"].as_f64().unwrap_or(0.0) > 0.0)
        .expect("a failing check with some points in the weak tenant");
    let (partial_id, partial_points) = (
        partial["id"].as_str().unwrap().to_string(),
        f64_at(partial, "/points"),
    );
    let actor = [("SSPM_ACTOR", "tester:states")];
    let state = |check: &str, state: &str| {
        let args = with_store(
            &[
                "state",
                "set",
                check,
                "--instance",
                "tenant",
                "--state",
                state,
                "--reason",
                "test reason",
            ],
            &env.url,
        );
        env.run(&strs(&args), &actor, None).ok()
    };
    let clear = |check: &str| {
        let args = with_store(&["state", "clear", check, "--instance", "tenant"], &env.url);
        env.run(&strs(&args), &actor, None).ok()
    };

    // risk_accepted: 0 points, still possible.
    state(&partial_id, "risk_accepted");
    let accepted = score_of(&env, "tenant");
    assert!(
        close(accepted.0, measured.0 - partial_points) && close(accepted.2, measured.2),
        "{measured:?} → {accepted:?} (points {partial_points})"
    );
    let r = result_of(&env, "tenant", &partial_id);
    assert_eq!(r["points"].as_f64(), Some(0.0), "{r:#}");
    assert_eq!(r["state"]["state"], "risk_accepted", "{r:#}");
    clear(&partial_id);
    assert_eq!(score_of(&env, "tenant"), measured);
    state(&check, "risk_accepted");
    let accepted = score_of(&env, "tenant");
    assert!(
        accepted.0 <= measured.0 + 0.001,
        "{measured:?} → {accepted:?}"
    );
    assert_eq!(
        result_of(&env, "tenant", &check)["points"].as_f64(),
        Some(0.0)
    );

    // mitigated_third_party: full points.
    state(&check, "mitigated_third_party");
    let mitigated = score_of(&env, "tenant");
    assert!(
        close(mitigated.0, measured.0 + max) && close(mitigated.2, measured.2),
        "{measured:?} → {mitigated:?} (max {max})"
    );
    assert_eq!(
        result_of(&env, "tenant", &check)["points"].as_f64(),
        Some(max)
    );

    // planned: the score as measured, the planned score with full points.
    state(&check, "planned");
    let planned = score_of(&env, "tenant");
    assert!(
        close(planned.0, measured.0) && close(planned.1, measured.1 + max),
        "{measured:?} → {planned:?} (max {max})"
    );

    // Refused: --until in the past, no --reason, an unknown check or instance.
    let set = |extra: &[&str]| {
        let mut args = vec!["state", "set"];
        args.extend_from_slice(extra);
        env.run(&strs(&with_store(&args, &env.url)), &actor, None)
    };
    set(&[
        &check,
        "--instance",
        "tenant",
        "--state",
        "risk_accepted",
        "--reason",
        "r",
        "--until",
        "2001-01-01",
    ])
    .code(2)
    .assert_stderr(&["--until 2001-01-01 is in the past"]);
    set(&[&check, "--instance", "tenant", "--state", "risk_accepted"])
        .code(2)
        .assert_stderr(&["--reason is required"]);
    set(&[
        "m365.entra.no_such_check",
        "--instance",
        "tenant",
        "--state",
        "planned",
        "--reason",
        "r",
    ])
    .code(2)
    .assert_stderr(&[
        "no check with id `m365.entra.no_such_check`",
        "sspm checks --app m365",
    ]);
    set(&[
        &check,
        "--instance",
        "nobody",
        "--state",
        "planned",
        "--reason",
        "r",
    ])
    .code(2)
    .assert_stderr(&["no instance `nobody`", "known: tenant"]);
    // A future --until is taken.
    set(&[
        &check,
        "--instance",
        "tenant",
        "--state",
        "planned",
        "--reason",
        "until later",
        "--until",
        "2999-12-31",
    ])
    .ok();
    assert_eq!(score_of(&env, "tenant"), planned);

    // Cleared: the measured score again.
    clear(&check);
    assert_eq!(score_of(&env, "tenant"), measured);
    let r = result_of(&env, "tenant", &check);
    assert!(r["state"].is_null(), "{r:#}");

    let audit = env
        .store(&["audit", "--limit", "1000", "-f", "json"])
        .ok()
        .json();
    let entries = audit.as_array().unwrap();
    let by = |action: &str| {
        entries
            .iter()
            .filter(|e| e["action"] == action && e["actor"] == "tester:states")
            .count()
    };
    assert_eq!(by("state.set"), 5, "{audit:#}");
    assert_eq!(by("state.clear"), 2, "{audit:#}");
    assert!(entries
        .iter()
        .any(|e| e["action"] == "state.set"
            && e["target"].as_str().unwrap_or_default().contains(&check)));
}

both_backends!(states_score_and_diff_from_the_cli, states_score_and_diff);

// --------------------------------------------------------------- 4. enable, disable, remove

fn latest_scan(env: &Env, instance: &str) -> Value {
    let out = env
        .store(&["scans", "--instance", instance, "-f", "json"])
        .ok();
    out.json()[0].clone()
}

fn enable_disable_remove(backend: Backend) {
    let env = Env::new(backend);
    let sim = Sim::start(&env, &[], &[]);
    for name in ["alpha", "beta"] {
        let args = with_store(&strs(&sim.add_args(name)), &env.url);
        env.run(
            &strs(&args),
            &[],
            Some(&format!("{DEFAULT_CLIENT_SECRET}\n")),
        )
        .ok();
    }
    env.store(&["scan", "-f", "json"]).ok();
    let full = latest_scan(&env, "alpha")["counts"]["results"]
        .as_u64()
        .unwrap();
    assert!(full > 0);
    assert_eq!(latest_scan(&env, "beta")["counts"]["results"], full);
    let score = |env: &Env| env.store(&["score", "-f", "json"]).ok().json();
    let both = score(&env);
    let alpha = both["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["instance"] == "alpha")
        .unwrap()
        .clone();
    let single_possible = f64_at(&alpha, "/score/possible");
    assert!(close(
        f64_at(&both, "/score/possible"),
        2.0 * single_possible
    ));

    // Disabled: out of the score, still collected.
    env.store(&["instance", "disable", "beta"]).ok();
    let only_alpha = score(&env);
    assert_eq!(only_alpha["score"], alpha["score"], "{only_alpha:#}");
    let beta = only_alpha["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["instance"] == "beta")
        .unwrap()
        .clone();
    assert_eq!(beta["recommendations"], false);
    assert!(beta["score"].is_null(), "{beta:#}");
    let before = latest_scan(&env, "beta")["id"].as_i64().unwrap();
    env.store(&["scan", "-f", "json"]).ok();
    let collected = latest_scan(&env, "beta");
    assert!(collected["id"].as_i64().unwrap() > before, "{collected:#}");
    assert_eq!(collected["status"], "succeeded", "{collected:#}");
    assert_eq!(collected["counts"]["results"], 0, "{collected:#}");
    assert!(collected["counts"]["resources"].as_u64().unwrap() > 0);
    assert_eq!(score(&env)["score"], alpha["score"]);

    // Enabled: the next scan scores it again.
    env.store(&["instance", "enable", "beta"]).ok();
    env.store(&["scan", "-f", "json"]).ok();
    assert_eq!(latest_scan(&env, "beta")["counts"]["results"], full);
    let again = score(&env);
    assert!(close(
        f64_at(&again, "/score/possible"),
        2.0 * single_possible
    ));
    assert_eq!(again["score"], both["score"]);

    // Removed only with --yes.
    env.store(&["instance", "remove", "beta"])
        .code(2)
        .assert_stderr(&["--yes"]);
    let names = |env: &Env| -> Vec<String> {
        env.store(&["instance", "list", "-f", "json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&env), ["alpha", "beta"]);
    env.store(&["instance", "remove", "beta", "--yes"]).ok();
    assert_eq!(names(&env), ["alpha"]);
    assert!(env.scans().iter().all(|s| s["instance"] == "alpha"));
}

both_backends!(instance_enable_disable_and_remove, enable_disable_remove);

// ---------------------------------------------------------------------------- 5. demo

#[test]
fn demo_works_from_a_clean_home() {
    let env = Env::new(Backend::Sqlite);
    let first = env.run(&["demo", "--no-serve"], &[], None).ok();
    for needle in ["Secure score", "contoso-prod", "fabrikam-hardened"] {
        assert!(first.stdout.contains(needle), "{}", first.stdout);
    }
    assert!(first.stderr.contains("run 1"), "{}", first.stderr);
    let second = env.run(&["demo", "--no-serve"], &[], None).ok();
    assert!(
        second.stdout.contains("run 2") || second.stderr.contains("run 2"),
        "{}\n{}",
        second.stdout,
        second.stderr
    );
    let demo = format!("sqlite://{}", env.home().join("demo.db").display());
    let scans = env
        .run(&["scans", "--store", &demo, "-f", "json"], &[], None)
        .ok()
        .json();
    let scans = scans.as_array().unwrap();
    assert_eq!(scans.len(), 4, "{scans:#?}");
    assert!(
        scans.iter().all(|s| s["status"] == "succeeded"),
        "{scans:#?}"
    );
    // contoso-prod changed between the runs.
    let drift = env
        .run(
            &[
                "diff",
                "--store",
                &demo,
                "--instance",
                "contoso-prod",
                "-f",
                "json",
            ],
            &[],
            None,
        )
        .ok()
        .json();
    assert!(
        !drift[0]["changes"].as_array().unwrap().is_empty(),
        "{drift:#}"
    );
}

#[test]
fn demo_into_postgres() {
    let env = Env::new(Backend::Postgres);
    let out = env.store(&["demo", "--no-serve"]).ok();
    assert!(out.stdout.contains("Secure score"), "{}", out.stdout);
    let scans = env.scans();
    assert_eq!(scans.len(), 2, "{scans:#?}");
    assert!(scans.iter().all(|s| s["status"] == "succeeded"));
    // Nothing went to a SQLite demo store under the home.
    assert!(!env.home().join("demo.db").exists());
}

// -------------------------------------------------------------------------- 6. import

fn config_is_imported(backend: Backend) {
    let env = Env::new(backend);
    let sim = Sim::start(&env, &[], &[]);
    let config = env.write("tenants.toml", &sim.toml("imported", "SIM_SECRET"));
    let args = with_store(
        &["scan", "--config", config.to_str().unwrap(), "-f", "json"],
        &env.url,
    );
    env.run(&strs(&args), &[("SIM_SECRET", DEFAULT_CLIENT_SECRET)], None)
        .ok();
    let list = env.store(&["instance", "list", "-f", "json"]).ok().json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0]["name"], "imported");
    assert_eq!(list[0]["config"]["graph_url"], sim.url.as_str());
    assert_eq!(list[0]["config"]["client_secret_env"], "SIM_SECRET");
    assert_eq!(list[0]["last_scan"]["status"], "succeeded");
    let audit = env.store(&["audit", "-f", "json"]).ok().json();
    let add = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "instance.add")
        .unwrap_or_else(|| panic!("no instance.add: {audit:#}"));
    assert!(add["actor"].as_str().unwrap().contains("import"), "{add:#}");
    assert!(
        add["target"].as_str().unwrap().contains("imported"),
        "{add:#}"
    );
    // A second scan of the unchanged file adds no audit entry.
    env.run(&strs(&args), &[("SIM_SECRET", DEFAULT_CLIENT_SECRET)], None)
        .ok();
    let again = env.store(&["audit", "-f", "json"]).ok().json();
    assert_eq!(
        again.as_array().unwrap().len(),
        audit.as_array().unwrap().len()
    );
    // `instance disable` sticks although the file says recommendations = true (the
    // default): the next scan warns and keeps the store's switch.
    env.store(&["instance", "disable", "imported"]).ok();
    let out = env.run(&strs(&args), &[("SIM_SECRET", DEFAULT_CLIENT_SECRET)], None);
    assert!(
        out.stderr.contains("the store's setting is kept"),
        "{}",
        out.stderr
    );
    let list = env.store(&["instance", "list", "-f", "json"]).ok().json();
    assert_eq!(list[0]["recommendations"], false, "{list:#}");
    assert_eq!(list[0]["last_scan"]["counts"]["results"], 0, "{list:#}");
}

both_backends!(config_file_instances_are_imported, config_is_imported);

//! The [`Store`]: opening, migrations, and the plumbing shared by every query.
//!
//! Both backends run the same SQL text: `$1` placeholders (SQLite accepts `$N`), `ON
//! CONFLICT … DO UPDATE`, `RETURNING`, and column types chosen so that the same Rust types
//! bind and decode on both (timestamps are `DateTime<Utc>`: RFC 3339 text on SQLite,
//! `timestamptz` on PostgreSQL; JSON is `Json<T>`: text on SQLite, `jsonb` on PostgreSQL).
//! [`with_pool!`] expands one body once per backend, so each query is written once and
//! type-checked against both drivers.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::Connection as _;

use crate::error::{redact_url, Context, Result, StoreError};
use crate::paths::{default_store_url, sspm_home};
use crate::process::{liveness, Liveness, Owner};
use crate::secret::{KeySource, MasterKey, KEY_FILE_NAME};
use crate::types::ScanId;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite connection waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (WAL mode, foreign keys on).
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the store's pool, once per backend.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Writes one audit log entry inside a transaction.
macro_rules! audit {
    ($tx:expr, $at:expr, $actor:expr, $action:expr, $target:expr, $details:expr) => {{
        let action: &str = $action;
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($at)
        .bind($actor)
        .bind(action)
        .bind($target)
        .bind(sqlx::types::Json($details))
        .execute(&mut *$tx)
        .await
        .ctx(|| format!("write the audit log entry for {action}"))
    }};
}
pub(crate) use audit;

/// How to open a store. `Default` reads the master key from `SSPM_MASTER_KEY` or the key
/// file, and recovers scans left running by dead processes.
#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    /// The master key for credentials; by default `SSPM_MASTER_KEY`, else the key file.
    pub master_key: Option<MasterKey>,
    /// The key file used when `SSPM_MASTER_KEY` is not set; by default `master.key` next
    /// to the SQLite database, or in the sspm home for PostgreSQL.
    pub key_file: Option<PathBuf>,
    /// Do not run [`Store::recover`] on open.
    pub skip_recovery: bool,
    /// Connection pool size (default: 4 for SQLite, 8 for PostgreSQL).
    pub max_connections: Option<u32>,
}

/// sspm's store: instances, credentials, scans, snapshots, results, recommendation
/// states, daily scores and the audit log, in SQLite or PostgreSQL.
///
/// Cheap to share behind an `Arc`; every method takes `&self`.
pub struct Store {
    pub(crate) pool: Pool,
    url: String,
    key_source: KeySource,
    key: tokio::sync::OnceCell<MasterKey>,
    pub(crate) owner: Owner,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `url` with default options.
    ///
    /// `url` is `sqlite://PATH` (the file and its directory are created), `sqlite::memory:`,
    /// or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…&options[search_path]=…]`.
    /// Migrations are applied, then scans left running by dead processes are marked failed.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, StoreOptions::default()).await
    }

    /// Opens the default store: `sspm.db` under `$SSPM_HOME` or the platform data directory.
    pub async fn open_default() -> Result<Self> {
        Self::open(&default_store_url()?).await
    }

    /// Opens the store at `url` with `options`.
    pub async fn open_with(url: &str, options: StoreOptions) -> Result<Self> {
        let shown = redact_url(url);
        let open_err = |source| StoreError::Open {
            url: shown.clone(),
            source,
        };
        let (pool, default_key_file) = if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url).map_err(open_err)?;
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            let key_dir = if in_memory {
                None
            } else {
                Some(create_parent(connect.get_filename())?)
            };
            let connect = connect
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            let max = if in_memory {
                1
            } else {
                options.max_connections.unwrap_or(4)
            };
            let pool = SqlitePoolOptions::new()
                .max_connections(max)
                .connect_with(connect)
                .await
                .map_err(open_err)?;
            SQLITE_MIGRATOR
                .run(&pool)
                .await
                .map_err(|source| StoreError::Migrate {
                    url: shown.clone(),
                    source,
                })?;
            let key_file = match key_dir {
                Some(dir) => Some(dir.join(KEY_FILE_NAME)),
                None => sspm_home().ok().map(|h| h.join(KEY_FILE_NAME)),
            };
            (Pool::Sqlite(pool), key_file)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url).map_err(open_err)?;
            // One direct connection first: the pool would retry a refused connection until
            // its acquire timeout, where a wrong URL deserves an immediate answer.
            PgConnection::connect_with(&connect)
                .await
                .map_err(open_err)?
                .close()
                .await
                .map_err(open_err)?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.unwrap_or(8))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await
                .map_err(open_err)?;
            POSTGRES_MIGRATOR
                .run(&pool)
                .await
                .map_err(|source| StoreError::Migrate {
                    url: shown.clone(),
                    source,
                })?;
            let key_file = sspm_home().ok().map(|h| h.join(KEY_FILE_NAME));
            (Pool::Postgres(pool), key_file)
        } else {
            return Err(StoreError::UnsupportedUrl(shown));
        };
        let key_source = match options.master_key {
            Some(key) => KeySource::Given(key),
            None => KeySource::EnvOrFile(options.key_file.or(default_key_file)),
        };
        let store = Self {
            pool,
            url: shown,
            key_source,
            key: tokio::sync::OnceCell::new(),
            owner: Owner::current(),
        };
        tracing::debug!(url = %store.url, backend = ?store.backend(), "store open");
        if !options.skip_recovery {
            store
                .recover("the process running the scan stopped before it finished")
                .await?;
        }
        Ok(store)
    }

    /// Which database this store uses.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The store's URL, password redacted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes every connection (SQLite checkpoints its WAL when the last one closes).
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }

    /// Applies the schema migrations (done by `open`; applying them again does nothing).
    pub async fn migrate(&self) -> Result<()> {
        let res = match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await,
            Pool::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await,
        };
        res.map_err(|source| StoreError::Migrate {
            url: self.url.clone(),
            source,
        })
    }

    /// The master key, loaded (or its key file created) on first use.
    pub(crate) async fn master_key(&self) -> Result<&MasterKey> {
        self.key
            .get_or_try_init(|| async { self.key_source.load() })
            .await
    }

    /// Marks `failed` every running scan whose process is known to be dead, and returns them.
    ///
    /// A scan records the host, process id and process start time of its owner. Only scans
    /// of this host whose owner is gone (no such process, a zombie, or a reused pid) are
    /// marked; scans of live processes and of other hosts are left running. `open` calls
    /// this unless [`StoreOptions::skip_recovery`] is set. The error stored is
    /// `"{reason}: pid N on HOST is gone"`.
    pub async fn recover(&self, reason: &str) -> Result<Vec<ScanId>> {
        self.recover_where(reason, |owner| {
            liveness(owner, &self.owner.host) == Liveness::Dead
        })
        .await
    }

    /// Marks `failed` every running scan, whatever its owner: for a caller that knows it
    /// holds the store alone (e.g. after a crash of the only worker on another host).
    pub async fn recover_all(&self, reason: &str) -> Result<Vec<ScanId>> {
        self.recover_where(reason, |_| true).await
    }

    async fn recover_where(
        &self,
        reason: &str,
        dead: impl Fn(&Owner) -> bool,
    ) -> Result<Vec<ScanId>> {
        let running: Vec<(i64, String, i64, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, owner_host, owner_pid, owner_start FROM scans WHERE status = 'running' ORDER BY id",
            )
            .fetch_all(pool)
            .await
        })
        .ctx(|| "list running scans".into())?;
        let mut failed = Vec::new();
        for (id, host, pid, start) in running {
            let owner = Owner { host, pid, start };
            if !dead(&owner) {
                continue;
            }
            let error = format!("{reason}: pid {} on {} is gone", owner.pid, owner.host);
            let done = with_pool!(self, pool => {
                sqlx::query(
                    "UPDATE scans SET status = 'failed', finished_at = $2, error = $3 \
                     WHERE id = $1 AND status = 'running'",
                )
                .bind(id)
                .bind(now())
                .bind(&error)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
            })
            .ctx(|| format!("mark scan {id} failed"))?;
            if done > 0 {
                tracing::warn!(scan = id, pid = owner.pid, host = %owner.host, "{error}");
                failed.push(ScanId(id));
            }
        }
        Ok(failed)
    }
}

/// Creates the directory of a SQLite file and returns it.
fn create_parent(file: &Path) -> Result<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
        what: "create the store directory",
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// Now, to the microsecond (what PostgreSQL keeps), so values read back compare equal.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Rejects names that are empty, too long, or hold `/`, whitespace or control characters.
pub(crate) fn check_name(what: &'static str, name: &str) -> Result<()> {
    let invalid = |reason: String| Err(StoreError::Invalid { what, reason });
    if name.is_empty() {
        return invalid("it is empty".to_string());
    }
    if name.len() > 200 {
        return invalid(format!("it is {} bytes long (at most 200)", name.len()));
    }
    if let Some(c) = name
        .chars()
        .find(|c| *c == '/' || c.is_whitespace() || c.is_control())
    {
        return invalid(format!(
            "`{name}` holds {c:?}; use letters, digits, `-`, `_` or `.`"
        ));
    }
    Ok(())
}

/// A count for an `i64` column.
pub(crate) fn to_i64(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// A count read from an `i64` column.
pub(crate) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

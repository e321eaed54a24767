//! The harness of the server tests: a store on SQLite (a temporary file) or PostgreSQL (a
//! schema of its own, dropped at the end), two simulated Microsoft 365 tenants served on
//! 127.0.0.1 and registered as instances, scanned twice each with the real connector and
//! engine, and `sspm serve`'s application listening on 127.0.0.1.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432/test` (trust auth), or at
//! `$SSPM_TEST_POSTGRES_URL`; when it cannot be reached the PostgreSQL tests FAIL.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::Connection as _;
use sspm::server::{serve_on, AppState};
use sspm_sim::server::{SimOptions, SimServer, DEFAULT_CLIENT_ID};
use sspm_sim::{M365Spec, M365Tenant, Posture};
use sspm_store::{MasterKey, NewInstance, Role, Secret, Store, StoreOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The instances of the harness: name, domain, posture.
pub const TENANTS: [(&str, &str, Posture); 2] = [
    ("contoso", "contoso.onmicrosoft.com", Posture::Weak),
    ("fabrikam", "fabrikam.onmicrosoft.com", Posture::Hardened),
];

fn random_hex() -> String {
    let mut bytes = [0u8; 12];
    getrandom::getrandom(&mut bytes).expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A running server over a populated store.
pub struct Harness {
    pub backend: Backend,
    pub store: Arc<Store>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// An admin token.
    pub admin: String,
    pub sims: Vec<SimServer>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// Starts a simulated tenant and registers it as an instance with its secret.
pub async fn add_sim_instance(
    store: &Store,
    name: &str,
    domain: &str,
    posture: Posture,
) -> SimServer {
    let spec = M365Spec {
        users: 40,
        ..M365Spec::small(posture).named(name, domain)
    };
    let tenant = M365Tenant::generate(&spec);
    let tenant_id = tenant.tenant_id.clone();
    let secret = format!("test-secret-{}", random_hex());
    let sim = SimServer::start(
        tenant,
        SimOptions {
            client_secret: secret.clone(),
            ..SimOptions::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("start a simulated tenant");
    let base = sim.base_url();
    store
        .add_instance(
            &NewInstance {
                name: name.into(),
                app: "m365".into(),
                config: serde_json::json!({
                    "tenant_id": tenant_id,
                    "client_id": DEFAULT_CLIENT_ID,
                    "cloud": "global",
                    "graph_url": base,
                    "login_url": base,
                    "exo_url": base,
                    "organization": domain,
                }),
                recommendations: true,
            },
            "test",
        )
        .await
        .expect("add an instance");
    store
        .set_credential(
            name,
            "client_secret",
            &Secret::new(secret.into_bytes()),
            "test",
        )
        .await
        .expect("store a secret");
    sim
}

/// Scans every instance of `store` once, in-process.
pub async fn scan_all(store: &Store, catalog: &sspm_engine::Catalog) {
    let mut targets = Vec::new();
    for i in store.instances().await.expect("instances") {
        targets.push(sspm::scanning::target(store, &i).await.expect("a target"));
    }
    let scanned = sspm::scanning::scan_all(store, catalog, targets, None)
        .await
        .expect("scans");
    for s in scanned {
        s.outcome.expect("the scan succeeds");
    }
}

impl Harness {
    /// A populated store served on 127.0.0.1 (scanned twice, so drift exists).
    pub async fn start(backend: Backend) -> Harness {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("sspm.db").display()),
                None,
            ),
            Backend::Postgres => {
                let admin = std::env::var("SSPM_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
                let schema = format!("sspm_server_test_{}", random_hex());
                let mut conn = tokio::time::timeout(
                    Duration::from_secs(30),
                    sqlx::PgConnection::connect(&admin),
                )
                .await
                .map_err(|_| "timed out".to_string())
                .and_then(|r| r.map_err(|e| e.to_string()))
                .unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is not reachable at {admin}: {e}; start it (`pg_ctlcluster \
                         --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or set \
                         SSPM_TEST_POSTGRES_URL"
                    )
                });
                sqlx::query(&format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .await
                    .expect("create a schema");
                let _ = conn.close().await;
                let sep = if admin.contains('?') { '&' } else { '?' };
                (
                    format!("{admin}{sep}options[search_path]={schema}"),
                    Some((admin, schema)),
                )
            }
        };
        let store = Store::open_with(
            &url,
            StoreOptions {
                master_key: Some(MasterKey::generate("test")),
                max_connections: Some(8),
                ..StoreOptions::default()
            },
        )
        .await
        .expect("open the store");
        let catalog = sspm_engine::Catalog::builtin().expect("the catalog");
        let initiatives = sspm_engine::Initiatives::builtin().expect("the initiatives");
        let mut sims = Vec::new();
        for (name, domain, posture) in TENANTS {
            sims.push(add_sim_instance(&store, name, domain, posture).await);
        }
        scan_all(&store, &catalog).await;
        scan_all(&store, &catalog).await;
        let admin = store
            .create_token("test-admin", Role::Admin, "test")
            .await
            .expect("a token")
            .token;
        let store = Arc::new(store);
        let state = AppState::new(
            Arc::clone(&store),
            Arc::new(catalog),
            Arc::new(initiatives),
            false,
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve_on(listener, state, async {
            let _ = stopped.await;
        }));
        Harness {
            backend,
            store,
            base,
            admin,
            sims,
            stop: Some(stop),
            server: Some(server),
            _dir: dir,
            pg,
        }
    }

    /// A new token with `role`.
    pub async fn token(&self, name: &str, role: Role) -> String {
        self.store
            .create_token(name, role, "test")
            .await
            .expect("a token")
            .token
    }

    /// Stops the server (gracefully) and the tenants, and drops the PostgreSQL schema.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
        for sim in std::mem::take(&mut self.sims) {
            sim.shutdown().await;
        }
        self.store.close().await;
        if let Some((admin, schema)) = self.pg.take() {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut conn)
                    .await;
                let _ = conn.close().await;
            }
        }
    }
}

/// An HTTP client that does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

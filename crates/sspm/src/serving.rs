//! `sspm serve`: opens the store, makes sure an admin token exists, and runs the web
//! dashboard, the REST API and the scan scheduler until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use sspm_engine::{Catalog, Initiatives};
use sspm_store::{Role, Store, StoreOptions};

use crate::cli::{Interval, ServeArgs};
use crate::commands::load_catalog;
use crate::server::{self, scheduler, AppState};
use crate::stored::{self, runtime};
use crate::Outcome;

/// How to serve.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Scheduled scans.
    pub interval: Interval,
    /// Reached over TLS through a reverse proxy.
    pub behind_tls: bool,
}

/// Connections the server's store pool may hold: requests run concurrently.
const POOL: u32 = 16;

pub fn serve(args: ServeArgs) -> Result<Outcome> {
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let settings = Settings {
        listen: args.listen,
        interval: args.scan_interval,
        behind_tls: args.behind_tls,
    };
    runtime()?.block_on(async {
        let url = stored::store_url(args.store.as_deref(), None)?;
        let store = open_for_serving(&url).await?;
        if !store.has_active_token().await? {
            // `admin`, or a dated name when a revoked token holds that one.
            let taken = store.tokens().await?.iter().any(|t| t.name == "admin");
            let name = if taken {
                format!("admin-{}", chrono::Utc::now().format("%Y%m%d%H%M%S"))
            } else {
                "admin".to_string()
            };
            let token = store.create_token(&name, Role::Admin, &stored::actor()).await?;
            eprintln!(
                "No API token existed, so an admin token `{name}` was created. It is shown this once:\n\n  {}\n\n\
                 Sign in to the dashboard with it, or send it as `Authorization: Bearer …`.\n\
                 Create more with `sspm token create --role viewer|operator|admin --name NAME`.\n",
                token.token
            );
        }
        run(Arc::new(store), catalog, initiatives, settings).await
    })?;
    Ok(Outcome::Ok)
}

/// Opens the store at `url` with a pool sized for concurrent requests.
pub async fn open_for_serving(url: &str) -> Result<Store> {
    Ok(Store::open_with(
        url,
        StoreOptions {
            max_connections: Some(POOL),
            ..StoreOptions::default()
        },
    )
    .await?)
}

/// Serves `store` until Ctrl-C or SIGTERM.
pub async fn run(
    store: Arc<Store>,
    catalog: Catalog,
    initiatives: Initiatives,
    settings: Settings,
) -> Result<()> {
    if !settings.listen.ip().is_loopback() && !settings.behind_tls {
        eprintln!(
            "warning: listening on {} without TLS: tokens and session cookies would cross the \
             network in clear text. Put a TLS reverse proxy in front and pass --behind-tls, or \
             listen on 127.0.0.1.",
            settings.listen
        );
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}: is another server using it? Choose another with --listen",
                settings.listen
            )
        })?;
    let addr = listener.local_addr()?;
    let state = AppState::new(
        store,
        Arc::new(catalog),
        Arc::new(initiatives),
        settings.behind_tls,
    );
    match settings.interval {
        Interval::Every(every) => scheduler::spawn_interval(state.clone(), every),
        Interval::Off => {
            eprintln!("Scheduled scans are off: scan with \"Scan now\" or POST /api/v1/scans.")
        }
    }
    eprintln!(
        "sspm serve: the dashboard is at http://{addr}/ and the API at http://{addr}/api/v1 \
         (OpenAPI: /api/v1/openapi.json). Ctrl-C stops it."
    );
    server::serve_on(listener, state, server::shutdown_signal())
        .await
        .context("the server failed")
}

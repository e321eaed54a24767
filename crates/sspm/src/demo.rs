//! `sspm demo`: sspm at work in one command, with no account and no network.
//!
//! Two simulated Microsoft 365 tenants are served in-process on 127.0.0.1 — a neglected
//! production tenant and a hardened one — registered as instances in a demo store (their
//! simulated client secrets stored encrypted, like a real one), and scanned over HTTP by
//! the real connector, assessed by the real engine and written to the store. Each run is
//! a new scan, so the history, the trend and the drift grow run after run: the production
//! tenant starts weak and is then reconfigured a little differently each time (a seeded
//! mix of hardened and neglected areas); the hardened tenant does not change, so its
//! snapshots are stored once.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use sspm_sim::server::{SimOptions, SimServer, DEFAULT_CLIENT_ID};
use sspm_sim::{M365Spec, M365Tenant, Posture};
use sspm_store::{NewInstance, Secret, Store};

use crate::cli::DemoArgs;
use crate::commands::{load_catalog, print};
use crate::serving;
use crate::stored::{self, runtime, CLIENT_SECRET};
use crate::{scanning, Outcome};

/// The demo instances: name, tenant domain, posture on the first run.
const TENANTS: [(&str, &str); 2] = [
    ("contoso-prod", "contoso.onmicrosoft.com"),
    ("fabrikam-hardened", "fabrikam.onmicrosoft.com"),
];

/// The demo store: `--store`, else `demo.db` beside the default store.
fn demo_store_url(args: &DemoArgs) -> Result<String> {
    if let Some(url) = &args.store {
        return Ok(url.clone());
    }
    let path = sspm_store::sspm_home()?.join("demo.db");
    let text = path
        .to_str()
        .with_context(|| format!("{} is not UTF-8: set SSPM_HOME elsewhere", path.display()))?;
    Ok(sspm_store::paths::sqlite_url(text))
}

/// A new random client secret for a simulated tenant.
fn random_secret() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).context("cannot draw a random secret")?;
    Ok(format!(
        "demo~{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// The posture of a demo tenant on the `run`-th demo run (0 for the first).
fn posture(name: &str, run: usize) -> (Posture, u64) {
    match (name, run) {
        ("fabrikam-hardened", _) => (Posture::Hardened, 7),
        (_, 0) => (Posture::Weak, 1),
        (_, run) => (Posture::Mixed, run as u64),
    }
}

/// The simulated client secret of a demo instance: the one stored by an earlier run, or a
/// new one (stored encrypted).
async fn client_secret(store: &Store, name: &str) -> Result<String> {
    if let Some(secret) = store.credential(name, CLIENT_SECRET).await? {
        if let Some(text) = secret.expose_str() {
            return Ok(text.to_string());
        }
    }
    let secret = random_secret()?;
    store
        .set_credential(
            name,
            CLIENT_SECRET,
            &Secret::new(secret.clone().into_bytes()),
            &stored::actor(),
        )
        .await?;
    Ok(secret)
}

pub fn run(args: DemoArgs) -> Result<Outcome> {
    let url = demo_store_url(&args)?;
    let (catalog, initiatives) = load_catalog(&Default::default())?;
    runtime()?.block_on(async {
        let store = Store::open(&url).await?;
        let actor = stored::actor();
        let run = store
            .scans(Some(TENANTS[0].0), u32::MAX)
            .await?
            .iter()
            .filter(|s| s.status.is_complete())
            .count();
        let mut servers = Vec::new();
        let mut targets = Vec::new();
        for (name, domain) in TENANTS {
            let (posture, seed) = posture(name, run);
            let spec = M365Spec {
                users: args.users,
                seed,
                ..M365Spec::small(posture).named(name, domain)
            };
            let tenant = M365Tenant::generate(&spec);
            let tenant_id = tenant.tenant_id.clone();
            if store.instance(name).await?.is_none() {
                store
                    .add_instance(
                        &NewInstance {
                            name: name.to_string(),
                            app: "m365".into(),
                            config: serde_json::json!({}),
                            recommendations: true,
                        },
                        &actor,
                    )
                    .await?;
            }
            let secret = client_secret(&store, name).await?;
            let options = SimOptions {
                client_secret: secret,
                seed,
                ..SimOptions::default()
            };
            let server = SimServer::start(tenant, options, SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .context("cannot start a simulated tenant on 127.0.0.1")?;
            let base = server.base_url();
            let config = serde_json::json!({
                "tenant_id": tenant_id,
                "client_id": DEFAULT_CLIENT_ID,
                "cloud": "global",
                "graph_url": base,
                "login_url": base,
                "exo_url": base,
                "organization": domain,
            });
            let stored = store.set_instance_config(name, &config, &actor).await?;
            targets.push(scanning::target(&store, &stored).await?);
            servers.push(server);
        }
        eprintln!(
            "sspm demo, run {}: scanning {} simulated Microsoft 365 tenants on 127.0.0.1 …",
            run + 1,
            TENANTS.len()
        );
        let scanned = scanning::scan_all(&store, &catalog, targets, None).await;
        let scanned = match scanned {
            Ok(s) => s,
            Err(e) => {
                for server in servers {
                    server.shutdown().await;
                }
                return Err(e);
            }
        };
        if let Some(e) = scanning::summarize(&scanned) {
            for server in servers {
                server.shutdown().await;
            }
            return Err(e);
        }
        let doc = stored::latest_document(
            &store,
            &catalog,
            &initiatives,
            &stored::Selection::default(),
        )
        .await?;
        print(&summary_text(&doc, run, &url))?;
        let outcome = if args.no_serve {
            store.close().await;
            Ok(())
        } else {
            // The simulated tenants keep running, so "Scan now" works in the dashboard.
            let token = store
                .create_token(
                    &format!("demo-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%3f")),
                    sspm_store::Role::Admin,
                    &actor,
                )
                .await?;
            eprintln!(
                "\nOpening the dashboard on the demo tenants: http://{}/\nSign in with this admin token (shown once):\n\n  {}\n",
                args.listen, token.token
            );
            let settings = serving::Settings {
                listen: args.listen,
                interval: crate::cli::Interval::Off,
                behind_tls: false,
            };
            serving::run(std::sync::Arc::new(store), catalog, initiatives, settings).await
        };
        for server in servers {
            server.shutdown().await;
        }
        outcome
    })?;
    Ok(Outcome::Ok)
}

fn summary_text(doc: &sspm_model::ResultsDocument, run: usize, url: &str) -> String {
    let pct = |s: &sspm_model::Score| {
        s.percent
            .map(|p| format!("{p:.1}% ({} of {} points)", s.achieved, s.possible))
            .unwrap_or_else(|| "–".into())
    };
    let mut out = format!("\nSecure score {}\n", pct(&doc.score));
    for a in &doc.assessments {
        out.push_str(&format!("  {:<20} {}\n", a.instance, pct(&a.score)));
    }
    if let Some(a) = doc.assessments.iter().find(|a| a.instance == TENANTS[0].0) {
        out.push_str(&format!("\nTop recommendations for {}:\n", a.instance));
        for r in a
            .results
            .iter()
            .filter(|r| r.points_to_gain() > 0.0)
            .take(5)
        {
            out.push_str(&format!(
                "  {}. [{}] {} (+{:.1} points)\n     {}\n",
                r.rank,
                r.severity.as_str(),
                r.title,
                r.points_to_gain(),
                r.id
            ));
        }
    }
    let top = doc
        .assessments
        .iter()
        .find(|a| a.instance == TENANTS[0].0)
        .and_then(|a| a.results.first())
        .map(|r| r.id.clone())
        .unwrap_or_else(|| "m365.entra.legacy_auth_blocked".into());
    out.push_str(&format!(
        "\nThe demo store is {url}. Point sspm at it, then look around:\n\n  export SSPM_STORE='{url}'\n  sspm recommendations --instance contoso-prod\n  sspm show {top} --instance contoso-prod\n  sspm state set {top} --instance contoso-prod --state risk_accepted --reason \"legacy app until Q2\" --until 2027-06-30\n  sspm score --history 90d\n"
    ));
    if run == 0 {
        out.push_str("\nRun `sspm demo` again: contoso-prod changes between runs, and\n  sspm diff --instance contoso-prod\nshows what changed and which settings caused it.\n");
    } else {
        out.push_str("  sspm diff --instance contoso-prod\n  sspm scans\n");
    }
    out
}

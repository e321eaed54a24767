//! `sspm collect`, `scan`, `permissions` and `doctor`: the commands that talk to tenants.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use sspm_connectors::m365::collect::RawSnapshot;
use sspm_connectors::m365::doctor::Verdict;
use sspm_connectors::m365::M365;
use sspm_connectors::{Config, Instance};
use sspm_engine::{AssessOptions, LoadedSnapshot};

use crate::commands::{load_catalog, print, report};
use crate::Outcome;
use crate::{cli, scanning, stored};

use crate::stored::runtime;

pub(crate) fn load_config(args: &cli::ConfigArgs) -> Result<Config> {
    Config::load(&args.path()).map_err(|e| {
        if matches!(e, sspm_connectors::ConfigError::Read { .. }) {
            anyhow::anyhow!("{e}\nCreate it (see the README, \"Connect a tenant\"), or point --config / SSPM_CONFIG at it.")
        } else {
            e.into()
        }
    })
}

pub fn permissions(args: cli::PermissionsArgs) -> Result<Outcome> {
    match args.app.as_str() {
        "m365" => print(&sspm_connectors::m365::permissions_text())?,
        other => bail!("unknown app `{other}`; sspm connects to: m365"),
    }
    Ok(Outcome::Ok)
}

/// Collects `instance` with `connector`, showing progress on a terminal. Resources stay
/// the JSON text received until they are written or loaded.
pub(crate) async fn collect_with(
    connector: Arc<M365>,
    instance: &Instance,
    bars: &MultiProgress,
) -> Result<RawSnapshot> {
    let progress = connector.progress();
    let stats = connector.http().stats();
    let bar = bars.add(ProgressBar::new(0));
    bar.set_style(
        ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} calls {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(instance.name.clone());
    let ticker = {
        let (bar, progress, stats) = (bar.clone(), Arc::clone(&progress), Arc::clone(&stats));
        tokio::spawn(async move {
            loop {
                bar.set_length(progress.planned.load(Ordering::Relaxed));
                bar.set_position(progress.done.load(Ordering::Relaxed));
                let s = stats.snapshot();
                bar.set_message(format!(
                    "· {} requests · {} throttled ({} ms waited) · {} failed",
                    s.requests,
                    s.throttled,
                    s.waited_ms,
                    progress.failed.load(Ordering::Relaxed)
                ));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let result = connector.collect_raw().await;
    ticker.abort();
    bar.finish_and_clear();
    let snapshot = result?;
    let s = stats.snapshot();
    tracing::info!(
        instance = %instance.name,
        resources = snapshot.resources.len(),
        failures = snapshot.failures.len(),
        requests = s.requests,
        throttled = s.throttled,
        waited_ms = s.waited_ms,
        "collected"
    );
    if !std::io::stderr().is_terminal() {
        eprintln!(
            "{}: collected {} resources, {} failed calls, {} requests, {} throttled",
            instance.name,
            snapshot.resources.len(),
            snapshot.failures.len(),
            s.requests,
            s.throttled
        );
    }
    Ok(snapshot)
}

pub(crate) fn bars() -> MultiProgress {
    if std::io::stderr().is_terminal() {
        MultiProgress::new()
    } else {
        MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
    }
}

pub(crate) fn write_snapshot(snapshot: &RawSnapshot, path: &Path) -> Result<()> {
    use std::io::Write;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    snapshot
        .write_json(&mut out)
        .map_err(anyhow::Error::from)
        .and_then(|()| out.flush().map_err(anyhow::Error::from))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The instance called `name` and its connector: from the configuration file when it
/// lists it, else from the store (with its stored credential).
async fn connector_named(
    name: &str,
    config: &cli::ConfigArgs,
    store: &cli::StoreArgs,
) -> Result<(Instance, Arc<M365>)> {
    let file = stored::config_if_present(Some(config))?;
    if let Some(instance) = file
        .as_ref()
        .and_then(|c| c.instances.iter().find(|i| i.name == name))
    {
        return Ok((instance.clone(), Arc::new(M365::new(instance)?)));
    }
    let store = stored::open(store.as_deref(), Some(config)).await?;
    let Some(stored_instance) = store.instance(name).await? else {
        let mut known: Vec<String> = file
            .iter()
            .flat_map(|c| c.instances.iter().map(|i| i.name.clone()))
            .collect();
        known.extend(store.instances().await?.into_iter().map(|i| i.name));
        bail!(
            "no instance `{name}` in {} or in the store; known: {}",
            config.path().display(),
            if known.is_empty() {
                "(none: `sspm instance add`, or list it in sspm.toml)".to_string()
            } else {
                known.join(", ")
            }
        );
    };
    let target = scanning::target(&store, &stored_instance).await?;
    let connector = target.connector?;
    Ok((target.instance, connector))
}

pub fn collect(args: cli::CollectArgs) -> Result<Outcome> {
    let (instance, snapshot) = runtime()?.block_on(async {
        let (instance, connector) =
            connector_named(&args.instance, &args.config, &args.store).await?;
        let snapshot = collect_with(connector, &instance, &bars()).await?;
        Ok::<_, anyhow::Error>((instance, snapshot))
    })?;
    let output = args.output.unwrap_or_else(|| {
        format!(
            "{}-{}.json",
            instance.name,
            snapshot.collected_at.replace(':', "")
        )
        .into()
    });
    write_snapshot(&snapshot, &output)?;
    eprintln!(
        "wrote {} ({} resources, {} failed calls)",
        output.display(),
        snapshot.resources.len(),
        snapshot.failures.len()
    );
    Ok(Outcome::Ok)
}

/// Scans instances of the store (the configuration file's are imported first) and
/// writes each scan to the store; prints the latest results with states in effect.
pub fn scan(args: cli::ScanArgs) -> Result<Outcome> {
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let (doc, failure) = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), Some(&args.config)).await?;
        if let Some(config) = stored::config_if_present(Some(&args.config))? {
            stored::import_config(&store, &config, &args.config.path()).await?;
        }
        let known = store.instances().await?;
        let chosen: Vec<&sspm_store::Instance> = if args.instance.is_empty() {
            known.iter().collect()
        } else {
            args.instance
                .iter()
                .map(|name| {
                    known.iter().find(|i| &i.name == name).with_context(|| {
                        format!(
                            "no instance `{name}` in the store or in {}; known: {}",
                            args.config.path().display(),
                            stored::names(&known)
                        )
                    })
                })
                .collect::<Result<_>>()?
        };
        if chosen.is_empty() {
            bail!(
                "no instances to scan: add one with `sspm instance add` or list it in {} (see the README)",
                args.config.path().display()
            );
        }
        let mut targets = Vec::new();
        for instance in &chosen {
            targets.push(scanning::target(&store, instance).await?);
        }
        let scanned =
            scanning::scan_all(&store, &catalog, targets, args.save_snapshots.as_deref()).await?;
        let failure = scanning::summarize(&scanned);
        let selection = stored::Selection {
            instances: scanned
                .iter()
                .filter(|s| s.outcome.is_ok())
                .map(|s| s.instance.clone())
                .collect(),
            app: None,
        };
        if selection.instances.is_empty() {
            return Err(failure.unwrap_or_else(|| anyhow::anyhow!("nothing was scanned")));
        }
        let doc = stored::latest_document(&store, &catalog, &initiatives, &selection).await?;
        store.close().await;
        Ok::<_, anyhow::Error>((doc, failure))
    })?;
    let outcome = report(&doc, &catalog, args.format, args.color, args.fail_on)?;
    match failure {
        Some(e) => Err(e),
        None => Ok(outcome),
    }
}

/// Assesses what was collected from `instances` (the instances with recommendations off
/// are only collected), saving each snapshot into `save` if given.
fn assess_collected(
    catalog: &sspm_engine::Catalog,
    initiatives: &sspm_engine::Initiatives,
    instances: &[Instance],
    snapshots: Vec<Result<RawSnapshot>>,
    save: Option<&Path>,
) -> Result<sspm_model::ResultsDocument> {
    let keys = catalog.resource_keys();
    let mut loaded = Vec::new();
    for (instance, snapshot) in instances.iter().zip(snapshots) {
        let snapshot = snapshot.with_context(|| format!("instance `{}`", instance.name))?;
        if let Some(dir) = save {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            write_snapshot(&snapshot, &dir.join(format!("{}.json", instance.name)))?;
        }
        if !instance.recommendations {
            eprintln!(
                "{}: collected only (recommendations = false)",
                instance.name
            );
            continue;
        }
        let text = snapshot.to_json();
        drop(snapshot);
        loaded.push(LoadedSnapshot::from_json_keeping(
            &instance.name,
            &text,
            Some(&keys),
        )?);
    }
    Ok(sspm_engine::assess(
        catalog,
        &loaded,
        initiatives,
        AssessOptions::default(),
    )?)
}

/// Runs futures concurrently on the current task and returns their outputs in order.
pub(crate) async fn futures_join<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *output = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

pub fn doctor(args: cli::DoctorArgs) -> Result<Outcome> {
    let (instance, lines) = runtime()?.block_on(async {
        let (instance, connector) =
            connector_named(&args.instance, &args.config, &args.store).await?;
        let lines = connector.doctor().await?;
        Ok::<_, anyhow::Error>((instance, lines))
    })?;
    let mut out = format!("{} ({}):\n", instance.name, instance.app);
    let mut problems = 0;
    for line in &lines {
        let (mark, text) = match &line.verdict {
            Verdict::Ok => ("ok     ", String::new()),
            Verdict::MissingPermission(p) => ("DENIED ", format!("grant {p}")),
            Verdict::MissingLicence(l) => ("LICENCE", format!("needs {l}")),
            Verdict::Unavailable(e) => ("FAILED ", e.clone()),
        };
        if line.verdict != Verdict::Ok {
            problems += 1;
        }
        out.push_str(&format!("  {mark} {:<70} {text}\n", line.call));
    }
    out.push_str(&format!(
        "{} of {} calls work{}\n",
        lines.len() - problems,
        lines.len(),
        if problems > 0 {
            "; checks that read the others will be `error` (not evaluable)"
        } else {
            ""
        }
    ));
    print(&out)?;
    Ok(Outcome::Ok)
}

pub fn sim_m365(args: cli::SimM365Args) -> Result<Outcome> {
    use sspm_sim::server::{instance_toml, SimOptions, SimServer, DEFAULT_CLIENT_SECRET};
    if !(0.0..=1.0).contains(&args.fail_rate) {
        bail!("--fail-rate must be between 0 and 1");
    }
    let posture = match args.profile {
        cli::SimProfile::Weak => sspm_sim::Posture::Weak,
        cli::SimProfile::Hardened => sspm_sim::Posture::Hardened,
        cli::SimProfile::Mixed => sspm_sim::Posture::Mixed,
    };
    let spec = sspm_sim::M365Spec {
        users: args.users,
        seed: args.seed,
        ..sspm_sim::M365Spec::small(posture)
    };
    let tenant = sspm_sim::M365Tenant::generate(&spec);
    let client_secret = match &args.client_secret_env {
        Some(var) => match std::env::var(var) {
            Ok(v) if !v.is_empty() => v,
            _ => bail!(
                "--client-secret-env {var}: the environment variable {var} is not set (or empty)"
            ),
        },
        None => DEFAULT_CLIENT_SECRET.to_string(),
    };
    let options = SimOptions {
        latency: Duration::from_millis(args.latency_ms),
        throttle_every: args.throttle_every,
        retry_after_secs: args.retry_after,
        fail_rate: args.fail_rate,
        reset_every: args.reset_every,
        truncate_every: args.truncate_every,
        forbidden: args.forbid,
        seed: args.seed,
        client_secret: client_secret.clone(),
        ..SimOptions::default()
    };
    let tenant_id = tenant.tenant_id.clone();
    let scanned = runtime()?.block_on(async move {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
        let server = SimServer::start(tenant, options, addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let url = server.base_url();
        let secret_env = args.client_secret_env.as_deref().unwrap_or("SIM_SECRET");
        let config_text = instance_toml("sim", &tenant_id, &url, secret_env);
        let scanned = if args.scan {
            // The real connector over HTTP, with the simulator's client secret.
            let config = Config::parse(&config_text, Path::new("(sspm sim m365 --scan)"))?;
            let instance = config.instances[0].clone();
            let connector = Arc::new(M365::with_credential(
                &instance,
                sspm_connectors::m365::auth::Credential::Secret(sspm_connectors::Secret::new(
                    &client_secret,
                )),
            )?);
            let snapshot = collect_with(connector, &instance, &bars()).await;
            Some((instance, snapshot))
        } else {
            // A secret of one's own is never printed: the configuration names its variable.
            let run = match &args.client_secret_env {
                Some(var) => format!("run `sspm scan` with {var} set"),
                None => format!("run `SIM_SECRET={DEFAULT_CLIENT_SECRET} sspm scan`"),
            };
            eprintln!(
                "Simulated Microsoft 365 tenant ({} users, {:?}) on {url}\n\nPut this in sspm.toml and {run}:\n\n{config_text}\nCtrl-C stops it.",
                args.users, args.profile
            );
            tokio::signal::ctrl_c()
                .await
                .context("cannot wait for Ctrl-C")?;
            None
        };
        let stats = server.stats();
        server.shutdown().await;
        eprintln!(
            "served {} requests ({} throttled, {} 503, {} resets, {} truncated)",
            stats.requests, stats.throttled, stats.unavailable, stats.resets, stats.truncated
        );
        Ok::<_, anyhow::Error>(scanned)
    })?;
    let Some((instance, snapshot)) = scanned else {
        return Ok(Outcome::Ok);
    };
    let (catalog, initiatives) = load_catalog(&args.catalog)?;
    let doc = assess_collected(&catalog, &initiatives, &[instance], vec![snapshot], None)?;
    report(&doc, &catalog, args.format, args.color, args.fail_on)
}

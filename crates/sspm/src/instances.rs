//! `sspm instance add|list|show|remove|enable|disable|import`.
//!
//! Secrets reach `instance add` from a prompt, stdin or an environment variable — never
//! from the command line, where `ps` and shell history would keep them — and are stored
//! encrypted (XChaCha20-Poly1305, see `sspm_store::secret`).

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use sspm_store::{NewInstance, Secret, Store};

use crate::cli::{self, InstanceCommand, ReportFormat};
use crate::commands::print;
use crate::stored::{self, runtime, CERTIFICATE_PASSWORD, CERTIFICATE_PEM, CLIENT_SECRET};
use crate::Outcome;

pub fn run(cmd: InstanceCommand) -> Result<Outcome> {
    match cmd {
        InstanceCommand::Add(args) => add(*args),
        InstanceCommand::List(args) => list(args),
        InstanceCommand::Show(args) => show(args),
        InstanceCommand::Remove(args) => remove(args),
        InstanceCommand::Enable(args) => switch(args, true),
        InstanceCommand::Disable(args) => switch(args, false),
        InstanceCommand::Import(args) => import(args),
    }
}

/// An environment variable's value as a secret.
fn from_env(var: &str, flag: &str) -> Result<Secret> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Secret::new(v.into_bytes())),
        _ => bail!("{flag} {var}: the environment variable {var} is not set (or empty)"),
    }
}

/// One line of stdin, without its line ending.
fn from_stdin() -> Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the client secret from stdin")?;
    let secret = Secret::new(line.trim_end_matches(['\r', '\n']).as_bytes().to_vec());
    zeroize_string(&mut line);
    if secret.is_empty() {
        bail!("--client-secret-stdin: stdin held no secret (an empty line)");
    }
    Ok(secret)
}

fn zeroize_string(s: &mut String) {
    use zeroize::Zeroize;
    s.zeroize();
}

/// Asks for the secret on the terminal without echoing it.
fn prompt(name: &str) -> Result<Secret> {
    let mut text = rpassword::prompt_password(format!("Client secret of {name}: "))
        .context("cannot read the client secret from the terminal")?;
    let secret = Secret::new(text.trim().as_bytes().to_vec());
    zeroize_string(&mut text);
    if secret.is_empty() {
        bail!("no client secret entered");
    }
    Ok(secret)
}

fn add(args: cli::InstanceAddArgs) -> Result<Outcome> {
    if args.app != "m365" {
        bail!("--app {}: sspm connects to m365 only so far", args.app);
    }
    let cloud: sspm_connectors::m365::cloud::Cloud =
        serde_json::from_value(serde_json::Value::String(args.cloud.clone())).map_err(|_| {
            anyhow::anyhow!(
                "--cloud {}: expected global, usgov, usgovdod or china",
                args.cloud
            )
        })?;
    // The secrets first: a failing prompt adds nothing.
    let mut credentials: Vec<(&str, Secret)> = Vec::new();
    if let Some(path) = &args.certificate {
        let pem = std::fs::read(path)
            .with_context(|| format!("--certificate: cannot read {}", path.display()))?;
        let pem = Secret::new(pem);
        let password = args
            .certificate_password_from_env
            .as_deref()
            .map(|var| from_env(var, "--certificate-password-from-env"))
            .transpose()?;
        // Prove the file and password work before storing them.
        let password_text = password
            .as_ref()
            .map(|p| {
                p.expose_str()
                    .map(sspm_connectors::Secret::new)
                    .context("the certificate password is not UTF-8")
            })
            .transpose()?;
        sspm_connectors::m365::auth::Certificate::from_pem_with_password(
            pem.expose(),
            &path.display().to_string(),
            password_text.as_ref(),
        )
        .with_context(|| format!("--certificate {}", path.display()))?;
        credentials.push((CERTIFICATE_PEM, pem));
        if let Some(p) = password {
            credentials.push((CERTIFICATE_PASSWORD, p));
        }
    } else if let Some(var) = &args.client_secret_from_env {
        credentials.push((CLIENT_SECRET, from_env(var, "--client-secret-from-env")?));
    } else if args.client_secret_stdin {
        credentials.push((CLIENT_SECRET, from_stdin()?));
    } else if args.client_secret_env.is_none() {
        if !std::io::stdin().is_terminal() {
            bail!(
                "no credential for `{}`: give --client-secret-stdin, --client-secret-from-env VAR, --client-secret-env VAR or --certificate FILE (stdin is not a terminal, so sspm cannot prompt)",
                args.name
            );
        }
        credentials.push((CLIENT_SECRET, prompt(&args.name)?));
    }
    let instance = sspm_connectors::Instance {
        name: args.name.clone(),
        app: args.app.clone(),
        recommendations: !args.no_recommendations,
        tenant_id: args.tenant_id.clone(),
        client_id: args.client_id.clone(),
        client_secret_env: args.client_secret_env.clone(),
        certificate_path: None,
        certificate_password_env: None,
        cloud,
        graph_url: args.graph_url.clone(),
        login_url: args.login_url.clone(),
        exo_url: args.exo_url.clone(),
        organization: args.organization.clone(),
        concurrency: None,
    };
    let config = stored::instance_config(&instance)?;
    runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let actor = stored::actor();
        store
            .add_instance(
                &NewInstance {
                    name: args.name.clone(),
                    app: args.app.clone(),
                    config,
                    recommendations: !args.no_recommendations,
                },
                &actor,
            )
            .await?;
        for (name, secret) in &credentials {
            store
                .set_credential(&args.name, name, secret, &actor)
                .await?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    let stored_names: Vec<&str> = credentials.iter().map(|(n, _)| *n).collect();
    print(&format!(
        "added {} ({}){}\nNext: `sspm doctor --instance {}` tries every call once; `sspm scan --instance {}` scans it.\n",
        args.name,
        args.app,
        if stored_names.is_empty() {
            String::new()
        } else {
            format!("; stored encrypted: {}", stored_names.join(", "))
        },
        args.name,
        args.name
    ))?;
    Ok(Outcome::Ok)
}

#[derive(Serialize)]
struct InstanceView {
    #[serde(flatten)]
    instance: sspm_store::Instance,
    credentials: Vec<sspm_store::CredentialInfo>,
    last_scan: Option<sspm_store::ScanRecord>,
}

async fn view(store: &Store, instance: sspm_store::Instance) -> Result<InstanceView> {
    let credentials = store.credentials(&instance.name).await?;
    let last_scan = store
        .scans(Some(&instance.name), 1)
        .await?
        .into_iter()
        .next();
    Ok(InstanceView {
        instance,
        credentials,
        last_scan,
    })
}

fn list(args: cli::InstanceListArgs) -> Result<Outcome> {
    let views = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let mut views = Vec::new();
        for instance in store.instances().await? {
            views.push(view(&store, instance).await?);
        }
        Ok::<_, anyhow::Error>(views)
    })?;
    match args.format {
        ReportFormat::Json => print(&(serde_json::to_string_pretty(&views)? + "\n"))?,
        ReportFormat::Table => {
            let mut out = format!(
                "{:<24} {:<6} {:<16} {:<12} {}\n",
                "NAME", "APP", "RECOMMENDATIONS", "CREDENTIAL", "LAST SCAN"
            );
            for v in &views {
                out.push_str(&format!(
                    "{:<24} {:<6} {:<16} {:<12} {}\n",
                    v.instance.name,
                    v.instance.app,
                    if v.instance.recommendations {
                        "on"
                    } else {
                        "off"
                    },
                    credential_source(v),
                    v.last_scan
                        .as_ref()
                        .map(|s| format!(
                            "{} {} (scan {})",
                            s.started_at.format("%Y-%m-%d %H:%M"),
                            s.status,
                            s.id
                        ))
                        .unwrap_or_else(|| "never".into())
                ));
            }
            if views.is_empty() {
                out.push_str("(no instances: `sspm instance add`, or list them in sspm.toml)\n");
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

/// Where the instance's credential comes from, without its value.
fn credential_source(v: &InstanceView) -> String {
    if !v.credentials.is_empty() {
        return "stored".into();
    }
    let config = &v.instance.config;
    if let Some(var) = config.get("client_secret_env").and_then(|x| x.as_str()) {
        return format!("env {var}");
    }
    if config.get("certificate_path").is_some() {
        return "cert file".into();
    }
    "none".into()
}

fn show(args: cli::InstanceNameArgs) -> Result<Outcome> {
    let view = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        let Some(instance) = store.instance(&args.name).await? else {
            bail!(
                "no instance `{}` in the store; known: {}",
                args.name,
                stored::names(&store.instances().await?)
            );
        };
        view(&store, instance).await
    })?;
    match args.format {
        ReportFormat::Json => print(&(serde_json::to_string_pretty(&view)? + "\n"))?,
        ReportFormat::Table => {
            let i = &view.instance;
            let mut out = format!(
                "{} ({})\n  recommendations  {}\n  added            {}\n  updated          {}\n  credential       {}\n  configuration\n",
                i.name,
                i.app,
                if i.recommendations { "on" } else { "off (collected, not scored)" },
                i.created_at.to_rfc3339(),
                i.updated_at.to_rfc3339(),
                credential_source(&view)
            );
            if let Some(map) = i.config.as_object() {
                for (k, v) in map {
                    out.push_str(&format!("    {k:<24} {v}\n"));
                }
            }
            for c in &view.credentials {
                out.push_str(&format!(
                    "  stored secret    {} (key {}, set {})\n",
                    c.name,
                    c.key_id,
                    c.updated_at.to_rfc3339()
                ));
            }
            match &view.last_scan {
                Some(s) => out.push_str(&format!(
                    "  last scan        {} {} at {}{}\n",
                    s.id,
                    s.status,
                    s.started_at.to_rfc3339(),
                    s.error
                        .as_deref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default()
                )),
                None => out.push_str("  last scan        never\n"),
            }
            print(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

fn remove(args: cli::InstanceRemoveArgs) -> Result<Outcome> {
    if !args.yes {
        bail!(
            "removing `{}` deletes its scans, states and credentials; add --yes to confirm",
            args.name
        );
    }
    runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        store.remove_instance(&args.name, &stored::actor()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    print(&format!("removed {}\n", args.name))?;
    Ok(Outcome::Ok)
}

fn switch(args: cli::InstanceNameArgs, on: bool) -> Result<Outcome> {
    runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), None).await?;
        store
            .set_recommendations(&args.name, on, &stored::actor())
            .await?;
        Ok::<_, anyhow::Error>(())
    })?;
    print(&format!(
        "{}: security recommendations {}\n",
        args.name,
        if on {
            "on (assessed and scored from its next scan)"
        } else {
            "off (still collected, no longer scored)"
        }
    ))?;
    Ok(Outcome::Ok)
}

fn import(args: cli::InstanceImportArgs) -> Result<Outcome> {
    let config = crate::connect::load_config(&args.config)?;
    let names = runtime()?.block_on(async {
        let store = stored::open(args.store.as_deref(), Some(&args.config)).await?;
        stored::import_config(&store, &config, &args.config.path()).await
    })?;
    print(&format!(
        "imported {} instance(s) from {}: {}\n",
        names.len(),
        args.config.path().display(),
        names.join(", ")
    ))?;
    Ok(Outcome::Ok)
}

//! The store as the commands use it: which store to open, who acts, instances as the
//! connectors see them, and assessments with recommendation states in effect.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use sspm_connectors::m365::auth::{Certificate, Credential};
use sspm_connectors::{Config, Secret};
use sspm_engine::{Catalog, Initiatives};
use sspm_model::{Assessment, ResultsDocument};
use sspm_store::{NewInstance, Store, StoredAssessment};

use crate::cli::ConfigArgs;

/// Stored credential holding an app's client secret.
pub const CLIENT_SECRET: &str = "client_secret";
/// Stored credential holding a PEM certificate with its private key.
pub const CERTIFICATE_PEM: &str = "certificate_pem";
/// Stored credential holding the password of [`CERTIFICATE_PEM`]'s key.
pub const CERTIFICATE_PASSWORD: &str = "certificate_password";

/// The async runtime the store commands run on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The store URL: `--store` / `SSPM_STORE`, else the configuration file's `store`, else
/// `sspm.db` under `$SSPM_HOME` (or the platform data directory).
pub fn store_url(store: Option<&str>, config: Option<&ConfigArgs>) -> Result<String> {
    if let Some(url) = store.filter(|s| !s.is_empty()) {
        return Ok(url.to_string());
    }
    if let Some(config) = config_if_present(config)? {
        if let Some(url) = config.store.filter(|s| !s.is_empty()) {
            return Ok(url);
        }
    }
    Ok(sspm_store::default_store_url()?)
}

/// The configuration file: `None` when none was named and `sspm.toml` does not exist
/// (the store alone is enough); an error when the named one cannot be read.
pub fn config_if_present(config: Option<&ConfigArgs>) -> Result<Option<Config>> {
    match config {
        Some(args) if args.is_explicit() || args.path().exists() => {
            crate::connect::load_config(args).map(Some)
        }
        _ => Ok(None),
    }
}

/// Opens the store (applying migrations and recovering dead scans).
pub async fn open(store: Option<&str>, config: Option<&ConfigArgs>) -> Result<Store> {
    let url = store_url(store, config)?;
    let store = Store::open(&url).await?;
    tracing::debug!(store = %sspm_store::redact_url(&url), "store opened");
    Ok(store)
}

/// Who is acting, for the audit log: `$SSPM_ACTOR`, else `cli:$USER@host`.
pub fn actor() -> String {
    if let Some(actor) = std::env::var("SSPM_ACTOR").ok().filter(|a| !a.is_empty()) {
        return actor;
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}@{}", sspm_store::process::host_name())
}

/// The non-secret configuration kept in the store for a connector instance: every field
/// but the name, the app and `recommendations` (which have columns of their own).
pub fn instance_config(instance: &sspm_connectors::Instance) -> Result<serde_json::Value> {
    let mut value = serde_json::to_value(instance).context("cannot encode the instance")?;
    if let Some(map) = value.as_object_mut() {
        map.remove("name");
        map.remove("app");
        map.remove("recommendations");
        map.retain(|_, v| !v.is_null());
    }
    Ok(value)
}

/// A stored instance as the connectors take it.
pub fn connector_instance(stored: &sspm_store::Instance) -> Result<sspm_connectors::Instance> {
    let mut value = stored.config.clone();
    let Some(map) = value.as_object_mut() else {
        bail!(
            "instance `{}`: its stored configuration is not an object; run `sspm instance remove {}` and add it again",
            stored.name,
            stored.name
        );
    };
    map.insert("name".into(), stored.name.clone().into());
    map.insert("app".into(), stored.app.clone().into());
    map.insert("recommendations".into(), stored.recommendations.into());
    serde_json::from_value(value).with_context(|| {
        format!(
            "instance `{}`: its stored configuration cannot be read by this sspm",
            stored.name
        )
    })
}

/// The credential of an instance: the store's encrypted one when it has one, else the
/// environment variable or certificate file its configuration names.
pub async fn credential(store: &Store, instance: &sspm_connectors::Instance) -> Result<Credential> {
    let name = &instance.name;
    if let Some(secret) = store.credential(name, CLIENT_SECRET).await? {
        let text = secret.expose_str().with_context(|| {
            format!("instance `{name}`: the stored client secret is not UTF-8; set it again")
        })?;
        return Ok(Credential::Secret(Secret::new(text)));
    }
    if let Some(pem) = store.credential(name, CERTIFICATE_PEM).await? {
        let password = match store.credential(name, CERTIFICATE_PASSWORD).await? {
            Some(p) => Some(Secret::new(p.expose_str().with_context(|| {
                format!("instance `{name}`: the stored certificate password is not UTF-8")
            })?)),
            None => None,
        };
        let certificate = Certificate::from_pem_with_password(
            pem.expose(),
            &format!("the stored certificate of instance `{name}`"),
            password.as_ref(),
        )
        .with_context(|| format!("instance `{name}`"))?;
        return Ok(Credential::Certificate(certificate));
    }
    if instance.client_secret_env.is_none() && instance.certificate_path.is_none() {
        bail!(
            "instance `{name}` has no credential: store one with `sspm instance add {name} … --client-secret-stdin` (or --certificate FILE), or set client_secret_env / certificate_path in sspm.toml"
        );
    }
    Ok(instance.credential()?)
}

/// Imports the configuration file's instances into the store: new ones are added, changed
/// configurations updated (both audit-logged); unchanged ones are left alone. The file's
/// `recommendations` seeds a new instance only: afterwards `sspm instance enable|disable`
/// decides (a difference is warned about). Returns the names.
pub async fn import_config(store: &Store, config: &Config, path: &Path) -> Result<Vec<String>> {
    let actor = format!("{} (import {})", actor(), path.display());
    let mut names = Vec::new();
    for instance in &config.instances {
        let wanted = instance_config(instance)?;
        match store.instance(&instance.name).await? {
            None => {
                store
                    .add_instance(
                        &NewInstance {
                            name: instance.name.clone(),
                            app: instance.app.clone(),
                            config: wanted,
                            recommendations: instance.recommendations,
                        },
                        &actor,
                    )
                    .await?;
                tracing::info!(instance = %instance.name, "imported from {}", path.display());
            }
            Some(stored) => {
                if stored.app != instance.app {
                    bail!(
                        "{}: instance `{}` is a {} instance in the store but {} in the file; rename one of them",
                        path.display(),
                        instance.name,
                        stored.app,
                        instance.app
                    );
                }
                if stored.config != wanted {
                    store
                        .set_instance_config(&instance.name, &wanted, &actor)
                        .await?;
                }
                if stored.recommendations != instance.recommendations {
                    // The switch is the store's (`sspm instance enable|disable`, audited);
                    // the file's value only seeds a new instance.
                    let on = |b: bool| if b { "on" } else { "off" };
                    eprintln!(
                        "warning: {}: instance `{}` has recommendations = {} but they are {} in the store; the store's setting is kept (change it with `sspm instance {} {}`)",
                        path.display(),
                        instance.name,
                        instance.recommendations,
                        on(stored.recommendations),
                        if instance.recommendations { "enable" } else { "disable" },
                        instance.name
                    );
                }
            }
        }
        names.push(instance.name.clone());
    }
    Ok(names)
}

/// A stored assessment with the recommendation states in effect now.
pub async fn with_states(
    store: &Store,
    stored: StoredAssessment,
    now: DateTime<Utc>,
) -> Result<Assessment> {
    let states: HashMap<String, sspm_model::AppliedState> = store
        .states_in_effect(Some(&stored.scan.instance), now)
        .await?
        .into_iter()
        .map(|s| (s.check_id.clone(), s.applied()))
        .collect();
    let mut assessment = stored.assessment;
    sspm_engine::states::apply(&mut assessment, &states);
    Ok(assessment)
}

/// Which latest assessments to read.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Only these instances (empty: all).
    pub instances: Vec<String>,
    /// Only this app.
    pub app: Option<String>,
}

/// The latest assessment of every selected instance whose recommendations are on, with
/// states in effect, rolled up into one results document.
pub async fn latest_document(
    store: &Store,
    catalog: &Catalog,
    initiatives: &Initiatives,
    selection: &Selection,
) -> Result<ResultsDocument> {
    let known = store.instances().await?;
    for name in &selection.instances {
        if !known.iter().any(|i| &i.name == name) {
            bail!(
                "no instance `{name}` in the store; known: {} (`sspm instance list`)",
                names(&known)
            );
        }
    }
    let now = Utc::now();
    let mut assessments = Vec::new();
    for instance in &known {
        if !selection.instances.is_empty() && !selection.instances.contains(&instance.name) {
            continue;
        }
        if selection.app.as_ref().is_some_and(|a| a != &instance.app) || !instance.recommendations {
            continue;
        }
        let Some(stored) = store.latest_assessment(&instance.name).await? else {
            continue;
        };
        assessments.push(with_states(store, stored, now).await?);
    }
    Ok(sspm_engine::eval::document(
        assessments,
        catalog,
        initiatives,
    ))
}

/// `a, b, c` or `(none)`.
pub fn names(instances: &[sspm_store::Instance]) -> String {
    if instances.is_empty() {
        return "(none: add one with `sspm instance add` or put it in sspm.toml)".into();
    }
    instances
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_survives_the_round_trip_through_the_store_config() {
        let text = "[[instances]]\nname = \"prod\"\napp = \"m365\"\nrecommendations = false\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret_env = \"PROD_SECRET\"\ncloud = \"usgov\"\norganization = \"contoso.onmicrosoft.com\"\ngraph_url = \"http://127.0.0.1:1\"\n";
        let config = Config::parse(text, Path::new("sspm.toml")).unwrap();
        let original = &config.instances[0];
        let stored_config = instance_config(original).unwrap();
        // Columns of their own, and no nulls, in the stored configuration.
        for key in [
            "name",
            "app",
            "recommendations",
            "certificate_path",
            "exo_url",
        ] {
            assert!(stored_config.get(key).is_none(), "{key}: {stored_config}");
        }
        let stored = sspm_store::Instance {
            name: "prod".into(),
            app: "m365".into(),
            config: stored_config,
            recommendations: false,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let back = connector_instance(&stored).unwrap();
        assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(original).unwrap()
        );
    }

    #[test]
    fn a_stored_config_this_sspm_cannot_read_is_named() {
        let stored = sspm_store::Instance {
            name: "odd".into(),
            app: "m365".into(),
            config: serde_json::json!({"tenant_id": "t", "client_id": "c", "colour": "red"}),
            recommendations: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let err = format!("{:#}", connector_instance(&stored).unwrap_err());
        assert!(err.contains("`odd`") && err.contains("colour"), "{err}");
    }
}

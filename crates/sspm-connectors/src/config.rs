//! `sspm.toml`: the instances to collect and how to reach them.
//!
//! ```toml
//! [[instances]]
//! name = "contoso-prod"
//! app = "m365"
//! recommendations = true
//! tenant_id = "…"
//! client_id = "…"
//! client_secret_env = "CONTOSO_SECRET"   # or certificate_path = "app.pem"
//! # certificate_password_env = "CONTOSO_KEY_PASSWORD"  # when app.pem's key is encrypted
//! cloud = "global"                       # usgov | usgovdod | china
//! # organization = "contoso.onmicrosoft.com"  # initial domain, for Exchange routing
//! # graph_url / login_url / exo_url override the cloud's hosts
//! ```
//!
//! Secrets are never in the file: only the name of the environment variable that holds
//! one, or the path of a certificate file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::m365::cloud::Cloud;
use crate::secret::Secret;

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where results are stored (used by the store; accepted here so one file serves all).
    #[serde(default)]
    pub store: Option<String>,
    #[serde(default)]
    pub instances: Vec<Instance>,
}

/// One tenant / org of one app.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub name: String,
    pub app: String,
    /// Assess and score this instance (true), or only collect it.
    #[serde(default = "yes")]
    pub recommendations: bool,
    pub tenant_id: String,
    pub client_id: String,
    /// The environment variable holding the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// A PEM file with the certificate and its private key.
    #[serde(default)]
    pub certificate_path: Option<PathBuf>,
    /// The environment variable holding the certificate key's password.
    #[serde(default)]
    pub certificate_password_env: Option<String>,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default)]
    pub graph_url: Option<String>,
    #[serde(default)]
    pub login_url: Option<String>,
    #[serde(default)]
    pub exo_url: Option<String>,
    /// The tenant's initial `*.onmicrosoft.com` domain (what `Connect-ExchangeOnline
    /// -Organization` takes). Exchange Online requests are routed with it
    /// (`X-AnchorMailbox`); when absent it is read from `/domains` during collection.
    #[serde(default)]
    pub organization: Option<String>,
    /// Requests in flight at once for this instance.
    #[serde(default)]
    pub concurrency: Option<usize>,
}

fn yes() -> bool {
    true
}

/// Why the configuration cannot be used. Every variant names the file or the instance
/// and the key, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path} is invalid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config {path}: instance name `{name}` is used twice; names must be unique")]
    DuplicateName { path: PathBuf, name: String },
    #[error("instance `{instance}`: app `{app}` is not supported; supported apps: m365")]
    UnknownApp { instance: String, app: String },
    #[error("instance `{instance}`: set exactly one of client_secret_env and certificate_path")]
    CredentialChoice { instance: String },
    #[error("instance `{instance}`: client_secret_env names `{var}`, which is not set (or empty): export {var}=… with the application's client secret")]
    MissingSecret { instance: String, var: String },
    #[error("instance `{instance}`: certificate_path: {message}")]
    Certificate { instance: String, message: String },
    #[error("instance `{instance}`: certificate_password_env is set without certificate_path; it is the password of certificate_path's private key")]
    PasswordWithoutCertificate { instance: String },
    #[error("instance `{instance}`: certificate_password_env names `{var}`, which is not set (or empty): export {var}=… with the password of the private key in certificate_path")]
    MissingPassword { instance: String, var: String },
    #[error("instance `{instance}`: certificate_path with the password in `{var}` (certificate_password_env): {message}. Check that {var} holds this key's password")]
    KeyPassword {
        instance: String,
        var: String,
        message: String,
    },
    #[error("no instance named `{name}` in {path}; configured: {known}")]
    UnknownInstance {
        path: PathBuf,
        name: String,
        known: String,
    },
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses configuration text; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        for (i, instance) in config.instances.iter().enumerate() {
            if config.instances[..i]
                .iter()
                .any(|o| o.name == instance.name)
            {
                return Err(ConfigError::DuplicateName {
                    path: path.to_path_buf(),
                    name: instance.name.clone(),
                });
            }
            if instance.app != "m365" {
                return Err(ConfigError::UnknownApp {
                    instance: instance.name.clone(),
                    app: instance.app.clone(),
                });
            }
            if instance.client_secret_env.is_some() == instance.certificate_path.is_some() {
                return Err(ConfigError::CredentialChoice {
                    instance: instance.name.clone(),
                });
            }
            if instance.certificate_password_env.is_some() && instance.certificate_path.is_none() {
                return Err(ConfigError::PasswordWithoutCertificate {
                    instance: instance.name.clone(),
                });
            }
        }
        Ok(config)
    }

    /// The instance called `name`.
    pub fn instance(&self, name: &str, path: &Path) -> Result<&Instance, ConfigError> {
        self.instances
            .iter()
            .find(|i| i.name == name)
            .ok_or_else(|| ConfigError::UnknownInstance {
                path: path.to_path_buf(),
                name: name.into(),
                known: self
                    .instances
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl Instance {
    /// The credential, read from the environment or the certificate file.
    pub fn credential(&self) -> Result<crate::m365::auth::Credential, ConfigError> {
        use crate::m365::auth::{Certificate, Credential};
        if let Some(var) = &self.client_secret_env {
            return match std::env::var(var) {
                Ok(v) if !v.is_empty() => Ok(Credential::Secret(Secret::new(v))),
                _ => Err(ConfigError::MissingSecret {
                    instance: self.name.clone(),
                    var: var.clone(),
                }),
            };
        }
        let path = self
            .certificate_path
            .as_ref()
            .ok_or_else(|| ConfigError::CredentialChoice {
                instance: self.name.clone(),
            })?;
        let password = match &self.certificate_password_env {
            None => None,
            Some(var) => match std::env::var(var) {
                Ok(v) if !v.is_empty() => Some((var, Secret::new(v))),
                _ => {
                    return Err(ConfigError::MissingPassword {
                        instance: self.name.clone(),
                        var: var.clone(),
                    })
                }
            },
        };
        Certificate::from_pem_file_with_password(path, password.as_ref().map(|(_, p)| p))
            .map(Credential::Certificate)
            .map_err(|e| match (&e, &password) {
                (crate::m365::auth::CertificateError::Decrypt { .. }, Some((var, _))) => {
                    ConfigError::KeyPassword {
                        instance: self.name.clone(),
                        var: (*var).clone(),
                        message: e.to_string(),
                    }
                }
                _ => ConfigError::Certificate {
                    instance: self.name.clone(),
                    message: e.to_string(),
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
[[instances]]
name = "contoso-prod"
app = "m365"
tenant_id = "11111111-1111-1111-1111-111111111111"
client_id = "22222222-2222-2222-2222-222222222222"
client_secret_env = "SSPM_TEST_UNSET_SECRET_VAR"
graph_url = "http://127.0.0.1:9000"
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("sspm.toml"))
    }

    #[test]
    fn reads_an_instance_with_defaults() {
        let c = parse(OK).unwrap();
        let i = c.instance("contoso-prod", Path::new("sspm.toml")).unwrap();
        assert!(i.recommendations);
        assert_eq!(i.cloud, Cloud::Global);
        assert_eq!(i.graph_url.as_deref(), Some("http://127.0.0.1:9000"));
    }

    #[test]
    fn bad_configs_name_the_instance_and_key() {
        let cases = [
            (
                OK.replace("graph_url", "grahp_url"),
                "unknown field `grahp_url`",
            ),
            (
                format!("{OK}{OK}"),
                "instance name `contoso-prod` is used twice",
            ),
            (
                OK.replace("\"m365\"", "\"github\""),
                "app `github` is not supported",
            ),
            (
                OK.replace("client_secret_env = \"SSPM_TEST_UNSET_SECRET_VAR\"", ""),
                "set exactly one of client_secret_env and certificate_path",
            ),
            (
                OK.replace("cloud", "x") + "cloud = \"mars\"\n",
                "unknown variant `mars`",
            ),
            (
                OK.to_string() + "certificate_password_env = \"KEY_PASSWORD\"\n",
                "certificate_password_env is set without certificate_path",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(&text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(expected), "{expected}: {err}");
        }
        let c = parse(OK).unwrap();
        let err = c
            .instance("nope", Path::new("sspm.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no instance named `nope`") && err.contains("contoso-prod"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_secret_variable_names_it_without_any_value() {
        let c = parse(OK).unwrap();
        let Err(e) = c.instances[0].credential() else {
            panic!("the variable is not set")
        };
        assert!(e.to_string().contains("SSPM_TEST_UNSET_SECRET_VAR"), "{e}");
        assert!(e.to_string().contains("contoso-prod"), "{e}");
    }

    #[test]
    fn an_unreadable_certificate_names_the_instance_and_file() {
        let text = OK.replace(
            "client_secret_env = \"SSPM_TEST_UNSET_SECRET_VAR\"",
            "certificate_path = \"/nonexistent/app.pem\"",
        );
        let c = parse(&text).unwrap();
        let Err(e) = c.instances[0].credential() else {
            panic!()
        };
        let e = e.to_string();
        assert!(
            e.contains("contoso-prod") && e.contains("/nonexistent/app.pem"),
            "{e}"
        );
    }
}

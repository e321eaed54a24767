//! App-only authentication to the Microsoft identity platform: the OAuth 2.0
//! client-credentials flow with a client secret, or with a certificate (a JWT client
//! assertion signed RS256, with the certificate's SHA-256 thumbprint as `x5t#S256`).
//! Tokens are cached per scope and renewed five minutes before they expire.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::http::{Body, CallError, Http, Request};
use crate::secret::Secret;

/// How the application proves who it is.
pub enum Credential {
    Secret(Secret),
    Certificate(Certificate),
}

/// A certificate and its private key, read from a PEM file.
pub struct Certificate {
    key: EncodingKey,
    /// base64url(SHA-256(DER certificate)).
    x5t_s256: String,
}

/// Why a certificate file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} holds no CERTIFICATE block: put the certificate and its private key in one PEM file")]
    NoCertificate { path: String },
    #[error("{path} holds no unencrypted PRIVATE KEY / RSA PRIVATE KEY block: export the key without a password (openssl pkcs8 -topk8 -nocrypt), or decrypt it first")]
    NoKey { path: String },
    #[error("the private key in {path} is not an RSA key sspm can use: {message}")]
    BadKey { path: String, message: String },
}

impl Certificate {
    /// Reads a PEM file holding the certificate and its unencrypted RSA private key.
    pub fn from_pem_file(path: &Path) -> Result<Self, CertificateError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| CertificateError::Read {
            path: name.clone(),
            source,
        })?;
        Self::from_pem(&bytes, &name)
    }

    /// Parses PEM text; `name` is used in messages.
    pub fn from_pem(pem: &[u8], name: &str) -> Result<Self, CertificateError> {
        let mut certificate = None;
        let mut key_pem = None;
        let mut reader = pem;
        for item in rustls_pemfile::read_all(&mut reader).flatten() {
            match item {
                rustls_pemfile::Item::X509Certificate(der) if certificate.is_none() => {
                    certificate = Some(der.to_vec())
                }
                rustls_pemfile::Item::Pkcs8Key(der) => {
                    key_pem = Some(pem_block("PRIVATE KEY", der.secret_pkcs8_der()))
                }
                rustls_pemfile::Item::Pkcs1Key(der) => {
                    key_pem = Some(pem_block("RSA PRIVATE KEY", der.secret_pkcs1_der()))
                }
                _ => {}
            }
        }
        let certificate =
            certificate.ok_or_else(|| CertificateError::NoCertificate { path: name.into() })?;
        let key_pem = key_pem.ok_or_else(|| CertificateError::NoKey { path: name.into() })?;
        let key = EncodingKey::from_rsa_pem(key_pem.expose().as_bytes()).map_err(|e| {
            CertificateError::BadKey {
                path: name.into(),
                message: e.to_string(),
            }
        })?;
        Ok(Self {
            key,
            x5t_s256: URL_SAFE_NO_PAD.encode(Sha256::digest(&certificate)),
        })
    }

    /// A client assertion for `token_url`, valid ten minutes.
    fn assertion(&self, client_id: &str, token_url: &str) -> Result<Secret, CallError> {
        #[derive(Serialize)]
        struct Claims<'a> {
            aud: &'a str,
            iss: &'a str,
            sub: &'a str,
            jti: String,
            nbf: i64,
            iat: i64,
            exp: i64,
        }
        let now = chrono::Utc::now().timestamp();
        let mut header = Header::new(Algorithm::RS256);
        header.x5t_s256 = Some(self.x5t_s256.clone());
        let claims = Claims {
            aud: token_url,
            iss: client_id,
            sub: client_id,
            jti: uuid::Uuid::new_v4().to_string(),
            nbf: now - 60,
            iat: now,
            exp: now + 600,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map(Secret::new)
            .map_err(|e| CallError::Transport(format!("cannot sign the client assertion: {e}")))
    }
}

fn pem_block(label: &str, der: &[u8]) -> Secret {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    Secret::new(out)
}

/// Access tokens of one application in one tenant, cached per scope.
pub struct TokenSource {
    token_url: String,
    client_id: String,
    credential: Credential,
    cache: Mutex<Vec<(String, Arc<Secret>, Instant)>>,
}

/// Tokens are renewed this long before they expire.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

impl TokenSource {
    /// `login` is the identity platform root (e.g. `https://login.microsoftonline.com`).
    pub fn new(login: &str, tenant_id: &str, client_id: &str, credential: Credential) -> Self {
        Self {
            token_url: format!(
                "{}/{}/oauth2/v2.0/token",
                login.trim_end_matches('/'),
                tenant_id
            ),
            client_id: client_id.into(),
            credential,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// A valid token for `scope` (e.g. `https://graph.microsoft.com/.default`).
    pub async fn token(&self, http: &Http, scope: &str) -> Result<Arc<Secret>, CallError> {
        let mut cache = self.cache.lock().await;
        if let Some((_, token, expires)) = cache.iter().find(|(s, _, _)| s == scope) {
            if Instant::now() + RENEW_BEFORE < *expires {
                return Ok(Arc::clone(token));
            }
        }
        let mut form: Vec<(&'static str, Secret)> = vec![
            ("grant_type", "client_credentials".into()),
            ("client_id", Secret::new(self.client_id.clone())),
            ("scope", Secret::new(scope)),
        ];
        match &self.credential {
            Credential::Secret(secret) => form.push(("client_secret", secret.clone())),
            Credential::Certificate(cert) => {
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
                ));
                form.push((
                    "client_assertion",
                    cert.assertion(&self.client_id, &self.token_url)?,
                ));
            }
        }
        let request = Request {
            method: Method::POST,
            url: self.token_url.clone(),
            api: "login",
            bearer: None,
            body: Body::Form(form),
        };
        let answer = http.json(&request).await?;
        let token = answer["access_token"]
            .as_str()
            .ok_or_else(|| CallError::Transport("the token answer has no access_token".into()))?;
        let lifetime = answer["expires_in"].as_u64().unwrap_or(3599);
        let token = Arc::new(Secret::new(token));
        let expires = Instant::now() + Duration::from_secs(lifetime);
        cache.retain(|(s, _, _)| s != scope);
        cache.push((scope.to_string(), Arc::clone(&token), expires));
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_say_what_to_do() {
        let Err(e) = Certificate::from_pem(b"not pem", "app.pem") else {
            panic!()
        };
        assert!(
            e.to_string().contains("app.pem holds no CERTIFICATE"),
            "{e}"
        );
        let cert_only =
            b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYQ==\n-----END CERTIFICATE-----\n";
        let Err(e) = Certificate::from_pem(cert_only, "app.pem") else {
            panic!()
        };
        assert!(e.to_string().contains("no unencrypted PRIVATE KEY"), "{e}");
    }
}

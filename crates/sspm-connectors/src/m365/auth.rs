//! App-only authentication to the Microsoft identity platform: the OAuth 2.0
//! client-credentials flow with a client secret, or with a certificate (a JWT client
//! assertion signed RS256, with the certificate's SHA-256 thumbprint as `x5t#S256`).
//! The certificate's private key may be encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`,
//! PBES2 with PBKDF2 or scrypt and AES-CBC, as `openssl pkcs8 -topk8 -v2 aes-256-cbc`
//! writes it); it is decrypted in memory with the password given, never on disk.
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

use crate::http::{Body, CallError, Http, Priority, Request};
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
    #[error("{path} holds no PRIVATE KEY, RSA PRIVATE KEY or ENCRYPTED PRIVATE KEY block: put the certificate's private key in the same PEM file")]
    NoKey { path: String },
    #[error("{path} holds an ENCRYPTED PRIVATE KEY: set certificate_password_env to the name of the environment variable that holds its password")]
    Encrypted { path: String },
    #[error("cannot decrypt the private key in {path}: wrong password, or an encryption sspm does not read (PKCS#8 PBES2 with PBKDF2 or scrypt and AES-CBC; re-encrypt with `openssl pkcs8 -topk8 -v2 aes-256-cbc`)")]
    Decrypt { path: String },
    #[error("the private key in {path} is not an RSA key sspm can use: {message}")]
    BadKey { path: String, message: String },
}

impl Certificate {
    /// Reads a PEM file holding the certificate and its unencrypted RSA private key.
    pub fn from_pem_file(path: &Path) -> Result<Self, CertificateError> {
        Self::from_pem_file_with_password(path, None)
    }

    /// Reads a PEM file holding the certificate and its RSA private key, encrypted
    /// with `password` (PKCS#8) or not.
    pub fn from_pem_file_with_password(
        path: &Path,
        password: Option<&Secret>,
    ) -> Result<Self, CertificateError> {
        let name = path.display().to_string();
        let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|source| {
            CertificateError::Read {
                path: name.clone(),
                source,
            }
        })?);
        Self::from_pem_with_password(&bytes, &name, password)
    }

    /// Parses PEM text; `name` is used in messages.
    pub fn from_pem(pem: &[u8], name: &str) -> Result<Self, CertificateError> {
        Self::from_pem_with_password(pem, name, None)
    }

    /// Parses PEM text whose key may be encrypted with `password`; `name` is used in
    /// messages.
    pub fn from_pem_with_password(
        pem: &[u8],
        name: &str,
        password: Option<&Secret>,
    ) -> Result<Self, CertificateError> {
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
        if key_pem.is_none() {
            if let Some(encrypted) = encrypted_key_der(pem) {
                let password =
                    password.ok_or_else(|| CertificateError::Encrypted { path: name.into() })?;
                let info = pkcs8::EncryptedPrivateKeyInfo::try_from(encrypted.as_slice()).map_err(
                    |e| CertificateError::BadKey {
                        path: name.into(),
                        message: format!("the ENCRYPTED PRIVATE KEY block is not PKCS#8: {e}"),
                    },
                )?;
                let der = info
                    .decrypt(password.expose().as_bytes())
                    .map_err(|_| CertificateError::Decrypt { path: name.into() })?;
                key_pem = Some(pem_block("PRIVATE KEY", der.as_bytes()));
            }
        } else if password.is_some() {
            tracing::warn!(path = name, "certificate_password_env is set but the private key is not encrypted; using it as it is");
        }
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

/// The DER of the first `ENCRYPTED PRIVATE KEY` block of PEM text (zeroized when dropped).
fn encrypted_key_der(pem: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    const BEGIN: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
    const END: &str = "-----END ENCRYPTED PRIVATE KEY-----";
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find(BEGIN)? + BEGIN.len();
    let end = start + text[start..].find(END)?;
    let body: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
        text[start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
    );
    base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .ok()
        .map(zeroize::Zeroizing::new)
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
    /// One slot per scope: a request for one scope never waits for another scope's.
    cache: std::sync::Mutex<Vec<(String, Slot)>>,
}

/// The cached token of one scope and when it expires; locked while it is renewed.
type Slot = Arc<Mutex<Option<(Arc<Secret>, Instant)>>>;

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
            cache: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn slot(&self, scope: &str) -> Slot {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, slot)) = cache.iter().find(|(s, _)| s == scope) {
            return Arc::clone(slot);
        }
        let slot = Arc::new(Mutex::new(None));
        cache.push((scope.to_string(), Arc::clone(&slot)));
        slot
    }

    /// A valid token for `scope` (e.g. `https://graph.microsoft.com/.default`).
    pub async fn token(&self, http: &Http, scope: &str) -> Result<Arc<Secret>, CallError> {
        let slot = self.slot(scope);
        let mut cached = slot.lock().await;
        if let Some((token, expires)) = cached.as_ref() {
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
            headers: Vec::new(),
            body: Body::Form(form),
            priority: Priority::High,
        };
        let answer = http.json(&request).await?;
        let token = answer["access_token"]
            .as_str()
            .ok_or_else(|| CallError::Transport("the token answer has no access_token".into()))?;
        let lifetime = answer["expires_in"].as_u64().unwrap_or(3599);
        let token = Arc::new(Secret::new(token));
        let expires = Instant::now() + Duration::from_secs(lifetime);
        *cached = Some((Arc::clone(&token), expires));
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
        assert!(e.to_string().contains("no PRIVATE KEY"), "{e}");
    }
}

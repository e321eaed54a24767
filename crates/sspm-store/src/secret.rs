//! Secrets and their encryption at rest.
//!
//! Credentials are encrypted with XChaCha20-Poly1305 under a 32-byte master key. The key
//! comes from, in order:
//!
//! 1. [`StoreOptions::master_key`](crate::StoreOptions::master_key), when the caller gives one;
//! 2. the `SSPM_MASTER_KEY` environment variable: 32 bytes in base64 (standard or URL-safe,
//!    padded or not) or hex;
//! 3. a key file (`master.key` next to the SQLite database, or in the sspm home for
//!    PostgreSQL), created with mode 0600 with a random key on first use.
//!
//! Each ciphertext is bound to its instance and credential name (associated data), and
//! each row records the master key's id (a fingerprint, not the key), so that a wrong key
//! is reported as such rather than as damaged data.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};

/// The environment variable that holds the master key.
pub const MASTER_KEY_ENV: &str = "SSPM_MASTER_KEY";

/// The name of the key file created next to the database.
pub const KEY_FILE_NAME: &str = "master.key";

/// A secret value (a client secret, a token, a password): zeroized when dropped, never
/// printed by `Debug` or `Display`, not serializable.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps bytes; they are zeroized when the secret is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The secret's bytes. Do not log or print them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret as UTF-8 text, if it is. Do not log or print it.
    pub fn expose_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self::new(s.into_bytes())
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s.as_bytes().to_vec())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The 32-byte key that encrypts credentials. Zeroized on drop; `Debug` shows only its id.
#[derive(Clone)]
pub struct MasterKey {
    key: Zeroizing<[u8; 32]>,
    /// Where it came from, for messages: `SSPM_MASTER_KEY`, a file path, or `options`.
    source: String,
}

impl MasterKey {
    /// A key from raw bytes.
    pub fn from_bytes(bytes: [u8; 32], source: impl Into<String>) -> Self {
        Self {
            key: Zeroizing::new(bytes),
            source: source.into(),
        }
    }

    /// A new random key.
    pub fn generate(source: impl Into<String>) -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        Self::from_bytes(bytes, source)
    }

    /// Parses a key written in base64 (standard or URL-safe, padded or not) or hex.
    ///
    /// `source` names where the text came from; it is used in errors, which never contain
    /// the text itself.
    pub fn parse(text: &str, source: impl Into<String>) -> Result<Self> {
        let source = source.into();
        let text = Zeroizing::new(text.trim().to_string());
        let decoded: Option<Zeroizing<Vec<u8>>> =
            if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                decode_hex(&text).map(Zeroizing::new)
            } else {
                [
                    &base64::engine::general_purpose::STANDARD,
                    &base64::engine::general_purpose::STANDARD_NO_PAD,
                    &base64::engine::general_purpose::URL_SAFE,
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                ]
                .iter()
                .find_map(|engine| engine.decode(text.as_bytes()).ok())
                .map(Zeroizing::new)
            };
        let Some(decoded) = decoded else {
            return Err(StoreError::MasterKey {
                source_name: source,
                reason: "it is neither base64 nor 64 hex digits".into(),
            });
        };
        let Ok(bytes) = <[u8; 32]>::try_from(decoded.as_slice()) else {
            return Err(StoreError::MasterKey {
                source_name: source,
                reason: format!("it decodes to {} bytes, not 32", decoded.len()),
            });
        };
        Ok(Self::from_bytes(bytes, source))
    }

    /// The key's public fingerprint: 16 hex digits of a SHA-256 over a label and the key.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"sspm-master-key-id/1\0");
        h.update(self.key.as_slice());
        let digest = h.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Where the key came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The key in base64, for writing a key file.
    fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(self.key.as_slice()))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.key.as_slice().into())
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id())
            .field("source", &self.source)
            .finish()
    }
}

/// A credential as stored: ciphertext, nonce and the id of the key that encrypted it.
#[derive(Debug, Clone)]
pub(crate) struct Sealed {
    pub ciphertext: Vec<u8>,
    pub nonce: Vec<u8>,
    pub key_id: String,
}

fn aad(instance: &str, name: &str) -> Vec<u8> {
    format!("sspm-credential/1\0{instance}\0{name}").into_bytes()
}

/// Encrypts a credential of an instance.
pub(crate) fn seal(key: &MasterKey, instance: &str, name: &str, secret: &Secret) -> Result<Sealed> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = aad(instance, name);
    let ciphertext = key
        .cipher()
        .encrypt(
            &nonce,
            Payload {
                msg: secret.expose(),
                aad: &aad,
            },
        )
        .map_err(|_| StoreError::Crypto {
            what: "encrypt",
            instance: instance.to_string(),
            name: name.to_string(),
        })?;
    Ok(Sealed {
        ciphertext,
        nonce: nonce.to_vec(),
        key_id: key.id(),
    })
}

/// Decrypts a credential of an instance.
pub(crate) fn open(key: &MasterKey, instance: &str, name: &str, sealed: &Sealed) -> Result<Secret> {
    let current = key.id();
    if sealed.key_id != current {
        return Err(StoreError::WrongMasterKey {
            instance: instance.to_string(),
            name: name.to_string(),
            stored_key: sealed.key_id.clone(),
            current_key: current,
            key_source: key.source().to_string(),
        });
    }
    let damaged = || StoreError::Crypto {
        what: "decrypt",
        instance: instance.to_string(),
        name: name.to_string(),
    };
    if sealed.nonce.len() != 24 {
        return Err(damaged());
    }
    let nonce = XNonce::from_slice(&sealed.nonce);
    let aad = aad(instance, name);
    let plain = key
        .cipher()
        .decrypt(
            nonce,
            Payload {
                msg: &sealed.ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| damaged())?;
    Ok(Secret::new(plain))
}

/// Where the store finds its master key when it needs one.
#[derive(Debug, Clone)]
pub(crate) enum KeySource {
    /// Given by the caller.
    Given(MasterKey),
    /// `SSPM_MASTER_KEY` if set, else this key file (created on first use), if any.
    EnvOrFile(Option<PathBuf>),
}

impl KeySource {
    /// Loads (or creates) the master key.
    pub(crate) fn load(&self) -> Result<MasterKey> {
        match self {
            Self::Given(key) => Ok(key.clone()),
            Self::EnvOrFile(path) => match std::env::var(MASTER_KEY_ENV) {
                Ok(text) if !text.trim().is_empty() => {
                    let text = Zeroizing::new(text);
                    MasterKey::parse(&text, MASTER_KEY_ENV)
                }
                _ => match path {
                    Some(path) => load_or_create_key_file(path),
                    None => Err(StoreError::MasterKey {
                        source_name: MASTER_KEY_ENV.into(),
                        reason: "it is not set, and there is no data directory for a key file \
                                 (set SSPM_HOME)"
                            .into(),
                    }),
                },
            },
        }
    }
}

/// Reads the key file, or creates it with a random key and mode 0600 when it is missing.
pub fn load_or_create_key_file(path: &Path) -> Result<MasterKey> {
    let source = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let text = Zeroizing::new(text);
            warn_if_readable_by_others(path);
            return MasterKey::parse(&text, source);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(StoreError::Io {
                what: "read the master key file",
                path: path.to_path_buf(),
                source,
            })
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            what: "create the directory of the master key file",
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let key = MasterKey::generate(source);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            let text = key.to_base64();
            file.write_all(text.as_bytes())
                .and_then(|()| file.write_all(b"\n"))
                .and_then(|()| file.sync_all())
                .map_err(|source| StoreError::Io {
                    what: "write the master key file",
                    path: path.to_path_buf(),
                    source,
                })?;
            tracing::info!(path = %path.display(), key_id = %key.id(), "created a new master key file; back it up: credentials cannot be decrypted without it");
            Ok(key)
        }
        // Another process created it between our read and our create: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|source| StoreError::Io {
                what: "read the master key file",
                path: path.to_path_buf(),
                source,
            })?;
            let text = Zeroizing::new(text);
            MasterKey::parse(&text, path.display().to_string())
        }
        Err(source) => Err(StoreError::Io {
            what: "create the master key file",
            path: path.to_path_buf(),
            source,
        }),
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "the master key file is readable by other users: run chmod 600 on it");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_base64_and_hex() {
        let key = [7u8; 32];
        let b64 = base64::engine::general_purpose::STANDARD.encode(key);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let a = MasterKey::parse(&b64, "t").unwrap();
        let b = MasterKey::parse(&format!(" {hex}\n"), "t").unwrap();
        assert_eq!(a.id(), b.id());
        let err = MasterKey::parse("c2hvcnQ=", "SSPM_MASTER_KEY").unwrap_err();
        assert!(err.to_string().contains("5 bytes, not 32"), "{err}");
        assert!(!err.to_string().contains("c2hvcnQ"), "{err}");
    }

    #[test]
    fn seals_and_opens() {
        let key = MasterKey::generate("t");
        let secret = Secret::from("hunter2");
        let sealed = seal(&key, "i", "client_secret", &secret).unwrap();
        assert_eq!(open(&key, "i", "client_secret", &sealed).unwrap(), secret);
        // Bound to its instance and name.
        assert!(matches!(
            open(&key, "other", "client_secret", &sealed),
            Err(StoreError::Crypto { .. })
        ));
        let other = MasterKey::generate("t2");
        assert!(matches!(
            open(&other, "i", "client_secret", &sealed),
            Err(StoreError::WrongMasterKey { .. })
        ));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let secret = Secret::from("hunter2");
        assert_eq!(
            format!("{secret:?} {secret}"),
            "Secret([redacted]) [redacted]"
        );
        let key = MasterKey::from_bytes([0x41; 32], "t");
        assert!(!format!("{key:?}").contains("AAAA"));
    }
}

//! The store's errors: each names what failed and what to do about it.

use std::path::PathBuf;

/// What can go wrong in the store.
///
/// Messages never contain secrets: database URLs are shown with their password
/// replaced by `***`, and credential values are never part of an error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store URL is neither `sqlite:…` nor `postgres://…`.
    #[error(
        "unsupported store URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB \
         (store = \"…\" in sspm.toml)"
    )]
    UnsupportedUrl(String),

    /// No data directory could be found for the default store.
    #[error(
        "cannot find a data directory for the default store: set SSPM_HOME, \
         or set store = \"sqlite://PATH\" in sspm.toml"
    )]
    NoHome,

    /// The database could not be opened or connected to.
    #[error("cannot open store {url}: {source}; check the path or URL, or set store = \"…\" in sspm.toml")]
    Open {
        /// The URL, password redacted.
        url: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// The schema migrations could not be applied.
    #[error(
        "cannot apply the schema migrations to store {url}: {source}; \
         was the database changed by hand or by a newer sspm?"
    )]
    Migrate {
        /// The URL, password redacted.
        url: String,
        /// The migrator's error.
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    /// A file or directory of the store could not be read or written.
    #[error("cannot {what} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. `create the store directory`.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },

    /// A query failed.
    #[error("cannot {what}: {source}")]
    Database {
        /// What was being done, e.g. `list instances`.
        what: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },

    /// No instance has this name.
    #[error(
        "unknown instance `{0}`: see `sspm instance list`, or add it with `sspm instance add`"
    )]
    UnknownInstance(String),

    /// An instance of this name exists already.
    #[error("instance `{0}` exists already: choose another name, or remove it first")]
    InstanceExists(String),

    /// No API token has this name.
    #[error("no token is named `{0}`: see `sspm token list`")]
    UnknownToken(String),

    /// No scan has this id.
    #[error("unknown scan {0}: see `sspm scans`")]
    UnknownScan(i64),

    /// The scan is not running any more (completed, failed, or marked failed by recovery).
    #[error("scan {id} is {status}, not running: it cannot be completed or failed again")]
    ScanNotRunning {
        /// The scan.
        id: i64,
        /// Its current status.
        status: String,
    },

    /// Input rejected before anything was written.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was invalid, e.g. `instance name`.
        what: &'static str,
        /// Why it was rejected.
        reason: String,
    },

    /// The master key from `SSPM_MASTER_KEY` or the key file is not usable.
    #[error("invalid master key from {source_name}: {reason}; generate one with `openssl rand -base64 32`")]
    MasterKey {
        /// Where the key came from: `SSPM_MASTER_KEY` or the key file's path.
        source_name: String,
        /// What is wrong with it (never the key itself).
        reason: String,
    },

    /// A credential was encrypted under another master key.
    #[error(
        "cannot decrypt credential `{name}` of instance `{instance}`: it was encrypted under another \
         master key (key id {stored_key}, the key in use from {key_source} has id {current_key}); \
         set SSPM_MASTER_KEY or restore the key file to the key it was stored with, \
         or set the credential again"
    )]
    WrongMasterKey {
        /// The instance.
        instance: String,
        /// The credential's name.
        name: String,
        /// Id of the key it was encrypted with.
        stored_key: String,
        /// Id of the key in use.
        current_key: String,
        /// Where the key in use came from.
        key_source: String,
    },

    /// A credential could not be encrypted or decrypted although the key matches.
    #[error("cannot {what} credential `{name}` of instance `{instance}`: the stored value is damaged or was altered; set the credential again")]
    Crypto {
        /// `encrypt` or `decrypt`.
        what: &'static str,
        /// The instance.
        instance: String,
        /// The credential's name.
        name: String,
    },

    /// Stored data could not be read back (corrupt row, unknown enum value, bad JSON or zstd).
    #[error("corrupt data in the store: {0}; restore the database from a backup or remove the damaged scan")]
    Corrupt(String),
}

/// Result type of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Adds what was being done to a database error.
pub(crate) trait Context<T> {
    /// Maps the error to [`StoreError::Database`] naming `what`.
    fn ctx(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, sqlx::Error> {
    fn ctx(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|source| StoreError::Database {
            what: what(),
            source,
        })
    }
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest_start = scheme_end + 3;
    let rest = &url[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.find(':') else {
        return url.to_string();
    };
    format!(
        "{}{}:***{}",
        &url[..rest_start],
        &userinfo[..colon],
        &rest[at..]
    )
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:s3cret@db:5432/x?sslmode=require"),
            "postgres://u:***@db:5432/x?sslmode=require"
        );
        assert_eq!(redact_url("postgres://u@db/x"), "postgres://u@db/x");
        assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
        assert_eq!(redact_url("sqlite:a.db"), "sqlite:a.db");
    }
}

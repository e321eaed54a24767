//! sspm's store: its memory of instances, scans and decisions.
//!
//! One [`Store`] API over two backends, SQLite (the default: one file under `$SSPM_HOME`
//! or the platform data directory, WAL mode, foreign keys on) and PostgreSQL (for fleets).
//! Both run the same SQL (see `store.rs`); the schema is embedded per backend
//! (`migrations/sqlite`, `migrations/postgres`) and applied when the store opens.
//!
//! It holds:
//! - **instances**: name, app, non-secret configuration, `recommendations` on/off;
//! - **credentials**: encrypted with XChaCha20-Poly1305 under a master key (see [`secret`]);
//! - **scans**: status `running` → `succeeded` | `partial` | `failed`, counts, durations,
//!   error, and the host/pid/start time of the process that runs them;
//! - **snapshots**: zstd-compressed JSON, stored once per content hash (`collected_at`
//!   left out of the hash, so an unchanged tenant costs no snapshot bytes per scan);
//! - **results** of each completed scan, enough to rebuild its `sspm-results/1` assessment
//!   (offender lists zstd-compressed and stored once per content, shared across scans);
//! - **recommendation states** (`risk_accepted`, `mitigated_*`, `planned`) with reason,
//!   expiry, who and when;
//! - **daily score points** per instance (the last scan of a day wins);
//! - the **audit log**: every configuration, credential, state and token change;
//! - **API tokens** of `sspm serve`, as SHA-256 hashes with a role.
//!
//! A scan is written in one transaction by [`Store::complete_scan`]; a process that dies
//! mid-scan leaves the scan `running` and the previous assessment intact, and the next
//! [`Store::open`] on the same host marks it `failed` ([`Store::recover`]).
//!
//! The store keeps what the engine measured; applying recommendation states to scores
//! (and the planned score) is the engine's job, with [`Store::states_in_effect`].

#![warn(missing_docs)]

mod blob;
pub mod error;
mod instances;
pub mod paths;
pub mod process;
mod scans;
pub mod secret;
mod states;
mod store;
mod tokens;
pub mod types;

pub use error::{redact_url, Result, StoreError};
pub use paths::{default_sqlite_path, default_store_url, sspm_home, HOME_ENV};
pub use secret::{MasterKey, Secret, KEY_FILE_NAME, MASTER_KEY_ENV};
pub use store::{Backend, Store, StoreOptions};
pub use tokens::{NewToken, Revision, Role, TokenInfo, TOKEN_PREFIX};
pub use types::{
    AuditEntry, CredentialInfo, DailyScore, Instance, NewInstance, ParseEnumError,
    RecommendationState, ScanCounts, ScanId, ScanRecord, ScanStatus, ScanTimings, StateChange,
    StateRecord, StoredAssessment,
};

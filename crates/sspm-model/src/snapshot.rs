//! The `sspm-snapshot/1` document: raw vendor JSON keyed by `<api>:<path>`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The value of a snapshot's `format` field.
pub const SNAPSHOT_FORMAT: &str = "sspm-snapshot/1";

/// What one collection of one instance returned.
///
/// `resources` holds every API response exactly as the vendor returned it (a list
/// endpoint's value is the concatenation of all pages' items); `failures` holds the
/// calls that could not be read and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_FORMAT`].
    pub format: String,
    /// The app's short name, e.g. `m365`.
    pub app: String,
    /// The instance name chosen by the user, e.g. `contoso-prod`.
    pub instance: String,
    /// The tenant or organisation identifier at the vendor.
    pub tenant: String,
    /// RFC 3339 time at which collection finished.
    pub collected_at: String,
    /// API responses keyed by `<api>:<path>` (no host, no query string).
    #[serde(default)]
    pub resources: BTreeMap<String, serde_json::Value>,
    /// Calls that failed, keyed like `resources`.
    #[serde(default)]
    pub failures: BTreeMap<String, Failure>,
}

impl Snapshot {
    /// An empty snapshot of `app` for `instance`.
    pub fn new(app: &str, instance: &str, tenant: &str, collected_at: &str) -> Self {
        Self {
            format: SNAPSHOT_FORMAT.to_string(),
            app: app.to_string(),
            instance: instance.to_string(),
            tenant: tenant.to_string(),
            collected_at: collected_at.to_string(),
            resources: BTreeMap::new(),
            failures: BTreeMap::new(),
        }
    }
}

/// Why one API call could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// HTTP status, or 0 when no response arrived (timeout, connection error).
    #[serde(default)]
    pub status: u16,
    /// The vendor's error code, e.g. `Authorization_RequestDenied`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The vendor's error message.
    #[serde(default)]
    pub message: String,
    /// The permission or licence that the call needs, e.g. `AuditLog.Read.All; Entra ID P1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
}

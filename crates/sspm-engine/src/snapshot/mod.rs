//! Reading an `sspm-snapshot/1` document once into the engine's value type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regorus::Value;
use sspm_model::{Failure, SNAPSHOT_FORMAT};

mod scan;
mod text;
mod value;

pub use text::SnapshotText;

/// A snapshot parsed once and reused as the input of every check.
#[derive(Debug, Clone)]
pub struct LoadedSnapshot {
    /// Where it was read from, for messages (`<memory>` when not from a file).
    pub source: String,
    pub app: String,
    pub instance: String,
    pub tenant: String,
    pub collected_at: String,
    /// Calls that failed during collection.
    pub failures: BTreeMap<String, Failure>,
    /// The whole document as the Rego `input`.
    pub value: Value,
    /// Keys of every resource in the document, including those not given to Rego.
    pub present: BTreeSet<String>,
}

/// Why a snapshot cannot be assessed. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("snapshot {source_name} is not valid JSON: {message}")]
    Json {
        source_name: String,
        message: String,
    },
    #[error("snapshot {source_name}: {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
}

impl LoadedSnapshot {
    /// Reads and parses a snapshot file, converting the resources in `keep` (all when `None`).
    pub fn from_file(path: &Path, keep: Option<&BTreeSet<String>>) -> Result<Self, SnapshotError> {
        let text = SnapshotText::open(path)?;
        Self::from_json_keeping(&path.display().to_string(), &text, keep)
    }

    /// Parses a snapshot from JSON text; `source_name` is used in messages.
    ///
    /// The document is scanned once to check its syntax and split it into resources;
    /// the resources (and the items of large lists, in chunks) are then converted to
    /// the engine's value type on every CPU.
    pub fn from_json(source_name: &str, text: &str) -> Result<Self, SnapshotError> {
        Self::from_json_keeping(source_name, text, None)
    }

    /// Like [`LoadedSnapshot::from_json`], but converts only the resources whose keys are
    /// in `keep` (the keys the catalog's checks read, see [`crate::Catalog::resource_keys`]);
    /// the others are still known to be present but are not given to Rego.
    pub fn from_json_keeping(
        source_name: &str,
        text: &str,
        keep: Option<&BTreeSet<String>>,
    ) -> Result<Self, SnapshotError> {
        let json_err = |message: String| SnapshotError::Json {
            source_name: source_name.to_string(),
            message,
        };
        let started = std::time::Instant::now();
        let loaded = match scan::load(text, keep) {
            Ok(loaded) => loaded,
            Err(scan::LoadError::Convert(message)) => return Err(json_err(message)),
            Err(scan::LoadError::Scan(scan_error)) => {
                // Not a snapshot-shaped object: parse plainly so that the message says what
                // is wrong (syntax with line and column, or which field is malformed).
                let value = Value::from_json_str(text).map_err(|e| json_err(e.to_string()))?;
                Self::from_value(source_name, value)?;
                return Err(json_err(scan_error.to_string()));
            }
        };
        tracing::debug!(source = source_name, elapsed = ?started.elapsed(), "snapshot loaded");
        Self::from_header(source_name, loaded.header, loaded.resources)
    }

    fn from_header(
        source_name: &str,
        header: serde_json::Map<String, serde_json::Value>,
        resources: Option<(BTreeSet<String>, Value)>,
    ) -> Result<Self, SnapshotError> {
        let mut value = Value::from_json_str(&serde_json::Value::Object(header).to_string())
            .map_err(|e| SnapshotError::Json {
                source_name: source_name.to_string(),
                message: e.to_string(),
            })?;
        let present = match (resources, value.as_object_mut()) {
            (Some((present, resources)), Ok(obj)) => {
                obj.insert(Value::from("resources"), resources);
                Some(present)
            }
            _ => None,
        };
        Self::validate(source_name, value, present)
    }

    /// Validates the header of an already parsed snapshot.
    pub fn from_value(source_name: &str, value: Value) -> Result<Self, SnapshotError> {
        Self::validate(source_name, value, None)
    }

    /// Validates the header; `present` lists the resource keys when some were skipped
    /// (otherwise they are the keys of `resources`).
    fn validate(
        source_name: &str,
        value: Value,
        present: Option<BTreeSet<String>>,
    ) -> Result<Self, SnapshotError> {
        let invalid = |message: String| SnapshotError::Invalid {
            source_name: source_name.to_string(),
            message,
        };
        if value.as_object().is_err() {
            return Err(invalid(format!(
                "the document is a {}, expected an object with `format: \"{SNAPSHOT_FORMAT}\"`",
                type_name(&value)
            )));
        }
        let field = |name: &str| -> Result<String, SnapshotError> {
            match &value[name] {
                Value::String(s) if !s.is_empty() => Ok(s.to_string()),
                Value::Undefined => Err(invalid(format!("field `{name}` is missing"))),
                other => Err(invalid(format!(
                    "field `{name}` must be a non-empty string, found {}",
                    type_name(other)
                ))),
            }
        };
        let format = field("format")?;
        if format != SNAPSHOT_FORMAT {
            return Err(invalid(format!(
                "field `format` is `{format}`, expected `{SNAPSHOT_FORMAT}`; this sspm reads only that version"
            )));
        }
        let app = field("app")?;
        let instance = field("instance")?;
        let tenant = field("tenant")?;
        let collected_at = field("collected_at")?;
        if chrono::DateTime::parse_from_rfc3339(&collected_at).is_err() {
            return Err(invalid(format!(
                "field `collected_at` is `{collected_at}`, expected an RFC 3339 time such as 2026-11-27T03:00:00Z"
            )));
        }
        match &value["resources"] {
            Value::Object(_) => {}
            Value::Undefined => return Err(invalid("field `resources` is missing".into())),
            other => {
                return Err(invalid(format!(
                    "field `resources` must be an object keyed by `<api>:<path>`, found {}",
                    type_name(other)
                )))
            }
        }
        let failures = match &value["failures"] {
            Value::Undefined | Value::Null => BTreeMap::new(),
            Value::Object(map) => {
                let mut failures = BTreeMap::new();
                for (key, failure) in map.iter() {
                    let key = key.as_string().map(|s| s.to_string()).unwrap_or_default();
                    let failure: Failure = serde_json::to_value(failure)
                        .and_then(serde_json::from_value)
                        .map_err(|e| {
                            invalid(format!("field `failures.{key}` is malformed: {e}"))
                        })?;
                    failures.insert(key, failure);
                }
                failures
            }
            other => {
                return Err(invalid(format!(
                    "field `failures` must be an object, found {}",
                    type_name(other)
                )))
            }
        };
        let present = present.unwrap_or_else(|| match &value["resources"] {
            Value::Object(map) => map
                .keys()
                .filter_map(|k| k.as_string().ok().map(|s| s.to_string()))
                .collect(),
            _ => BTreeSet::new(),
        });
        Ok(Self {
            present,
            source: source_name.to_string(),
            app,
            instance,
            tenant,
            collected_at,
            failures,
            value,
        })
    }

    /// Whether the snapshot holds a resource under `key`.
    pub fn has_resource(&self, key: &str) -> bool {
        self.present.contains(key)
    }
}

/// A JSON type name for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Set(_) => "set",
        Value::Object(_) => "object",
        Value::Undefined => "undefined value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedSnapshot, SnapshotError> {
        LoadedSnapshot::from_json("t.json", text)
    }

    #[test]
    fn reads_header_and_failures() {
        let s = load(
            r#"{"format":"sspm-snapshot/1","app":"m365","instance":"i","tenant":"t",
                "collected_at":"2026-11-27T03:00:00Z","resources":{"graph:/v1.0/domains":[]},
                "failures":{"graph:/v1.0/users":{"status":403,"code":"Authorization_RequestDenied","message":"no","needs":"User.Read.All"}}}"#,
        )
        .unwrap();
        assert_eq!((s.app.as_str(), s.instance.as_str()), ("m365", "i"));
        assert!(s.has_resource("graph:/v1.0/domains"));
        assert!(!s.has_resource("graph:/v1.0/users"));
        assert_eq!(s.failures["graph:/v1.0/users"].status, 403);
    }

    #[test]
    fn json_errors_say_where() {
        let err = load("{\n  \"format\": \n").unwrap_err().to_string();
        assert!(err.contains("t.json") && err.contains("line"), "{err}");
    }

    #[test]
    fn rejects_wrong_format_and_missing_fields() {
        let err = load(r#"{"format":"sspm-snapshot/9"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("sspm-snapshot/9") && err.contains("sspm-snapshot/1"),
            "{err}"
        );
        let err = load(r#"{"format":"sspm-snapshot/1","app":"m365"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`instance` is missing"), "{err}");
        let err = load("[1,2]").unwrap_err().to_string();
        assert!(err.contains("array"), "{err}");
        let err = load(
            r#"{"format":"sspm-snapshot/1","app":"m365","instance":"i","tenant":"t","collected_at":"2026-11-27T03:00:00Z","resources":[]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`resources` must be an object"), "{err}");
        let err = load(
            r#"{"format":"sspm-snapshot/1","app":"m365","instance":"i","tenant":"t","collected_at":"yesterday","resources":{}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("`collected_at`") && err.contains("RFC 3339"),
            "{err}"
        );
    }
}

//! Reading an `sspm-snapshot/1` document once into the engine's value type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regorus::Value;
use serde_json::value::RawValue;
use sspm_model::{Failure, SNAPSHOT_FORMAT};

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
        let text = std::fs::read_to_string(path).map_err(|source| SnapshotError::Read {
            path: path.to_path_buf(),
            source,
        })?;
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
        let json_err = |e: serde_json::Error| SnapshotError::Json {
            source_name: source_name.to_string(),
            message: e.to_string(),
        };
        let top: serde_json::Value = match serde_json::from_str::<BTreeMap<String, &RawValue>>(text)
        {
            Ok(fields) => {
                let mut header = serde_json::Map::new();
                let mut resources = None;
                for (key, raw) in fields {
                    if key == "resources" {
                        resources = Some(raw);
                    } else {
                        header.insert(key, serde_json::from_str(raw.get()).map_err(json_err)?);
                    }
                }
                if let Some(raw) = resources {
                    match serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) {
                        Ok(map) => {
                            let present: BTreeSet<String> = map.keys().cloned().collect();
                            let map = map
                                .into_iter()
                                .filter(|(k, _)| keep.is_none_or(|keep| keep.contains(k)))
                                .collect();
                            let value =
                                parse_resources(map).map_err(|message| SnapshotError::Json {
                                    source_name: source_name.to_string(),
                                    message,
                                })?;
                            let mut snapshot = Self::from_header(source_name, header, Some(value))?;
                            snapshot.present = present;
                            return Ok(snapshot);
                        }
                        // Not an object: let the header validation say so.
                        Err(_) => {
                            header.insert(
                                "resources".into(),
                                serde_json::from_str(raw.get()).map_err(json_err)?,
                            );
                        }
                    }
                }
                serde_json::Value::Object(header)
            }
            // Not an object (or not JSON at all): parse plainly for the right message.
            Err(_) => serde_json::from_str(text).map_err(json_err)?,
        };
        let value = Value::from_json_str(&top.to_string()).map_err(|e| SnapshotError::Json {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        Self::from_value(source_name, value)
    }

    fn from_header(
        source_name: &str,
        header: serde_json::Map<String, serde_json::Value>,
        resources: Option<Value>,
    ) -> Result<Self, SnapshotError> {
        let mut value = Value::from_json_str(&serde_json::Value::Object(header).to_string())
            .map_err(|e| SnapshotError::Json {
                source_name: source_name.to_string(),
                message: e.to_string(),
            })?;
        if let (Some(resources), Ok(obj)) = (resources, value.as_object_mut()) {
            obj.insert(Value::from("resources"), resources);
        }
        Self::from_value(source_name, value)
    }

    /// Validates the header of an already parsed snapshot.
    pub fn from_value(source_name: &str, value: Value) -> Result<Self, SnapshotError> {
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
                    let json = failure.to_json_str().unwrap_or_default();
                    let failure: Failure = serde_json::from_str(&json).map_err(|e| {
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
        let present = match &value["resources"] {
            Value::Object(map) => map
                .keys()
                .filter_map(|k| k.as_string().ok().map(|s| s.to_string()))
                .collect(),
            _ => BTreeSet::new(),
        };
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

/// Lists with more bytes than this are converted in parallel chunks.
const CHUNK_BYTES: usize = 4 << 20;

/// One unit of conversion work: a whole resource, or a chunk of a list's items.
enum Job<'a> {
    Whole(&'a RawValue),
    /// A run of consecutive items of the list whose raw text is given.
    Items(&'a str, &'a [&'a RawValue]),
}

/// Parses a run of consecutive list items in one go (so object keys are interned across
/// them): the items are a contiguous slice of the list's text.
fn parse_items(list: &str, items: &[&RawValue]) -> Result<Vec<Value>, String> {
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Ok(Vec::new());
    };
    let base = list.as_ptr() as usize;
    let start = (first.get().as_ptr() as usize).wrapping_sub(base);
    let end = (last.get().as_ptr() as usize).wrapping_sub(base) + last.get().len();
    let slice = list
        .get(start..end)
        .ok_or_else(|| "list items are not within the list's text".to_string())?;
    let mut text = String::with_capacity(slice.len() + 2);
    text.push('[');
    text.push_str(slice);
    text.push(']');
    match Value::from_json_str(&text).map_err(|e| e.to_string())? {
        Value::Array(values) => Ok(values.iter().cloned().collect()),
        _ => Err("list chunk did not parse to an array".into()),
    }
}

/// Converts every resource to the engine's value type on all CPUs.
fn parse_resources(map: BTreeMap<String, &RawValue>) -> Result<Value, String> {
    // Large lists are split into chunks of items; everything else is one job.
    let mut lists: Vec<Vec<&RawValue>> = Vec::new();
    let mut kinds: Vec<(String, Option<usize>, &RawValue)> = Vec::new();
    for (key, raw) in map {
        if raw.get().len() > CHUNK_BYTES && raw.get().starts_with('[') {
            let items: Vec<&RawValue> =
                serde_json::from_str(raw.get()).map_err(|e| format!("resources.{key}: {e}"))?;
            lists.push(items);
            kinds.push((key, Some(lists.len() - 1), raw));
        } else {
            kinds.push((key, None, raw));
        }
    }
    let mut jobs: Vec<(usize, Job<'_>)> = Vec::new();
    for (i, (_, list, raw)) in kinds.iter().enumerate() {
        match list {
            None => jobs.push((i, Job::Whole(raw))),
            Some(l) => {
                let items = &lists[*l];
                let per_chunk = (items.len() * CHUNK_BYTES / raw.get().len().max(1)).max(1);
                for chunk in items.chunks(per_chunk) {
                    jobs.push((i, Job::Items(raw.get(), chunk)));
                }
            }
        }
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let outputs = crate::parallel::map(
        &jobs,
        threads,
        || (),
        |_, (_, job)| match job {
            Job::Whole(raw) => Value::from_json_str(raw.get())
                .map(|v| vec![v])
                .map_err(|e| e.to_string()),
            Job::Items(list, items) => parse_items(list, items),
        },
    );
    let mut values: Vec<Vec<Value>> = kinds.iter().map(|_| Vec::new()).collect();
    for ((i, _), output) in jobs.iter().zip(outputs) {
        let parsed = output
            .unwrap_or_else(|| Err("conversion did not finish".into()))
            .map_err(|e| format!("resources.{}: {e}", kinds[*i].0))?;
        values[*i].extend(parsed);
    }
    let mut resources = BTreeMap::new();
    for ((key, list, _), mut vals) in kinds.into_iter().zip(values) {
        let value = match list {
            Some(_) => Value::from(vals),
            None => vals.pop().unwrap_or(Value::Null),
        };
        resources.insert(Value::from(key), value);
    }
    Ok(Value::from(resources))
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
            r#"{"format":"sspm-snapshot/1","app":"m365","instance":"i","tenant":"t","collected_at":"x","resources":[]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`resources` must be an object"), "{err}");
    }
}

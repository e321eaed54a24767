//! Loading a snapshot's text in one pass: one thread scans it (syntax, header, which
//! resources are present) and hands the items of the lists that checks read, in batches,
//! to converters on the other CPUs. Resources that no check reads are skipped unbuilt.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::sync::{Condvar, Mutex};

use regorus::Value;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A snapshot loaded by [`load`].
pub(super) struct Loaded {
    /// Every top-level field but `resources`.
    pub header: serde_json::Map<String, serde_json::Value>,
    /// The keys of every resource, and the kept ones as one engine object.
    pub resources: Option<(BTreeSet<String>, Value)>,
}

/// Why [`load`] failed.
pub(super) enum LoadError {
    /// The text is not JSON, or not shaped like a snapshot.
    Scan(serde_json::Error),
    /// A list item could not be converted (should not happen after a clean scan).
    Convert(String),
}

/// One resource, as the scan leaves it.
enum Resource {
    /// Present but read by no check.
    Skipped,
    /// Already converted (an object or a scalar).
    Value(Value),
    /// A list whose items were sent to the converters in batches.
    List,
}

/// Lists are converted in batches of about this many bytes of JSON.
const BATCH_BYTES: usize = 2 << 20;

/// A batch of consecutive list items: (resource index, batch number, items).
type Batch<'a> = (usize, usize, Vec<&'a RawValue>);

/// Converted batches: (resource index, batch number, values).
type Converted = (usize, usize, Result<Vec<Value>, String>);

/// Batches waiting for a converter; closed when the scan is over.
struct Queue<'a> {
    state: Mutex<(VecDeque<Batch<'a>>, bool)>,
    ready: Condvar,
}

impl<'a> Queue<'a> {
    fn push(&self, batch: Batch<'a>) {
        if let Ok(mut state) = self.state.lock() {
            state.0.push_back(batch);
        }
        self.ready.notify_one();
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 = true;
        }
        self.ready.notify_all();
    }

    /// The next batch, waiting for one while the scan goes on; `None` once closed and empty.
    fn pop(&self) -> Option<Batch<'a>> {
        let mut state = self.state.lock().ok()?;
        loop {
            if let Some(batch) = state.0.pop_front() {
                return Some(batch);
            }
            if state.1 {
                return None;
            }
            state = self.ready.wait(state).ok()?;
        }
    }

    /// Converts batches until the queue is closed and empty.
    fn work(&self, out: &Mutex<Vec<Converted>>) {
        let mut keys = super::value::Keys::default();
        while let Some((index, number, items)) = self.pop() {
            let values = items
                .iter()
                .map(|item| super::value::parse(item.get(), &mut keys).map_err(|e| e.to_string()))
                .collect();
            if let Ok(mut out) = out.lock() {
                out.push((index, number, values));
            }
        }
    }
}

/// Loads `text` in one pass: while one thread scans it (checking the syntax, keeping the
/// header and skipping resources whose key is not in `keep`), the other CPUs convert the
/// list items scanned so far; the scanning thread joins them when it is done.
pub(super) fn load(text: &str, keep: Option<&BTreeSet<String>>) -> Result<Loaded, LoadError> {
    let queue = Queue {
        state: Mutex::new((VecDeque::new(), false)),
        ready: Condvar::new(),
    };
    let converted = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let scanned = std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| queue.work(&converted));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let scanned = TopSeed {
            keep,
            queue: &queue,
        }
        .deserialize(&mut de)
        .and_then(|split| de.end().map(|()| split));
        queue.close();
        queue.work(&converted);
        scanned
    });
    let (header, resources) = scanned.map_err(LoadError::Scan)?;
    let Some(resources) = resources else {
        return Ok(Loaded {
            header,
            resources: None,
        });
    };
    let mut batches = converted.into_inner().unwrap_or_default();
    batches.sort_by_key(|(index, number, _)| (*index, *number));
    let mut lists: Vec<Vec<Value>> = resources.iter().map(|_| Vec::new()).collect();
    for (index, _, values) in batches {
        let values = values
            .map_err(|e| LoadError::Convert(format!("resources.{}: {e}", resources[index].0)))?;
        lists[index].extend(values);
    }
    let present = resources.iter().map(|(key, _)| key.clone()).collect();
    let mut object = BTreeMap::new();
    for ((key, resource), list) in resources.into_iter().zip(lists) {
        let value = match resource {
            Resource::Skipped => continue,
            Resource::Value(value) => value,
            Resource::List => Value::from(list),
        };
        object.insert(Value::from(key), value);
    }
    Ok(Loaded {
        header,
        resources: Some((present, Value::from(object))),
    })
}

type Scanned = (
    serde_json::Map<String, serde_json::Value>,
    Option<Vec<(String, Resource)>>,
);

struct TopSeed<'k, 'q, 'a> {
    keep: Option<&'k BTreeSet<String>>,
    queue: &'q Queue<'a>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_, 'de> {
    type Value = Scanned;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_, 'de> {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut header = serde_json::Map::new();
        let mut resources = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "resources" {
                resources = Some(map.next_value_seed(ResourcesSeed {
                    keep: self.keep,
                    queue: self.queue,
                })?);
            } else {
                header.insert(key, map.next_value()?);
            }
        }
        Ok((header, resources))
    }
}

struct ResourcesSeed<'k, 'q, 'a> {
    keep: Option<&'k BTreeSet<String>>,
    queue: &'q Queue<'a>,
}

impl<'de> DeserializeSeed<'de> for ResourcesSeed<'_, '_, 'de> {
    type Value = Vec<(String, Resource)>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResourcesSeed<'_, '_, 'de> {
    type Value = Vec<(String, Resource)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of resources")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut resources = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let resource = if self.keep.is_none_or(|keep| wanted(keep, &key)) {
                map.next_value_seed(KeptSeed {
                    index: resources.len(),
                    queue: self.queue,
                })?
            } else {
                map.next_value::<IgnoredAny>()?;
                Resource::Skipped
            };
            resources.push((key, resource));
        }
        Ok(resources)
    }
}

/// Whether the resource under `key` is in `keep`: listed as is, or matching a per-object
/// key template such as `graph:/v1.0/servicePrincipals/%s/appRoleAssignedTo` (the format
/// string a check passes to `sprintf`; `%s` or `%v` stands for one path segment).
fn wanted(keep: &BTreeSet<String>, key: &str) -> bool {
    keep.contains(key)
        || keep
            .iter()
            .filter(|k| k.contains('%'))
            .any(|template| matches_template(template, key))
}

fn matches_template(template: &str, key: &str) -> bool {
    let mut pattern = template.split('/');
    let mut parts = key.split('/');
    loop {
        match (pattern.next(), parts.next()) {
            (None, None) => return true,
            (Some("%s" | "%v"), Some(part)) if !part.is_empty() => {}
            (Some(p), Some(part)) if p == part => {}
            _ => return false,
        }
    }
}

/// A kept resource: a list's items go to the converters in batches, anything else is
/// converted at once.
struct KeptSeed<'q, 'a> {
    index: usize,
    queue: &'q Queue<'a>,
}

impl<'de> DeserializeSeed<'de> for KeptSeed<'_, 'de> {
    type Value = Resource;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeptSeed<'_, 'de> {
    type Value = Resource;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        let mut number = 0;
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            bytes += item.get().len();
            batch.push(item);
            if bytes >= BATCH_BYTES {
                self.queue
                    .push((self.index, number, std::mem::take(&mut batch)));
                number += 1;
                bytes = 0;
            }
        }
        self.queue.push((self.index, number, batch));
        Ok(Resource::List)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        super::value::from_map(map).map(Resource::Value)
    }

    super::value::visit_scalars!(|v| Resource::Value(v));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_header_and_resources_skipping_unread_ones() {
        let text = r#"{"format":"f","resources":{"a:/list":[{"x":1}, {"x":2},
            {"x":3}],"a:/obj":{"y":true},"a:/skip":[1,2,3]},"failures":{}}"#;
        let keep: BTreeSet<String> = ["a:/list".to_string(), "a:/obj".to_string()].into();
        let Ok(loaded) = load(text, Some(&keep)) else {
            panic!("load failed")
        };
        assert_eq!(loaded.header["format"], "f");
        let (present, value) = loaded.resources.unwrap();
        let keys: Vec<_> = present.iter().map(String::as_str).collect();
        assert_eq!(keys, ["a:/list", "a:/obj", "a:/skip"]);
        assert_eq!(value["a:/list"][2]["x"], Value::from(3));
        assert_eq!(value["a:/obj"]["y"], Value::from(true));
        assert_eq!(value["a:/skip"], Value::Undefined);
    }

    #[test]
    fn per_object_keys_are_kept_by_template() {
        let keep: BTreeSet<String> = ["g:/v1.0/sp/%s/appRoleAssignedTo".to_string()].into();
        assert!(wanted(&keep, "g:/v1.0/sp/abc/appRoleAssignedTo"));
        assert!(!wanted(&keep, "g:/v1.0/sp/abc/owners"));
        assert!(!wanted(&keep, "g:/v1.0/sp//appRoleAssignedTo"));
        assert!(!wanted(&keep, "g:/v1.0/sp/a/b/appRoleAssignedTo"));
        assert!(!wanted(&keep, "g:/v1.0/sp"));
    }

    #[test]
    fn large_lists_are_chunked_and_keep_order() {
        let n = 60_000;
        let items: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id":"{i:08}","pad":"{}"}}"#, "x".repeat(40)))
            .collect();
        let text = format!(r#"{{"resources":{{"k:/l":[{}]}}}}"#, items.join(",\n "));
        let Ok(loaded) = load(&text, None) else {
            panic!("load failed")
        };
        let (_, value) = loaded.resources.unwrap();
        let list = value["k:/l"].as_array().unwrap();
        assert_eq!(list.len(), n);
        assert_eq!(list[n - 1]["id"], Value::from(format!("{:08}", n - 1)));
        assert_eq!(list[12345]["id"], Value::from("00012345"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let Err(LoadError::Scan(err)) = load("{\n\"resources\": {\"a\": [1,,2]}}", None) else {
            panic!("expected a scan error")
        };
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}

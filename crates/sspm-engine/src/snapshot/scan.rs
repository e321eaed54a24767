//! One pass over a snapshot's text that checks its syntax and splits it: header fields as
//! JSON, each kept resource either converted at once (objects, scalars) or as the raw text
//! of its list items, which [`convert`] then turns into engine values on every CPU.
//! Resources that no check reads are skipped without being built.

use std::collections::BTreeSet;
use std::fmt;

use regorus::Value;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A snapshot split by [`split`].
pub(super) struct Split<'a> {
    /// Every top-level field but `resources`.
    pub header: serde_json::Map<String, serde_json::Value>,
    pub resources: Option<Resources<'a>>,
}

/// The `resources` object: every key, with its value when kept.
pub(super) type Resources<'a> = Vec<(String, Resource<'a>)>;

/// One resource.
pub(super) enum Resource<'a> {
    /// Present but read by no check.
    Skipped,
    /// Already converted (an object or a scalar).
    Value(Value),
    /// A list: the raw text of its items, converted later in parallel.
    List(Vec<&'a RawValue>),
}

/// Splits `text` in one pass; resources whose key is not in `keep` are skipped.
pub(super) fn split<'a>(
    text: &'a str,
    keep: Option<&BTreeSet<String>>,
) -> Result<Split<'a>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let split = TopSeed { keep }.deserialize(&mut de)?;
    de.end()?;
    Ok(split)
}

struct TopSeed<'k> {
    keep: Option<&'k BTreeSet<String>>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Split<'de>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Split<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut header = serde_json::Map::new();
        let mut resources = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "resources" {
                resources = Some(map.next_value_seed(ResourcesSeed { keep: self.keep })?);
            } else {
                header.insert(key, map.next_value()?);
            }
        }
        Ok(Split { header, resources })
    }
}

struct ResourcesSeed<'k> {
    keep: Option<&'k BTreeSet<String>>,
}

impl<'de> DeserializeSeed<'de> for ResourcesSeed<'_> {
    type Value = Resources<'de>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResourcesSeed<'_> {
    type Value = Resources<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of resources")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut resources = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let resource = if self.keep.is_none_or(|keep| keep.contains(&key)) {
                map.next_value::<KeptResource<'de>>()?.0
            } else {
                map.next_value::<IgnoredAny>()?;
                Resource::Skipped
            };
            resources.push((key, resource));
        }
        Ok(resources)
    }
}

/// A kept resource: a list keeps its items' raw text, anything else is converted now.
struct KeptResource<'a>(Resource<'a>);

impl<'de> Deserialize<'de> for KeptResource<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(KeptVisitor)
    }
}

struct KeptVisitor;

impl<'de> Visitor<'de> for KeptVisitor {
    type Value = KeptResource<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            items.push(item);
        }
        Ok(KeptResource(Resource::List(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(KeptResource(Resource::Value(value)))
    }

    super::value::visit_scalars!(|v| KeptResource(Resource::Value(v)));
}

/// Lists are converted in chunks of about this many bytes of JSON.
const CHUNK_BYTES: usize = 2 << 20;

/// Converts the kept resources to one engine object, list chunks in parallel.
pub(super) fn convert(resources: Vec<(String, Resource<'_>)>) -> Result<Value, String> {
    // Jobs: (index into `resources`, a run of consecutive items).
    let mut jobs: Vec<(usize, &[&RawValue])> = Vec::new();
    for (i, (_, resource)) in resources.iter().enumerate() {
        if let Resource::List(items) = resource {
            let mut start = 0;
            let mut bytes = 0;
            for (j, item) in items.iter().enumerate() {
                bytes += item.get().len();
                if bytes >= CHUNK_BYTES {
                    jobs.push((i, &items[start..=j]));
                    start = j + 1;
                    bytes = 0;
                }
            }
            if start < items.len() || items.is_empty() {
                jobs.push((i, &items[start..]));
            }
        }
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let outputs = crate::parallel::map(&jobs, threads, || (), |_, (_, items)| parse_run(items));
    let mut lists: Vec<Vec<Value>> = resources.iter().map(|_| Vec::new()).collect();
    for ((i, _), output) in jobs.iter().zip(outputs) {
        let values = output
            .unwrap_or_else(|| Err("conversion did not finish".into()))
            .map_err(|e| format!("resources.{}: {e}", resources[*i].0))?;
        lists[*i].extend(values);
    }
    let mut object = std::collections::BTreeMap::new();
    for ((key, resource), list) in resources.into_iter().zip(lists) {
        let value = match resource {
            Resource::Skipped => continue,
            Resource::Value(value) => value,
            Resource::List(_) => Value::from(list),
        };
        object.insert(Value::from(key), value);
    }
    Ok(Value::from(object))
}

/// Parses a run of list items, sharing one key table across them.
fn parse_run(items: &[&RawValue]) -> Result<Vec<Value>, String> {
    let mut keys = super::value::Keys::default();
    items
        .iter()
        .map(|item| super::value::parse(item.get(), &mut keys).map_err(|e| e.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_header_and_resources_skipping_unread_ones() {
        let text = r#"{"format":"f","resources":{"a:/list":[{"x":1}, {"x":2},
            {"x":3}],"a:/obj":{"y":true},"a:/skip":[1,2,3]},"failures":{}}"#;
        let keep: BTreeSet<String> = ["a:/list".to_string(), "a:/obj".to_string()].into();
        let split = split(text, Some(&keep)).unwrap();
        assert_eq!(split.header["format"], "f");
        let resources = split.resources.unwrap();
        let keys: Vec<_> = resources.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a:/list", "a:/obj", "a:/skip"]);
        let value = convert(resources).unwrap();
        assert_eq!(value["a:/list"][2]["x"], Value::from(3));
        assert_eq!(value["a:/obj"]["y"], Value::from(true));
        assert_eq!(value["a:/skip"], Value::Undefined);
    }

    #[test]
    fn large_lists_are_chunked_and_keep_order() {
        let n = 60_000;
        let items: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id":"{i:08}","pad":"{}"}}"#, "x".repeat(40)))
            .collect();
        let text = format!(r#"{{"resources":{{"k:/l":[{}]}}}}"#, items.join(",\n "));
        let split = split(&text, None).unwrap();
        let resources = split.resources.unwrap();
        let value = convert(resources).unwrap();
        let list = value["k:/l"].as_array().unwrap();
        assert_eq!(list.len(), n);
        assert_eq!(list[n - 1]["id"], Value::from(format!("{:08}", n - 1)));
        assert_eq!(list[12345]["id"], Value::from("00012345"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = split("{\n\"resources\": {\"a\": [1,,2]}}", None)
            .err()
            .unwrap();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}

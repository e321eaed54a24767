//! Builds engine values straight from JSON text, interning object keys (and repeated
//! string values) per batch.
//!
//! Equivalent to `regorus::Value::from_json_str`, but a batch of list items shares one
//! key table (keys are looked up borrowed, with a fast hash, and never allocated twice),
//! which is what makes converting 100,000-row lists cheap.

use std::collections::BTreeMap;
use std::fmt;

use crate::fxhash::FxHashMap;

use regorus::Value;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Implements a visitor's methods for JSON scalars other than strings: each becomes a
/// [`Value`], passed through `$wrap` (a closure-like `|v| expr`).
macro_rules! visit_non_string_scalars {
    (|$v:ident| $wrap:expr) => {
        fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(b);
            Ok($wrap)
        }

        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(n);
            Ok($wrap)
        }

        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(n);
            Ok($wrap)
        }

        fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(n);
            Ok($wrap)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            let $v = regorus::Value::Null;
            Ok($wrap)
        }
    };
}
pub(super) use visit_non_string_scalars;

/// Like [`visit_non_string_scalars`], strings included.
macro_rules! visit_scalars {
    (|$v:ident| $wrap:expr) => {
        super::value::visit_non_string_scalars!(|$v| $wrap);

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(s);
            Ok($wrap)
        }
    };
}
pub(super) use visit_scalars;

/// At most this many object shapes have their sort order remembered (a document whose
/// objects are maps with arbitrary keys must not grow the cache without bound).
const MAX_SHAPES: usize = 4096;

/// Object keys seen so far in a batch, each with a number, and how each object *shape*
/// (its key numbers in document order) sorts.
///
/// An engine object keeps its entries sorted by key. The rows of a list usually share a
/// shape, so the order is worked out once per shape and then applied by integer sort,
/// instead of comparing key strings for every object.
///
/// String values are shared too, field by field, where that pays: a field whose first
/// strings mostly repeat (`userType`, `skuId`, a role definition id) keeps one copy of each
/// value, a field whose strings are unique (ids, names, timestamps) is left alone. Fewer
/// copies mean less memory to fill and shared, cache-hot strings for the checks.
#[derive(Default)]
pub(super) struct Keys {
    table: FxHashMap<Box<str>, (u32, Value)>,
    /// For each shape, the sorted position of each entry.
    ranks: FxHashMap<Box<[u32]>, Box<[u32]>>,
    /// The shape of the object being finished (reused, to spare an allocation).
    shape: Vec<u32>,
    /// String values by key number.
    strings: Vec<Strings>,
    /// One empty array and one empty object, shared.
    empty: Option<(Value, Value)>,
}

/// How the string values of one field are stored.
enum Strings {
    /// Still sampling: the distinct values seen so far, and how many values in all.
    Sampling(FxHashMap<Box<str>, Value>, usize),
    /// Values repeat: one copy of each (up to [`MAX_SHARED`] distinct values).
    Shared(FxHashMap<Box<str>, Value>),
    /// Values are (mostly) unique: each is its own copy.
    Unique,
}

/// A field is sampled over this many string values...
const SAMPLE: usize = 64;

/// ...and shared when at most this many of them were distinct.
const SAMPLE_DISTINCT: usize = 16;

/// At most this many distinct values of one field are shared.
const MAX_SHARED: usize = 1024;

impl Keys {
    /// A string value of the field with key number `field` (`None` outside objects).
    fn string(&mut self, field: Option<u32>, s: &str) -> Value {
        let Some(field) = field.map(|f| f as usize) else {
            return Value::from(s);
        };
        if self.strings.len() <= field {
            self.strings
                .resize_with(field + 1, || Strings::Sampling(FxHashMap::default(), 0));
        }
        let strings = &mut self.strings[field];
        let (table, seen) = match strings {
            Strings::Unique => return Value::from(s),
            Strings::Shared(table) => (table, None),
            Strings::Sampling(table, seen) => {
                *seen += 1;
                (table, Some(*seen))
            }
        };
        let value = match table.get(s) {
            Some(v) => v.clone(),
            None => {
                let v = Value::from(s);
                if table.len() < MAX_SHARED {
                    table.insert(s.into(), v.clone());
                }
                v
            }
        };
        if seen == Some(SAMPLE) {
            *strings = if table.len() <= SAMPLE_DISTINCT {
                Strings::Shared(std::mem::take(table))
            } else {
                Strings::Unique
            };
        }
        value
    }

    /// The shared empty array or object.
    fn empty(&mut self, array: bool) -> Value {
        let (a, o) = self
            .empty
            .get_or_insert_with(|| (Value::new_array(), Value::new_object()));
        if array {
            a.clone()
        } else {
            o.clone()
        }
    }

    /// The interned key and its number.
    fn get(&mut self, key: &str) -> (u32, Value) {
        if let Some(found) = self.table.get(key) {
            return found.clone();
        }
        let entry = (self.table.len() as u32, Value::from(key));
        self.table.insert(key.into(), entry.clone());
        entry
    }

    /// An object from its entries in document order, each tagged with its key number.
    /// A key given twice keeps its last value, as in a JSON parser.
    fn object(&mut self, mut entries: Vec<(u32, Value, Value)>) -> Value {
        if entries.is_empty() {
            return self.empty(false);
        }
        if entries.len() > 1 {
            self.shape.clear();
            self.shape.extend(entries.iter().map(|e| e.0));
            let ranks = match self.ranks.get(self.shape.as_slice()) {
                Some(ranks) => ranks,
                None => {
                    let ranks = ranks_of(&entries);
                    if self.ranks.len() >= MAX_SHAPES {
                        self.ranks.clear();
                    }
                    self.ranks
                        .entry(self.shape.as_slice().into())
                        .or_insert(ranks)
                }
            };
            for (entry, &rank) in entries.iter_mut().zip(ranks.iter()) {
                entry.0 = rank;
            }
            entries.sort_unstable_by_key(|e| e.0);
        }
        // Sorted input: the map checks the order in one pass and is built in bulk.
        Value::from(
            entries
                .into_iter()
                .map(|(_, k, v)| (k, v))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

/// The sorted position of each entry: by key, and in document order among equal keys.
fn ranks_of(entries: &[(u32, Value, Value)]) -> Box<[u32]> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].1.cmp(&entries[b].1));
    let mut ranks = vec![0u32; entries.len()];
    for (rank, &i) in order.iter().enumerate() {
        ranks[i] = rank as u32;
    }
    ranks.into()
}

/// Parses one JSON document into a value, sharing `keys` with earlier documents.
pub(super) fn parse(text: &str, keys: &mut Keys) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed { keys, field: None }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Builds a value from a map the caller's deserializer is positioned on (an object
/// resource met during the scan).
pub(super) fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    ValueSeed {
        keys: &mut Keys::default(),
        field: None,
    }
    .visit_map(map)
}

struct ValueSeed<'k> {
    keys: &'k mut Keys,
    /// The key number of the field this value belongs to (items of an array value
    /// belong to the array's field).
    field: Option<u32>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    visit_non_string_scalars!(|v| v);

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(self.keys.string(self.field, s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed {
            keys: &mut *self.keys,
            field: self.field,
        })? {
            items.push(item);
        }
        if items.is_empty() {
            return Ok(self.keys.empty(true));
        }
        Ok(Value::from(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some((number, key)) = map.next_key_seed(KeySeed {
            keys: &mut *self.keys,
        })? {
            let value = map.next_value_seed(ValueSeed {
                keys: &mut *self.keys,
                field: Some(number),
            })?;
            entries.push((number, key, value));
        }
        Ok(self.keys.object(entries))
    }
}

struct KeySeed<'k> {
    keys: &'k mut Keys,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (u32, Value);

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = (u32, Value);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.keys.get(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_regorus_parsing() {
        let text = r#"{"b":[1,-2,3.5,true,null,"s\u00e9"],"a":{"nested":{"k":"v"}},"e":{},"f":[],"big":18446744073709551615,"dup":1,"dup":2,
            "rows":[{"z":1,"a":2,"m":3},{"z":4,"a":5,"m":6},{"a":7,"z":8},{"m":9,"z":0,"a":1,"m":2}]}"#;
        let mut keys = Keys::default();
        let ours = parse(text, &mut keys).unwrap();
        let theirs = Value::from_json_str(text).unwrap();
        assert_eq!(ours, theirs);
        // A second document reuses the keys.
        let again = parse(r#"{"a":1}"#, &mut keys).unwrap();
        assert_eq!(again["a"], Value::from(1));
        assert!(parse("{\"a\":", &mut keys).is_err());
    }

    #[test]
    fn repeated_string_values_are_shared_and_unique_ones_are_not_kept() {
        let mut keys = Keys::default();
        let rows: Vec<Value> = (0..200)
            .map(|i| {
                let text = format!(
                    r#"{{"id":"user-{i}","type":"member","tags":["a","b"],"none":[],"o":{{}}}}"#
                );
                parse(&text, &mut keys).unwrap()
            })
            .collect();
        let ptr = |v: &Value| match v {
            Value::String(s) => s.as_ptr(),
            _ => std::ptr::null(),
        };
        assert_eq!(ptr(&rows[0]["type"]), ptr(&rows[199]["type"]));
        assert_eq!(ptr(&rows[3]["tags"][1]), ptr(&rows[150]["tags"][1]));
        assert_eq!(rows[150]["tags"][1], Value::from("b"));
        assert_eq!(rows[199]["id"], Value::from("user-199"));
        assert_eq!(rows[10]["none"], Value::new_array());
        assert_eq!(rows[10]["o"], Value::new_object());
        let id = keys.table["id"].0 as usize;
        assert!(matches!(keys.strings[id], Strings::Unique));
        let kind = keys.table["type"].0 as usize;
        assert!(matches!(&keys.strings[kind], Strings::Shared(t) if t.len() == 1));
    }
}

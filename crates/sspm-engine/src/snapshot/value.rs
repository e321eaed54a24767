//! Builds engine values straight from JSON text, interning object keys per batch.
//!
//! Equivalent to `regorus::Value::from_json_str`, but a batch of list items shares one
//! key table (keys are looked up borrowed, with a fast hash, and never allocated twice),
//! which is what makes converting 100,000-row lists cheap.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use regorus::Value;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Implements a visitor's scalar methods: each JSON scalar becomes a [`Value`], passed
/// through `$wrap` (a closure-like `|v| expr`).
macro_rules! visit_scalars {
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

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            let $v = regorus::Value::from(s);
            Ok($wrap)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            let $v = regorus::Value::Null;
            Ok($wrap)
        }
    };
}
pub(super) use visit_scalars;

/// Object keys seen so far in a batch.
#[derive(Default)]
pub(super) struct Keys {
    table: HashMap<Box<str>, Value, BuildHasherDefault<FxHasher>>,
}

impl Keys {
    fn get(&mut self, key: &str) -> Value {
        if let Some(v) = self.table.get(key) {
            return v.clone();
        }
        let v = Value::from(key);
        self.table.insert(key.into(), v.clone());
        v
    }
}

/// Parses one JSON document into a value, sharing `keys` with earlier documents.
pub(super) fn parse(text: &str, keys: &mut Keys) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed { keys }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Builds a value from a map the caller's deserializer is positioned on (an object
/// resource met during the scan).
pub(super) fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    ValueSeed {
        keys: &mut Keys::default(),
    }
    .visit_map(map)
}

struct ValueSeed<'k> {
    keys: &'k mut Keys,
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

    visit_scalars!(|v| v);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed {
            keys: &mut *self.keys,
        })? {
            items.push(item);
        }
        Ok(Value::from(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = BTreeMap::new();
        while let Some(key) = map.next_key_seed(KeySeed {
            keys: &mut *self.keys,
        })? {
            let value = map.next_value_seed(ValueSeed {
                keys: &mut *self.keys,
            })?;
            object.insert(key, value);
        }
        Ok(Value::from(object))
    }
}

struct KeySeed<'k> {
    keys: &'k mut Keys,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(self.keys.get(v))
    }
}

/// The Fx hash (as in rustc): fast and good enough for short, trusted-length keys.
#[derive(Default)]
struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.hash = (self.hash.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_regorus_parsing() {
        let text = r#"{"b":[1,-2,3.5,true,null,"s\u00e9"],"a":{"nested":{"k":"v"}},"e":{},"f":[],"big":18446744073709551615}"#;
        let mut keys = Keys::default();
        let ours = parse(text, &mut keys).unwrap();
        let theirs = Value::from_json_str(text).unwrap();
        assert_eq!(ours, theirs);
        // A second document reuses the keys.
        let again = parse(r#"{"a":1}"#, &mut keys).unwrap();
        assert_eq!(again["a"], Value::from(1));
        assert!(parse("{\"a\":", &mut keys).is_err());
    }
}

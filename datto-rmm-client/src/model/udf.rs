//! User-defined fields: `udf1`..`udf300` (30 on builds before 14.9.0), read from `Device.udf` and written with
//! `POST /v2/device/{uid}/udf`.

use std::collections::BTreeMap;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Highest UDF number on current builds.
pub const MAX_UDF_INDEX: u16 = 300;
/// Longest value Datto stores, in characters.
pub const MAX_UDF_LEN: usize = 255;

/// A UDF write the client refuses before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UdfError {
    /// The UDF number is outside 1..=300.
    #[error("UDF number {0} is outside 1..={MAX_UDF_INDEX}")]
    IndexOutOfRange(u16),
    /// The value is longer than Datto stores.
    #[error("UDF {index} value has {len} characters; Datto stores at most {MAX_UDF_LEN}")]
    TooLong {
        /// UDF number.
        index: u16,
        /// Length of the refused value, in characters.
        len: usize,
    },
}

fn parse_key(key: &str) -> Option<u16> {
    let digits = key
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case("udf"))
        .and(key.get(3..))?;
    digits
        .parse()
        .ok()
        .filter(|n| (1..=MAX_UDF_INDEX).contains(n))
}

/// The UDF values of a device, keyed by number; UDFs that are null or absent are not stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Udfs(pub BTreeMap<u16, String>);

impl Udfs {
    /// Value of UDF `index`, if set.
    pub fn get(&self, index: u16) -> Option<&str> {
        self.0.get(&index).map(String::as_str)
    }

    /// Iterates over set UDFs in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// True when no UDF is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for Udfs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Udfs;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of udfN keys")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Udfs, E> {
                Ok(Udfs::default())
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Udfs, E> {
                Ok(Udfs::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Udfs, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Udfs, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<serde_json::Value>()?;
                    let text = match value {
                        serde_json::Value::String(s) => Some(s),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        serde_json::Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    };
                    if let (Some(index), Some(text)) = (parse_key(&key), text) {
                        out.insert(index, text);
                    }
                }
                Ok(Udfs(out))
            }
        }
        d.deserialize_option(V)
    }
}

impl Serialize for Udfs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(&format!("udf{k}"), v)?;
        }
        map.end()
    }
}

/// A UDF write: only the UDFs listed are touched; an empty string clears a UDF (Datto sets it to null).
///
/// Every value is checked when added, so a built update always satisfies Datto's limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UdfUpdate(BTreeMap<u16, String>);

impl UdfUpdate {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets UDF `index` to `value` (an empty value clears it).
    pub fn set(mut self, index: u16, value: impl Into<String>) -> Result<Self, UdfError> {
        self.insert(index, value)?;
        Ok(self)
    }

    /// Clears UDF `index`.
    pub fn clear(self, index: u16) -> Result<Self, UdfError> {
        self.set(index, "")
    }

    /// Sets UDF `index` in place.
    pub fn insert(&mut self, index: u16, value: impl Into<String>) -> Result<(), UdfError> {
        if !(1..=MAX_UDF_INDEX).contains(&index) {
            return Err(UdfError::IndexOutOfRange(index));
        }
        let value = value.into();
        let len = value.chars().count();
        if len > MAX_UDF_LEN {
            return Err(UdfError::TooLong { index, len });
        }
        self.0.insert(index, value);
        Ok(())
    }

    /// Builds an update from a map of UDF number to value, checking every entry.
    pub fn from_map<I, V>(entries: I) -> Result<Self, UdfError>
    where
        I: IntoIterator<Item = (u16, V)>,
        V: Into<String>,
    {
        let mut out = Self::new();
        for (k, v) in entries {
            out.insert(k, v)?;
        }
        Ok(out)
    }

    /// True when nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The UDFs this update writes, in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }
}

impl Serialize for UdfUpdate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(&format!("udf{k}"), v)?;
        }
        map.end()
    }
}

// Reading a write body back (fixtures, the sandbox's request log) re-applies the same checks.
impl<'de> Deserialize<'de> for UdfUpdate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, Option<String>>::deserialize(d)?;
        let mut out = Self::new();
        for (key, value) in raw {
            let index = parse_key(&key)
                .ok_or_else(|| serde::de::Error::custom(format!("not a UDF key: {key}")))?;
            out.insert(index, value.unwrap_or_default())
                .map_err(serde::de::Error::custom)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_udf1_to_udf300_and_skips_nulls_and_junk_keys() {
        let u: Udfs = serde_json::from_str(
            r#"{"udf1":"a","udf2":null,"udf300":"z","udf301":"x","udfx":"y","other":"q","UDF7":7}"#,
        )
        .unwrap();
        assert_eq!(u.get(1), Some("a"));
        assert_eq!(u.get(2), None);
        assert_eq!(u.get(300), Some("z"));
        assert_eq!(u.get(7), Some("7"));
        assert_eq!(u.iter().count(), 3);
        let null: Udfs = serde_json::from_str("null").unwrap();
        assert!(null.is_empty());
    }

    #[test]
    fn update_serialises_only_touched_udfs_with_empty_clearing() {
        let u = UdfUpdate::new().set(1, "value").unwrap().clear(2).unwrap();
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            serde_json::json!({"udf1": "value", "udf2": ""})
        );
    }

    #[test]
    fn update_checks_index_and_length_in_characters() {
        assert_eq!(
            UdfUpdate::new().set(0, "x"),
            Err(UdfError::IndexOutOfRange(0))
        );
        assert_eq!(
            UdfUpdate::new().set(301, "x"),
            Err(UdfError::IndexOutOfRange(301))
        );
        assert!(UdfUpdate::new().set(300, "é".repeat(255)).is_ok());
        assert_eq!(
            UdfUpdate::new().set(5, "a".repeat(256)),
            Err(UdfError::TooLong { index: 5, len: 256 })
        );
    }
}

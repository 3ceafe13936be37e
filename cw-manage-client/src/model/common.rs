//! Pieces every Manage record shares: reference objects, `_info` metadata and custom fields.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

use psa_rmm_core::wire;

/// Read-only metadata (`_info`): `lastUpdated`, `updatedBy`, `dateEntered`, `enteredBy` and `*_href` links.
///
/// Values may be `null`, key casing is inconsistent, and hrefs carry a codebase that may not be yours:
/// read timestamps from here, never build URLs from it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Info(pub BTreeMap<String, Option<String>>);

impl Info {
    /// The value under `key`, matched case-insensitively.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            })
            .and_then(|v| v.as_deref())
    }

    /// `_info.lastUpdated`: the only change timestamp Manage exposes on most records.
    pub fn last_updated(&self) -> Option<DateTime<Utc>> {
        self.get("lastUpdated").and_then(wire::parse_datetime)
    }

    /// `_info.dateEntered`: creation time.
    pub fn date_entered(&self) -> Option<DateTime<Utc>> {
        self.get("dateEntered").and_then(wire::parse_datetime)
    }

    /// `_info.updatedBy`.
    pub fn updated_by(&self) -> Option<&str> {
        self.get("updatedBy")
    }

    /// True when there is no metadata.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

struct InfoValue(Option<String>);

impl<'de> Deserialize<'de> for InfoValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        wire::opt_string(d).map(InfoValue)
    }
}

struct InfoVisitor;

impl<'de> Visitor<'de> for InfoVisitor {
    type Value = Info;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an _info object or null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Info, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key::<String>()? {
            let InfoValue(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Info(out))
    }
    fn visit_none<E: de::Error>(self) -> Result<Info, E> {
        Ok(Info::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Info, E> {
        Ok(Info::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Info, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Info, E> {
        Ok(Info::default())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Info, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Info::default())
    }
}

impl<'de> Deserialize<'de> for Info {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(InfoVisitor)
    }
}

/// A reference to another record (`CompanyReference`, `BoardReference`, `ServiceStatusReference`, ...):
/// `{id, identifier?, name?, _info}`.
///
/// On write any one key identifies the target: `{"id": 5}`, `{"identifier": "ABC"}` or `{"name": "New"}`.
/// Extra keys some references carry (`sort`, `level`, `dailyCapacity`, currency details) are in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference<I = i64> {
    /// Target id; `None` when the server only names the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<I>,
    /// Short code (companies, members, departments, countries).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "wire::opt_string"
    )]
    pub identifier: Option<String>,
    /// Display name (boards, statuses, priorities, types).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "wire::opt_string"
    )]
    pub name: Option<String>,
    /// Metadata, never sent back.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl<I> Default for Reference<I> {
    fn default() -> Self {
        Self {
            id: None,
            identifier: None,
            name: None,
            info: Info::default(),
            extra: Map::new(),
        }
    }
}

impl<I> Reference<I> {
    /// A reference by id.
    pub fn by_id(id: I) -> Self {
        Self {
            id: Some(id),
            ..Self::default()
        }
    }

    /// A reference by name (boards, statuses, priorities, types, sources).
    pub fn by_name(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    /// A reference by identifier (companies, members).
    pub fn by_identifier(identifier: impl Into<String>) -> Self {
        Self {
            identifier: Some(identifier.into()),
            ..Self::default()
        }
    }

    /// `sort` of a status or priority reference, when present.
    pub fn sort(&self) -> Option<i64> {
        self.extra.get("sort").and_then(Value::as_i64)
    }
}

psa_rmm_core::string_enum! {
    /// Data type of a custom field.
    pub enum CustomFieldType {
        /// Multi-line text.
        TextArea = "TextArea",
        /// Button.
        Button = "Button",
        /// Money.
        Currency = "Currency",
        /// Date.
        Date = "Date",
        /// Link.
        Hyperlink = "Hyperlink",
        /// IP address.
        IpAddress = "IPAddress",
        /// Checkbox (bool).
        Checkbox = "Checkbox",
        /// Number.
        Number = "Number",
        /// Percent.
        Percent = "Percent",
        /// Phone number.
        PhoneNumber = "PhoneNumber",
        /// Text.
        Text = "Text",
        /// Password.
        Password = "Password",
    }
}

psa_rmm_core::string_enum! {
    /// How a custom field is entered.
    pub enum EntryMethod {
        /// Date picker.
        Date = "Date",
        /// Free entry.
        EntryField = "EntryField",
        /// Pick list.
        List = "List",
        /// Option.
        OptionField = "Option",
    }
}

/// A custom field value on a record (`CustomFieldValue`).
///
/// Empty fields come back without `value` or with `value: null`; real responses add undocumented keys
/// (`rowNum`, `userDefinedFieldRecId`, `podId`), kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomField {
    /// Definition id (`/system/userDefinedFields/{id}`).
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub id: Option<i64>,
    /// Label.
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub caption: Option<String>,
    /// Data type.
    #[serde(rename = "type", default)]
    pub field_type: Option<CustomFieldType>,
    /// Entry method.
    #[serde(default)]
    pub entry_method: Option<EntryMethod>,
    /// Decimals for numbers.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub number_of_decimals: Option<i64>,
    /// The value (any JSON); `None` when empty. Sent as `null` to clear.
    #[serde(default)]
    pub value: Option<Value>,
    /// Stable GUID of the definition.
    #[serde(
        default,
        alias = "connectWiseID",
        deserialize_with = "wire::opt_string"
    )]
    pub connect_wise_id: Option<String>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl CustomField {
    /// A value for the definition `id`, for a `customFields` replace.
    pub fn new(id: i64, value: impl Into<Value>) -> Self {
        Self {
            id: Some(id),
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// The value as text: strings verbatim, numbers and booleans printed, `None` when empty.
    pub fn value_text(&self) -> Option<String> {
        match self.value.as_ref()? {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

/// Finds a custom field by caption (case-insensitive).
pub fn custom_field<'a>(fields: &'a [CustomField], caption: &str) -> Option<&'a CustomField> {
    fields.iter().find(|f| {
        f.caption
            .as_deref()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case(caption.trim()))
    })
}

/// A custom field definition (`/system/userDefinedFields`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldDefinition {
    /// Id (what a [`CustomField`]'s `id` refers to).
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub id: Option<i64>,
    /// Label.
    pub caption: Option<String>,
    /// Screen (`ct300` contacts, ...).
    pub screen_id: Option<String>,
    /// Data type.
    pub field_type_identifier: Option<CustomFieldType>,
    /// Entry method.
    pub entry_type_identifier: Option<EntryMethod>,
    /// Required.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub required_flag: Option<bool>,
    /// Pick-list options.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub options: Vec<CustomFieldOption>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A pick-list option of a custom field definition.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldOption {
    /// Id.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub id: Option<i64>,
    /// Value.
    pub option_value: Option<String>,
    /// Default.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
}

/// `GET .../count` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Count {
    /// Number of records the filter selects.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub count: Option<i64>,
}

/// Turns a record into a create/PUT body: drops `null`s and `_info` at every object level (but not inside
/// arrays, where a custom field's `null` value means "clear"), top-level empty arrays, and a top-level
/// `id` of `0`.
pub(crate) fn compact_body(value: Value) -> Value {
    fn strip(map: &mut Map<String, Value>) {
        map.retain(|k, v| !v.is_null() && k != "_info");
        for v in map.values_mut() {
            if let Value::Object(inner) = v {
                strip(inner);
            }
        }
    }
    match value {
        Value::Object(mut map) => {
            strip(&mut map);
            map.retain(|_, v| !matches!(v, Value::Array(a) if a.is_empty()));
            if map.get("id").and_then(Value::as_i64) == Some(0) {
                map.remove("id");
            }
            Value::Object(map)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn info_tolerates_null_values_null_map_and_odd_casing() {
        let i: Info = serde_json::from_value(
            json!({"lastUpdated":"2015-08-21T20:22:06Z","updatedBy":null,"n":5}),
        )
        .unwrap();
        assert_eq!(i.updated_by(), None);
        assert_eq!(i.get("LASTUPDATED"), Some("2015-08-21T20:22:06Z"));
        assert_eq!(i.get("n"), Some("5"));
        assert!(i.last_updated().is_some());
        let n: Info = serde_json::from_value(Value::Null).unwrap();
        assert!(n.is_empty());
    }

    #[test]
    fn reference_writes_only_identifying_keys() {
        let r: Reference = serde_json::from_value(
            json!({"id":8,"name":"P4","sort":4,"_info":{"priority_href":"x"}}),
        )
        .unwrap();
        assert_eq!(r.sort(), Some(4));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"id":8,"name":"P4"})
        );
        let by: Reference<crate::CompanyId> = Reference::by_identifier("ABC");
        assert_eq!(
            serde_json::to_value(&by).unwrap(),
            json!({"identifier":"ABC"})
        );
    }

    #[test]
    fn compact_body_keeps_custom_field_nulls() {
        let v = compact_body(json!({
            "id": 0, "name": "x", "site": null, "_info": {},
            "company": {"id": 1, "name": null},
            "customFields": [{"id": 3, "value": null}], "types": []
        }));
        assert_eq!(
            v,
            json!({"name":"x","company":{"id":1},"customFields":[{"id":3,"value":null}]})
        );
    }

    #[test]
    fn custom_field_lookup_and_text() {
        let f: Vec<CustomField> = serde_json::from_value(json!([
            {"id":1,"caption":"Asset Tag ","value":1234},
            {"id":2,"caption":"Empty","value":null}
        ]))
        .unwrap();
        assert_eq!(
            custom_field(&f, "asset tag")
                .unwrap()
                .value_text()
                .as_deref(),
            Some("1234")
        );
        assert_eq!(custom_field(&f, "empty").unwrap().value_text(), None);
    }
}

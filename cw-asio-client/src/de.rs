//! Lenient deserialisers for the Asio wire format.
//!
//! The vendor's types drift between endpoints and versions (a string in v1, a number in v2; a string or a list;
//! `null` where a list is expected; empty strings for absent timestamps). Every helper here accepts the known
//! variants and degrades to `None`/empty instead of failing a whole page over one odd field.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

/// A list that may arrive as `null`, a single element, or an array. Elements that fail to decode are skipped.
pub(crate) fn seq<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        Some(one) => serde_json::from_value(one)
            .map(|t| vec![t])
            .unwrap_or_default(),
    })
}

/// A string that may arrive as a number or a boolean.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(value_to_string))
}

pub(crate) fn value_to_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer that may arrive as a string or a float.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A float that may arrive as a string (`clockSpeedMhz` is a string in v1, a number in v2).
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean that may arrive as `"true"`/`"false"` or `0`/`1`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => n.as_i64().map(|i| i != 0),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A timestamp: RFC 3339 with up to nine fractional digits, a zone-less date-time (taken as UTC), or a bare
/// date. Empty or unreadable strings become `None`.
pub(crate) fn opt_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| match v {
        Value::String(s) => parse_datetime(&s),
        Value::Number(n) => n
            .as_i64()
            .and_then(|secs| DateTime::from_timestamp(secs, 0)),
        _ => None,
    }))
}

/// Parses the timestamp formats the Asio API emits.
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(naive.and_utc());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "seq")]
        list: Vec<String>,
        #[serde(deserialize_with = "opt_f64")]
        speed: Option<f64>,
        #[serde(deserialize_with = "opt_datetime")]
        at: Option<DateTime<Utc>>,
        #[serde(deserialize_with = "opt_bool")]
        flag: Option<bool>,
        #[serde(deserialize_with = "opt_string")]
        text: Option<String>,
    }

    #[test]
    fn accepts_drifting_types() {
        let p: Probe = serde_json::from_str(
            r#"{"list":"one","speed":"2400.5","at":"2025-09-17T18:39:06.073347424Z","flag":"true","text":5}"#,
        )
        .unwrap();
        assert_eq!(p.list, vec!["one"]);
        assert_eq!(p.speed, Some(2400.5));
        assert_eq!(p.at.unwrap().timestamp_subsec_nanos(), 73_347_424);
        assert_eq!(p.flag, Some(true));
        assert_eq!(p.text.as_deref(), Some("5"));
    }

    #[test]
    fn null_and_empty_degrade_to_nothing() {
        let p: Probe =
            serde_json::from_str(r#"{"list":null,"speed":null,"at":"","flag":null,"text":null}"#)
                .unwrap();
        assert!(p.list.is_empty());
        assert!(p.speed.is_none() && p.at.is_none() && p.flag.is_none() && p.text.is_none());
    }

    #[test]
    fn zone_less_and_date_only_timestamps_are_utc() {
        assert_eq!(
            parse_datetime("2019-01-31T15:01:02").unwrap().to_rfc3339(),
            "2019-01-31T15:01:02+00:00"
        );
        assert_eq!(
            parse_datetime("2019-01-31").unwrap().to_rfc3339(),
            "2019-01-31T00:00:00+00:00"
        );
        assert!(parse_datetime("yesterday").is_none());
    }
}

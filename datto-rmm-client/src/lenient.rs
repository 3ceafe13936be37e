//! Lenient decoders for the places where the Datto specification and the wire disagree.
//!
//! The spec types every timestamp as an ISO date-time string, the wire sends epoch milliseconds (and
//! `ActivityLog.date` as float seconds); `warrantyDate` is `yyyy-mm-dd`; collections and booleans arrive as
//! `null`. A sync must never fail a whole page because one field has an unexpected shape, so these
//! decoders map anything they cannot read to `None` instead of an error.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// .NET `DateTime.MinValue` in epoch milliseconds: Datto sends it for "never" (DattoRMM.Core treats it as null).
const DOTNET_MIN_MS: i64 = -62_135_596_800_000;

/// Numbers below this magnitude are epoch seconds, above it epoch milliseconds (1e11 s is the year 5138,
/// 1e11 ms is 1973), so a timestamp sent in either unit decodes to the right instant.
const SECONDS_CUTOFF: f64 = 1e11;

/// Converts a JSON number or string to a UTC instant; `None` for null, "never" markers and junk.
pub fn parse_timestamp(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => n.as_f64().and_then(from_epoch_number),
        Value::String(s) => parse_timestamp_str(s),
        _ => None,
    }
}

fn from_epoch_number(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() || n as i64 == DOTNET_MIN_MS {
        return None;
    }
    let millis = if n.abs() < SECONDS_CUTOFF {
        n * 1000.0
    } else {
        n
    };
    if millis <= DOTNET_MIN_MS as f64 {
        return None;
    }
    DateTime::from_timestamp_millis(millis.round() as i64)
}

fn parse_timestamp_str(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<f64>() {
        return from_epoch_number(n);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    parse_date_str(s)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn parse_date_str(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10).unwrap_or(s);
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|fmt| NaiveDate::parse_from_str(head, fmt).ok())
}

/// Converts a JSON value to a calendar date: `yyyy-mm-dd`, an ISO date-time, or epoch milliseconds.
pub fn parse_date(value: &Value) -> Option<NaiveDate> {
    match value {
        Value::String(s) => {
            parse_date_str(s).or_else(|| parse_timestamp_str(s).map(|t| t.date_naive()))
        }
        Value::Number(_) => parse_timestamp(value).map(|t| t.date_naive()),
        _ => None,
    }
}

/// Serde adapter: an optional instant from epoch ms, epoch seconds, ISO string, or null.
pub mod timestamp {
    use super::*;

    /// Deserialises leniently; never fails on a well-formed JSON value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Ok(parse_timestamp(&Value::deserialize(d)?))
    }

    /// Serialises as epoch milliseconds, the shape the Datto wire uses.
    pub fn serialize<S: serde::Serializer>(
        v: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_i64(t.timestamp_millis()),
            None => s.serialize_none(),
        }
    }
}

/// Serde adapter: an optional calendar date from `yyyy-mm-dd`, ISO date-time, epoch ms, or null.
pub mod date {
    use super::*;

    /// Deserialises leniently; never fails on a well-formed JSON value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(parse_date(&Value::deserialize(d)?))
    }

    /// Serialises as `yyyy-mm-dd`.
    pub fn serialize<S: serde::Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }
}

/// Serde adapter: a collection where the vendor may send `null` instead of `[]`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Serde adapter: an optional string that may arrive as a number or boolean (ids typed string in the spec).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// Serde adapter: an optional integer that may arrive as a string or float.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Serde adapter: an optional float that may arrive as a string.
pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Serde adapter: an optional boolean that may arrive as `"true"`/`"false"`, 0/1, or null.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn epoch_millis_seconds_and_iso_agree() {
        let want = DateTime::from_timestamp(1_721_131_200, 0).unwrap();
        assert_eq!(parse_timestamp(&json!(1_721_131_200_000_i64)), Some(want));
        assert_eq!(parse_timestamp(&json!(1_721_131_200.0)), Some(want));
        assert_eq!(parse_timestamp(&json!("2024-07-16T12:00:00Z")), Some(want));
        assert_eq!(
            parse_timestamp(&json!("2024-07-16T12:00:00.000+00:00")),
            Some(want)
        );
        assert_eq!(parse_timestamp(&json!("2024-07-16T12:00:00")), Some(want));
        assert_eq!(parse_timestamp(&json!("1721131200000")), Some(want));
    }

    #[test]
    fn activity_log_float_seconds_keep_fraction() {
        let t = parse_timestamp(&json!(1_689_072_497.714)).unwrap();
        assert_eq!(t.timestamp_millis(), 1_689_072_497_714);
    }

    #[test]
    fn date_only_and_never_markers() {
        let d = parse_timestamp(&json!("2026-01-01")).unwrap();
        assert_eq!(d.date_naive(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(parse_timestamp(&json!(DOTNET_MIN_MS)), None);
        assert_eq!(parse_timestamp(&json!("")), None);
        assert_eq!(parse_timestamp(&json!("not a date")), None);
        assert_eq!(parse_timestamp(&json!(null)), None);
        assert_eq!(parse_timestamp(&json!(f64::MAX)), None);
        assert_eq!(parse_timestamp(&json!(i64::MIN)), None);
    }

    #[test]
    fn dates_from_every_shape() {
        let want = NaiveDate::from_ymd_opt(2026, 1, 31);
        assert_eq!(parse_date(&json!("2026-01-31")), want);
        assert_eq!(parse_date(&json!("2026-01-31T10:00:00Z")), want);
        assert_eq!(parse_date(&json!(1_769_853_600_000_i64)), want);
        assert_eq!(parse_date(&json!("31.01.2026")), None);
    }
}

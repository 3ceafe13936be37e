//! Lenient serde decoders for vendor wire formats, shared by the vendor clients.
//!
//! Vendors drift from their own schemas: numbers arrive as strings and strings as numbers, booleans as
//! `"True"`/`0`/`"yes"`, collections as `null` or as a single element, timestamps as RFC 3339, zone-less ISO,
//! bare dates, epoch seconds or milliseconds (as numbers or strings), and .NET `DateTime.MinValue` for "never".
//! A sync must not fail a whole page over one odd field, so every optional decoder here maps a value it cannot
//! read to `None` (or an empty collection) instead of an error; only the id decoders [`i64_required`] and
//! [`string_required`] fail, and only when the value is missing or unreadable.
//!
//! Use with `#[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]` (the `default` makes an
//! absent field `None`), or `#[serde(default, with = "psa_rmm_core::wire::epoch_millis")]` for a model that
//! also serialises.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::{Deserialize, DeserializeOwned, Deserializer, Error as _};
use serde_json::Value;

/// .NET `DateTime.MinValue` in epoch milliseconds: some vendors send it for "never".
const DOTNET_MIN_MS: i64 = -62_135_596_800_000;

/// Numbers below this magnitude are epoch seconds, above it epoch milliseconds (1e11 s is the year 5138,
/// 1e11 ms is 1973), so a timestamp sent in either unit decodes to the right instant.
const SECONDS_CUTOFF: f64 = 1e11;

/// A collection that may be absent or `null` (read as the default, i.e. empty).
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A list that may arrive as `null`, a single element, or an array; elements that fail to decode are skipped.
pub fn seq<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
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

/// A string that may also arrive as a number or a boolean; `null`, objects and arrays read as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(value_to_string))
}

/// The text of a scalar JSON value (string as is, number and boolean printed); `None` for anything else.
pub fn value_to_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A required string (typically an id) that may also arrive as a number or a boolean; missing, `null`, an
/// object or an array fails.
pub fn string_required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Option::<Value>::deserialize(d)?
        .and_then(value_to_string)
        .ok_or_else(|| {
            D::Error::custom("expected an id (a string or a number), found null or a structure")
        })
}

/// An integer that may arrive as a number, a numeric string or a float (truncated); anything else is `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| value_to_i64(&v)))
}

/// A required id that may be sent as a numeric string or a whole float (`12.0`); missing, unreadable,
/// fractional or out-of-range fails.
///
/// Stricter than [`opt_i64`]: truncating `12.5` or saturating `1e300` would name a different record.
pub fn i64_required<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Option::<Value>::deserialize(d)?
        .as_ref()
        .and_then(value_to_exact_i64)
        .ok_or_else(|| D::Error::custom("expected an id (an integer), found null or a non-number"))
}

/// Floats past 2^53 no longer hold every integer, so a float id beyond that may already be a neighbour's.
const EXACT_FLOAT_LIMIT: f64 = 9.0e15;

fn value_to_exact_i64(v: &Value) -> Option<i64> {
    let exact = |f: f64| (f.fract() == 0.0 && f.abs() < EXACT_FLOAT_LIMIT).then_some(f as i64);
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(exact)),
        Value::String(s) => {
            let t = s.trim();
            t.parse()
                .ok()
                .or_else(|| t.parse::<f64>().ok().and_then(exact))
        }
        _ => None,
    }
}

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        // `as` saturates, so an out-of-range float cannot panic.
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => {
            let t = s.trim();
            t.parse().ok().or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// A float that may arrive as a number or a numeric string.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean that may arrive as a JSON bool, `0`/`1`, or a case-insensitive `true`/`false`/`yes`/`no`/`1`/`0`
/// string; anything else (including `""`) is `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => n.as_f64().map(|f| f != 0.0),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// An instant in any format [`parse_timestamp`] reads; anything else is `None`.
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| parse_timestamp(&v)))
}

/// A calendar date in any format [`parse_date`] reads; anything else is `None`.
pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| parse_date(&v)))
}

/// Converts a JSON number or string to a UTC instant; `None` for null, "never" markers and junk.
///
/// Numbers are epoch seconds (fraction kept) or epoch milliseconds, told apart by magnitude; strings are read
/// by [`parse_datetime`].
pub fn parse_timestamp(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => n.as_f64().and_then(from_epoch_number),
        Value::String(s) => parse_datetime(s),
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

/// Parses a timestamp string: RFC 3339 (up to nine fractional digits, `Z` or an offset), a zone-less
/// `yyyy-mm-ddTHH:MM[:SS[.f]]` or `yyyy-mm-dd HH:MM:SS[.f]` read as UTC, the same with a `+hhmm` offset, a
/// bare `yyyy-mm-dd` or `yyyy/mm/dd` read as midnight UTC, or epoch seconds/milliseconds as text.
/// Empty or unreadable strings are `None`.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
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

/// Converts a JSON value to a calendar date: `yyyy-mm-dd`, `yyyy/mm/dd`, any timestamp [`parse_timestamp`]
/// reads (its UTC date), or `None`.
pub fn parse_date(value: &Value) -> Option<NaiveDate> {
    match value {
        Value::String(s) => parse_date_str(s).or_else(|| parse_datetime(s).map(|t| t.date_naive())),
        Value::Number(_) => parse_timestamp(value).map(|t| t.date_naive()),
        _ => None,
    }
}

/// `#[serde(with)]` adapter for an optional instant: reads like [`opt_datetime`], writes epoch milliseconds.
pub mod epoch_millis {
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    /// Deserialises leniently; never fails on a well-formed JSON value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        super::opt_datetime(d)
    }

    /// Serialises as epoch milliseconds, or `null`.
    pub fn serialize<S: Serializer>(v: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_i64(t.timestamp_millis()),
            None => s.serialize_none(),
        }
    }
}

/// `#[serde(with)]` adapter for an optional calendar date: reads like [`opt_date`], writes `yyyy-mm-dd`.
pub mod ymd_date {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Deserialises leniently; never fails on a well-formed JSON value.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        super::opt_date(d)
    }

    /// Serialises as `yyyy-mm-dd`, or `null`.
    pub fn serialize<S: Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }
}

/// Declares `i64` id newtypes, so that one kind of id cannot be passed where another is expected.
///
/// Each type is `Copy`, compares, orders and hashes by the number, prints and serialises as the bare number,
/// parses from text (trimmed) and decodes with [`wire::i64_required`](crate::wire::i64_required): a number,
/// a numeric string or a whole float; anything else fails. The crate using it must depend on `serde`.
///
/// ```
/// psa_rmm_core::int_id! {
///     /// A ticket.
///     TicketId,
/// }
/// let id: TicketId = serde_json::from_str("\"42\"").unwrap();
/// assert_eq!((id.get(), id.to_string()), (42, "42".to_owned()));
/// ```
#[macro_export]
macro_rules! int_id {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw number.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                Self(v)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::i64_required(d).map(Self)
            }
        }
    )+};
}

/// The common surface of string id newtypes `struct Name(String)`: `new`, `as_str`, `Display`,
/// `From<&str>`, `From<String>`, `AsRef<str>`, and `Deserialize` with
/// [`wire::string_required`](crate::wire::string_required), so an id a vendor sends as a JSON number reads
/// as its text. Derives, equality, hashing and `Serialize` stay with the caller (Asio compares ids
/// case-insensitively). The crate using it must depend on `serde`.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct SiteUid(String);
/// psa_rmm_core::string_id_impls!(SiteUid);
/// let uid: SiteUid = serde_json::from_str("335767").unwrap();
/// assert_eq!((uid.as_str(), uid.to_string()), ("335767", "335767".to_owned()));
/// ```
#[macro_export]
macro_rules! string_id_impls {
    ($($name:ident),+ $(,)?) => {$(
        impl $name {
            /// Wraps an id verbatim.
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The id as the vendor sent it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                Self(s)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::string_required(d).map(Self)
            }
        }
    )+};
}

#[cfg(test)]
mod tests;

use super::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    #[serde(deserialize_with = "seq")]
    list: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    v: Vec<u8>,
    #[serde(deserialize_with = "opt_f64")]
    speed: Option<f64>,
    #[serde(deserialize_with = "opt_datetime")]
    at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "opt_date")]
    day: Option<NaiveDate>,
    #[serde(deserialize_with = "opt_bool")]
    flag: Option<bool>,
    #[serde(deserialize_with = "opt_string")]
    text: Option<String>,
    #[serde(deserialize_with = "opt_i64")]
    i: Option<i64>,
}

#[derive(Deserialize)]
struct Required {
    #[serde(deserialize_with = "i64_required")]
    id: i64,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct RoundTrip {
    #[serde(default, with = "epoch_millis")]
    at: Option<DateTime<Utc>>,
    #[serde(default, with = "ymd_date")]
    day: Option<NaiveDate>,
}

fn probe(s: &str) -> Probe {
    serde_json::from_str(s).unwrap()
}

#[test]
fn accepts_drifting_types() {
    let p = probe(
        r#"{"list":"one","speed":"2400.5","at":"2025-09-17T18:39:06.073347424Z","flag":"true","text":5}"#,
    );
    assert_eq!(p.list, vec!["one"]);
    assert_eq!(p.speed, Some(2400.5));
    assert_eq!(p.at.unwrap().timestamp_subsec_nanos(), 73_347_424);
    assert_eq!(p.flag, Some(true));
    assert_eq!(p.text.as_deref(), Some("5"));
}

#[test]
fn null_and_empty_degrade_to_nothing() {
    let p = probe(
        r#"{"list":null,"v":null,"speed":null,"at":"","day":null,"flag":null,"text":null,"i":""}"#,
    );
    assert!(p.list.is_empty() && p.v.is_empty());
    assert!(p.speed.is_none() && p.at.is_none() && p.flag.is_none() && p.text.is_none());
    assert!(p.day.is_none() && p.i.is_none());
    let absent = probe("{}");
    assert!(absent.flag.is_none() && absent.i.is_none() && absent.v.is_empty());
}

#[test]
fn seq_skips_bad_elements_and_null_default_keeps_arrays() {
    assert_eq!(probe(r#"{"list":["a",{"x":1},"b"]}"#).list, vec!["a", "b"]);
    assert_eq!(probe(r#"{"v":[1,2]}"#).v, vec![1, 2]);
}

#[test]
fn booleans_in_every_spelling() {
    for (raw, want) in [
        (r#""True""#, Some(true)),
        (r#""false""#, Some(false)),
        (r#""YES""#, Some(true)),
        (r#""no""#, Some(false)),
        (r#""1""#, Some(true)),
        ("0", Some(false)),
        ("1", Some(true)),
        ("true", Some(true)),
        ("null", None),
        (r#""""#, None),
        (r#""maybe""#, None),
        ("[]", None),
        (r#"" TRUE ""#, Some(true)),
        (r#""0""#, Some(false)),
        ("2", Some(true)),
        ("0.0", Some(false)),
    ] {
        assert_eq!(probe(&format!(r#"{{"flag":{raw}}}"#)).flag, want, "{raw}");
    }
}

#[test]
fn integers_as_numbers_strings_or_floats() {
    assert_eq!(probe(r#"{"i":"26"}"#).i, Some(26));
    assert_eq!(probe(r#"{"i":" 26 "}"#).i, Some(26));
    assert_eq!(probe(r#"{"i":26}"#).i, Some(26));
    assert_eq!(probe(r#"{"i":12.0}"#).i, Some(12));
    assert_eq!(probe(r#"{"i":"12.0"}"#).i, Some(12));
    assert_eq!(probe(r#"{"i":"x"}"#).i, None);
    assert_eq!(probe(r#"{"i":{"a":1}}"#).i, None);
    assert_eq!(probe(r#"{"i":1e300}"#).i, Some(i64::MAX));
    assert_eq!(probe(r#"{"i":12.7}"#).i, Some(12));
    assert_eq!(probe(r#"{"i":"-4"}"#).i, Some(-4));
    assert_eq!(probe(r#"{"i":true}"#).i, None);
}

#[test]
fn required_integer_fails_only_when_missing_or_unreadable() {
    assert_eq!(
        serde_json::from_str::<Required>(r#"{"id":"7"}"#)
            .unwrap()
            .id,
        7
    );
    assert_eq!(
        serde_json::from_str::<Required>(r#"{"id":7}"#).unwrap().id,
        7
    );
    assert!(serde_json::from_str::<Required>(r#"{"id":null}"#).is_err());
    assert!(serde_json::from_str::<Required>(r#"{"id":""}"#).is_err());
    assert!(serde_json::from_str::<Required>(r#"{"id":"x"}"#).is_err());
    assert!(serde_json::from_str::<Required>("{}").is_err());
}

#[test]
fn required_id_is_never_truncated_or_saturated() {
    let id = |raw: &str| {
        serde_json::from_str::<Required>(&format!(r#"{{"id":{raw}}}"#))
            .ok()
            .map(|r| r.id)
    };
    assert_eq!(id("12.0"), Some(12));
    assert_eq!(id(r#"" 12.0 ""#), Some(12));
    assert_eq!(id("-3"), Some(-3));
    assert_eq!(id(&i64::MAX.to_string()), Some(i64::MAX));
    assert_eq!(id("12.5"), None);
    assert_eq!(id(r#""12.5""#), None);
    assert_eq!(id("1e300"), None);
    assert_eq!(id(&u64::MAX.to_string()), None);
    assert_eq!(id(r#""NaN""#), None);
    assert_eq!(id("true"), None);
}

#[test]
fn strings_from_scalars_only() {
    assert_eq!(probe(r#"{"text":true}"#).text.as_deref(), Some("true"));
    assert_eq!(probe(r#"{"text":1.5}"#).text.as_deref(), Some("1.5"));
    assert_eq!(probe(r#"{"text":"x"}"#).text.as_deref(), Some("x"));
    assert_eq!(probe(r#"{"text":{"a":1}}"#).text, None);
    assert_eq!(probe(r#"{"text":[1]}"#).text, None);
    assert_eq!(probe(r#"{"text":26}"#).text.as_deref(), Some("26"));
    assert_eq!(probe(r#"{"text":""}"#).text.as_deref(), Some(""));
}

/// The vendor models keep unknown keys in a flattened map, which makes serde buffer the fields first.
#[derive(Deserialize)]
struct Flattened {
    #[serde(default, deserialize_with = "opt_bool")]
    flag: Option<bool>,
    #[serde(default, deserialize_with = "opt_i64")]
    i: Option<i64>,
    #[serde(default, deserialize_with = "opt_datetime")]
    at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "opt_string")]
    text: Option<String>,
    #[serde(flatten)]
    extra: serde_json::Map<String, Value>,
}

#[test]
fn decoders_work_beside_a_flattened_map() {
    let f: Flattened = serde_json::from_str(
        r#"{"flag":"False","i":"7","at":"2019-06-13T15:27:10Z","text":3,"other":[1]}"#,
    )
    .unwrap();
    assert_eq!(f.flag, Some(false));
    assert_eq!(f.i, Some(7));
    assert_eq!(f.at.unwrap().timestamp(), 1_560_439_630);
    assert_eq!(f.text.as_deref(), Some("3"));
    assert_eq!(f.extra.get("other"), Some(&json!([1])));
    let empty: Flattened = serde_json::from_str("{}").unwrap();
    assert!(empty.flag.is_none() && empty.i.is_none() && empty.at.is_none());
}

#[test]
fn zone_less_and_date_only_timestamps_are_utc() {
    for (raw, want) in [
        ("2019-01-31T15:01:02", "2019-01-31T15:01:02+00:00"),
        ("2019-01-31 15:01:02", "2019-01-31T15:01:02+00:00"),
        ("2019-01-31T15:01", "2019-01-31T15:01:00+00:00"),
        ("2019-01-31 15:01:02+0100", "2019-01-31T14:01:02+00:00"),
        ("2019-01-31", "2019-01-31T00:00:00+00:00"),
        ("2019/01/31", "2019-01-31T00:00:00+00:00"),
        ("2019-06-13T15:27:10Z", "2019-06-13T15:27:10+00:00"),
        ("2019-06-13T17:27:10+02:00", "2019-06-13T15:27:10+00:00"),
        (" 2019-06-13T15:27:10Z ", "2019-06-13T15:27:10+00:00"),
        (
            "2019-06-13T15:27:10.1234567",
            "2019-06-13T15:27:10.123456700+00:00",
        ),
    ] {
        assert_eq!(parse_datetime(raw).unwrap().to_rfc3339(), want, "{raw}");
    }
    assert!(parse_datetime("yesterday").is_none());
    assert!(parse_datetime("  ").is_none());
}

#[test]
fn epoch_millis_seconds_and_iso_agree() {
    let want = DateTime::from_timestamp(1_721_131_200, 0).unwrap();
    assert_eq!(parse_timestamp(&json!(1_721_131_200_000_i64)), Some(want));
    assert_eq!(parse_timestamp(&json!(1_721_131_200_i64)), Some(want));
    assert_eq!(parse_timestamp(&json!(1_721_131_200.0)), Some(want));
    assert_eq!(parse_timestamp(&json!("2024-07-16T12:00:00Z")), Some(want));
    assert_eq!(
        parse_timestamp(&json!("2024-07-16T12:00:00.000+00:00")),
        Some(want)
    );
    assert_eq!(parse_timestamp(&json!("2024-07-16T12:00:00")), Some(want));
    assert_eq!(parse_timestamp(&json!("1721131200000")), Some(want));
    assert_eq!(probe(r#"{"at":1721131200}"#).at, Some(want));
}

#[test]
fn float_seconds_keep_fraction() {
    let t = parse_timestamp(&json!(1_689_072_497.714)).unwrap();
    assert_eq!(t.timestamp_millis(), 1_689_072_497_714);
}

#[test]
fn never_markers_and_junk_are_none() {
    assert_eq!(parse_timestamp(&json!(DOTNET_MIN_MS)), None);
    assert_eq!(parse_timestamp(&json!("")), None);
    assert_eq!(parse_timestamp(&json!("not a date")), None);
    assert_eq!(parse_timestamp(&json!(null)), None);
    assert_eq!(parse_timestamp(&json!(true)), None);
    assert_eq!(parse_timestamp(&json!(f64::MAX)), None);
    assert_eq!(parse_timestamp(&json!(i64::MIN)), None);
    assert_eq!(probe(r#"{"at":{"a":1}}"#).at, None);
}

#[test]
fn dates_from_every_shape() {
    let want = NaiveDate::from_ymd_opt(2026, 1, 31);
    assert_eq!(parse_date(&json!("2026-01-31")), want);
    assert_eq!(parse_date(&json!("2026/01/31")), want);
    assert_eq!(parse_date(&json!("2026-01-31T10:00:00Z")), want);
    assert_eq!(parse_date(&json!(1_769_853_600_000_i64)), want);
    assert_eq!(parse_date(&json!("31.01.2026")), None);
    assert_eq!(probe(r#"{"day":"2026-01-31"}"#).day, want);
}

#[test]
fn with_adapters_round_trip() {
    let r: RoundTrip =
        serde_json::from_str(r#"{"at":"2024-07-16T12:00:00Z","day":1769853600000}"#).unwrap();
    let out = serde_json::to_value(&r).unwrap();
    assert_eq!(
        out,
        json!({"at": 1_721_131_200_000_i64, "day": "2026-01-31"})
    );
    let back: RoundTrip = serde_json::from_value(out).unwrap();
    assert_eq!(back, r);
    let empty: RoundTrip = serde_json::from_str("{}").unwrap();
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({"at": null, "day": null})
    );
}

#[test]
fn string_ids_from_scalars_fail_on_nothing() {
    #[derive(Deserialize)]
    struct Uid {
        #[serde(deserialize_with = "string_required")]
        uid: String,
    }
    let uid = |raw: &str| {
        serde_json::from_str::<Uid>(&format!(r#"{{"uid":{raw}}}"#))
            .ok()
            .map(|u| u.uid)
    };
    assert_eq!(uid(r#""a-1""#).as_deref(), Some("a-1"));
    assert_eq!(uid("42").as_deref(), Some("42"));
    assert_eq!(uid(r#""""#).as_deref(), Some(""));
    assert_eq!(uid("null"), None);
    assert_eq!(uid("{}"), None);
    assert_eq!(uid("[1]"), None);
    assert!(serde_json::from_str::<Uid>("{}").is_err());
}

crate::int_id! {
    /// A probe id.
    ProbeId,
}

#[test]
fn int_ids_decode_strictly_and_print_bare() {
    let a: ProbeId = serde_json::from_str("250").unwrap();
    assert_eq!(serde_json::from_str::<ProbeId>(r#""250""#).unwrap(), a);
    assert_eq!(serde_json::from_str::<ProbeId>("250.0").unwrap(), a);
    assert!(serde_json::from_str::<ProbeId>("250.5").is_err());
    assert!(serde_json::from_str::<ProbeId>("null").is_err());
    assert_eq!((a.get(), a.to_string()), (250, "250".to_owned()));
    assert_eq!(serde_json::to_string(&a).unwrap(), "250");
    assert_eq!(" 7 ".parse::<ProbeId>().unwrap(), ProbeId::from(7));
    assert!("x".parse::<ProbeId>().is_err());
    assert_eq!(ProbeId::default(), ProbeId(0));
}

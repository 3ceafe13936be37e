//! Decoder properties shared by the three clients' `tests/prop_decoders.rs`, each of which includes this
//! file with `#[path = "../../test-support/json_props.rs"] mod json_props;` and names its own
//! `decode_everything` in [`decoder_properties!`].
//!
//! Inputs are arbitrary JSON trees keyed with the field names found in the including crate's
//! `tests/fixtures` (so they reach real fields, not only unknown keys) and fixtures with one node replaced
//! by such a tree.

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// Every JSON file in the including crate's `tests/fixtures`, in a stable order.
pub static FIXTURES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut out: Vec<Value> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let text = std::fs::read(&p).ok()?;
            serde_json::from_slice(&text).ok()
        })
        .collect();
    out.sort_by_key(|v| v.to_string());
    out
});

fn collect_keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                collect_keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_keys(v, out)),
        _ => {}
    }
}

/// Every object key used anywhere in the fixtures.
pub static KEYS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut keys = Vec::new();
    FIXTURES.iter().for_each(|f| collect_keys(f, &mut keys));
    keys.sort();
    keys.dedup();
    keys
});

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            "",
            " ",
            "0",
            "-1",
            "1.5",
            "true",
            "false",
            "null",
            "9223372036854775808",
            "1e400",
            "2024-02-30T25:61:00Z",
            "2024-01-01T00:00:00",
            "/Date(1700000000000)/",
            "{}",
            "[]",
            "{\"id\":1}",
        ])
        .prop_map(Value::from),
    ]
}

fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS.clone()),
        1 => any::<String>(),
    ]
}

/// A JSON tree of scalars likely to trip a lenient decoder, keyed mostly with the vendor's field names.
pub fn arb_value() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Replaces the node reached by following `path` (indices taken modulo each container's size).
fn mutate(root: &mut Value, path: &[usize], replacement: Value) {
    let child = match (root, path.split_first()) {
        (Value::Array(a), Some((&i, _))) if !a.is_empty() => {
            let n = a.len();
            &mut a[i % n]
        }
        (Value::Object(m), Some((&i, _))) if !m.is_empty() => {
            let n = m.len();
            m.values_mut().nth(i % n).unwrap()
        }
        (node, _) => {
            *node = replacement;
            return;
        }
    };
    mutate(child, &path[1..], replacement);
}

/// A fixture with one node, at any depth, replaced by [`arb_value`].
pub fn arb_mutated_fixture() -> impl Strategy<Value = Value> {
    (
        0..FIXTURES.len(),
        prop::collection::vec(any::<usize>(), 0..6),
        arb_value(),
    )
        .prop_map(|(i, path, v)| {
            let mut root = FIXTURES[i].clone();
            mutate(&mut root, &path, v);
            root
        })
}

/// `v` decoded as a `T` and as a list of `T` (list endpoints answer arrays): every record found.
pub fn records<T: DeserializeOwned>(v: &Value) -> Vec<T> {
    let mut out: Vec<T> = serde_json::from_value::<Vec<T>>(v.clone()).unwrap_or_default();
    out.extend(serde_json::from_value::<T>(v.clone()).ok());
    out
}

/// Decodes `v` as each listed type (and a list of it); the records are dropped.
macro_rules! decode_all {
    ($v:expr; $($t:ty),* $(,)?) => { $( let _ = $crate::json_props::records::<$t>($v); )* };
}
pub(crate) use decode_all;

/// The properties, for a `decode: fn(&Value) -> usize` that tries every top-level model, runs the
/// conversions on whatever decodes and returns how many records reached a conversion.
macro_rules! decoder_properties {
    ($decode:path) => {
        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

            #[test]
            fn arbitrary_json_never_panics(v in $crate::json_props::arb_value()) {
                $decode(&v);
            }

            #[test]
            fn mutated_fixtures_never_panic(v in $crate::json_props::arb_mutated_fixture()) {
                $decode(&v);
            }
        }

        #[test]
        fn the_fixture_corpus_reaches_the_converters() {
            // Guards the generators: if no fixture decoded into a convertible record, the properties above
            // would only ever exercise the error paths.
            use $crate::json_props::{FIXTURES, KEYS};
            assert!(FIXTURES.len() >= 10);
            assert!(KEYS.len() >= 50);
            let converted: usize = FIXTURES.iter().map($decode).sum();
            assert!(
                converted >= 3,
                "only {converted} fixtures reached a conversion"
            );
        }
    };
}
pub(crate) use decoder_properties;

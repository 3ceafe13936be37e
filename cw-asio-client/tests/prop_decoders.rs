//! Decoders never panic: arbitrary JSON trees (keyed with the vendor's own field names) and mutated fixtures
//! decode into every top-level wire model, or fail with an error, and whatever decodes converts to core.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use cw_asio_client::convert::{self, TicketLookups};
use cw_asio_client::model as m;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::LazyLock;

static FIXTURES: LazyLock<Vec<Value>> = LazyLock::new(|| {
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

static KEYS: LazyLock<Vec<String>> = LazyLock::new(|| {
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

fn arb_value() -> impl Strategy<Value = Value> {
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

fn arb_mutated_fixture() -> impl Strategy<Value = Value> {
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

fn records<T: DeserializeOwned>(v: &Value) -> Vec<T> {
    let mut out: Vec<T> = serde_json::from_value::<Vec<T>>(v.clone()).unwrap_or_default();
    out.extend(serde_json::from_value::<T>(v.clone()).ok());
    out
}

macro_rules! decode_all {
    ($v:expr; $($t:ty),* $(,)?) => { $( let _ = records::<$t>($v); )* };
}

/// Every top-level model, then the conversions on whatever decodes; returns how many records converted.
fn decode_everything(v: &Value) -> usize {
    decode_all!(v;
        m::CustomFieldDefinition, m::CustomFieldValue, m::EndpointListV1, m::DeviceGroup,
        m::ErrorBody, m::RateLimits, m::HeartbeatResponse, m::SystemStateInfo, m::UninstallResponse,
        m::MappingLookupResponse, m::ScheduledTask, m::TaskResults, m::TicketNote, m::TokenResponse,
    );
    let mut converted = 0;
    for c in records::<m::Company>(v) {
        converted += usize::from(convert::company(&c).is_ok());
    }
    for s in records::<m::Site>(v) {
        converted += usize::from(convert::site(&s, None).is_ok());
    }
    for e in records::<m::Endpoint>(v) {
        converted +=
            usize::from(convert::device(&e, &m::EndpointCategory::All, None, None).is_ok());
    }
    if let Ok(list) = serde_json::from_value::<m::EndpointList>(v.clone()) {
        for (category, group, e) in list.iter() {
            converted +=
                usize::from(convert::device(e, &category, group.company_id.as_ref(), None).is_ok());
        }
    }
    for d in records::<m::EndpointDetail>(v) {
        converted += usize::from(convert::device_detail(&d).is_ok());
    }
    let lookups = TicketLookups {
        boards: records::<m::ServiceBoard>(v),
        sources: records::<m::LookupItem>(v),
        statuses: records::<m::TicketStatus>(v),
        priorities: records::<m::LookupItem>(v),
    };
    let mut tickets = records::<m::Ticket>(v);
    if let Ok(page) = serde_json::from_value::<m::TicketPage>(v.clone()) {
        tickets.extend(page.tickets);
    }
    for t in &tickets {
        if let Ok(core) = convert::ticket(t, &lookups) {
            converted += 1;
            let _ = convert::new_ticket(&core, &lookups, "Default", "RMM");
            let _ = convert::ticket_patch(&core, &core, &lookups);
        }
    }
    converted
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_json_never_panics(v in arb_value()) {
        decode_everything(&v);
    }

    #[test]
    fn mutated_fixtures_never_panic(v in arb_mutated_fixture()) {
        decode_everything(&v);
    }
}

#[test]
fn the_fixture_corpus_reaches_the_converters() {
    // Guards the generators: if no fixture decoded into a convertible record, the properties above would
    // only ever exercise the error paths.
    assert!(FIXTURES.len() >= 10);
    assert!(KEYS.len() >= 50);
    let converted: usize = FIXTURES.iter().map(decode_everything).sum();
    assert!(
        converted >= 3,
        "only {converted} fixtures reached a conversion"
    );
}

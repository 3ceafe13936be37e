//! The URL-injection harness shared by the Datto and Asio `tests/prop_injection.rs` (included with
//! `#[path = "../../test-support/url_injection.rs"] mod url_injection;`): hostile id text, and an httpmock
//! server on 127.0.0.1 that records the raw request target of every API call so a property can check it
//! decodes to exactly the expected path segments.

use std::cell::Cell;
use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use proptest::prelude::*;
use serde_json::json;

/// Id text built from the pieces that could open a segment, a query or a fragment, plus any text.
///
/// Ids that `psa_rmm_core::http::path_segment` refuses (empty, `.`, `..`, control characters: the ones the
/// `url` crate would drop or rewrite) are left out; that refusal is tested in the core.
pub fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_owned()),
        Just("\\".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("%".to_owned()),
        Just("%2F".to_owned()),
        Just("%2e%2e".to_owned()),
        Just("..".to_owned()),
        Just(".".to_owned()),
        Just(" ".to_owned()),
        Just(";".to_owned()),
        Just("\u{0}".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-f0-9-]{0,8}",
    ];
    prop_oneof![
        3 => prop::collection::vec(piece, 0..8).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
    .prop_filter(
        "refused before sending (path_segment, tested in core)",
        |s| psa_rmm_core::http::path_segment(s).is_ok(),
    )
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Request targets the server saw: raw path and query.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A client of type `C` pointed at a mock server that grants a token and answers every `/api/` call `{}`.
pub struct Harness<C> {
    // Only kept alive; declared before `rt` so it is dropped while the runtime its tasks run on still exists.
    _server: MockServer,
    rt: tokio::runtime::Runtime,
    client: C,
    seen: Seen,
    /// Calls that reached the server: guards against a property that passes because every call failed.
    pub sent: Cell<usize>,
}

/// Starts the server, answering POST `token_path` with `token_body`, and builds the client with `build`
/// from the server's base URL.
pub fn harness<C>(
    token_path: &str,
    token_body: serde_json::Value,
    build: impl FnOnce(String) -> C,
) -> Harness<C> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start_async());
    let seen: Seen = Arc::default();
    server.mock(|when, then| {
        when.method(POST).path(token_path);
        then.status(200).json_body(token_body);
    });
    let record = seen.clone();
    server.mock(move |when, then| {
        when.is_true(move |req| {
            let uri = req.uri();
            let target = (uri.path().to_owned(), uri.query().map(str::to_owned));
            let is_api = target.0.starts_with("/api/");
            if is_api {
                record.lock().unwrap().push(target);
            }
            is_api
        });
        then.status(200).json_body(json!({}));
    });
    let client = build(server.base_url());
    Harness {
        _server: server,
        rt,
        client,
        seen,
        sent: Cell::new(0),
    }
}

impl<C: Clone> Harness<C> {
    /// Runs `call`, then asserts exactly one request reached the server, at exactly `want` segments with
    /// exactly `want_query`; a client-side refusal (no request) is also accepted.
    pub fn check<F, Fut, T, E>(
        &self,
        want: &[&str],
        want_query: Option<&str>,
        call: F,
    ) -> Result<(), TestCaseError>
    where
        F: FnOnce(C) -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        self.seen.lock().unwrap().clear();
        let outcome = self.rt.block_on(call(self.client.clone()));
        let seen = std::mem::take(&mut *self.seen.lock().unwrap());
        if outcome.is_err() && seen.is_empty() {
            return Ok(());
        }
        self.sent.set(self.sent.get() + 1);
        prop_assert_eq!(seen.len(), 1, "requests: {:?}", seen);
        let (path, query) = &seen[0];
        prop_assert_eq!(query.as_deref(), want_query, "query of {:?}", path);
        let segments: Vec<Option<String>> = path
            .strip_prefix('/')
            .unwrap()
            .split('/')
            .map(percent_decode)
            .collect();
        let want: Vec<Option<String>> = want.iter().map(|s| Some((*s).to_owned())).collect();
        prop_assert_eq!(segments, want, "raw path {:?}", path);
        Ok(())
    }
}

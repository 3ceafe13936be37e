//! Injection properties of the Asio client's URLs: an id of any text stays one path segment.
//!
//! Requests go to httpmock on 127.0.0.1, which records the raw request target; each one must decode to
//! exactly the expected segments (the uid among them, byte for byte), with no query or fragment added.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::sync::{Arc, Mutex};

use cw_asio_client::Client;
use cw_asio_client::model::{CompanyId, EndpointId, TicketId};
use httpmock::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

/// Path text built from the pieces that could open a segment, a query or a fragment, plus any text.
///
/// Left out, because the client does not handle them yet (reported, not fixed here: the URL builder is the
/// asio helper's code): `url::PathSegmentsMut` silently drops a segment that is `"."` or `".."`, and the
/// URL parser removes ASCII tab, CR and LF from a segment, so `".\n."` becomes `".."` and pops the
/// previous segment, and `"a\rb"` addresses record `ab`.
fn nasty() -> impl Strategy<Value = String> {
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
        |s| !url_rewrites(s) && psa_rmm_core::http::path_segment(s).is_ok(),
    )
}

/// Segments the `url` crate rewrites instead of encoding (see [`nasty`]).
fn url_rewrites(s: &str) -> bool {
    let stripped: String = s
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    stripped != s || matches!(s, "." | "..")
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

struct Harness {
    rt: tokio::runtime::Runtime,
    server: MockServer,
    client: Client,
    seen: Seen,
    /// Calls that reached the server: guards against a property that passes because every call failed.
    sent: std::cell::Cell<usize>,
}

fn harness() -> Harness {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start_async());
    let seen: Seen = Arc::default();
    server.mock(|when, then| {
        when.method(POST).path("/v1/token");
        then.status(200).json_body(json!({
            "access_token": "tok", "token_type": "Bearer", "expires_in": 3599, "scope": "platform"
        }));
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
    let client = Client::builder()
        .base_url(server.base_url())
        .client_id("id")
        .client_secret("secret")
        .scopes("platform")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    Harness {
        rt,
        server,
        client,
        seen,
        sent: std::cell::Cell::new(0),
    }
}

impl Harness {
    /// Runs `call`, then asserts exactly one request reached the server, at exactly `want` segments with
    /// exactly `want_query`; a client-side refusal (no request) is also accepted.
    fn check<F, Fut, T, E>(
        &self,
        want: &[&str],
        want_query: Option<&str>,
        call: F,
    ) -> Result<(), TestCaseError>
    where
        F: FnOnce(Client) -> Fut,
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

const COMPANIES: [&str; 5] = ["api", "platform", "v1", "company", "companies"];
const ENDPOINTS_V1: [&str; 5] = ["api", "platform", "v1", "device", "endpoints"];
const MANAGED_V2: [&str; 4] = ["api", "platform", "v2", "managed-endpoints"];
const TICKETS_V1: [&str; 6] = ["api", "platform", "v1", "service", "ticketing", "tickets"];

fn path<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    prefix.iter().chain(rest).copied().collect()
}

#[test]
fn ids_stay_one_path_segment() {
    let h = harness();
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&nasty(), |id| {
            let i = id.clone();
            h.check(&path(&COMPANIES, &[&id]), None, |c| async move {
                c.companies().get(&CompanyId::new(i)).await
            })?;
            let i = id.clone();
            h.check(
                &path(&COMPANIES, &[&id, "sites"]),
                Some("limit=500"),
                |c| async move {
                    futures::TryStreamExt::try_collect::<Vec<_>>(
                        c.sites().of_company(&CompanyId::new(i))?.stream(),
                    )
                    .await
                },
            )?;
            let i = id.clone();
            h.check(&path(&ENDPOINTS_V1, &[&id]), None, |c| async move {
                c.devices().detail_v1(&EndpointId::new(i)).await
            })?;
            let i = id.clone();
            h.check(
                &path(&MANAGED_V2, &[&id, "device-groups"]),
                None,
                |c| async move { c.device_groups().of_endpoint(&EndpointId::new(i)).await },
            )?;
            let i = id.clone();
            h.check(&path(&TICKETS_V1, &[&id, "notes"]), None, |c| async move {
                c.tickets().notes(&TicketId::new(i)).await
            })?;
            Ok(())
        })
        .unwrap();
    // 96 cases of 5 calls; only the UDF write may be refused before sending (values over 255 characters).
    assert!(
        h.sent.get() >= 400,
        "only {} calls reached the server",
        h.sent.get()
    );
    drop(h.server);
}

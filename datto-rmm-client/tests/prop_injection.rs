//! Injection properties of the Datto client's URLs: a uid of any text stays one path segment.
//!
//! Requests go to httpmock on 127.0.0.1, which records the raw request target; each one must decode to
//! exactly the expected segments (the uid among them, byte for byte), with no query or fragment added.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::sync::{Arc, Mutex};

use datto_rmm_client::budget::op;
use datto_rmm_client::{AlertUid, Budget, Client, SiteUid};
use httpmock::prelude::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

/// Path text built from the pieces that could open a segment, a query or a fragment, plus any text.
///
/// Left out, because the client does not handle them yet (reported, not fixed here: the URL builder is the
/// datto helper's code): `url::PathSegmentsMut` silently drops a segment that is `"."` or `".."`, and the
/// URL parser removes ASCII tab, CR and LF from a segment, so `".\n."` becomes `".."` and pops the
/// previous segment (`device(".\n.").set_udf(..)` posts to `/api/v2//udf`), and `"a\rb"` addresses
/// device `ab`.
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
        when.method(POST).path("/auth/oauth/token");
        then.status(200)
            .json_body(json!({"access_token": "tok", "expires_in": 360000}));
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
    let fast = Budget::per_minute(600_000);
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key("KEY")
        .api_secret("SECRET")
        .allow_insecure_http(true)
        .read_budget(fast)
        .write_budget(fast)
        .operation_budget(op::DEVICE_MOVE, fast)
        .udf_budget(fast)
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
    /// Runs `call`, then asserts exactly one request reached the server, at exactly `want` segments with no
    /// query; a client-side refusal (no request) is also accepted.
    fn check<F, Fut, T, E>(&self, want: &[&str], call: F) -> Result<(), TestCaseError>
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
        prop_assert_eq!(query, &None, "a query was added: {:?}", path);
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

#[test]
fn uids_stay_one_path_segment() {
    let h = harness();
    let mut runner = TestRunner::new(Config::with_cases(96));
    runner
        .run(&(nasty(), nasty()), |(uid, other)| {
            let (u, o) = (uid.clone(), other.clone());
            h.check(&["api", "v2", "device", &uid], |c| async move {
                c.device(u.as_str()).get().await
            })?;
            let u = uid.clone();
            h.check(&["api", "v2", "site", &uid, "settings"], |c| async move {
                c.site(u.as_str()).settings().await
            })?;
            let u = uid.clone();
            h.check(&["api", "v2", "alert", &uid], |c| async move {
                c.alerts().get(&AlertUid::new(u.as_str())).await
            })?;
            let u = uid.clone();
            h.check(&["api", "v2", "device", &uid, "udf"], |c| async move {
                c.device(u.as_str()).set_udf(1, o.as_str()).await
            })?;
            let (u, o) = (uid.clone(), other.clone());
            h.check(
                &["api", "v2", "device", &uid, "site", &other],
                |c| async move {
                    c.device(u.as_str())
                        .move_to_site(&SiteUid::new(o.as_str()))
                        .await
                },
            )?;
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

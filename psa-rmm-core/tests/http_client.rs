//! HttpCore against httpmock: retries, Retry-After, account pause, rate limits, token renewal, typed errors.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use httpmock::prelude::*;
use psa_rmm_core::http::{
    Auth, ExposeSecret, HttpCore, HttpError, RateLimiter, Request, RetryPolicy, SecretString,
    Token, TokenCache, TokenSource,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(5),
        max_retry_after: Duration::from_millis(20),
        retry_500: false,
    }
}

fn core_with(server: &MockServer, policy: RetryPolicy) -> HttpCore {
    HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn core(server: &MockServer) -> HttpCore {
    core_with(server, fast_policy())
}

fn get(core: &HttpCore, path: &'static str) -> Request {
    Request::get(path, core.endpoint(path).unwrap())
}

#[tokio::test]
async fn retries_429_then_succeeds_honouring_capped_retry_after() {
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.method(GET).path("/things");
            then.status(429)
                .header("Retry-After", "1")
                .body(r#"{"error":"TooManyRequests"}"#);
        })
        .await;
    busy.up_to_n_times_async(1).await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/things");
            then.status(200).json_body(serde_json::json!([1, 2]));
        })
        .await;
    let core = core(&server);
    let start = Instant::now();
    let items: Vec<u32> = core.send_json(get(&core, "/things")).await.unwrap();
    assert_eq!(items, [1, 2]);
    assert_eq!(busy.calls_async().await, 1);
    assert_eq!(ok.calls_async().await, 1);
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(20),
        "Retry-After capped to 20 ms still waited: {waited:?}"
    );
    assert!(
        waited < Duration::from_millis(900),
        "Retry-After 1 s was capped: {waited:?}"
    );
}

#[tokio::test]
async fn not_found_is_tried_once_and_typed() {
    let server = MockServer::start_async().await;
    let missing = server
        .mock_async(|when, then| {
            when.method(GET).path("/company/companies/7");
            then.status(404)
                .header("x-request-id", "srv-404")
                .body(r#"{"code":"NotFound","message":"Company 7 not found"}"#);
        })
        .await;
    let core = core(&server);
    let url = core.endpoint("/company/companies/7").unwrap();
    let err = core
        .send(Request::get("/company/companies/{id}", url))
        .await
        .unwrap_err();
    assert_eq!(missing.calls_async().await, 1);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(!err.is_retryable());
    assert_eq!(err.request_id(), Some("srv-404"));
    let api = err.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("NotFound"));
    assert_eq!(api.message.as_deref(), Some("Company 7 not found"));
    assert_eq!(api.path, "/company/companies/{id}");
    assert!(err.to_string().contains("404"), "{err}");
}

#[tokio::test]
async fn never_retried_statuses_are_sent_once() {
    for status in [400u16, 401, 403, 409, 422, 500] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.path("/x");
                then.status(status);
            })
            .await;
        let core = core(&server);
        let err = core.send(get(&core, "/x")).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(mock.calls_async().await, 1, "status {status}");
    }
}

#[tokio::test]
async fn retry_500_only_when_the_policy_says_so() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(500);
        })
        .await;
    let core = core_with(
        &server,
        RetryPolicy {
            retry_500: true,
            ..fast_policy()
        },
    );
    let err = core.send(get(&core, "/x")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(mock.calls_async().await, 4);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(503)
                .body("<html><body>Service Unavailable</body></html>");
        })
        .await;
    let core = core(&server);
    let err = core.send(get(&core, "/x")).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 4);
    assert!(err.is_retryable());
    assert!(
        err.as_api()
            .unwrap()
            .body_snippet
            .contains("Service Unavailable")
    );
}

#[tokio::test]
async fn post_is_not_retried_after_503_unless_marked_idempotent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/tickets");
            then.status(503);
        })
        .await;
    let core = core(&server);
    let post = || {
        Request::post("/tickets", core.endpoint("/tickets").unwrap())
            .json(&serde_json::json!({"summary": "x"}))
            .unwrap()
    };
    let err = core.send(post()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        mock.calls_async().await,
        1,
        "POST reached the server: not repeated"
    );
    core.send(post().idempotent(true)).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 4, "opted in: retried");
    let patch = Request::patch("/tickets", core.endpoint("/tickets").unwrap());
    core.send(patch).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1 + 4 + 1, "PATCH not repeated");
}

/// A port with nothing listening, then, after `delay`, a one-shot HTTP server answering 201.
async fn late_server(delay: Duration) -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let handle = tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") || !request.ends_with(b"}") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        socket
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
            .await
            .unwrap();
        socket.shutdown().await.unwrap();
        request
    });
    (port, handle)
}

#[tokio::test]
async fn post_is_retried_after_connection_refused() {
    let (port, server) = late_server(Duration::from_millis(60)).await;
    let policy = RetryPolicy {
        max_attempts: 50,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        ..fast_policy()
    };
    let base = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let core = HttpCore::builder(base)
        .allow_insecure_http(true)
        .retry_policy(policy)
        .build()
        .unwrap();
    let req = Request::post("/tickets", core.endpoint("/tickets").unwrap())
        .json(&serde_json::json!({"a": 1}))
        .unwrap();
    let resp = core.send(req).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let seen = String::from_utf8(server.await.unwrap()).unwrap();
    assert!(seen.starts_with("POST /tickets"), "{seen}");
    assert!(
        seen.to_ascii_lowercase().contains("x-request-id: "),
        "{seen}"
    );
}

#[tokio::test]
async fn connection_refused_without_a_server_is_a_retryable_transport_error() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let base = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let core = HttpCore::builder(base)
        .allow_insecure_http(true)
        .retry_policy(fast_policy())
        .build()
        .unwrap();
    let err = core.send(get(&core, "/x")).await.unwrap_err();
    assert!(matches!(err, HttpError::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn timeouts_are_typed_and_retried_for_get() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.path("/slow");
            then.status(200).delay(Duration::from_millis(300));
        })
        .await;
    let core = core_with(
        &server,
        RetryPolicy {
            max_attempts: 2,
            ..fast_policy()
        },
    );
    let err = core
        .send(get(&core, "/slow").timeout(Duration::from_millis(50)))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Timeout { .. }), "{err:?}");
    assert_eq!(slow.calls_async().await, 2);
}

#[tokio::test]
async fn retry_after_http_date_is_parsed_into_the_error() {
    let server = MockServer::start_async().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(429).header("Retry-After", date.as_str());
        })
        .await;
    let core = core_with(&server, RetryPolicy::no_retry());
    let err = core.send(get(&core, "/x")).await.unwrap_err();
    let after = err.retry_after().unwrap();
    assert!(
        after > Duration::from_secs(1) && after <= Duration::from_secs(3),
        "{after:?}"
    );
}

#[tokio::test]
async fn a_429_pauses_every_request_of_the_account() {
    let server = MockServer::start_async().await;
    let busy = server
        .mock_async(|when, then| {
            when.path("/a");
            then.status(429).header("Retry-After", "1");
        })
        .await;
    busy.up_to_n_times_async(1).await;
    server
        .mock_async(|when, then| {
            when.path("/a");
            then.status(200);
        })
        .await;
    let other = server
        .mock_async(|when, then| {
            when.path("/b");
            then.status(200);
        })
        .await;
    let pause = Duration::from_millis(250);
    let core = core_with(
        &server,
        RetryPolicy {
            max_retry_after: pause,
            ..fast_policy()
        },
    );
    let clone = core.clone();
    let start = Instant::now();
    let first = tokio::spawn({
        let core = core.clone();
        async move { core.send(get(&core, "/a")).await.map(|r| r.status()) }
    });
    tokio::time::sleep(Duration::from_millis(60)).await;
    clone.send(get(&clone, "/b")).await.unwrap();
    let b_done = start.elapsed();
    assert!(first.await.unwrap().unwrap().is_success());
    assert_eq!(other.calls_async().await, 1);
    assert!(
        b_done >= Duration::from_millis(230),
        "the clone waited for the account pause: {b_done:?}"
    );
}

#[tokio::test]
async fn rate_limiters_pace_requests() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(200);
        })
        .await;
    let account = RateLimiter::new(2, Duration::from_millis(200));
    let core = HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .rate_limiter(account.clone())
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..4 {
        core.clone().send(get(&core, "/x")).await.unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_millis(180),
        "2 burst + 2 paced at 100 ms: {:?}",
        start.elapsed()
    );
    assert!(!account.try_acquire(), "the core spent the shared budget");

    let unlimited = core_with(&server, fast_policy());
    let writes = RateLimiter::new(1, Duration::from_millis(150));
    let start = Instant::now();
    for _ in 0..2 {
        unlimited
            .send(get(&unlimited, "/x").limiter(writes.clone()))
            .await
            .unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_millis(130),
        "per-request limiter: {:?}",
        start.elapsed()
    );
}

struct CountingTokens {
    fetches: AtomicUsize,
    invalidations: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenSource for CountingTokens {
    async fn fetch(&self) -> Result<SecretString, HttpError> {
        let n = self.invalidations.load(Ordering::SeqCst) + 1;
        self.fetches.fetch_add(1, Ordering::SeqCst);
        Ok(SecretString::from(format!("tok-{n}")))
    }
    async fn invalidate(&self) {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
    }
}

fn tokens() -> Arc<CountingTokens> {
    Arc::new(CountingTokens {
        fetches: AtomicUsize::new(0),
        invalidations: AtomicUsize::new(0),
    })
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_resends_once() {
    let server = MockServer::start_async().await;
    let stale = server
        .mock_async(|when, then| {
            when.path("/v2/account")
                .header("authorization", "Bearer tok-1");
            then.status(401).body("Request can not be authorized.");
        })
        .await;
    let fresh = server
        .mock_async(|when, then| {
            when.path("/v2/account")
                .header("authorization", "Bearer tok-2");
            then.status(200).json_body(serde_json::json!({"uid": "a1"}));
        })
        .await;
    let source = tokens();
    let core = core(&server);
    let resp = core
        .send(get(&core, "/v2/account").auth(Auth::Bearer(source.clone())))
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        (stale.calls_async().await, fresh.calls_async().await),
        (1, 1)
    );
    assert_eq!(source.invalidations.load(Ordering::SeqCst), 1);
    assert_eq!(source.fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_401_after_renewal_is_returned_not_looped() {
    let server = MockServer::start_async().await;
    let refused = server
        .mock_async(|when, then| {
            when.path("/v2/account");
            then.status(401);
        })
        .await;
    let source = tokens();
    let core = core(&server);
    let err = core
        .send(get(&core, "/v2/account").auth(Auth::Bearer(source.clone())))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(refused.calls_async().await, 2);
    assert_eq!(source.invalidations.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn basic_auth_default_headers_and_request_id_are_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            // base64("acme+pub:priv")
            when.path("/system/info")
                .header("authorization", "Basic YWNtZStwdWI6cHJpdg==")
                .header("clientid", "client-123")
                .header(
                    "accept",
                    "application/vnd.connectwise.com+json; version=2025.1",
                )
                .header_exists("x-request-id")
                .header_exists("user-agent");
            then.status(200)
                .json_body(serde_json::json!({"version": "v2025.1"}));
        })
        .await;
    let core = HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .default_header("clientid".parse().unwrap(), "client-123".parse().unwrap())
        .default_header(
            reqwest::header::ACCEPT,
            "application/vnd.connectwise.com+json; version=2025.1"
                .parse()
                .unwrap(),
        )
        .build()
        .unwrap();
    let resp = core
        .send(
            get(&core, "/system/info")
                .auth(Auth::Basic("acme+pub".into(), SecretString::from("priv"))),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(
        uuid::Uuid::parse_str(resp.request_id()).is_ok(),
        "our X-Request-ID: {}",
        resp.request_id()
    );
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Listing {
    items: Vec<Item>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Item {
    id: u64,
    name: String,
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/wrong");
            then.status(200)
                .body(r#"{"items":[{"id":1,"name":"a"},{"id":"two","name":"b"}]}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/cut");
            then.status(200)
                .body(r#"{"items":[{"id":1,"name":"a"},{"id":2,"na"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/trailing");
            then.status(200).body(r#"{"items":[]} {"#);
        })
        .await;
    let core = core(&server);
    let err = core
        .send_json::<Listing>(get(&core, "/wrong"))
        .await
        .unwrap_err();
    let HttpError::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.json_path, "items[1].id");
    assert!(decode.body_snippet.contains("two"));
    assert!(err.to_string().contains("items[1].id"), "{err}");

    let err = core
        .send_json::<Listing>(get(&core, "/cut"))
        .await
        .unwrap_err();
    let HttpError::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert!(
        decode.json_path.starts_with("items[1]"),
        "{}",
        decode.json_path
    );
    assert!(decode.message.contains("EOF"), "{}", decode.message);

    let err = core
        .send_json::<Listing>(get(&core, "/trailing"))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn html_empty_and_huge_error_bodies_are_typed_api_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/html");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><h1>502 Bad Gateway</h1></html>");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/empty");
            then.status(403);
        })
        .await;
    let huge = "x".repeat(10_000);
    server
        .mock_async(|when, then| {
            when.path("/huge");
            then.status(400).body(huge.as_str());
        })
        .await;
    let core = core_with(&server, RetryPolicy::no_retry());
    let err = core.send(get(&core, "/html")).await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!((api.code.as_deref(), api.message.as_deref()), (None, None));
    assert!(api.body_snippet.contains("502 Bad Gateway"));

    let err = core.send(get(&core, "/empty")).await.unwrap_err();
    assert_eq!(err.as_api().unwrap().status.as_u16(), 403);
    assert_eq!(err.as_api().unwrap().body_snippet, "");

    let err = core.send(get(&core, "/huge")).await.unwrap_err();
    assert!(err.as_api().unwrap().body_snippet.len() <= 2048 + 3);
}

#[tokio::test]
async fn plain_http_is_refused_by_default() {
    let refused = HttpCore::builder(Url::parse("http://api.example.com").unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(refused, HttpError::InvalidRequest(_)));
    assert!(
        HttpCore::builder(Url::parse("ftp://x").unwrap())
            .allow_insecure_http(true)
            .build()
            .is_err()
    );
    let core = HttpCore::builder(Url::parse("https://api.example.com/api").unwrap())
        .build()
        .unwrap();
    assert_eq!(
        core.endpoint("/v2/account").unwrap().as_str(),
        "https://api.example.com/api/v2/account"
    );
    let downgrade = Request::get("/x", Url::parse("http://api.example.com/x").unwrap());
    assert!(matches!(
        core.send(downgrade).await,
        Err(HttpError::InvalidRequest(_))
    ));
}

/// A TokenSource as the OAuth clients build it: a TokenCache over a counted token endpoint.
struct CachedTokens {
    cache: TokenCache,
    fetches: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenSource for CachedTokens {
    async fn fetch(&self) -> Result<SecretString, HttpError> {
        let token = self
            .cache
            .get_or_refresh(|| async {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
                Ok::<_, HttpError>(Token::new(
                    SecretString::from(format!("tok-{n}")),
                    Duration::from_secs(3600),
                ))
            })
            .await?;
        Ok(token.access)
    }
    async fn invalidate(&self) {
        self.cache.invalidate().await;
    }
    async fn invalidate_token(&self, stale: &SecretString) {
        self.cache.invalidate_if(stale).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_401s_renew_the_token_once() {
    let server = MockServer::start_async().await;
    let stale = server
        .mock_async(|when, then| {
            when.path("/v2/account")
                .header("authorization", "Bearer tok-1");
            then.status(401).delay(Duration::from_millis(20));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v2/account")
                .header("authorization", "Bearer tok-2");
            then.status(200);
        })
        .await;
    let source = Arc::new(CachedTokens {
        cache: TokenCache::default(),
        fetches: AtomicUsize::new(0),
    });
    let core = core(&server);
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let (core, source) = (core.clone(), source.clone());
            tokio::spawn(async move {
                let req = get(&core, "/v2/account").auth(Auth::Bearer(source));
                core.send(req).await.map(|r| r.status().as_u16())
            })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 200);
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        2,
        "one initial fetch, one renewal"
    );
    assert_eq!(source.fetch().await.unwrap().expose_secret(), "tok-2");
    assert!(stale.calls_async().await <= 10);
}

#[tokio::test]
async fn a_request_can_override_the_retry_policy() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(503);
        })
        .await;
    let core = core(&server);
    core.send(get(&core, "/x").retry_policy(RetryPolicy::no_retry()))
        .await
        .unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn an_explicit_pause_holds_every_clone() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/x");
            then.status(200);
        })
        .await;
    let core = core(&server);
    let start = Instant::now();
    core.pause(Duration::from_millis(120));
    core.pause(Duration::from_millis(10)); // a shorter pause does not cut the longer one
    let clone = core.clone();
    clone.send(get(&clone, "/x")).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(110),
        "{:?}",
        start.elapsed()
    );
    core.pause(Duration::MAX); // no overflow panic
}

/// A server whose every answer promises 100 bytes and sends 10 before hanging up; counts connections.
async fn lying_server() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"items\":[")
                .await;
            let _ = socket.shutdown().await;
        }
    });
    (port, connections)
}

#[tokio::test]
async fn a_body_cut_short_by_the_connection_is_a_typed_transport_error() {
    let (port, connections) = lying_server().await;
    let base = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let core = HttpCore::builder(base)
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            ..fast_policy()
        })
        .build()
        .unwrap();
    let err = core.send(get(&core, "/page")).await.unwrap_err();
    assert!(matches!(err, HttpError::Transport { .. }), "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        3,
        "GET retried after a broken body"
    );
    let post = Request::post("/page", core.endpoint("/page").unwrap())
        .json(&1)
        .unwrap();
    assert!(core.send(post).await.is_err());
    assert_eq!(
        connections.load(Ordering::SeqCst),
        4,
        "POST reached the server: not repeated"
    );
}

#[tokio::test]
async fn bodies_past_the_limit_are_refused_not_buffered() {
    let server = MockServer::start_async().await;
    let big = "y".repeat(5000);
    server
        .mock_async(|when, then| {
            when.path("/big");
            then.status(200).body(big.as_str());
        })
        .await;
    let core = HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .max_body_bytes(4096)
        .build()
        .unwrap();
    let err = core.send(get(&core, "/big")).await.unwrap_err();
    assert!(
        matches!(err, HttpError::BodyTooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    let roomy = core_with(&server, fast_policy());
    assert_eq!(
        roomy.send(get(&roomy, "/big")).await.unwrap().body().len(),
        5000
    );
}

#[tokio::test]
async fn a_read_whose_json_broke_off_is_read_again_and_a_write_is_not() {
    let server = MockServer::start_async().await;
    let cut = server
        .mock_async(|when, then| {
            when.path("/things");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"[{"id": 1}, {"id"#);
        })
        .await;
    cut.up_to_n_times_async(1).await;
    let whole = server
        .mock_async(|when, then| {
            when.method(GET).path("/things");
            then.status(200)
                .json_body(serde_json::json!([{"id": 1}, {"id": 2}]));
        })
        .await;
    let core = core(&server);
    let items: Vec<serde_json::Value> = core.send_json(get(&core, "/things")).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!((cut.calls_async().await, whole.calls_async().await), (1, 1));

    // The POST's answer broke off too, but the write may have happened: one call, a typed error.
    cut.delete_async().await;
    whole.delete_async().await;
    let cut = server
        .mock_async(|when, then| {
            when.path("/things");
            then.status(200).body(r#"{"id": 3, "name": "#);
        })
        .await;
    let post = Request::post("/things", core.endpoint("/things").unwrap())
        .json(&serde_json::json!({"name": "x"}))
        .unwrap();
    let err = core.send_json::<serde_json::Value>(post).await.unwrap_err();
    assert!(err.is_cut_short(), "{err}");
    assert_eq!(
        cut.calls_async().await,
        1,
        "a write is never repeated blind"
    );

    // A complete body of the wrong shape is not a cut: decoded once, typed, not retried.
    let wrong = server
        .mock_async(|when, then| {
            when.method(GET).path("/wrong");
            then.status(200).body(r#"{"id": "#.to_owned() + "\"x\"}");
        })
        .await;
    let err = core
        .send_json::<Vec<u32>>(get(&core, "/wrong"))
        .await
        .unwrap_err();
    assert!(!err.is_cut_short(), "{err}");
    assert_eq!(wrong.calls_async().await, 1);

    // An empty 200 never started a document: the wrong shape, decoded once, not a cut.
    let empty = server
        .mock_async(|when, then| {
            when.method(GET).path("/empty");
            then.status(200);
        })
        .await;
    let err = core
        .send_json::<Vec<u32>>(get(&core, "/empty"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, HttpError::Decode(_)) && !err.is_cut_short(),
        "{err}"
    );
    assert_eq!(empty.calls_async().await, 1);
}

#[tokio::test]
async fn a_read_that_always_breaks_off_ends_in_a_typed_decode_error() {
    let server = MockServer::start_async().await;
    let cut = server
        .mock_async(|when, then| {
            when.path("/things");
            then.status(200).body("[1, 2,");
        })
        .await;
    let core = core(&server);
    let err = core.send(get(&core, "/things")).await.unwrap_err();
    assert!(err.is_cut_short(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(cut.calls_async().await, 4, "every attempt of the policy");
}

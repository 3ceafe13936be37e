//! Secrets never show: not in Debug, Display, error chains, nor in tracing output at TRACE.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::error::Error as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::prelude::*;
use psa_rmm_core::http::{
    Auth, HttpCore, HttpError, Request, RetryPolicy, SecretString, Token, TokenCache, TokenSource,
};
use url::Url;

const PRIVATE_KEY: &str = "PRIVKEY-7f3a9c-secret";
const BEARER: &str = "BEARER-eyJhbGciOi-secret";
const PASSWORD: &str = "PASSWORD-ab12cd34";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct FixedToken;

#[async_trait::async_trait]
impl TokenSource for FixedToken {
    async fn fetch(&self) -> Result<SecretString, HttpError> {
        Ok(SecretString::from(BEARER))
    }
    async fn invalidate(&self) {}
}

fn assert_clean(what: &str, text: &str) {
    for secret in [PRIVATE_KEY, BEARER, PASSWORD] {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}

fn assert_error_clean(err: &HttpError) {
    assert_clean("Display", &err.to_string());
    assert_clean("Debug", &format!("{err:?}"));
    let mut source = err.source();
    while let Some(inner) = source {
        assert_clean("source Display", &inner.to_string());
        assert_clean("source Debug", &format!("{inner:?}"));
        source = inner.source();
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_display_errors_and_traces() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    // The server echoes credentials back in its error bodies, as some do.
    let echo = format!(
        r#"{{"code":"Unauthorized","message":"bad key {PRIVATE_KEY}","token":"{BEARER}","detail":"Authorization: Basic {PRIVATE_KEY}"}}"#
    );
    server
        .mock_async(|when, then| {
            when.path("/basic");
            then.status(400).body(echo.as_str());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/bearer");
            then.status(503)
                .body(format!("upstream rejected Bearer {BEARER}").as_str());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/decode");
            then.status(200)
                .body(format!(r#"{{"password":"{PASSWORD}","n":"x"}}"#).as_str());
        })
        .await;

    let policy = RetryPolicy {
        max_attempts: 2,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    let core = HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .retry_policy(policy.clone())
        .redact(&SecretString::from(PASSWORD))
        .build()
        .unwrap();
    let basic = Auth::Basic("acme+pub".into(), SecretString::from(PRIVATE_KEY));
    let bearer = Auth::Bearer(Arc::new(FixedToken));

    let err = core
        .send(Request::get("/basic", core.endpoint("/basic").unwrap()).auth(basic.clone()))
        .await
        .unwrap_err();
    assert_error_clean(&err);
    let api = err.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("Unauthorized"));
    assert!(
        api.message.as_deref().unwrap().starts_with("bad key "),
        "{api:?}"
    );
    assert!(api.body_snippet.contains("[REDACTED]"));

    let err = core
        .send(Request::get("/bearer", core.endpoint("/bearer").unwrap()).auth(bearer.clone()))
        .await
        .unwrap_err();
    assert_error_clean(&err);

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Numbers {
        n: u32,
    }
    let err = core
        .send_json::<Numbers>(Request::get("/decode", core.endpoint("/decode").unwrap()))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Decode(_)));
    assert_error_clean(&err);

    // A secret in the URL of a request that fails in transport.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let dead = HttpCore::builder(Url::parse(&format!("http://127.0.0.1:{port}")).unwrap())
        .allow_insecure_http(true)
        .retry_policy(policy)
        .build()
        .unwrap();
    let url = Url::parse(&format!("http://127.0.0.1:{port}/x?access={BEARER}")).unwrap();
    let err = dead
        .send(Request::get("/x", url).auth(basic.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Transport { .. }), "{err:?}");
    assert_error_clean(&err);

    // Debug of everything that holds a secret.
    let request = Request::post("/token", core.endpoint("/token").unwrap())
        .body(
            format!("grant_type=password&password={PASSWORD}").into_bytes(),
            "application/x-www-form-urlencoded".parse().unwrap(),
        )
        .auth(basic.clone());
    assert_clean("Request", &format!("{request:?}"));
    assert_clean("Auth basic", &format!("{basic:?}"));
    assert_clean("Auth bearer", &format!("{bearer:?}"));
    assert_clean("HttpCore", &format!("{core:?}"));
    assert_clean("Redactor", &format!("{:?}", core.redactor()));
    let config = HttpCore::builder(Url::parse("https://x").unwrap())
        .redact(&SecretString::from(PRIVATE_KEY));
    assert_clean("HttpConfig", &format!("{config:?}"));
    let token = Token::new(SecretString::from(BEARER), Duration::from_secs(60));
    assert_clean("Token", &format!("{token:?}"));
    let cache = TokenCache::default();
    cache
        .get_or_refresh(|| async { Ok::<_, HttpError>(token.clone()) })
        .await
        .unwrap();
    assert_clean("TokenCache", &format!("{cache:?}"));
    assert_clean("SecretString", &format!("{:?}", SecretString::from(BEARER)));

    let traces = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        traces.contains("http_request"),
        "spans were captured: {traces}"
    );
    assert!(
        traces.contains("path=/basic") && traces.contains("status=400"),
        "{traces}"
    );
    assert_clean("tracing output", &traces);
    assert!(
        traces.contains("http_attempt{attempt=2"),
        "a span per attempt: {traces}"
    );
    assert!(
        traces.contains("attempts=2") && traces.contains("status=503"),
        "{traces}"
    );
    assert!(traces.contains("elapsed_ms="), "{traces}");
    assert!(
        !traces.to_ascii_lowercase().contains("authorization: basic"),
        "{traces}"
    );
}

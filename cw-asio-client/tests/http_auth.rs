//! Token endpoint, token caching, 401 renewal, 423 lock, headers on every call, secrets kept out of output.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cw_asio_client::{Client, DEFAULT_SCOPES, Error, Region};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn token_request_is_json_client_credentials_with_default_scopes() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/token")
                .header("content-type", "application/json")
                .json_body(json!({
                    "grant_type": "client_credentials",
                    "client_id": "client-1",
                    "client_secret": SECRET,
                    "scope": DEFAULT_SCOPES.join(" "),
                }));
            then.status(200).json_body(
                json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3599}),
            );
        })
        .await;
    let limits = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/rate_limits")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header_exists("user-agent")
                .header_matches("x-request-id", UUID_RE);
            then.status(200).json_body(json!({"resources": {"service": {"rate-limit": {"limit": 35, "remaining": 33, "reset": 1}}}}));
        })
        .await;
    let c = client(&server);
    for _ in 0..3 {
        let r = c.rate_limits().await.unwrap();
        assert_eq!(r.resources["service"]["rate-limit"].remaining, Some(33));
    }
    token.assert_calls_async(1).await;
    limits.assert_calls_async(3).await;
    assert_eq!(c.tokens_requested(), 1);
    assert!(DEFAULT_SCOPES.contains(&"platform.custom_fields_values.read"));
    assert!(DEFAULT_SCOPES.contains(&"platform.tickets.update"));
}

#[tokio::test]
async fn custom_scopes_are_normalised_to_single_spaces() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/token")
                .json_body_includes(r#"{"scope":"platform.companies.read platform.devices.read"}"#);
            then.status(200)
                .json_body(json!({"access_token": TOKEN, "expires_in": 3599}));
        })
        .await;
    let c = Client::builder()
        .base_url(server.base_url())
        .client_id("c")
        .client_secret("s")
        .scopes("  platform.companies.read   platform.devices.read ")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    c.check_credentials().await.unwrap();
    token.assert_calls_async(1).await;
}

#[tokio::test]
async fn locked_key_is_a_typed_error_and_is_not_asked_again() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(423).body("Locked");
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(200).json_body(json!({}));
        })
        .await;
    let c = client(&server);
    for _ in 0..3 {
        let err = c.rate_limits().await.unwrap_err();
        assert!(matches!(err, Error::KeyLocked { .. }), "{err:?}");
        assert!(!err.is_retryable());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(423));
        assert!(err.retry_after().is_some());
        assert!(err.to_string().contains("wait a few minutes"));
    }
    token.assert_calls_async(1).await;
    api.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_401_renews_the_token_once_then_gives_up() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(401)
                .json_body(json!({"error": "unauthorized request", "description": "expired"}));
        })
        .await;
    let c = client(&server);
    let err = c.rate_limits().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    refused.assert_calls_async(2).await;
    token.assert_calls_async(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_401s_on_one_token_renew_it_once() {
    let server = MockServer::start_async().await;
    let minted = Arc::new(AtomicUsize::new(0));
    let counter = minted.clone();
    server
        .mock_async(move |when, then| {
            when.method(POST).path("/v1/token");
            then.respond_with(move |_req: &HttpMockRequest| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let body =
                    json!({"access_token": format!("tok-{n}"), "expires_in": 3599}).to_string();
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body)
                    .build()
            });
        })
        .await;
    // The first token is refused everywhere; later ones work.
    let refused = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits")
                .header("authorization", "Bearer tok-0");
            then.status(401)
                .json_body(json!({"error": "unauthorized request"}));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(200).json_body(json!({"resources": {}}));
        })
        .await;
    let c = client(&server);
    c.check_credentials().await.unwrap();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.rate_limits().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(
        minted.load(Ordering::SeqCst),
        2,
        "one renewal for ten concurrent 401s"
    );
    // How many calls went out before the renewal depends on scheduling (late starters already carry the new
    // token); every call succeeds exactly once, and at least one saw the refusal that caused the renewal.
    let refusals = refused.calls_async().await;
    assert!((1..=10).contains(&refusals), "{refusals} refusals");
    assert_eq!(ok.calls_async().await, 10);
}

#[tokio::test]
async fn builder_checks_configuration_and_refuses_plain_http() {
    let missing = Client::builder()
        .client_id("c")
        .client_secret("s")
        .build()
        .unwrap_err();
    assert!(matches!(missing, Error::Config(_)));
    let no_secret = Client::builder()
        .region(Region::Eu)
        .client_id("c")
        .build()
        .unwrap_err();
    assert!(matches!(no_secret, Error::Config(_)));
    let http = Client::builder()
        .base_url("http://127.0.0.1:1")
        .client_id("c")
        .client_secret("s")
        .build()
        .unwrap_err();
    assert!(matches!(http, Error::Http(_)), "{http:?}");
    let c = Client::builder()
        .region(Region::Au)
        .client_id("c")
        .client_secret("s")
        .build()
        .unwrap();
    assert_eq!(
        c.base_url().as_str(),
        "https://openapi.service.auplatform.connectwise.com/"
    );
    assert_eq!(Region::guess_from_client_id("0E31abcd"), Some(Region::Eu));
    assert_eq!(Region::guess_from_client_id("zz"), None);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(400).json_body(
                json!({"code": "bad_request", "message": format!("bad secret {SECRET}")}),
            );
        })
        .await;
    let builder = Client::builder()
        .base_url(server.base_url())
        .client_id("client-1")
        .client_secret(SECRET)
        .allow_insecure_http(true);
    assert!(!format!("{builder:?}").contains(SECRET));
    let c = builder.build().unwrap();
    assert!(!format!("{c:?}").contains(SECRET));
    let err = c.check_credentials().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
    assert!(!err.to_string().contains(SECRET));
}

#[tokio::test]
async fn a_token_request_that_meets_a_502_or_a_cut_answer_is_sent_again() {
    let server = MockServer::start_async().await;
    let bad_gateway = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    bad_gateway.up_to_n_times_async(1).await;
    let cut = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token": "tok-"#);
        })
        .await;
    cut.up_to_n_times_async(1).await;
    let token = token_mock(&server).await;
    let limits = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/rate_limits")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200).json_body(json!({"resources": {}}));
        })
        .await;
    let c = client(&server);
    c.rate_limits().await.unwrap();
    assert_eq!(
        (
            bad_gateway.calls_async().await,
            cut.calls_async().await,
            token.calls_async().await
        ),
        (1, 1, 1)
    );
    limits.assert_calls_async(1).await;
}

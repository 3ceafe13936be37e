//! Token endpoint, token caching, 401 renewal, 423 lock, headers on every call, secrets kept out of output.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cw_asio_client::{Client, DEFAULT_SCOPES, Error, Region};
use httpmock::prelude::*;
use serde_json::json;

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
async fn a_401_on_an_older_token_renews_it_once() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let c = client(&server);
    c.check_credentials().await.unwrap();
    // A token minted moments ago is kept on a 401 (see the next test); this one has aged past the grace.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let refused = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(401)
                .json_body(json!({"error": "unauthorized request", "description": "expired"}));
        })
        .await;
    let err = c.rate_limits().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    refused.assert_calls_async(2).await;
    token.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_401_right_after_a_renewal_does_not_mint_again() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(401)
                .json_body(json!({"error": "unauthorized request"}));
        })
        .await;
    let c = client(&server);
    let err = c.rate_limits().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    token.assert_calls_async(1).await;
    refused.assert_calls_async(2).await;
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

//! Shared set-up of the httpmock tests: a mock server with a token endpoint and a client pointed at it.
#![allow(dead_code, clippy::unwrap_used)]

use cw_asio_client::Client;
use httpmock::prelude::*;
use psa_rmm_core::http::RetryPolicy;
use std::time::Duration;

pub const TOKEN: &str = "tok-123";
pub const SECRET: &str = "s3cr3t-value";
pub const UUID_RE: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
        max_retry_after: Duration::from_millis(50),
        retry_500: false,
    }
}

pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .client_id("client-1")
        .client_secret(SECRET)
        .allow_insecure_http(true)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

pub async fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(200).json_body(serde_json::json!({
                "access_token": TOKEN, "token_type": "Bearer", "expires_in": 3599,
                "scope": "platform.companies.read"
            }));
        })
        .await
}

//! The Asio quirks checklist (reference section 8) items no other test pins down: ticket length limits
//! counted in characters at their exact bounds, timestamps with nine fractional digits or empty strings,
//! and a configured heartbeat `resourceType` tried first with the known spellings as fallback.
#![allow(clippy::unwrap_used)] // test crate: a panic is the failure report

mod common;

use chrono::Timelike;
use common::*;
use cw_asio_client::Client;
use cw_asio_client::Error;
use cw_asio_client::model::{Company, CompanyId, NewTicket};
use httpmock::prelude::*;
use serde_json::json;

const TICKETS: &str = "/api/platform/v2/service/ticketing/tickets";

#[tokio::test]
async fn ticket_lengths_are_checked_in_characters_at_their_bounds() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path(TICKETS);
            then.status(201).json_body(json!({"id": "t1"}));
        })
        .await;
    let c = client(&server);
    // Multi-byte characters: the limits are characters, not bytes.
    let at_limit = NewTicket::new("é".repeat(255), "ü".repeat(10_000), "b", "s");
    c.tickets().create(&at_limit).await.unwrap();
    create.assert_calls_async(1).await;
    for over in [
        NewTicket::new("é".repeat(256), "d", "b", "s"),
        NewTicket::new("ok", "ü".repeat(10_001), "b", "s"),
        NewTicket::new("", "d", "b", "s"),
    ] {
        let e = c.tickets().create(&over).await.unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    }
    create.assert_calls_async(1).await;
}

#[test]
fn timestamps_with_nine_fractional_digits_or_empty_strings() {
    let c: Company = serde_json::from_value(json!({
        "id": "c1",
        "createdDate": "2025-09-17T18:39:06.073347424Z",
        "updatedDate": "",
        "acquiredDate": null,
        "inactiveDate": "2025-09-17T18:39:06Z"
    }))
    .unwrap();
    assert_eq!(c.created_date.unwrap().nanosecond(), 73_347_424);
    assert_eq!(c.updated_date, None);
    assert_eq!(c.acquired_date, None);
    assert_eq!(c.inactive_date.unwrap().nanosecond(), 0);
}

#[tokio::test]
async fn a_configured_heartbeat_resource_type_goes_first_and_falls_back() {
    const HB: &str = "/api/platform/v2/device/endpoints/heartbeat";
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let configured = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(HB)
                .query_param("resourceType", "tenants");
            then.status(403)
                .json_body(json!({"code": "forbidden", "message": "Forbidden"}));
        })
        .await;
    let known = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(HB)
                .query_param("resourceType", "companies");
            then.status(200)
                .json_body(json!({"status": "successful", "successfulRecords": []}));
        })
        .await;
    let c = Client::builder()
        .base_url(server.base_url())
        .client_id("client-1")
        .client_secret(SECRET)
        .allow_insecure_http(true)
        .retry_policy(fast_retries())
        .heartbeat_resource_type("tenants")
        .build()
        .unwrap();
    let ids = [CompanyId::new("c1")];
    c.devices().heartbeat(&ids).await.unwrap();
    // The working fallback is remembered: the configured spelling is not retried on the next call.
    c.devices().heartbeat(&ids).await.unwrap();
    configured.assert_calls_async(1).await;
    known.assert_calls_async(2).await;
}

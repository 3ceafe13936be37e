//! The Manage quirks checklist (reference section 9) items that no other test pins down: `IsCloud` shapes,
//! plain-string ticket dates, `errors: null`, the server's `api-current-version` and `x-cw-request-id`,
//! the page size always sent, missing `Link` as the end, `Link`/`_info` hrefs on a foreign codebase never
//! followed, and a callback Manage disabled (`inactiveFlag`) re-activated on registration.
#![allow(clippy::unwrap_used)] // test crate: a panic is the failure report

use std::time::Duration;

use cw_manage_client::conditions::Query;
use cw_manage_client::model::{CallbackEntry, CompanyInfo, ErrorBody, Ticket};
use cw_manage_client::{Client, RetryPolicy, SecretString};
use futures::TryStreamExt;
use httpmock::prelude::*;
use serde_json::json;

const API: &str = "/v2025_1/apis/3.0";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url().parse().unwrap())
        .allow_insecure_http(true)
        .company_id("acme")
        .public_key("pubkey")
        .private_key(SecretString::from("priv"))
        .client_id("11111111-2222-3333-4444-555555555555")
        .rate_limit(None)
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn companyinfo(server: &MockServer) {
    server
        .mock_async(|when, then| {
            when.method(GET).path("/login/companyinfo/acme");
            then.status(200)
                .json_body(json!({"Codebase": "v2025_1/", "IsCloud": true}));
        })
        .await;
}

fn config(id: i64) -> serde_json::Value {
    // `_info` hrefs point at another host and codebase, with the vendor's `//`.
    json!({"id": id, "name": format!("PC-{id}"), "_info": {
        "lastUpdated": "2024-01-01T00:00:00Z",
        "company_href": "https://elsewhere.invalid/v9999_9/apis/3.0//company/companies/7"
    }})
}

#[test]
fn is_cloud_is_a_bool_or_a_string() {
    for (body, want) in [
        (json!({"IsCloud": "True"}), Some(true)),
        (json!({"IsCloud": "False"}), Some(false)),
        (json!({"IsCloud": true}), Some(true)),
        (json!({"isCloud": false}), Some(false)),
        (json!({"IsCloud": null}), None),
        (json!({}), None),
    ] {
        let info: CompanyInfo = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(info.is_cloud, want, "{body}");
    }
    let info: CompanyInfo = serde_json::from_value(json!({"Codebase": "v2025_1/"})).unwrap();
    assert_eq!(info.codebase_segment().as_deref(), Some("v2025_1/"));
}

#[test]
fn plain_string_ticket_dates_parse_opportunistically() {
    let t: Ticket = serde_json::from_value(json!({
        "id": 1, "closedDate": "2024-03-04T05:06:07Z", "dateResolved": "", "dateResponded": "soon"
    }))
    .unwrap();
    assert_eq!(
        t.closed_date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-04T05:06:07+00:00")
    );
    assert_eq!(t.date_resolved, None);
    assert_eq!(t.date_responded, None);
}

#[test]
fn error_bodies_with_null_errors_and_the_429_shape() {
    let b = ErrorBody::parse(br#"{"code":"NotFound","message":"gone","errors":null}"#).unwrap();
    assert_eq!(b.code(), Some("NotFound"));
    assert!(b.errors.is_empty());
    let b =
        ErrorBody::parse(br#"{"error":"ConnectWiseAPI","message":"Too many requests"}"#).unwrap();
    assert_eq!(b.code(), Some("ConnectWiseAPI"));
    assert!(ErrorBody::parse(b"<html><body>Bad gateway</body></html>").is_none());
}

#[tokio::test]
async fn the_servers_version_and_cw_request_id_are_recorded() {
    let server = MockServer::start_async().await;
    companyinfo(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/company/companies/5"));
            then.status(400)
                .header("x-cw-request-id", "cw-req-42")
                .json_body(json!({"code": "InvalidObject", "message": "bad", "errors": null}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/company/companies/6"));
            then.status(200)
                .header("api-current-version", "2025.16")
                .json_body(json!({"id": 6}));
        })
        .await;
    let c = client(&server);
    assert_eq!(c.server_api_version(), None);
    c.companies()
        .get(cw_manage_client::CompanyId(6))
        .await
        .unwrap();
    assert_eq!(c.server_api_version().as_deref(), Some("2025.16"));
    let e = c
        .companies()
        .get(cw_manage_client::CompanyId(5))
        .await
        .unwrap_err();
    assert_eq!(e.http().unwrap().request_id(), Some("cw-req-42"));
    assert_eq!(e.vendor_code(), Some("InvalidObject"));
}

#[tokio::test]
async fn page_size_is_always_sent_and_a_short_page_without_link_ends() {
    let size = Query::new().get_page_size();
    assert!(
        size > 25,
        "default page size {size} truncates like the vendor's"
    );
    let server = MockServer::start_async().await;
    companyinfo(&server).await;
    let page = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/configurations"))
                .query_param("pageSize", size.to_string());
            then.status(200).json_body(json!([config(1), config(2)]));
        })
        .await;
    let all: Vec<_> = client(&server)
        .configurations()
        .list(Query::new())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    page.assert_calls_async(1).await;
}

#[tokio::test]
async fn foreign_hrefs_are_never_followed() {
    let server = MockServer::start_async().await;
    companyinfo(&server).await;
    let path = format!("{API}/company/configurations");
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .query_param_missing("pageId");
            then.status(200)
                .header(
                    "Link",
                    "<https://elsewhere.invalid//v9999_9/apis/3.0/company/configurations?pageSize=2&pageId=2>; rel=\"next\"",
                )
                .json_body(json!([config(1), config(2)]));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .query_param("pageId", "2");
            then.status(200).json_body(json!([config(3)]));
        })
        .await;
    let all: Vec<_> = client(&server)
        .configurations()
        .list(Query::new().page_size(2))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    p1.assert_calls_async(1).await;
    // The next page came from our own codebase: only the cursor was taken from the foreign URL.
    p2.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_disabled_callback_is_reactivated_not_duplicated() {
    let server = MockServer::start_async().await;
    companyinfo(&server).await;
    let url = "https://hook.example/cw?recordId=";
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/system/callbacks"));
            then.status(200).json_body(json!([
                {"id": 7, "url": url, "objectId": 1, "type": "ticket", "level": "owner", "inactiveFlag": true}
            ]));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{API}/system/callbacks"));
            then.status(201).json_body(json!({"id": 8}));
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("{API}/system/callbacks/7"))
                .json_body(json!([{"op": "replace", "path": "inactiveFlag", "value": false}]));
            then.status(200).json_body(
                json!({"id": 7, "url": url, "objectId": 1, "type": "ticket", "level": "owner", "inactiveFlag": false}),
            );
        })
        .await;
    let entry = CallbackEntry::owner_level("Ticket", url, "psa-rmm");
    let back = client(&server).register_callback(&entry).await.unwrap();
    assert_eq!((back.id.get(), back.inactive_flag), (7, Some(false)));
    patch.assert_calls_async(1).await;
    post.assert_calls_async(0).await;
}

//! The client against httpmock: headers, discovery, paging, conditions encoding, writes, ticket close with
//! read-back, callbacks, error shapes and connection-test hints.
#![allow(clippy::unwrap_used)] // helpers of a test crate, where a panic is the failure report

use std::time::Duration;

use base64::Engine as _;
use cw_manage_client::conditions::{Order, Query, field};
use cw_manage_client::model::{CallbackEntry, Configuration, Reference, TicketNote};
use cw_manage_client::patch::Patch;
use cw_manage_client::{
    BodyKind, Client, CompanyId, ConfigurationId, Cursor, Error, RetryPolicy, SecretString,
    TicketId,
};
use futures::TryStreamExt;
use httpmock::prelude::*;
use serde_json::json;

const API: &str = "/v2025_1/apis/3.0";
const KEY: &str = "priv-KEY-123";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url().parse().unwrap())
        .allow_insecure_http(true)
        .company_id("acme")
        .public_key("pubkey")
        .private_key(SecretString::from(KEY))
        .client_id("11111111-2222-3333-4444-555555555555")
        .api_version("2024.1")
        .rate_limit(None)
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn companyinfo<'a>(server: &'a MockServer, codebase: &str) -> httpmock::Mock<'a> {
    let body = json!({"CompanyName": "Acme", "Codebase": codebase, "CompanyID": "acme", "IsCloud": "True"});
    server
        .mock_async(|when, then| {
            when.method(GET).path("/login/companyinfo/acme");
            then.status(200).json_body(body);
        })
        .await
}

fn basic() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("acme+pubkey:{KEY}"))
    )
}

fn config(id: i64) -> serde_json::Value {
    json!({"id": id, "name": format!("PC-{id}"), "type": {"id": 1, "name": "Workstation"}, "_info": {"lastUpdated": "2024-01-01T00:00:00Z"}})
}

#[tokio::test]
async fn discovery_auth_client_id_and_version_pin() {
    let server = MockServer::start_async().await;
    let info = companyinfo(&server, "v2025_1/").await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/system/info"))
                .header("authorization", basic())
                .header("clientid", "11111111-2222-3333-4444-555555555555")
                .header(
                    "accept",
                    "application/vnd.connectwise.com+json; version=2024.1",
                );
            then.status(200).json_body(
                json!({"version": "v2025.1.10431", "isCloud": true, "cloudRegion": "NA"}),
            );
        })
        .await;
    let c = client(&server);
    let si = c.test_connection().await.unwrap();
    assert_eq!(si.api_version().as_deref(), Some("2025.1"));
    assert_eq!(c.current_codebase().as_deref(), Some("v2025_1/"));
    // The codebase is remembered: a second call does not discover again.
    c.system_info().await.unwrap();
    info.assert_calls_async(1).await;
    m.assert_calls_async(2).await;
}

#[tokio::test]
async fn forward_only_stream_follows_page_ids() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let path = format!("{API}/company/configurations");
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .header("pagination-type", "forward-only")
                .query_param("pageSize", "2")
                .query_param("conditions", "company/id = 7")
                .query_param_missing("pageId")
                .query_param_missing("page");
            then.status(200)
                .header(
                    "Link",
                    format!(
                        "<{}{path}?pageSize=2&pageId=2>; rel=\"next\"",
                        server.base_url()
                    ),
                )
                .json_body(json!([config(1), config(2)]));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .query_param("pageId", "2");
            then.status(200)
                .header(
                    "Link",
                    format!(
                        "<{}{path}?pageSize=2&pageId=4>; rel=\"next\"",
                        server.base_url()
                    ),
                )
                .json_body(json!([config(3), config(4)]));
        })
        .await;
    let p3 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .query_param("pageId", "4");
            then.status(200)
                .header("Link", "")
                .json_body(json!([config(5)]));
        })
        .await;
    let c = client(&server);
    let q = Query::new().filter(field("company/id").eq(7)).page_size(2);
    let all: Vec<Configuration> = c
        .configurations()
        .list(q.clone())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id.get()).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
    p3.assert_calls_async(1).await;
    let first = c.configurations().list(q).send().await.unwrap();
    assert_eq!(first.next, Some(Cursor::PageId(2)));
}

#[tokio::test]
async fn ordered_listing_pages_by_number() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let path = format!("{API}/company/companies");
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(path.clone())
                .query_param("orderBy", "name asc")
                .query_param("page", "1")
                .query_param("pageSize", "1000")
                .header_missing("pagination-type");
            then.status(200)
                .header(
                    "Link",
                    format!(
                        "<{0}{path}?page=2>; rel=\"next\", <{0}{path}?page=2>; rel=\"last\"",
                        server.base_url()
                    ),
                )
                .json_body(json!([{"id": 9, "name": "A"}]));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET).path(path.clone()).query_param("page", "2");
            then.status(200)
                .header(
                    "Link",
                    format!("<{}{path}?page=1>; rel=\"first\"", server.base_url()),
                )
                .json_body(json!([{"id": 3, "name": "B"}]));
        })
        .await;
    let c = client(&server);
    let names: Vec<String> = c
        .companies()
        .list(Query::new().order_by("name", Order::Asc))
        .stream()
        .map_ok(|c| c.name.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, vec!["A", "B"]);
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
}

#[tokio::test]
async fn hostile_condition_values_arrive_as_one_literal() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/contacts"))
                .query_param(
                    "conditions",
                    r#"lastName = "O\"Brien & Sons + 100% [x]" or id in (1, 2)"#,
                )
                .query_param(
                    "childConditions",
                    r#"communicationItems/value like "a@b.com""#,
                )
                .query_param("fields", "id,firstName");
            then.status(200).json_body(json!([]));
        })
        .await;
    let c = client(&server);
    let q = Query::new()
        .filter(
            field("lastName")
                .eq("O\"Brien & Sons + 100% [x]")
                .or(field("id").is_in([1, 2])),
        )
        .child_filter(field("communicationItems/value").like("a@b.com"))
        .fields(["id", "firstName"]);
    let page = c.contacts().list(q).send().await.unwrap();
    assert!(page.items.is_empty() && page.next.is_none());
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn long_ticket_query_moves_to_search_and_other_resources_refuse() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let ids: Vec<i64> = (100_000..100_400).collect();
    let q = Query::new().filter(field("company/id").is_in(ids.clone()));
    let expected = q.search_body().unwrap();
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{API}/service/tickets/search"))
                .query_param("pageSize", "1000")
                .json_body(expected.clone());
            then.status(200)
                .json_body(json!([{"id": 1, "summary": "x"}]));
        })
        .await;
    let c = client(&server);
    let page = c.tickets().list(q.clone()).send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    m.assert_calls_async(1).await;
    let err = c.configurations().list(q).send().await.unwrap_err();
    assert!(matches!(err, Error::QueryTooLong { .. }), "{err:?}");
}

#[tokio::test]
async fn count_get_create_update_delete() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let count = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/configurations/count"))
                .query_param("conditions", "activeFlag = true")
                .query_param_missing("pageSize");
            then.status(200).json_body(json!({"count": 5000}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{API}/company/configurations")).json_body(json!({
                "name": "PC-1", "type": {"id": 3}, "company": {"identifier": "ACME"}, "serialNumber": "SN1"
            }));
            then.status(201).json_body(json!({"id": 55, "name": "PC-1", "serialNumber": "SN1"}));
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("{API}/company/configurations/55"))
                .json_body(json!([
                    {"op": "replace", "path": "serialNumber", "value": "SN2"},
                    {"op": "replace", "path": "status", "value": {"id": 4}}
                ]));
            then.status(200).json_body(
                json!({"id": 55, "serialNumber": "SN2", "status": {"id": 4, "name": "Retired"}}),
            );
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("{API}/company/configurations/55"));
            then.status(204);
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/configurations/55"));
            then.status(200).json_body(config(55));
        })
        .await;
    let c = client(&server);
    let res = c.configurations();
    assert_eq!(
        res.count(&Query::new().filter(field("activeFlag").eq(true)))
            .await
            .unwrap(),
        5000
    );
    let new = Configuration {
        name: Some("PC-1".into()),
        config_type: Some(Reference::by_id(cw_manage_client::ConfigurationTypeId(3))),
        company: Some(Reference::<CompanyId>::by_identifier("ACME")),
        serial_number: Some("SN1".into()),
        ..Configuration::default()
    };
    assert_eq!(res.create(&new).await.unwrap().id, ConfigurationId(55));
    let p = Patch::new()
        .replace("serialNumber", "SN2")
        .replace_ref("status", &Reference::<i64>::by_id(4));
    assert_eq!(
        res.update(ConfigurationId(55), &p)
            .await
            .unwrap()
            .serial_number
            .as_deref(),
        Some("SN2")
    );
    assert_eq!(
        res.get(ConfigurationId(55)).await.unwrap().name.as_deref(),
        Some("PC-55")
    );
    res.delete(ConfigurationId(55)).await.unwrap();
    for m in [&count, &create, &patch, &delete, &get] {
        m.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn patch_answered_200_without_applying_is_detected() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("{API}/company/configurations/8"));
            then.status(200)
                .json_body(json!({"id": 8, "serialNumber": "OLD"}));
        })
        .await;
    let c = client(&server);
    let err = c
        .configurations()
        .update(
            ConfigurationId(8),
            &Patch::new().replace("serialNumber", "NEW"),
        )
        .await
        .unwrap_err();
    match err {
        Error::NotApplied {
            path,
            expected,
            actual,
            ..
        } => {
            assert_eq!(path, "serialNumber");
            assert_eq!(expected, "\"NEW\"");
            assert_eq!(actual, "\"OLD\"");
        }
        other => panic!("{other:?}"),
    }
    let nested = c
        .configurations()
        .update(ConfigurationId(8), &Patch::new().replace("company/id", 5))
        .await
        .unwrap_err();
    assert!(matches!(nested, Error::Patch(_)));
}

async fn ticket_board(server: &MockServer) {
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/service/tickets/77"));
            then.status(200).json_body(json!({
                "id": 77, "summary": "Disk full", "board": {"id": 30, "name": "Alerts"},
                "status": {"id": 1, "name": "New"}, "closedFlag": false
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/service/boards/30/statuses"));
            then.status(200).json_body(json!([
                {"id": 1, "name": "New", "closedStatus": false, "sortOrder": 0},
                {"id": 6, "name": "Closed", "closedStatus": true, "sortOrder": 9},
                {"id": 5, "name": "Resolved", "closedStatus": true, "sortOrder": 4}
            ]));
        })
        .await;
}

#[tokio::test]
async fn close_ticket_moves_to_closed_status_and_reads_back() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    ticket_board(&server).await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("{API}/service/tickets/77"))
                .json_body(json!([{"op": "replace", "path": "status", "value": {"id": 5}}]));
            then.status(200).json_body(json!({
                "id": 77, "summary": "Disk full", "status": {"id": 5, "name": "Resolved"}, "closedFlag": true
            }));
        })
        .await;
    let c = client(&server);
    // The read-back (GET /service/tickets/77) still shows status New: the close did not stick.
    let err = c.close_ticket(TicketId(77)).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotApplied { path, .. } if path == "status"),
        "{err:?}"
    );
    patch.assert_calls_async(1).await;
}

#[tokio::test]
async fn close_ticket_succeeds_when_read_back_agrees() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/service/boards/30/statuses"));
            then.status(200)
                .json_body(json!([{"id": 5, "name": "Resolved", "closedStatus": true}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(PATCH).path(format!("{API}/service/tickets/78"));
            then.status(200)
                .json_body(json!({"id": 78, "status": {"id": 5}, "closedFlag": true}));
        })
        .await;
    let c = client(&server);
    let t = c
        .close_ticket_with_status(TicketId(78), cw_manage_client::StatusId(5))
        .await;
    // Without a GET mock the read-back is a 404 NotFound-less answer: an error, never a silent success.
    assert!(t.is_err());
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/service/tickets/78"));
            then.status(200).json_body(json!({"id": 78, "board": {"id": 30}, "status": {"id": 5, "name": "Resolved"}, "closedFlag": true}));
        })
        .await;
    let t = c
        .close_ticket_with_status(TicketId(78), cw_manage_client::StatusId(5))
        .await
        .unwrap();
    assert_eq!(t.closed_flag, Some(true));
    // Already closed: no PATCH needed.
    assert_eq!(c.close_ticket(TicketId(78)).await.unwrap().id, TicketId(78));
}

#[tokio::test]
async fn ticket_note_create_sends_display_flag() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("{API}/service/tickets/5/notes"))
                .json_body(json!({"text": "Alert resolved", "detailDescriptionFlag": true}));
            then.status(201).json_body(json!({"id": 9, "ticketId": 5, "text": "Alert resolved", "detailDescriptionFlag": true}));
        })
        .await;
    let c = client(&server);
    let n = c
        .ticket_notes(TicketId(5))
        .create(&TicketNote::discussion("Alert resolved"))
        .await
        .unwrap();
    assert_eq!(n.id.get(), 9);
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn callback_registration_is_idempotent() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/system/callbacks"));
            then.status(200).json_body(json!([
                {"id": 26552, "url": "https://hook.example/cw?recordId=", "objectId": 1, "type": "ticket", "level": "owner"}
            ]));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("{API}/system/callbacks"));
            then.status(400).json_body(json!({"code": "InvalidObject", "message": "callbackEntry object is invalid",
                "errors": [{"code": "ObjectExists", "message": "A matching callback entry already exists", "resource": "callbackEntry"}]}));
        })
        .await;
    let c = client(&server);
    let same = CallbackEntry::owner_level("Ticket", "https://hook.example/cw?recordId=", "psa-rmm");
    assert_eq!(c.register_callback(&same).await.unwrap().id.get(), 26552);
    post.assert_calls_async(0).await;
    // A different registration is posted; the server's ObjectExists is not retried and comes back typed
    // when no matching entry can be found.
    let other =
        CallbackEntry::owner_level("company", "https://hook.example/cw?recordId=", "psa-rmm");
    let err = c.register_callback(&other).await.unwrap_err();
    assert!(err.error_body().unwrap().is_object_exists());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    post.assert_calls_async(1).await;
}

#[tokio::test]
async fn error_shapes_are_typed_and_4xx_not_retried() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let bad = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/service/tickets"));
            then.status(400).json_body(
                json!({"code": "ApiFindCondition", "message": "ticket is not a recognized name."}),
            );
        })
        .await;
    let html = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/service/boards"));
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body>Bad gateway</body></html>");
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/service/priorities"));
            then.status(500);
        })
        .await;
    let c = client(&server);
    let e = c.tickets().all().send().await.unwrap_err();
    assert_eq!(e.vendor_code(), Some("ApiFindCondition"));
    assert_eq!(e.body_kind(), Some(BodyKind::Json));
    assert!(!e.is_retryable());
    bad.assert_calls_async(1).await;
    let e = c.boards().all().send().await.unwrap_err();
    assert_eq!(e.body_kind(), Some(BodyKind::Html));
    assert!(e.is_retryable());
    assert!(e.vendor_message().unwrap().contains("HTML"));
    html.assert_calls_async(3).await;
    let e = c.priorities().all().send().await.unwrap_err();
    assert_eq!(e.body_kind(), Some(BodyKind::Empty));
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
    // Manage's guide says to retry a 500 ("A timeout has occured. Please try again."): a read is.
    empty.assert_calls_async(3).await;
}

#[tokio::test]
async fn rate_limit_429_body_and_retry_after_are_honoured() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let path = format!("{API}/service/sources");
    let busy = server
        .mock_async(|when, then| {
            when.method(GET).path(path.clone());
            then.status(429)
                .header("Retry-After", "1")
                .json_body(json!({"error": "ConnectWiseAPI", "message": "Too many requests. Please try again in 30 seconds."}));
        })
        .await;
    let c = client(&server);
    let task = tokio::spawn({
        let c = c.clone();
        async move { c.sources().all().send().await }
    });
    for _ in 0..2000 {
        if busy.calls_async().await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    busy.delete_async().await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path(path.clone());
            then.status(200)
                .json_body(json!([{"id": 1, "name": "Email"}]));
        })
        .await;
    let page = task.await.unwrap().unwrap();
    assert_eq!(page.items[0].name.as_deref(), Some("Email"));
    ok.assert_calls_async(1).await;

    // With no retries left, the 429 shape is a typed error with code and Retry-After.
    let server2 = MockServer::start_async().await;
    companyinfo(&server2, "v2025_1/").await;
    server2
        .mock_async(|when, then| {
            when.method(GET).path(path.clone());
            then.status(429)
                .header("Retry-After", "0")
                .json_body(json!({"error": "ConnectWiseAPI", "message": "Too many requests."}));
        })
        .await;
    let e = client(&server2).sources().all().send().await.unwrap_err();
    assert_eq!(e.vendor_code(), Some("ConnectWiseAPI"));
    assert!(e.is_retryable());
    assert_eq!(e.retry_after(), Some(Duration::ZERO));
}

#[tokio::test]
async fn codebase_change_is_rediscovered_once() {
    let server = MockServer::start_async().await;
    let old = companyinfo(&server, "v2025_1/").await;
    let c = client(&server);
    c.discover().await.unwrap();
    old.delete_async().await;
    let new = companyinfo(&server, "v2025_2/").await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2025_2/apis/3.0/company/companies");
            then.status(200)
                .json_body(json!([{"id": 1, "name": "Acme"}]));
        })
        .await;
    // The old codebase answers httpmock's default 404: the client re-discovers and retries once.
    let page = c.companies().all().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(c.current_codebase().as_deref(), Some("v2025_2/"));
    new.assert_calls_async(1).await;
    m.assert_calls_async(1).await;
    // A record-level NotFound does not trigger discovery.
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2025_2/apis/3.0/company/companies/404");
            then.status(404)
                .json_body(json!({"code": "NotFound", "message": "Company 404 not found"}));
        })
        .await;
    let e = c.companies().get(CompanyId(404)).await.unwrap_err();
    assert!(e.is_not_found());
    new.assert_calls_async(1).await;
}

#[tokio::test]
async fn connection_test_says_what_to_check() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/system/info"));
            then.status(401).body(format!("bad key {KEY}"));
        })
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(
        text.contains("check the company id, public key and private key"),
        "{text}"
    );
    assert!(!text.contains(KEY), "secret leaked: {text}");

    let html = MockServer::start_async().await;
    companyinfo(&html, "v2025_1/").await;
    html.mock_async(|when, then| {
        when.method(GET).path(format!("{API}/system/info"));
        then.status(403).body("<!DOCTYPE html><html>login</html>");
    })
    .await;
    let e = client(&html).test_connection().await.unwrap_err();
    assert!(e.to_string().contains("api- host"), "{e}");

    let missing = MockServer::start_async().await;
    let e = client(&missing).test_connection().await.unwrap_err();
    assert!(e.to_string().contains("check the company id"), "{e}");
}

#[tokio::test]
async fn debug_and_errors_never_show_the_private_key() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    assert!(!format!("{c:?}").contains(KEY));
    let b = Client::builder().private_key(SecretString::from(KEY));
    assert!(!format!("{b:?}").contains(KEY));
    let e = Client::builder()
        .company_id("a")
        .public_key("b")
        .private_key(SecretString::from(KEY))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("client_id"));
    let http = Client::builder()
        .base_url("http://127.0.0.1:1/".parse().unwrap())
        .company_id("a")
        .public_key("b")
        .client_id("c")
        .private_key(SecretString::from(KEY))
        .build()
        .unwrap_err();
    assert!(
        matches!(http, Error::Http(_)),
        "plain http refused: {http:?}"
    );
}

#[tokio::test]
async fn incremental_and_id_scans() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let changed = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/configurations"))
                .query_param("conditions", "lastUpdated >= [2024-05-01T00:00:00Z]")
                .query_param_missing("fields");
            then.status(200).json_body(json!([config(3)]));
        })
        .await;
    let ids = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/configurations"))
                .query_param("fields", "id");
            then.status(200).json_body(json!([{"id": 3}, {"id": 4}]));
        })
        .await;
    let c = client(&server);
    let since = "2024-05-01T00:00:00Z".parse().unwrap();
    let got: Vec<Configuration> = c
        .configurations()
        .changed_since(since)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let all: Vec<i64> = c
        .configurations()
        .ids(Query::new())
        .stream()
        .map_ok(|r| r.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, vec![3, 4]);
    changed.assert_calls_async(1).await;
    ids.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_resource_can_pin_another_api_version() {
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/service/sources"))
                .header(
                    "accept",
                    "application/vnd.connectwise.com+json; version=2020.4",
                );
            then.status(200)
                .json_body(json!([{"id": 1, "name": "Phone"}]));
        })
        .await;
    let c = client(&server);
    let sources = c.sources().api_version("2020.4").unwrap();
    assert_eq!(sources.all().send().await.unwrap().items.len(), 1);
    m.assert_calls_async(1).await;
    assert!(c.sources().api_version("3.0.0; x=1").is_err());
}

#[tokio::test]
async fn sites_of_every_company_keep_company_order_when_a_slow_page_finishes_last() {
    use cw_manage_client::connector::ManageConnector;
    use psa_rmm_core::connector::CompanyDirectory;
    let server = MockServer::start_async().await;
    companyinfo(&server, "v2025_1/").await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{API}/company/companies"));
            then.status(200)
                .json_body(json!([{"id": 1, "name": "Slow Co"}, {"id": 2, "name": "Fast Co"}]));
        })
        .await;
    // The first company's sites arrive well after the second's.
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/companies/1/sites"));
            then.status(200)
                .delay(Duration::from_millis(300))
                .json_body(
                    json!([{"id": 11, "name": "Slow HQ"}, {"id": 12, "name": "Slow Branch"}]),
                );
        })
        .await;
    let fast = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{API}/company/companies/2/sites"));
            then.status(200)
                .json_body(json!([{"id": 21, "name": "Fast HQ"}]));
        })
        .await;
    let sites = ManageConnector::new(client(&server)).sites().await.unwrap();
    let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Slow HQ", "Slow Branch", "Fast HQ"]);
    assert_eq!(sites[2].company.as_ref().map(|c| c.id.as_str()), Some("2"));
    fast.assert_calls_async(1).await;
}

//! Tickets v2, notes and lookup tables against httpmock.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cw_asio_client::Error;
use cw_asio_client::model::{
    EndpointId, NewTicket, NewTicketNote, NoteVisibility, PatchOp, PatchOperation, TicketId,
};
use futures::TryStreamExt;
use httpmock::prelude::*;
use serde_json::json;

const TICKETS: &str = "/api/platform/v2/service/ticketing/tickets";

#[tokio::test]
async fn create_get_and_patch_round_trip() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path(TICKETS).json_body(json!({
                "summary": "Disk low", "description": "C: at 5%",
                "serviceBoard": {"id": "b1"}, "source": {"id": "src1"},
                "assets": [{"id": "e1", "isPrimary": true}]
            }));
            then.status(201).json_body(
                json!({"id": "t1", "number": "16516.1634", "summary": "Disk low", "version": 1}),
            );
        })
        .await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("{TICKETS}/t1"))
                .json_body(json!([{"op": "replace", "path": "/status", "value": {"id": "st2"}}]));
            then.status(200).json_body(
                json!({"id": "t1", "status": {"id": "st2", "name": "Closed"}, "version": 2}),
            );
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path(format!("{TICKETS}/t1"));
            then.status(200)
                .json_body(json!({"id": "t1", "version": 2}));
        })
        .await;
    let c = client(&server);
    let t = NewTicket::new("Disk low", "C: at 5%", "b1", "src1").with_asset(EndpointId::new("e1"));
    let created = c.tickets().create(&t).await.unwrap();
    assert_eq!(created.number.as_deref(), Some("16516.1634"));
    let id = created.id.unwrap();
    let patched = c
        .tickets()
        .patch(
            &id,
            &[PatchOperation::replace("/status", json!({"id": "st2"}))],
        )
        .await
        .unwrap();
    assert_eq!(patched.version, Some(2));
    assert_eq!(c.tickets().get(&id).await.unwrap().version, Some(2));
    create.assert_calls_async(1).await;
    patch.assert_calls_async(1).await;
    get.assert_calls_async(1).await;
}

#[tokio::test]
async fn rule_breaking_writes_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let c = client(&server);
    let long = NewTicket::new("x".repeat(256), "d", "b", "s");
    assert!(matches!(
        c.tickets().create(&long).await,
        Err(Error::InvalidInput(_))
    ));
    let empty = NewTicket::new("ok", "  ", "b", "s");
    assert!(matches!(
        c.tickets().create(&empty).await,
        Err(Error::InvalidInput(_))
    ));
    let add = PatchOperation {
        op: PatchOp::Add,
        path: "/tags/-".into(),
        value: json!({"id": "t"}),
    };
    assert!(matches!(
        c.tickets().patch(&TicketId::new("t1"), &[add]).await,
        Err(Error::InvalidInput(_))
    ));
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_failed_create_is_not_retried_and_reads_the_array_error_shape() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path(TICKETS);
            then.status(503)
                .json_body(json!([{"code": "TKT-503", "message": "ticketing unavailable"}]));
        })
        .await;
    let c = client(&server);
    let err = c
        .tickets()
        .create(&NewTicket::new("s", "d", "b", "src"))
        .await
        .unwrap_err();
    create.assert_calls_async(1).await;
    let Error::Http(http) = err else { panic!() };
    let api = http.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("TKT-503"));
    assert_eq!(api.message.as_deref(), Some("ticketing unavailable"));
}

#[tokio::test]
async fn list_pages_with_page_num_and_size_until_a_short_page() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut pages = Vec::new();
    for (n, ids) in [
        (1, vec!["t1", "t2"]),
        (2, vec!["t3", "t4"]),
        (3, vec!["t5"]),
    ] {
        let tickets: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        pages.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path(TICKETS)
                        .query_param("pageNum", n.to_string())
                        .query_param("pageSize", "2")
                        .query_param("statusNames", "New");
                    then.status(200)
                        .json_body(json!({"tickets": tickets, "totalCount": 5}));
                })
                .await,
        );
    }
    let c = client(&server);
    let all: Vec<_> = c
        .tickets()
        .list()
        .page_size(2)
        .param("statusNames", "New")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    for p in &pages {
        p.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn list_stops_at_total_count_and_on_an_empty_page() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET).path(TICKETS).query_param("pageNum", "1");
            then.status(200)
                .json_body(json!({"tickets": [{"id": "a"}, {"id": "b"}], "totalCount": 2}));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET).path(TICKETS).query_param("pageNum", "2");
            then.status(200)
                .json_body(json!({"tickets": [], "totalCount": 0}));
        })
        .await;
    let c = client(&server);
    let all: Vec<_> = c
        .tickets()
        .list()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(0).await;
}

#[tokio::test]
async fn notes_and_lookup_tables() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/platform/v1/service/ticketing/tickets/t1/notes")
                .json_body(
                    json!({"detail": "rebooted", "visibility": 2, "extendedAttributes": []}),
                );
            then.status(201).json_body(
                json!({"id": "n1", "ticketId": "t1", "detail": "rebooted", "visibility": 2}),
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/service/ticketing/tickets/t1/notes");
            then.status(200)
                .json_body(json!([{"id": "n1", "detail": "rebooted", "visibility": 2}]));
        })
        .await;
    for (table, body) in [
        (
            "service-boards",
            json!([{"id": "b1", "name": "Alerts", "defaultPriority": {"id": "p1"}}]),
        ),
        (
            "statuses",
            json!([{"id": "st1", "name": "New", "category": "New", "slaStatus": "NotResponded"}]),
        ),
        ("priorities", json!([{"id": "p1", "name": "High"}])),
        ("sources", json!([{"id": "src1", "name": "Monitoring"}])),
    ] {
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path(format!("/api/platform/v1/service/ticketing/{table}"));
                then.status(200).json_body(body);
            })
            .await;
    }
    let c = client(&server);
    let note = c
        .tickets()
        .add_note(
            &TicketId::new("t1"),
            &NewTicketNote::new("rebooted", NoteVisibility::INTERNAL),
        )
        .await
        .unwrap();
    assert_eq!(note.id.unwrap().as_str(), "n1");
    assert_eq!(
        c.tickets().notes(&TicketId::new("t1")).await.unwrap().len(),
        1
    );
    add.assert_calls_async(1).await;
    let lookups = c.tickets().lookups().await.unwrap();
    assert_eq!(lookups.boards.len(), 1);
    assert_eq!(lookups.statuses[0].name.as_deref(), Some("New"));
    let core = psa_rmm_core::model::Ticket {
        external: psa_rmm_core::model::ExternalRef::new(psa_rmm_core::model::System::CwManage, "1"),
        company: None,
        summary: "Disk low".into(),
        description: None,
        board: None,
        status: Some("new".into()),
        priority: Some("HIGH".into()),
        closed: false,
        dedupe_key: None,
        device: None,
        created_at: None,
        updated_at: None,
    };
    let body =
        cw_asio_client::convert::new_ticket(&core, &lookups, "Alerts", "Monitoring").unwrap();
    assert_eq!(body.priority.unwrap().id.unwrap().as_str(), "p1");
}

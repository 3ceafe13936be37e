//! Companies, sites, device groups and custom fields against httpmock.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cw_asio_client::model::{
    AttributeId, CompanyId, CustomFieldValueUpdate, DeviceGroupId, EndpointId, EntityType, SiteId,
};
use cw_asio_client::{CustomFieldTarget, Error};
use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use serde_json::json;

const COMPANIES: &str = "/api/platform/v1/company/companies";

#[tokio::test]
async fn companies_follow_the_opaque_cursor_verbatim_until_no_next_link() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let base = server.base_url();
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(COMPANIES)
                .query_param("limit", "2")
                .query_param_missing("cursor");
            then.status(200)
                .header(
                    "Link",
                    format!(
                        "<{base}{COMPANIES}?cursor=eyJ1IjoiMSJ9&filter=&limit=2>; rel=\"next\""
                    ),
                )
                .json_body(json!([{"id": "c1", "name": "Alpha"}, {"id": "c2", "name": "Beta"}]));
        })
        .await;
    let p2 = server
        .mock_async(|when, then| {
            when.method(GET).path(COMPANIES).query_param("cursor", "eyJ1IjoiMSJ9").query_param("filter", "");
            then.status(200)
                .header("Link", format!("<{base}{COMPANIES}?cursor=Mg&filter=&limit=2>; rel=\"next\", <{base}{COMPANIES}>; rel=\"first\""))
                .json_body(json!([{"id": "c3", "name": "Gamma"}]));
        })
        .await;
    let p3 = server
        .mock_async(|when, then| {
            when.method(GET).path(COMPANIES).query_param("cursor", "Mg");
            then.status(200).json_body(json!([]));
        })
        .await;
    let c = client(&server);
    let all: Vec<_> = c
        .companies()
        .list()
        .unwrap()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|c| c.name.clone().unwrap())
            .collect::<Vec<_>>(),
        ["Alpha", "Beta", "Gamma"]
    );
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
    p3.assert_calls_async(1).await;
    let core = cw_asio_client::convert::company(&all[0]).unwrap();
    assert_eq!(core.external.id, "c1");
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(COMPANIES);
            then.status(200)
                .header("Link", "<https://evil.example/api/platform/v1/company/companies?cursor=x>; rel=\"next\"")
                .json_body(json!([{"id": "c1"}]));
        })
        .await;
    let c = client(&server);
    let err = c.companies().list().unwrap().collect().await.unwrap_err();
    assert!(err.to_string().contains("another origin"), "{err}");
}

#[tokio::test]
async fn company_get_sites_and_a_404_site_list_is_empty() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/company/companies/c1");
            then.status(200)
                .json_body(json!({"id": "c1", "name": "Alpha", "partnerId": "p1"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/company/companies/c1/sites");
            then.status(200)
                .json_body(json!([{"id": "s1", "name": "HQ"}, {"id": "s2", "name": "Branch"}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/company/companies/c2/sites");
            then.status(404)
                .json_body(json!({"error": "not found", "description": "company has no sites"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/platform/v1/company/sites/s1");
            then.status(200)
                .json_body(json!({"id": "s1", "name": "HQ", "company": {"id": "c1"}}));
        })
        .await;
    let c = client(&server);
    let company = c.companies().get(&CompanyId::new("c1")).await.unwrap();
    assert_eq!(company.partner_id.as_deref(), Some("p1"));
    let sites = c
        .sites()
        .of_company(&CompanyId::new("c1"))
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(sites.len(), 2);
    let core = cw_asio_client::convert::site(&sites[0], company.id.as_ref()).unwrap();
    assert_eq!(core.company.unwrap().id, "c1");
    assert!(
        c.sites()
            .of_company(&CompanyId::new("c2"))
            .unwrap()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    let s1 = c.sites().get(&SiteId::new("s1")).await.unwrap();
    assert_eq!(s1.company.unwrap().id.unwrap().as_str(), "c1");
}

#[tokio::test]
async fn device_groups_and_membership() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/platform/v1/device-groups");
            then.status(200)
                .json_body(json!([{"id": "g1", "name": "Servers", "static": true}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v2/device-groups/g1/endpoints");
            then.status(200).json_body(json!(["e1", "e2"]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v2/managed-endpoints/e1/device-groups");
            then.status(200).json_body(json!(["g1"]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v2/device-groups/gone/endpoints");
            then.status(404).json_body(
                json!({"id": "x", "message": "device group not found", "type": "NotFound"}),
            );
        })
        .await;
    let c = client(&server);
    let groups = c.device_groups().list().await.unwrap();
    assert_eq!(groups[0].is_static, Some(true));
    let members = c
        .device_groups()
        .endpoints(&DeviceGroupId::new("g1"))
        .await
        .unwrap();
    assert_eq!(members, [EndpointId::new("e1"), EndpointId::new("e2")]);
    let of = c
        .device_groups()
        .of_endpoint(&EndpointId::new("e1"))
        .await
        .unwrap();
    assert_eq!(
        of,
        [DeviceGroupId::new("G1")],
        "ids compare case-insensitively"
    );
    let err = c
        .device_groups()
        .endpoints(&DeviceGroupId::new("gone"))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let Error::Http(http) = err else { panic!() };
    assert_eq!(
        http.as_api().unwrap().message.as_deref(),
        Some("device group not found")
    );
}

#[tokio::test]
async fn custom_field_definitions_values_and_put() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let defs = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/platform/v1/custom-field/definitions").query_param("entityType", "device");
            then.status(200).json_body(json!([{"id": "a1", "name": "PSA Config", "attributeType": "string", "entityType": "device"}]));
        })
        .await;
    let values = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v2/device/endpoints/e1/custom-fields")
                .query_param("withDefaults", "true");
            then.status(200)
                .json_body(json!([{"attributeId": "a1", "name": "PSA Config", "value": "1234"}]));
        })
        .await;
    let chunked = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/company/companies/c1/custom-fields")
                .query_param_exists("attributeIDs");
            then.status(200)
                .json_body(json!([{"attributeID": "x", "value": "v"}]));
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/platform/v2/device/endpoints/e1/custom-fields")
                .json_body(json!([{"entityId": "e1", "attributeId": "a1", "value": "5678"}]));
            then.status(200)
                .json_body(json!([{"attributeId": "a1", "value": "5678"}]));
        })
        .await;
    let c = client(&server);
    let d = c
        .custom_fields()
        .definitions(Some(&EntityType::Device))
        .await
        .unwrap();
    assert_eq!(d[0].name.as_deref(), Some("PSA Config"));
    let target = CustomFieldTarget::Endpoint(EndpointId::new("e1"));
    let v = c.custom_fields().values(&target).await.unwrap();
    assert_eq!(v[0].value.as_deref(), Some("1234"));
    let ids: Vec<AttributeId> = (0..30).map(|i| AttributeId::new(format!("a{i}"))).collect();
    let many = c
        .custom_fields()
        .values_of(&CustomFieldTarget::Company(CompanyId::new("c1")), &ids)
        .await
        .unwrap();
    assert_eq!(many.len(), 2, "30 ids go out as 25 + 5");
    chunked.assert_calls_async(2).await;
    let update = CustomFieldValueUpdate {
        entity_id: "e1".into(),
        attribute_id: AttributeId::new("a1"),
        value: Some("5678".into()),
    };
    let saved = c
        .custom_fields()
        .put_values(&target, std::slice::from_ref(&update))
        .await
        .unwrap();
    assert_eq!(saved[0].value.as_deref(), Some("5678"));
    let wrong = CustomFieldValueUpdate {
        entity_id: "e2".into(),
        ..update
    };
    assert!(matches!(
        c.custom_fields().put_values(&target, &[wrong]).await,
        Err(Error::InvalidInput(_))
    ));
    defs.assert_calls_async(1).await;
    values.assert_calls_async(1).await;
    put.assert_calls_async(1).await;
}

#[tokio::test]
async fn text_plain_errors_become_typed_errors() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.path("/v1/rate_limits");
            then.status(503)
                .header("content-type", "text/plain")
                .body("upstream unavailable");
        })
        .await;
    let c = client(&server);
    let err = c.rate_limits().await.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.request_id().is_some());
    let Error::Http(http) = err else { panic!() };
    assert_eq!(
        http.as_api().unwrap().message.as_deref(),
        Some("upstream unavailable")
    );
}

#[tokio::test]
async fn an_endless_next_link_stops_at_the_page_cap() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let base = server.base_url();
    // Every page points at a fresh cursor: no loop to detect, only the cap ends it.
    let pages = server
        .mock_async(move |when, then| {
            when.method(GET).path(COMPANIES);
            then.respond_with(move |req: &httpmock::HttpMockRequest| {
                let n: u32 = req
                    .query_params()
                    .iter()
                    .find(|(k, _)| k == "cursor")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                httpmock::HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .header(
                        "link",
                        format!("<{base}{COMPANIES}?cursor={}>; rel=\"next\"", n + 1),
                    )
                    .body(json!([{"id": format!("c{n}")}]).to_string())
                    .build()
            });
        })
        .await;
    let c = client(&server);
    let got: Vec<_> = c
        .companies()
        .list()
        .unwrap()
        .max_pages(3)
        .stream()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(got.iter().filter(|r| r.is_ok()).count(), 3);
    let err = got.last().unwrap().as_ref().unwrap_err();
    assert!(err.to_string().contains("stopped after 3 pages"), "{err}");
    pages.assert_calls_async(3).await;
}

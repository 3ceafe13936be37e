//! v2 device list (splitting, merging, paging, 404, 405 fallback, 429 retry), detail, and the v1 calls.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cw_asio_client::model::{CompanyId, EndpointCategory, EndpointId, ResourceType, SiteId};
use cw_asio_client::{Error, V1Scope};
use futures::TryStreamExt;
use httpmock::prelude::*;
use serde_json::{Value, json};

const LIST: &str = "/api/platform/v2/device/categories/all/endpoints";

fn group(company: &str, site: &str, ids: &[&str]) -> Value {
    json!({"companyID": company, "siteID": site,
           "endpoints": ids.iter().map(|id| json!({"endpointID": id, "friendlyName": id})).collect::<Vec<_>>()})
}

#[tokio::test]
async fn nine_companies_are_split_into_bodies_of_four_and_merged_without_duplicates() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let companies: Vec<String> = (1..=9).map(|i| format!("c{i}")).collect();
    let mut mocks = Vec::new();
    for (n, chunk) in companies.chunks(4).enumerate() {
        // Each body's answer also repeats endpoint "shared" to prove the merge drops duplicates.
        let groups: Vec<Value> = chunk
            .iter()
            .map(|c| {
                group(
                    c,
                    &format!("{c}-s"),
                    &[&format!("{c}-e1"), &format!("{c}-e2")],
                )
            })
            .chain(std::iter::once(group(&chunk[0], "x", &["shared"])))
            .collect();
        let body = json!({"resourceType": "company", "resources": chunk});
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(POST)
                        .path(LIST)
                        .query_param("limit", "500")
                        .json_body(body);
                    then.status(200)
                        .json_body(json!({"platform": groups, "network": [], "cloud": []}));
                })
                .await,
        );
        let _ = n;
    }
    let c = client(&server);
    let ids: Vec<CompanyId> = companies
        .iter()
        .map(|c| CompanyId::new(c.as_str()))
        .collect();
    let list = c.devices().of_companies(ids.iter());
    let batches = list.batches();
    assert_eq!(
        batches
            .iter()
            .map(|b| b.resources.len())
            .collect::<Vec<_>>(),
        [4, 4, 1]
    );
    let all = list.collect().await.unwrap();
    for m in &mocks {
        m.assert_calls_async(1).await;
    }
    assert_eq!(all.len(), 9 * 2 + 1);
    let mut ids: Vec<&str> = all
        .iter()
        .map(|e| e.endpoint.endpoint_id.as_ref().unwrap().as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 19, "every endpoint exactly once");
    let first = all
        .iter()
        .find(|e| e.endpoint.friendly_name.as_deref() == Some("c1-e1"))
        .unwrap();
    assert_eq!(first.company_id.as_ref().unwrap().as_str(), "c1");
    assert_eq!(first.site_id.as_ref().unwrap().as_str(), "c1-s");
    assert_eq!(first.category, EndpointCategory::Platform);
    assert_eq!(first.to_device().unwrap().company.unwrap().id, "c1");
}

#[test]
fn body_limits_per_resource_type() {
    let c = cw_asio_client::Client::builder()
        .base_url("https://example.invalid")
        .client_id("c")
        .client_secret("s")
        .build()
        .unwrap();
    let sites = c.devices().list(
        EndpointCategory::Platform,
        ResourceType::Site,
        (0..25).map(|i| format!("s{i}")),
    );
    assert_eq!(
        sites
            .batches()
            .iter()
            .map(|b| b.resources.len())
            .collect::<Vec<_>>(),
        [10, 10, 5]
    );
    let eps = c.devices().list(
        EndpointCategory::Platform,
        ResourceType::Endpoint,
        (0..1001).map(|i| format!("e{i}")),
    );
    assert_eq!(
        eps.batches()
            .iter()
            .map(|b| b.resources.len())
            .collect::<Vec<_>>(),
        [500, 500, 1]
    );
    let dup = c.devices().list(
        EndpointCategory::Platform,
        ResourceType::Company,
        ["A", "a", "b", " "],
    );
    assert_eq!(
        dup.batches()[0].resources,
        ["A", "b"],
        "ids de-duplicated case-insensitively, blanks dropped"
    );
}

#[tokio::test]
async fn pages_follow_link_cursor_and_a_404_page_is_the_end() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let next = format!("{}{LIST}?cursor=2&limit=2", server.base_url());
    let p1 = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(LIST)
                .query_param_missing("cursor")
                .query_param("field", "system,os");
            then.status(200)
                .header("Link", format!("<{next}>; rel=\"next\""))
                .json_body(json!({"platform": [group("c1", "s1", &["a", "b"])]}));
        })
        .await;
    // The relative form (the spec's example elides the origin) is resolved against the request.
    let p2 = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST).query_param("cursor", "2");
            then.status(200)
                .header("Link", format!("<{LIST}?cursor=4&limit=2>; rel=\"next\""))
                .json_body(json!({"platform": [group("c1", "s1", &["c", "d"])]}));
        })
        .await;
    let p3 = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST).query_param("cursor", "4");
            then.status(404)
                .json_body(json!({"code": "not_found", "message": "resource not found"}));
        })
        .await;
    let c = client(&server);
    let got: Vec<_> = c
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, ["c1"])
        .fields(["system", "os"])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 4);
    p1.assert_calls_async(1).await;
    p2.assert_calls_async(1).await;
    p3.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_429_on_the_post_list_is_retried_and_nothing_is_duplicated() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let busy = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(429)
                .header("Retry-After", "0")
                .body("Too Many Requests")
                .up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(200)
                .json_body(json!({"platform": [group("c1", "s1", &["a", "b"])]}));
        })
        .await;
    let c = client(&server);
    let got = c
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, ["c1"])
        .collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    busy.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_429_without_retry_after_waits_until_the_rate_limit_reset() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    // Asio's Reset header is the epoch when the quota refills; this one refills a second from now.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let reset = (now_ms + 1000).to_string();
    let busy = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(429)
                .header("X-RateLimit-Limit", "35")
                .header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", reset)
                .body("Too Many Requests")
                .up_to_n_times(1);
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(200)
                .json_body(json!({"platform": [group("c1", "s1", &["a"])]}));
        })
        .await;
    // The backoff alone would retry after milliseconds; only the reset header explains a longer wait.
    let c = cw_asio_client::Client::builder()
        .base_url(server.base_url())
        .client_id("client-1")
        .client_secret(SECRET)
        .allow_insecure_http(true)
        .retry_policy(psa_rmm_core::http::RetryPolicy {
            max_retry_after: std::time::Duration::from_secs(5),
            ..fast_retries()
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let got = c
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, ["c1"])
        .collect()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(got.len(), 1);
    busy.assert_calls_async(1).await;
    ok.assert_calls_async(1).await;
    assert!(
        waited >= std::time::Duration::from_millis(500),
        "retried after {waited:?}, before the reset"
    );
}

#[tokio::test]
async fn a_405_on_post_switches_to_get_with_body_and_remembers_it() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(405);
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LIST)
                .json_body(json!({"resourceType": "company", "resources": ["c1"]}));
            then.status(200)
                .json_body(json!({"platform": [group("c1", "s1", &["a"])]}));
        })
        .await;
    let c = client(&server);
    for _ in 0..2 {
        let got = c
            .devices()
            .list(EndpointCategory::All, ResourceType::Company, ["c1"])
            .collect()
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
    }
    post.assert_calls_async(1).await;
    get.assert_calls_async(2).await;
}

#[tokio::test]
async fn errors_stop_the_stream_and_too_many_fields_are_refused_locally() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let bad = server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(400)
                .json_body(json!({"code": "bad_request", "message": "invalid resourceType"}));
        })
        .await;
    let c = client(&server);
    let err = c
        .devices()
        .list(
            EndpointCategory::All,
            ResourceType::Company,
            ["c1", "c2", "c3", "c4", "c5"],
        )
        .collect()
        .await
        .unwrap_err();
    let Error::Http(http) = &err else {
        panic!("{err:?}")
    };
    let api = http.as_api().unwrap();
    assert_eq!(api.code.as_deref(), Some("bad_request"));
    assert_eq!(api.message.as_deref(), Some("invalid resourceType"));
    bad.assert_calls_async(1).await;

    let fields: Vec<String> = (0..16).map(|i| format!("f{i}")).collect();
    let err = c
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, ["c1"])
        .fields(fields)
        .collect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    bad.assert_calls_async(1).await;
}

#[tokio::test]
async fn detail_asks_for_fields_and_escapes_ids() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let detail = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v2/device/companies/c%201/sites/s1/endpoints/e1")
                .query_param("field", "bios,baseboard,networks");
            then.status(200).json_body(json!({
                "companyID": "c 1", "siteID": "s1", "endpointID": "e1",
                "platform": {"bios": {"serialNumber": "SN1", "manufacturer": "Dell"},
                             "baseboard": {"hardwareUUID": "U1"},
                             "networks": [{"macAddress": "00:11:22:33:44:55"}]}
            }));
        })
        .await;
    let c = client(&server);
    let d = c
        .devices()
        .detail(
            &CompanyId::new("c 1"),
            &SiteId::new("s1"),
            &EndpointId::new("e1"),
            &["bios", "baseboard", "networks"],
        )
        .await
        .unwrap();
    detail.assert_calls_async(1).await;
    let dev = cw_asio_client::convert::device_detail(&d).unwrap();
    assert_eq!(dev.serial_number.as_deref(), Some("SN1"));
    assert_eq!(dev.mac_addresses, ["00:11:22:33:44:55"]);
}

#[tokio::test]
async fn legacy_v1_list_and_detail() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/platform/v1/device/clients/c1/endpoints");
            then.status(200).json_body(json!({"endpoints": [
                {"clientId": "c1", "siteId": "s1", "endpointId": "e1", "endpointType": "Desktop", "osType": "windows"},
                {"clientId": "c1", "siteId": "s1", "endpointId": "e2", "endpointType": "Server", "osType": "windows"}
            ]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/device/clients/c2/endpoints");
            then.status(404)
                .json_body(json!({"error": "not found", "description": "no endpoints"}));
        })
        .await;
    let fixture = std::fs::read_to_string(format!(
        "{}/tests/fixtures/endpoint_v1_detail_response.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/platform/v1/device/endpoints/e1");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture);
        })
        .await;
    let c = client(&server);
    let rows = c
        .devices()
        .list_v1(&V1Scope::Company(CompanyId::new("c1")))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].endpoint_id.as_ref().unwrap().as_str(), "e2");
    assert!(
        c.devices()
            .list_v1(&V1Scope::Company(CompanyId::new("c2")))
            .await
            .unwrap()
            .is_empty()
    );
    let detail = c.devices().detail_v1(&EndpointId::new("e1")).await.unwrap();
    assert!(detail.baseboard.is_some());
}

#[tokio::test]
async fn heartbeat_tries_each_resource_type_and_remembers_the_one_that_works() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    const HB: &str = "/api/platform/v2/device/endpoints/heartbeat";
    let companies = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(HB)
                .query_param("resourceType", "companies");
            then.status(400)
                .json_body(json!({"code": "bad_request", "message": "Invalid Resource Type"}));
        })
        .await;
    let endpoints = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(HB)
                .query_param("resourceType", "endpoints");
            then.status(403)
                .json_body(json!({"code": "forbidden", "message": "Forbidden"}));
        })
        .await;
    let clients = server
        .mock_async(|when, then| {
            when.method(GET).path(HB).query_param("resourceType", "clients");
            then.status(200).json_body(json!({"status": "successful", "successfulRecords": [
                {"clientID": "c1", "siteID": "s1", "endpoints": [{"EndpointID": "e1", "DcDateTimeUTC": "2025-11-28T05:16:43.565Z", "Availability": true}]}
            ], "failedRecords": []}));
        })
        .await;
    let c = client(&server);
    let ids: Vec<CompanyId> = (1..=6).map(|i| CompanyId::new(format!("c{i}"))).collect();
    let hb = c.devices().heartbeat(&ids).await.unwrap();
    assert_eq!(
        hb.successful_records.len(),
        2,
        "6 companies go out as 4 + 2"
    );
    assert_eq!(hb.status.as_deref(), Some("successful"));
    assert_eq!(
        hb.successful_records[0].endpoints[0].availability,
        Some(true)
    );
    companies.assert_calls_async(1).await;
    endpoints.assert_calls_async(1).await;
    clients.assert_calls_async(2).await;
}

#[tokio::test]
async fn install_token_sends_company_id_not_client_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/platform/v1/device/token")
                .json_body(json!({"companyID": "c1", "siteID": "s1"}));
            then.status(200)
                .json_body(json!("f4b2990c-075a-4132-967c-2fa3431e89df"));
        })
        .await;
    let c = client(&server);
    let t = c
        .devices()
        .install_token(&CompanyId::new("c1"), &SiteId::new("s1"))
        .await
        .unwrap();
    assert_eq!(t, "f4b2990c-075a-4132-967c-2fa3431e89df");
    m.assert_calls_async(1).await;
}

#[tokio::test]
async fn endpoints_sharing_a_friendly_name_are_both_kept() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(LIST);
            then.status(200).json_body(json!({"platform": [{"companyID": "c1", "siteID": "s1", "endpoints": [
                {"endpointID": "e1", "friendlyName": "RECEPTION"}, {"endpointID": "e2", "friendlyName": "RECEPTION"}
            ]}]}));
        })
        .await;
    let c = client(&server);
    let got = c
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, ["c1"])
        .collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 2, "the endpoint id is the key, not the name");
}

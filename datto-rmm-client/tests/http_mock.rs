//! The Datto client against httpmock: auth, pagination, every resource group, throttling and the IP block.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::time::{Duration, Instant};

use datto_rmm_client::model::{
    AuditKind, CreateQuickJobRequest, CreateSiteRequest, DeviceClass, NewVariable, UdfError,
    UdfUpdate, UpdateSiteRequest,
};
use datto_rmm_client::{
    AlertUid, Budget, Client, ComponentUid, DeviceId, DeviceUid, Error, SiteUid, VariableId,
};
use futures::TryStreamExt;
use httpmock::prelude::*;
use psa_rmm_core::http::RetryPolicy;
use serde_json::json;

const TOKEN: &str = "tok-1";

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(5),
        max_retry_after: Duration::from_millis(30),
        retry_500: true,
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("KEY")
        .api_secret("S3cr&t+pass")
        .allow_insecure_http(true)
        .retry_policy(fast_retry())
        .read_budget(Budget::per_minute(60_000))
        .ip_block_backoff(Duration::from_millis(200))
        .build()
        .unwrap()
}

async fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(200).json_body(json!({
                "access_token": TOKEN, "token_type": "bearer", "expires_in": 360000, "scope": "default"
            }));
        })
        .await
}

fn page(items_key: &str, items: serde_json::Value, next: Option<&str>) -> serde_json::Value {
    let mut v = json!({"pageDetails": {"count": 1, "totalCount": 3, "prevPageUrl": null, "nextPageUrl": next}});
    v[items_key] = items;
    v
}

#[tokio::test]
async fn password_grant_with_public_client_form_encoded_and_cached() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/auth/oauth/token")
                // base64("public-client:public")
                .header("authorization", "Basic cHVibGljLWNsaWVudDpwdWJsaWM=")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "password")
                .form_urlencoded_tuple("username", "KEY")
                .form_urlencoded_tuple("password", "S3cr&t+pass");
            then.status(200)
                .json_body(json!({"access_token": TOKEN, "expires_in": 360000}));
        })
        .await;
    let account = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200)
                .json_body(json!({"id": 7, "uid": "pin4dcc0001", "name": "MSP"}));
        })
        .await;
    let c = client(&server);
    let a = c.account().get().await.unwrap();
    let b = c.clone().account().get().await.unwrap();
    assert_eq!(a.name.as_deref(), Some("MSP"));
    assert_eq!(b.uid.unwrap().as_str(), "pin4dcc0001");
    assert_eq!(
        token.calls_async().await,
        1,
        "the token is cached across calls and clones"
    );
    assert_eq!(account.calls_async().await, 2);
    assert_eq!(c.stats().token_requests, 1);
}

#[tokio::test]
async fn bad_credentials_are_a_typed_auth_error_without_the_secret() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(400).json_body(
                json!({"error": "invalid_grant", "error_description": "Bad credentials"}),
            );
        })
        .await;
    let err = client(&server).account().get().await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert!(!format!("{err:?} {err}").contains("S3cr&t+pass"));
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_retries() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(200)
                .json_body(json!({"access_token": "old", "expires_in": 360000}));
        })
        .await;
    let rejected = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account")
                .header("authorization", "Bearer old");
            then.status(401);
        })
        .await;
    let c = client(&server);
    // Let the first token be issued, then swap the token endpoint to hand out a new one.
    assert!(
        c.account().get().await.is_err(),
        "old token rejected twice ends in 401"
    );
    first.delete_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(200)
                .json_body(json!({"access_token": "new", "expires_in": 360000}));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account")
                .header("authorization", "Bearer new");
            then.status(200).json_body(json!({"name": "MSP"}));
        })
        .await;
    let account = c.account().get().await.unwrap();
    assert_eq!(account.name.as_deref(), Some("MSP"));
    assert_eq!(ok.calls_async().await, 1);
    assert!(rejected.calls_async().await >= 2);
}

#[tokio::test]
async fn pages_from_zero_keep_filters_and_stop_on_null_next() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    for n in 0..3 {
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/api/v2/account/devices")
                    .query_param("page", n.to_string())
                    .query_param("max", "250")
                    .query_param("hostname", "web");
                // nextPageUrl drops the filter: the client builds the next URL itself.
                let next = if n < 2 {
                    Some("https://x/api/v2/account/devices?page=9")
                } else {
                    None
                };
                then.status(200).json_body(page(
                    "devices",
                    json!([{"uid": format!("d{n}"), "hostname": "web"}]),
                    next,
                ));
            })
            .await;
    }
    let c = client(&server);
    let uids: Vec<String> = c
        .account()
        .devices()
        .filter("hostname", "web")
        .stream()
        .map_ok(|d| d.uid.unwrap().0)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(uids, ["d0", "d1", "d2"]);
}

#[tokio::test]
async fn empty_next_url_or_missing_details_ends_the_walk() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let sites = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/sites").query_param("page", "0");
            then.status(200).json_body(page(
                "sites",
                json!([{"uid": "s1", "name": "Acme"}, {"uid": "dd-not-a-guid", "name": "Deleted Devices"}]),
                Some(""),
            ));
        })
        .await;
    let users = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/users");
            then.status(200)
                .json_body(json!({"users": [{"username": "a", "created": 1700000000000_i64}]}));
        })
        .await;
    let c = client(&server);
    let all = c.account().sites().all().await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[1].is_system_site());
    assert_eq!(sites.calls_async().await, 1);
    let u = c.account().users().all().await.unwrap();
    assert_eq!(u[0].created.unwrap().timestamp(), 1_700_000_000);
    assert_eq!(users.calls_async().await, 1);
}

#[tokio::test]
async fn site_resources_and_writes() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/site/s1");
            then.status(200)
                .json_body(json!({"uid": "s1", "name": "Acme", "onDemand": false}));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v2/site")
                .json_body(json!({"name": "New Co"}));
            then.status(200)
                .json_body(json!({"uid": "s2", "name": "New Co"}));
        })
        .await;
    let update = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/site/s1")
                .json_body(json!({"name": "Acme", "notes": "n"}));
            then.status(200)
                .json_body(json!({"uid": "s1", "name": "Acme", "notes": "n"}));
        })
        .await;
    let nics = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/site/s1/devices/network-interface");
            then.status(200).json_body(page(
                "devices",
                json!([{"uid": "d1", "nics": [{"macAddress": "00:11:22:33:44:55", "type": "Ethernet"}]}]),
                None,
            ));
        })
        .await;
    let settings = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/site/s1/settings");
            then.status(200)
                .json_body(json!({"generalSettings": {"name": "Acme"}, "mailRecipients": null}));
        })
        .await;
    let var = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/api/v2/site/s1/variable")
                .json_body(json!({"name": "k", "value": "v", "masked": false}));
            then.status(200);
        })
        .await;
    let del = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/api/v2/site/s1/variable/5");
            then.status(200);
        })
        .await;
    let c = client(&server);
    let site = c.site("s1");
    assert_eq!(site.get().await.unwrap().name.as_deref(), Some("Acme"));
    assert_eq!(
        c.sites()
            .create(&CreateSiteRequest::new("New Co"))
            .await
            .unwrap()
            .uid,
        Some(SiteUid::from("s2"))
    );
    let mut upd = UpdateSiteRequest::new("Acme");
    upd.notes = Some("n".into());
    assert_eq!(site.update(&upd).await.unwrap().notes.as_deref(), Some("n"));
    let rows = site.network_interfaces().all().await.unwrap();
    assert_eq!(
        rows[0].nics[0].mac_address.as_deref(),
        Some("00:11:22:33:44:55")
    );
    assert!(site.settings().await.unwrap().mail_recipients.is_empty());
    site.create_variable(&NewVariable {
        name: "k".into(),
        value: "v".into(),
        masked: false,
    })
    .await
    .unwrap();
    site.delete_variable(VariableId(5)).await.unwrap();
    for m in [get, create, update, nics, settings, var, del] {
        assert_eq!(m.calls_async().await, 1);
    }
    assert_eq!(c.stats().writes, 4);
}

#[tokio::test]
async fn device_lookups_by_uid_id_and_mac_in_both_shapes() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/device/u1");
            then.status(200)
                .json_body(json!({"uid": "u1", "id": 1, "deviceClass": "esxihost"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/device/id/1");
            then.status(200).json_body(json!({"uid": "u1", "id": 1}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/device/macAddress/001A2B3C4D5E");
            then.status(200)
                .json_body(json!([{"uid": "u1"}, {"uid": "u2"}]));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/device/macAddress/AABBCCDDEEFF");
            then.status(200)
                .json_body(page("devices", json!([{"uid": "u3"}]), None));
        })
        .await;
    let c = client(&server);
    let d = c.device("u1").get().await.unwrap();
    assert_eq!(d.device_class, Some(DeviceClass::EsxiHost));
    assert_eq!(c.devices().get_by_id(DeviceId(1)).await.unwrap().uid, d.uid);
    assert_eq!(
        c.devices().by_mac("00:1a:2b:3c:4d:5e").await.unwrap().len(),
        2
    );
    assert_eq!(
        c.devices().by_mac("aa-bb-cc-dd-ee-ff").await.unwrap()[0].uid,
        Some(DeviceUid::from("u3"))
    );
    assert!(matches!(
        c.devices().by_mac("nope").await,
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn audits_route_by_device_class() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let dev = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/device/d1");
            then.status(200).json_body(json!({
                "bios": {"serialNumber": "SER1"},
                "nics": [{"macAddress": "00:11:22:33:44:55"}],
                "systemInfo": {"manufacturer": "Dell Inc.", "model": "OptiPlex"}
            }));
        })
        .await;
    let esxi = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/esxihost/e1");
            then.status(200)
                .json_body(json!({"systemInfo": {"serviceTag": "TAG9"}}));
        })
        .await;
    let printer = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/printer/p1");
            then.status(200)
                .json_body(json!({"snmpInfo": {"snmpSerial": "PRN7"}}));
        })
        .await;
    let software = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/device/d1/software");
            then.status(200).json_body(page(
                "software",
                json!([{"name": "7-Zip", "version": "23.01"}]),
                None,
            ));
        })
        .await;
    let c = client(&server);
    let device = |uid: &str, class: &str| {
        serde_json::from_value::<datto_rmm_client::model::Device>(
            json!({"uid": uid, "deviceClass": class}),
        )
        .unwrap()
    };
    let a = c
        .audits()
        .for_device(&device("d1", "device"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.serial_number(), Some("SER1"));
    let e = c
        .audits()
        .for_device(&device("e1", "esxihost"))
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(e, AuditKind::EsxiHost(_)));
    assert_eq!(e.serial_number(), Some("TAG9"));
    let p = c
        .audits()
        .for_device(&device("p1", "printer"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.serial_number(), Some("PRN7"));
    assert!(
        c.audits()
            .for_device(&device("n1", "rmmnetworkdevice"))
            .await
            .unwrap()
            .is_none()
    );
    let sw = c
        .audits()
        .software(&DeviceUid::from("d1"))
        .all()
        .await
        .unwrap();
    assert_eq!(sw[0].version.as_deref(), Some("23.01"));
    for m in [dev, esxi, printer, software] {
        assert_eq!(m.calls_async().await, 1);
    }
}

#[tokio::test]
async fn udf_write_sends_only_touched_fields_and_checks_before_sending() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let udf = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/device/d1/udf")
                .json_body(json!({"udf1": "CW-42", "udf300": ""}));
            then.status(200).body("");
        })
        .await;
    let c = client(&server);
    let update = UdfUpdate::new()
        .set(1, "CW-42")
        .unwrap()
        .clear(300)
        .unwrap();
    c.device("d1").set_udfs(&update).await.unwrap();
    assert_eq!(udf.calls_async().await, 1);
    let err = c
        .device("d1")
        .set_udf(2, "x".repeat(256))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Udf(UdfError::TooLong { index: 2, len: 256 })
    ));
    let err = c.device("d1").set_udf(301, "x").await.unwrap_err();
    assert!(matches!(err, Error::Udf(UdfError::IndexOutOfRange(301))));
    c.device("d1").set_udfs(&UdfUpdate::new()).await.unwrap();
    assert_eq!(
        udf.calls_async().await,
        1,
        "refused and empty updates send nothing"
    );
}

#[tokio::test]
async fn move_warranty_quick_job_alerts_and_resolve() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mv = server
        .mock_async(|when, then| {
            when.method(PUT).path("/api/v2/device/d1/site/s2");
            then.status(200);
        })
        .await;
    let warranty = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v2/device/d1/warranty")
                .json_body(json!({"warrantyDate": "2027-01-31"}));
            then.status(200);
        })
        .await;
    let job = server
        .mock_async(|when, then| {
            when.method(PUT).path("/api/v2/device/d1/quickjob").json_body(json!({
                "jobName": "Sync", "jobComponent": {"componentUid": "c1", "variables": [{"name": "a", "value": "1"}]}
            }));
            then.status(200).json_body(json!({"job": {"uid": "j1", "status": "active"}, "jobComponents": []}));
        })
        .await;
    let open = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account/alerts/open")
                .query_param("muted", "false");
            then.status(200).json_body(page(
                "alerts",
                json!([{"alertUid": "a1", "timestamp": 1721131200000_i64}]),
                None,
            ));
        })
        .await;
    let resolve = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v2/alert/a1/resolve");
            then.status(200).body("");
        })
        .await;
    let c = client(&server);
    let d = c.device("d1");
    d.move_to_site(&SiteUid::from("s2")).await.unwrap();
    d.set_warranty(chrono::NaiveDate::from_ymd_opt(2027, 1, 31))
        .await
        .unwrap();
    let resp = d
        .quick_job(&CreateQuickJobRequest::new("Sync", ComponentUid::from("c1")).variable("a", "1"))
        .await
        .unwrap();
    assert_eq!(resp.job.unwrap().uid.unwrap().as_str(), "j1");
    let alerts = c
        .account()
        .open_alerts()
        .filter("muted", false)
        .all()
        .await
        .unwrap();
    assert_eq!(alerts[0].timestamp.unwrap().timestamp(), 1_721_131_200);
    c.alerts().resolve(&AlertUid::from("a1")).await.unwrap();
    for m in [mv, warranty, job, open, resolve] {
        assert_eq!(m.calls_async().await, 1);
    }
}

#[tokio::test]
async fn system_endpoints_adapt_budgets_and_page_size() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/system/request_rate");
            then.status(200).json_body(json!({
                "slidingTimeWindowSizeSeconds": 60, "accountCount": 10, "accountRateLimit": 300,
                "accountCutOffRatio": 0.9, "accountWriteRateLimit": 600, "accountWriteCount": 0,
                "operationWriteStatus": {"device-udf-set": {"limit": 600, "count": 0}, "alert-resolve": {"limit": 100, "count": 0}}
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/system/pagination");
            then.status(200).json_body(json!({"max": 100}));
        })
        .await;
    let paged = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account/variables")
                .query_param("max", "100");
            then.status(200)
                .json_body(page("variables", json!([]), None));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/system/status");
            then.status(200).json_body(
                json!({"version": "201", "status": "OK", "started": "2026-07-01T00:00:00Z"}),
            );
        })
        .await;
    let c = client(&server);
    let rate = c.sync_rate_limits().await.unwrap();
    assert_eq!(rate.reads_remaining(), Some(290));
    assert_eq!(c.budgets().reads, Budget::per_minute(300));
    assert_eq!(c.sync_page_size().await.unwrap(), 100);
    c.account().variables().all().await.unwrap();
    assert_eq!(paged.calls_async().await, 1);
    assert!(c.system().status().await.unwrap().started.is_some());
}

#[tokio::test]
async fn activity_logs_follow_next_url_and_restore_dropped_filters() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/activity-logs")
                .query_param("entities", "device")
                .query_param_missing("searchAfter");
            then.status(200).json_body(json!({
                "pageDetails": {"nextPageUrl": "https://zinfandel-api.centrastage.net/api/v2/activity-logs?page=next&searchAfter=1689072497714"},
                "activities": [{"id": "1", "entity": "DEVICE", "date": 1689072497.714}]
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/activity-logs")
                .query_param("entities", "device")
                .query_param("searchAfter", "1689072497714");
            then.status(200).json_body(
                json!({"pageDetails": {"nextPageUrl": null}, "activities": [{"id": "2"}]}),
            );
        })
        .await;
    let c = client(&server);
    let logs = c
        .activity_logs()
        .filter("entities", "device")
        .all()
        .await
        .unwrap();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0].date.unwrap().timestamp_millis(), 1_689_072_497_714);
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(second.calls_async().await, 1);
}

#[tokio::test]
async fn not_found_is_typed_and_not_retried() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let missing = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/device/gone");
            then.status(404).body("Device was not found.");
        })
        .await;
    let err = client(&server).device("gone").get().await.unwrap_err();
    assert!(err.is_not_found());
    assert!(!err.is_retryable());
    assert_eq!(missing.calls_async().await, 1);
}

#[tokio::test]
async fn a_plain_403_is_a_permission_error_not_retried() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let forbidden = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/users");
            then.status(403)
                .body("Authenticated user doesn't have access to this resource.");
        })
        .await;
    let c = client(&server);
    let err = c.account().users().all().await.unwrap_err();
    assert!(matches!(err, Error::Http(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(forbidden.calls_async().await, 1);
    assert_eq!(c.stats().ip_blocks, 0);
}

#[tokio::test]
async fn a_429_honours_retry_after_then_succeeds() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let busy = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account");
            then.status(429).header("Retry-After", "1");
        })
        .await;
    let c = client(&server);
    let start = Instant::now();
    let handle = tokio::spawn({
        let c = c.clone();
        async move { c.account().get().await }
    });
    // Swap the mock only once the 429 was served: a fixed sleep races the request on a loaded machine.
    while busy.calls_async().await == 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    busy.delete_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account");
            then.status(200).json_body(json!({"name": "MSP"}));
        })
        .await;
    let account = handle.await.unwrap().unwrap();
    assert_eq!(account.name.as_deref(), Some("MSP"));
    assert!(c.stats().throttled >= 1);
    assert!(
        start.elapsed() >= Duration::from_millis(25),
        "Retry-After (capped to 30 ms) was waited"
    );
}

#[tokio::test]
async fn a_403_after_429_is_the_ip_block_backed_off_then_typed() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let busy = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/sites");
            then.status(429);
        })
        .await;
    busy.up_to_n_times_async(1).await;
    let blocked = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/sites");
            then.status(403).body("Forbidden");
        })
        .await;
    let c = client(&server);
    let start = Instant::now();
    let err = c.account().sites().all().await.unwrap_err();
    let waited = start.elapsed();
    match &err {
        Error::IpBlocked { retry_after, .. } => {
            assert_eq!(*retry_after, Duration::from_millis(200))
        }
        other => panic!("expected IpBlocked, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_millis(200)));
    assert!(
        waited >= Duration::from_millis(200),
        "backed off before the probe: {waited:?}"
    );
    assert_eq!(
        blocked.calls_async().await,
        2,
        "one 403, one probe after the back-off, no hot loop"
    );
    // Every request of the client now waits the block out instead of hitting the server.
    let start = Instant::now();
    let _ = c.account().sites().page(0).await;
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn an_id_that_would_change_the_path_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let c = client(&server);
    for uid in ["..", ".", "a\rb", ""] {
        let err = c.device(uid).set_udf(1, "x").await.unwrap_err();
        assert!(
            err.to_string().contains("cannot be used as an id"),
            "{uid:?}: {err}"
        );
    }
    assert_eq!(token.calls_async().await, 0, "nothing was sent");
}

#[tokio::test]
async fn a_token_request_that_meets_a_503_or_a_cut_answer_is_sent_again() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(503).body("Service Unavailable");
        })
        .await;
    unavailable.up_to_n_times_async(1).await;
    let cut = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token": "tok"#);
        })
        .await;
    cut.up_to_n_times_async(1).await;
    let token = token_mock(&server).await;
    let account = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/account")
                .header("authorization", format!("Bearer {TOKEN}"));
            then.status(200)
                .json_body(json!({"uid": "acc-1", "name": "Acme MSP"}));
        })
        .await;
    let c = client(&server);
    c.account().get().await.unwrap();
    assert_eq!(
        (
            unavailable.calls_async().await,
            cut.calls_async().await,
            token.calls_async().await
        ),
        (1, 1, 1)
    );
    account.assert_calls_async(1).await;
    assert_eq!(c.stats().token_requests, 1, "one logical token request");
}

//! The Datto quirks checklist (reference sections 5 and 10) items no other test pins down: a site GET
//! wrapped in `{"site": …}`, an audit 400 for a device whose class changed not failing a scan (and no audit
//! for network devices), MAC lookups finding nobody, and device timestamps as epoch-ms, ISO or .NET min.
#![allow(clippy::unwrap_used)] // test crate: a panic is the failure report

use std::time::Duration;

use datto_rmm_client::model::{Device, DeviceClass};
use datto_rmm_client::scan::ScanOptions;
use datto_rmm_client::{Budget, Client, DeviceUid};
use httpmock::prelude::*;
use psa_rmm_core::http::RetryPolicy;
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("KEY")
        .api_secret("secret")
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            initial_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_elapsed: Duration::from_secs(5),
            max_retry_after: Duration::from_millis(30),
            retry_500: true,
        })
        .read_budget(Budget::per_minute(60_000))
        .build()
        .unwrap()
}

async fn token(server: &MockServer) {
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/oauth/token");
            then.status(200).json_body(
                json!({"access_token": "tok", "token_type": "bearer", "expires_in": 360000}),
            );
        })
        .await;
}

fn page(key: &str, items: serde_json::Value) -> serde_json::Value {
    let mut v = json!({"pageDetails": {"count": 3, "totalCount": 3, "nextPageUrl": null}});
    v[key] = items;
    v
}

#[tokio::test]
async fn a_site_get_is_read_bare_or_wrapped_in_site() {
    let server = MockServer::start_async().await;
    token(&server).await;
    for (uid, body) in [
        ("s1", json!({"uid": "s1", "name": "Acme"})),
        ("s2", json!({"site": {"uid": "s2", "name": "Beta"}})),
    ] {
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("/api/v2/site/{uid}"));
                then.status(200).json_body(body);
            })
            .await;
    }
    let c = client(&server);
    assert_eq!(
        c.site("s1").get().await.unwrap().name.as_deref(),
        Some("Acme")
    );
    let wrapped = c.site("s2").get().await.unwrap();
    assert_eq!(wrapped.name.as_deref(), Some("Beta"));
    assert_eq!(wrapped.uid.unwrap().as_str(), "s2");
}

#[tokio::test]
async fn an_audit_400_does_not_fail_a_scan_and_network_devices_are_not_audited() {
    let server = MockServer::start_async().await;
    token(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/sites");
            then.status(200).json_body(page(
                "sites",
                json!([{"uid": "s1", "name": "Acme", "devicesStatus": {"numberOfDevices": 3}}]),
            ));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/account/devices");
            then.status(200).json_body(page("devices", json!([
                {"uid": "d1", "siteUid": "s1", "deviceClass": "device"},
                {"uid": "d2", "siteUid": "s1", "deviceClass": "device"},
                {"uid": "n1", "siteUid": "s1", "deviceClass": "rmmnetworkdevice", "cagVersion": null}
            ])));
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/device/d1");
            then.status(200)
                .json_body(json!({"bios": {"serialNumber": "SN1"}}));
        })
        .await;
    let moved = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/audit/device/d2");
            then.status(400)
                .body("The device identified by the given device UID is not of class device.");
        })
        .await;
    let network = server
        .mock_async(|when, then| {
            when.method(GET).path_includes("/n1");
            then.status(500);
        })
        .await;
    let inv = client(&server)
        .scan_inventory(ScanOptions::default())
        .await
        .unwrap();
    assert_eq!(inv.devices.len(), 3);
    let by_uid = |u: &str| {
        inv.devices
            .iter()
            .find(|d| d.device.uid.as_ref().map(|x| x.as_str()) == Some(u))
            .unwrap()
    };
    let serial = by_uid("d1")
        .identity
        .as_ref()
        .unwrap()
        .serial_number
        .clone();
    assert_eq!(serial.as_deref(), Some("SN1"));
    assert!(by_uid("d2").identity.is_none());
    let n1 = by_uid("n1");
    assert_eq!(n1.device.device_class, Some(DeviceClass::RmmNetworkDevice));
    assert!(!n1.audited);
    ok.assert_calls_async(1).await;
    moved.assert_calls_async(1).await;
    network.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_mac_nobody_has_is_an_empty_list_in_either_shape() {
    let server = MockServer::start_async().await;
    token(&server).await;
    for (mac, body) in [
        ("001122334455", json!([])),
        ("AABBCCDDEEFF", page("devices", json!([]))),
    ] {
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(format!("/api/v2/device/macAddress/{mac}"));
                then.status(200).json_body(body);
            })
            .await;
    }
    let c = client(&server);
    assert!(
        c.devices()
            .by_mac("00:11:22:33:44:55")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        c.devices()
            .by_mac("aa.bb.cc.dd.ee.ff")
            .await
            .unwrap()
            .is_empty()
    );
}

#[test]
fn device_timestamps_are_epoch_ms_iso_or_the_dotnet_minimum() {
    let d: Device = serde_json::from_value(json!({
        "uid": "Deleted-Devices-not-a-guid",
        "lastSeen": 1_689_072_497_714_i64,
        "lastAuditDate": "2023-07-11T10:48:17Z",
        "lastReboot": -62_135_596_800_000_i64,
        "creationDate": null
    }))
    .unwrap();
    assert_eq!(d.last_seen.unwrap().timestamp_millis(), 1_689_072_497_714);
    assert_eq!(d.last_audit_date.unwrap().timestamp(), 1_689_072_497);
    assert_eq!(d.last_reboot, None);
    assert_eq!(d.creation_date, None);
    assert_eq!(d.uid, Some(DeviceUid::from("Deleted-Devices-not-a-guid")));
}

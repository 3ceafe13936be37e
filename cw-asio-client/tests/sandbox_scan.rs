//! Device scans against the sandbox's Asio fake: 3,000 endpoints across 40 companies, a 429 mid-scan, and a
//! request for 9 companies split into bodies the API accepts.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use cw_asio_client::model::{CompanyId, EndpointCategory, ResourceType};
use futures::TryStreamExt;
use psa_rmm_core::http::RetryPolicy;
use psa_rmm_core::model::{DeviceKind, System};
use psa_rmm_sandbox::Vendor;
use psa_rmm_sandbox::asio::AsioOptions;
use support::*;

const LIST: &str = "/api/platform/v2/device/categories/*/endpoints";
const HARDWARE: [&str; 5] = ["system", "os", "bios", "baseboard", "networks"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_scan_of_3000_endpoints_across_40_companies() {
    let tenant = tenant(40, 75);
    let expected: HashMap<String, psa_rmm_core::model::Device> = tenant
        .rmm_devices
        .iter()
        .map(|d| (d.external.id.clone(), d.clone()))
        .collect();
    let sandbox = sandbox(tenant, AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);

    let companies = client
        .companies()
        .list()
        .unwrap()
        .limit(7)
        .collect()
        .await
        .unwrap();
    assert_eq!(
        companies.len(),
        40,
        "six pages of 7 through the opaque cursor"
    );
    assert_eq!(
        sandbox.log().count(
            Vendor::Asio,
            Some("GET"),
            "/api/platform/v1/company/companies"
        ),
        6
    );
    let ids: Vec<CompanyId> = companies.iter().filter_map(|c| c.id.clone()).collect();
    let sites = client
        .sites()
        .of_company(&ids[0])
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(sites.len(), 2);

    let listed: Vec<_> = client
        .devices()
        .of_companies(ids.iter())
        .fields(HARDWARE)
        .limit(200)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3000);
    let unique: HashSet<_> = listed
        .iter()
        .map(|e| e.endpoint.endpoint_id.clone().unwrap())
        .collect();
    assert_eq!(unique.len(), 3000, "every endpoint exactly once");
    // 10 bodies of 4 companies, 300 endpoints each: two pages of 200 per body.
    assert_eq!(sandbox.log().count(Vendor::Asio, Some("POST"), LIST), 20);

    for e in &listed {
        let device = e.to_device().unwrap();
        let truth = &expected[&device.external.id];
        assert_eq!(device.external.system, System::CwAsio);
        assert_eq!(device.company, truth.company, "{}", device.external.id);
        assert_eq!(device.site, truth.site);
        assert_eq!(device.hostname, truth.hostname);
        assert_eq!(device.serial_number, truth.serial_number);
        assert_eq!(device.hardware_uuid, truth.hardware_uuid);
        assert_eq!(device.mac_addresses, truth.mac_addresses);
        assert_eq!(device.manufacturer, truth.manufacturer);
        assert_eq!(device.model, truth.model);
        assert_eq!(device.last_user, truth.last_user);
        let want_kind = match truth.kind {
            DeviceKind::Laptop => DeviceKind::Laptop,
            DeviceKind::Server => DeviceKind::Server,
            _ => DeviceKind::Workstation,
        };
        assert_eq!(device.kind, want_kind);
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_mid_scan_recovers_with_every_endpoint_exactly_once() {
    // 4 device requests per 10-minute window on a frozen sandbox clock; a watcher moves the clock to the
    // next window only after a 429 was answered, so the scan is sure to run into the limit mid-way.
    let asio = AsioOptions::default()
        .rate_limit(4, Duration::from_secs(600))
        .token_lifetime(Duration::from_secs(100_000_000));
    let sandbox = sandbox(tenant(40, 75), asio, 0.0).await;
    let (clock, log) = (sandbox.clock().clone(), sandbox.log().clone());
    let ticker = tokio::spawn(async move {
        let mut seen = 0;
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let throttled = log.count_status(Vendor::Asio, 429);
            if throttled > seen {
                seen = throttled;
                clock.advance(Duration::from_secs(600));
            }
        }
    });
    // The fake's Retry-After is in sandbox seconds (the clock is frozen); cap it to the watcher's pace.
    let policy = RetryPolicy {
        max_attempts: 20,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_elapsed: Duration::from_secs(30),
        max_retry_after: Duration::from_millis(200),
        retry_500: false,
    };
    let client = builder(&sandbox, None)
        .retry_policy(policy)
        .build()
        .unwrap();
    let ids: Vec<CompanyId> = sandbox
        .asio_control()
        .unwrap()
        .company_ids()
        .into_iter()
        .map(CompanyId::new)
        .collect();
    let listed = client
        .devices()
        .of_companies(ids.iter())
        .fields(["system"])
        .collect()
        .await
        .unwrap();
    ticker.abort();
    let throttled = sandbox.log().count_status(Vendor::Asio, 429);
    assert!(throttled >= 1, "the scan must have hit the rate limit");
    assert_eq!(listed.len(), 3000);
    let unique: HashSet<_> = listed
        .iter()
        .map(|e| e.endpoint.endpoint_id.clone().unwrap())
        .collect();
    assert_eq!(
        unique.len(),
        3000,
        "every endpoint exactly once after {throttled} 429s"
    );
    assert_eq!(
        sandbox.log().count_status(Vendor::Asio, 200) - 1,
        10,
        "one token and ten device pages succeeded; nothing was fetched twice"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_request_for_nine_companies_is_split_and_merged_without_duplicates() {
    let sandbox = sandbox(tenant(12, 20), AsioOptions::default(), 1.0).await;
    let client = client(&sandbox, None);
    let control = sandbox.asio_control().unwrap();
    let mut nine: Vec<String> = control.company_ids().into_iter().take(9).collect();
    // The same company twice, in another case: still asked for once.
    nine.push(nine[0].to_uppercase());
    let list = client
        .devices()
        .list(EndpointCategory::All, ResourceType::Company, nine.clone());
    assert_eq!(
        list.batches()
            .iter()
            .map(|b| b.resources.len())
            .collect::<Vec<_>>(),
        [4, 4, 1]
    );
    let listed = list.collect().await.unwrap();
    assert_eq!(sandbox.log().count(Vendor::Asio, Some("POST"), LIST), 3);
    assert_eq!(listed.len(), 9 * 20);
    let unique: HashSet<_> = listed
        .iter()
        .map(|e| e.endpoint.endpoint_id.clone().unwrap())
        .collect();
    assert_eq!(unique.len(), 180);
    let companies: HashSet<_> = listed
        .iter()
        .map(|e| e.company_id.clone().unwrap())
        .collect();
    assert_eq!(companies.len(), 9);

    // The fake itself refuses a body over the limit, as the API does.
    let token = reqwest::Client::new()
        .post(format!("{}/v1/token", sandbox.asio_access().base_url))
        .json(&serde_json::json!({"grant_type": "client_credentials", "client_id": sandbox.asio_access().client_id,
                                  "client_secret": sandbox.asio_access().client_secret, "scope": "platform.devices.read"}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/platform/v2/device/categories/all/endpoints",
            sandbox.asio_access().base_url
        ))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&serde_json::json!({"resourceType": "company", "resources": &nine[..5]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    sandbox.shutdown().await;
}

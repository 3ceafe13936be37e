//! Full scans of 5,000 configurations against the sandbox's Manage fake, with faults injected mid-scan:
//! a 429 with Retry-After, a dropped connection, a truncated page (read again; typed error when it stays cut)
//! and a codebase change.
#![allow(clippy::unwrap_used)] // helpers of a test crate, where a panic is the failure report

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use cw_manage_client::conditions::Query;
use cw_manage_client::model::Configuration;
use cw_manage_client::{Client, Error, RetryPolicy, SecretString};
use futures::StreamExt;
use psa_rmm_core::http::HttpError;
use psa_rmm_sandbox::{
    Fault, FaultKind, ManageControl, Sandbox, SandboxOptions, TenantSpec, Vendor,
};

const TOTAL: usize = 5_000;
const COLLECTION: &str = "company/configurations";

async fn sandbox() -> (Sandbox, Arc<ManageControl>, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .unwrap();
    let control = sandbox.manage_control().unwrap();
    let access = sandbox.manage_access();
    let client = Client::builder()
        .base_url(access.base_url.parse().unwrap())
        .allow_insecure_http(true)
        .company_id(access.company_id.clone())
        .public_key(access.public_key.clone())
        .private_key(SecretString::from(access.private_key.clone()))
        .client_id(access.client_id.clone())
        .rate_limit(None)
        .retry_policy(RetryPolicy {
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    // Top the seeded configurations up to exactly TOTAL, copying a real record's shape.
    let sample = client
        .configurations()
        .list(Query::new().page_size(1))
        .send()
        .await
        .unwrap()
        .items;
    let template = control.record(COLLECTION, sample[0].id.get()).unwrap();
    let mut next_id = 1_000_000;
    while control.count(COLLECTION) < TOTAL {
        let mut r = template.clone();
        r["name"] = serde_json::json!(format!("BULK-{next_id}"));
        r["serialNumber"] = serde_json::json!(format!("SN{next_id}"));
        assert!(control.put(COLLECTION, next_id, r));
        next_id += 1;
    }
    assert_eq!(control.count(COLLECTION), TOTAL);
    (sandbox, control, client)
}

/// Streams every configuration; after the first record arrives (page one is in hand), runs `inject`.
async fn scan(client: &Client, inject: impl FnOnce()) -> Result<Vec<i64>, Error> {
    let mut stream = Box::pin(client.configurations().all().stream());
    let mut ids = Vec::with_capacity(TOTAL);
    let mut inject = Some(inject);
    while let Some(item) = stream.next().await {
        let c: Configuration = item?;
        ids.push(c.id.get());
        if let Some(f) = inject.take() {
            f();
        }
    }
    Ok(ids)
}

fn assert_exactly_once(ids: &[i64]) {
    let unique: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(ids.len(), TOTAL, "records seen");
    assert_eq!(unique.len(), TOTAL, "each record exactly once");
}

#[tokio::test]
async fn full_scan_of_5000_configurations() {
    let (sandbox, _, client) = sandbox().await;
    let ids = scan(&client, || {}).await.unwrap();
    assert_exactly_once(&ids);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "forward-only order is by id"
    );
    // 5 full pages of 1000 and the empty-Link end: no page-size-25 truncation.
    let gets = sandbox
        .log()
        .count(Vendor::Manage, Some("GET"), "*/company/configurations");
    assert!(gets <= 7, "{gets} requests for 5 pages");
    assert_eq!(
        client.configurations().count(&Query::new()).await.unwrap(),
        TOTAL as u64
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_429_with_retry_after_mid_scan_recovers_every_record_once() {
    let (sandbox, _, client) = sandbox().await;
    let faults = sandbox.faults().clone();
    let ids = scan(&client, move || {
        faults.push(
            Fault::new(
                Vendor::Manage,
                "*/company/configurations",
                FaultKind::status(429)
                    .retry_after(1)
                    .body(r#"{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 1 seconds."}"#),
            )
            .method("GET")
            .times(1),
        );
    })
    .await
    .unwrap();
    assert_exactly_once(&ids);
    assert_eq!(sandbox.log().count_status(Vendor::Manage, 429), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_mid_scan_recovers() {
    let (sandbox, _, client) = sandbox().await;
    let faults = sandbox.faults().clone();
    let ids = scan(&client, move || {
        faults.push(
            Fault::new(
                Vendor::Manage,
                "*/company/configurations",
                FaultKind::DropConnection,
            )
            .method("GET")
            .times(1),
        );
        faults.push(
            Fault::new(
                Vendor::Manage,
                "*/company/configurations",
                FaultKind::BrokenBody,
            )
            .method("GET")
            .times(1),
        );
    })
    .await
    .unwrap();
    assert_exactly_once(&ids);
    sandbox.shutdown().await;
}

fn truncated_pages(times: u32) -> Fault {
    Fault::new(
        Vendor::Manage,
        "*/company/configurations",
        FaultKind::TruncatedBody,
    )
    .method("GET")
    .times(times)
}

#[tokio::test]
async fn a_truncated_page_mid_scan_is_read_again() {
    let (sandbox, _, client) = sandbox().await;
    let faults = sandbox.faults().clone();
    let ids = scan(&client, move || faults.push(truncated_pages(1)))
        .await
        .unwrap();
    assert_exactly_once(&ids);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_page_truncated_on_every_attempt_fails_with_a_typed_decode_error() {
    let (sandbox, _, client) = sandbox().await;
    let faults = sandbox.faults().clone();
    let attempts = RetryPolicy::default().max_attempts;
    let err = scan(&client, move || faults.push(truncated_pages(attempts)))
        .await
        .unwrap_err();
    match err.http() {
        Some(e @ HttpError::Decode(d)) => {
            assert_eq!(d.status.as_u16(), 200);
            assert!(e.is_cut_short(), "{e}");
        }
        other => panic!("expected a decode error, got {other:?} from {err:?}"),
    }
    assert!(sandbox.faults().is_empty(), "every attempt met the fault");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_codebase_change_mid_scan_recovers() {
    let (sandbox, control, client) = sandbox().await;
    assert_eq!(client.current_codebase().as_deref(), Some("v4_6_release/"));
    let c = control.clone();
    let ids = scan(&client, move || c.set_codebase("v2025_1"))
        .await
        .unwrap();
    assert_exactly_once(&ids);
    assert_eq!(client.current_codebase().as_deref(), Some("v2025_1/"));
    sandbox.shutdown().await;
}

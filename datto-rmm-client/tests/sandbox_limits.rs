//! The Datto fake's token expiry, rate-limit block and write-backs, against the client.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::time::{Duration, Instant};

use datto_rmm_client::model::UdfUpdate;
use datto_rmm_client::{AlertUid, Budget, Client, Error, SiteUid};
use futures::future::join_all;
use psa_rmm_core::http::RetryPolicy;
use psa_rmm_sandbox::tenant::TenantSpec;
use psa_rmm_sandbox::{DattoOptions, Sandbox, SandboxOptions, Vendor};

async fn sandbox(clock_factor: f64, datto: DattoOptions) -> Sandbox {
    let spec = TenantSpec::new(5, 4, 120).asio_share(0.0);
    Sandbox::start(
        SandboxOptions::default()
            .tenant(spec)
            .clock_factor(clock_factor)
            .vendor_option(datto),
    )
    .await
    .unwrap()
}

fn client(sandbox: &Sandbox, reads: Budget, ip_block_backoff: Duration) -> Client {
    let access = sandbox.datto_access();
    Client::builder()
        .base_url(access.base_url)
        .api_key(access.api_key)
        .api_secret(access.api_secret)
        .allow_insecure_http(true)
        .read_budget(reads)
        .ip_block_backoff(ip_block_backoff)
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
            max_elapsed: Duration::from_secs(5),
            max_retry_after: Duration::from_millis(100),
            retry_500: true,
        })
        .build()
        .unwrap()
}

fn token_requests(sandbox: &Sandbox) -> usize {
    sandbox
        .log()
        .count(Vendor::Datto, Some("POST"), "/auth/oauth/token")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_requests_at_expiry_cause_one_token_request() {
    let sandbox = sandbox(1.0, DattoOptions::default()).await;
    let control = sandbox.datto_control().unwrap();
    let c = client(&sandbox, Budget::per_minute(6_000), Duration::from_secs(1));
    c.account().get().await.unwrap();
    assert_eq!(token_requests(&sandbox), 1);
    control.expire_tokens();
    let calls = (0..20).map(|_| {
        let c = c.clone();
        async move { c.account().get().await }
    });
    let results = join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(token_requests(&sandbox), 2, "one renewal for all twenty");
    assert_eq!(control.tokens_issued(), 2);
    assert!(sandbox.log().count_status(Vendor::Datto, 401) >= 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_403_block_surfaces_as_its_typed_error_after_backing_off() {
    // 20 reads a sandbox minute; three 429s in a window block the IP for 5 sandbox minutes (5 s real).
    let sandbox = sandbox(
        60.0,
        DattoOptions::default()
            .read_limit(20)
            .block(3, Duration::from_secs(300)),
    )
    .await;
    let control = sandbox.datto_control().unwrap();
    // A client that believes it may read far more than the fake allows.
    let backoff = Duration::from_millis(800);
    let c = client(&sandbox, Budget::per_minute(1_000_000), backoff);
    let start = Instant::now();
    let mut outcome = Ok(());
    for _ in 0..200 {
        match c.account().get().await {
            // A caller's sync loop carries on after a throttled call that ran out of retries.
            Err(e) if e.status().is_some_and(|s| s.as_u16() == 429) => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
            Ok(_) => {}
        }
    }
    let elapsed = start.elapsed();
    let err = outcome.unwrap_err();
    match &err {
        Error::IpBlocked { retry_after, .. } => assert_eq!(*retry_after, backoff),
        other => panic!("expected IpBlocked, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(control.is_blocked());
    assert!(
        elapsed >= backoff,
        "backed off before the probe: {elapsed:?}"
    );
    assert!(sandbox.log().count_status(Vendor::Datto, 429) >= 3);
    assert_eq!(
        sandbox.log().count_status(Vendor::Datto, 403),
        2,
        "the first 403 and one probe after the back-off: no hot loop"
    );
    assert_eq!(c.stats().ip_blocks, 2);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udf_writes_moves_and_resolves_persist() {
    let sandbox = sandbox(1.0, DattoOptions::default()).await;
    let control = sandbox.datto_control().unwrap();
    let c = client(&sandbox, Budget::per_minute(6_000), Duration::from_secs(1));
    let devices = c.account().devices().all().await.unwrap();
    let device = devices[0].uid.clone().unwrap();
    let dev = c.device(device.clone());
    dev.set_udfs(
        &UdfUpdate::new()
            .set(1, "CW-1001")
            .unwrap()
            .set(30, "x")
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(control.udf(device.as_str(), 1).as_deref(), Some("CW-1001"));
    dev.set_udfs(&UdfUpdate::new().clear(30).unwrap())
        .await
        .unwrap();
    assert_eq!(
        control.udf(device.as_str(), 30),
        None,
        "an empty value clears"
    );
    assert_eq!(
        control.udf(device.as_str(), 1).as_deref(),
        Some("CW-1001"),
        "untouched"
    );
    let read_back = dev.get().await.unwrap();
    assert_eq!(read_back.udf.get(1), Some("CW-1001"));

    let sites = c.account().sites().all().await.unwrap();
    let target = sites
        .iter()
        .find(|s| s.uid != read_back.site_uid && !s.is_system_site())
        .and_then(|s| s.uid.clone())
        .unwrap();
    dev.move_to_site(&target).await.unwrap();
    assert_eq!(
        control.device_site(device.as_str()),
        Some(target.to_string())
    );
    let missing = c
        .device(device.clone())
        .move_to_site(&SiteUid::from("nope"))
        .await;
    assert!(missing.unwrap_err().is_not_found());

    let open = c.account().open_alerts().all().await.unwrap();
    let alert = open[0].alert_uid.clone().unwrap();
    c.alerts().resolve(&alert).await.unwrap();
    assert_eq!(control.alert_resolved(alert.as_str()), Some(true));
    let resolved = c.account().resolved_alerts().all().await.unwrap();
    assert!(
        resolved
            .iter()
            .any(|a| a.alert_uid.as_ref() == Some(&alert))
    );
    let gone = c.alerts().resolve(&AlertUid::from("nope")).await;
    assert!(gone.unwrap_err().is_not_found());
    sandbox.shutdown().await;
}

//! Inventory scans against the sandbox's Datto fake on a scaled clock: budget use without a single 429,
//! token expiry mid-scan, and the incremental scan's read count.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use std::collections::HashSet;
use std::time::Duration;

use datto_rmm_client::scan::ScanOptions;
use datto_rmm_client::{Budget, Client};
use psa_rmm_core::http::RetryPolicy;
use psa_rmm_sandbox::tenant::TenantSpec;
use psa_rmm_sandbox::{DattoOptions, Sandbox, SandboxOptions, Vendor};

/// Sandbox seconds per real second: Datto's 600 reads a minute become 100 a real second.
const CLOCK_FACTOR: f64 = 10.0;

async fn sandbox(devices: usize, datto: DattoOptions) -> Sandbox {
    let spec = TenantSpec::new(11, devices / 40, devices).asio_share(0.0);
    Sandbox::start(
        SandboxOptions::default()
            .tenant(spec)
            .clock_factor(CLOCK_FACTOR)
            .vendor_option(datto),
    )
    .await
    .unwrap()
}

/// A client paced to the fake's 600 reads per sandbox minute, expressed in real time.
fn client(sandbox: &Sandbox) -> Client {
    let access = sandbox.datto_access();
    Client::builder()
        .base_url(access.base_url)
        .api_key(access.api_key)
        .api_secret(access.api_secret)
        .allow_insecure_http(true)
        .read_budget(Budget::new(
            600,
            Duration::from_secs_f64(60.0 / CLOCK_FACTOR),
        ))
        .retry_policy(RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(500),
            max_elapsed: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(1),
            retry_500: true,
        })
        .build()
        .unwrap()
}

/// Datto API reads the fake answered, and the sandbox-clock span they took.
fn reads(sandbox: &Sandbox) -> (usize, f64) {
    let entries: Vec<_> = sandbox
        .log()
        .entries()
        .into_iter()
        .filter(|e| {
            e.vendor == Vendor::Datto && e.method == "GET" && e.path.starts_with("/api/v2/")
        })
        .collect();
    let span = match (entries.first(), entries.last()) {
        (Some(a), Some(b)) => (b.at - a.at).num_milliseconds() as f64 / 1000.0,
        _ => 0.0,
    };
    (entries.len(), span)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_scan_of_2000_devices_uses_the_budget_without_a_429() {
    let sandbox = sandbox(2_000, DattoOptions::default()).await;
    let control = sandbox.datto_control().unwrap();
    assert!(
        control.device_count() >= 1_800,
        "{}",
        control.device_count()
    );
    let c = client(&sandbox);
    let inventory = c
        .scan_inventory(ScanOptions::default().concurrency(24))
        .await
        .unwrap();

    assert_eq!(
        sandbox.log().count_status(Vendor::Datto, 429),
        0,
        "never tripped the limit"
    );
    assert_eq!(inventory.devices.len(), control.device_count());
    assert_eq!(inventory.stats.audits_fetched, control.auditable_count());
    let (n, span) = reads(&sandbox);
    assert_eq!(n as u64, inventory.stats.reads);
    // Reads per sandbox minute over the scan, against the 600 budget (the first read opens the span).
    let per_minute = (n - 1) as f64 / span * 60.0;
    let used = per_minute / 600.0;
    eprintln!("used {used:.3} of the budget ({n} reads in {span:.1} sandbox s)");
    assert!(
        used >= 0.90,
        "used {used:.3} of the budget ({n} reads in {span:.1} s)"
    );
    assert!(used <= 1.0, "used {used:.3} of the budget");

    let cores: Vec<_> = inventory
        .devices
        .iter()
        .map(|d| d.to_core().unwrap())
        .collect();
    let with_serial = cores.iter().filter(|d| d.serial_number.is_some()).count();
    assert_eq!(
        with_serial,
        control.auditable_count(),
        "every audited device has its serial"
    );
    assert!(cores.iter().any(|d| d.mac_addresses.len() > 1));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_expiry_mid_scan_recovers_with_every_device_once() {
    let sandbox = sandbox(400, DattoOptions::default()).await;
    let control = sandbox.datto_control().unwrap();
    let c = client(&sandbox);
    let expirer = {
        let control = control.clone();
        let log = sandbox.log().clone();
        tokio::spawn(async move {
            while log.len() < 120 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            control.expire_tokens();
        })
    };
    let inventory = c
        .scan_inventory(ScanOptions::default().concurrency(16))
        .await
        .unwrap();
    expirer.await.unwrap();

    assert!(control.tokens_issued() >= 2, "the token was renewed");
    assert!(
        sandbox.log().count_status(Vendor::Datto, 401) >= 1,
        "requests met the expired token"
    );
    let uids: Vec<_> = inventory
        .devices
        .iter()
        .map(|d| d.device.uid.clone().unwrap())
        .collect();
    let unique: HashSet<_> = uids.iter().collect();
    assert_eq!(uids.len(), control.device_count());
    assert_eq!(unique.len(), uids.len(), "every device exactly once");
    // Each audit was answered exactly once (a request refused with 401 was repeated, not duplicated).
    let audited_ok = sandbox
        .log()
        .count_where(|e| e.path.starts_with("/api/v2/audit/") && e.status == Some(200));
    assert_eq!(audited_ok, control.auditable_count());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_scan_audits_only_devices_whose_audit_moved() {
    let sandbox = sandbox(400, DattoOptions::default()).await;
    let control = sandbox.datto_control().unwrap();
    let c = client(&sandbox);
    let full = c
        .scan_inventory(ScanOptions::default().concurrency(16))
        .await
        .unwrap();
    // The state survives a round trip through JSON, as a caller would store it.
    let state = serde_json::to_string(&full.state).unwrap();
    let state = serde_json::from_str(&state).unwrap();
    let touched = control.touch_audits(25);
    let incremental = c
        .scan_inventory(ScanOptions::incremental(state).concurrency(16))
        .await
        .unwrap();
    assert_eq!(incremental.stats.audits_fetched, touched.len());
    assert_eq!(
        incremental.stats.audits_skipped,
        control.auditable_count() - touched.len()
    );
    let list_reads = full.stats.reads - full.stats.audits_fetched as u64;
    assert_eq!(incremental.stats.reads, list_reads + touched.len() as u64);
    // Devices not audited again keep the identity of the previous scan.
    let before: Vec<_> = full.devices.iter().map(|d| d.to_core().unwrap()).collect();
    let after: Vec<_> = incremental
        .devices
        .iter()
        .map(|d| d.to_core().unwrap())
        .collect();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.serial_number, a.serial_number);
        assert_eq!(b.mac_addresses, a.mac_addresses);
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn macs_only_scan_reads_network_interface_pages_instead_of_audits() {
    let sandbox = sandbox(400, DattoOptions::default()).await;
    let c = client(&sandbox);
    let inventory = c.scan_inventory(ScanOptions::macs_only()).await.unwrap();
    assert_eq!(inventory.stats.audits_fetched, 0);
    let audits = sandbox
        .log()
        .count_where(|e| e.path.starts_with("/api/v2/audit/"));
    assert_eq!(audits, 0);
    assert!(
        inventory.stats.reads < 60,
        "{} reads",
        inventory.stats.reads
    );
    let with_macs = inventory
        .devices
        .iter()
        .filter(|d| !d.to_core().unwrap().mac_addresses.is_empty())
        .count();
    assert!(
        with_macs * 10 >= inventory.devices.len() * 9,
        "{with_macs} of {}",
        inventory.devices.len()
    );
    sandbox.shutdown().await;
}

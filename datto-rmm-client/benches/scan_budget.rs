//! Bench binary: a full devices + audits scan of a 50,000-device Datto tenant at the real 600 reads a minute,
//! on the sandbox's scaled clock, then an incremental scan with 1 % of the audits moved.
//!
//! `cargo bench -p datto-rmm-client --bench scan_budget` (env `DATTO_BENCH_DEVICES`, `DATTO_BENCH_CLOCK`).
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a measuring program, not library code

use std::time::{Duration, Instant};

use datto_rmm_client::scan::ScanOptions;
use datto_rmm_client::{Budget, Client};
use psa_rmm_sandbox::tenant::TenantSpec;
use psa_rmm_sandbox::{DattoOptions, Sandbox, SandboxOptions, Vendor};

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Sandbox-clock times (ms since the first) of the Datto API reads the fake answered after `skip` log entries.
fn read_times(sandbox: &Sandbox, skip: usize) -> Vec<i64> {
    let entries: Vec<_> = sandbox
        .log()
        .entries()
        .into_iter()
        .skip(skip)
        .filter(|e| {
            e.vendor == Vendor::Datto && e.method == "GET" && e.path.starts_with("/api/v2/")
        })
        .collect();
    let Some(first) = entries.first().map(|e| e.at) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|e| (e.at - first).num_milliseconds())
        .collect()
}

/// The most reads any rolling 60 s window of the sandbox clock held.
fn max_in_window(times: &[i64]) -> usize {
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] >= 60_000 {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let devices = env("DATTO_BENCH_DEVICES", 50_000.0) as usize;
    let factor = env("DATTO_BENCH_CLOCK", 30.0);
    let t = Instant::now();
    let spec = TenantSpec::new(42, devices / 40, devices).asio_share(0.0);
    let sandbox = Sandbox::start(
        SandboxOptions::default()
            .tenant(spec)
            .clock_factor(factor)
            .vendor_option(DattoOptions::default()),
    )
    .await
    .unwrap();
    let control = sandbox.datto_control().unwrap();
    println!(
        "tenant: {} Datto devices ({} with an audit), generated and served in {:.1} s",
        control.device_count(),
        control.auditable_count(),
        t.elapsed().as_secs_f64()
    );
    let access = sandbox.datto_access();
    let client = Client::builder()
        .base_url(access.base_url)
        .api_key(access.api_key)
        .api_secret(access.api_secret)
        .allow_insecure_http(true)
        // Datto's 600 reads per minute, a minute being 60 s of the sandbox clock.
        .read_budget(Budget::new(600, Duration::from_secs_f64(60.0 / factor)))
        .build()
        .unwrap();

    let t = Instant::now();
    let full = client
        .scan_inventory(ScanOptions::default().concurrency(32))
        .await
        .unwrap();
    let real = t.elapsed().as_secs_f64();
    let times = read_times(&sandbox, 0);
    let span_min = *times.last().unwrap_or(&0) as f64 / 60_000.0;
    let per_minute = (times.len() - 1) as f64 / span_min;
    println!(
        "full scan: {} devices, {} reads ({} audits), {:.1} sandbox min ({real:.1} s real)",
        full.devices.len(),
        full.stats.reads,
        full.stats.audits_fetched,
        span_min
    );
    println!(
        "achieved {per_minute:.1} reads/min = {:.3} of the 600 budget; busiest rolling minute {} reads = {:.3}; 429s: {}",
        per_minute / 600.0,
        max_in_window(&times),
        max_in_window(&times) as f64 / 600.0,
        sandbox.log().count_status(Vendor::Datto, 429)
    );

    let touched = control.touch_audits(100);
    let skip = sandbox.log().len();
    let t = Instant::now();
    let incremental = client
        .scan_inventory(ScanOptions::incremental(full.state).concurrency(32))
        .await
        .unwrap();
    println!(
        "incremental scan ({} of {} audits moved, 1 %): {} reads ({} audits, {} carried over), {:.1} s real; \
         requests seen by the fake: {}",
        touched.len(),
        control.auditable_count(),
        incremental.stats.reads,
        incremental.stats.audits_fetched,
        incremental.stats.audits_skipped,
        t.elapsed().as_secs_f64(),
        read_times(&sandbox, skip).len()
    );
    sandbox.shutdown().await;
}

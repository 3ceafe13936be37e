//! End to end on the sandbox: the four flows over Manage, Datto RMM and Asio on a seeded tenant whose truth
//! is known; automatic links are scored and a second run must write nothing.
#![allow(clippy::unwrap_used)]

use psa_rmm_core::sync::Executor;
use psa_rmm_examples::connect::Connectors;
use psa_rmm_examples::score::Score;
use psa_rmm_examples::settings::{setup_book, sync_settings};
use psa_rmm_sandbox::{Sandbox, SandboxOptions, TenantSpec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_are_precise_and_the_second_run_is_a_noop() {
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .unwrap();
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    let job = connectors.job(sync_settings("Alerts")).unwrap();
    let mut book = setup_book();
    let exec = Executor::new().apply(true).concurrency(4);
    let first = job.run(&mut book, &exec).await.unwrap();
    let systems = connectors.rmm_systems();
    let truth: std::collections::HashMap<_, _> = sandbox
        .tenant()
        .truth
        .configuration_of
        .iter()
        .filter(|(rmm, _)| systems.contains(&rmm.system))
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect();
    let score = Score::devices(&first.devices, &truth);
    println!("device links vs truth: {score}");
    assert!(score.links > 0);
    assert_eq!(score.precision(), 1.0, "{score}");
    assert!(score.recall() >= 0.9, "{score}");
    let second = job.run(&mut book, &exec).await.unwrap();
    let retried = second.device_report.written() + second.ticket_report.written();
    assert_eq!(retried, 0, "devices and tickets are already in place");
    assert!(second.devices.is_noop(), "{}", second.devices);
    assert!(second.tickets.is_noop(), "{}", second.tickets);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_mid_apply_is_reported_and_the_rerun_completes_without_doubles() {
    use psa_rmm_sandbox::{Fault, FaultKind, Vendor};
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .unwrap();
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    let job = connectors.job(sync_settings("Alerts")).unwrap();
    let mut book = setup_book();
    let faults = sandbox.faults().clone();
    // After five writes, two updates are refused and one create is stored but its answer is cut.
    let exec = Executor::new()
        .apply(true)
        .concurrency(1)
        .on_progress(move |p| {
            if p.flow == psa_rmm_core::sync::Flow::Devices && p.finished == 5 {
                faults.push(
                    Fault::new(
                        Vendor::Manage,
                        "*/company/configurations/*",
                        FaultKind::status(500),
                    )
                    .method("PATCH")
                    .times(2),
                );
                faults.push(
                    Fault::new(
                        Vendor::Manage,
                        "*/company/configurations",
                        FaultKind::BrokenBody,
                    )
                    .method("POST")
                    .times(1),
                );
            }
        });
    let first = job.run(&mut book, &exec).await.unwrap();
    let failed: Vec<_> = first.device_report.failures().collect();
    println!("{}", first.device_report);
    assert!(!failed.is_empty(), "the injected faults show in the report");
    assert_eq!(
        failed.len(),
        3,
        "two refused updates and one create whose answer was lost"
    );
    let second = job
        .run(&mut book, &Executor::new().apply(true))
        .await
        .unwrap();
    assert_eq!(second.device_report.failed(), 0, "{}", second.device_report);
    let third = job
        .run(&mut book, &Executor::new().apply(true))
        .await
        .unwrap();
    assert!(third.devices.is_noop(), "{}", third.devices);
    let mut links = std::collections::HashMap::new();
    for row in &third.devices.rows {
        if let Some(c) = row.action.linked() {
            assert!(
                links.insert(c.clone(), row.device.clone()).is_none(),
                "one configuration per device"
            );
        }
    }
    sandbox.shutdown().await;
}

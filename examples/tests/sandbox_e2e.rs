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

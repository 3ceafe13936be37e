//! The sandbox connectors pace to the fakes' budgets on the sandbox clock: with a Datto read budget small
//! enough that the demo flows need several windows of it, the fake never answers 429 or blocks the IP.
#![allow(clippy::unwrap_used)]

use psa_rmm_core::sync::Executor;
use psa_rmm_examples::connect::{Connectors, SANDBOX_BUDGET_SHARE};
use psa_rmm_examples::demo::sandbox_options;
use psa_rmm_examples::settings::{setup_book, sync_settings};
use psa_rmm_sandbox::{DattoOptions, Sandbox, TenantSpec, Vendor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_flows_stay_inside_the_fake_datto_budget() {
    let reads_per_window = 20;
    let sandbox = Sandbox::start(
        sandbox_options()
            .tenant(TenantSpec::tiny().asio_share(0.0))
            .vendor_option(DattoOptions::default().read_limit(reads_per_window)),
    )
    .await
    .unwrap();
    let budgets = sandbox.datto_budgets();
    assert_eq!(budgets.reads.requests, reads_per_window);
    assert_eq!(
        budgets.reads.period,
        sandbox.clock().to_real(std::time::Duration::from_secs(60))
    );
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    let client = connectors.datto.as_ref().unwrap().client().clone();
    let paced = client.budgets().reads;
    assert_eq!(
        paced.requests as f64,
        (reads_per_window as f64 * SANDBOX_BUDGET_SHARE).floor()
    );
    assert_eq!(paced.period, budgets.reads.period);
    let job = connectors.job(sync_settings("Alerts")).unwrap();
    let mut book = setup_book();
    let exec = Executor::new().apply(true).concurrency(8);
    let first = job.run(&mut book, &exec).await.unwrap();
    assert_eq!(first.failed(), 0);
    let reads = sandbox.log().count(Vendor::Datto, Some("GET"), "/api/v2/*");
    println!(
        "Datto reads {reads}, budget {reads_per_window} per {:?}",
        budgets.reads.period
    );
    assert!(
        reads > 2 * reads_per_window,
        "the flows needed several budget windows: {reads} reads"
    );
    assert_eq!(sandbox.log().count_status(Vendor::Datto, 429), 0);
    assert_eq!(sandbox.log().count_status(Vendor::Datto, 403), 0);
    assert_eq!(client.stats().throttled, 0);
    sandbox.shutdown().await;
}

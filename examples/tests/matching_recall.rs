//! Matching recall on the demo's tenant: a dry run over the sandbox, automatic device and company links
//! scored against the tenant's truth, misses broken down by the tenant's noise labels.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};

use psa_rmm_core::model::ExternalRef;
use psa_rmm_core::sync::Executor;
use psa_rmm_examples::connect::Connectors;
use psa_rmm_examples::score::Score;
use psa_rmm_examples::settings::{setup_book, sync_settings};
use psa_rmm_sandbox::tenant::Noise;
use psa_rmm_sandbox::{Sandbox, SandboxOptions, TenantSpec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_tenant_links_are_precise_and_recall_is_at_least_90_percent() {
    // A sandbox minute is a real second; the sandbox connectors pace themselves to that clock.
    let options = SandboxOptions::default()
        .tenant(TenantSpec::small())
        .clock_factor(60.0);
    let sandbox = Sandbox::start(options).await.unwrap();
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    let job = connectors.job(sync_settings("Alerts")).unwrap();
    let mut book = setup_book();
    let run = job.run(&mut book, &Executor::new()).await.unwrap();
    let tenant = sandbox.tenant();
    let systems = connectors.rmm_systems();
    let truth: HashMap<ExternalRef, ExternalRef> = tenant
        .truth
        .configuration_of
        .iter()
        .filter(|(rmm, _)| systems.contains(&rmm.system))
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect();
    let devices = Score::devices(&run.devices, &truth);
    let companies = Score::companies(&run.companies, &tenant.truth.company_of);
    println!("company links vs truth: {companies}");
    println!("device links vs truth: {devices}");
    let mut labels: HashMap<&ExternalRef, Vec<Noise>> = HashMap::new();
    for (r, n) in &tenant.truth.noise {
        labels.entry(r).or_default().push(*n);
    }
    let site_of: HashMap<&ExternalRef, &ExternalRef> = tenant
        .rmm_devices
        .iter()
        .filter_map(|d| {
            d.site
                .as_ref()
                .or(d.company.as_ref())
                .map(|s| (&d.external, s))
        })
        .collect();
    let mut misses: BTreeMap<String, usize> = BTreeMap::new();
    for row in &run.devices.rows {
        let Some(want) = truth.get(&row.device) else {
            continue;
        };
        if row.action.linked() == Some(want) {
            continue;
        }
        let mut why: Vec<String> = labels
            .get(&row.device)
            .into_iter()
            .flatten()
            .map(|n| format!("{n:?}"))
            .collect();
        if let Some(site) = site_of.get(&row.device) {
            why.extend(
                labels
                    .get(site)
                    .into_iter()
                    .flatten()
                    .map(|n| format!("site:{n:?}")),
            );
        }
        why.extend(
            labels
                .get(want)
                .into_iter()
                .flatten()
                .map(|n| format!("cfg:{n:?}")),
        );
        *misses
            .entry(format!("{} [{}]", row.action.name(), why.join(",")))
            .or_default() += 1;
    }
    for (why, n) in &misses {
        println!("missed {n:4}  {why}");
    }
    assert_eq!(devices.precision(), 1.0, "{devices}");
    assert!(devices.recall() >= 0.9, "{devices}");
    sandbox.shutdown().await;
}

//! Times tenant generation at 20k and 200k devices, the Manage fake's start-up with the 200k tenant, and a
//! raw forward-only scan of its configurations with reqwest (the server side of the client benchmark).
//! Run: `cargo bench -p psa-rmm-sandbox --bench tenant`.

use std::sync::Arc;
use std::time::Instant;

use psa_rmm_sandbox::tenant::{Tenant, TenantSpec};
use psa_rmm_sandbox::{Sandbox, SandboxOptions};

fn main() {
    for spec in [TenantSpec::medium(), TenantSpec::large()] {
        let start = Instant::now();
        let tenant = Tenant::generate(&spec);
        let elapsed = start.elapsed();
        println!(
            "generate {:>7} devices ({} configurations, {} companies): {:.2?}",
            tenant.rmm_devices.len(),
            tenant.psa_configurations.len(),
            tenant.psa_companies.len(),
            elapsed
        );
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return;
        }
    };
    runtime.block_on(async {
        let tenant = Arc::new(Tenant::generate(&TenantSpec::large()));
        let start = Instant::now();
        let Ok(sandbox) = Sandbox::start(SandboxOptions::default().tenant_data(tenant.clone())).await else {
            eprintln!("sandbox did not start");
            return;
        };
        println!("sandbox start with {} configurations: {:.2?}", tenant.psa_configurations.len(), start.elapsed());
        let access = sandbox.manage_access();
        let client = reqwest::Client::new();
        let mut url = format!("{}/v4_6_release/apis/3.0/company/configurations?pageSize=1000", access.base_url);
        let start = Instant::now();
        let mut records = 0usize;
        loop {
            let Ok(response) = client
                .get(&url)
                .basic_auth(format!("{}+{}", access.company_id, access.public_key), Some(&access.private_key))
                .header("clientId", &access.client_id)
                .header("pagination-type", "forward-only")
                .send()
                .await
            else {
                eprintln!("request failed");
                return;
            };
            let next = response
                .headers()
                .get("link")
                .and_then(|l| l.to_str().ok())
                .and_then(|l| l.split(['<', '>']).nth(1).map(str::to_owned));
            let Ok(page) = response.json::<Vec<serde::de::IgnoredAny>>().await else {
                eprintln!("bad page");
                return;
            };
            records += page.len();
            match next {
                Some(n) => url = n,
                None => break,
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "forward-only scan of {records} configurations (reqwest, bodies skimmed with IgnoredAny): {secs:.2}s, {:.0} records/s",
            records as f64 / secs
        );
    });
}

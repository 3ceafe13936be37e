//! Shared set-up of the sandbox tests: hand-built tenants of exact sizes and clients pointed at the fake.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use cw_asio_client::{Client, ClientBuilder, DEFAULT_SCOPES};
use psa_rmm_core::model::{Company, Device, DeviceKind, ExternalRef, Site, System};
use psa_rmm_sandbox::asio::AsioOptions;
use psa_rmm_sandbox::tenant::{Tenant, TenantSpec, Truth};
use psa_rmm_sandbox::{Sandbox, SandboxOptions};

/// A tenant of `companies` Asio companies with two sites each and `per_company` devices spread over them.
pub fn tenant(companies: usize, per_company: usize) -> Tenant {
    let mut rmm_companies = Vec::new();
    let mut rmm_sites = Vec::new();
    let mut rmm_devices = Vec::new();
    for c in 0..companies {
        let company = ExternalRef::new(System::CwAsio, format!("c0000000-0000-4000-8000-{c:012x}"));
        rmm_companies.push(Company::new(
            company.clone(),
            format!("Customer {c:02} Ltd"),
        ));
        let sites: Vec<ExternalRef> = (0..2)
            .map(|s| {
                ExternalRef::new(
                    System::CwAsio,
                    format!("5{s}000000-0000-4000-8000-{c:012x}"),
                )
            })
            .collect();
        for (n, s) in sites.iter().enumerate() {
            let mut site = Site::new(s.clone(), if n == 0 { "Main Office" } else { "Branch" });
            site.company = Some(company.clone());
            rmm_sites.push(site);
        }
        for d in 0..per_company {
            let mut dev = Device::new(ExternalRef::new(
                System::CwAsio,
                format!("e{c:03}{d:04}0-0000-4000-8000-000000000000"),
            ));
            dev.company = Some(company.clone());
            dev.site = Some(sites[d % 2].clone());
            dev.hostname = Some(format!("C{c:02}-PC{d:04}"));
            dev.kind = match d % 10 {
                0 => DeviceKind::Server,
                1 | 2 => DeviceKind::Laptop,
                _ => DeviceKind::Workstation,
            };
            dev.serial_number = Some(format!("SN{c:02}{d:05}"));
            dev.hardware_uuid = Some(format!("4c4c4544-{c:04}-{d:04}-8000-000000000000"));
            dev.mac_addresses = vec![format!("00:1a:2b:{c:02x}:{:02x}:{:02x}", d / 256, d % 256)];
            dev.ip_address = Some(format!("10.{c}.{}.{}", d / 250, d % 250 + 1));
            dev.manufacturer = Some("Dell Inc.".into());
            dev.model = Some("OptiPlex 7090".into());
            dev.os = Some("Windows 11 Pro".into());
            dev.last_user = Some(format!("CUST{c}\\user{d}"));
            dev.virtual_machine = Some(false);
            rmm_devices.push(dev);
        }
    }
    Tenant {
        spec: TenantSpec::tiny(),
        psa_companies: Vec::new(),
        psa_sites: Vec::new(),
        psa_configurations: Vec::new(),
        rmm_companies,
        rmm_sites,
        rmm_devices,
        alerts: Vec::new(),
        truth: Truth::default(),
    }
}

/// A sandbox serving `tenant` with these Asio options and clock factor.
pub async fn sandbox(tenant: Tenant, asio: AsioOptions, clock_factor: f64) -> Sandbox {
    Sandbox::start(
        SandboxOptions::default()
            .tenant_data(Arc::new(tenant))
            .clock_factor(clock_factor)
            .vendor_option(asio),
    )
    .await
    .unwrap()
}

/// A client of the sandbox's Asio fake asking for `scopes` (the defaults when `None`).
pub fn client(sandbox: &Sandbox, scopes: Option<&str>) -> Client {
    builder(sandbox, scopes).build().unwrap()
}

/// The builder behind [`client`], for tests that tune it.
pub fn builder(sandbox: &Sandbox, scopes: Option<&str>) -> ClientBuilder {
    let access = sandbox.asio_access();
    Client::builder()
        .base_url(access.base_url)
        .client_id(access.client_id)
        .client_secret(access.client_secret)
        .scopes(scopes.map_or_else(|| DEFAULT_SCOPES.join(" "), str::to_owned))
        .allow_insecure_http(true)
}

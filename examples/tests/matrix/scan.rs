//! Full scans: every record of a vendor read through its connector, compared with the seeded tenant.

use std::collections::BTreeMap;

use futures::TryStreamExt;
use psa_rmm_core::connector::{
    CompanyDirectory, ConfigurationStore, ConnectorError, DeviceInventory,
};
use psa_rmm_core::model::System;
use psa_rmm_sandbox::Vendor;

use super::{Cell, Env, Outcome, kind, once, row};
use psa_rmm_sandbox::FaultKind;

/// Record ids by collection ("companies", "devices", ...), sorted; a repeated record shows twice.
pub type Records = BTreeMap<&'static str, Vec<String>>;

fn sorted(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = ids.into_iter().map(|s| s.to_lowercase()).collect();
    v.sort();
    v
}

/// Reads every record of `vendor` the sync reads: Manage companies and configurations; Datto sites,
/// devices and their audits (the serial numbers the audits gave); Asio companies, sites and endpoints.
/// `between` runs after the first collection was read (the mid-scan cells strike there).
pub async fn scan(
    env: &Env,
    vendor: Vendor,
    between: impl FnOnce(),
) -> Result<Records, ConnectorError> {
    let mut out = Records::new();
    match vendor {
        Vendor::Manage => {
            let manage = env.manage();
            let companies = manage.companies().await?;
            between();
            let mut configurations = Vec::new();
            for c in &companies {
                configurations.extend(manage.configurations(&c.external).await?);
            }
            out.insert(
                "companies",
                sorted(companies.into_iter().map(|c| c.external.id)),
            );
            out.insert(
                "configurations",
                sorted(configurations.into_iter().map(|d| d.external.id)),
            );
        }
        Vendor::Datto => {
            let datto = env.datto();
            let sites = datto.sites().await?;
            between();
            let devices: Vec<_> = datto.devices().try_collect().await?;
            out.insert("sites", sorted(sites.into_iter().map(|s| s.external.id)));
            // Each device's own record is checked under "devices"; audits count the serials they gave.
            let audited = devices.iter().filter(|d| d.serial_number.is_some()).count();
            out.insert("audits", vec![String::new(); audited]);
            out.insert(
                "devices",
                sorted(devices.into_iter().map(|d| d.external.id)),
            );
        }
        Vendor::Asio => {
            let asio = env.asio();
            let companies = asio.companies().await?;
            between();
            let sites = asio.sites().await?;
            let devices: Vec<_> = asio.devices().try_collect().await?;
            out.insert(
                "companies",
                sorted(companies.into_iter().map(|c| c.external.id)),
            );
            out.insert("sites", sorted(sites.into_iter().map(|s| s.external.id)));
            out.insert(
                "devices",
                sorted(devices.into_iter().map(|d| d.external.id)),
            );
        }
    }
    Ok(out)
}

/// What the sandbox holds for `vendor`, in the shape [`scan`] returns.
pub fn truth(env: &Env, vendor: Vendor) -> Records {
    let t = env.sandbox.tenant();
    let mut out = Records::new();
    match vendor {
        Vendor::Manage => {
            out.insert(
                "companies",
                sorted(t.psa_companies.iter().map(|c| c.external.id.clone())),
            );
            out.insert(
                "configurations",
                sorted(t.psa_configurations.iter().map(|d| d.external.id.clone())),
            );
        }
        Vendor::Datto => {
            let system = System::DattoRmm;
            out.insert(
                "sites",
                sorted(t.rmm_sites_of(&system).map(|s| s.external.id.clone())),
            );
            out.insert(
                "devices",
                sorted(t.rmm_devices_of(&system).map(|d| d.external.id.clone())),
            );
            // Every device with an audit endpoint (class device, ESXi host, printer) has its serial.
            let datto = env.sandbox.datto_control().unwrap();
            out.insert("audits", vec![String::new(); datto.auditable_count()]);
        }
        Vendor::Asio => {
            let system = System::CwAsio;
            out.insert(
                "companies",
                sorted(
                    t.rmm_companies
                        .iter()
                        .filter(|c| c.external.system == system)
                        .map(|c| c.external.id.clone()),
                ),
            );
            out.insert(
                "sites",
                sorted(t.rmm_sites_of(&system).map(|s| s.external.id.clone())),
            );
            out.insert(
                "devices",
                sorted(t.rmm_devices_of(&system).map(|d| d.external.id.clone())),
            );
        }
    }
    out
}

/// The request a scan cell's fault strikes: one read in the middle of the scan.
fn target(vendor: Vendor) -> (&'static str, &'static str) {
    match vendor {
        Vendor::Manage => ("GET", "*/company/configurations"),
        Vendor::Datto => ("GET", "/api/v2/audit/*"),
        Vendor::Asio => ("POST", "/api/platform/v2/device/categories/*/endpoints"),
    }
}

/// Runs one scan cell and asserts its outcome: recovered with every record exactly once, or `expect`'s
/// typed error with nothing written.
pub async fn cell(vendor: Vendor, cell: Cell, expect: Outcome) {
    let env = Env::start(cell).await;
    let (method, path) = target(vendor);
    if let Some(k) = kind(cell, false) {
        env.sandbox.faults().push(once(vendor, method, path, k));
    }
    let faults = env.sandbox.faults().clone();
    let datto = env.sandbox.datto_control().unwrap();
    let asio = env.sandbox.asio_control().unwrap();
    let between = move || match (vendor, cell) {
        (Vendor::Manage, Cell::TokenExpired) => faults.push(once(
            vendor,
            method,
            path,
            FaultKind::status(401).body(r#"{"code":"Unauthorized","message":"Unauthorized"}"#),
        )),
        (Vendor::Datto, Cell::TokenExpired) => datto.expire_tokens(),
        (Vendor::Datto, Cell::DattoIpBlock) => {
            faults.push(once(vendor, "GET", "*", FaultKind::status(429)));
            datto.block_ip(std::time::Duration::from_secs(300));
        }
        (Vendor::Asio, Cell::TokenExpired | Cell::AsioKeyLocked) => asio.expire_tokens(),
        _ => {}
    };
    let result = scan(&env, vendor, between).await;
    let log = env.sandbox.log();
    // Each rule fires once and is then spent; the token cells show as 401s.
    assert!(env.sandbox.faults().is_empty(), "the fault struck");
    if matches!(cell, Cell::TokenExpired | Cell::AsioKeyLocked) {
        assert!(
            log.count_status(vendor, 401) >= 1,
            "the token expired mid-scan"
        );
    }
    let writes = log.count_where(|e| {
        matches!(e.method.as_str(), "PATCH" | "PUT" | "DELETE")
            || (e.method == "POST" && !e.path.contains("token") && !e.path.ends_with("/endpoints"))
    });
    assert_eq!(writes, 0, "a scan writes nothing");
    let got = match &result {
        Ok(records) => {
            assert_eq!(*records, truth(&env, vendor), "every record exactly once");
            Outcome::Recovered
        }
        Err(e) => Outcome::Failed(e.kind(), e.status()),
    };
    let text = match &result {
        Ok(r) => format!(
            "recovered: {}",
            r.iter()
                .map(|(k, v)| format!("{} {k}", v.len()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(e) => format!("{got}; nothing written ({e})"),
    };
    row(vendor, cell, "scan", &text);
    assert_eq!(got, expect, "{text}");
    env.sandbox.shutdown().await;
}

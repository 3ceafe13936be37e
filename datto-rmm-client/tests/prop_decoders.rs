//! Decoders never panic: arbitrary JSON trees (keyed with the vendor's own field names) and mutated fixtures
//! decode into every top-level wire model, or fail with an error, and whatever decodes converts to core.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

#[path = "../../test-support/json_props.rs"]
mod json_props;

use datto_rmm_client::convert::{self, HardwareIdentity};
use datto_rmm_client::model as m;
use json_props::records;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn page_items<P: DeserializeOwned, T>(v: &Value, items: impl Fn(P) -> Vec<T>) -> Vec<T> {
    serde_json::from_value::<P>(v.clone())
        .map(items)
        .unwrap_or_default()
}

/// Every top-level model, then the conversions on whatever decodes; returns how many records converted.
fn decode_everything(v: &Value) -> usize {
    json_props::decode_all!(v;
        m::Account, m::ActivityLogsPage, m::AlertsPage, m::ComponentsPage, m::JobComponentsPage,
        m::SoftwarePage, m::UsersPage, m::VariablesPage, m::TokenResponse, m::OAuthError, m::Job,
        m::CreateQuickJobResponse, m::JobResults, m::SystemStatus, m::RateStatus,
        m::PaginationConfiguration, m::DeviceNetworkInterfaces, m::Udfs,
    );
    let mut sites = records::<m::Site>(v);
    sites.extend(page_items(v, |p: m::SitesPage| p.sites));
    for s in &sites {
        let _ = convert::site_to_core(s);
        let _ = convert::site_to_company(s);
    }
    let mut audits = records::<m::AuditKind>(v);
    audits.extend(
        records::<m::DeviceAudit>(v)
            .into_iter()
            .map(m::AuditKind::Device),
    );
    audits.extend(
        records::<m::EsxiHostAudit>(v)
            .into_iter()
            .map(m::AuditKind::EsxiHost),
    );
    audits.extend(
        records::<m::PrinterAudit>(v)
            .into_iter()
            .map(m::AuditKind::Printer),
    );
    let nics: Vec<m::NetworkInterface> = page_items(v, |p: m::DevicesNetworkInterfacePage| {
        p.devices.into_iter().flat_map(|d| d.nics).collect()
    });
    let mut devices = records::<m::Device>(v);
    devices.extend(page_items(v, |p: m::DevicesPage| p.devices));
    let mut converted = 0;
    for d in &devices {
        let _ = convert::device_kind(d);
        converted += usize::from(convert::device_to_core(d, None, &nics).is_ok());
        for a in &audits {
            let identity = HardwareIdentity::from_audit(a);
            let _ = convert::is_virtual(d, Some(&identity));
            let _ = convert::device_to_core(d, Some(a), &nics);
        }
    }
    let mut alerts = records::<m::Alert>(v);
    alerts.extend(page_items(v, |p: m::AlertsPage| p.alerts));
    for a in &alerts {
        converted += usize::from(convert::alert_to_core(a).is_ok());
    }
    converted + sites.len()
}

json_props::decoder_properties!(decode_everything);

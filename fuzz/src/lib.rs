//! Shared bodies of the fuzz targets: each takes arbitrary bytes and must return without panicking.
//!
//! The decode functions try the bytes as every top-level response model of one vendor (the record and a
//! JSON array of it, since list endpoints answer arrays) and run the conversions to core records on
//! whatever decodes.

pub mod conditions;

use serde::de::DeserializeOwned;

/// The bytes decoded as `T`, or `None`.
fn decode<T: DeserializeOwned>(data: &[u8]) -> Option<T> {
    serde_json::from_slice(data).ok()
}

/// The bytes decoded as `T` and as `Vec<T>`, all records found.
fn records<T: DeserializeOwned>(data: &[u8]) -> Vec<T> {
    let mut out: Vec<T> = decode::<Vec<T>>(data).unwrap_or_default();
    out.extend(decode::<T>(data));
    out
}

/// Decodes each listed type as itself and as an array of itself; the values are dropped.
macro_rules! decode_all {
    ($data:expr; $($t:ty),* $(,)?) => {
        $( let _ = records::<$t>($data); )*
    };
}

/// ConnectWise Manage wire models and conversions.
pub fn manage(data: &[u8]) {
    use cw_manage_client::{convert, model as m};
    decode_all!(data;
        m::Board, m::BoardStatus, m::BoardType, m::BoardSubType, m::BoardItem, m::Priority, m::Source,
        m::CustomFieldDefinition, m::Count, m::CompanyStatus, m::CompanyType, m::Territory, m::Market,
        m::ConfigurationType, m::Contact, m::CommunicationItem, m::ErrorBody, m::Member,
        m::CatalogItem, m::Opportunity, m::SystemInfo, m::CompanyInfo, m::CallbackEntry,
        m::TicketNote,
    );
    for c in records::<m::Company>(data) {
        let _ = convert::company(&c);
        let _ = convert::site(&m::CompanySite::default(), Some(c.id));
    }
    for s in records::<m::CompanySite>(data) {
        let _ = convert::site(&s, None);
    }
    let statuses = records::<m::ConfigurationStatus>(data);
    for c in records::<m::Configuration>(data) {
        let _ = convert::device(&c);
        let _ = convert::device_with_statuses(&c, &statuses);
    }
    for t in records::<m::Ticket>(data) {
        let _ = convert::ticket(&t);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = convert::domain_of(text);
        let _ = convert::kind_from_type_name(text);
    }
}

/// Datto RMM wire models and conversions.
pub fn datto(data: &[u8]) {
    use datto_rmm_client::convert::{self, HardwareIdentity};
    use datto_rmm_client::model as m;
    decode_all!(data;
        m::Account, m::ActivityLogsPage, m::AlertsPage, m::ComponentsPage, m::JobComponentsPage,
        m::SoftwarePage, m::UsersPage, m::VariablesPage, m::TokenResponse, m::OAuthError, m::Job,
        m::CreateQuickJobResponse, m::JobResults, m::SystemStatus, m::RateStatus,
        m::PaginationConfiguration, m::DeviceNetworkInterfaces, m::Udfs,
    );
    for s in records::<m::Site>(data) {
        let _ = convert::site_to_core(&s);
        let _ = convert::site_to_company(&s);
    }
    if let Some(p) = decode::<m::SitesPage>(data) {
        for s in &p.sites {
            let _ = convert::site_to_company(s);
        }
    }
    let mut audits: Vec<m::AuditKind> = records::<m::AuditKind>(data);
    audits.extend(
        records::<m::DeviceAudit>(data)
            .into_iter()
            .map(m::AuditKind::Device),
    );
    audits.extend(
        records::<m::EsxiHostAudit>(data)
            .into_iter()
            .map(m::AuditKind::EsxiHost),
    );
    audits.extend(
        records::<m::PrinterAudit>(data)
            .into_iter()
            .map(m::AuditKind::Printer),
    );
    let nics: Vec<m::NetworkInterface> = decode::<m::DevicesNetworkInterfacePage>(data)
        .map(|p| p.devices.into_iter().flat_map(|d| d.nics).collect())
        .unwrap_or_default();
    let mut devices = records::<m::Device>(data);
    devices.extend(
        decode::<m::DevicesPage>(data)
            .map(|p| p.devices)
            .unwrap_or_default(),
    );
    for d in &devices {
        let _ = convert::device_kind(d);
        let _ = convert::device_to_core(d, None, &nics);
        for a in &audits {
            let identity = HardwareIdentity::from_audit(a);
            let _ = convert::is_virtual(d, Some(&identity));
            let _ = convert::device_to_core(d, Some(a), &nics);
        }
    }
    for a in &audits {
        let _ = convert::mac_addresses(Some(a), &nics);
    }
    for a in records::<m::Alert>(data) {
        let _ = convert::alert_to_core(&a);
    }
}

/// ConnectWise Asio wire models and conversions.
pub fn asio(data: &[u8]) {
    use cw_asio_client::convert::{self, TicketLookups};
    use cw_asio_client::model as m;
    decode_all!(data;
        m::CustomFieldDefinition, m::CustomFieldValue, m::EndpointListV1, m::DeviceGroup,
        m::ErrorBody, m::RateLimits, m::HeartbeatResponse, m::SystemStateInfo, m::UninstallResponse,
        m::MappingLookupResponse, m::ScheduledTask, m::TaskResults, m::TicketNote, m::TokenResponse,
    );
    for c in records::<m::Company>(data) {
        let _ = convert::company(&c);
    }
    for s in records::<m::Site>(data) {
        let _ = convert::site(&s, None);
    }
    for e in records::<m::Endpoint>(data) {
        let _ = convert::device(&e, &m::EndpointCategory::All, None, None);
    }
    if let Some(list) = decode::<m::EndpointList>(data) {
        for (category, group, e) in list.iter() {
            let _ = convert::device(&e.clone(), &category, group.company_id.as_ref(), None);
        }
    }
    for d in records::<m::EndpointDetail>(data) {
        let _ = convert::device_detail(&d);
    }
    let lookups = TicketLookups {
        boards: records::<m::ServiceBoard>(data),
        sources: records::<m::LookupItem>(data),
        statuses: records::<m::TicketStatus>(data),
        priorities: records::<m::LookupItem>(data),
    };
    let mut tickets = records::<m::Ticket>(data);
    tickets.extend(
        decode::<m::TicketPage>(data)
            .map(|p| p.tickets)
            .unwrap_or_default(),
    );
    for t in &tickets {
        if let Ok(core) = convert::ticket(t, &lookups) {
            let _ = convert::new_ticket(&core, &lookups, "Default", "RMM");
            let _ = convert::ticket_patch(&core, &core, &lookups);
        }
    }
}

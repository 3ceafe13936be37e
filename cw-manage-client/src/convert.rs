//! Conversions from Manage wire models to the vendor-neutral core records.

use psa_rmm_core::model::{self as core, DeviceKind, ExternalRef, System};

use crate::ids::ConfigurationStatusId;
use crate::model::{self, ConfigurationStatus};

fn ext(id: i64) -> ExternalRef {
    ExternalRef::new(System::CwManage, id.to_string())
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The host part of a web site (`https://www.Example.com/x` gives `example.com`).
pub fn domain_of(website: &str) -> Option<String> {
    let s = website.trim().to_ascii_lowercase();
    let s = s.split("://").last().unwrap_or_default();
    let host = s
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host).trim_matches('.');
    (host.contains('.') && !host.contains(char::is_whitespace)).then(|| host.to_owned())
}

/// A Manage company as a core company. Inactive when deleted or in a status whose name says inactive.
pub fn company(c: &model::Company) -> core::Company {
    let status = c.status.as_ref().and_then(|s| non_empty(s.name.as_deref()));
    let inactive_status = status
        .as_deref()
        .is_some_and(|s| s.to_ascii_lowercase().contains("inactive"));
    core::Company {
        external: ext(c.id.get()),
        name: non_empty(c.name.as_deref())
            .or_else(|| non_empty(c.identifier.as_deref()))
            .unwrap_or_default(),
        identifier: non_empty(c.identifier.as_deref()),
        status,
        active: c.deleted_flag != Some(true) && !inactive_status,
        types: c
            .types
            .iter()
            .filter_map(|t| non_empty(t.name.as_deref()))
            .collect(),
        domain: c.website.as_deref().and_then(domain_of),
        updated_at: c.info.last_updated(),
    }
}

/// A company site as a core site; `company` is used when the site does not name its company.
pub fn site(s: &model::CompanySite, company: Option<crate::CompanyId>) -> core::Site {
    let company = s
        .company
        .as_ref()
        .and_then(|r| r.id)
        .or(company)
        .map(|id| ext(id.get()));
    core::Site {
        external: ext(s.id.get()),
        company,
        name: non_empty(s.name.as_deref()).unwrap_or_default(),
        system_site: false,
        device_count: None,
    }
}

/// The device kind a configuration type name suggests.
pub fn kind_from_type_name(name: &str) -> DeviceKind {
    let n = name.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["hypervisor", "esx", "hyper-v", "vm host", "virtual host"]) {
        DeviceKind::Hypervisor
    } else if has(&["server"]) {
        DeviceKind::Server
    } else if has(&["laptop", "notebook"]) {
        DeviceKind::Laptop
    } else if has(&["workstation", "desktop", "pc", "computer"]) {
        DeviceKind::Workstation
    } else if has(&[
        "firewall",
        "switch",
        "router",
        "network",
        "access point",
        "wireless",
        "wap",
        "ups",
    ]) {
        DeviceKind::NetworkDevice
    } else if has(&["printer", "mfp", "copier", "scanner"]) {
        DeviceKind::Printer
    } else if has(&["phone", "mobile", "tablet", "ipad", "iphone", "android"]) {
        DeviceKind::Mobile
    } else {
        DeviceKind::Other(name.trim().to_owned())
    }
}

/// A configuration as a core device, active from `activeFlag` and a status name that does not say
/// inactive. Use [`device_with_statuses`] when the status list is at hand.
pub fn device(c: &model::Configuration) -> core::Device {
    let by_name = c
        .status
        .as_ref()
        .and_then(|s| s.name.as_deref())
        .map(str::to_ascii_lowercase)
        .is_some_and(|s| s.contains("inactive") || s.contains("retired") || s.contains("disposed"));
    device_inner(c, by_name)
}

/// A configuration as a core device, inactive when its status is one of `statuses` with `closedFlag`.
pub fn device_with_statuses(
    c: &model::Configuration,
    statuses: &[ConfigurationStatus],
) -> core::Device {
    let closed: Vec<ConfigurationStatusId> = statuses
        .iter()
        .filter(|s| s.closed_flag == Some(true))
        .map(|s| s.id)
        .collect();
    let in_closed = c
        .status
        .as_ref()
        .and_then(|s| s.id)
        .is_some_and(|id| closed.contains(&id));
    device_inner(c, in_closed)
}

fn device_inner(c: &model::Configuration, closed_status: bool) -> core::Device {
    let type_name = c
        .config_type
        .as_ref()
        .and_then(|t| non_empty(t.name.as_deref()));
    let mut d = core::Device::new(ext(c.id.get()));
    d.company = c
        .company
        .as_ref()
        .and_then(|r| r.id)
        .map(|id| ext(id.get()));
    d.hostname = non_empty(c.name.as_deref());
    d.kind = type_name
        .as_deref()
        .map(kind_from_type_name)
        .unwrap_or_default();
    d.type_name = type_name;
    d.serial_number = non_empty(c.serial_number.as_deref());
    d.mac_addresses = non_empty(c.mac_address.as_deref()).into_iter().collect();
    d.ip_address = non_empty(c.ip_address.as_deref());
    d.manufacturer = c
        .manufacturer
        .as_ref()
        .and_then(|m| non_empty(m.name.as_deref()));
    d.model = non_empty(c.model_number.as_deref());
    d.os = non_empty(c.os_type.as_deref()).or_else(|| non_empty(c.os_info.as_deref()));
    d.last_user = non_empty(c.last_login_name.as_deref());
    d.warranty_expires = c.warranty_expiration_date.map(|t| t.date_naive());
    d.active = c.active_flag != Some(false) && !closed_status;
    d.linked_id = non_empty(c.device_identifier.as_deref());
    d.updated_at = c.info.last_updated();
    d
}

/// A service ticket as a core ticket. `externalXRef` carries the dedupe key integrations store there.
pub fn ticket(t: &model::Ticket) -> core::Ticket {
    let name = |r: Option<&model::Reference<_>>| r.and_then(|r| non_empty(r.name.as_deref()));
    core::Ticket {
        external: ext(t.id.get()),
        company: t
            .company
            .as_ref()
            .and_then(|r| r.id)
            .map(|id| ext(id.get())),
        summary: t.summary.clone().unwrap_or_default(),
        description: non_empty(t.initial_description.as_deref()),
        board: t.board.as_ref().and_then(|r| non_empty(r.name.as_deref())),
        status: t.status.as_ref().and_then(|r| non_empty(r.name.as_deref())),
        priority: name(t.priority.as_ref()),
        closed: t.closed_flag == Some(true),
        dedupe_key: non_empty(t.external_x_ref.as_deref()),
        device: None,
        created_at: t.info.date_entered(),
        updated_at: t.info.last_updated(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn company_from_fixture() {
        let c: model::Company =
            serde_json::from_str(include_str!("../tests/fixtures/company.json")).unwrap();
        let core = company(&c);
        assert_eq!(core.external.to_string(), "cw-manage:200");
        assert_eq!(core.name, "Example Company");
        assert_eq!(core.identifier.as_deref(), Some("example"));
        assert_eq!(core.types, vec!["Client".to_string()]);
        assert_eq!(core.domain.as_deref(), Some("example.com"));
        // The fixture is soft-deleted.
        assert!(!core.active);
        assert!(core.updated_at.is_some());
    }

    #[test]
    fn device_from_configuration() {
        let c: model::Configuration = serde_json::from_value(json!({
            "id": 77, "name": " PC-001 ", "type": {"id": 3, "name": "Managed Laptop"},
            "status": {"id": 2, "name": "Active"}, "company": {"id": 250, "name": "Acme"},
            "serialNumber": "5CD1234", "macAddress": "00:1A:2B:3C:4D:5E", "ipAddress": "10.0.0.5",
            "osType": "Windows 11 Pro", "modelNumber": "EliteBook 840", "manufacturer": {"id": 1, "name": "HP"},
            "lastLoginName": "ACME\\jdoe", "warrantyExpirationDate": "2027-01-31T00:00:00Z",
            "deviceIdentifier": "datto-uid-1", "activeFlag": true,
            "_info": {"lastUpdated": "2024-05-01T10:00:00Z"}
        }))
        .unwrap();
        let d = device(&c);
        assert_eq!(d.external.id, "77");
        assert_eq!(d.company.as_ref().unwrap().id, "250");
        assert_eq!(d.hostname.as_deref(), Some("PC-001"));
        assert_eq!(d.kind, DeviceKind::Laptop);
        assert_eq!(d.type_name.as_deref(), Some("Managed Laptop"));
        assert_eq!(d.serial_number.as_deref(), Some("5CD1234"));
        assert_eq!(d.mac_addresses, vec!["00:1A:2B:3C:4D:5E".to_string()]);
        assert_eq!(d.ip_address.as_deref(), Some("10.0.0.5"));
        assert_eq!(d.os.as_deref(), Some("Windows 11 Pro"));
        assert_eq!(d.model.as_deref(), Some("EliteBook 840"));
        assert_eq!(d.manufacturer.as_deref(), Some("HP"));
        assert_eq!(d.last_user.as_deref(), Some("ACME\\jdoe"));
        assert_eq!(d.warranty_expires.unwrap().to_string(), "2027-01-31");
        assert_eq!(d.linked_id.as_deref(), Some("datto-uid-1"));
        assert!(d.active);
        assert!(d.updated_at.is_some());

        let statuses: Vec<ConfigurationStatus> = serde_json::from_value(
            json!([{"id": 2, "description": "Retired", "closedFlag": true}]),
        )
        .unwrap();
        assert!(!device_with_statuses(&c, &statuses).active);
        let mut off = c.clone();
        off.active_flag = Some(false);
        assert!(!device(&off).active);
        let mut inactive = c;
        inactive.status = Some(model::Reference::by_name("Inactive"));
        assert!(!device(&inactive).active);
    }

    #[test]
    fn empty_configuration_converts() {
        let c: model::Configuration = serde_json::from_value(json!({"id": 1})).unwrap();
        let d = device(&c);
        assert!(d.hostname.is_none() && d.mac_addresses.is_empty() && d.active);
        assert_eq!(d.kind, DeviceKind::default());
    }

    #[test]
    fn kinds_from_type_names() {
        assert_eq!(kind_from_type_name("Managed Server"), DeviceKind::Server);
        assert_eq!(kind_from_type_name("ESXi Host"), DeviceKind::Hypervisor);
        assert_eq!(kind_from_type_name("Firewall"), DeviceKind::NetworkDevice);
        assert_eq!(
            kind_from_type_name("Managed Workstation"),
            DeviceKind::Workstation
        );
        assert_eq!(kind_from_type_name("Printer"), DeviceKind::Printer);
        assert_eq!(
            kind_from_type_name("Toaster"),
            DeviceKind::Other("Toaster".into())
        );
    }

    #[test]
    fn ticket_from_fixture() {
        let t: model::Ticket =
            serde_json::from_str(include_str!("../tests/fixtures/ticket.json")).unwrap();
        let c = ticket(&t);
        assert_eq!(c.external.id, "200");
        assert_eq!(c.summary, "test");
        assert_eq!(c.board.as_deref(), Some("Network Security - South"));
        assert_eq!(c.status.as_deref(), Some("In Progress"));
        assert_eq!(c.priority.as_deref(), Some("Priority 4 - Low"));
        assert_eq!(c.company.unwrap().id, "19298");
        assert!(!c.closed);
    }

    #[test]
    fn site_and_domains() {
        let s: model::CompanySite =
            serde_json::from_value(json!({"id": 5, "name": "Main"})).unwrap();
        let core = site(&s, Some(crate::CompanyId(9)));
        assert_eq!(core.company.unwrap().id, "9");
        assert_eq!(
            domain_of("https://www.Example.co.uk/about"),
            Some("example.co.uk".into())
        );
        assert_eq!(domain_of("n/a"), None);
    }
}

//! Conversions from Datto wire models to the vendor-neutral records of `psa_rmm_core`.
//!
//! Datto has no company level: each customer is a site, so a site converts to both a core `Site` and a core
//! `Company` sharing the site UID. The system sites ("Deleted Devices", "Managed", "OnDemand") hold no customer
//! and produce no company.

use psa_rmm_core::model::{
    Alert as CoreAlert, AlertSeverity, Company, Device as CoreDevice, DeviceKind, ExternalRef,
    Site as CoreSite, System,
};

use crate::model::{
    Alert, AlertPriority, AuditKind, Device, DeviceClass, NetworkInterface, Site, SystemSite,
};

/// A record that cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// A field the core record needs as its identity is missing.
    #[error("Datto {record} has no {field}")]
    MissingField {
        /// Record type.
        record: &'static str,
        /// Missing field.
        field: &'static str,
    },
}

/// The identity facts an audit yields: what a device record lacks and matching needs. Small and
/// serialisable, so a scan state can carry it for devices that are not audited again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HardwareIdentity {
    /// Serial number (BIOS serial, ESXi service tag, printer SNMP serial).
    pub serial_number: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// MAC addresses as reported, without duplicates.
    pub mac_addresses: Vec<String>,
    /// Logged-in user the audit saw.
    pub username: Option<String>,
}

impl HardwareIdentity {
    /// The identity an audit carries.
    pub fn from_audit(audit: &AuditKind) -> Self {
        Self {
            serial_number: non_empty(audit.serial_number()),
            manufacturer: non_empty(audit.manufacturer()),
            model: non_empty(audit.model()),
            mac_addresses: mac_addresses(Some(audit), &[]),
            username: non_empty(audit.username()),
        }
    }
}

fn datto_ref(id: &str) -> ExternalRef {
    ExternalRef::new(System::DattoRmm, id)
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A site as a core `Site`; system sites are flagged.
pub fn site_to_core(site: &Site) -> Result<CoreSite, ConvertError> {
    let uid = site.uid.as_ref().ok_or(ConvertError::MissingField {
        record: "site",
        field: "uid",
    })?;
    let system_site = site.is_system_site();
    let mut out = CoreSite::new(
        datto_ref(uid.as_str()),
        site.name.clone().unwrap_or_default(),
    );
    out.system_site = system_site;
    out.company = (!system_site).then(|| datto_ref(uid.as_str()));
    out.device_count = site
        .devices_status
        .as_ref()
        .and_then(|d| d.number_of_devices)
        .and_then(|n| u64::try_from(n).ok());
    Ok(out)
}

/// A site as the customer company it stands for; `None` for a system site.
pub fn site_to_company(site: &Site) -> Result<Option<Company>, ConvertError> {
    let uid = site.uid.as_ref().ok_or(ConvertError::MissingField {
        record: "site",
        field: "uid",
    })?;
    if site.is_system_site() {
        return Ok(None);
    }
    let mut company = Company::new(
        datto_ref(uid.as_str()),
        site.name.clone().unwrap_or_default(),
    );
    company.identifier = non_empty(site.autotask_company_id.as_deref());
    Ok(Some(company))
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a device is, from its class first (ESXi, printer, network device) and then its free-text category.
pub fn device_kind(device: &Device) -> DeviceKind {
    match device.device_class {
        Some(DeviceClass::EsxiHost) => return DeviceKind::Hypervisor,
        Some(DeviceClass::Printer) => return DeviceKind::Printer,
        Some(DeviceClass::RmmNetworkDevice) => return DeviceKind::NetworkDevice,
        _ => {}
    }
    let Some(category) = device
        .device_type
        .as_ref()
        .and_then(|t| t.category.as_deref())
    else {
        return DeviceKind::default();
    };
    let key = squash(category);
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if has(&["laptop", "notebook", "portable"]) {
        DeviceKind::Laptop
    } else if has(&["esxi", "hypervisor", "hyperv"]) {
        DeviceKind::Hypervisor
    } else if has(&["server"]) {
        DeviceKind::Server
    } else if has(&["desktop", "workstation"]) || key == "pc" {
        DeviceKind::Workstation
    } else if has(&["printer", "mfp", "mfd"]) {
        DeviceKind::Printer
    } else if has(&["mobile", "phone", "tablet"]) {
        DeviceKind::Mobile
    } else if has(&[
        "network",
        "router",
        "switch",
        "firewall",
        "accesspoint",
        "gateway",
    ]) {
        DeviceKind::NetworkDevice
    } else {
        DeviceKind::Other(category.to_owned())
    }
}

const VM_MARKERS: &[&str] = &[
    "virtualmachine",
    "vmware",
    "virtualbox",
    "kvm",
    "qemu",
    "hvmdomu",
    "xen",
    "parallels",
    "bochs",
    "amazonec2",
    "googlecomputeengine",
    "openstack",
];

/// True for a virtual machine: hardware strings from the audit decide first, then `deviceType.type`.
pub fn is_virtual(device: &Device, identity: Option<&HardwareIdentity>) -> Option<bool> {
    if let Some(id) = identity {
        let hw = format!(
            "{} {}",
            id.manufacturer.as_deref().unwrap_or_default(),
            id.model.as_deref().unwrap_or_default()
        );
        if VM_MARKERS.iter().any(|m| squash(&hw).contains(m)) {
            return Some(true);
        }
    }
    let declared = device
        .device_type
        .as_ref()
        .and_then(|t| t.device_type.as_deref())
        .map(squash);
    match declared.as_deref() {
        Some("virtual" | "vm" | "virtualmachine") => Some(true),
        Some("physical") => Some(false),
        _ => identity.and_then(|i| i.model.as_ref()).map(|_| false),
    }
}

fn mac_key(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// MAC addresses from the audit and the per-site NIC list, as reported, without duplicates or blanks.
pub fn mac_addresses(audit: Option<&AuditKind>, nics: &[NetworkInterface]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    audit
        .map(AuditKind::mac_addresses)
        .unwrap_or_default()
        .into_iter()
        .chain(nics.iter().filter_map(|n| n.mac_address.as_deref()))
        .map(str::trim)
        .filter(|m| {
            let key = mac_key(m);
            !key.is_empty() && seen.insert(key)
        })
        .map(str::to_owned)
        .collect()
}

/// A device, with its audit (serial, manufacturer, model, MACs) and/or its NICs from the per-site
/// network-interface list, as a core `Device`.
pub fn device_to_core(
    device: &Device,
    audit: Option<&AuditKind>,
    nics: &[NetworkInterface],
) -> Result<CoreDevice, ConvertError> {
    let identity = audit.map(HardwareIdentity::from_audit);
    device_with_identity(device, identity.as_ref(), nics)
}

/// A device with identity facts (from a fresh audit or a previous scan) as a core `Device`.
pub fn device_with_identity(
    device: &Device,
    identity: Option<&HardwareIdentity>,
    nics: &[NetworkInterface],
) -> Result<CoreDevice, ConvertError> {
    let uid = device.uid.as_ref().ok_or(ConvertError::MissingField {
        record: "device",
        field: "uid",
    })?;
    let system_site = device.site_name.as_deref().and_then(SystemSite::from_name);
    let site = device.site_uid.as_ref().map(|s| datto_ref(s.as_str()));
    let mut out = CoreDevice::new(datto_ref(uid.as_str()));
    out.company = site.clone().filter(|_| system_site.is_none());
    out.site = site;
    out.hostname = non_empty(device.hostname.as_deref());
    out.kind = device_kind(device);
    out.type_name = device
        .device_type
        .as_ref()
        .and_then(|t| non_empty(t.category.as_deref()));
    out.serial_number = identity.and_then(|i| non_empty(i.serial_number.as_deref()));
    let mut macs: Vec<String> = identity
        .map(|i| i.mac_addresses.clone())
        .unwrap_or_default();
    for extra in mac_addresses(None, nics) {
        if !macs.iter().any(|m| mac_key(m) == mac_key(&extra)) {
            macs.push(extra);
        }
    }
    out.mac_addresses = macs;
    out.ip_address = non_empty(device.int_ip_address.as_deref())
        .or_else(|| nics.iter().find_map(|n| non_empty(n.ipv4.as_deref())));
    out.manufacturer = identity.and_then(|i| non_empty(i.manufacturer.as_deref()));
    out.model = identity.and_then(|i| non_empty(i.model.as_deref()));
    out.os = non_empty(device.operating_system.as_deref());
    out.last_user = non_empty(device.last_logged_in_user.as_deref())
        .or_else(|| identity.and_then(|i| non_empty(i.username.as_deref())));
    out.last_seen = device.last_seen;
    out.warranty_expires = device.warranty_date;
    out.virtual_machine = is_virtual(device, identity);
    out.active =
        !device.deleted.unwrap_or(false) && system_site != Some(SystemSite::DeletedDevices);
    out.updated_at = device.last_audit_date.or(device.last_seen);
    Ok(out)
}

fn severity(priority: Option<&AlertPriority>) -> AlertSeverity {
    match priority {
        Some(AlertPriority::Critical) => AlertSeverity::Critical,
        Some(AlertPriority::High) => AlertSeverity::High,
        Some(AlertPriority::Moderate) => AlertSeverity::Moderate,
        Some(AlertPriority::Low) => AlertSeverity::Low,
        Some(AlertPriority::Information) => AlertSeverity::Information,
        Some(other) => AlertSeverity::Other(other.as_str().to_owned()),
        None => AlertSeverity::Other("unknown".into()),
    }
}

fn alert_message(alert: &Alert) -> String {
    if let Some(d) = non_empty(alert.diagnostics.as_deref()) {
        return d;
    }
    let Some(ctx) = &alert.alert_context else {
        return "Datto RMM alert".into();
    };
    let details: Vec<String> = ctx
        .fields
        .keys()
        .filter_map(|k| ctx.field_text(k).map(|v| format!("{k}={v}")))
        .collect();
    match (ctx.category(), details.is_empty()) {
        (Some(c), true) => format!("Datto RMM alert: {c}"),
        (Some(c), false) => format!("Datto RMM alert: {c} ({})", details.join(", ")),
        (None, _) => "Datto RMM alert".into(),
    }
}

/// An alert as a core `Alert`; its customer is the site that raised it.
pub fn alert_to_core(alert: &Alert) -> Result<CoreAlert, ConvertError> {
    let uid = alert.alert_uid.as_ref().ok_or(ConvertError::MissingField {
        record: "alert",
        field: "alertUid",
    })?;
    let source = alert.alert_source_info.as_ref();
    let site = source
        .and_then(|s| s.site_uid.as_ref())
        .map(|s| datto_ref(s.as_str()));
    let system_site = source
        .and_then(|s| s.site_name.as_deref())
        .and_then(SystemSite::from_name);
    Ok(CoreAlert {
        external: datto_ref(uid.as_str()),
        company: site.clone().filter(|_| system_site.is_none()),
        site,
        device: source
            .and_then(|s| s.device_uid.as_ref())
            .map(|d| datto_ref(d.as_str())),
        device_name: source.and_then(|s| non_empty(s.device_name.as_deref())),
        severity: severity(alert.priority.as_ref()),
        category: alert
            .alert_context
            .as_ref()
            .and_then(|c| c.category())
            .map(str::to_owned),
        message: alert_message(alert),
        raised_at: alert.timestamp,
        resolved: alert.resolved.unwrap_or(alert.resolved_on.is_some()),
        resolved_at: alert.resolved_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeviceAudit, DeviceType, EsxiHostAudit};
    use serde_json::json;

    fn device(v: serde_json::Value) -> Device {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn kind_from_class_then_category() {
        let d = |class: &str, cat: &str| {
            device(
                json!({"deviceClass": class, "deviceType": {"category": cat, "type": "physical"}}),
            )
        };
        assert_eq!(device_kind(&d("device", "Laptop")), DeviceKind::Laptop);
        assert_eq!(
            device_kind(&d("device", "Desktop")),
            DeviceKind::Workstation
        );
        assert_eq!(device_kind(&d("device", "Server")), DeviceKind::Server);
        assert_eq!(
            device_kind(&d("esxihost", "Server")),
            DeviceKind::Hypervisor
        );
        assert_eq!(device_kind(&d("printer", "")), DeviceKind::Printer);
        assert_eq!(
            device_kind(&d("rmmnetworkdevice", "network")),
            DeviceKind::NetworkDevice
        );
        assert_eq!(
            device_kind(&d("device", "Main Frame")),
            DeviceKind::Other("Main Frame".into())
        );
        assert_eq!(device_kind(&Device::default()), DeviceKind::default());
    }

    #[test]
    fn virtual_from_hardware_strings_over_declared_type() {
        let mut d = Device {
            device_type: Some(DeviceType {
                category: Some("Server".into()),
                device_type: Some("physical".into()),
            }),
            ..Device::default()
        };
        let vm: AuditKind = AuditKind::Device(
            serde_json::from_value(
                json!({"systemInfo": {"manufacturer": "VMware, Inc.", "model": "VMware7,1"}}),
            )
            .unwrap(),
        );
        assert_eq!(
            is_virtual(&d, Some(&HardwareIdentity::from_audit(&vm))),
            Some(true)
        );
        assert_eq!(is_virtual(&d, None), Some(false));
        d.device_type = None;
        assert_eq!(is_virtual(&d, None), None);
        let hw = AuditKind::Device(
            serde_json::from_value(
                json!({"systemInfo": {"manufacturer": "Dell Inc.", "model": "OptiPlex 7090"}}),
            )
            .unwrap(),
        );
        assert_eq!(
            is_virtual(&d, Some(&HardwareIdentity::from_audit(&hw))),
            Some(false)
        );
    }

    #[test]
    fn macs_merge_dedupe_across_formats() {
        let audit = AuditKind::Device(DeviceAudit {
            nics: vec![
                NetworkInterface {
                    mac_address: Some("00:1A:2B:3C:4D:5E".into()),
                    ..Default::default()
                },
                NetworkInterface {
                    mac_address: Some("".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        });
        let nics = vec![
            NetworkInterface {
                mac_address: Some("00-1a-2b-3c-4d-5e".into()),
                ..Default::default()
            },
            NetworkInterface {
                mac_address: Some("AABBCCDDEEFF".into()),
                ..Default::default()
            },
        ];
        assert_eq!(
            mac_addresses(Some(&audit), &nics),
            vec!["00:1A:2B:3C:4D:5E".to_owned(), "AABBCCDDEEFF".to_owned()]
        );
    }

    #[test]
    fn esxi_serial_is_service_tag() {
        let audit = AuditKind::EsxiHost(EsxiHostAudit {
            system_info: Some(crate::model::EsxiSystemInfo {
                service_tag: Some("ABC123".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let d = device(json!({"uid": "u1", "deviceClass": "esxihost"}));
        let core = device_to_core(&d, Some(&audit), &[]).unwrap();
        assert_eq!(core.serial_number.as_deref(), Some("ABC123"));
        assert_eq!(core.kind, DeviceKind::Hypervisor);
    }

    #[test]
    fn missing_uid_is_a_typed_error() {
        assert_eq!(
            device_to_core(&Device::default(), None, &[]).unwrap_err(),
            ConvertError::MissingField {
                record: "device",
                field: "uid"
            }
        );
        assert!(site_to_core(&Site::default()).is_err());
        assert!(alert_to_core(&Alert::default()).is_err());
    }

    #[test]
    fn system_sites_have_no_company() {
        for name in ["Deleted Devices", "Managed", "OnDemand", "on demand"] {
            let s: Site = serde_json::from_value(json!({"uid": "x", "name": name})).unwrap();
            assert!(site_to_core(&s).unwrap().system_site, "{name}");
            assert_eq!(site_to_company(&s).unwrap(), None);
        }
        let s: Site = serde_json::from_value(
            json!({"uid": "s1", "name": "Acme Ltd", "devicesStatus": {"numberOfDevices": 25}}),
        )
        .unwrap();
        let core = site_to_core(&s).unwrap();
        assert!(!core.system_site);
        assert_eq!(core.device_count, Some(25));
        assert_eq!(site_to_company(&s).unwrap().unwrap().name, "Acme Ltd");
    }

    #[test]
    fn deleted_devices_are_inactive_without_company() {
        let d = device(
            json!({"uid": "d", "siteUid": "dd", "siteName": "Deleted Devices", "deleted": true}),
        );
        let core = device_to_core(&d, None, &[]).unwrap();
        assert!(!core.active);
        assert_eq!(core.company, None);
        assert_eq!(core.site, Some(ExternalRef::new(System::DattoRmm, "dd")));
    }

    #[test]
    fn alert_without_diagnostics_describes_its_context() {
        let a: Alert = serde_json::from_value(json!({
            "alertUid": "a1", "priority": "Unknown",
            "alertContext": {"@class": "srvc_status_ctx", "serviceName": "Spooler", "status": "STOPPED"}
        }))
        .unwrap();
        let core = alert_to_core(&a).unwrap();
        assert_eq!(core.category.as_deref(), Some("srvc_status"));
        assert_eq!(core.severity, AlertSeverity::Other("Unknown".into()));
        assert!(
            core.message.contains("serviceName=Spooler"),
            "{}",
            core.message
        );
        assert!(!core.resolved);
    }
}

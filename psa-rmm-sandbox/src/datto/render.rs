//! Renders the vendor-neutral tenant into Datto RMM wire JSON: epoch-millisecond timestamps, `yyyy-mm-dd`
//! warranty dates, `udf1..udf30` objects, `deviceClass` routing audits, system sites as Datto creates them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use psa_rmm_core::{Alert, AlertSeverity, Device, DeviceKind, Site, System};
use serde_json::{Map, Value, json};

use crate::tenant::Tenant;

/// UDFs every device carries (older builds have 30, newer 300; the fake renders the older, smaller shape).
pub(crate) const UDF_COUNT: u16 = 30;

/// A device with everything the fake serves about it.
#[derive(Debug, Clone)]
pub(crate) struct DeviceRec {
    pub(crate) uid: String,
    pub(crate) id: i64,
    pub(crate) site_uid: String,
    pub(crate) class: &'static str,
    pub(crate) macs: Vec<String>,
    /// The `Device` object as listed.
    pub(crate) json: Value,
    /// The audit of its class, serialised once (`None` for classes without one).
    pub(crate) audit: Option<std::sync::Arc<str>>,
    /// The NIC list of the network-interface pages.
    pub(crate) nics: Value,
}

/// A site with its wire object.
#[derive(Debug, Clone)]
pub(crate) struct SiteRec {
    pub(crate) uid: String,
    pub(crate) id: i64,
    pub(crate) json: Value,
}

/// An alert with its wire object.
#[derive(Debug, Clone)]
pub(crate) struct AlertRec {
    pub(crate) uid: String,
    pub(crate) site_uid: Option<String>,
    pub(crate) device_uid: Option<String>,
    pub(crate) json: Value,
}

pub(crate) fn ms(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| json!(t.timestamp_millis()))
}

fn class_of(kind: &DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Hypervisor => "esxihost",
        DeviceKind::Printer => "printer",
        DeviceKind::NetworkDevice => "rmmnetworkdevice",
        _ => "device",
    }
}

fn category_of(kind: &DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Laptop => "Laptop",
        DeviceKind::Server => "Server",
        DeviceKind::Hypervisor => "ESXi Host",
        DeviceKind::Printer => "Printer",
        DeviceKind::NetworkDevice => "Network Device",
        DeviceKind::Mobile => "Mobile Device",
        _ => "Desktop",
    }
}

fn udfs() -> Value {
    let map: Map<String, Value> = (1..=UDF_COUNT)
        .map(|n| (format!("udf{n}"), Value::Null))
        .collect();
    Value::Object(map)
}

fn nics_of(device: &Device) -> Value {
    Value::Array(
        device
            .mac_addresses
            .iter()
            .enumerate()
            .map(|(i, mac)| {
                json!({
                    "instance": format!("Ethernet {}", i + 1),
                    "ipv4": if i == 0 { device.ip_address.clone() } else { None },
                    "ipv6": null,
                    "macAddress": mac,
                    "type": "Ethernet",
                })
            })
            .collect(),
    )
}

fn audit_of(device: &Device, class: &str, nics: &Value) -> Option<Value> {
    match class {
        "device" => Some(json!({
            "portalUrl": null,
            "webRemoteUrl": null,
            "systemInfo": {
                "manufacturer": device.manufacturer,
                "model": device.model,
                "totalPhysicalMemory": 17_179_869_184_i64,
                "username": device.last_user,
                "dotNetVersion": "4.8",
                "totalCpuCores": 8,
            },
            "nics": nics,
            "bios": {"instance": "BIOS", "releaseDate": null, "serialNumber": device.serial_number, "smBiosVersion": "3.4"},
            "baseBoard": {"manufacturer": device.manufacturer, "product": device.model},
            "displays": [],
            "logicalDisks": [{"description": "Local Fixed Disk", "diskIdentifier": "C:", "freespace": 107_374_182_400_i64, "size": 256_060_514_304_i64}],
            "mobileInfo": [],
            "processors": [{"name": "Intel(R) Core(TM) i7"}],
            "videoBoards": [],
            "attachedDevices": [],
            "snmpInfo": null,
            "physicalMemory": [],
        })),
        "esxihost" => {
            let esxi_nics: Vec<Value> = device
                .mac_addresses
                .iter()
                .enumerate()
                .map(|(i, mac)| json!({"name": format!("vmnic{i}"), "ipv4": null, "ipv6": null, "macAddress": mac, "speed": "1000", "type": "Ethernet"}))
                .collect();
            Some(json!({
                "portalUrl": null,
                "systemInfo": {"manufacturer": device.manufacturer, "model": device.model, "name": device.hostname, "numberOfSnapshots": 0, "serviceTag": device.serial_number},
                "guests": [],
                "processors": [{"frequency": 2.4, "name": "Intel Xeon", "numberOfCores": 16}],
                "nics": esxi_nics,
                "physicalMemory": [],
                "datastores": [],
            }))
        }
        "printer" => Some(json!({
            "portalUrl": null,
            "snmpInfo": {"snmpName": device.hostname, "snmpSerial": device.serial_number},
            "printerMarkerSupplies": [],
            "printer": {"printedPageCount": 1234},
            "systemInfo": {"manufacturer": device.manufacturer, "model": device.model},
            "nics": nics,
        })),
        _ => None,
    }
}

fn device_json(
    device: &Device,
    id: i64,
    site: &SiteRec,
    site_name: &str,
    class: &str,
    now: DateTime<Utc>,
) -> Value {
    let online = device
        .last_seen
        .is_some_and(|t| (now - t).num_minutes() < 15);
    let deleted = !device.active || site_name == "Deleted Devices";
    let is_agent = class == "device";
    json!({
        "id": id,
        "uid": device.external.id,
        "siteId": site.id,
        "siteUid": site.uid,
        "siteName": site_name,
        "deviceType": {
            "category": category_of(&device.kind),
            "type": if device.virtual_machine == Some(true) { "Virtual" } else { "Physical" },
        },
        "hostname": device.hostname,
        "intIpAddress": device.ip_address,
        "extIpAddress": if is_agent { Some("203.0.113.10") } else { None },
        "operatingSystem": device.os,
        "lastLoggedInUser": device.last_user,
        "domain": if is_agent { Some("WORKGROUP") } else { None },
        "cagVersion": if is_agent { Some("11965") } else { None },
        "displayVersion": if is_agent { Some("4.4.11965.11965") } else { None },
        "description": null,
        "a64Bit": if is_agent { Some(true) } else { None },
        "rebootRequired": if is_agent { Some(false) } else { None },
        "online": online,
        "suspended": false,
        "deleted": deleted,
        "lastSeen": ms(device.last_seen),
        "lastReboot": null,
        "lastAuditDate": ms(device.updated_at.or(device.last_seen)),
        "creationDate": ms(device.last_seen.map(|t| t - chrono::Duration::days(400))),
        "udf": udfs(),
        "snmpEnabled": class != "device",
        "deviceClass": class,
        "portalUrl": format!("https://sandbox.rmm.datto.com/device/{id}"),
        "warrantyDate": device.warranty_expires.map(|d| d.format("%Y-%m-%d").to_string()),
        "antivirus": if is_agent { json!({"antivirusProduct": "Windows Defender", "antivirusStatus": "RunningAndUpToDate"}) } else { Value::Null },
        "patchManagement": if is_agent { json!({"patchStatus": "FullyPatched", "patchesApprovedPending": 0, "patchesNotApproved": 0, "patchesInstalled": 120}) } else { Value::Null },
        "softwareStatus": if is_agent { Some("Compliant") } else { None },
        "webRemoteUrl": null,
        "networkProbe": false,
        "onboardedViaNetworkMonitor": class == "rmmnetworkdevice",
    })
}

fn site_json(site: &Site, id: i64, account_uid: &str, devices: usize, online: usize) -> Value {
    json!({
        "id": id,
        "uid": site.external.id,
        "accountUid": account_uid,
        "name": site.name,
        "description": null,
        "notes": null,
        "onDemand": site.name == "OnDemand",
        "splashtopAutoInstall": true,
        "proxySettings": null,
        "devicesStatus": {
            "numberOfDevices": devices,
            "numberOfOnlineDevices": online,
            "numberOfOfflineDevices": devices - online,
        },
        "autotaskCompanyName": null,
        "autotaskCompanyId": null,
        "portalUrl": format!("https://sandbox.rmm.datto.com/site/{id}"),
    })
}

fn priority(severity: &AlertSeverity) -> &str {
    match severity {
        AlertSeverity::Critical => "Critical",
        AlertSeverity::High => "High",
        AlertSeverity::Moderate => "Moderate",
        AlertSeverity::Low => "Low",
        AlertSeverity::Information => "Information",
        AlertSeverity::Other(_) => "Unknown",
    }
}

fn alert_json(alert: &Alert, site_names: &HashMap<String, String>) -> Value {
    let site_uid = alert.site.as_ref().map(|s| s.id.clone());
    json!({
        "alertUid": alert.external.id,
        "priority": priority(&alert.severity),
        "diagnostics": alert.message,
        "resolved": alert.resolved,
        "resolvedBy": if alert.resolved { Some("system") } else { None },
        "resolvedOn": ms(alert.resolved_at),
        "muted": false,
        "ticketNumber": null,
        "timestamp": ms(alert.raised_at),
        "alertMonitorInfo": {"sendsEmails": true, "createsTicket": false},
        "alertContext": {"@class": format!("{}_ctx", alert.category.as_deref().unwrap_or("status"))},
        "alertSourceInfo": {
            "deviceUid": alert.device.as_ref().map(|d| d.id.clone()),
            "deviceName": alert.device_name,
            "siteUid": site_uid,
            "siteName": site_uid.as_ref().and_then(|s| site_names.get(s)),
        },
        "responseActions": [],
        "autoresolveMins": 0,
    })
}

/// Everything the fake serves, rendered from the Datto part of the tenant.
pub(crate) struct Rendered {
    pub(crate) sites: Vec<SiteRec>,
    pub(crate) devices: Vec<DeviceRec>,
    pub(crate) alerts: Vec<AlertRec>,
}

pub(crate) fn render(tenant: &Tenant, account_uid: &str, now: DateTime<Utc>) -> Rendered {
    let datto = System::DattoRmm;
    let mut per_site: HashMap<&str, (usize, usize)> = HashMap::new();
    for d in tenant.rmm_devices_of(&datto) {
        if let Some(site) = &d.site {
            let entry = per_site.entry(site.id.as_str()).or_default();
            entry.0 += 1;
            if d.last_seen.is_some_and(|t| (now - t).num_minutes() < 15) {
                entry.1 += 1;
            }
        }
    }
    let mut sites = Vec::new();
    let mut site_names = HashMap::new();
    for (i, site) in tenant.rmm_sites_of(&datto).enumerate() {
        let id = 187_000 + i as i64;
        let (count, online) = per_site
            .get(site.external.id.as_str())
            .copied()
            .unwrap_or_default();
        site_names.insert(site.external.id.clone(), site.name.clone());
        sites.push(SiteRec {
            uid: site.external.id.clone(),
            id,
            json: site_json(site, id, account_uid, count, online),
        });
    }
    let site_index: HashMap<String, usize> = sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.uid.clone(), i))
        .collect();
    let mut devices = Vec::new();
    for (i, device) in tenant.rmm_devices_of(&datto).enumerate() {
        let Some(site) = device
            .site
            .as_ref()
            .and_then(|s| site_index.get(&s.id))
            .and_then(|i| sites.get(*i))
        else {
            continue;
        };
        let id = 1_000_000 + i as i64;
        let class = class_of(&device.kind);
        let site_name = site_names.get(&site.uid).cloned().unwrap_or_default();
        let nics = nics_of(device);
        devices.push(DeviceRec {
            uid: device.external.id.clone(),
            id,
            site_uid: site.uid.clone(),
            class,
            macs: device.mac_addresses.clone(),
            json: device_json(device, id, site, &site_name, class, now),
            audit: audit_of(device, class, &nics).map(|a| a.to_string().into()),
            nics,
        });
    }
    let alerts = tenant
        .alerts_of(&datto)
        .map(|a| AlertRec {
            uid: a.external.id.clone(),
            site_uid: a.site.as_ref().map(|s| s.id.clone()),
            device_uid: a.device.as_ref().map(|d| d.id.clone()),
            json: alert_json(a, &site_names),
        })
        .collect();
    Rendered {
        sites,
        devices,
        alerts,
    }
}

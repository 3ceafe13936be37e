//! The fake's records: the seeded tenant's Asio companies, sites and devices rendered into Asio wire JSON,
//! plus the vendor-side tables (device groups, custom-field definitions, ticket lookups).

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use psa_rmm_core::{Company, Device, DeviceKind, Site, System};
use serde_json::{Value, json};

use crate::rng::SeededRng;
use crate::tenant::Tenant;

/// Fields every v2 list item carries even without a projection.
pub(super) const METADATA: [&str; 13] = [
    "endpointID",
    "deviceName",
    "friendlyName",
    "resourceType",
    "endpointType",
    "type",
    "subResourceType",
    "virtualType",
    "createdAt",
    "modifiedAt",
    "remoteAddress",
    "agentInstalledUTC",
    "createTimeUTC",
];

/// One endpoint: its group keys and every field the API can project.
#[derive(Debug, Clone)]
pub(super) struct EndpointRec {
    pub(super) id: String,
    pub(super) company_id: String,
    pub(super) site_id: String,
    pub(super) category: &'static str,
    pub(super) server: bool,
    pub(super) full: Value,
}

/// One site and its company.
#[derive(Debug, Clone)]
pub(super) struct SiteRec {
    pub(super) company_id: String,
    pub(super) json: Value,
}

/// A device group and its members.
#[derive(Debug, Clone)]
pub(super) struct GroupRec {
    pub(super) json: Value,
    pub(super) members: Vec<String>,
}

/// Everything the fake serves and stores.
#[derive(Debug)]
pub(super) struct Data {
    pub(super) companies: Vec<Value>,
    pub(super) sites: Vec<SiteRec>,
    pub(super) endpoints: Vec<EndpointRec>,
    pub(super) endpoint_index: HashMap<String, usize>,
    pub(super) groups: Vec<GroupRec>,
    pub(super) definitions: Vec<Value>,
    pub(super) values: HashMap<(String, String), Option<String>>,
    pub(super) install_tokens: HashMap<(String, String), String>,
    pub(super) tickets: Vec<Value>,
    pub(super) notes: HashMap<String, Vec<Value>>,
    pub(super) boards: Vec<Value>,
    pub(super) statuses: Vec<Value>,
    pub(super) priorities: Vec<Value>,
    pub(super) sources: Vec<Value>,
    pub(super) types: Vec<Value>,
    pub(super) categories: Vec<Value>,
    pub(super) rng: SeededRng,
    pub(super) ticket_seq: u64,
}

pub(super) fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(super) fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Data {
    /// Renders the tenant's Asio side; `now` stamps records that carry no time of their own.
    pub(super) fn from_tenant(tenant: &Tenant, seed: u64, now: DateTime<Utc>) -> Self {
        let mut rng = SeededRng::new(seed);
        let asio = System::CwAsio;
        let companies: Vec<Value> = tenant
            .rmm_companies
            .iter()
            .filter(|c| c.external.system == asio)
            .map(|c| company(c, &mut rng, now))
            .collect();
        let sites: Vec<SiteRec> = tenant
            .rmm_sites_of(&asio)
            .filter_map(|s| site(s, now))
            .collect();
        let mut endpoints: Vec<EndpointRec> = tenant
            .rmm_devices_of(&asio)
            .filter_map(|d| endpoint(d, now))
            .collect();
        // The API groups by company and site; keep that order so pages are stable.
        endpoints.sort_by(|a, b| (&a.company_id, &a.site_id).cmp(&(&b.company_id, &b.site_id)));
        let endpoint_index = endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (key(&e.id), i))
            .collect();
        let groups = groups(&endpoints, &mut rng, now);
        let lookup = |rng: &mut SeededRng, names: &[&str]| -> Vec<Value> {
            names
                .iter()
                .map(|n| json!({"id": rng.uuid(), "name": n, "inactiveFlag": false, "createdAt": ts(now)}))
                .collect()
        };
        let boards = ["Alerts", "Service Desk", "Projects"]
            .iter()
            .map(|n| {
                json!({"id": rng.uuid(), "name": n, "description": format!("{n} board"),
                       "inactiveFlag": false, "defaultPriority": {"id": null, "name": "Medium"}})
            })
            .collect();
        let statuses = [
            ("New", "New", "NotResponded"),
            ("In Progress", "InProgress", "Responded"),
            ("Waiting", "InProgress", "Waiting"),
            ("Closed", "Closed", "Resolved"),
        ]
        .iter()
        .map(|(n, c, s)| json!({"id": rng.uuid(), "name": n, "category": c, "slaStatus": s, "inactiveFlag": false}))
        .collect();
        let priorities = lookup(&mut rng, &["Critical", "High", "Medium", "Low"]);
        let sources = lookup(&mut rng, &["Monitoring", "Email", "Phone", "Portal"]);
        let types = lookup(&mut rng, &["Incident", "Problem", "Request"]);
        let categories = lookup(&mut rng, &["Hardware", "Software", "Network"]);
        let definitions = vec![
            definition(&mut rng, "device", "PSA Configuration ID", now),
            definition(&mut rng, "company", "PSA Company ID", now),
            definition(&mut rng, "site", "PSA Site ID", now),
        ];
        Self {
            companies,
            sites,
            endpoints,
            endpoint_index,
            groups,
            definitions,
            values: HashMap::new(),
            install_tokens: HashMap::new(),
            tickets: Vec::new(),
            notes: HashMap::new(),
            boards,
            statuses,
            priorities,
            sources,
            types,
            categories,
            rng,
            ticket_seq: 1000,
        }
    }

    pub(super) fn endpoint(&self, id: &str) -> Option<&EndpointRec> {
        self.endpoint_index
            .get(&key(id))
            .and_then(|i| self.endpoints.get(*i))
    }
}

fn company(c: &Company, rng: &mut SeededRng, now: DateTime<Utc>) -> Value {
    json!({
        "id": c.external.id,
        "name": c.name,
        "friendlyName": c.name,
        "partnerId": "sbx-partner",
        "activityStatus": {"id": "1", "name": if c.active { "Active" } else { "Inactive" }, "activeFlag": c.active},
        "externalIds": [],
        "createdDate": ts(now),
        "updatedDate": ts(c.updated_at.unwrap_or(now)),
        "corpContainer": {"id": rng.uuid(), "name": c.name, "partnerId": "sbx-partner"},
    })
}

fn site(s: &Site, now: DateTime<Utc>) -> Option<SiteRec> {
    let company = s.company.as_ref()?;
    Some(SiteRec {
        company_id: company.id.clone(),
        json: json!({
            "id": s.external.id,
            "name": s.name,
            "friendlyName": s.name,
            "activeFlag": true,
            "timeZone": "UTC",
            "partnerId": "sbx-partner",
            "company": {"id": company.id},
            "externalIds": [],
            "createdDate": ts(now),
        }),
    })
}

/// SMBIOS chassis type: 10 notebook, 3 desktop, 23 rack server, 1 other.
fn chassis(kind: &DeviceKind) -> i64 {
    match kind {
        DeviceKind::Laptop => 10,
        DeviceKind::Server | DeviceKind::Hypervisor => 23,
        DeviceKind::Workstation => 3,
        _ => 1,
    }
}

fn endpoint(d: &Device, now: DateTime<Utc>) -> Option<EndpointRec> {
    let company_id = d.company.as_ref()?.id.clone();
    let site_id = d.site.as_ref()?.id.clone();
    let (category, family, kind) = match &d.kind {
        DeviceKind::NetworkDevice => ("network", "NetworkDevice", "Firewall"),
        DeviceKind::Server | DeviceKind::Hypervisor => ("platform", "Server", "Server"),
        DeviceKind::Mobile => ("platform", "Mobile", "Mobile"),
        _ => ("platform", "Desktop", "Desktop"),
    };
    let virtual_type = match (&d.kind, d.virtual_machine) {
        (DeviceKind::Hypervisor, _) => "Host",
        (_, Some(true)) => "Guest",
        _ => "Physical",
    };
    let host = d.hostname.clone().unwrap_or_default();
    let created = ts(d.updated_at.unwrap_or(now));
    let networks: Vec<Value> = d
        .mac_addresses
        .iter()
        .enumerate()
        .map(|(i, mac)| {
            json!({"vendor": "Intel", "product": format!("Ethernet adapter #{}", i + 1), "macAddress": mac,
                   "ipv4": if i == 0 { d.ip_address.clone() } else { None }, "ipEnabled": i == 0,
                   "dhcpEnabled": true, "logicalName": format!("eth{i}"), "interfaceIndex": i + 1})
        })
        .collect();
    let full = json!({
        "endpointID": d.external.id,
        "deviceName": host,
        "friendlyName": host,
        "resourceType": family,
        "endpointType": family,
        "type": kind,
        "subResourceType": "",
        "virtualType": virtual_type,
        "ipAddress": d.ip_address.iter().collect::<Vec<_>>(),
        "macAddress": d.mac_addresses,
        "remoteAddress": "203.0.113.10",
        "createdAt": created,
        "modifiedAt": created,
        "agentInstalledUTC": created,
        "createTimeUTC": created,
        "rolesFeatures": [],
        "os": {"product": d.os, "manufacturer": "Microsoft Corporation", "version": "10.0.22631",
               "displayVersion": "23H2", "userName": d.last_user, "language": "en-US", "productID": "00330-80000-00000-AA000"},
        "system": {"product": d.model, "model": d.model, "serialNumber": d.serial_number, "systemName": host,
                   "domain": "WORKGROUP", "domainRole": 1, "chassisTypes": [chassis(&d.kind)],
                   "hypervisorName": if virtual_type == "Guest" { Some("Hyper-V") } else { None }},
        "bios": {"manufacturer": d.manufacturer, "serialNumber": d.serial_number, "version": "1.0.0", "smbiosVersion": "3.4"},
        "baseboard": {"manufacturer": d.manufacturer, "product": d.model, "serialNumber": d.serial_number,
                      "hardwareUUID": d.hardware_uuid},
        "networks": networks,
        "processors": [{"product": "Intel(R) Core(TM) i5", "numberOfCores": 4, "numberOfLogicalProcessors": 8, "clockSpeedMhz": 2400.0}],
        "physicalMemory": [{"manufacturer": "Samsung", "sizeBytes": 8_589_934_592u64, "slot": "DIMM0"}],
        "drives": [{"product": "NVMe SSD", "sizeBytes": 512_110_190_592u64, "mediaType": "SSD"}],
    });
    Some(EndpointRec {
        id: d.external.id.clone(),
        company_id,
        site_id,
        category,
        server: family == "Server",
        full,
    })
}

fn groups(endpoints: &[EndpointRec], rng: &mut SeededRng, now: DateTime<Utc>) -> Vec<GroupRec> {
    let group = |rng: &mut SeededRng, name: &str, predefined: bool, members: Vec<String>| {
        GroupRec {
            json: json!({"id": rng.uuid(), "name": name, "description": format!("{name} (sandbox)"),
                     "predefined": predefined, "static": !predefined, "createdAt": ts(now), "updatedAt": ts(now)}),
            members,
        }
    };
    let servers = endpoints
        .iter()
        .filter(|e| e.server)
        .map(|e| e.id.clone())
        .collect();
    let desktops = endpoints
        .iter()
        .filter(|e| !e.server && e.category == "platform")
        .map(|e| e.id.clone())
        .collect();
    vec![
        group(rng, "All Servers", true, servers),
        group(rng, "All Desktops", true, desktops),
        group(rng, "Patch Pilot", false, Vec::new()),
    ]
}

fn definition(rng: &mut SeededRng, entity: &str, name: &str, now: DateTime<Utc>) -> Value {
    json!({"id": rng.uuid(), "entityType": entity, "name": name, "description": format!("{name} written by the PSA sync"),
           "attributeType": "string", "isEditable": true, "required": false, "type": "partner",
           "createdAt": ts(now), "updatedAt": ts(now)})
}

/// The projection of an endpoint: metadata, plus the named fields (all when `fields` is `None`).
pub(super) fn project(full: &Value, fields: Option<&[String]>) -> Value {
    let Value::Object(map) = full else {
        return full.clone();
    };
    let keep = |k: &str| {
        METADATA.contains(&k) || fields.is_none_or(|f| f.iter().any(|x| x.eq_ignore_ascii_case(k)))
    };
    Value::Object(
        map.iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

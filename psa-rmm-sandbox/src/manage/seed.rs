//! The Manage fake's initial records, built from the tenant: companies, sites, contacts, configurations and
//! the lookup tables (statuses, types, boards, priorities, sources, members) a real instance has.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use psa_rmm_core::{Company, Device, Site};
use serde::Serialize;
use serde_json::{Value, json};

use super::store::{Store, href};
use crate::tenant::Tenant;

/// Builds every table; `href_base` is `http://host/v4_6_release/apis/3.0/` (hrefs keep the vendor's `//`).
pub(crate) fn seed(tenant: &Tenant, now: DateTime<Utc>, href_base: &str) -> Store {
    let mut store = Store::default();
    let stamp = iso(now);
    let s = Seeder {
        href_base,
        stamp: &stamp,
    };
    lookups(&mut store, &s);
    for (index, company) in tenant.psa_companies.iter().enumerate() {
        s.company(&mut store, company, index);
    }
    for site in &tenant.psa_sites {
        s.site(&mut store, site);
    }
    let companies: Vec<i64> = tenant
        .psa_companies
        .iter()
        .filter_map(|c| c.external.id.parse().ok())
        .collect();
    for (n, company) in companies.iter().enumerate() {
        s.contacts(&mut store, *company, n);
    }
    let refs = RefCache::build(&store, &s);
    for config in &tenant.psa_configurations {
        s.configuration(&mut store, config, &refs);
    }
    for (n, company) in companies.iter().enumerate().filter(|(n, _)| n % 4 == 0) {
        s.ticket(&mut store, *company, n);
        s.opportunity(&mut store, *company, n);
    }
    declare_fields(&mut store);
    store
}

/// Fields conditions may name even when no seeded row has them yet.
fn declare_fields(store: &mut Store) {
    store.table_mut("configurations").declare(&[
        "id",
        "name",
        "type",
        "status",
        "company",
        "serialNumber",
        "modelNumber",
        "manufacturer",
        "osType",
        "activeFlag",
        "billFlag",
        "deviceIdentifier",
        "tagNumber",
        "contact",
        "site",
        "notes",
        "vendorNotes",
        "lastLoginName",
        "osInfo",
        "macAddress",
        "ipAddress",
        "questions",
        "customFields",
        "warrantyExpirationDate",
    ]);
    store.table_mut("tickets").declare(&[
        "closedFlag",
        "closedDate",
        "contact",
        "type",
        "subType",
        "item",
        "owner",
        "source",
        "customFields",
        "externalXRef",
        "configurations",
    ]);
    store.table_mut("callbacks").declare(&[
        "url",
        "objectId",
        "type",
        "level",
        "description",
        "inactiveFlag",
        "memberId",
    ]);
    store.table_mut("notes").declare(&[
        "ticketId",
        "text",
        "detailDescriptionFlag",
        "internalAnalysisFlag",
        "resolutionFlag",
    ]);
    store
        .table_mut("companies")
        .declare(&["deletedFlag", "customFields", "parentCompany"]);
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A configuration as the vendor serialises it (absent fields omitted).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigurationRow<'a> {
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_identifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manufacturer: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mac_address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip_address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    os_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warranty_expiration_date: Option<String>,
    active_flag: bool,
    bill_flag: bool,
    questions: [(); 0],
    #[serde(rename = "_info")]
    info: Info<'a>,
}

#[derive(Serialize)]
struct Named<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    last_updated: &'a str,
    updated_by: &'a str,
    date_entered: &'a str,
    entered_by: &'a str,
}

/// Reference objects computed once, so seeding 200,000 configurations does not re-read their targets.
struct RefCache {
    companies: HashMap<i64, Value>,
    types: HashMap<i64, Value>,
    statuses: HashMap<i64, Value>,
}

impl RefCache {
    fn build(store: &Store, s: &Seeder<'_>) -> Self {
        let all = |table: &str| -> HashMap<i64, Value> {
            store
                .table(table)
                .map(|t| {
                    t.values()
                        .map(|(id, record)| (id, reference(table, id, &record, s.href_base)))
                        .collect()
                })
                .unwrap_or_default()
        };
        Self {
            companies: all("companies"),
            types: all("configuration_types"),
            statuses: all("configuration_statuses"),
        }
    }
}

struct Seeder<'a> {
    href_base: &'a str,
    stamp: &'a str,
}

impl Seeder<'_> {
    fn info(&self, updated: Option<&str>) -> Value {
        let updated = updated.unwrap_or(self.stamp);
        json!({"lastUpdated": updated, "updatedBy": "Sandbox", "dateEntered": updated, "enteredBy": "Sandbox"})
    }

    fn company(&self, store: &mut Store, company: &Company, index: usize) {
        let Ok(id) = company.external.id.parse::<i64>() else {
            return;
        };
        let status = if company.active { 1 } else { 2 };
        let types: Vec<Value> = company
            .types
            .iter()
            .map(|t| match t.as_str() {
                "Prospect" => 2,
                _ => 1,
            })
            .map(|tid| reference_of(store, "company_types", tid, self.href_base))
            .collect();
        let updated = company.updated_at.map(iso);
        let record = json!({
            "id": id,
            "identifier": company.identifier.clone().unwrap_or_else(|| format!("C{id}")),
            "name": company.name,
            "status": reference_of(store, "company_statuses", status, self.href_base),
            "types": types,
            "website": company.domain.clone().map(|d| format!("www.{d}")),
            "phoneNumber": format!("555-01{:02}", index % 100),
            "city": (["Plano", "Tampa", "London", "Denver"][index % 4]),
            "territory": {"id": 1 + (index % 3) as i64, "name": (["Main", "North", "South"][index % 3])},
            "market": {"id": 1 + (index % 2) as i64, "name": (["Small Business", "Healthcare"][index % 2])},
            "deletedFlag": false,
            "customFields": [
                {"id": 1, "caption": "RMM Customer", "type": "Checkbox", "entryMethod": "EntryField",
                 "numberOfDecimals": 0, "value": !company.types.iter().any(|t| t == "Prospect")},
                {"id": 2, "caption": "Account Tier", "type": "Text", "entryMethod": "List",
                 "numberOfDecimals": 0, "value": (["Gold", "Silver", "Bronze"][index % 3])},
            ],
            "_info": self.info(updated.as_deref()),
        });
        store.table_mut("companies").put(id, &strip_nulls(record));
    }

    fn site(&self, store: &mut Store, site: &Site) {
        let Ok(id) = site.external.id.parse::<i64>() else {
            return;
        };
        let company = site
            .company
            .as_ref()
            .and_then(|c| c.id.parse::<i64>().ok())
            .map(|cid| reference_of(store, "companies", cid, self.href_base));
        let record = json!({
            "id": id,
            "name": site.name,
            "company": company,
            "primaryAddressFlag": site.name == "Main",
            "defaultShippingFlag": site.name == "Main",
            "inactiveFlag": false,
            "_info": self.info(None),
        });
        store.table_mut("sites").put(id, &strip_nulls(record));
    }

    fn contacts(&self, store: &mut Store, company: i64, n: usize) {
        const FIRST: &[&str] = &["Ana", "Ben", "Chloe", "Dev", "Eva", "Finn", "Gita", "Hugo"];
        const LAST: &[&str] = &[
            "Ortiz", "Brown", "Ng", "Kapoor", "Schulz", "Murphy", "Rossi", "Silva",
        ];
        let company_ref = reference_of(store, "companies", company, self.href_base);
        for k in 0..2 {
            let id = 1_000 + (n * 2 + k) as i64;
            let first = FIRST[(n + k) % FIRST.len()];
            let last = LAST[(n * 3 + k) % LAST.len()];
            let record = json!({
                "id": id,
                "firstName": first,
                "lastName": last,
                "company": company_ref,
                "inactiveFlag": false,
                "defaultFlag": k == 0,
                "communicationItems": [{
                    "id": id * 10,
                    "type": {"id": 1, "name": "Email"},
                    "value": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
                    "defaultFlag": true,
                    "communicationType": "Email",
                }],
                "_info": self.info(None),
            });
            store.table_mut("contacts").put(id, &record);
        }
    }

    /// Serialises straight from a typed row: building a `Value` per configuration made a 200,000-row
    /// tenant take seconds to load.
    fn configuration(&self, store: &mut Store, config: &Device, refs: &RefCache) {
        let Ok(id) = config.external.id.parse::<i64>() else {
            return;
        };
        let type_id = match config.type_name.as_deref() {
            Some("Managed Laptop") => 2,
            Some("Managed Server") => 3,
            Some("Virtual Server") => 4,
            Some("Network Device") => 5,
            Some("Printer") => 6,
            _ => 1,
        };
        let updated = config.updated_at.map(iso);
        let updated = updated.as_deref().unwrap_or(self.stamp);
        let row = ConfigurationRow {
            id,
            name: config.hostname.as_deref(),
            kind: refs.types.get(&type_id),
            status: refs.statuses.get(&if config.active { 1 } else { 2 }),
            company: config
                .company
                .as_ref()
                .and_then(|c| c.id.parse::<i64>().ok())
                .and_then(|cid| refs.companies.get(&cid)),
            device_identifier: config.linked_id.as_deref(),
            serial_number: config.serial_number.as_deref(),
            model_number: config.model.as_deref(),
            manufacturer: config.manufacturer.as_deref().map(|name| Named {
                id: manufacturer_id(name),
                name,
            }),
            mac_address: config.mac_addresses.first().map(String::as_str),
            ip_address: config.ip_address.as_deref(),
            os_type: config.os.as_deref(),
            warranty_expiration_date: config
                .warranty_expires
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| iso(d.and_utc())),
            active_flag: config.active,
            bill_flag: false,
            questions: [],
            info: Info {
                last_updated: updated,
                updated_by: "Sandbox",
                date_entered: updated,
                entered_by: "Sandbox",
            },
        };
        if let Ok(raw) = serde_json::to_string(&row) {
            store.table_mut("configurations").put_raw(id, raw);
        }
    }

    fn ticket(&self, store: &mut Store, company: i64, n: usize) {
        let id = 200 + n as i64;
        let record = json!({
            "id": id,
            "summary": format!("Printer offline on floor {}", 1 + n % 3),
            "recordType": "ServiceTicket",
            "board": reference_of(store, "boards", 1, self.href_base),
            "status": reference_of(store, "board_statuses", 1, self.href_base),
            "company": reference_of(store, "companies", company, self.href_base),
            "priority": reference_of(store, "priorities", 3, self.href_base),
            "source": reference_of(store, "sources", 1, self.href_base),
            "closedFlag": false,
            "_info": self.info(None),
        });
        store.table_mut("tickets").put(id, &record);
    }

    fn opportunity(&self, store: &mut Store, company: i64, n: usize) {
        let id = 40 + n as i64;
        let record = json!({
            "id": id,
            "name": format!("Hardware refresh {}", 2027 + n % 2),
            "company": reference_of(store, "companies", company, self.href_base),
            "contact": reference_of(store, "contacts", 1_000 + (n * 2) as i64, self.href_base),
            "stage": {"id": 1 + (n % 3) as i64, "name": (["Prospect", "Quote", "Negotiation"][n % 3])},
            "status": reference_of(store, "opportunity_statuses", 1, self.href_base),
            "type": reference_of(store, "opportunity_types", 1, self.href_base),
            "probability": {"id": 5, "name": "50"},
            "expectedCloseDate": "2027-03-31T00:00:00Z",
            "primarySalesRep": reference_of(store, "members", 1, self.href_base),
            "_info": self.info(None),
        });
        store.table_mut("opportunities").put(id, &record);
    }
}

fn manufacturer_id(name: &str) -> i64 {
    match name {
        "Dell Inc." => 1,
        "HP" | "HPE" => 2,
        "LENOVO" => 3,
        "VMware, Inc." => 4,
        "Microsoft Corporation" => 5,
        "Fortinet" => 6,
        _ => 99,
    }
}

/// Drops keys whose value is null: the vendor omits empty properties.
pub(crate) fn strip_nulls(mut record: Value) -> Value {
    if let Value::Object(map) = &mut record {
        map.retain(|_, v| !v.is_null());
    }
    record
}

/// The reference object (`{id, name, _info}`) of a record, as embedded in other records.
pub(crate) fn reference_of(store: &Store, table: &str, id: i64, href_base: &str) -> Value {
    let record = store
        .table(table)
        .and_then(|t| t.get(id))
        .unwrap_or(Value::Null);
    reference(table, id, &record, href_base)
}

/// The reference object of `record`.
pub(crate) fn reference(table: &str, id: i64, record: &Value, href_base: &str) -> Value {
    let (key, path) = href(table, id, record);
    let text = |k: &str| record.get(k).cloned().unwrap_or(Value::Null);
    let mut out = match table {
        "companies" | "members" => {
            json!({"id": id, "identifier": text("identifier"), "name": text("name")})
        }
        "configuration_statuses" | "opportunity_types" => {
            json!({"id": id, "name": text("description")})
        }
        "contacts" => {
            let first = record
                .get("firstName")
                .and_then(Value::as_str)
                .unwrap_or("");
            let last = record.get("lastName").and_then(Value::as_str).unwrap_or("");
            json!({"id": id, "name": format!("{first} {last}").trim()})
        }
        "priorities" => json!({"id": id, "name": text("name"), "sort": text("sortOrder")}),
        _ => json!({"id": id, "name": text("name")}),
    };
    if let Value::Object(map) = &mut out {
        map.retain(|_, v| !v.is_null());
        map.insert(
            "_info".into(),
            json!({ key: format!("{href_base}/{path}") }),
        );
    }
    out
}

fn lookups(store: &mut Store, s: &Seeder<'_>) {
    let info = s.info(None);
    let mut put = |table: &'static str, id: i64, mut record: Value| {
        if let Value::Object(map) = &mut record {
            map.insert("id".into(), json!(id));
            map.insert("_info".into(), info.clone());
        }
        store.table_mut(table).put(id, &record);
    };
    for (id, name) in [(1, "Active"), (2, "Inactive"), (3, "Not-Approved")] {
        put(
            "company_statuses",
            id,
            json!({"name": name, "defaultFlag": id == 1, "inactiveFlag": id == 2}),
        );
    }
    for (id, name) in [
        (1, "Client"),
        (2, "Prospect"),
        (3, "Vendor"),
        (4, "Partner"),
    ] {
        put(
            "company_types",
            id,
            json!({"name": name, "defaultFlag": id == 1, "vendorFlag": id == 3}),
        );
    }
    for (id, name) in [
        (1, "Managed Workstation"),
        (2, "Managed Laptop"),
        (3, "Managed Server"),
        (4, "Virtual Server"),
        (5, "Network Device"),
        (6, "Printer"),
        (7, "Mobile Device"),
    ] {
        put(
            "configuration_types",
            id,
            json!({"name": name, "inactiveFlag": false, "systemFlag": false}),
        );
    }
    for (id, name, closed) in [
        (1, "Active", false),
        (2, "Inactive", true),
        (3, "Retired", true),
    ] {
        put(
            "configuration_statuses",
            id,
            json!({"description": name, "closedFlag": closed, "defaultFlag": id == 1}),
        );
    }
    for (id, name) in [(1, "Service Board"), (2, "Alerts"), (3, "Onboarding")] {
        put(
            "boards",
            id,
            json!({"name": name, "inactiveFlag": id == 3, "projectFlag": false,
                   "location": {"id": 1, "name": "Main"}, "department": {"id": 1, "identifier": "Svc", "name": "Service"}}),
        );
    }
    let statuses = [
        ("New", false),
        ("In Progress", false),
        ("Waiting Customer", false),
        ("Completed", true),
        ("Closed", true),
    ];
    let mut sid = 1;
    for board in 1..=3i64 {
        for (sort, (name, closed)) in statuses.iter().enumerate() {
            put(
                "board_statuses",
                sid,
                json!({"name": name, "board": {"id": board}, "sortOrder": sort, "displayOnBoard": true,
                       "inactive": false, "closedStatus": closed, "defaultFlag": sort == 0}),
            );
            sid += 1;
        }
        for (k, name) in ["Incident", "Alert", "Request"].iter().enumerate() {
            let id = board * 10 + k as i64;
            put(
                "board_types",
                id,
                json!({"name": name, "board": {"id": board}, "inactiveFlag": false}),
            );
            put(
                "board_subtypes",
                id,
                json!({"name": format!("{name} - General"), "board": {"id": board}, "inactiveFlag": false}),
            );
            put(
                "board_items",
                id,
                json!({"name": format!("{name} item"), "board": {"id": board}, "inactiveFlag": false}),
            );
        }
    }
    for (id, name, level) in [
        (1, "Priority 1 - Emergency Response", "Urgent"),
        (2, "Priority 2 - Quick Response", "High"),
        (3, "Priority 3 - Normal Response", "Medium"),
        (4, "Priority 4 - Low", "Low"),
    ] {
        put(
            "priorities",
            id,
            json!({"name": name, "sortOrder": id, "level": level, "defaultFlag": id == 3}),
        );
    }
    for (id, name) in [(1, "Email"), (2, "Phone"), (3, "Portal"), (4, "RMM")] {
        put("sources", id, json!({"name": name, "defaultFlag": id == 1}));
    }
    for (id, ident, first, last) in [
        (1, "admin1", "Alex", "Admin"),
        (2, "apiuser", "Api", "Member"),
        (3, "jtech", "Jordan", "Tech"),
        (4, "stech", "Sam", "Tech"),
    ] {
        put(
            "members",
            id,
            json!({"identifier": ident, "firstName": first, "lastName": last, "name": format!("{first} {last}"),
                   "inactiveFlag": false, "licenseClass": "F", "primaryEmail": format!("{ident}@msp.example.com")}),
        );
    }
    for (id, name) in [(1, "Open"), (2, "Won"), (3, "Lost")] {
        put(
            "opportunity_statuses",
            id,
            json!({"name": name, "wonFlag": id == 2, "lostFlag": id == 3, "closedFlag": id > 1}),
        );
    }
    for (id, name) in [(1, "New Business"), (2, "Renewal")] {
        put(
            "opportunity_types",
            id,
            json!({"description": name, "inactiveFlag": false}),
        );
    }
    for (id, ident, desc, price) in [
        (1, "MNG-WS", "Managed Workstation - monthly", 45.0),
        (2, "MNG-SRV", "Managed Server - monthly", 150.0),
        (3, "LT-T14", "Lenovo ThinkPad T14", 1299.0),
    ] {
        put(
            "catalog",
            id,
            json!({"identifier": ident, "description": desc, "price": price, "cost": price * 0.7, "inactiveFlag": false}),
        );
    }
    for table in [
        "tickets",
        "notes",
        "callbacks",
        "opportunities",
        "contacts",
        "sites",
    ] {
        store.table_mut(table);
    }
}

//! Tables of JSON records and the resources (URL collections) that expose them.
//!
//! Rows are kept as compact JSON text, not as `serde_json::Value`, so 200,000 configurations fit in a few
//! hundred megabytes and an unfiltered page is written without re-serialising.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

/// One table: rows by id, the next id to assign, and the field names conditions may use.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) rows: BTreeMap<i64, Box<str>>,
    pub(crate) next_id: i64,
    known: HashSet<String>,
}

impl Table {
    /// Inserts or replaces a row, learning its field names.
    pub(crate) fn put(&mut self, id: i64, record: &Value) {
        if let Value::Object(map) = record {
            for key in map.keys() {
                if !self.known.contains(key.as_str()) {
                    self.known.insert(key.clone());
                }
            }
        }
        self.rows.insert(id, record.to_string().into_boxed_str());
        self.next_id = self.next_id.max(id + 1);
    }

    /// Inserts or replaces a row already serialised; its fields must be declared with [`Table::declare`].
    pub(crate) fn put_raw(&mut self, id: i64, raw: String) {
        self.rows.insert(id, raw.into_boxed_str());
        self.next_id = self.next_id.max(id + 1);
    }

    /// The parsed row.
    pub(crate) fn get(&self, id: i64) -> Option<Value> {
        self.rows
            .get(&id)
            .and_then(|raw| serde_json::from_str(raw).ok())
    }

    /// Every parsed row in id order.
    pub(crate) fn values(&self) -> impl Iterator<Item = (i64, Value)> + '_ {
        self.rows
            .iter()
            .filter_map(|(id, raw)| serde_json::from_str(raw).ok().map(|v| (*id, v)))
    }

    /// True when conditions may name `field` (a field some row has, or an `_info` audit field).
    pub(crate) fn knows(&self, field: &str) -> bool {
        let lower = field.to_ascii_lowercase();
        self.known.iter().any(|k| k.eq_ignore_ascii_case(field))
            || matches!(
                lower.as_str(),
                "id" | "lastupdated" | "dateentered" | "updatedby" | "enteredby" | "_info"
            )
    }

    /// Declares field names a table may have before any row uses them.
    pub(crate) fn declare(&mut self, fields: &[&str]) {
        self.known.extend(fields.iter().map(|f| (*f).to_owned()));
    }
}

/// Every table of the fake, by name.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) tables: HashMap<&'static str, Table>,
}

impl Store {
    pub(crate) fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub(crate) fn table_mut(&mut self, name: &'static str) -> &mut Table {
        self.tables.entry(name).or_default()
    }
}

/// How a child record points at its parent in the URL (`/service/tickets/{id}/notes`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ParentLink {
    /// A reference object field (`company: {id}`).
    Reference(&'static str),
    /// A scalar id field (`ticketId`).
    Scalar(&'static str),
}

/// What a collection allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    ReadOnly,
    /// POST, PUT and PATCH.
    Write,
    /// POST, PUT, PATCH and DELETE.
    WriteDelete,
}

/// A URL collection backed by a table.
#[derive(Debug)]
pub(crate) struct Resource {
    /// Path segments; `{}` stands for the parent id.
    pub(crate) path: &'static [&'static str],
    pub(crate) table: &'static str,
    /// The parent table and the link field, for child collections.
    pub(crate) parent: Option<(&'static str, ParentLink)>,
    /// Name in messages ("Service Ticket 5 not found").
    pub(crate) noun: &'static str,
    /// Name in validation errors (`resource` field, "ticket object is invalid").
    pub(crate) resource: &'static str,
    /// Fields a POST must carry.
    pub(crate) required: &'static [&'static str],
    pub(crate) access: Access,
}

/// Every collection the fake serves; longer paths first so `companies/statuses` wins over `companies/{id}`.
pub(crate) const RESOURCES: &[Resource] = &[
    Resource {
        path: &["company", "companies", "{}", "sites"],
        table: "sites",
        parent: Some(("companies", ParentLink::Reference("company"))),
        noun: "Company Site",
        resource: "companySite",
        required: &["name"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["service", "tickets", "{}", "notes"],
        table: "notes",
        parent: Some(("tickets", ParentLink::Scalar("ticketId"))),
        noun: "Service Note",
        resource: "serviceNote",
        required: &["text"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["service", "boards", "{}", "statuses"],
        table: "board_statuses",
        parent: Some(("boards", ParentLink::Reference("board"))),
        noun: "Board Status",
        resource: "boardStatus",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["service", "boards", "{}", "types"],
        table: "board_types",
        parent: Some(("boards", ParentLink::Reference("board"))),
        noun: "Board Type",
        resource: "boardType",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["service", "boards", "{}", "subtypes"],
        table: "board_subtypes",
        parent: Some(("boards", ParentLink::Reference("board"))),
        noun: "Board SubType",
        resource: "boardSubType",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["service", "boards", "{}", "items"],
        table: "board_items",
        parent: Some(("boards", ParentLink::Reference("board"))),
        noun: "Board Item",
        resource: "boardItem",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["company", "companies", "statuses"],
        table: "company_statuses",
        parent: None,
        noun: "Company Status",
        resource: "companyStatus",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["company", "companies", "types"],
        table: "company_types",
        parent: None,
        noun: "Company Type",
        resource: "companyType",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["company", "configurations", "types"],
        table: "configuration_types",
        parent: None,
        noun: "Configuration Type",
        resource: "configurationType",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["company", "configurations", "statuses"],
        table: "configuration_statuses",
        parent: None,
        noun: "Configuration Status",
        resource: "configurationStatus",
        required: &["description"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["sales", "opportunities", "statuses"],
        table: "opportunity_statuses",
        parent: None,
        noun: "Opportunity Status",
        resource: "opportunityStatus",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["sales", "opportunities", "types"],
        table: "opportunity_types",
        parent: None,
        noun: "Opportunity Type",
        resource: "opportunityType",
        required: &["description"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["company", "companies"],
        table: "companies",
        parent: None,
        noun: "Company",
        resource: "company",
        required: &["identifier", "name"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["company", "contacts"],
        table: "contacts",
        parent: None,
        noun: "Contact",
        resource: "contact",
        required: &["firstName"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["company", "configurations"],
        table: "configurations",
        parent: None,
        noun: "Configuration",
        resource: "configuration",
        required: &["name", "type", "company"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["service", "tickets"],
        table: "tickets",
        parent: None,
        noun: "Service Ticket",
        resource: "ticket",
        required: &["summary", "company"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["service", "boards"],
        table: "boards",
        parent: None,
        noun: "Board",
        resource: "board",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["service", "priorities"],
        table: "priorities",
        parent: None,
        noun: "Priority",
        resource: "priority",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["service", "sources"],
        table: "sources",
        parent: None,
        noun: "Source",
        resource: "source",
        required: &["name"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["system", "members"],
        table: "members",
        parent: None,
        noun: "Member",
        resource: "member",
        required: &["identifier"],
        access: Access::ReadOnly,
    },
    Resource {
        path: &["system", "callbacks"],
        table: "callbacks",
        parent: None,
        noun: "Callback Entry",
        resource: "callbackEntry",
        required: &["url", "type", "level"],
        access: Access::WriteDelete,
    },
    Resource {
        path: &["sales", "opportunities"],
        table: "opportunities",
        parent: None,
        noun: "Opportunity",
        resource: "opportunity",
        required: &["name", "company"],
        access: Access::Write,
    },
    Resource {
        path: &["procurement", "catalog"],
        table: "catalog",
        parent: None,
        noun: "Catalog Item",
        resource: "catalogItem",
        required: &["identifier", "description"],
        access: Access::Write,
    },
];

/// A request path split into the collection, the parent id (for child collections) and what follows.
#[derive(Debug)]
pub(crate) struct Route<'a> {
    pub(crate) resource: &'static Resource,
    pub(crate) parent_id: Option<i64>,
    pub(crate) rest: &'a [&'a str],
}

/// Finds the collection a path (below `apis/3.0/`) addresses.
pub(crate) fn route<'a>(segments: &'a [&'a str]) -> Option<Route<'a>> {
    RESOURCES.iter().find_map(|resource| {
        if segments.len() < resource.path.len() {
            return None;
        }
        let mut parent_id = None;
        for (want, got) in resource.path.iter().zip(segments) {
            if *want == "{}" {
                parent_id = Some(got.parse::<i64>().ok()?);
            } else if !want.eq_ignore_ascii_case(got) {
                return None;
            }
        }
        Some(Route {
            resource,
            parent_id,
            rest: &segments[resource.path.len()..],
        })
    })
}

/// Reference fields: on `table`, `field` points into `target`.
pub(crate) fn reference_target(table: &str, field: &str) -> Option<&'static str> {
    let target = match (table, field) {
        (_, "company" | "vendor" | "parentCompany" | "billToCompany" | "shipToCompany") => {
            "companies"
        }
        (_, "contact" | "defaultContact" | "billToContact" | "shipToContact") => "contacts",
        ("companies", "status") => "company_statuses",
        ("companies", "types") => "company_types",
        ("configurations", "type") => "configuration_types",
        ("configurations", "status") => "configuration_statuses",
        ("tickets", "board") => "boards",
        ("tickets", "status") => "board_statuses",
        ("tickets", "type") => "board_types",
        ("tickets", "subType") => "board_subtypes",
        ("tickets", "item") => "board_items",
        ("tickets", "priority") => "priorities",
        ("tickets", "source") => "sources",
        ("opportunities", "status") => "opportunity_statuses",
        ("opportunities", "type") => "opportunity_types",
        (_, "site" | "billToSite" | "shipToSite") => "sites",
        (
            _,
            "owner" | "member" | "primarySalesRep" | "secondarySalesRep" | "installedBy"
            | "territoryManager",
        ) => "members",
        _ => return None,
    };
    Some(target)
}

/// The `_info` href key and URL path of a record in `table`.
pub(crate) fn href(table: &str, id: i64, record: &Value) -> (&'static str, String) {
    let parent = |field: &str| {
        record
            .get(field)
            .and_then(|b| b.get("id"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    match table {
        "companies" => ("company_href", format!("company/companies/{id}")),
        "contacts" => ("contact_href", format!("company/contacts/{id}")),
        "sites" => (
            "site_href",
            format!("company/companies/{}/sites/{id}", parent("company")),
        ),
        "configurations" => ("configuration_href", format!("company/configurations/{id}")),
        "configuration_types" => ("type_href", format!("company/configurations/types/{id}")),
        "configuration_statuses" => (
            "status_href",
            format!("company/configurations/statuses/{id}"),
        ),
        "company_statuses" => ("status_href", format!("company/companies/statuses/{id}")),
        "company_types" => ("type_href", format!("company/companies/types/{id}")),
        "tickets" => ("ticket_href", format!("service/tickets/{id}")),
        "boards" => ("board_href", format!("service/boards/{id}")),
        "board_statuses" => (
            "status_href",
            format!("service/boards/{}/statuses/{id}", parent("board")),
        ),
        "board_types" => (
            "type_href",
            format!("service/boards/{}/types/{id}", parent("board")),
        ),
        "board_subtypes" => (
            "subType_href",
            format!("service/boards/{}/subtypes/{id}", parent("board")),
        ),
        "board_items" => (
            "item_href",
            format!("service/boards/{}/items/{id}", parent("board")),
        ),
        "priorities" => ("priority_href", format!("service/priorities/{id}")),
        "sources" => ("source_href", format!("service/sources/{id}")),
        "members" => ("member_href", format!("system/members/{id}")),
        "opportunities" => ("opportunity_href", format!("sales/opportunities/{id}")),
        "opportunity_statuses" => ("status_href", format!("sales/opportunities/statuses/{id}")),
        "opportunity_types" => ("type_href", format!("sales/opportunities/types/{id}")),
        _ => ("href", format!("{table}/{id}")),
    }
}

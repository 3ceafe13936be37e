//! Tickets (v2), notes (v1) and the ticketing lookup tables (v1).

use super::ids::{CompanyId, EndpointId, LookupId, NoteId, SiteId, TicketId};
use chrono::{DateTime, NaiveDate, Utc};
use psa_rmm_core::string_enum;
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest `summary` the API accepts.
pub const SUMMARY_MAX: usize = 255;
/// Longest `description` the API accepts.
pub const DESCRIPTION_MAX: usize = 10_000;
/// Longest note `detail` the API accepts.
pub const NOTE_DETAIL_MAX: usize = 12_000;

/// `{id}` reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdRef {
    /// Id.
    pub id: Option<LookupId>,
}

impl IdRef {
    /// A reference to `id`.
    pub fn new(id: impl Into<LookupId>) -> Self {
        Self {
            id: Some(id.into()),
        }
    }
}

/// `{id, name}` reference; send only `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdName {
    /// Id.
    pub id: Option<LookupId>,
    /// Name (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl IdName {
    /// A reference to `id` without a name.
    pub fn id(id: impl Into<LookupId>) -> Self {
        Self {
            id: Some(id.into()),
            name: None,
        }
    }
}

/// A company or site reference on a ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntityRef<Id> {
    /// Id.
    pub id: Option<Id>,
}

/// A device linked to a ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TicketAsset {
    /// Endpoint id.
    pub id: Option<EndpointId>,
    /// Primary device of the ticket (not in the spec; seen live).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "wire::opt_bool"
    )]
    pub is_primary: Option<bool>,
}

/// A ticket extended attribute; `value` is a string, boolean, integer or date-time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtendedAttribute {
    /// Attribute id.
    pub id: Option<String>,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Value.
    pub value: Value,
}

/// A service ticket (`/api/platform/v2/service/ticketing/tickets`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Ticket {
    /// Ticket id.
    pub id: Option<TicketId>,
    /// Human number, e.g. "16516.1634".
    #[serde(deserialize_with = "wire::opt_string")]
    pub number: Option<String>,
    /// NOC ticket id.
    #[serde(deserialize_with = "wire::opt_string")]
    pub noc_ticket_id: Option<String>,
    /// Version; +1 per update.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub version: Option<i64>,
    /// Summary (1-255 chars).
    pub summary: Option<String>,
    /// Description (1-10000 chars).
    pub description: Option<String>,
    /// Company.
    pub company: Option<EntityRef<CompanyId>>,
    /// Site.
    pub site: Option<EntityRef<SiteId>>,
    /// Linked devices.
    #[serde(deserialize_with = "wire::seq")]
    pub assets: Vec<TicketAsset>,
    /// Board.
    pub service_board: Option<IdName>,
    /// Source.
    pub source: Option<IdName>,
    /// Priority.
    pub priority: Option<IdName>,
    /// Status.
    pub status: Option<IdName>,
    /// Type.
    #[serde(rename = "type")]
    pub ticket_type: Option<IdName>,
    /// Category.
    pub category: Option<IdName>,
    /// Team.
    pub assignee_team: Option<IdName>,
    /// Assignee.
    pub assignee: Option<IdName>,
    /// Creator.
    pub created_by: Option<IdName>,
    /// Last updater.
    pub updated_by: Option<IdName>,
    /// Tags.
    #[serde(deserialize_with = "wire::seq")]
    pub tags: Vec<IdName>,
    /// Extended attributes.
    #[serde(deserialize_with = "wire::seq")]
    pub extended_attributes: Vec<ExtendedAttribute>,
    /// Due date, `mm/dd/yyyy`.
    #[serde(deserialize_with = "wire::opt_string")]
    pub due_date: Option<String>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Body of a ticket create. `summary`, `description`, `serviceBoard` and `source` are required by the API;
/// attach devices here, because a device attached later does not carry through to Manage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTicket {
    /// Summary (1-255 chars).
    pub summary: String,
    /// Description (1-10000 chars).
    pub description: String,
    /// Board.
    pub service_board: IdRef,
    /// Source.
    pub source: IdRef,
    /// Priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<IdRef>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IdRef>,
    /// Type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<IdRef>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<IdRef>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<EntityRef<CompanyId>>,
    /// Site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<EntityRef<SiteId>>,
    /// Devices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<TicketAsset>,
    /// Due date, `mm/dd/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<IdRef>,
}

impl NewTicket {
    /// A ticket with the four required fields.
    pub fn new(
        summary: impl Into<String>,
        description: impl Into<String>,
        service_board: impl Into<LookupId>,
        source: impl Into<LookupId>,
    ) -> Self {
        Self {
            summary: summary.into(),
            description: description.into(),
            service_board: IdRef::new(service_board),
            source: IdRef::new(source),
            priority: None,
            status: None,
            ticket_type: None,
            category: None,
            company: None,
            site: None,
            assets: Vec::new(),
            due_date: None,
            tags: Vec::new(),
        }
    }

    /// Sets the company and site.
    pub fn for_site(mut self, company: CompanyId, site: Option<SiteId>) -> Self {
        self.company = Some(EntityRef { id: Some(company) });
        self.site = site.map(|s| EntityRef { id: Some(s) });
        self
    }

    /// Links a device; the first one added is the primary.
    pub fn with_asset(mut self, endpoint: EndpointId) -> Self {
        let is_primary = self.assets.is_empty();
        self.assets.push(TicketAsset {
            id: Some(endpoint),
            is_primary: Some(is_primary),
        });
        self
    }

    /// Sets the priority.
    pub fn with_priority(mut self, priority: impl Into<LookupId>) -> Self {
        self.priority = Some(IdRef::new(priority));
        self
    }

    /// Sets the due date in the API's `mm/dd/yyyy` form.
    pub fn with_due_date(mut self, date: NaiveDate) -> Self {
        self.due_date = Some(date.format("%m/%d/%Y").to_string());
        self
    }

    /// Sets the status.
    pub fn with_status(mut self, status: impl Into<LookupId>) -> Self {
        self.status = Some(IdRef::new(status));
        self
    }
}

/// Response of the ticket list: one page and the total.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TicketPage {
    /// Tickets of this page.
    #[serde(deserialize_with = "wire::seq")]
    pub tickets: Vec<Ticket>,
    /// Total across pages (0 past the last page).
    #[serde(deserialize_with = "wire::opt_i64")]
    pub total_count: Option<i64>,
}

string_enum! {
    /// A JSON Patch operation. The ticket API allows only `replace` (405 otherwise).
    pub enum PatchOp {
        /// Replace the value at `path`.
        Replace = "replace",
        /// Add.
        Add = "add",
        /// Remove.
        Remove = "remove",
    }
}

/// One JSON Patch operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// Operation.
    pub op: PatchOp,
    /// JSON pointer, e.g. `/status`.
    pub path: String,
    /// New value.
    #[serde(default)]
    pub value: Value,
}

impl PatchOperation {
    /// `{"op":"replace","path":path,"value":value}`.
    pub fn replace(path: impl Into<String>, value: Value) -> Self {
        Self {
            op: PatchOp::Replace,
            path: path.into(),
            value,
        }
    }
}

/// Note visibility: 1 public, 2 internal, 7 and 8 Expert services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NoteVisibility(pub i64);

impl NoteVisibility {
    /// Visible to all.
    pub const PUBLIC: Self = Self(1);
    /// Visible to the partner only.
    pub const INTERNAL: Self = Self(2);
}

/// A ticket note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TicketNote {
    /// Note id.
    pub id: Option<NoteId>,
    /// Ticket id.
    pub ticket_id: Option<TicketId>,
    /// Text.
    pub detail: Option<String>,
    /// Visibility.
    pub visibility: Option<NoteVisibility>,
    /// Extended attributes.
    #[serde(deserialize_with = "wire::seq")]
    pub extended_attributes: Vec<ExtendedAttribute>,
    /// Created by the API caller itself.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub self_created: Option<bool>,
    /// Creator name.
    pub created_by: Option<String>,
    /// Creator id.
    pub created_by_id: Option<String>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// Body of a note create: `{detail, visibility, extendedAttributes: []}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTicketNote {
    /// Text (1-12000 chars).
    pub detail: String,
    /// Visibility.
    pub visibility: NoteVisibility,
    /// Always sent, empty unless the attribute ids are real (invented ids error).
    #[serde(default)]
    pub extended_attributes: Vec<ExtendedAttribute>,
}

impl NewTicketNote {
    /// A note with the given text and visibility.
    pub fn new(detail: impl Into<String>, visibility: NoteVisibility) -> Self {
        Self {
            detail: detail.into(),
            visibility,
            extended_attributes: Vec::new(),
        }
    }
}

/// A row of a lookup table (priority, source, type, category, tag).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LookupItem {
    /// Id.
    pub id: Option<LookupId>,
    /// Name.
    pub name: Option<String>,
    /// Inactive.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
}

string_enum! {
    /// Category of a ticket status.
    pub enum StatusCategory {
        /// New.
        New = "New",
        /// In progress.
        InProgress = "InProgress",
        /// Closed.
        Closed = "Closed",
    }
}

string_enum! {
    /// SLA state of a ticket status.
    pub enum SlaStatus {
        /// Not responded.
        NotResponded = "NotResponded",
        /// Responded.
        Responded = "Responded",
        /// Plan created.
        PlanCreated = "PlanCreated",
        /// Resolved.
        Resolved = "Resolved",
        /// Waiting.
        Waiting = "Waiting",
    }
}

/// A ticket status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TicketStatus {
    /// Id.
    pub id: Option<LookupId>,
    /// Name.
    pub name: Option<String>,
    /// Category.
    pub category: Option<StatusCategory>,
    /// SLA state.
    pub sla_status: Option<SlaStatus>,
    /// Inactive.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
}

/// A service board.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceBoard {
    /// Id.
    pub id: Option<LookupId>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Default priority.
    pub default_priority: Option<IdName>,
    /// Inactive.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
}

/// Something with a name and an inactive flag, for case-insensitive lookup by name.
pub trait Named {
    /// The id.
    fn lookup_id(&self) -> Option<&LookupId>;
    /// The name.
    fn lookup_name(&self) -> Option<&str>;
    /// True when inactive.
    fn inactive(&self) -> bool;
}

macro_rules! impl_named {
    ($($t:ty),+) => {$(
        impl Named for $t {
            fn lookup_id(&self) -> Option<&LookupId> { self.id.as_ref() }
            fn lookup_name(&self) -> Option<&str> { self.name.as_deref() }
            fn inactive(&self) -> bool { self.inactive_flag.unwrap_or(false) }
        }
    )+};
}

impl_named!(LookupItem, TicketStatus, ServiceBoard);

/// Finds the id of the active entry named `name` (case-insensitive, trimmed). The console never shows these
/// GUIDs, so configuration names boards, sources and statuses by name.
pub fn find_by_name<'a, T: Named>(items: &'a [T], name: &str) -> Option<&'a LookupId> {
    let wanted = name.trim();
    items
        .iter()
        .filter(|i| !i.inactive())
        .find(|i| {
            i.lookup_name()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
        })
        .and_then(Named::lookup_id)
}

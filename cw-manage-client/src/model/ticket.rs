//! Service tickets and their notes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{
    BoardId, CompanyId, ContactId, ItemId, MemberId, NoteId, PriorityId, ServiceTypeId, SiteId,
    SourceId, StatusId, SubTypeId, TicketId,
};
use psa_rmm_core::wire;

psa_rmm_core::string_enum! {
    /// What kind of ticket a record is.
    pub enum RecordType {
        /// A service ticket.
        ServiceTicket = "ServiceTicket",
        /// A project ticket.
        ProjectTicket = "ProjectTicket",
        /// A project issue.
        ProjectIssue = "ProjectIssue",
    }
}

psa_rmm_core::string_enum! {
    /// Ticket severity and impact scale.
    pub enum Level {
        /// Low.
        Low = "Low",
        /// Medium.
        Medium = "Medium",
        /// High.
        High = "High",
    }
}

/// A service ticket (`/service/tickets`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    /// Id (`0` on a ticket not yet created).
    pub id: TicketId,
    /// Summary (≤ 100, required on create).
    pub summary: Option<String>,
    /// Service or project ticket.
    pub record_type: Option<RecordType>,
    /// Board.
    pub board: Option<Reference<BoardId>>,
    /// Status (a status of `board`).
    pub status: Option<Reference<StatusId>>,
    /// Company (required on create).
    pub company: Option<Reference<CompanyId>>,
    /// Site.
    pub site: Option<Reference<SiteId>>,
    /// Site name.
    pub site_name: Option<String>,
    /// Contact.
    pub contact: Option<Reference<ContactId>>,
    /// Contact name.
    pub contact_name: Option<String>,
    /// Contact e-mail.
    pub contact_email_address: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub ticket_type: Option<Reference<ServiceTypeId>>,
    /// Subtype.
    pub sub_type: Option<Reference<SubTypeId>>,
    /// Item.
    pub item: Option<Reference<ItemId>>,
    /// Team.
    pub team: Option<Reference>,
    /// Owner.
    pub owner: Option<Reference<MemberId>>,
    /// Priority.
    pub priority: Option<Reference<PriorityId>>,
    /// Source.
    pub source: Option<Reference<SourceId>>,
    /// Severity (required on PUT).
    pub severity: Option<Level>,
    /// Impact (required on PUT).
    pub impact: Option<Level>,
    /// External cross reference: where integrations keep their own key.
    #[serde(rename = "externalXRef", alias = "externalXref")]
    pub external_x_ref: Option<String>,
    /// PO number.
    pub po_number: Option<String>,
    /// Required date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub required_date: Option<DateTime<Utc>>,
    /// Budget hours.
    pub budget_hours: Option<f64>,
    /// Actual hours.
    pub actual_hours: Option<f64>,
    /// Initial description: sent on create only, never returned (it becomes the first note).
    pub initial_description: Option<String>,
    /// Initial internal analysis: create only.
    pub initial_internal_analysis: Option<String>,
    /// Initial resolution: create only.
    pub initial_resolution: Option<String>,
    /// `false` suppresses the notification e-mails of a create or update.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub process_notifications: Option<bool>,
    /// Closed (set by moving to a closed board status).
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub closed_flag: Option<bool>,
    /// When it was closed.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub closed_date: Option<DateTime<Utc>>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When it was resolved.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub date_resolved: Option<DateTime<Utc>>,
    /// When it was first responded to.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub date_responded: Option<DateTime<Utc>>,
    /// Parent ticket.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub parent_ticket_id: Option<i64>,
    /// Has child tickets.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub has_child_ticket: Option<bool>,
    /// Integrator tags.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub integrator_tags: Vec<String>,
    /// Mobile GUID.
    pub mobile_guid: Option<String>,
    /// Metadata (`lastUpdated`, `dateEntered`).
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Custom fields.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub custom_fields: Vec<CustomField>,
    /// Keys this version does not model (billing, SLA, escalation, ...).
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A ticket note (`/service/tickets/{id}/notes`, schema `ServiceNote`).
///
/// At least one of the three display flags must be true on create, or Manage refuses the note.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketNote {
    /// Id (`0` on a note not yet created).
    pub id: NoteId,
    /// Ticket.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub ticket_id: Option<i64>,
    /// Text.
    pub text: Option<String>,
    /// Shown in Discussion.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub detail_description_flag: Option<bool>,
    /// Shown in Internal analysis.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub internal_analysis_flag: Option<bool>,
    /// Shown in Resolution.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub resolution_flag: Option<bool>,
    /// Marks the issue.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub issue_flag: Option<bool>,
    /// Author member.
    pub member: Option<Reference<MemberId>>,
    /// Contact author.
    pub contact: Option<Reference<ContactId>>,
    /// `false` suppresses notifications.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub process_notifications: Option<bool>,
    /// Created.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub date_created: Option<DateTime<Utc>>,
    /// Created by.
    pub created_by: Option<String>,
    /// Internal.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub internal_flag: Option<bool>,
    /// External.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub external_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl TicketNote {
    /// A note shown in the ticket's Discussion.
    pub fn discussion(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            detail_description_flag: Some(true),
            ..Self::default()
        }
    }

    /// An internal note.
    pub fn internal(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            internal_analysis_flag: Some(true),
            ..Self::default()
        }
    }

    /// True when a display flag is set (Manage refuses a note without one).
    pub fn has_display_flag(&self) -> bool {
        [
            self.detail_description_flag,
            self.internal_analysis_flag,
            self.resolution_flag,
        ]
        .contains(&Some(true))
    }
}

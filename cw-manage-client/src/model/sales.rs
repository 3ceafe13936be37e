//! Sales opportunities.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{CompanyId, ContactId, MemberId, OpportunityId, SiteId};
use psa_rmm_core::wire;

/// A sales opportunity (`/sales/opportunities`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    /// Id.
    pub id: OpportunityId,
    /// Name.
    pub name: Option<String>,
    /// Expected close date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub expected_close_date: Option<DateTime<Utc>>,
    /// Type.
    #[serde(rename = "type")]
    pub opportunity_type: Option<Reference>,
    /// Sales stage.
    pub stage: Option<Reference>,
    /// Status (Open, Won, Lost, ...).
    pub status: Option<Reference>,
    /// Priority.
    pub priority: Option<Reference>,
    /// Probability (a reference to a probability level).
    pub probability: Option<Reference>,
    /// Rating.
    pub rating: Option<Reference>,
    /// Notes.
    pub notes: Option<String>,
    /// Source text.
    pub source: Option<String>,
    /// Primary sales rep.
    pub primary_sales_rep: Option<Reference<MemberId>>,
    /// Company.
    pub company: Option<Reference<CompanyId>>,
    /// Contact.
    pub contact: Option<Reference<ContactId>>,
    /// Site.
    pub site: Option<Reference<SiteId>>,
    /// Customer PO.
    #[serde(rename = "customerPO", alias = "customerPo")]
    pub customer_po: Option<String>,
    /// Closed date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub closed_date: Option<DateTime<Utc>>,
    /// Total sales tax.
    pub total_sales_tax: Option<f64>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Custom fields.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub custom_fields: Vec<CustomField>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

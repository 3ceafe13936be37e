//! Members: technicians and API members.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, Info, Reference};
use crate::ids::{BoardId, MemberId};
use psa_rmm_core::wire;

/// A member (`/system/members`). The schema marks many fields required; real answers omit them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Id.
    pub id: MemberId,
    /// Login id (≤ 15).
    pub identifier: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Middle initial.
    pub middle_initial: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Licence class: F (full), A (API), C, X.
    pub license_class: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Office e-mail.
    pub office_email: Option<String>,
    /// Primary e-mail.
    pub primary_email: Option<String>,
    /// Default e-mail kind (Office, Mobile, Home).
    pub default_email: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Hire date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub hire_date: Option<DateTime<Utc>>,
    /// Security role.
    pub security_role: Option<Reference>,
    /// Default service board.
    pub service_default_board: Option<Reference<BoardId>>,
    /// Daily capacity (hours).
    pub daily_capacity: Option<f64>,
    /// Administrator.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub admin_flag: Option<bool>,
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

impl Member {
    /// "First Last", from whatever parts are present.
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

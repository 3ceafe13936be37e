//! `GET /v2/activity-logs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::page::PageDetails;

psa_rmm_core::string_enum! {
    /// `ActivityLog.entity`.
    pub enum ActivityEntity {
        /// A device.
        Device = "DEVICE",
        /// A user.
        User = "USER",
    }
}

/// `ActivityLog.site`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivitySite {
    /// Numeric site id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub id: Option<i64>,
    /// Site name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `ActivityLog.user`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityUser {
    /// Numeric user id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub id: Option<i64>,
    /// Login name.
    #[serde(default)]
    pub user_name: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
}

/// An activity log entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityLog {
    /// Id (a string).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub id: Option<String>,
    /// Entity kind.
    #[serde(default)]
    pub entity: Option<ActivityEntity>,
    /// Category.
    #[serde(default)]
    pub category: Option<String>,
    /// Action.
    #[serde(default)]
    pub action: Option<String>,
    /// When (float epoch seconds on the wire).
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub date: Option<DateTime<Utc>>,
    /// Site.
    #[serde(default)]
    pub site: Option<ActivitySite>,
    /// Numeric device id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub device_id: Option<i64>,
    /// Host name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// User.
    #[serde(default)]
    pub user: Option<ActivityUser>,
    /// Details (JSON inside a string).
    #[serde(default)]
    pub details: Option<String>,
    /// Has stdout.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub has_std_out: Option<bool>,
    /// Has stderr.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub has_std_err: Option<bool>,
}

/// `GET /v2/activity-logs` page (cursor paged; follow `nextPageUrl`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityLogsPage {
    /// Paging details.
    #[serde(default)]
    pub page_details: Option<PageDetails>,
    /// Entries.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub activities: Vec<ActivityLog>,
    /// Error reported by the database layer.
    #[serde(default)]
    pub error: Option<String>,
}

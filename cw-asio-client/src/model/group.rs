//! Device groups (`/api/platform/v1/device-groups`) and membership (v2).

use super::ids::DeviceGroupId;
use chrono::{DateTime, Utc};
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};

/// A device group. Dynamic groups (`static: false`) are computed server-side, so membership changes
/// without any edit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceGroup {
    /// Group id.
    #[serde(alias = "ID", alias = "groupId", alias = "deviceGroupId")]
    pub id: Option<DeviceGroupId>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Built in by the vendor.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub predefined: Option<bool>,
    /// Static (hand-maintained) rather than dynamic.
    #[serde(rename = "static", deserialize_with = "wire::opt_bool")]
    pub is_static: Option<bool>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub updated_at: Option<DateTime<Utc>>,
}

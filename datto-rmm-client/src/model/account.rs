//! `GET /v2/account`.

use serde::{Deserialize, Serialize};

use crate::ids::AccountUid;

/// The Datto account the API key belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Numeric id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub id: Option<i64>,
    /// UID (e.g. `pin4dcc0001`).
    #[serde(default)]
    pub uid: Option<AccountUid>,
    /// Account name.
    #[serde(default)]
    pub name: Option<String>,
    /// Billing currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Descriptor block.
    #[serde(default)]
    pub descriptor: Option<AccountDescriptor>,
    /// Device counters.
    #[serde(default)]
    pub devices_status: Option<AccountDevicesStatus>,
}

/// `Account.descriptor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDescriptor {
    /// Billing e-mail (misspelt `bilingEmail` in the spec; the correct spelling is accepted too).
    #[serde(default, alias = "billingEmail")]
    pub biling_email: Option<String>,
    /// Licensed device limit.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub device_limit: Option<i64>,
    /// Account time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// `Account.devicesStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDevicesStatus {
    /// All devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_devices: Option<i64>,
    /// Online devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_online_devices: Option<i64>,
    /// Offline devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_offline_devices: Option<i64>,
    /// On-demand devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_on_demand_devices: Option<i64>,
    /// Managed devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_managed_devices: Option<i64>,
}

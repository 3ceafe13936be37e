//! `GET /v2/system/status`, `/system/request_rate`, `/system/pagination`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::AccountUid;

/// `GET /v2/system/status` (needs no token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemStatus {
    /// Build.
    #[serde(default)]
    pub version: Option<String>,
    /// Status text.
    #[serde(default)]
    pub status: Option<String>,
    /// Start time.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub started: Option<DateTime<Utc>>,
}

/// `GET /v2/system/pagination`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationConfiguration {
    /// Default and maximum page size (except alerts).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub max: Option<i64>,
}

/// One per-operation write bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRateStatus {
    /// Limit per window.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub limit: Option<i64>,
    /// Used in the window.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub count: Option<i64>,
}

/// `GET /v2/system/request_rate`: the account's live budgets. Older builds send only the read fields
/// (a single-bucket account).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateStatus {
    /// Window length in seconds (60).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub sliding_time_window_size_seconds: Option<i64>,
    /// Account UID.
    #[serde(default)]
    pub account_uid: Option<AccountUid>,
    /// Reads in the window.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub account_count: Option<i64>,
    /// Read limit per window (600).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub account_rate_limit: Option<i64>,
    /// Ratio of the limit past which Datto slows responses down (0.9).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_f64")]
    pub account_cut_off_ratio: Option<f64>,
    /// Aggregate write limit per window.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub account_write_rate_limit: Option<i64>,
    /// Writes in the window.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub account_write_count: Option<i64>,
    /// Per-operation write buckets, keyed by operation (e.g. `device-udf-set`).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub operation_write_status: BTreeMap<String, OperationRateStatus>,
}

impl RateStatus {
    /// Reads left in the current window, if the server reported both numbers.
    pub fn reads_remaining(&self) -> Option<i64> {
        Some((self.account_rate_limit? - self.account_count?).max(0))
    }

    /// True when the account reports no write buckets: every request counts against the one read bucket.
    pub fn is_single_bucket(&self) -> bool {
        self.account_write_rate_limit.is_none() && self.operation_write_status.is_empty()
    }
}

//! Datto's request budgets: one read bucket for the whole account, an aggregate write bucket, and one bucket
//! per write operation (`device-udf-set` has its own, larger one).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::model::RateStatus;
use crate::pacer::Pacer;

/// `n` requests per rolling `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests allowed in one window.
    pub requests: u32,
    /// The window.
    pub period: Duration,
}

impl Budget {
    /// `requests` per minute.
    pub const fn per_minute(requests: u32) -> Self {
        Self {
            requests,
            period: Duration::from_secs(60),
        }
    }

    /// `requests` per `period`.
    pub const fn new(requests: u32, period: Duration) -> Self {
        Self { requests, period }
    }

    /// A pacer that keeps any rolling window of `period` at or under `utilisation` of this budget.
    pub(crate) fn pacer(&self, utilisation: f64) -> Pacer {
        let cap = (f64::from(self.requests) * utilisation.clamp(0.01, 1.0)).floor() as usize;
        Pacer::new(cap, self.period)
    }
}

/// Operation keys of Datto's per-operation write buckets (as `/system/request_rate` names them).
pub mod op {
    /// `PUT /v2/site`.
    pub const SITE_CREATE: &str = "site-create";
    /// `POST /v2/site/{uid}`.
    pub const SITE_UPDATE: &str = "site-update";
    /// `PUT /v2/site/{uid}/variable`.
    pub const SITE_VARIABLE_CREATE: &str = "site-variable-create";
    /// `POST /v2/site/{uid}/variable/{id}`.
    pub const SITE_VARIABLE_UPDATE: &str = "site-variable-update";
    /// `DELETE /v2/site/{uid}/variable/{id}`.
    pub const SITE_VARIABLE_DELETE: &str = "site-variable-delete";
    /// `PUT /v2/device/{uid}/site/{siteUid}`.
    pub const DEVICE_MOVE: &str = "device-move";
    /// `PUT /v2/device/{uid}/quickjob`.
    pub const DEVICE_JOB_CREATE: &str = "device-job-create";
    /// `POST /v2/device/{uid}/warranty`.
    pub const DEVICE_WARRANTY: &str = "device-warranty-create";
    /// `POST /v2/device/{uid}/udf`.
    pub const DEVICE_UDF_SET: &str = "device-udf-set";
    /// `POST /v2/alert/{uid}/resolve`.
    pub const ALERT_RESOLVE: &str = "alert-resolve";
    /// `PUT /v2/account/variable`.
    pub const ACCOUNT_VARIABLE_CREATE: &str = "account-variable-create";
    /// `POST /v2/account/variable/{id}`.
    pub const ACCOUNT_VARIABLE_UPDATE: &str = "account-variable-update";
    /// `DELETE /v2/account/variable/{id}`.
    pub const ACCOUNT_VARIABLE_DELETE: &str = "account-variable-delete";

    /// True when sending the operation twice leaves the same state as sending it once (it sets a value),
    /// so a retry after a 429 or a lost answer cannot double it. Datto's HTTP methods do not say this:
    /// the UDF and warranty setters are POSTs, while the quick-job PUT starts a new job every time.
    pub fn is_repeatable(op: &str) -> bool {
        matches!(
            op,
            SITE_UPDATE
                | SITE_VARIABLE_UPDATE
                | SITE_VARIABLE_DELETE
                | DEVICE_MOVE
                | DEVICE_WARRANTY
                | DEVICE_UDF_SET
                | ALERT_RESOLVE
                | ACCOUNT_VARIABLE_UPDATE
                | ACCOUNT_VARIABLE_DELETE
        )
    }
}

/// The budgets a client paces itself to.
#[derive(Debug, Clone, PartialEq)]
pub struct Budgets {
    /// Reads of the whole account (600/min documented; other tools share it, so lower it when they run).
    pub reads: Budget,
    /// Most of the read budget any rolling window may hold (default 0.98: the rest is left for clock and
    /// counting differences at the server; arrival jitter is already covered by the pacer).
    pub read_utilisation: f64,
    /// All writes together.
    pub writes: Budget,
    /// Per-operation write budgets by operation key ([`op`]); operations not listed use `operation_default`.
    pub operations: BTreeMap<String, Budget>,
    /// Budget of an operation not in `operations` (100/min documented).
    pub operation_default: Budget,
}

impl Default for Budgets {
    fn default() -> Self {
        Self {
            reads: Budget::per_minute(600),
            read_utilisation: 0.98,
            writes: Budget::per_minute(600),
            operations: BTreeMap::from([(op::DEVICE_UDF_SET.to_owned(), Budget::per_minute(600))]),
            operation_default: Budget::per_minute(100),
        }
    }
}

impl Budgets {
    /// These budgets with the limits a live `/system/request_rate` reports (the window length included).
    /// A legacy single-bucket account counts writes against the read bucket too, so writes get the read limit.
    pub fn adapted_to(&self, status: &RateStatus) -> Self {
        let mut out = self.clone();
        let period = status
            .sliding_time_window_size_seconds
            .and_then(|s| u64::try_from(s).ok())
            .filter(|s| *s > 0)
            .map_or(self.reads.period, Duration::from_secs);
        let limit = |v: Option<i64>| v.and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0);
        if let Some(n) = limit(status.account_rate_limit) {
            out.reads = Budget::new(n, period);
        }
        if status.is_single_bucket() {
            out.writes = out.reads;
        } else if let Some(n) = limit(status.account_write_rate_limit) {
            out.writes = Budget::new(n, period);
        }
        for (key, op) in &status.operation_write_status {
            if let Some(n) = limit(op.limit) {
                out.operations.insert(key.clone(), Budget::new(n, period));
            }
        }
        out
    }
}

/// Live limiters built from [`Budgets`]; cloned limiters share their budget.
#[derive(Debug, Clone)]
pub(crate) struct Limiters {
    pub(crate) reads: Pacer,
    pub(crate) writes: Pacer,
    operations: BTreeMap<String, Pacer>,
    operation_default: Budget,
}

impl Limiters {
    pub(crate) fn new(budgets: &Budgets) -> Self {
        Self {
            reads: budgets.reads.pacer(budgets.read_utilisation),
            writes: budgets.writes.pacer(1.0),
            operations: budgets
                .operations
                .iter()
                .map(|(k, b)| (k.clone(), b.pacer(1.0)))
                .collect(),
            operation_default: budgets.operation_default,
        }
    }

    /// The limiter of write operation `key`, created on first use.
    pub(crate) fn operation(&mut self, key: &str) -> Pacer {
        self.operations
            .entry(key.to_owned())
            .or_insert_with(|| self.operation_default.pacer(1.0))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_value_setters_are_repeatable() {
        use super::op::*;
        for repeatable in [
            DEVICE_UDF_SET,
            DEVICE_WARRANTY,
            DEVICE_MOVE,
            SITE_UPDATE,
            ALERT_RESOLVE,
        ] {
            assert!(is_repeatable(repeatable), "{repeatable}");
        }
        for once in [
            DEVICE_JOB_CREATE,
            SITE_CREATE,
            SITE_VARIABLE_CREATE,
            ACCOUNT_VARIABLE_CREATE,
        ] {
            assert!(!is_repeatable(once), "{once}");
        }
        assert!(!is_repeatable("an-operation-added-later"));
    }

    use super::*;

    #[test]
    fn adapts_to_live_limits_and_legacy_single_bucket() {
        let live: RateStatus = serde_json::from_value(serde_json::json!({
            "slidingTimeWindowSizeSeconds": 60, "accountRateLimit": 300, "accountWriteRateLimit": 50,
            "operationWriteStatus": {"device-udf-set": {"limit": 200, "count": 3}, "bogus": {"limit": 0}}
        }))
        .unwrap();
        let b = Budgets::default().adapted_to(&live);
        assert_eq!(b.reads, Budget::per_minute(300));
        assert_eq!(b.writes, Budget::per_minute(50));
        assert_eq!(b.operations[op::DEVICE_UDF_SET], Budget::per_minute(200));
        assert!(!b.operations.contains_key("bogus"));
        let legacy: RateStatus =
            serde_json::from_value(serde_json::json!({"accountRateLimit": 400})).unwrap();
        let b = Budgets::default().adapted_to(&legacy);
        assert_eq!(b.writes, Budget::per_minute(400));
    }
}

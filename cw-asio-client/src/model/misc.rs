//! Smaller reads and writes: rate limits, agent heartbeat, system state, agent install token, uninstall,
//! data-mapping lookup and automation task results.

use super::ids::{CompanyId, EndpointId, SiteId};
use chrono::{DateTime, Utc};
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Response of `GET /v1/rate_limits`: family -> bucket -> counters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// Buckets per resource family.
    pub resources: BTreeMap<String, BTreeMap<String, RateLimitBucket>>,
}

impl RateLimits {
    /// Every bucket as `(family, bucket, counters)`.
    pub fn buckets(&self) -> impl Iterator<Item = (&str, &str, &RateLimitBucket)> {
        self.resources.iter().flat_map(|(family, buckets)| {
            buckets
                .iter()
                .map(move |(name, b)| (family.as_str(), name.as_str(), b))
        })
    }
}

/// Counters of one rate-limit bucket in the current 10-minute window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitBucket {
    /// Requests per window.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub limit: Option<i64>,
    /// Requests left.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub remaining: Option<i64>,
    /// Unix time the window refills.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub reset: Option<i64>,
}

/// Response of `GET /api/platform/v2/device/endpoints/heartbeat` (PascalCase keys inside).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HeartbeatResponse {
    /// `successful`, `partial_success` or `failed`.
    pub status: Option<String>,
    /// Availability per company and site.
    #[serde(deserialize_with = "wire::seq")]
    pub successful_records: Vec<HeartbeatGroup>,
    /// Resources that failed.
    #[serde(deserialize_with = "wire::seq")]
    pub failed_records: Vec<HeartbeatFailure>,
}

/// Heartbeats of one company and site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeartbeatGroup {
    /// Company id.
    #[serde(
        rename = "clientID",
        alias = "clientId",
        alias = "companyID",
        alias = "companyId"
    )]
    pub company_id: Option<CompanyId>,
    /// Site id.
    #[serde(rename = "siteID", alias = "siteId")]
    pub site_id: Option<SiteId>,
    /// Endpoints.
    #[serde(deserialize_with = "wire::seq")]
    pub endpoints: Vec<Heartbeat>,
}

/// One endpoint's availability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Heartbeat {
    /// Endpoint id.
    #[serde(rename = "EndpointID", alias = "endpointID", alias = "endpointId")]
    pub endpoint_id: Option<EndpointId>,
    /// Last heartbeat at the data centre.
    #[serde(
        rename = "DcDateTimeUTC",
        alias = "dcDateTimeUTC",
        deserialize_with = "wire::opt_datetime"
    )]
    pub dc_date_time_utc: Option<DateTime<Utc>>,
    /// Online.
    #[serde(
        rename = "Availability",
        alias = "availability",
        deserialize_with = "wire::opt_bool"
    )]
    pub availability: Option<bool>,
}

/// A resource the heartbeat call could not answer for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HeartbeatFailure {
    /// Resource type.
    pub resource_type: Option<String>,
    /// Resource id.
    pub resource: Option<String>,
    /// Reason.
    pub error: Option<String>,
}

/// Response of `GET /api/platform/v2/device/endpoints/{endpointId}/system-state-info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SystemStateInfo {
    /// Endpoint id.
    #[serde(rename = "endpointID", alias = "endpointId")]
    pub endpoint_id: Option<EndpointId>,
    /// Company id.
    #[serde(rename = "clientID", alias = "clientId", alias = "companyID")]
    pub company_id: Option<CompanyId>,
    /// Site id.
    #[serde(rename = "siteID", alias = "siteId")]
    pub site_id: Option<SiteId>,
    /// Name.
    pub name: Option<String>,
    /// Last boot.
    pub startup_status: Option<StartupStatus>,
    /// Last logged-on user.
    pub last_logged_on_user: Option<LoggedOnUser>,
    /// Users logged on now.
    #[serde(deserialize_with = "wire::seq")]
    pub logged_on_users: Vec<LoggedOnUser>,
}

/// Startup status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartupStatus {
    /// Last boot.
    #[serde(rename = "lastBootUpTimeUTC", deserialize_with = "wire::opt_datetime")]
    pub last_boot_up_time_utc: Option<DateTime<Utc>>,
}

/// A logged-on user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LoggedOnUser {
    /// User name.
    #[serde(alias = "userName")]
    pub username: Option<String>,
    /// Logon time.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub logon_time: Option<DateTime<Utc>>,
    /// Status.
    pub status: Option<String>,
    /// Administrator.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub is_admin: Option<bool>,
}

/// Body of `POST /api/platform/v1/device/token`. The live API wants `companyID` (the spec's `clientID` gets
/// 400 `ErrClientIDNotAllowed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceTokenRequest {
    /// Company id.
    #[serde(rename = "companyID", alias = "clientID")]
    pub company_id: String,
    /// Site id.
    #[serde(rename = "siteID")]
    pub site_id: String,
}

/// Body of `DELETE /api/platform/v2/device/endpoints/uninstall`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UninstallRequest {
    /// Reason.
    pub reason: Option<String>,
    /// Feedback.
    pub feedback: Option<String>,
    /// Endpoints to uninstall.
    #[serde(deserialize_with = "wire::seq")]
    pub endpoints: Vec<UninstallEndpoint>,
}

/// One endpoint in an uninstall request or response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UninstallEndpoint {
    /// Endpoint id.
    #[serde(alias = "endpointID")]
    pub endpoint_id: Option<EndpointId>,
    /// Site id.
    #[serde(alias = "siteID")]
    pub site_id: Option<SiteId>,
    /// Company id.
    #[serde(alias = "clientID", skip_serializing_if = "Option::is_none")]
    pub client_id: Option<CompanyId>,
    /// What to uninstall, e.g. `["RMM"]`.
    #[serde(deserialize_with = "wire::seq", skip_serializing_if = "Vec::is_empty")]
    pub uninstall_type: Vec<String>,
    /// Result (response only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uninstall_status: Option<String>,
    /// Message (response only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Response of the uninstall call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UninstallResponse {
    /// Per-endpoint results.
    #[serde(deserialize_with = "wire::seq")]
    pub endpoints: Vec<UninstallEndpoint>,
}

/// Body of `POST /api/platform/v1/mapping/mappings/lookup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MappingLookupRequest {
    /// Schemas to consult.
    #[serde(deserialize_with = "wire::seq")]
    pub schemas: Vec<MappingSchemaRef>,
    /// Criteria: `{sourceAttributes: {...}, targetAttributesRequest: [...]}`.
    pub criteria: Value,
}

/// A schema reference in a mapping lookup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MappingSchemaRef {
    /// Schema id.
    pub id: Option<String>,
    /// Look up in reverse.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "wire::opt_bool"
    )]
    pub reverse: Option<bool>,
}

/// Response of the mapping lookup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MappingLookupResponse {
    /// Every criterion matched.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub complete_match: Option<bool>,
    /// Schemas that matched.
    #[serde(deserialize_with = "wire::seq")]
    pub matched_schema_ids: Vec<String>,
    /// Attribute -> value.
    pub matched_attributes: BTreeMap<String, Value>,
}

/// Response of an automation task schedule (`taskID`/`templateID` live, `taskId`/`templateId` in the spec).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScheduledTask {
    /// Task id.
    #[serde(rename = "taskID", alias = "taskId")]
    pub task_id: Option<String>,
    /// Template id.
    #[serde(rename = "templateID", alias = "templateId")]
    pub template_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Template type.
    pub template_type: Option<String>,
    /// State.
    pub state_to_be_submitted: Option<String>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_on: Option<DateTime<Utc>>,
}

/// Response of task instance results (top-level keys really are `Result`/`Count`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskResults {
    /// Results.
    #[serde(rename = "Result", alias = "result", deserialize_with = "wire::seq")]
    pub result: Vec<TaskResult>,
    /// Count.
    #[serde(rename = "Count", alias = "count", deserialize_with = "wire::opt_i64")]
    pub count: Option<i64>,
}

/// One task execution result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskResult {
    /// Task id.
    #[serde(alias = "taskID")]
    pub task_id: Option<String>,
    /// Endpoint id.
    #[serde(alias = "endpointID")]
    pub endpoint_id: Option<EndpointId>,
    /// Execution time (`executiontime` in the spec).
    #[serde(alias = "executiontime", deserialize_with = "wire::opt_datetime")]
    pub execution_time: Option<DateTime<Utc>>,
    /// Completion status.
    pub completion_status: Option<String>,
    /// Result text.
    pub result_details: Option<String>,
    /// Error text.
    pub error_details: Option<String>,
}

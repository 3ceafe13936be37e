//! Components, quick jobs and job results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ComponentUid, DeviceUid, JobUid};
use crate::model::page::page_type;

psa_rmm_core::string_enum! {
    /// `Job.status`.
    pub enum JobStatus {
        /// Running or scheduled.
        Active = "active",
        /// Finished.
        Completed = "completed",
    }
}

psa_rmm_core::string_enum! {
    /// `JobResults.jobDeploymentStatus`.
    pub enum JobDeploymentStatus {
        /// Expired.
        Expired = "Expired",
        /// Pending.
        Pending = "Pending",
        /// Running.
        Running = "Running",
        /// Success.
        Success = "Success",
        /// Warning.
        Warning = "Warning",
        /// Retired.
        Retired = "Retired",
        /// Failure.
        Failure = "Failure",
    }
}

psa_rmm_core::string_enum! {
    /// `JobComponentResult.componentStatus`.
    pub enum ComponentStatus {
        /// Success.
        Success = "Success",
        /// Failure.
        Failure = "Failure",
    }
}

/// A component variable value (`{name, value}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobComponentVariable {
    /// Variable name (must match one of the component's variables).
    #[serde(default)]
    pub name: Option<String>,
    /// Value (convertible to the component variable's type).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub value: Option<String>,
}

/// `JobComponentRequest`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobComponentRequest {
    /// Component to run.
    pub component_uid: ComponentUid,
    /// Variables.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub variables: Vec<JobComponentVariable>,
}

/// `PUT /v2/device/{uid}/quickjob` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateQuickJobRequest {
    /// Job name.
    pub job_name: String,
    /// Component and variables.
    pub job_component: JobComponentRequest,
}

impl CreateQuickJobRequest {
    /// A quick job running `component` with no variables.
    pub fn new(job_name: impl Into<String>, component: ComponentUid) -> Self {
        Self {
            job_name: job_name.into(),
            job_component: JobComponentRequest {
                component_uid: component,
                variables: Vec::new(),
            },
        }
    }

    /// Adds a variable.
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.job_component.variables.push(JobComponentVariable {
            name: Some(name.into()),
            value: Some(value.into()),
        });
        self
    }
}

/// `Job`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// Numeric id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub id: Option<i64>,
    /// Created.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub date_created: Option<DateTime<Utc>>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// UID.
    #[serde(default)]
    pub uid: Option<JobUid>,
    /// Status.
    #[serde(default)]
    pub status: Option<JobStatus>,
}

/// `JobComponent`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobComponent {
    /// Component UID.
    #[serde(default)]
    pub uid: Option<ComponentUid>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Variables.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub variables: Vec<JobComponentVariable>,
}

page_type!(
    /// `GET /v2/job/{uid}/components`.
    JobComponentsPage,
    job_components,
    JobComponent
);

/// `PUT /v2/device/{uid}/quickjob` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateQuickJobResponse {
    /// The job.
    #[serde(default)]
    pub job: Option<Job>,
    /// Its components.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub job_components: Vec<JobComponent>,
}

/// `JobComponentResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobComponentResult {
    /// Component UID.
    #[serde(default)]
    pub component_uid: Option<ComponentUid>,
    /// Component name.
    #[serde(default)]
    pub component_name: Option<String>,
    /// Status.
    #[serde(default)]
    pub component_status: Option<ComponentStatus>,
    /// Warnings.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_warnings: Option<i64>,
    /// Has stdout.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub has_std_out: Option<bool>,
    /// Has stderr.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub has_std_err: Option<bool>,
}

/// `GET /v2/job/{uid}/results/{deviceUid}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResults {
    /// Job UID.
    #[serde(default)]
    pub job_uid: Option<JobUid>,
    /// Device UID.
    #[serde(default)]
    pub device_uid: Option<DeviceUid>,
    /// When it ran.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub ran_on: Option<DateTime<Utc>>,
    /// Status.
    #[serde(default)]
    pub job_deployment_status: Option<JobDeploymentStatus>,
    /// Per-component results.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub component_results: Vec<JobComponentResult>,
}

/// `JobStdData`: one component's stdout or stderr.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStdData {
    /// Component UID.
    #[serde(default)]
    pub component_uid: Option<ComponentUid>,
    /// Component name.
    #[serde(default)]
    pub component_name: Option<String>,
    /// Output text.
    #[serde(default)]
    pub std_data: Option<String>,
}

/// `ComponentVariable`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentVariable {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Default value.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub default_val: Option<String>,
    /// Type.
    #[serde(default, rename = "type")]
    pub variable_type: Option<String>,
    /// Direction (output when true).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub direction: Option<bool>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Position.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub variables_idx: Option<i64>,
}

/// `Component`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// Numeric id.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub id: Option<i64>,
    /// Needs credentials (nullable).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub credentials_required: Option<bool>,
    /// UID.
    #[serde(default)]
    pub uid: Option<ComponentUid>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Category code.
    #[serde(default)]
    pub category_code: Option<String>,
    /// Variables.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub variables: Vec<ComponentVariable>,
}

page_type!(
    /// `GET /v2/account/components`.
    ComponentsPage,
    components,
    Component
);

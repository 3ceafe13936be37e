//! Configurations (the PSA's device records), their types, statuses and type questions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{CustomField, CustomFieldType, EntryMethod, Info, Reference};
use crate::ids::{
    CompanyId, ConfigurationId, ConfigurationStatusId, ConfigurationTypeId, ContactId, MemberId,
    QuestionId, SiteId,
};
use psa_rmm_core::wire;

/// The answer to one question of the configuration's type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationQuestion {
    /// Answer id.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub answer_id: Option<i64>,
    /// Question id.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub question_id: Option<i64>,
    /// Question text.
    pub question: Option<String>,
    /// Answer (any JSON).
    pub answer: Option<Value>,
    /// Order.
    pub sequence_number: Option<f64>,
    /// Data type.
    pub field_type: Option<CustomFieldType>,
    /// Required.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub required_flag: Option<bool>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A configuration (`/company/configurations`, schema `Company.Configuration`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    /// Id (`0` on a record not yet created).
    pub id: ConfigurationId,
    /// Name (≤ 100), usually the host name.
    pub name: Option<String>,
    /// Type (required on create).
    #[serde(rename = "type")]
    pub config_type: Option<Reference<ConfigurationTypeId>>,
    /// Status.
    pub status: Option<Reference<ConfigurationStatusId>>,
    /// Company (required on create).
    pub company: Option<Reference<CompanyId>>,
    /// Contact (the user).
    pub contact: Option<Reference<ContactId>>,
    /// Site.
    pub site: Option<Reference<SiteId>>,
    /// RMM device identifier the integration stores here (the sticky link).
    pub device_identifier: Option<String>,
    /// Serial number (≤ 250).
    pub serial_number: Option<String>,
    /// Model (≤ 50).
    pub model_number: Option<String>,
    /// Asset tag.
    pub tag_number: Option<String>,
    /// Purchase date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub purchase_date: Option<DateTime<Utc>>,
    /// Installation date.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub installation_date: Option<DateTime<Utc>>,
    /// Installed by.
    pub installed_by: Option<Reference<MemberId>>,
    /// Warranty end.
    #[serde(default, deserialize_with = "wire::opt_datetime")]
    pub warranty_expiration_date: Option<DateTime<Utc>>,
    /// Vendor notes.
    pub vendor_notes: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// MAC address (≤ 25: one address, sometimes several separated by commas).
    pub mac_address: Option<String>,
    /// Last logged-on user.
    pub last_login_name: Option<String>,
    /// Bill flag.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub bill_flag: Option<bool>,
    /// IP address.
    pub ip_address: Option<String>,
    /// Default gateway.
    pub default_gateway: Option<String>,
    /// OS type ("Windows 11 Pro").
    pub os_type: Option<String>,
    /// OS details.
    pub os_info: Option<String>,
    /// CPU speed.
    pub cpu_speed: Option<String>,
    /// RAM.
    pub ram: Option<String>,
    /// Disks.
    pub local_hard_drives: Option<String>,
    /// Parent configuration.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub parent_configuration_id: Option<i64>,
    /// Vendor company.
    pub vendor: Option<Reference<CompanyId>>,
    /// Manufacturer.
    pub manufacturer: Option<Reference>,
    /// Answers to the type's questions.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub questions: Vec<ConfigurationQuestion>,
    /// Active.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub active_flag: Option<bool>,
    /// Management link.
    pub management_link: Option<String>,
    /// Remote link.
    pub remote_link: Option<String>,
    /// Manufacturer part number.
    pub manufacturer_part_number: Option<String>,
    /// Mobile GUID.
    pub mobile_guid: Option<String>,
    /// Metadata (`lastUpdated`, ...).
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Custom fields.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub custom_fields: Vec<CustomField>,
    /// Keys this version does not model (backup fields, SLA, ...).
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A configuration type (`/company/configurations/types`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationType {
    /// Id.
    pub id: ConfigurationTypeId,
    /// Name (Managed Workstation, Server, ...).
    pub name: Option<String>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Built-in type.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub system_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A configuration status (`/company/configurations/statuses`). Its label is `description`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationStatus {
    /// Id.
    pub id: ConfigurationStatusId,
    /// Label (the reference form calls it `name`).
    #[serde(alias = "name")]
    pub description: Option<String>,
    /// A closed (inactive) status.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub closed_flag: Option<bool>,
    /// Default status.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub default_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

/// A question of a configuration type (`/company/configurations/types/{id}/questions`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationTypeQuestion {
    /// Id.
    pub id: QuestionId,
    /// Owning type.
    pub configuration_type: Option<Reference<ConfigurationTypeId>>,
    /// Data type.
    pub field_type: Option<CustomFieldType>,
    /// Entry method.
    pub entry_type: Option<EntryMethod>,
    /// Order.
    pub sequence_number: Option<f64>,
    /// Question text.
    pub question: Option<String>,
    /// Required.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub required_flag: Option<bool>,
    /// Inactive.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

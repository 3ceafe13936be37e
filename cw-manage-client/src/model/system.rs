//! `system/info`, `login/companyinfo` and callback registrations.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::Info;
use crate::ids::CallbackId;
use psa_rmm_core::wire;

/// `GET /system/info`: the connection test's answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    /// Server version (`v2025.1.10431`).
    pub version: Option<String>,
    /// Cloud-hosted.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub is_cloud: Option<bool>,
    /// Server time zone.
    pub server_time_zone: Option<String>,
    /// Cloud region (NA, EU, AU).
    pub cloud_region: Option<String>,
    /// Licence bits.
    #[serde(default, deserialize_with = "wire::null_default")]
    pub license_bits: Vec<LicenseBit>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl SystemInfo {
    /// `major.minor` of `version` (`v2025.1.10431` gives `2025.1`), the form the Accept header pins.
    pub fn api_version(&self) -> Option<String> {
        let v = self
            .version
            .as_deref()?
            .trim()
            .trim_start_matches(['v', 'V']);
        let mut parts = v.split('.');
        let major = parts
            .next()
            .filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())?;
        let minor = parts
            .next()
            .filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())?;
        Some(format!("{major}.{minor}"))
    }
}

/// A licence bit of `system/info`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseBit {
    /// Name.
    pub name: Option<String>,
    /// Active.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub active_flag: Option<bool>,
}

/// `GET /login/companyinfo/{company}` (unauthenticated): where the company's API lives.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CompanyInfo {
    /// Company display name.
    #[serde(rename = "CompanyName", alias = "companyName")]
    pub company_name: Option<String>,
    /// Codebase path segment, with a trailing slash (`v2025_1/`, `v4_6_release/`).
    #[serde(rename = "Codebase", alias = "codebase")]
    pub codebase: Option<String>,
    /// Version code (`v2017.3`).
    #[serde(rename = "VersionCode", alias = "versionCode")]
    pub version_code: Option<String>,
    /// Version number (`v4.6.38842`).
    #[serde(rename = "VersionNumber", alias = "versionNumber")]
    pub version_number: Option<String>,
    /// Login company id.
    #[serde(rename = "CompanyID", alias = "companyId", alias = "CompanyId")]
    pub company_id: Option<String>,
    /// Cloud-hosted: a bool or the string `"True"`.
    #[serde(
        rename = "IsCloud",
        alias = "isCloud",
        default,
        deserialize_with = "wire::opt_bool"
    )]
    pub is_cloud: Option<bool>,
    /// Site URL, when the server sends one.
    #[serde(rename = "SiteUrl", alias = "siteUrl", alias = "SiteURL")]
    pub site_url: Option<String>,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl CompanyInfo {
    /// The codebase as a path segment ending in exactly one `/`; `None` when absent or unsafe.
    pub fn codebase_segment(&self) -> Option<String> {
        let c = self.codebase.as_deref()?.trim().trim_matches('/');
        // A codebase of dots would climb out of the site root once joined.
        let ok = !c.is_empty()
            && !c.chars().all(|ch| ch == '.')
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' || ch == '-');
        ok.then(|| format!("{c}/"))
    }
}

/// A callback (webhook) registration (`/system/callbacks`, schema `CallbackEntry`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackEntry {
    /// Id (`0` before registration).
    #[serde(default)]
    pub id: CallbackId,
    /// Description (≤ 100).
    pub description: Option<String>,
    /// Where Manage posts; it appends the record id, so end it with `?recordId=`.
    pub url: Option<String>,
    /// Object id the level refers to; `1` for level `owner`.
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub object_id: Option<i64>,
    /// Record type (`ticket`, `company`, `configuration`, ...), lower-case in practice.
    #[serde(rename = "type")]
    pub callback_type: Option<String>,
    /// Level (`owner`, `board`, `status`, ...).
    pub level: Option<String>,
    /// Creator member (read-only).
    #[serde(default, deserialize_with = "wire::opt_i64")]
    pub member_id: Option<i64>,
    /// Payload version.
    pub payload_version: Option<String>,
    /// Disabled (Manage disables a callback that failed for three days).
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub inactive_flag: Option<bool>,
    /// SOAP callback.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub is_soap_callback_flag: Option<bool>,
    /// Changes made by this integration do not call back.
    #[serde(default, deserialize_with = "wire::opt_bool")]
    pub is_self_suppressed_flag: Option<bool>,
    /// GUID.
    #[serde(rename = "connectWiseID", alias = "connectWiseId")]
    pub connect_wise_id: Option<String>,
    /// Metadata.
    #[serde(rename = "_info", default, skip_serializing)]
    pub info: Info,
    /// Keys this version does not model.
    #[serde(flatten, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl CallbackEntry {
    /// An owner-level registration for every record of `callback_type` (`objectId` 1, as Manage stores it).
    pub fn owner_level(
        callback_type: impl Into<String>,
        url: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            url: Some(url.into()),
            object_id: Some(1),
            callback_type: Some(callback_type.into()),
            level: Some("owner".into()),
            description: Some(description.into()),
            ..Self::default()
        }
    }

    /// True when `other` registers the same thing (type, level, object, url), ignoring case of type and
    /// level, and treating object 0 and 1 as the same for level `owner` (Manage normalises 0 to 1).
    pub fn same_registration(&self, other: &CallbackEntry) -> bool {
        let eq = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            (None, None) => true,
            _ => false,
        };
        let owner = self
            .level
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case("owner"));
        let obj = |o: Option<i64>| {
            if owner && o.unwrap_or(0) == 0 {
                1
            } else {
                o.unwrap_or(0)
            }
        };
        eq(&self.callback_type, &other.callback_type)
            && eq(&self.level, &other.level)
            && obj(self.object_id) == obj(other.object_id)
            && self.url.as_deref().map(str::trim) == other.url.as_deref().map(str::trim)
    }
}

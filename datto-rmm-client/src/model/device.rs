//! Devices: `GET /v2/account/devices`, `/v2/site/{uid}/devices`, `/v2/device/{uid}`, the per-site
//! network-interface list.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, DeviceUid, SiteId, SiteUid};
use crate::model::audit::NetworkInterface;
use crate::model::page::page_type;
use crate::model::udf::Udfs;

psa_rmm_core::string_enum! {
    /// `deviceClass`: decides which audit endpoint applies.
    pub enum DeviceClass {
        /// An agent device (`/audit/device`).
        Device = "device",
        /// A printer (`/audit/printer`).
        Printer = "printer",
        /// An ESXi host (`/audit/esxihost`).
        EsxiHost = "esxihost",
        /// A network device found by a network probe (no audit).
        RmmNetworkDevice = "rmmnetworkdevice",
        /// Unknown (no audit).
        Unknown = "unknown",
    }
}

psa_rmm_core::string_enum! {
    /// `antivirus.antivirusStatus`.
    pub enum AntivirusStatus {
        /// Running and up to date.
        RunningAndUpToDate = "RunningAndUpToDate",
        /// Running, definitions out of date.
        RunningAndNotUpToDate = "RunningAndNotUpToDate",
        /// Not running.
        NotRunning = "NotRunning",
        /// No antivirus found.
        NotDetected = "NotDetected",
    }
}

psa_rmm_core::string_enum! {
    /// `patchManagement.patchStatus`.
    pub enum PatchStatus {
        /// No patch policy.
        NoPolicy = "NoPolicy",
        /// No data yet.
        NoData = "NoData",
        /// A reboot is required.
        RebootRequired = "RebootRequired",
        /// An install failed.
        InstallError = "InstallError",
        /// Approved patches pending.
        ApprovedPending = "ApprovedPending",
        /// Fully patched.
        FullyPatched = "FullyPatched",
    }
}

/// `deviceType`: free text (the UI shows Laptop, Desktop, Server, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceType {
    /// Category (e.g. "Laptop", "Server", "ESXi Host", "Printer").
    #[serde(default)]
    pub category: Option<String>,
    /// Type (e.g. "physical", "virtual").
    #[serde(default, rename = "type")]
    pub device_type: Option<String>,
}

/// `Device.antivirus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Antivirus {
    /// Product name.
    #[serde(default)]
    pub antivirus_product: Option<String>,
    /// Status.
    #[serde(default)]
    pub antivirus_status: Option<AntivirusStatus>,
}

/// `Device.patchManagement`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchManagement {
    /// Status.
    #[serde(default)]
    pub patch_status: Option<PatchStatus>,
    /// Approved, pending install.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub patches_approved_pending: Option<i64>,
    /// Not approved.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub patches_not_approved: Option<i64>,
    /// Installed.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub patches_installed: Option<i64>,
}

/// A device as listed. Serial, MACs, manufacturer and model are not here: they come from the audits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// Numeric id.
    #[serde(default)]
    pub id: Option<DeviceId>,
    /// UID.
    #[serde(default)]
    pub uid: Option<DeviceUid>,
    /// Numeric site id.
    #[serde(default)]
    pub site_id: Option<SiteId>,
    /// Site UID.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Site name.
    #[serde(default)]
    pub site_name: Option<String>,
    /// Type and category.
    #[serde(default)]
    pub device_type: Option<DeviceType>,
    /// Host name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Internal IP address.
    #[serde(default)]
    pub int_ip_address: Option<String>,
    /// External IP address.
    #[serde(default)]
    pub ext_ip_address: Option<String>,
    /// Operating system name.
    #[serde(default)]
    pub operating_system: Option<String>,
    /// Last logged-in user.
    #[serde(default)]
    pub last_logged_in_user: Option<String>,
    /// Domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// Agent build.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub cag_version: Option<String>,
    /// Agent version.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub display_version: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// 64-bit OS.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub a64_bit: Option<bool>,
    /// A reboot is pending.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub reboot_required: Option<bool>,
    /// Online now (the only status flag; do not derive it from `last_seen`).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub online: Option<bool>,
    /// Suspended.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub suspended: Option<bool>,
    /// Deleted (lives in the "Deleted Devices" site).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub deleted: Option<bool>,
    /// SNMP enabled.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub snmp_enabled: Option<bool>,
    /// Last time the agent checked in.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub last_seen: Option<DateTime<Utc>>,
    /// Last reboot.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub last_reboot: Option<DateTime<Utc>>,
    /// Last audit: moves when the audit data changes, the key for incremental scans.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub last_audit_date: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub creation_date: Option<DateTime<Utc>>,
    /// UDF values.
    #[serde(default)]
    pub udf: Udfs,
    /// Device class.
    #[serde(default)]
    pub device_class: Option<DeviceClass>,
    /// Web portal link.
    #[serde(default)]
    pub portal_url: Option<String>,
    /// Web remote link.
    #[serde(default)]
    pub web_remote_url: Option<String>,
    /// Warranty end date (`yyyy-mm-dd`).
    #[serde(default, with = "psa_rmm_core::wire::ymd_date")]
    pub warranty_date: Option<NaiveDate>,
    /// Antivirus.
    #[serde(default)]
    pub antivirus: Option<Antivirus>,
    /// Patch management.
    #[serde(default)]
    pub patch_management: Option<PatchManagement>,
    /// Software status (values undocumented).
    #[serde(default)]
    pub software_status: Option<String>,
    /// Network probe.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub network_probe: Option<bool>,
    /// Onboarded via network monitor.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_bool")]
    pub onboarded_via_network_monitor: Option<bool>,
}

page_type!(
    /// `GET /v2/account/devices`, `/v2/site/{uid}/devices`.
    DevicesPage,
    devices,
    Device
);

/// A row of `GET /v2/site/{uid}/devices/network-interface`: a device with its NICs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceNetworkInterfaces {
    /// Numeric id.
    #[serde(default)]
    pub id: Option<DeviceId>,
    /// UID.
    #[serde(default)]
    pub uid: Option<DeviceUid>,
    /// Numeric site id.
    #[serde(default)]
    pub site_id: Option<SiteId>,
    /// Site UID.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Site name.
    #[serde(default)]
    pub site_name: Option<String>,
    /// Type and category.
    #[serde(default)]
    pub device_type: Option<DeviceType>,
    /// Host name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Internal IP address.
    #[serde(default)]
    pub int_ip_address: Option<String>,
    /// External IP address.
    #[serde(default)]
    pub ext_ip_address: Option<String>,
    /// Network interfaces.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub nics: Vec<NetworkInterface>,
}

page_type!(
    /// `GET /v2/site/{uid}/devices/network-interface`.
    DevicesNetworkInterfacePage,
    devices,
    DeviceNetworkInterfaces
);

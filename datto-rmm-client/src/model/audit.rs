//! Audits: `GET /v2/audit/device/{uid}`, `/audit/esxihost/{uid}`, `/audit/printer/{uid}`, software.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::page::page_type;

/// Declares a struct whose fields are all optional strings, in camelCase on the wire.
macro_rules! string_record {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $( $(#[$fmeta])* #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")] pub $field: Option<String>, )+
        }
    };
}

string_record!(
    /// A network interface (`nics[]` of device and printer audits and of the per-site NIC list).
    NetworkInterface {
        /// Adapter name.
        instance,
        /// IPv4 address.
        ipv4,
        /// IPv6 address.
        ipv6,
        /// MAC address as reported (format unverified; normalise before joining).
        mac_address,
        /// Interface type.
        #[serde(rename = "type")]
        nic_type,
    }
);

string_record!(
    /// `BaseBoard`.
    BaseBoard {
        /// Manufacturer.
        manufacturer,
        /// Product.
        product,
    }
);

string_record!(
    /// `Processor`.
    Processor {
        /// Name.
        name,
    }
);

string_record!(
    /// `VideoBoard`.
    VideoBoard {
        /// Adapter name.
        display_adapter,
    }
);

string_record!(
    /// `MobileInfo`.
    MobileInfo {
        /// SIM ICCID.
        iccid,
        /// IMEI.
        imei,
        /// Phone number.
        number,
        /// Operator.
        operator,
    }
);

string_record!(
    /// `SnmpInfo`.
    SnmpInfo {
        /// sysName.
        snmp_name,
        /// sysContact.
        snmp_contact,
        /// sysDescr.
        snmp_description,
        /// sysLocation.
        snmp_location,
        /// Uptime.
        snmp_uptime,
        /// NIC manufacturer.
        nic_manufacturer,
        /// sysObjectID.
        object_id,
        /// Serial number reported over SNMP.
        snmp_serial,
    }
);

/// `SystemInfo` of a device audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Total physical memory (bytes, unverified).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub total_physical_memory: Option<i64>,
    /// Logged-in user.
    #[serde(default)]
    pub username: Option<String>,
    /// .NET version.
    #[serde(default)]
    pub dot_net_version: Option<String>,
    /// CPU cores.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub total_cpu_cores: Option<i64>,
}

/// `Bios`: holds the serial number of an agent device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bios {
    /// Instance.
    #[serde(default)]
    pub instance: Option<String>,
    /// Release date.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub release_date: Option<DateTime<Utc>>,
    /// Serial number.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub serial_number: Option<String>,
    /// SMBIOS version.
    #[serde(default)]
    pub sm_bios_version: Option<String>,
}

/// `Display`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Display {
    /// Instance.
    #[serde(default)]
    pub instance: Option<String>,
    /// Height in pixels.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub screen_height: Option<i64>,
    /// Width in pixels.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub screen_width: Option<i64>,
}

/// `LogicalDisk`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalDisk {
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Disk identifier (e.g. "C:").
    #[serde(default)]
    pub disk_identifier: Option<String>,
    /// Free space.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub freespace: Option<i64>,
    /// Size.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub size: Option<i64>,
}

/// `PhysicalMemory`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalMemory {
    /// Module.
    #[serde(default)]
    pub module: Option<String>,
    /// Size.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub size: Option<i64>,
    /// Memory type.
    #[serde(default, rename = "type")]
    pub memory_type: Option<String>,
    /// Speed.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub speed: Option<String>,
    /// Module serial.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub serial_number: Option<String>,
    /// Part number.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub part_number: Option<String>,
    /// Bank.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub bank: Option<String>,
}

/// `AttachedDevice`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachedDevice {
    /// Name.
    #[serde(default)]
    pub device_name: Option<String>,
    /// Type.
    #[serde(default)]
    pub device_type: Option<String>,
    /// Driver file.
    #[serde(default)]
    pub driver_file: Option<String>,
    /// Driver file modification time.
    #[serde(default, with = "psa_rmm_core::wire::epoch_millis")]
    pub driver_file_last_modified: Option<DateTime<Utc>>,
    /// Driver manufacturer.
    #[serde(default)]
    pub driver_manufacturer: Option<String>,
    /// Driver name.
    #[serde(default)]
    pub driver_name: Option<String>,
    /// Driver version.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub driver_version: Option<String>,
    /// Port.
    #[serde(default)]
    pub port_name: Option<String>,
}

/// `GET /v2/audit/device/{uid}`: hardware audit of an agent device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAudit {
    /// Web portal link.
    #[serde(default)]
    pub portal_url: Option<String>,
    /// Web remote link.
    #[serde(default)]
    pub web_remote_url: Option<String>,
    /// Manufacturer, model, memory, user.
    #[serde(default)]
    pub system_info: Option<SystemInfo>,
    /// Network interfaces (MAC addresses).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub nics: Vec<NetworkInterface>,
    /// BIOS (serial number).
    #[serde(default)]
    pub bios: Option<Bios>,
    /// Base board.
    #[serde(default)]
    pub base_board: Option<BaseBoard>,
    /// Displays.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub displays: Vec<Display>,
    /// Logical disks.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub logical_disks: Vec<LogicalDisk>,
    /// Mobile info.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub mobile_info: Vec<MobileInfo>,
    /// Processors.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub processors: Vec<Processor>,
    /// Video boards.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub video_boards: Vec<VideoBoard>,
    /// Attached devices.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub attached_devices: Vec<AttachedDevice>,
    /// SNMP info.
    #[serde(default)]
    pub snmp_info: Option<SnmpInfo>,
    /// Memory modules.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub physical_memory: Vec<PhysicalMemory>,
}

/// `ESXiSystemInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiSystemInfo {
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Host name.
    #[serde(default)]
    pub name: Option<String>,
    /// Snapshot count.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_snapshots: Option<i64>,
    /// Service tag: the host's serial number.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub service_tag: Option<String>,
}

/// `Guest` of an ESXi host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiGuest {
    /// Guest name.
    #[serde(default)]
    pub guest_name: Option<String>,
    /// Total processor speed.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub processor_speed_total: Option<i64>,
    /// Total memory.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub memory_size_total: Option<i64>,
    /// Snapshot count.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_snapshots: Option<i64>,
    /// Datastores (a string).
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub datastores: Option<String>,
}

/// `ESXiProcessor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiProcessor {
    /// Frequency.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_f64")]
    pub frequency: Option<f64>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Cores.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub number_of_cores: Option<i64>,
}

/// `ESXiNic`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiNic {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// IPv4.
    #[serde(default)]
    pub ipv4: Option<String>,
    /// IPv6.
    #[serde(default)]
    pub ipv6: Option<String>,
    /// MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// Speed.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub speed: Option<String>,
    /// Type.
    #[serde(default, rename = "type")]
    pub nic_type: Option<String>,
}

/// `ESXiDataExtent`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiDataExtent {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Size.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub size: Option<i64>,
    /// Media type.
    #[serde(default)]
    pub media_type: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
}

/// `ESXiDatastore`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiDatastore {
    /// Name.
    #[serde(default)]
    pub datastore_name: Option<String>,
    /// Subscription percentage.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub subscription_percent: Option<i64>,
    /// Free space.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub free_space: Option<i64>,
    /// Size.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub size: Option<i64>,
    /// File system.
    #[serde(default)]
    pub file_system: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// Extents.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub data_extents: Vec<EsxiDataExtent>,
}

/// `GET /v2/audit/esxihost/{uid}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EsxiHostAudit {
    /// Web portal link.
    #[serde(default)]
    pub portal_url: Option<String>,
    /// System info (serial in `service_tag`).
    #[serde(default)]
    pub system_info: Option<EsxiSystemInfo>,
    /// Guests.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub guests: Vec<EsxiGuest>,
    /// Processors.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub processors: Vec<EsxiProcessor>,
    /// NICs.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub nics: Vec<EsxiNic>,
    /// Memory modules.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub physical_memory: Vec<PhysicalMemory>,
    /// Datastores.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub datastores: Vec<EsxiDatastore>,
}

/// `PrinterMarkerSupply`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterMarkerSupply {
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Maximum capacity.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub max_capacity: Option<String>,
    /// Level.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub supplies_level: Option<String>,
}

/// `Printer` block of a printer audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterCounters {
    /// Printed pages.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_i64")]
    pub printed_page_count: Option<i64>,
}

/// `PrinterSystemInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterSystemInfo {
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
}

/// `GET /v2/audit/printer/{uid}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterAudit {
    /// Web portal link.
    #[serde(default)]
    pub portal_url: Option<String>,
    /// SNMP info (serial in `snmp_serial`).
    #[serde(default)]
    pub snmp_info: Option<SnmpInfo>,
    /// Supplies.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub printer_marker_supplies: Vec<PrinterMarkerSupply>,
    /// Counters.
    #[serde(default)]
    pub printer: Option<PrinterCounters>,
    /// Manufacturer and model.
    #[serde(default)]
    pub system_info: Option<PrinterSystemInfo>,
    /// NICs.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::null_default")]
    pub nics: Vec<NetworkInterface>,
}

/// The audit of a device, by the endpoint its `deviceClass` routes to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "audit", rename_all = "snake_case")]
pub enum AuditKind {
    /// Agent device audit.
    Device(DeviceAudit),
    /// ESXi host audit.
    EsxiHost(EsxiHostAudit),
    /// Printer audit.
    Printer(PrinterAudit),
}

impl AuditKind {
    /// Serial number: BIOS serial, ESXi service tag, or printer SNMP serial.
    pub fn serial_number(&self) -> Option<&str> {
        match self {
            Self::Device(a) => a.bios.as_ref().and_then(|b| b.serial_number.as_deref()),
            Self::EsxiHost(a) => a
                .system_info
                .as_ref()
                .and_then(|s| s.service_tag.as_deref()),
            Self::Printer(a) => a.snmp_info.as_ref().and_then(|s| s.snmp_serial.as_deref()),
        }
    }

    /// Manufacturer (device audits fall back to the base board).
    pub fn manufacturer(&self) -> Option<&str> {
        match self {
            Self::Device(a) => a
                .system_info
                .as_ref()
                .and_then(|s| s.manufacturer.as_deref())
                .or_else(|| {
                    a.base_board
                        .as_ref()
                        .and_then(|b| b.manufacturer.as_deref())
                }),
            Self::EsxiHost(a) => a
                .system_info
                .as_ref()
                .and_then(|s| s.manufacturer.as_deref()),
            Self::Printer(a) => a
                .system_info
                .as_ref()
                .and_then(|s| s.manufacturer.as_deref()),
        }
    }

    /// Model (device audits fall back to the base board product).
    pub fn model(&self) -> Option<&str> {
        match self {
            Self::Device(a) => a
                .system_info
                .as_ref()
                .and_then(|s| s.model.as_deref())
                .or_else(|| a.base_board.as_ref().and_then(|b| b.product.as_deref())),
            Self::EsxiHost(a) => a.system_info.as_ref().and_then(|s| s.model.as_deref()),
            Self::Printer(a) => a.system_info.as_ref().and_then(|s| s.model.as_deref()),
        }
    }

    /// MAC addresses as reported, in audit order.
    pub fn mac_addresses(&self) -> Vec<&str> {
        match self {
            Self::Device(a) => a
                .nics
                .iter()
                .filter_map(|n| n.mac_address.as_deref())
                .collect(),
            Self::EsxiHost(a) => a
                .nics
                .iter()
                .filter_map(|n| n.mac_address.as_deref())
                .collect(),
            Self::Printer(a) => a
                .nics
                .iter()
                .filter_map(|n| n.mac_address.as_deref())
                .collect(),
        }
    }

    /// The logged-in user an agent audit reports.
    pub fn username(&self) -> Option<&str> {
        match self {
            Self::Device(a) => a.system_info.as_ref().and_then(|s| s.username.as_deref()),
            Self::EsxiHost(_) | Self::Printer(_) => None,
        }
    }
}

/// `Software` of a software audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Software {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Version.
    #[serde(default, deserialize_with = "psa_rmm_core::wire::opt_string")]
    pub version: Option<String>,
}

page_type!(
    /// `GET /v2/audit/device/{uid}/software`.
    SoftwarePage,
    software,
    Software
);

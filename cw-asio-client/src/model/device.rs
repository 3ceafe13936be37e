//! Devices ("endpoints"): the v2 list and detail, the legacy v1 list and detail, and the hardware sections.
//!
//! One [`Endpoint`] type carries the device's own fields wherever they appear: an item of a v2 list group, the
//! `platform`/`network`/`cloud` object of a v2 detail, a v1 list row or the flat v1 detail. Casing differs
//! between those (`endpointID`/`endpointId`/`EndpointID`, `baseBoard`/`baseboard`), so every key that is known
//! to drift carries aliases.

use super::ids::{CompanyId, EndpointId, SiteId};
use chrono::{DateTime, Utc};
use psa_rmm_core::string_enum;
use psa_rmm_core::wire;
use serde::{Deserialize, Serialize};
use serde_json::Value;

string_enum! {
    /// The device category of the v2 API; one per list call.
    pub enum EndpointCategory {
        /// Agent-managed computers.
        Platform = "platform",
        /// Network devices.
        Network = "network",
        /// Cloud resources.
        Cloud = "cloud",
        /// Every category.
        All = "all",
    }
}

string_enum! {
    /// What the `resources` of a v2 device list body name.
    pub enum ResourceType {
        /// Company ids (at most 4 per call).
        Company = "company",
        /// Site ids (at most 10 per call).
        Site = "site",
        /// Endpoint ids (at most 500 per call).
        Endpoint = "endpoint",
    }
}

impl ResourceType {
    /// The most ids one v2 list body may carry for this resource type.
    pub fn body_limit(&self) -> usize {
        match self {
            Self::Company => 4,
            Self::Site => 10,
            Self::Endpoint | Self::Other(_) => 500,
        }
    }
}

string_enum! {
    /// Family of an endpoint (`endpointType`).
    pub enum EndpointType {
        /// Desktop or workstation.
        Desktop = "Desktop",
        /// Server.
        Server = "Server",
        /// Laptop.
        Laptop = "Laptop",
        /// Firewall.
        Firewall = "Firewall",
        /// Mobile device.
        Mobile = "Mobile",
        /// Network device.
        NetworkDevice = "NetworkDevice",
    }
}

string_enum! {
    /// Whether an endpoint is a hypervisor host, a physical machine or a guest VM (`virtualType`).
    pub enum VirtualType {
        /// Hypervisor host (VMware, Hyper-V).
        Host = "Host",
        /// Physical machine.
        Physical = "Physical",
        /// Virtual machine.
        Guest = "Guest",
    }
}

/// Body of `POST /api/platform/v2/device/categories/{category}/endpoints`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointsRequest {
    /// What `resources` holds.
    pub resource_type: ResourceType,
    /// The ids.
    #[serde(default)]
    pub resources: Vec<String>,
}

/// Response of the v2 device list: endpoints grouped by category, then by company and site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointList {
    /// Agent-managed computers.
    #[serde(deserialize_with = "wire::seq", alias = "Platform")]
    pub platform: Vec<EndpointGroup>,
    /// Network devices.
    #[serde(deserialize_with = "wire::seq", alias = "Network")]
    pub network: Vec<EndpointGroup>,
    /// Cloud resources.
    #[serde(deserialize_with = "wire::seq", alias = "Cloud")]
    pub cloud: Vec<EndpointGroup>,
}

impl EndpointList {
    /// Every endpoint with its category and group, in response order.
    pub fn iter(&self) -> impl Iterator<Item = (EndpointCategory, &EndpointGroup, &Endpoint)> {
        flatten(EndpointCategory::Platform, &self.platform)
            .chain(flatten(EndpointCategory::Network, &self.network))
            .chain(flatten(EndpointCategory::Cloud, &self.cloud))
    }

    /// Number of endpoints across all groups.
    pub fn len(&self) -> usize {
        [&self.platform, &self.network, &self.cloud]
            .iter()
            .flat_map(|g| g.iter())
            .map(|g| g.endpoints.len())
            .sum()
    }

    /// True when no group holds an endpoint.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn flatten(
    category: EndpointCategory,
    groups: &[EndpointGroup],
) -> impl Iterator<Item = (EndpointCategory, &EndpointGroup, &Endpoint)> {
    groups.iter().flat_map(move |g| {
        let category = category.clone();
        g.endpoints.iter().map(move |e| (category.clone(), g, e))
    })
}

/// Endpoints of one company and site within a category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointGroup {
    /// Company id.
    #[serde(
        rename = "companyID",
        alias = "companyId",
        alias = "CompanyID",
        alias = "clientID",
        alias = "clientId"
    )]
    pub company_id: Option<CompanyId>,
    /// Site id.
    #[serde(rename = "siteID", alias = "siteId", alias = "SiteID")]
    pub site_id: Option<SiteId>,
    /// The endpoints.
    #[serde(deserialize_with = "wire::seq", alias = "Endpoints")]
    pub endpoints: Vec<Endpoint>,
}

/// A device's own fields (v2 list item, v2 detail category object, v1 list row or v1 detail).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Endpoint {
    /// Endpoint id.
    #[serde(
        rename = "endpointID",
        alias = "endpointId",
        alias = "EndpointID",
        alias = "EndpointId"
    )]
    pub endpoint_id: Option<EndpointId>,
    /// Company id (v1 rows and detail; v2 items take it from their group).
    #[serde(
        rename = "clientID",
        alias = "clientId",
        alias = "companyID",
        alias = "companyId"
    )]
    pub company_id: Option<CompanyId>,
    /// Site id (v1 rows and detail).
    #[serde(rename = "siteID", alias = "siteId")]
    pub site_id: Option<SiteId>,
    /// Registration id (v1 list).
    #[serde(alias = "regID")]
    pub reg_id: Option<String>,
    /// OS family in lower case (v1 list: `windows`).
    pub os_type: Option<String>,
    /// Host name as the agent reports it.
    pub device_name: Option<String>,
    /// Display name; two endpoints can share one.
    pub friendly_name: Option<String>,
    /// Nature of the endpoint.
    pub resource_type: Option<String>,
    /// Family of the endpoint.
    pub endpoint_type: Option<EndpointType>,
    /// Desktop/Server/Firewall/Mobile.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Sub type.
    pub sub_resource_type: Option<String>,
    /// Host, Physical or Guest.
    pub virtual_type: Option<VirtualType>,
    /// Every IP address.
    #[serde(deserialize_with = "wire::seq")]
    pub ip_address: Vec<String>,
    /// Every MAC address.
    #[serde(deserialize_with = "wire::seq")]
    pub mac_address: Vec<String>,
    /// Public IP the agent calls from.
    pub remote_address: Option<String>,
    /// Created.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub created_at: Option<DateTime<Utc>>,
    /// Creator.
    pub created_by: Option<String>,
    /// Last modification.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub modified_at: Option<DateTime<Utc>>,
    /// Last modifier.
    pub modified_by: Option<String>,
    /// When the agent was installed.
    #[serde(
        rename = "agentInstalledUTC",
        alias = "agentInstalledUtc",
        deserialize_with = "wire::opt_datetime"
    )]
    pub agent_installed_utc: Option<DateTime<Utc>>,
    /// When the record was created.
    #[serde(
        rename = "createTimeUTC",
        alias = "createTimeUtc",
        deserialize_with = "wire::opt_datetime"
    )]
    pub create_time_utc: Option<DateTime<Utc>>,
    /// Server roles and features (a string in v1, a list in v2).
    #[serde(deserialize_with = "wire::seq")]
    pub roles_features: Vec<String>,
    /// Operating system.
    #[serde(alias = "OS")]
    pub os: Option<Os>,
    /// System (serial, model, host name; no manufacturer).
    pub system: Option<SystemInfo>,
    /// BIOS.
    #[serde(alias = "BIOS")]
    pub bios: Option<Bios>,
    /// Mainboard (`baseBoard` in v1, `baseboard` in v2).
    #[serde(rename = "baseboard", alias = "baseBoard", alias = "BaseBoard")]
    pub baseboard: Option<Baseboard>,
    /// Network adapters.
    #[serde(deserialize_with = "wire::seq", alias = "network")]
    pub networks: Vec<NetworkAdapter>,
    /// Processors.
    #[serde(deserialize_with = "wire::seq")]
    pub processors: Vec<Processor>,
    /// Memory modules.
    #[serde(deserialize_with = "wire::seq")]
    pub physical_memory: Vec<MemoryModule>,
    /// Drives.
    #[serde(deserialize_with = "wire::seq")]
    pub drives: Vec<Drive>,
    /// Physical drives (`physicalDrive` in v1, `physicalDrives` elsewhere).
    #[serde(deserialize_with = "wire::seq", alias = "physicalDrive")]
    pub physical_drives: Vec<Value>,
    /// Anti-virus products.
    #[serde(deserialize_with = "wire::seq")]
    pub anti_viruses: Vec<AntiVirus>,
    /// Installed software.
    #[serde(deserialize_with = "wire::seq")]
    pub installed_softwares: Vec<InstalledSoftware>,
    /// Local users.
    #[serde(deserialize_with = "wire::seq")]
    pub users: Vec<LocalUser>,
    /// RAID controller.
    pub raid_controller: Option<Value>,
    /// Windows services.
    #[serde(deserialize_with = "wire::seq")]
    pub services: Vec<Value>,
    /// Shares.
    #[serde(deserialize_with = "wire::seq")]
    pub shares: Vec<Value>,
    /// Software licences.
    #[serde(deserialize_with = "wire::seq")]
    pub software_licenses: Vec<Value>,
    /// Monitors.
    #[serde(deserialize_with = "wire::seq")]
    pub monitors: Vec<Value>,
    /// Keyboards.
    #[serde(deserialize_with = "wire::seq")]
    pub keyboards: Vec<Value>,
    /// Pointing devices.
    #[serde(deserialize_with = "wire::seq")]
    pub mouse: Vec<Value>,
}

/// Response of `GET /api/platform/v2/device/companies/{companyID}/sites/{siteID}/endpoints/{endpointID}`.
///
/// The schema carries both `endpointID` and `endpointId` (and `companyID`/`clientId`, `siteID`/`siteId`) at
/// the top level, so each spelling has its own field; the accessors pick whichever is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointDetail {
    /// `companyID`.
    #[serde(rename = "companyID", alias = "CompanyID", alias = "companyId")]
    pub company_id_upper: Option<CompanyId>,
    /// `siteID`.
    #[serde(rename = "siteID", alias = "SiteID")]
    pub site_id_upper: Option<SiteId>,
    /// `endpointID`.
    #[serde(rename = "endpointID", alias = "EndpointID")]
    pub endpoint_id_upper: Option<EndpointId>,
    /// `clientId` (legacy spelling of the company id).
    #[serde(rename = "clientId", alias = "clientID")]
    pub client_id: Option<CompanyId>,
    /// `siteId`.
    #[serde(rename = "siteId")]
    pub site_id_lower: Option<SiteId>,
    /// `endpointId`.
    #[serde(rename = "endpointId", alias = "EndpointId")]
    pub endpoint_id_lower: Option<EndpointId>,
    /// Ids of the same endpoint in other products (e.g. Automate).
    #[serde(rename = "endpointMapping", deserialize_with = "wire::seq")]
    pub endpoint_mapping: Vec<EndpointMapping>,
    /// Registration id.
    #[serde(rename = "regId", alias = "regID")]
    pub reg_id: Option<String>,
    /// Family of the endpoint.
    #[serde(rename = "endpointType")]
    pub endpoint_type: Option<EndpointType>,
    /// OS family.
    #[serde(rename = "osType")]
    pub os_type: Option<String>,
    /// Fields of an agent-managed computer.
    pub platform: Option<Endpoint>,
    /// Fields of a network device.
    pub network: Option<Endpoint>,
    /// Fields of a cloud resource.
    pub cloud: Option<Endpoint>,
}

impl EndpointDetail {
    /// The endpoint id, whichever spelling carried it.
    pub fn endpoint_id(&self) -> Option<&EndpointId> {
        self.endpoint_id_upper
            .as_ref()
            .or(self.endpoint_id_lower.as_ref())
            .or_else(|| self.endpoint().and_then(|(_, e)| e.endpoint_id.as_ref()))
    }

    /// The company id, whichever spelling carried it.
    pub fn company_id(&self) -> Option<&CompanyId> {
        self.company_id_upper.as_ref().or(self.client_id.as_ref())
    }

    /// The site id, whichever spelling carried it.
    pub fn site_id(&self) -> Option<&SiteId> {
        self.site_id_upper.as_ref().or(self.site_id_lower.as_ref())
    }

    /// The populated category object and its category.
    pub fn endpoint(&self) -> Option<(EndpointCategory, &Endpoint)> {
        self.platform
            .as_ref()
            .map(|e| (EndpointCategory::Platform, e))
            .or_else(|| {
                self.network
                    .as_ref()
                    .map(|e| (EndpointCategory::Network, e))
            })
            .or_else(|| self.cloud.as_ref().map(|e| (EndpointCategory::Cloud, e)))
    }
}

/// The id of an endpoint in another vendor's product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EndpointMapping {
    /// Vendor, e.g. "Automate".
    pub vendor_name: Option<String>,
    /// Id at that vendor.
    #[serde(
        rename = "vendorID",
        alias = "vendorId",
        deserialize_with = "wire::opt_string"
    )]
    pub vendor_id: Option<String>,
}

/// Response of the legacy `GET /api/platform/v1/device/[clients/{id}/[sites/{id}/]]endpoints`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointListV1 {
    /// Rows: `{clientId, siteId, endpointId, regId, endpointType, osType}`.
    #[serde(deserialize_with = "wire::seq", alias = "Endpoints")]
    pub endpoints: Vec<Endpoint>,
}

/// Operating system section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Os {
    /// Product, e.g. "Windows 11 Pro".
    pub product: Option<String>,
    /// Vendor.
    pub manufacturer: Option<String>,
    /// Version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub version: Option<String>,
    /// Build number.
    #[serde(deserialize_with = "wire::opt_string")]
    pub build_number: Option<String>,
    /// Display version, e.g. "23H2".
    #[serde(deserialize_with = "wire::opt_string")]
    pub display_version: Option<String>,
    /// Release id.
    #[serde(
        rename = "releaseID",
        alias = "releaseId",
        deserialize_with = "wire::opt_string"
    )]
    pub release_id: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub os_type: Option<String>,
    /// Architecture.
    pub arch: Option<String>,
    /// Service pack.
    pub service_pack: Option<String>,
    /// Language (`osLanguage` in v1).
    #[serde(alias = "osLanguage")]
    pub language: Option<String>,
    /// OS serial.
    pub serial_number: Option<String>,
    /// Product id (`productId` in v1).
    #[serde(rename = "productID", alias = "productId")]
    pub product_id: Option<String>,
    /// Kernel version.
    pub kernel_version: Option<String>,
    /// Installation type.
    pub installation_type: Option<String>,
    /// Logged-on user as the OS section reports it.
    pub user_name: Option<String>,
    /// Install date.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub install_date: Option<DateTime<Utc>>,
}

/// System section. It has no manufacturer field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SystemInfo {
    /// Product.
    pub product: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Hardware serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
    /// Host name.
    pub system_name: Option<String>,
    /// Domain or workgroup.
    pub domain: Option<String>,
    /// Domain role (numeric WMI code).
    #[serde(deserialize_with = "wire::opt_i64")]
    pub domain_role: Option<i64>,
    /// Category.
    pub category: Option<String>,
    /// Chassis.
    pub chassis: Option<String>,
    /// Chassis type codes (SMBIOS).
    #[serde(deserialize_with = "wire::seq")]
    pub chassis_types: Vec<i64>,
    /// Hypervisor name, for guests.
    pub hypervisor_name: Option<String>,
    /// System type, e.g. "x64-based PC".
    pub system_type: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// Time zone description.
    pub time_zone_description: Option<String>,
}

/// BIOS section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Bios {
    /// Product.
    pub product: Option<String>,
    /// Manufacturer (the best available device maker).
    pub manufacturer: Option<String>,
    /// Version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub version: Option<String>,
    /// BIOS serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
    /// SMBIOS version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub smbios_version: Option<String>,
}

/// Mainboard section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Baseboard {
    /// Product.
    pub product: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Board serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub version: Option<String>,
    /// SMBIOS system UUID (v2).
    #[serde(
        rename = "hardwareUUID",
        alias = "hardwareUuid",
        alias = "hardwareUUId"
    )]
    pub hardware_uuid: Option<String>,
    /// Install date.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub install_date: Option<DateTime<Utc>>,
    /// TPM chips.
    #[serde(deserialize_with = "wire::seq")]
    pub tpm_details: Vec<Value>,
}

/// One network adapter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NetworkAdapter {
    /// Vendor.
    pub vendor: Option<String>,
    /// Product.
    pub product: Option<String>,
    /// MAC address (format not fixed by the vendor).
    #[serde(alias = "MACAddress", alias = "macaddress")]
    pub mac_address: Option<String>,
    /// Primary IPv4.
    pub ipv4: Option<String>,
    /// IPv4 addresses.
    #[serde(deserialize_with = "wire::seq")]
    pub ipv4_list: Vec<String>,
    /// Primary IPv6.
    pub ipv6: Option<String>,
    /// IPv6 addresses.
    #[serde(deserialize_with = "wire::seq")]
    pub ipv6_list: Vec<String>,
    /// Subnet mask.
    pub subnet_mask: Option<String>,
    /// Default gateway.
    #[serde(rename = "defaultIPGateway", alias = "defaultIpGateway")]
    pub default_ip_gateway: Option<String>,
    /// DHCP on.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub dhcp_enabled: Option<bool>,
    /// DHCP server.
    pub dhcp_server: Option<String>,
    /// DNS servers.
    #[serde(deserialize_with = "wire::seq")]
    pub dns_servers: Vec<String>,
    /// IP enabled.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub ip_enabled: Option<bool>,
    /// OS adapter name.
    pub logical_name: Option<String>,
    /// Interface index.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub interface_index: Option<i64>,
    /// Link speed.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub speed: Option<i64>,
}

/// One processor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Processor {
    /// Product.
    pub product: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Sockets.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub number_of_processors: Option<i64>,
    /// Cores.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub number_of_cores: Option<i64>,
    /// Logical processors.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub number_of_logical_processors: Option<i64>,
    /// Clock speed (a string in v1, a number in v2).
    #[serde(deserialize_with = "wire::opt_f64")]
    pub clock_speed_mhz: Option<f64>,
    /// Serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
}

/// One memory module.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MemoryModule {
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
    /// Size in bytes.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub size_bytes: Option<i64>,
    /// Slot.
    #[serde(deserialize_with = "wire::opt_string")]
    pub slot: Option<String>,
    /// Speed.
    #[serde(deserialize_with = "wire::opt_string")]
    pub speed: Option<String>,
    /// Part number.
    #[serde(deserialize_with = "wire::opt_string")]
    pub part_number: Option<String>,
}

/// One drive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Drive {
    /// Product.
    pub product: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial.
    #[serde(deserialize_with = "wire::opt_string")]
    pub serial_number: Option<String>,
    /// Size in bytes.
    #[serde(deserialize_with = "wire::opt_i64")]
    pub size_bytes: Option<i64>,
    /// Media type.
    pub media_type: Option<String>,
    /// Interface type.
    pub interface_type: Option<String>,
    /// OS name of the drive.
    pub logical_name: Option<String>,
}

/// One anti-virus product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AntiVirus {
    /// Name.
    pub name: Option<String>,
    /// Version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub version: Option<String>,
    /// Application name.
    pub application_name: Option<String>,
}

/// One installed application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InstalledSoftware {
    /// Name.
    pub name: Option<String>,
    /// Version.
    #[serde(deserialize_with = "wire::opt_string")]
    pub version: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Install date.
    #[serde(deserialize_with = "wire::opt_datetime")]
    pub install_date: Option<DateTime<Utc>>,
}

/// One local user account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LocalUser {
    /// User name.
    #[serde(alias = "userName")]
    pub username: Option<String>,
    /// Type.
    pub user_type: Option<String>,
    /// Disabled.
    #[serde(deserialize_with = "wire::opt_bool")]
    pub user_disabled: Option<bool>,
}

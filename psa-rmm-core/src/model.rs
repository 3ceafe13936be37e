//! Vendor-neutral records: the shape every client converts into and every planner reads.
//!
//! Fields are public so that vendor crates and tests can build records with struct-update syntax
//! (`Device { serial_number: .., ..Device::new(r) }`); `#[non_exhaustive]` would forbid that in sibling
//! crates. Everything a vendor does not guarantee is an `Option` or an empty `Vec`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Declares a string-backed enum whose last variant, `Other(String)`, keeps any value the vendor adds later.
///
/// The enum serialises to and from its wire string; an unknown string round-trips verbatim through `Other`.
///
/// ```
/// psa_rmm_core::string_enum! {
///     /// Colours the vendor knows today.
///     pub enum Colour {
///         /// Red.
///         Red = "red",
///         /// Blue.
///         Blue = "blue",
///     }
/// }
/// assert_eq!("red".parse::<Colour>().unwrap(), Colour::Red);
/// assert_eq!(Colour::from("teal"), Colour::Other("teal".into()));
/// assert_eq!(Colour::Other("teal".into()).as_str(), "teal");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                $( if s.eq_ignore_ascii_case($wire) { return Self::$variant; } )+
                Self::Other(s.to_owned())
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_ref()))
            }
        }
    };
}

string_enum! {
    /// The tool a record comes from.
    pub enum System {
        /// ConnectWise Manage (ConnectWise PSA).
        CwManage = "cw-manage",
        /// ConnectWise Asio (ConnectWise RMM).
        CwAsio = "cw-asio",
        /// Datto RMM.
        DattoRmm = "datto-rmm",
    }
}

/// Where a record lives: the system and that system's id for it, as a string (Manage ids are numbers,
/// Datto uses UIDs, Asio UUIDs; one type holds them all).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExternalRef {
    /// The owning system.
    pub system: System,
    /// The system's own id.
    pub id: String,
}

impl ExternalRef {
    /// A reference to `id` in `system`.
    pub fn new(system: System, id: impl Into<String>) -> Self {
        Self {
            system,
            id: id.into(),
        }
    }
}

impl std::fmt::Display for ExternalRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.system, self.id)
    }
}

/// A customer of the MSP: a PSA company, or an RMM company/site seen as a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// Where the company lives.
    pub external: ExternalRef,
    /// Display name as the tool shows it.
    pub name: String,
    /// Short code (Manage `identifier`), when the tool has one.
    pub identifier: Option<String>,
    /// Vendor status name (e.g. "Active", "Inactive").
    pub status: Option<String>,
    /// False when the tool marks the company inactive or deleted.
    pub active: bool,
    /// Company type names (Manage "Client", "Prospect", ...).
    pub types: Vec<String>,
    /// Web domain, when known: strong evidence for company matching.
    pub domain: Option<String>,
    /// Last change in the source system.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Company {
    /// An active company with only a reference and a name.
    pub fn new(external: ExternalRef, name: impl Into<String>) -> Self {
        Self {
            external,
            name: name.into(),
            identifier: None,
            status: None,
            active: true,
            types: Vec::new(),
            domain: None,
            updated_at: None,
        }
    }
}

/// A location of a company: a PSA company site, or an RMM site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Where the site lives.
    pub external: ExternalRef,
    /// The company it belongs to, when the tool models companies above sites.
    pub company: Option<ExternalRef>,
    /// Display name.
    pub name: String,
    /// A system site that holds no customer (Datto "Deleted Devices", "Managed", "OnDemand").
    pub system_site: bool,
    /// Number of devices, when the tool reports it.
    pub device_count: Option<u64>,
}

impl Site {
    /// A customer site with only a reference and a name.
    pub fn new(external: ExternalRef, name: impl Into<String>) -> Self {
        Self {
            external,
            company: None,
            name: name.into(),
            system_site: false,
            device_count: None,
        }
    }
}

string_enum! {
    /// What a device is, in the words an MSP maps to PSA configuration types.
    pub enum DeviceKind {
        /// Desktop PC or workstation.
        Workstation = "workstation",
        /// Portable PC.
        Laptop = "laptop",
        /// Server, physical or virtual.
        Server = "server",
        /// Virtualisation host (ESXi, Hyper-V host).
        Hypervisor = "hypervisor",
        /// Switch, router, firewall, access point.
        NetworkDevice = "network_device",
        /// Printer or multifunction device.
        Printer = "printer",
        /// Phone or tablet.
        Mobile = "mobile",
    }
}

impl Default for DeviceKind {
    fn default() -> Self {
        Self::Other(String::new())
    }
}

/// A machine: an RMM device, or a PSA configuration seen as a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Where the record lives.
    pub external: ExternalRef,
    /// Owning company (PSA company, or the RMM company/site treated as the customer).
    pub company: Option<ExternalRef>,
    /// RMM site, when the record came from an RMM.
    pub site: Option<ExternalRef>,
    /// Host name as reported (not normalised).
    pub hostname: Option<String>,
    /// What the device is.
    pub kind: DeviceKind,
    /// Vendor type or category name before mapping to `kind` (e.g. Manage configuration type).
    pub type_name: Option<String>,
    /// Hardware serial as reported (not normalised).
    pub serial_number: Option<String>,
    /// BIOS/system UUID, when known.
    pub hardware_uuid: Option<String>,
    /// MAC addresses as reported; one entry may hold several addresses, the normaliser splits them.
    pub mac_addresses: Vec<String>,
    /// Primary IP address.
    pub ip_address: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model name.
    pub model: Option<String>,
    /// Operating system name.
    pub os: Option<String>,
    /// Last logged-on user.
    pub last_user: Option<String>,
    /// Last time the RMM saw the device.
    pub last_seen: Option<DateTime<Utc>>,
    /// Warranty end date.
    pub warranty_expires: Option<NaiveDate>,
    /// True when the RMM reports a virtual machine.
    pub virtual_machine: Option<bool>,
    /// False for inactive configurations or deleted devices.
    pub active: bool,
    /// Sticky link: on a PSA configuration, the RMM device id the integration stored there
    /// (Manage `deviceIdentifier`); on an RMM device, the PSA configuration id written back.
    pub linked_id: Option<String>,
    /// Last change in the source system.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Device {
    /// An active device with only a reference; every other field empty.
    pub fn new(external: ExternalRef) -> Self {
        Self {
            external,
            company: None,
            site: None,
            hostname: None,
            kind: DeviceKind::default(),
            type_name: None,
            serial_number: None,
            hardware_uuid: None,
            mac_addresses: Vec::new(),
            ip_address: None,
            manufacturer: None,
            model: None,
            os: None,
            last_user: None,
            last_seen: None,
            warranty_expires: None,
            virtual_machine: None,
            active: true,
            linked_id: None,
            updated_at: None,
        }
    }
}

string_enum! {
    /// How urgent an alert is, on the scale the RMMs share.
    pub enum AlertSeverity {
        /// Critical.
        Critical = "critical",
        /// High.
        High = "high",
        /// Moderate / medium.
        Moderate = "moderate",
        /// Low.
        Low = "low",
        /// Informational.
        Information = "information",
    }
}

/// An RMM alert (Datto alert, Asio ticket-worthy condition).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Where the alert lives.
    pub external: ExternalRef,
    /// Customer the alert belongs to.
    pub company: Option<ExternalRef>,
    /// RMM site.
    pub site: Option<ExternalRef>,
    /// Device that raised it.
    pub device: Option<ExternalRef>,
    /// Device host name, for ticket text.
    pub device_name: Option<String>,
    /// Severity.
    pub severity: AlertSeverity,
    /// Alert type or monitor category (e.g. "online_offline_status", "perf_disk_usage").
    pub category: Option<String>,
    /// Human-readable message.
    pub message: String,
    /// When it was raised.
    pub raised_at: Option<DateTime<Utc>>,
    /// True once resolved in the RMM.
    pub resolved: bool,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A PSA service ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// Where the ticket lives.
    pub external: ExternalRef,
    /// Customer company.
    pub company: Option<ExternalRef>,
    /// Summary line.
    pub summary: String,
    /// Initial description, when known.
    pub description: Option<String>,
    /// Board name.
    pub board: Option<String>,
    /// Status name.
    pub status: Option<String>,
    /// Priority name.
    pub priority: Option<String>,
    /// True when the status is a closed one.
    pub closed: bool,
    /// Key that ties the ticket to the alert or group that opened it, so one alert never opens two tickets.
    pub dedupe_key: Option<String>,
    /// Configuration or device the ticket is about.
    pub device: Option<ExternalRef>,
    /// Creation time.
    pub created_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A link between a record in one system and its counterpart in another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mapping {
    /// The RMM side (company, site or device).
    pub rmm: ExternalRef,
    /// The PSA side (company or configuration).
    pub psa: ExternalRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_all_round_trips_unknown_values() {
        let kind: DeviceKind = serde_json::from_str("\"smart_fridge\"").unwrap();
        assert_eq!(kind, DeviceKind::Other("smart_fridge".into()));
        assert_eq!(serde_json::to_string(&kind).unwrap(), "\"smart_fridge\"");
        let known: DeviceKind = serde_json::from_str("\"LAPTOP\"").unwrap();
        assert_eq!(known, DeviceKind::Laptop);
    }

    #[test]
    fn device_round_trips_through_json() {
        let mut d = Device::new(ExternalRef::new(System::DattoRmm, "uid-1"));
        d.serial_number = Some("5CD1234XYZ".into());
        d.mac_addresses = vec!["00:1A:2B:3C:4D:5E".into()];
        d.kind = DeviceKind::Laptop;
        d.last_seen = Some(DateTime::from_timestamp(1_700_000_000, 0).unwrap());
        d.warranty_expires = NaiveDate::from_ymd_opt(2027, 1, 31);
        let json = serde_json::to_string(&d).unwrap();
        let back: Device = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn external_ref_displays_system_and_id() {
        let r = ExternalRef::new(System::CwManage, "42");
        assert_eq!(r.to_string(), "cw-manage:42");
        let other = ExternalRef::new(System::from("autotask"), "7");
        assert_eq!(other.to_string(), "autotask:7");
    }
}

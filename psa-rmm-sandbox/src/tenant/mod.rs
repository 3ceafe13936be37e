//! A seeded tenant generator: an MSP's PSA companies and configurations, its RMM sites and devices on Datto
//! and Asio, open and resolved alerts, with the noise real tenants have, and the `truth` of which record is
//! which so tests can score matching.
//!
//! Everything is drawn from [`TenantSpec::seed`]: the same spec always yields the same tenant (ids included).
//! Records are psa-rmm-core models: PSA companies and configurations carry [`System::CwManage`] refs, RMM
//! records [`System::DattoRmm`] or [`System::CwAsio`]. Datto has no company level, so a Datto site is the
//! customer (its devices' `company` is the site ref); Asio companies are in [`Tenant::rmm_companies`].
//!
//! ```
//! use psa_rmm_sandbox::tenant::{Noise, Tenant, TenantSpec};
//! let tenant = Tenant::generate(&TenantSpec::tiny());
//! assert!(tenant.truth.noise_count(Noise::NewDevice) > 0);
//! ```

mod devices;
mod names;

use std::collections::{BTreeMap, HashMap};

use psa_rmm_core::{Alert, Company, Device, ExternalRef, Site, System};

use crate::rng::SeededRng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TenantSpec {
    /// Seed of every draw.
    pub seed: u64,
    /// Number of PSA companies.
    pub companies: usize,
    /// Approximate number of RMM devices (the exact count varies by the noise drawn).
    pub devices: usize,
    /// Share of RMM customers on Asio; the rest are on Datto (an MSP mid-migration).
    pub asio_share: f64,
    /// How much of each kind of noise.
    pub noise: NoiseRates,
}

impl TenantSpec {
    /// A spec with default noise.
    pub fn new(seed: u64, companies: usize, devices: usize) -> Self {
        Self {
            seed,
            companies,
            devices,
            asio_share: 0.4,
            noise: NoiseRates::default(),
        }
    }

    /// 5 companies, ~60 devices: unit tests.
    pub fn tiny() -> Self {
        Self::new(1, 5, 60)
    }

    /// 20 companies, ~1,000 devices: the demo.
    pub fn small() -> Self {
        Self::new(2, 20, 1_000)
    }

    /// 300 companies, ~20,000 devices.
    pub fn medium() -> Self {
        Self::new(3, 300, 20_000)
    }

    /// 3,000 companies, ~200,000 devices: benchmarks.
    pub fn large() -> Self {
        Self::new(4, 3_000, 200_000)
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the Asio share of RMM customers (0.0 = all Datto, 1.0 = all Asio).
    pub fn asio_share(mut self, share: f64) -> Self {
        self.asio_share = share.clamp(0.0, 1.0);
        self
    }

    /// Sets the noise rates.
    pub fn noise(mut self, noise: NoiseRates) -> Self {
        self.noise = noise;
        self
    }
}

/// Probabilities of each kind of noise (per company, site or device as named).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NoiseRates {
    /// RMM customer name differs from the PSA name (suffix, case, `&`/`and`, spelling).
    pub name_variant: f64,
    /// An RMM customer split into several location-coded sites.
    pub multi_site: f64,
    /// A single RMM site named with a location code.
    pub location_coded_site: f64,
    /// PSA companies with nothing in any RMM (prospects, inactive customers).
    pub psa_only_company: f64,
    /// Devices with a second physical NIC.
    pub multi_nic: f64,
    /// Devices that also report a VPN/WAN-miniport adapter MAC shared by every PC.
    pub vpn_mac: f64,
    /// Physical devices that also report a Hyper-V vEthernet MAC (WSL2, Docker Desktop).
    pub hyperv_mac_on_physical: f64,
    /// Devices reporting a placeholder serial ("To Be Filled By O.E.M.").
    pub placeholder_serial: f64,
    /// Configurations whose MAC field holds several addresses in one string.
    pub concatenated_mac_field: f64,
    /// Configurations holding the MAC or serial in another format (dashes, case, spaces).
    pub format_variant: f64,
    /// Devices renamed in the RMM after the configuration was created.
    pub renamed: f64,
    /// Devices re-imaged: new RMM device id and default hostname, same hardware.
    pub reimaged: f64,
    /// Virtual machines cloned from another (same BIOS UUID and serial).
    pub cloned_vm: f64,
    /// Configurations set inactive while the device is still live.
    pub inactive_configuration: f64,
    /// Devices with no configuration yet (to be created).
    pub new_device: f64,
    /// Configurations whose device is gone (per device generated).
    pub stale_configuration: f64,
    /// Devices moved to another customer's site in the RMM but not in the PSA.
    pub moved_device: f64,
    /// Configurations that already carry the RMM device id (an earlier sync linked them).
    pub sticky_link: f64,
    /// Devices with an open alert.
    pub open_alert: f64,
    /// Devices with a resolved alert.
    pub resolved_alert: f64,
}

impl Default for NoiseRates {
    fn default() -> Self {
        Self {
            name_variant: 0.6,
            multi_site: 0.15,
            location_coded_site: 0.15,
            psa_only_company: 0.1,
            multi_nic: 0.35,
            vpn_mac: 0.15,
            hyperv_mac_on_physical: 0.08,
            placeholder_serial: 0.04,
            concatenated_mac_field: 0.1,
            format_variant: 0.3,
            renamed: 0.04,
            reimaged: 0.03,
            cloned_vm: 0.15,
            inactive_configuration: 0.03,
            new_device: 0.06,
            stale_configuration: 0.05,
            moved_device: 0.01,
            sticky_link: 0.3,
            open_alert: 0.05,
            resolved_alert: 0.08,
        }
    }
}

/// A kind of noise, as labelled in [`Truth::noise`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Noise {
    /// RMM name with another legal suffix ("Acme Corp" vs "Acme, Corporation").
    CompanySuffixVariant,
    /// RMM name in another case ("ACME CORP").
    CompanyCaseVariant,
    /// `&` vs `and`.
    CompanyAmpersandVariant,
    /// Abbreviation or typo ("Technologies" vs "Tech").
    CompanySpellingVariant,
    /// Site named with a location code ("Acme - NYC").
    LocationCodedSite,
    /// One of several RMM sites of one PSA company.
    MultiSiteCompany,
    /// RMM site or company with no PSA counterpart (internal, test, Datto system sites).
    UnmatchedRmmSite,
    /// PSA company with nothing in any RMM.
    PsaOnlyCompany,
    /// RMM customer on Datto.
    DattoCustomer,
    /// RMM customer on Asio.
    AsioCustomer,
    /// Device with several physical NICs.
    MultiNic,
    /// Device reporting a shared VPN/WAN-miniport MAC.
    VpnMac,
    /// Physical device reporting a Hyper-V vEthernet MAC.
    HyperVMacOnPhysical,
    /// Virtual machine.
    VirtualMachine,
    /// Placeholder serial.
    PlaceholderSerial,
    /// Configuration MAC field holding several addresses.
    ConcatenatedMacField,
    /// Configuration holding MAC or serial in another format.
    FormatVariant,
    /// Renamed in the RMM; the configuration has the old name.
    Renamed,
    /// Re-imaged: new RMM id and default hostname; the configuration may link the old id.
    Reimaged,
    /// Cloned VM sharing BIOS UUID and serial with another device.
    ClonedVm,
    /// Inactive configuration of a live device.
    InactiveConfiguration,
    /// RMM device without configuration.
    NewDevice,
    /// Configuration without RMM device.
    StaleConfiguration,
    /// Device in another customer's RMM site than its configuration's company.
    MovedDevice,
    /// Configuration already linked to its device by id.
    StickyLink,
    /// Open alert.
    OpenAlert,
    /// Resolved alert.
    ResolvedAlert,
}

/// What is really what: the answers a matcher should find.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Truth {
    /// RMM site or RMM company -> the PSA company it is. Unmatched RMM sites are absent.
    pub company_of: HashMap<ExternalRef, ExternalRef>,
    /// RMM device -> the PSA configuration it is. New devices are absent.
    pub configuration_of: HashMap<ExternalRef, ExternalRef>,
    /// Noise labels per record (a record may have several), in generation order.
    pub noise: Vec<(ExternalRef, Noise)>,
}

impl Truth {
    /// How many records carry `noise`.
    pub fn noise_count(&self, noise: Noise) -> usize {
        self.noise.iter().filter(|(_, n)| *n == noise).count()
    }

    /// Count of every noise kind present.
    pub fn noise_counts(&self) -> BTreeMap<Noise, usize> {
        let mut counts = BTreeMap::new();
        for (_, n) in &self.noise {
            *counts.entry(*n).or_insert(0) += 1;
        }
        counts
    }

    /// The records labelled with `noise`.
    pub fn with_noise(&self, noise: Noise) -> impl Iterator<Item = &ExternalRef> {
        self.noise
            .iter()
            .filter(move |(_, n)| *n == noise)
            .map(|(r, _)| r)
    }
}

/// A generated MSP tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    /// The spec it came from.
    pub spec: TenantSpec,
    /// PSA (Manage) companies.
    pub psa_companies: Vec<Company>,
    /// PSA company sites (each company has a main site; multi-location customers more).
    pub psa_sites: Vec<Site>,
    /// PSA configurations, as devices with `System::CwManage` refs.
    pub psa_configurations: Vec<Device>,
    /// Asio companies (Datto has no company level).
    pub rmm_companies: Vec<Company>,
    /// RMM sites, Datto and Asio.
    pub rmm_sites: Vec<Site>,
    /// RMM devices, Datto and Asio.
    pub rmm_devices: Vec<Device>,
    /// RMM alerts, open and resolved.
    pub alerts: Vec<Alert>,
    /// The answers.
    pub truth: Truth,
}

impl Tenant {
    /// Generates the tenant `spec` describes.
    pub fn generate(spec: &TenantSpec) -> Self {
        let mut tenant = Self {
            spec: spec.clone(),
            psa_companies: Vec::with_capacity(spec.companies),
            psa_sites: Vec::new(),
            psa_configurations: Vec::with_capacity(spec.devices),
            rmm_companies: Vec::new(),
            rmm_sites: Vec::new(),
            rmm_devices: Vec::with_capacity(spec.devices),
            alerts: Vec::new(),
            truth: Truth::default(),
        };
        let customers = devices::customers(&mut tenant, spec);
        devices::fleet(&mut tenant, spec, &customers);
        tenant
    }

    /// RMM devices of one system (`System::DattoRmm` or `System::CwAsio`).
    pub fn rmm_devices_of(&self, system: &System) -> impl Iterator<Item = &Device> {
        self.rmm_devices
            .iter()
            .filter(move |d| &d.external.system == system)
    }

    /// RMM sites of one system.
    pub fn rmm_sites_of(&self, system: &System) -> impl Iterator<Item = &Site> {
        self.rmm_sites
            .iter()
            .filter(move |s| &s.external.system == system)
    }

    /// Alerts of one system.
    pub fn alerts_of(&self, system: &System) -> impl Iterator<Item = &Alert> {
        self.alerts
            .iter()
            .filter(move |a| &a.external.system == system)
    }
}

/// Draws from a stream of the tenant seed dedicated to one part of the generator.
pub(crate) fn stream(spec: &TenantSpec, part: u64) -> SeededRng {
    SeededRng::fork(spec.seed, part)
}

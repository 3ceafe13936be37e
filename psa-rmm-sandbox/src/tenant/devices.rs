//! Customers (PSA company <-> RMM sites) and their fleets (RMM devices <-> PSA configurations), with noise.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use psa_rmm_core::{Alert, AlertSeverity, Company, Device, DeviceKind, ExternalRef, Site, System};

use super::names::{self, LOCATIONS};
use super::{Noise, Tenant, TenantSpec, stream};
use crate::rng::SeededRng;

/// A fixed "now" so the tenant does not depend on when it is generated.
fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_793_491_200, 0).unwrap_or_default()
}

/// One RMM customer: a PSA company (or none, for internal sites) and its RMM sites on one system.
pub(super) struct Customer {
    psa: Option<ExternalRef>,
    system: System,
    rmm_company: Option<ExternalRef>,
    sites: Vec<ExternalRef>,
    code: String,
    weight: f64,
}

/// Generates PSA companies and sites, RMM companies and sites, and the company truth.
pub(super) fn customers(tenant: &mut Tenant, spec: &TenantSpec) -> Vec<Customer> {
    let mut rng = stream(spec, 1);
    let mut customers = Vec::new();
    let mut psa_site_id = 5_000u64;
    for index in 0..spec.companies {
        let name = names::company_name(&mut rng, index);
        let psa_ref = ExternalRef::new(System::CwManage, (250 + index).to_string());
        let psa_only = rng.chance(spec.noise.psa_only_company);
        let mut company = Company::new(psa_ref.clone(), name.full());
        company.identifier = Some(names::identifier(&name, index));
        company.domain = rng.chance(0.8).then(|| names::domain(&name, index));
        company.updated_at = Some(epoch() - Duration::days(rng.range(1, 900) as i64));
        if psa_only {
            company.types = vec![
                if rng.chance(0.6) {
                    "Prospect"
                } else {
                    "Client"
                }
                .into(),
            ];
            company.active = rng.chance(0.5);
            tenant
                .truth
                .noise
                .push((psa_ref.clone(), Noise::PsaOnlyCompany));
        } else {
            company.types = vec!["Client".into()];
        }
        company.status = Some(if company.active { "Active" } else { "Inactive" }.into());
        tenant.psa_companies.push(company);
        let mut main = Site::new(
            ExternalRef::new(System::CwManage, psa_site_id.to_string()),
            "Main",
        );
        main.company = Some(psa_ref.clone());
        tenant.psa_sites.push(main);
        psa_site_id += 1;
        if psa_only {
            continue;
        }
        let system = if rng.chance(spec.asio_share) {
            System::CwAsio
        } else {
            System::DattoRmm
        };
        let (customer_name, name_noise) =
            names::rmm_variant(&mut rng, &name, spec.noise.name_variant);
        let multi = rng.chance(spec.noise.multi_site);
        let site_count = if multi { rng.range(2, 4) } else { 1 };
        let coded = multi || rng.chance(spec.noise.location_coded_site);
        let first_location = rng.below(LOCATIONS.len());
        let rmm_company = (system == System::CwAsio).then(|| {
            let r = ExternalRef::new(System::CwAsio, rng.uuid());
            tenant
                .rmm_companies
                .push(Company::new(r.clone(), customer_name.clone()));
            tenant.truth.company_of.insert(r.clone(), psa_ref.clone());
            r
        });
        let mut sites = Vec::with_capacity(site_count);
        for n in 0..site_count {
            let (code, city) = LOCATIONS[(first_location + n) % LOCATIONS.len()];
            let site_name = match (coded, &rmm_company) {
                (true, _) => names::location_coded(&mut rng, &customer_name, code, n + 1),
                (false, None) => customer_name.clone(),
                (false, Some(_)) => if rng.chance(0.5) {
                    "Main Office"
                } else {
                    "Headquarters"
                }
                .into(),
            };
            let site_ref = ExternalRef::new(system.clone(), rng.uuid());
            let mut site = Site::new(site_ref.clone(), site_name);
            site.company = rmm_company.clone();
            tenant.rmm_sites.push(site);
            tenant
                .truth
                .company_of
                .insert(site_ref.clone(), psa_ref.clone());
            if coded {
                tenant
                    .truth
                    .noise
                    .push((site_ref.clone(), Noise::LocationCodedSite));
            }
            if multi {
                tenant
                    .truth
                    .noise
                    .push((site_ref.clone(), Noise::MultiSiteCompany));
                let mut psa_site = Site::new(
                    ExternalRef::new(System::CwManage, psa_site_id.to_string()),
                    city,
                );
                psa_site.company = Some(psa_ref.clone());
                tenant.psa_sites.push(psa_site);
                psa_site_id += 1;
            }
            sites.push(site_ref);
        }
        let customer_ref = rmm_company.clone().or_else(|| sites.first().cloned());
        if let Some(customer_ref) = customer_ref {
            let vendor_noise = if system == System::CwAsio {
                Noise::AsioCustomer
            } else {
                Noise::DattoCustomer
            };
            tenant
                .truth
                .noise
                .push((customer_ref.clone(), vendor_noise));
            if let Some(noise) = name_noise {
                tenant.truth.noise.push((customer_ref, noise));
            }
        }
        let weight = rng.unit() * rng.unit() * 20.0 + 0.5;
        customers.push(Customer {
            psa: Some(psa_ref),
            system,
            rmm_company,
            sites,
            code: hostname_code(&name.base),
            weight,
        });
    }
    internal_sites(tenant, spec, &mut rng, &mut customers);
    customers
}

/// Sites that belong to no PSA company: Datto's system sites and the MSP's own.
fn internal_sites(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    customers: &mut Vec<Customer>,
) {
    let mut add = |tenant: &mut Tenant, system: System, name: &str, system_site: bool| {
        let rmm_company = (system == System::CwAsio).then(|| {
            let r = ExternalRef::new(System::CwAsio, rng.uuid());
            tenant.rmm_companies.push(Company::new(r.clone(), name));
            tenant
                .truth
                .noise
                .push((r.clone(), Noise::UnmatchedRmmSite));
            r
        });
        let site_ref = ExternalRef::new(system.clone(), rng.uuid());
        let mut site = Site::new(site_ref.clone(), name);
        site.system_site = system_site;
        site.company = rmm_company.clone();
        tenant.rmm_sites.push(site);
        tenant
            .truth
            .noise
            .push((site_ref.clone(), Noise::UnmatchedRmmSite));
        (!system_site).then(|| Customer {
            psa: None,
            system,
            rmm_company,
            sites: vec![site_ref],
            code: "MSP".into(),
            weight: 0.3,
        })
    };
    if spec.asio_share < 1.0 {
        for system_site in ["Deleted Devices", "Managed", "OnDemand"] {
            add(tenant, System::DattoRmm, system_site, true);
        }
        customers.extend(add(
            tenant,
            System::DattoRmm,
            "Internal - MSP Office",
            false,
        ));
    }
    if spec.asio_share > 0.0 {
        customers.extend(add(tenant, System::CwAsio, "MSP Internal", false));
    }
}

fn hostname_code(base: &str) -> String {
    let code: String = base
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_ascii_alphabetic()))
        .chain(base.chars().filter(|c| c.is_ascii_alphabetic()).skip(1))
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase();
    if code.is_empty() { "PC".into() } else { code }
}

/// Per-generation counters that keep generated identifiers unique.
struct Counters {
    configuration: u64,
    mac: u32,
}

/// Generates every customer's devices, configurations and alerts.
pub(super) fn fleet(tenant: &mut Tenant, spec: &TenantSpec, customers: &[Customer]) {
    let mut rng = stream(spec, 2);
    let total_weight: f64 = customers.iter().map(|c| c.weight).sum();
    let mut counters = Counters {
        configuration: 10_000,
        mac: 0,
    };
    for (index, customer) in customers.iter().enumerate() {
        let share = if total_weight > 0.0 {
            customer.weight / total_weight
        } else {
            0.0
        };
        let count = ((spec.devices as f64 * share).round() as usize).max(1);
        let mut numbers = [0usize; 6];
        for _ in 0..count {
            let kind = draw_kind(&mut rng);
            let slot = kind_slot(&kind);
            numbers[slot] += 1;
            let number = numbers[slot];
            let ctx = MachineCtx {
                customer,
                customers,
                index,
                kind,
                number,
            };
            machine(tenant, spec, &mut rng, &mut counters, &ctx);
        }
    }
}

struct MachineCtx<'a> {
    customer: &'a Customer,
    customers: &'a [Customer],
    index: usize,
    kind: DeviceKind,
    number: usize,
}

fn draw_kind(rng: &mut SeededRng) -> DeviceKind {
    match rng.below(100) {
        0..=57 => DeviceKind::Workstation,
        58..=84 => DeviceKind::Laptop,
        85..=94 => DeviceKind::Server,
        95..=96 => DeviceKind::Hypervisor,
        97..=98 => DeviceKind::NetworkDevice,
        _ => DeviceKind::Printer,
    }
}

fn kind_slot(kind: &DeviceKind) -> usize {
    match kind {
        DeviceKind::Workstation => 0,
        DeviceKind::Laptop => 1,
        DeviceKind::Server => 2,
        DeviceKind::Hypervisor => 3,
        DeviceKind::NetworkDevice => 4,
        _ => 5,
    }
}

fn kind_tag(kind: &DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Workstation => "WS",
        DeviceKind::Laptop => "LT",
        DeviceKind::Server => "SRV",
        DeviceKind::Hypervisor => "HV",
        DeviceKind::NetworkDevice => "FW",
        _ => "PRN",
    }
}

/// The hardware of one machine as its RMM agent reports it.
struct Hardware {
    manufacturer: &'static str,
    model: &'static str,
    serial: String,
    uuid: String,
    macs: Vec<String>,
    vm: bool,
    os: Option<&'static str>,
}

const PHYSICAL_OUIS: &[&str] = &[
    "3c:97:0e", "8c:16:45", "00:e0:4c", "d4:81:d7", "9c:7b:ef", "f8:b4:6a", "b4:45:06", "54:bf:64",
    "a4:bb:6d", "e4:54:e8",
];
const WIFI_OUIS: &[&str] = &["ac:74:b1", "f4:8c:50", "70:1a:b8", "dc:21:5c"];
const VPN_MACS: &[&str] = &[
    "00:05:9a:3c:7a:00",
    "50:50:54:50:30:30",
    "02:50:41:00:00:01",
    "00:09:0f:fe:00:01",
    "20:41:53:59:4e:ff",
    "00:0b:ca:fe:00:00",
];
const PLACEHOLDER_SERIALS: &[&str] = &[
    "To Be Filled By O.E.M.",
    "System Serial Number",
    "Default string",
    "123456789",
    "1234567890",
    "0",
    "N/A",
    "None",
];
const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

/// A unique MAC under `oui`: the tail is a bijection of a global counter, so no two draws collide.
fn unique_mac(counters: &mut Counters, oui: &str) -> String {
    counters.mac = counters.mac.wrapping_add(1);
    let tail = counters.mac.wrapping_mul(0x9E_3779) & 0xFF_FFFF;
    format!(
        "{oui}:{:02x}:{:02x}:{:02x}",
        tail >> 16,
        (tail >> 8) & 0xFF,
        tail & 0xFF
    )
}

fn hardware(
    rng: &mut SeededRng,
    spec: &TenantSpec,
    counters: &mut Counters,
    kind: &DeviceKind,
) -> (Hardware, Vec<Noise>) {
    let mut noise = Vec::new();
    let vm = match kind {
        DeviceKind::Server => rng.chance(0.5),
        DeviceKind::Workstation => rng.chance(0.03),
        _ => false,
    };
    let uuid = rng.uuid().to_uppercase();
    let mut hw = if vm {
        noise.push(Noise::VirtualMachine);
        virtual_hardware(rng, counters, &uuid, kind)
    } else {
        physical_hardware(rng, counters, kind)
    };
    hw.uuid = uuid;
    let pc = matches!(
        kind,
        DeviceKind::Workstation | DeviceKind::Laptop | DeviceKind::Server
    );
    if pc && !vm && rng.chance(spec.noise.multi_nic) {
        let oui = rng.pick(WIFI_OUIS).copied().unwrap_or("ac:74:b1");
        hw.macs.push(unique_mac(counters, oui));
        noise.push(Noise::MultiNic);
    }
    if pc && rng.chance(spec.noise.vpn_mac) {
        hw.macs
            .push(rng.pick(VPN_MACS).copied().unwrap_or(VPN_MACS[0]).into());
        noise.push(Noise::VpnMac);
    }
    if pc && !vm && rng.chance(spec.noise.hyperv_mac_on_physical) {
        let tails = ["01:0a", "01:14", "00:64", "01:65"];
        let tail = rng.pick(&tails).copied().unwrap_or("01:0a");
        hw.macs
            .push(format!("00:15:5d:{tail}:{:02x}", rng.below(16)));
        noise.push(Noise::HyperVMacOnPhysical);
    }
    if pc && !vm && rng.chance(spec.noise.placeholder_serial) {
        hw.serial = rng
            .pick(PLACEHOLDER_SERIALS)
            .copied()
            .unwrap_or("Default string")
            .into();
        noise.push(Noise::PlaceholderSerial);
    }
    (hw, noise)
}

fn physical_hardware(rng: &mut SeededRng, counters: &mut Counters, kind: &DeviceKind) -> Hardware {
    let brand = rng.below(3);
    let (manufacturer, model, serial, os) = match (kind, brand) {
        (DeviceKind::NetworkDevice, _) => (
            "Fortinet",
            "FortiGate 60F",
            format!("FGT60F{}", rng.string_from(b"0123456789", 10)),
            None,
        ),
        (DeviceKind::Printer, _) => (
            "HP",
            "LaserJet Pro M404dn",
            format!("PHB{}", rng.string_from(ALNUM, 7)),
            None,
        ),
        (DeviceKind::Server | DeviceKind::Hypervisor, 0) => (
            "Dell Inc.",
            "PowerEdge R740",
            rng.string_from(ALNUM, 7),
            None,
        ),
        (DeviceKind::Server | DeviceKind::Hypervisor, _) => (
            "HPE",
            "ProLiant DL380 Gen10",
            format!("CZJ{}", rng.string_from(ALNUM, 7)),
            None,
        ),
        (DeviceKind::Laptop, 0) => (
            "Dell Inc.",
            "Latitude 5420",
            rng.string_from(ALNUM, 7),
            None,
        ),
        (DeviceKind::Laptop, 1) => (
            "HP",
            "EliteBook 840 G8",
            format!("5CG{}", rng.string_from(ALNUM, 7)),
            None,
        ),
        (DeviceKind::Laptop, _) => (
            "LENOVO",
            "ThinkPad T14 Gen 2",
            format!("PF{}", rng.string_from(ALNUM, 8)),
            None,
        ),
        (_, 0) => (
            "Dell Inc.",
            "OptiPlex 7090",
            rng.string_from(ALNUM, 7),
            None,
        ),
        (_, 1) => (
            "HP",
            "EliteDesk 800 G6",
            format!("MXL{}", rng.string_from(ALNUM, 7)),
            None,
        ),
        (_, _) => (
            "LENOVO",
            "ThinkCentre M720q",
            format!("MJ{}", rng.string_from(ALNUM, 8)),
            None,
        ),
    };
    let os = os.or(match kind {
        DeviceKind::Server | DeviceKind::Hypervisor => Some(if rng.chance(0.5) {
            "Microsoft Windows Server 2022 Standard"
        } else {
            "Microsoft Windows Server 2019 Standard"
        }),
        DeviceKind::Workstation | DeviceKind::Laptop => Some(if rng.chance(0.6) {
            "Microsoft Windows 11 Pro"
        } else {
            "Microsoft Windows 10 Pro"
        }),
        _ => None,
    });
    let oui = rng.pick(PHYSICAL_OUIS).copied().unwrap_or("3c:97:0e");
    Hardware {
        manufacturer,
        model,
        serial,
        uuid: String::new(),
        macs: vec![unique_mac(counters, oui)],
        vm: false,
        os,
    }
}

fn virtual_hardware(
    rng: &mut SeededRng,
    counters: &mut Counters,
    uuid: &str,
    kind: &DeviceKind,
) -> Hardware {
    let hex: String = uuid.chars().filter(char::is_ascii_hexdigit).collect();
    let os = if *kind == DeviceKind::Server {
        "Microsoft Windows Server 2022 Standard"
    } else {
        "Microsoft Windows 10 Enterprise"
    };
    if rng.chance(0.6) {
        let bytes: Vec<String> = hex
            .as_bytes()
            .chunks(2)
            .map(|c| String::from_utf8_lossy(c).to_lowercase())
            .collect();
        let serial = format!(
            "VMware-{}-{}",
            bytes.get(..8).unwrap_or_default().join(" "),
            bytes.get(8..).unwrap_or_default().join(" ")
        );
        Hardware {
            manufacturer: "VMware, Inc.",
            model: "VMware Virtual Platform",
            serial,
            uuid: String::new(),
            macs: vec![unique_mac(counters, "00:50:56")],
            vm: true,
            os: Some(os),
        }
    } else {
        let digits = rng.string_from(b"0123456789", 26);
        let serial = format!(
            "{}-{}-{}-{}-{}-{}-{}",
            &digits[0..4],
            &digits[4..8],
            &digits[8..12],
            &digits[12..16],
            &digits[16..20],
            &digits[20..24],
            &digits[24..26]
        );
        Hardware {
            manufacturer: "Microsoft Corporation",
            model: "Virtual Machine",
            serial,
            uuid: String::new(),
            macs: vec![unique_mac(counters, "00:15:5d")],
            vm: true,
            os: Some(os),
        }
    }
}

/// How a machine's RMM record and configuration diverge.
#[derive(Clone, Copy, PartialEq)]
enum Story {
    Plain,
    New,
    Renamed,
    Reimaged,
    Inactive,
    Moved,
}

fn draw_story(rng: &mut SeededRng, spec: &TenantSpec, internal: bool) -> Story {
    if internal {
        return Story::New;
    }
    let n = &spec.noise;
    let r = rng.unit();
    let mut edge = n.new_device;
    for (story, p) in [
        (Story::New, 0.0),
        (Story::Renamed, n.renamed),
        (Story::Reimaged, n.reimaged),
        (Story::Inactive, n.inactive_configuration),
        (Story::Moved, n.moved_device),
    ] {
        edge += p;
        if r < edge {
            return story;
        }
    }
    Story::Plain
}

fn machine(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    counters: &mut Counters,
    ctx: &MachineCtx<'_>,
) {
    let customer = ctx.customer;
    let (hw, hw_noise) = hardware(rng, spec, counters, &ctx.kind);
    let story = draw_story(rng, spec, customer.psa.is_none());
    let tag = kind_tag(&ctx.kind);
    let original_name = if matches!(ctx.kind, DeviceKind::Workstation) && rng.chance(0.04) {
        format!("DESKTOP-{}", rng.string_from(ALNUM, 7))
    } else {
        format!("{}-{tag}{:03}", customer.code, ctx.number)
    };
    let rmm_name = match story {
        Story::Renamed => format!("{}-{tag}{:03}R", customer.code, ctx.number + 500),
        Story::Reimaged => format!("DESKTOP-{}", rng.string_from(ALNUM, 7)),
        _ => original_name.clone(),
    };
    let host = Host {
        customer: if story == Story::Moved {
            moved_to(rng, ctx)
        } else {
            customer
        },
        name: rmm_name,
    };
    let device = rmm_device(rng, &hw, &ctx.kind, &host);
    let device_ref = device.external.clone();
    let site = device.site.clone();
    tenant.rmm_devices.push(device);
    let mut labels = hw_noise;
    match story {
        Story::New => {
            if customer.psa.is_some() {
                labels.push(Noise::NewDevice);
            }
        }
        Story::Plain => {}
        Story::Renamed => labels.push(Noise::Renamed),
        Story::Reimaged => labels.push(Noise::Reimaged),
        Story::Inactive => labels.push(Noise::InactiveConfiguration),
        Story::Moved => labels.push(Noise::MovedDevice),
    }
    if let (Some(psa), false) = (&customer.psa, story == Story::New) {
        let linked = match story {
            Story::Reimaged => Some(rng.uuid()),
            _ => Some(device_ref.id.clone()),
        };
        let sticky = rng.chance(spec.noise.sticky_link);
        if sticky {
            labels.push(Noise::StickyLink);
        }
        let config = configuration(
            tenant,
            spec,
            rng,
            counters,
            &hw,
            &ctx.kind,
            psa,
            &original_name,
            story == Story::Inactive,
            linked.filter(|_| sticky),
        );
        tenant
            .truth
            .configuration_of
            .insert(device_ref.clone(), config);
    }
    for label in labels {
        tenant.truth.noise.push((device_ref.clone(), label));
    }
    alerts(tenant, spec, rng, (&device_ref, site), &host);
    if hw.vm && customer.psa.is_some() && rng.chance(spec.noise.cloned_vm) {
        clone_vm(tenant, spec, rng, counters, ctx, &hw);
    }
    if customer.psa.is_some() && rng.chance(spec.noise.stale_configuration) {
        stale(tenant, spec, rng, counters, ctx);
    }
}

/// Where an RMM device lives and what it is called there.
struct Host<'a> {
    customer: &'a Customer,
    name: String,
}

fn moved_to<'a>(rng: &mut SeededRng, ctx: &MachineCtx<'a>) -> &'a Customer {
    let candidates = ctx.customers.len();
    let start = rng.below(candidates);
    (0..candidates)
        .map(|i| (start + i) % candidates)
        .filter(|i| *i != ctx.index)
        .filter_map(|i| ctx.customers.get(i))
        .find(|c| c.system == ctx.customer.system && c.psa.is_some())
        .unwrap_or(ctx.customer)
}

fn rmm_device(rng: &mut SeededRng, hw: &Hardware, kind: &DeviceKind, host: &Host<'_>) -> Device {
    let customer = host.customer;
    let site = rng.pick(&customer.sites).cloned();
    let mut device = Device::new(ExternalRef::new(customer.system.clone(), rng.uuid()));
    device.company = customer.rmm_company.clone().or_else(|| site.clone());
    device.site = site;
    device.hostname = Some(host.name.clone());
    device.kind = kind.clone();
    device.type_name = Some(
        match kind {
            DeviceKind::Laptop => "Laptop",
            DeviceKind::Server | DeviceKind::Hypervisor => "Server",
            DeviceKind::NetworkDevice => "Network Device",
            DeviceKind::Printer => "Printer",
            _ => "Desktop",
        }
        .into(),
    );
    device.serial_number = Some(hw.serial.clone());
    device.hardware_uuid = Some(hw.uuid.clone());
    device.mac_addresses = hw.macs.clone();
    device.ip_address = Some(format!(
        "192.168.{}.{}",
        rng.range(0, 20),
        rng.range(2, 254)
    ));
    device.manufacturer = Some(hw.manufacturer.into());
    device.model = Some(hw.model.into());
    device.os = hw.os.map(Into::into);
    device.last_user = hw.os.map(|_| {
        let user = rng.string_from(b"abcdefghijklmnopqrstuvwxyz", 6);
        format!("{}\\{user}", customer.code)
    });
    device.last_seen = Some(epoch() - Duration::minutes(rng.range(0, 60 * 24 * 30) as i64));
    device.virtual_machine = Some(hw.vm);
    device.updated_at = device.last_seen;
    device
}

#[allow(clippy::too_many_arguments)]
fn configuration(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    counters: &mut Counters,
    hw: &Hardware,
    kind: &DeviceKind,
    psa: &ExternalRef,
    hostname: &str,
    inactive: bool,
    linked_id: Option<String>,
) -> ExternalRef {
    counters.configuration += 1;
    let external = ExternalRef::new(System::CwManage, counters.configuration.to_string());
    let mut config = Device::new(external.clone());
    config.company = Some(psa.clone());
    config.hostname = Some(hostname.into());
    config.kind = kind.clone();
    config.type_name = Some(
        match (kind, hw.vm) {
            (DeviceKind::Laptop, _) => "Managed Laptop",
            (DeviceKind::Server, true) => "Virtual Server",
            (DeviceKind::Server | DeviceKind::Hypervisor, _) => "Managed Server",
            (DeviceKind::NetworkDevice, _) => "Network Device",
            (DeviceKind::Printer, _) => "Printer",
            _ => "Managed Workstation",
        }
        .into(),
    );
    let mut labels = Vec::new();
    let reformat = rng.chance(spec.noise.format_variant);
    config.serial_number = Some(if reformat && !hw.vm {
        labels.push(Noise::FormatVariant);
        format!(" {} ", hw.serial.to_lowercase())
    } else {
        hw.serial.clone()
    });
    config.mac_addresses = if hw.macs.len() > 1 && rng.chance(spec.noise.concatenated_mac_field) {
        labels.push(Noise::ConcatenatedMacField);
        vec![hw.macs.join(", ")]
    } else if reformat {
        hw.macs
            .iter()
            .take(1)
            .map(|m| m.replace(':', "-").to_uppercase())
            .collect()
    } else {
        hw.macs.iter().take(1).cloned().collect()
    };
    config.manufacturer = Some(hw.manufacturer.into());
    config.model = Some(hw.model.into());
    config.os = hw.os.map(Into::into);
    config.ip_address = None;
    config.warranty_expires = (!hw.vm)
        .then(|| {
            NaiveDate::from_ymd_opt(
                2025 + rng.range(0, 4) as i32,
                1 + rng.range(0, 11) as u32,
                1,
            )
        })
        .flatten();
    config.virtual_machine = None;
    config.active = !inactive;
    config.linked_id = linked_id;
    config.updated_at = Some(epoch() - Duration::days(rng.range(1, 700) as i64));
    tenant.psa_configurations.push(config);
    for label in labels {
        tenant.truth.noise.push((external.clone(), label));
    }
    external
}

fn clone_vm(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    counters: &mut Counters,
    ctx: &MachineCtx<'_>,
    original: &Hardware,
) {
    let customer = ctx.customer;
    let oui = if original.manufacturer.starts_with("VMware") {
        "00:50:56"
    } else {
        "00:15:5d"
    };
    let hw = Hardware {
        manufacturer: original.manufacturer,
        model: original.model,
        serial: original.serial.clone(),
        uuid: original.uuid.clone(),
        macs: vec![unique_mac(counters, oui)],
        vm: true,
        os: original.os,
    };
    let name = format!("{}-VM{:03}C", customer.code, ctx.number);
    let host = Host {
        customer,
        name: name.clone(),
    };
    let device = rmm_device(rng, &hw, &ctx.kind, &host);
    let device_ref = device.external.clone();
    tenant.rmm_devices.push(device);
    tenant
        .truth
        .noise
        .push((device_ref.clone(), Noise::ClonedVm));
    tenant
        .truth
        .noise
        .push((device_ref.clone(), Noise::VirtualMachine));
    if let Some(psa) = &customer.psa {
        let config = configuration(
            tenant, spec, rng, counters, &hw, &ctx.kind, psa, &name, false, None,
        );
        tenant.truth.configuration_of.insert(device_ref, config);
    }
}

fn stale(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    counters: &mut Counters,
    ctx: &MachineCtx<'_>,
) {
    let Some(psa) = &ctx.customer.psa else {
        return;
    };
    let kind = draw_kind(rng);
    let (hw, _) = hardware(rng, spec, counters, &kind);
    let name = format!(
        "{}-{}{:03}OLD",
        ctx.customer.code,
        kind_tag(&kind),
        ctx.number
    );
    let linked = rng.chance(spec.noise.sticky_link).then(|| rng.uuid());
    let config = configuration(
        tenant, spec, rng, counters, &hw, &kind, psa, &name, false, linked,
    );
    tenant.truth.noise.push((config, Noise::StaleConfiguration));
}

const ALERT_KINDS: &[(&str, &str)] = &[
    (
        "online_offline_status",
        "Device has been offline for more than 15 minutes",
    ),
    ("perf_disk_usage", "Disk C: free space below 10%"),
    ("antivirus_status", "Antivirus definitions out of date"),
    ("patch_status", "Critical patches missing"),
    ("service_status", "Service 'Spooler' stopped"),
    ("event_log", "Event 41 Kernel-Power logged"),
];

fn alerts(
    tenant: &mut Tenant,
    spec: &TenantSpec,
    rng: &mut SeededRng,
    (device, site): (&ExternalRef, Option<ExternalRef>),
    host: &Host<'_>,
) {
    for resolved in [false, true] {
        let p = if resolved {
            spec.noise.resolved_alert
        } else {
            spec.noise.open_alert
        };
        if !rng.chance(p) {
            continue;
        }
        let (category, message) = rng.pick(ALERT_KINDS).copied().unwrap_or(ALERT_KINDS[0]);
        let severity = match rng.below(4) {
            0 => AlertSeverity::Critical,
            1 => AlertSeverity::High,
            2 => AlertSeverity::Moderate,
            _ => AlertSeverity::Low,
        };
        let raised_at = epoch() - Duration::minutes(rng.range(5, 60 * 24 * 7) as i64);
        let alert_ref = ExternalRef::new(device.system.clone(), rng.uuid());
        tenant.alerts.push(Alert {
            external: alert_ref.clone(),
            company: host
                .customer
                .rmm_company
                .clone()
                .or_else(|| host.customer.sites.first().cloned()),
            site: site.clone(),
            device: Some(device.clone()),
            device_name: Some(host.name.clone()),
            severity,
            category: Some(category.into()),
            message: message.into(),
            raised_at: Some(raised_at),
            resolved,
            resolved_at: resolved.then(|| raised_at + Duration::minutes(rng.range(1, 600) as i64)),
        });
        let label = if resolved {
            Noise::ResolvedAlert
        } else {
            Noise::OpenAlert
        };
        tenant.truth.noise.push((alert_ref, label));
    }
}

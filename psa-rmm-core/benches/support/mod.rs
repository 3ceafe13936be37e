//! Deterministic generator of realistic, noisy RMM/PSA data for the matching benchmarks.

use psa_rmm_core::matching::CompanyScope;
use psa_rmm_core::{Company, Device, ExternalRef, Site, System};

/// SplitMix64: small, fast, deterministic; no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A generated tenant: RMM devices and PSA configurations with their site -> company scope.
pub struct Fleet {
    pub rmm: Vec<Device>,
    pub psa: Vec<Device>,
    pub scope: CompanyScope,
}

const MAKERS: [&str; 5] = [
    "Dell Inc.",
    "HP",
    "Hewlett-Packard",
    "LENOVO",
    "Microsoft Corporation",
];
const PLACEHOLDERS: [&str; 5] = [
    "To Be Filled By O.E.M.",
    "Default string",
    "0",
    "System Serial Number",
    "N/A",
];
const SHARED_MACS: [&str; 3] = [
    "00:05:9A:3C:7A:00",
    "20-41-53-59-4E-FF",
    "02:50:41:00:00:01",
];

fn hex_pairs(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| format!("{:02x}", rng.below(256)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn mac(oui: u32, serial: u64) -> String {
    format!(
        "{:02X}-{:02X}-{:02X}-{:02X}-{:02X}-{:02X}",
        (oui >> 16) & 0xff,
        (oui >> 8) & 0xff,
        oui & 0xff,
        (serial >> 16) & 0xff,
        (serial >> 8) & 0xff,
        serial & 0xff
    )
}

/// `devices` RMM devices spread over `companies` companies (one RMM site each), and about as many PSA
/// configurations, with the noise MSP data has: placeholder and OEM-default serials, VM serials (some cloned),
/// shared VPN/WAN-miniport MACs, Hyper-V dynamic MACs that collide across companies, several NICs, renamed
/// and re-imaged machines, moved and retired devices, sticky links.
pub fn fleet(devices: usize, companies: usize, seed: u64) -> Fleet {
    let mut rng = Rng::new(seed);
    let mut scope = CompanyScope::new();
    for c in 0..companies {
        scope.insert(
            ExternalRef::new(System::DattoRmm, format!("site-{c}")),
            ExternalRef::new(System::CwManage, format!("{}", 1000 + c)),
        );
    }
    let mut rmm = Vec::with_capacity(devices);
    let mut psa = Vec::with_capacity(devices);
    let ouis = [
        0x3C5282u32,
        0x001422,
        0x00215A,
        0xF8BC12,
        0x98E743,
        0x00E04C,
    ];
    for n in 0..devices {
        let c = n % companies;
        let id = format!("{:08x}-{n:06}", rng.next() as u32);
        let mut d = Device::new(ExternalRef::new(System::DattoRmm, id.clone()));
        d.site = Some(ExternalRef::new(System::DattoRmm, format!("site-{c}")));
        let vm = rng.chance(8);
        d.virtual_machine = Some(vm);
        d.manufacturer = Some(if vm {
            "VMware, Inc.".into()
        } else {
            (*rng.pick(&MAKERS)).into()
        });
        d.serial_number = match rng.below(100) {
            _ if vm && rng.chance(10) => Some(format!(
                "VMware-42 1c 2b 3a {}-{}",
                hex_pairs(&mut Rng::new(c as u64), 4),
                hex_pairs(&mut Rng::new(c as u64 + 7), 8)
            )),
            _ if vm => Some(format!(
                "VMware-{}-{}",
                hex_pairs(&mut rng, 8),
                hex_pairs(&mut rng, 8)
            )),
            0..=2 => Some((*rng.pick(&PLACEHOLDERS)).into()),
            3 => Some("123456790".into()),
            4..=6 => None,
            _ => Some(format!("5CD{:07X}", n * 7 + 3)),
        };
        let nics = 1 + rng.below(3);
        for k in 0..nics {
            let oui = *rng.pick(&ouis);
            d.mac_addresses.push(mac(oui, (n as u64) * 4 + k));
        }
        if rng.chance(30) {
            d.mac_addresses.push((*rng.pick(&SHARED_MACS)).into());
        }
        if vm || rng.chance(10) {
            // Hyper-V dynamic pool: 00:15:5D + IP tail + counter; collides across companies.
            d.mac_addresses
                .push(format!("00:15:5d:01:0a:{:02x}", rng.below(64)));
        }
        d.hostname = Some(if rng.chance(4) {
            format!("DESKTOP-{:07X}", rng.below(0xFFF_FFFF))
        } else {
            format!("C{c}-PC{:04}", n / companies)
        });
        let config = configuration(&mut rng, &d, n, c, companies);
        rmm.push(d);
        if let Some(cfg) = config {
            psa.push(cfg);
        }
    }
    // Retired machines and ones the RMM never saw, to bring the PSA side to about the same size.
    let mut extra = 0usize;
    while psa.len() < devices {
        let c = extra % companies;
        let mut cfg = Device::new(ExternalRef::new(System::CwManage, format!("r{extra}")));
        cfg.company = Some(ExternalRef::new(System::CwManage, format!("{}", 1000 + c)));
        cfg.serial_number = Some(format!("RET{extra:08}"));
        cfg.hostname = Some(format!("C{c}-OLD{extra}"));
        cfg.mac_addresses = vec![mac(0x0024E8, 1_000_000 + extra as u64)];
        cfg.active = rng.chance(50);
        psa.push(cfg);
        extra += 1;
    }
    Fleet { rmm, psa, scope }
}

/// The PSA configuration of an RMM device, with PSA-side noise, or none (new machine).
fn configuration(
    rng: &mut Rng,
    d: &Device,
    n: usize,
    c: usize,
    companies: usize,
) -> Option<Device> {
    if rng.chance(10) {
        return None;
    }
    let mut cfg = Device::new(ExternalRef::new(
        System::CwManage,
        format!("{}", 500_000 + n),
    ));
    let company = if rng.chance(2) {
        (c + 1) % companies
    } else {
        c
    };
    cfg.company = Some(ExternalRef::new(
        System::CwManage,
        format!("{}", 1000 + company),
    ));
    cfg.manufacturer = d.manufacturer.clone();
    cfg.serial_number = if rng.chance(5) {
        None
    } else {
        d.serial_number.clone()
    };
    // Manage holds one MAC field; RMM integrations write several into it, in any format.
    cfg.mac_addresses = vec![
        d.mac_addresses
            .iter()
            .map(|m| m.to_lowercase().replace('-', ":"))
            .collect::<Vec<_>>()
            .join(", "),
    ];
    cfg.hostname = if rng.chance(10) {
        Some(format!("C{c}-RENAMED{n}"))
    } else {
        d.hostname.clone()
    };
    cfg.active = !rng.chance(3);
    if rng.chance(5) {
        cfg.linked_id = Some(d.external.id.clone());
    }
    Some(cfg)
}

const SYLLABLES: [&str; 32] = [
    "ka", "lo", "mer", "dan", "vi", "ost", "bel", "ri", "tor", "sen", "ax", "qu", "lin", "mo",
    "pra", "hel", "ven", "dor", "is", "tek", "nor", "sul", "ga", "bri", "fen", "zo", "cal", "rum",
    "pe", "sta", "wex", "yl",
];
const TRADES: [&str; 16] = [
    "Plumbing",
    "Dental",
    "Legal",
    "Accounting",
    "Construction",
    "Logistics",
    "Bakery",
    "Consulting",
    "Motors",
    "Insurance",
    "Realty",
    "Clinic",
    "Foods",
    "Engineering",
    "Design",
    "Services",
];
const SUFFIXES: [&str; 8] = ["Ltd", "LLC", "Inc.", "GmbH", "B.V.", "Pty Ltd", "", ""];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| *rng.pick(&SYLLABLES)).collect();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

fn typo(rng: &mut Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let i = 1 + rng.below(chars.len().saturating_sub(3) as u64) as usize;
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

/// `n` PSA companies and `n` RMM sites whose names relate the way real ones do: equal, different legal
/// suffix or "&"/"and", upper case, a typo, a location tag, numbered branches, or no counterpart at all.
pub fn names(n: usize, seed: u64) -> (Vec<Site>, Vec<Company>) {
    let mut rng = Rng::new(seed);
    let mut psa = Vec::with_capacity(n);
    let mut sites = Vec::with_capacity(n);
    for i in 0..n {
        let name = if i % 50 == 0 {
            format!("Quickstop Store {}", i / 50)
        } else if rng.chance(30) {
            format!(
                "{} & {} {}",
                word(&mut rng),
                word(&mut rng),
                rng.pick(&TRADES)
            )
        } else {
            format!("{} {}", word(&mut rng), rng.pick(&TRADES))
        };
        let suffix = *rng.pick(&SUFFIXES);
        let mut company = Company::new(
            ExternalRef::new(System::CwManage, format!("{}", 10_000 + i)),
            format!("{name} {suffix}").trim().to_owned(),
        );
        company.active = !rng.chance(3);
        psa.push(company);
        let rmm_name = match rng.below(100) {
            0..=34 => name.clone(),
            35..=49 => format!("{} {}", name.replace('&', "and"), rng.pick(&SUFFIXES))
                .trim()
                .to_owned(),
            50..=59 => name.to_uppercase(),
            60..=74 => typo(&mut rng, &name),
            75..=84 => format!("{name} - HQ"),
            _ => format!("{} {}", word(&mut rng), rng.pick(&TRADES)),
        };
        sites.push(Site::new(
            ExternalRef::new(System::DattoRmm, format!("site-{i}")),
            rmm_name,
        ));
    }
    (sites, psa)
}

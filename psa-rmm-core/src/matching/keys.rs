//! Device identity keys and the tenant-wide hash indexes over PSA configurations that device matching and
//! device overlap share.

use super::hash::FxMap;
use crate::model::{Device, ExternalRef};
use crate::normalize::hostname::Hostname;
use crate::normalize::mac::{MacAddress, MacClass, parse_mac_list};
use crate::normalize::serial::{SerialClass, SerialNumber};

use super::MatchPolicy;

/// Company slot of a configuration without a company.
pub(crate) const NO_COMPANY: u32 = u32::MAX;

/// A valid physical serial agreed.
pub(crate) const SERIAL: u8 = 1;
/// A virtual-machine serial agreed.
pub(crate) const VIRTUAL_SERIAL: u8 = 2;
/// A physical MAC agreed.
pub(crate) const MAC: u8 = 4;
/// A hypervisor MAC agreed.
pub(crate) const VIRTUAL_MAC: u8 = 8;
/// The short host name agreed.
pub(crate) const HOSTNAME: u8 = 16;
/// Keys strong enough to link alone, or to report a move.
pub(crate) const STRONG: u8 = SERIAL | MAC;

/// The identity keys of one device or configuration, junk removed, every value interned to a number.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    /// Serial id and whether it is a valid physical serial (false: virtual machine serial).
    pub serial: Option<(u32, bool)>,
    /// Folded manufacturer id, to scope serials.
    pub maker: Option<u32>,
    /// MAC ids and whether each is physical (false: hypervisor OUI).
    pub macs: MacSet,
    /// Short host name id, placeholders removed.
    pub hostname: Option<u32>,
}

/// The MAC ids of one record: the first three inline, since most machines have one to three adapters and a
/// run holds hundreds of thousands of records.
#[derive(Debug, Default)]
pub(crate) struct MacSet {
    inline: [(u32, bool); 3],
    len: u8,
    spill: Vec<(u32, bool)>,
}

impl MacSet {
    fn push(&mut self, mac: (u32, bool)) {
        match self.inline.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = mac;
                self.len += 1;
            }
            None => self.spill.push(mac),
        }
    }

    /// (MAC id, physical) pairs.
    pub fn iter(&self) -> impl Iterator<Item = &(u32, bool)> {
        self.inline[..usize::from(self.len)]
            .iter()
            .chain(&self.spill)
    }

    fn retain(&mut self, keep: impl Fn(&(u32, bool)) -> bool) {
        if self.iter().all(&keep) {
            return;
        }
        let kept: Vec<(u32, bool)> = self.iter().copied().filter(|m| keep(m)).collect();
        *self = Self::default();
        for mac in kept {
            self.push(mac);
        }
    }
}

/// Gives every distinct value a dense number, so indexes are arrays and keys compare as integers.
struct Interner<K> {
    ids: FxMap<K, u32>,
}

impl<K: std::hash::Hash + Eq> Interner<K> {
    fn with_capacity(capacity: usize) -> Self {
        let mut ids = FxMap::default();
        ids.reserve(capacity);
        Self { ids }
    }

    fn id(&mut self, key: K) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(key).or_insert(next)
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

impl Interner<String> {
    /// Like `id`, without allocating when the value is known already (the common case on the second side).
    fn id_str(&mut self, key: &str) -> u32 {
        match self.ids.get(key) {
            Some(id) => *id,
            None => self.id(key.to_owned()),
        }
    }
}

/// Extracts keys, interning their values across both sides. Manufacturer and model strings repeat across a
/// fleet, so what is derived from them is computed once per distinct string.
struct KeyMaker<'d> {
    serials: Interner<String>,
    makers: Interner<String>,
    macs: Interner<MacAddress>,
    hostnames: Interner<String>,
    maker_of: FxMap<&'d str, Option<u32>>,
    serial_of: FxMap<&'d str, Option<u32>>,
}

impl<'d> KeyMaker<'d> {
    /// Sized for `records` records, so the tables never grow (and rehash) during a run.
    fn new(records: usize) -> Self {
        Self {
            serials: Interner::with_capacity(records),
            makers: Interner::with_capacity(16),
            macs: Interner::with_capacity(records * 2),
            hostnames: Interner::with_capacity(records),
            maker_of: FxMap::default(),
            serial_of: FxMap::default(),
        }
    }

    /// The serial id a model or manufacturer string would have: a serial equal to it is an OEM fill-in.
    fn serial_id_of(&mut self, raw: &'d str) -> Option<u32> {
        if let Some(id) = self.serial_of.get(raw) {
            return *id;
        }
        let id = SerialNumber::parse(raw).map(|s| self.serials.id_str(s.key()));
        self.serial_of.insert(raw, id);
        id
    }

    fn maker_id(&mut self, raw: &'d str) -> Option<u32> {
        if let Some(id) = self.maker_of.get(raw) {
            return *id;
        }
        let id = fold_maker(raw).map(|m| self.makers.id(m));
        self.maker_of.insert(raw, id);
        id
    }

    fn keys(&mut self, device: &'d Device) -> Keys {
        let mut serial = device
            .serial_number
            .as_deref()
            .and_then(SerialNumber::parse)
            .and_then(|s| {
                let strong = match s.class() {
                    SerialClass::Valid => true,
                    SerialClass::Virtual(_) => false,
                    SerialClass::Placeholder => return None,
                };
                Some((self.serials.id_str(s.key()), strong))
            });
        if let Some((id, _)) = serial {
            let fill_ins = [device.model.as_deref(), device.manufacturer.as_deref()];
            if fill_ins
                .into_iter()
                .flatten()
                .any(|raw| self.serial_id_of(raw) == Some(id))
            {
                serial = None;
            }
        }
        let physical_machine = device.virtual_machine == Some(false);
        let mut macs = MacSet::default();
        for field in &device.mac_addresses {
            for mac in parse_mac_list(field).0 {
                let strong = match mac.class() {
                    MacClass::Physical => true,
                    // On a machine the RMM calls physical, a hypervisor MAC is a host-side virtual switch.
                    MacClass::Virtual(_) if !physical_machine => false,
                    _ => continue,
                };
                let id = self.macs.id(mac);
                if !macs.iter().any(|(m, _)| *m == id) {
                    macs.push((id, strong));
                }
            }
        }
        let hostname = device
            .hostname
            .as_deref()
            .and_then(Hostname::parse)
            .filter(|h| !h.is_placeholder())
            .map(|h| self.hostnames.id_str(h.key()));
        let maker = device
            .manufacturer
            .as_deref()
            .and_then(|m| self.maker_id(m));
        Keys {
            serial,
            maker,
            macs,
            hostname,
        }
    }
}

/// First word of a manufacturer name, folded, with the one alias that matters (HP / Hewlett-Packard).
fn fold_maker(name: &str) -> Option<String> {
    let first = name
        .split(|c: char| !c.is_alphanumeric())
        .find(|t| !t.is_empty())?
        .to_lowercase();
    Some(match first.as_str() {
        "hewlett" | "hpe" => "hp".to_owned(),
        _ => first,
    })
}

/// True when two serials may name the same machine by their manufacturers (unknown on either side: yes).
fn makers_agree(a: &Keys, b: &Keys) -> bool {
    match (a.maker, b.maker) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// True when both sides hold serials of the same class that differ: one machine has one serial.
fn serial_veto(a: &Keys, b: &Keys) -> bool {
    match (a.serial, b.serial) {
        (Some((x, xs)), Some((y, ys))) => xs == ys && x != y && makers_agree(a, b),
        _ => false,
    }
}

/// How many records of one side hold each value, and whether they span more than one company. A value held
/// by `threshold` records or more across two or more companies is junk in this data set even if no list knows
/// it (new OEM placeholders, unknown shared VPN MACs).
struct Frequency {
    /// (count, first company, seen in another company) per value id.
    spread: Vec<(u32, u32, bool)>,
}

impl Frequency {
    fn new(values: usize) -> Self {
        Self {
            spread: vec![(0, NO_COMPANY, false); values],
        }
    }

    fn add(&mut self, value: u32, company: u32) {
        if let Some((count, first, multi)) = self.spread.get_mut(value as usize) {
            if *count == 0 {
                *first = company;
            }
            *count += 1;
            *multi |= *first != company;
        }
    }

    fn mark_junk(&self, threshold: usize, junk: &mut [bool]) {
        for (flag, (count, _, multi)) in junk.iter_mut().zip(&self.spread) {
            *flag |= *multi && *count as usize >= threshold;
        }
    }
}

/// Slots per value id, in one flat array (no allocation per value). Each entry is (scope, slot), sorted, so
/// the entries of one scope (company) form a contiguous run.
struct Postings {
    start: Vec<u32>,
    entries: Vec<(u32, u32)>,
}

impl Postings {
    /// Builds from (value id, scope, slot) triples; `values` is the number of value ids.
    fn new(mut triples: Vec<(u32, u32, u32)>, values: usize) -> Self {
        triples.sort_unstable();
        let mut start = vec![0u32; values + 1];
        for (v, _, _) in &triples {
            if let Some(s) = start.get_mut(*v as usize + 1) {
                *s += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        Self {
            start,
            entries: triples
                .into_iter()
                .map(|(_, scope, slot)| (scope, slot))
                .collect(),
        }
    }

    fn get(&self, value: u32) -> &[(u32, u32)] {
        let v = value as usize;
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(&a), Some(&b)) => self.entries.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn get_in(&self, value: u32, scope: u32) -> &[(u32, u32)] {
        let all = self.get(value);
        let from = all.partition_point(|(s, _)| *s < scope);
        let to = all.partition_point(|(s, _)| *s <= scope);
        &all[from..to]
    }
}

/// One PSA configuration, prepared.
pub(crate) struct Config<'a> {
    pub device: &'a Device,
    pub keys: Keys,
    pub company: u32,
}

/// Tenant-wide indexes over PSA configurations.
pub(crate) struct Index<'a> {
    pub configs: Vec<Config<'a>>,
    pub company_ids: FxMap<&'a ExternalRef, u32>,
    serials: Postings,
    macs: Postings,
    hostnames: Postings,
}

impl<'a> Index<'a> {
    /// Indexes `psa` configurations and returns the keys of the `rmm` devices (same order). Values the
    /// frequency rule finds to be junk on either side are removed from both sides' keys.
    pub fn new(rmm: &[Device], psa: &'a [Device], policy: &MatchPolicy) -> (Self, Vec<Keys>) {
        let mut maker = KeyMaker::new(rmm.len() + psa.len());
        let mut company_ids: FxMap<&'a ExternalRef, u32> = FxMap::default();
        let mut configs = Vec::with_capacity(psa.len());
        for device in psa {
            let company = match &device.company {
                Some(c) => {
                    let next = u32::try_from(company_ids.len()).unwrap_or(NO_COMPANY - 1);
                    *company_ids.entry(c).or_insert(next)
                }
                None => NO_COMPANY,
            };
            configs.push(Config {
                device,
                keys: maker.keys(device),
                company,
            });
        }
        let mut owners: Interner<&ExternalRef> = Interner::with_capacity(64);
        let mut rmm_keys: Vec<(Keys, u32)> = rmm
            .iter()
            .map(|d| {
                let owner = d
                    .site
                    .as_ref()
                    .or(d.company.as_ref())
                    .map_or(NO_COMPANY, |o| owners.id(o));
                (maker.keys(d), owner)
            })
            .collect();
        scrub_junk(&maker, &mut configs, &mut rmm_keys, policy.serial_frequency);
        let index = Self::build(configs, company_ids, &maker);
        (index, rmm_keys.into_iter().map(|(k, _)| k).collect())
    }

    fn build(
        configs: Vec<Config<'a>>,
        company_ids: FxMap<&'a ExternalRef, u32>,
        maker: &KeyMaker,
    ) -> Self {
        let mut serials = Vec::with_capacity(configs.len());
        let mut macs = Vec::with_capacity(configs.len() * 2);
        let mut hostnames = Vec::with_capacity(configs.len());
        for (j, c) in configs.iter().enumerate() {
            let j = u32::try_from(j).unwrap_or(u32::MAX);
            if let Some((s, _)) = c.keys.serial {
                serials.push((s, 0, j));
            }
            macs.extend(c.keys.macs.iter().map(|(m, _)| (*m, 0, j)));
            if let Some(h) = c.keys.hostname
                && c.company != NO_COMPANY
            {
                hostnames.push((h, c.company, j));
            }
        }
        Self {
            configs,
            company_ids,
            serials: Postings::new(serials, maker.serials.len()),
            macs: Postings::new(macs, maker.macs.len()),
            hostnames: Postings::new(hostnames, maker.hostnames.len()),
        }
    }

    /// Every configuration sharing a key with `keys`, with the keys that agree (bit set of the constants
    /// above). Serial and MAC hits are tenant-wide; host names only inside `company`. Serial vetoes and
    /// manufacturer scope already applied. Sorted by configuration slot.
    /// `hits` is cleared first (a buffer reused across devices).
    pub fn hits(&self, keys: &Keys, company: u32, hits: &mut Vec<(u32, u8)>) {
        hits.clear();
        let mut add = |j: u32, flag: u8| match hits.iter_mut().find(|(k, _)| *k == j) {
            Some((_, f)) => *f |= flag,
            None => hits.push((j, flag)),
        };
        if let Some((s, strong)) = keys.serial {
            for &(_, j) in self.serials.get(s) {
                let other = &self.configs[j as usize].keys;
                let same_class = other.serial.is_some_and(|(_, o)| o == strong);
                if same_class && makers_agree(keys, other) {
                    add(j, if strong { SERIAL } else { VIRTUAL_SERIAL });
                }
            }
        }
        for &(m, strong) in keys.macs.iter() {
            for &(_, j) in self.macs.get(m) {
                let other_strong = self.configs[j as usize]
                    .keys
                    .macs
                    .iter()
                    .any(|(o, s)| *o == m && *s);
                add(
                    j,
                    if strong && other_strong {
                        MAC
                    } else {
                        VIRTUAL_MAC
                    },
                );
            }
        }
        if let Some(h) = keys.hostname
            && company != NO_COMPANY
        {
            for &(_, j) in self.hostnames.get_in(h, company) {
                add(j, HOSTNAME);
            }
        }
        // Different serials of the same class: a different machine, whatever else agrees (a dock's MAC).
        hits.retain(|(j, _)| !serial_veto(keys, &self.configs[*j as usize].keys));
        hits.sort_unstable_by_key(|(j, _)| *j);
    }
}

/// Applies the frequency rule per side and removes the junk values from every key.
fn scrub_junk(
    maker: &KeyMaker,
    configs: &mut [Config<'_>],
    rmm: &mut [(Keys, u32)],
    threshold: usize,
) {
    let mut junk_serials = vec![false; maker.serials.len()];
    let mut junk_macs = vec![false; maker.macs.len()];
    let sides: [Vec<(&Keys, u32)>; 2] = [
        configs.iter().map(|c| (&c.keys, c.company)).collect(),
        rmm.iter().map(|(k, o)| (k, *o)).collect(),
    ];
    for side in &sides {
        let mut serials = Frequency::new(junk_serials.len());
        let mut macs = Frequency::new(junk_macs.len());
        for (keys, company) in side {
            if let Some((s, _)) = keys.serial {
                serials.add(s, *company);
            }
            for (m, _) in keys.macs.iter() {
                macs.add(*m, *company);
            }
        }
        serials.mark_junk(threshold, &mut junk_serials);
        macs.mark_junk(threshold, &mut junk_macs);
    }
    drop(sides);
    let is_junk = |flags: &[bool], id: u32| flags.get(id as usize).copied().unwrap_or(false);
    let all = configs
        .iter_mut()
        .map(|c| &mut c.keys)
        .chain(rmm.iter_mut().map(|(k, _)| k));
    for keys in all {
        if keys.serial.is_some_and(|(s, _)| is_junk(&junk_serials, s)) {
            keys.serial = None;
        }
        keys.macs.retain(|(m, _)| !is_junk(&junk_macs, *m));
    }
}

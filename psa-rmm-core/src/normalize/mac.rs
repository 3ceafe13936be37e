//! MAC addresses: a hand-rolled parser for every separator style RMMs and PSAs write (no regex on the hot path),
//! a splitter for fields that hold several addresses, and the classification that keeps shared, virtual and
//! structurally special addresses out of the strong keys.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use super::{column, data_rows};

const IGNORE_EXACT: &str = include_str!("../../data/ignore_macs_exact.tsv");
const IGNORE_PATTERNS: &str = include_str!("../../data/ignore_mac_patterns.tsv");
const VIRTUAL_OUIS: &str = include_str!("../../data/virtual_mac_ouis.tsv");

/// Longest input echoed back inside a [`MacError`], so a huge bad field cannot bloat errors or logs.
const ERROR_ECHO_CHARS: usize = 40;

/// A 48-bit IEEE 802 MAC address (EUI-48).
///
/// Parses `00:1A:2B:3C:4D:5E`, `00-1a-2b-3c-4d-5e`, `001a.2b3c.4d5e`, `001A2B3C4D5E`, `00 1a 2b 3c 4d 5e`, an
/// optional `0x` prefix and one-digit bytes (`0:1a:2b:3:4d:5e`); displays as lower-case colon form, which
/// re-parses to the same value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddress([u8; 6]);

/// Why a MAC address did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MacError {
    /// Nothing but whitespace.
    #[error("empty MAC address")]
    Empty,
    /// Only hex digits, but not 12 of them.
    #[error("MAC address {input:?} has {digits} hex digits, expected 12")]
    WrongLength {
        /// The offending input (truncated).
        input: String,
        /// How many hex digits it held.
        digits: usize,
    },
    /// A character that is neither a hex digit nor one of `:`, `-`, `.`, space.
    #[error("MAC address {input:?} contains {found:?}, which is not a hex digit or separator")]
    InvalidCharacter {
        /// The offending input (truncated).
        input: String,
        /// The first character that is not allowed.
        found: char,
    },
    /// Separators present, but not as 6 groups of 1-2 digits or 3 groups of 4, or more than one kind of
    /// separator.
    #[error("MAC address {input:?} is not grouped as 6 bytes or 3 groups of 4 hex digits")]
    BadGrouping {
        /// The offending input (truncated).
        input: String,
    },
}

/// What kind of address a MAC is, as far as identity matching cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacClass {
    /// A universally administered unicast address of a physical NIC that is not on a shared list: strong.
    Physical,
    /// Group (I/G) bit set: multicast, never a device identity.
    Multicast,
    /// Universal/local (U/L) bit set: randomised Wi-Fi, VPN/TAP, virtual switches; never a device identity.
    LocallyAdministered,
    /// `00:00:00:00:00:00` or `ff:ff:ff:ff:ff:ff`.
    ZeroOrBroadcast,
    /// A hypervisor or container OUI (the vendor or platform): weak, usable only with a second agreeing key.
    Virtual(&'static str),
    /// An address that many machines share (WAN Miniport, VPN client adapters, host-only adapters, ...).
    Shared(&'static str),
}

impl MacClass {
    /// True only for [`MacClass::Physical`].
    pub fn is_strong(self) -> bool {
        self == MacClass::Physical
    }
}

impl MacAddress {
    /// An address from its six octets.
    pub const fn new(octets: [u8; 6]) -> Self {
        MacAddress(octets)
    }

    /// The six octets, most significant first.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// The address packed into the low 48 bits of a `u64` (cheap hash/join key).
    pub fn to_u64(&self) -> u64 {
        self.0
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    }

    /// The first three octets (the IEEE OUI).
    pub fn oui(&self) -> [u8; 3] {
        [self.0[0], self.0[1], self.0[2]]
    }

    /// Group (I/G) bit: multicast or broadcast.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// Universal/local (U/L) bit: locally administered.
    pub fn is_locally_administered(&self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// The all-zero or all-ones address.
    pub fn is_zero_or_broadcast(&self) -> bool {
        self.0 == [0; 6] || self.0 == [0xff; 6]
    }

    /// Classifies the address. Precedence: zero/broadcast, shared (exact list, then families), multicast,
    /// virtual OUI (so QEMU `52:54:00` and Docker `02:42` report their platform rather than just the U/L bit),
    /// locally administered, physical.
    pub fn class(&self) -> MacClass {
        if self.is_zero_or_broadcast() {
            return MacClass::ZeroOrBroadcast;
        }
        let tables = &*TABLES;
        let bits = self.to_u64();
        if let Some(what) = tables.shared_exact.get(&bits) {
            return MacClass::Shared(what);
        }
        if let Some(family) = tables.shared_families.iter().find(|f| f.matches(bits)) {
            return MacClass::Shared(family.label);
        }
        if self.is_multicast() {
            return MacClass::Multicast;
        }
        if let Some(oui) = tables.virtual_ouis.iter().find(|f| f.matches(bits)) {
            return MacClass::Virtual(oui.label);
        }
        if self.is_locally_administered() {
            return MacClass::LocallyAdministered;
        }
        MacClass::Physical
    }

    /// Strong identity evidence: a physical, unshared address.
    pub fn is_strong(&self) -> bool {
        self.class().is_strong()
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl fmt::Debug for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddress({self})")
    }
}

impl FromStr for MacAddress {
    type Err = MacError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_one(s)
    }
}

impl serde::Serialize for MacAddress {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for MacAddress {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

fn echo(input: &str) -> String {
    input.chars().take(ERROR_ECHO_CHARS).collect()
}

fn parse_one(raw: &str) -> Result<MacAddress, MacError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(MacError::Empty);
    }
    let body = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .unwrap_or(trimmed);
    let mut separator = None;
    let mut digits = 0usize;
    for ch in body.chars() {
        match ch {
            ':' | '-' | '.' | ' ' => match separator {
                None => separator = Some(ch),
                Some(seen) if seen == ch => {}
                Some(_) => {
                    return Err(MacError::BadGrouping {
                        input: echo(trimmed),
                    });
                }
            },
            c if c.is_ascii_hexdigit() => digits += 1,
            found => {
                return Err(MacError::InvalidCharacter {
                    input: echo(trimmed),
                    found,
                });
            }
        }
    }
    let octets = match separator {
        None if digits == 12 => bare_octets(body),
        None => {
            return Err(MacError::WrongLength {
                input: echo(trimmed),
                digits,
            });
        }
        Some(sep) => grouped_octets(body, sep),
    };
    octets.map(MacAddress).ok_or_else(|| MacError::BadGrouping {
        input: echo(trimmed),
    })
}

/// Twelve hex digits, two per octet. The caller has checked that `hex` holds exactly 12 ASCII hex digits.
fn bare_octets(hex: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    for (slot, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *slot = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// Six groups of one or two digits (one octet each) or three groups of four (Cisco style).
fn grouped_octets(body: &str, separator: char) -> Option<[u8; 6]> {
    // A fixed array instead of a Vec: this runs for every address of every device.
    let mut groups = [""; 6];
    let mut count = 0usize;
    for group in body.split(separator) {
        *groups.get_mut(count)? = group;
        count += 1;
    }
    let mut out = [0u8; 6];
    if count == 6 && groups.iter().all(|g| (1..=2).contains(&g.len())) {
        for (slot, group) in out.iter_mut().zip(groups) {
            *slot = u8::from_str_radix(group, 16).ok()?;
        }
    } else if count == 3 && groups[..3].iter().all(|g| g.len() == 4) {
        for (pair, group) in out.chunks_mut(2).zip(groups) {
            let word = u16::from_str_radix(group, 16).ok()?;
            pair.copy_from_slice(&word.to_be_bytes());
        }
    } else {
        return None;
    }
    Some(out)
}

/// Parses a field that may hold several addresses separated by commas, semicolons, pipes, slashes, whitespace
/// or newlines (an RMM writing every adapter into one PSA field). Returns the distinct good addresses in order
/// of appearance and one error per bad token. A run of bare hex whose length is a multiple of 12 is split into
/// addresses. An empty field gives two empty vectors.
pub fn parse_mac_list(field: &str) -> (Vec<MacAddress>, Vec<MacError>) {
    let mut macs = Vec::new();
    let mut errors = Vec::new();
    let pieces = field.split([',', ';', '|', '/', '\n', '\r']);
    for piece in pieces.map(str::trim).filter(|p| !p.is_empty()) {
        // A piece such as "00 1a 2b 3c 4d 5e" is one address written with spaces.
        if let Ok(mac) = parse_one(piece) {
            macs.push(mac);
            continue;
        }
        for token in piece.split_whitespace() {
            parse_token(token, &mut macs, &mut errors);
        }
    }
    (dedup_in_order(macs), errors)
}

fn parse_token(token: &str, macs: &mut Vec<MacAddress>, errors: &mut Vec<MacError>) {
    match parse_one(token) {
        Ok(mac) => macs.push(mac),
        Err(err) => {
            let run_of_macs = token.len() > 12
                && token.len().is_multiple_of(12)
                && token.bytes().all(|b| b.is_ascii_hexdigit());
            if run_of_macs {
                macs.extend(
                    token
                        .as_bytes()
                        .chunks(12)
                        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
                        .filter_map(bare_octets)
                        .map(MacAddress),
                );
            } else {
                errors.push(err);
            }
        }
    }
}

fn dedup_in_order(mut macs: Vec<MacAddress>) -> Vec<MacAddress> {
    // Fields hold a handful of addresses: a linear scan beats hashing until the list is long.
    if macs.len() <= 16 {
        let mut kept = 0;
        for i in 0..macs.len() {
            if !macs[..kept].contains(&macs[i]) {
                macs[kept] = macs[i];
                kept += 1;
            }
        }
        macs.truncate(kept);
        return macs;
    }
    let mut seen = HashSet::with_capacity(macs.len());
    macs.into_iter().filter(|mac| seen.insert(*mac)).collect()
}

/// A family of addresses: the bits under `mask` equal `value`.
#[derive(Debug)]
struct Family {
    mask: u64,
    value: u64,
    label: &'static str,
}

impl Family {
    fn matches(&self, bits: u64) -> bool {
        bits & self.mask == self.value
    }

    /// `**:**:20:52:41:53` style: one `*` per wildcard hex digit, 12 digits in all.
    fn from_wildcards(pattern: &str, label: &'static str) -> Option<Family> {
        let nibbles: Vec<char> = pattern.chars().filter(|c| *c != ':').collect();
        if nibbles.len() != 12 {
            return None;
        }
        let (mut mask, mut value) = (0u64, 0u64);
        for ch in nibbles {
            mask <<= 4;
            value <<= 4;
            if ch != '*' {
                mask |= 0xf;
                value |= u64::from(ch.to_digit(16)?);
            }
        }
        Some(Family { mask, value, label })
    }

    /// `00:50:56` or `02:42`: a prefix of whole octets.
    fn from_prefix(prefix: &str, label: &'static str) -> Option<Family> {
        let octets: Vec<u8> = prefix
            .split(':')
            .map(|o| u8::from_str_radix(o, 16).ok())
            .collect::<Option<_>>()?;
        if octets.is_empty() || octets.len() > 6 {
            return None;
        }
        let shift = 8 * (6 - octets.len());
        let value = octets
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
            << shift;
        let mask = (0xffff_ffff_ffffu64 >> shift) << shift;
        Some(Family { mask, value, label })
    }
}

struct Tables {
    shared_exact: HashMap<u64, &'static str>,
    shared_families: Vec<Family>,
    virtual_ouis: Vec<Family>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    shared_exact: data_rows(IGNORE_EXACT)
        .filter_map(|row| {
            let mac = parse_one(column(&row, 0)).ok()?;
            Some((mac.to_u64(), column(&row, 1)))
        })
        .collect(),
    shared_families: data_rows(IGNORE_PATTERNS)
        .filter(is_adopted_family)
        .filter_map(|row| Family::from_wildcards(column(&row, 0), column(&row, 2)))
        .collect(),
    virtual_ouis: data_rows(VIRTUAL_OUIS)
        .filter_map(|row| Family::from_prefix(column(&row, 0), platform_name(column(&row, 1))))
        .collect(),
});

/// Family rows of the pattern list that are applied: kind `drop` (rows marked `drop?` have no stated purpose and
/// would hide real NICs), and not a `bit:` rule (those are the structural checks in [`MacAddress::class`]).
fn is_adopted_family(row: &Vec<&'static str>) -> bool {
    !column(row, 0).starts_with("bit:") && column(row, 1) == "drop"
}

/// "Oracle VirtualBox (guest NIC)" -> "Oracle VirtualBox".
fn platform_name(text: &'static str) -> &'static str {
    text.split(" (").next().unwrap_or(text).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(s: &str) -> MacAddress {
        s.parse().expect("test MAC parses")
    }

    #[test]
    fn every_list_row_is_loaded() {
        let exact_rows = data_rows(IGNORE_EXACT).count();
        assert_eq!(TABLES.shared_exact.len(), exact_rows);
        let family_rows = data_rows(IGNORE_PATTERNS).filter(is_adopted_family).count();
        assert_eq!(TABLES.shared_families.len(), family_rows);
        assert_eq!(family_rows, 13);
        assert_eq!(TABLES.virtual_ouis.len(), data_rows(VIRTUAL_OUIS).count());
        assert_eq!(TABLES.virtual_ouis.len(), 12);
    }

    #[test]
    fn prefix_family_masks_whole_octets() {
        let docker = Family::from_prefix("02:42", "Docker").expect("valid prefix");
        assert!(docker.matches(mac("02:42:ac:11:00:02").to_u64()));
        assert!(!docker.matches(mac("02:43:ac:11:00:02").to_u64()));
        assert!(Family::from_prefix("zz", "bad").is_none());
        assert!(Family::from_wildcards("00:ff:**", "short").is_none());
    }

    #[test]
    fn unreviewed_families_are_not_applied() {
        // f0:d5:bf and ac:ed:5c are listed as "drop?" with no stated purpose.
        assert_eq!(mac("f0:d5:bf:12:34:56").class(), MacClass::Physical);
        assert_eq!(mac("ac:ed:5c:12:34:56").class(), MacClass::Physical);
    }
}

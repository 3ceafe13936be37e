//! SMBIOS hardware (system) UUIDs: parsing in the forms inventories write, and the junk check for the values
//! many machines share (BIOS defaults, all-zero, all-F).

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use super::{column, data_rows};

const JUNK_UUIDS: &str = include_str!("../../data/junk_uuids.txt");

/// A 128-bit hardware UUID as reported by the BIOS (byte order as written, not swapped).
///
/// Parses `4C4C4544-0042-3510-8051-B4C04F563532`, lower case, with braces (`{...}`), a `urn:uuid:` prefix, or
/// as 32 bare hex digits; displays lower-case hyphenated, which re-parses to the same value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HardwareUuid(u128);

/// Why a hardware UUID did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UuidError {
    /// Nothing but whitespace.
    #[error("empty UUID")]
    Empty,
    /// Not 32 hex digits in the 8-4-4-4-12 or bare layout.
    #[error("not a UUID: expected 32 hex digits as 8-4-4-4-12 or bare")]
    Malformed,
}

impl HardwareUuid {
    /// Parses a UUID string; see the type docs for the accepted forms.
    pub fn parse(raw: &str) -> Result<HardwareUuid, UuidError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(UuidError::Empty);
        }
        let body = strip_wrapping(trimmed);
        let hyphenated = body.len() == 36
            && body
                .char_indices()
                .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'));
        let bare = body.len() == 32;
        if !(hyphenated || bare) {
            return Err(UuidError::Malformed);
        }
        let mut value = 0u128;
        for ch in body.chars().filter(|c| *c != '-') {
            let digit = ch.to_digit(16).ok_or(UuidError::Malformed)?;
            value = (value << 4) | u128::from(digit);
        }
        Ok(HardwareUuid(value))
    }

    /// The value as one 128-bit integer (cheap join key).
    pub const fn as_u128(&self) -> u128 {
        self.0
    }

    /// A BIOS default or filler value that many machines share: never an identity key.
    pub fn is_junk(&self) -> bool {
        self.0 == 0 || self.0 == u128::MAX || JUNK.contains(&self.0)
    }

    /// Usable as identity evidence (not junk). Cloned VMs can still share a UUID; matching must weigh that.
    pub fn is_strong(&self) -> bool {
        !self.is_junk()
    }
}

fn strip_wrapping(text: &str) -> &str {
    let text = text
        .strip_prefix("urn:uuid:")
        .or_else(|| text.strip_prefix("URN:UUID:"))
        .unwrap_or(text);
    text.strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text)
}

impl fmt::Display for HardwareUuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = format!("{:032x}", self.0);
        let (a, rest) = hex.split_at(8);
        let (b, rest) = rest.split_at(4);
        let (c, rest) = rest.split_at(4);
        let (d, e) = rest.split_at(4);
        write!(f, "{a}-{b}-{c}-{d}-{e}")
    }
}

impl FromStr for HardwareUuid {
    type Err = UuidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HardwareUuid::parse(s)
    }
}

/// Junk list values that are UUIDs (the list also holds "2", a non-UUID filler that parsing already rejects).
static JUNK: LazyLock<HashSet<u128>> = LazyLock::new(|| {
    data_rows(JUNK_UUIDS)
        .filter_map(|row| HardwareUuid::parse(column(&row, 0)).ok())
        .map(|uuid| uuid.0)
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_list_loads_every_uuid_row() {
        let rows: Vec<_> = data_rows(JUNK_UUIDS).collect();
        assert_eq!(rows.len(), 6);
        let non_uuids: Vec<_> = rows
            .iter()
            .filter(|row| HardwareUuid::parse(column(row, 0)).is_err())
            .collect();
        assert_eq!(non_uuids, vec![&vec!["2"]]);
        assert_eq!(JUNK.len(), 5);
    }
}

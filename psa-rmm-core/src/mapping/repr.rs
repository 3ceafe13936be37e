//! The JSON shape of the book: sorted lists (JSON maps cannot be keyed by references), checked on load.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{IgnoreRule, IgnoreTarget, Link, MappingBook, TypeMapping, TypeSource};
use crate::model::ExternalRef;

/// Format version written into every serialised book.
const VERSION: u32 = 1;

/// Why a serialised book was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BookError {
    /// The book was written by a newer format.
    #[error(
        "mapping book format version {0} is not supported (this build reads version {VERSION})"
    )]
    UnsupportedVersion(u32),
    /// One RMM record has two company links.
    #[error("company {0} is linked twice")]
    DuplicateCompanyLink(ExternalRef),
    /// One RMM device has two links, or one configuration is linked to two devices.
    #[error("device link conflict on {0}")]
    DuplicateDeviceLink(ExternalRef),
    /// One type source is mapped twice.
    #[error("type source {0:?} is mapped twice")]
    DuplicateTypeMapping(TypeSource),
    /// One target is ignored twice.
    #[error("ignore target {0:?} appears twice")]
    DuplicateIgnore(IgnoreTarget),
}

#[derive(Serialize)]
struct BookOut<'a> {
    version: u32,
    company_links: Vec<&'a Link>,
    device_links: Vec<&'a Link>,
    type_mappings: Vec<&'a TypeMapping>,
    ignores: Vec<&'a IgnoreRule>,
}

#[derive(Deserialize)]
struct BookIn {
    #[serde(default = "current_version")]
    version: u32,
    #[serde(default)]
    company_links: Vec<Link>,
    #[serde(default)]
    device_links: Vec<Link>,
    #[serde(default)]
    type_mappings: Vec<TypeMapping>,
    #[serde(default)]
    ignores: Vec<IgnoreRule>,
}

fn current_version() -> u32 {
    VERSION
}

impl Serialize for MappingBook {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        BookOut {
            version: VERSION,
            company_links: self.company_links.values().collect(),
            device_links: self.device_links.values().collect(),
            type_mappings: self.type_mappings.values().collect(),
            ignores: self.ignores.values().collect(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for MappingBook {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = BookIn::deserialize(deserializer)?;
        MappingBook::try_from(raw).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<BookIn> for MappingBook {
    type Error = BookError;

    fn try_from(raw: BookIn) -> Result<Self, BookError> {
        if raw.version > VERSION {
            return Err(BookError::UnsupportedVersion(raw.version));
        }
        let mut book = MappingBook::new();
        for link in raw.company_links {
            if book.company_links.contains_key(&link.rmm) {
                return Err(BookError::DuplicateCompanyLink(link.rmm));
            }
            book.companies_by_psa
                .entry(link.psa.clone())
                .or_default()
                .insert(link.rmm.clone());
            book.company_links.insert(link.rmm.clone(), link);
        }
        for link in raw.device_links {
            if book.device_links.contains_key(&link.rmm) {
                return Err(BookError::DuplicateDeviceLink(link.rmm));
            }
            if book.devices_by_psa.contains_key(&link.psa) {
                return Err(BookError::DuplicateDeviceLink(link.psa));
            }
            book.devices_by_psa
                .insert(link.psa.clone(), link.rmm.clone());
            book.device_links.insert(link.rmm.clone(), link);
        }
        for mut mapping in raw.type_mappings {
            if let TypeSource::Category(c) = &mapping.source {
                mapping.source = TypeSource::category(c);
            }
            if book.type_mappings.contains_key(&mapping.source) {
                return Err(BookError::DuplicateTypeMapping(mapping.source));
            }
            book.type_mappings.insert(mapping.source.clone(), mapping);
        }
        for mut rule in raw.ignores {
            if let IgnoreTarget::Category(c) = &rule.target {
                rule.target = IgnoreTarget::category(c);
            }
            if book.ignores.contains_key(&rule.target) {
                return Err(BookError::DuplicateIgnore(rule.target));
            }
            book.ignores.insert(rule.target.clone(), rule);
        }
        Ok(book)
    }
}

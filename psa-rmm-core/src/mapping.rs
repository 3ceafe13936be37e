//! The mapping book: every link and rule between RMM and PSA records, with who decided it, when and why,
//! so a service can persist it (JSON) and re-run matching without losing a person's decisions.
//!
//! Rules of the book:
//! - a manual link or ignore rule is never overwritten by an automatic one ([`Outcome::KeptManual`]);
//! - an ignore rule on the RMM record blocks automatic links to it ([`Outcome::BlockedByIgnore`]);
//! - a manual link lifts an ignore rule on the same RMM record (the person decided);
//! - many RMM sites may link to one PSA company, but a device link is one-to-one: linking a configuration
//!   to a new device displaces its old link.
//!
//! Serialisation is deterministic: every list is sorted by its key.

mod repr;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::matching::Evidence;
use crate::model::{Device, DeviceKind, ExternalRef};

pub use repr::BookError;

/// Who made a decision, when, and on what grounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum Origin {
    /// A person decided.
    Manual {
        /// Who (user name or e-mail).
        by: String,
        /// When.
        at: DateTime<Utc>,
        /// Why, in their words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Matching decided.
    Automatic {
        /// Confidence of the decision in 0..=1.
        confidence: f64,
        /// Keys that agreed.
        #[serde(default)]
        evidence: Vec<Evidence>,
        /// When.
        at: DateTime<Utc>,
    },
}

impl Origin {
    /// A manual origin.
    pub fn manual(by: impl Into<String>, at: DateTime<Utc>, note: Option<String>) -> Self {
        Self::Manual {
            by: by.into(),
            at,
            note,
        }
    }

    /// An automatic origin.
    pub fn automatic(confidence: f64, evidence: Vec<Evidence>, at: DateTime<Utc>) -> Self {
        Self::Automatic {
            confidence,
            evidence,
            at,
        }
    }

    /// True when a person decided.
    pub fn is_manual(&self) -> bool {
        matches!(self, Self::Manual { .. })
    }

    /// When the decision was made.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Manual { at, .. } | Self::Automatic { at, .. } => *at,
        }
    }
}

/// A link from an RMM record (company, site or device) to a PSA record (company or configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// RMM side.
    pub rmm: ExternalRef,
    /// PSA side.
    pub psa: ExternalRef,
    /// Who decided and why.
    pub origin: Origin,
}

impl Link {
    /// A link between `rmm` and `psa`.
    pub fn new(rmm: ExternalRef, psa: ExternalRef, origin: Origin) -> Self {
        Self { rmm, psa, origin }
    }
}

/// What an RMM device type maps from: a device kind, or a vendor category name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum TypeSource {
    /// A device kind.
    Kind(DeviceKind),
    /// A vendor category or type name, compared case-insensitively (stored trimmed and lower-cased).
    Category(String),
}

impl TypeSource {
    /// A category source, folded to its stored form.
    pub fn category(name: &str) -> Self {
        Self::Category(fold_category(name))
    }
}

/// RMM device kind or category -> PSA configuration type name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeMapping {
    /// What it maps from.
    pub source: TypeSource,
    /// The PSA configuration type name.
    pub psa_type: String,
    /// Who decided.
    pub origin: Origin,
}

/// What an ignore rule covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum IgnoreTarget {
    /// One company or site, on either side.
    Company(ExternalRef),
    /// One device or configuration, on either side.
    Device(ExternalRef),
    /// Every device of a kind.
    DeviceKind(DeviceKind),
    /// Every device whose vendor type or category name is this (case-insensitive; stored folded).
    Category(String),
}

impl IgnoreTarget {
    /// A category target, folded to its stored form.
    pub fn category(name: &str) -> Self {
        Self::Category(fold_category(name))
    }
}

/// A "never map" rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IgnoreRule {
    /// What it covers.
    pub target: IgnoreTarget,
    /// Who decided and why.
    pub origin: Origin,
}

/// What happened to a change the book was asked to make.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// Stored; nothing was there before.
    Added,
    /// The same target was already stored with the same kind of origin; the stored entry was refreshed.
    Unchanged,
    /// Stored, replacing these entries (an older link of the same record, or a link that held the other side).
    Replaced {
        /// The entries removed.
        previous: Vec<T>,
    },
    /// Refused: an automatic change met a manual entry, which stays.
    KeptManual {
        /// The manual entry that stays.
        existing: T,
    },
    /// Refused: an automatic link met an ignore rule on the RMM record.
    BlockedByIgnore {
        /// The rule.
        rule: IgnoreRule,
    },
}

impl<T> Outcome<T> {
    /// True when the book now holds the change.
    pub fn applied(&self) -> bool {
        matches!(self, Self::Added | Self::Unchanged | Self::Replaced { .. })
    }
}

/// The book. See the module documentation for its rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MappingBook {
    company_links: BTreeMap<ExternalRef, Link>,
    device_links: BTreeMap<ExternalRef, Link>,
    type_mappings: BTreeMap<TypeSource, TypeMapping>,
    ignores: BTreeMap<IgnoreTarget, IgnoreRule>,
    companies_by_psa: BTreeMap<ExternalRef, BTreeSet<ExternalRef>>,
    devices_by_psa: BTreeMap<ExternalRef, ExternalRef>,
}

impl MappingBook {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Links an RMM company or site to a PSA company (see the module rules).
    pub fn link_company(&mut self, link: Link) -> Outcome<Link> {
        if let Some(refusal) = self.refusal(&link, self.company_links.get(&link.rmm)) {
            return refusal;
        }
        if link.origin.is_manual() {
            self.ignores
                .remove(&IgnoreTarget::Company(link.rmm.clone()));
        }
        let previous = self.remove_company_link(&link.rmm);
        self.companies_by_psa
            .entry(link.psa.clone())
            .or_default()
            .insert(link.rmm.clone());
        let same = previous.as_ref().is_some_and(|p| same_link(p, &link));
        self.company_links.insert(link.rmm.clone(), link);
        replaced(previous.into_iter().collect(), same)
    }

    /// Links an RMM device to a PSA configuration, one-to-one (see the module rules).
    pub fn link_device(&mut self, link: Link) -> Outcome<Link> {
        if let Some(refusal) = self.refusal(&link, self.device_links.get(&link.rmm)) {
            return refusal;
        }
        let holder = self
            .devices_by_psa
            .get(&link.psa)
            .filter(|holder| **holder != link.rmm)
            .and_then(|holder| self.device_links.get(holder));
        if let Some(held) = holder
            && held.origin.is_manual()
            && !link.origin.is_manual()
        {
            return Outcome::KeptManual {
                existing: held.clone(),
            };
        }
        if link.origin.is_manual() {
            self.ignores.remove(&IgnoreTarget::Device(link.rmm.clone()));
        }
        let mut previous: Vec<Link> = self.remove_device_link(&link.rmm).into_iter().collect();
        let same = previous.first().is_some_and(|p| same_link(p, &link));
        if let Some(holder) = self.devices_by_psa.get(&link.psa).cloned() {
            previous.extend(self.remove_device_link(&holder));
        }
        self.devices_by_psa
            .insert(link.psa.clone(), link.rmm.clone());
        self.device_links.insert(link.rmm.clone(), link);
        replaced(previous, same)
    }

    /// Maps a device kind or category to a PSA configuration type; automatic never overwrites manual.
    pub fn map_type(&mut self, mapping: TypeMapping) -> Outcome<TypeMapping> {
        if let Some(existing) = self.type_mappings.get(&mapping.source)
            && existing.origin.is_manual()
            && !mapping.origin.is_manual()
        {
            return Outcome::KeptManual {
                existing: existing.clone(),
            };
        }
        let previous = self.type_mappings.insert(mapping.source.clone(), mapping);
        match previous {
            None => Outcome::Added,
            Some(p) => Outcome::Replaced { previous: vec![p] },
        }
    }

    /// Adds a "never map" rule; automatic never overwrites a manual rule.
    pub fn ignore(&mut self, rule: IgnoreRule) -> Outcome<IgnoreRule> {
        if let Some(existing) = self.ignores.get(&rule.target)
            && existing.origin.is_manual()
            && !rule.origin.is_manual()
        {
            return Outcome::KeptManual {
                existing: existing.clone(),
            };
        }
        let previous = self.ignores.insert(rule.target.clone(), rule);
        match previous {
            None => Outcome::Added,
            Some(p) => Outcome::Replaced { previous: vec![p] },
        }
    }

    /// Removes the link of an RMM company or site.
    pub fn unlink_company(&mut self, rmm: &ExternalRef) -> Option<Link> {
        self.remove_company_link(rmm)
    }

    /// Removes the link of an RMM device.
    pub fn unlink_device(&mut self, rmm: &ExternalRef) -> Option<Link> {
        self.remove_device_link(rmm)
    }

    /// Removes a type mapping.
    pub fn unmap_type(&mut self, source: &TypeSource) -> Option<TypeMapping> {
        self.type_mappings.remove(source)
    }

    /// Removes an ignore rule.
    pub fn unignore(&mut self, target: &IgnoreTarget) -> Option<IgnoreRule> {
        self.ignores.remove(target)
    }

    /// The link of an RMM company or site.
    pub fn company_link(&self, rmm: &ExternalRef) -> Option<&Link> {
        self.company_links.get(rmm)
    }

    /// The RMM companies and sites linked to a PSA company, sorted by RMM reference.
    pub fn company_links_to(&self, psa: &ExternalRef) -> impl Iterator<Item = &Link> {
        self.companies_by_psa
            .get(psa)
            .into_iter()
            .flatten()
            .filter_map(|rmm| self.company_links.get(rmm))
    }

    /// The link of an RMM device.
    pub fn device_link(&self, rmm: &ExternalRef) -> Option<&Link> {
        self.device_links.get(rmm)
    }

    /// The link that holds a PSA configuration.
    pub fn device_link_to(&self, psa: &ExternalRef) -> Option<&Link> {
        self.devices_by_psa
            .get(psa)
            .and_then(|rmm| self.device_links.get(rmm))
    }

    /// Every company link, sorted by RMM reference.
    pub fn company_links(&self) -> impl Iterator<Item = &Link> {
        self.company_links.values()
    }

    /// Every device link, sorted by RMM reference.
    pub fn device_links(&self) -> impl Iterator<Item = &Link> {
        self.device_links.values()
    }

    /// Every type mapping, sorted by source.
    pub fn type_mappings(&self) -> impl Iterator<Item = &TypeMapping> {
        self.type_mappings.values()
    }

    /// Every ignore rule, sorted by target.
    pub fn ignore_rules(&self) -> impl Iterator<Item = &IgnoreRule> {
        self.ignores.values()
    }

    /// The PSA configuration type for a device: its category mapping first, then its kind mapping.
    pub fn psa_type_for(&self, kind: &DeviceKind, category: Option<&str>) -> Option<&TypeMapping> {
        category
            .and_then(|c| self.type_mappings.get(&TypeSource::category(c)))
            .or_else(|| self.type_mappings.get(&TypeSource::Kind(kind.clone())))
    }

    /// The rule ignoring a company or site, if any.
    pub fn company_ignore(&self, company: &ExternalRef) -> Option<&IgnoreRule> {
        self.ignores.get(&IgnoreTarget::Company(company.clone()))
    }

    /// The rule ignoring a device or configuration: by reference, then by kind, then by category.
    pub fn device_ignore(&self, device: &Device) -> Option<&IgnoreRule> {
        if self.ignores.is_empty() {
            return None;
        }
        self.ignores
            .get(&IgnoreTarget::Device(device.external.clone()))
            .or_else(|| {
                self.ignores
                    .get(&IgnoreTarget::DeviceKind(device.kind.clone()))
            })
            .or_else(|| {
                device
                    .type_name
                    .as_deref()
                    .and_then(|t| self.ignores.get(&IgnoreTarget::category(t)))
            })
    }

    /// The refusal an automatic `link` meets, if any: a manual link of the same RMM record, or an ignore rule.
    fn refusal(&self, link: &Link, existing: Option<&Link>) -> Option<Outcome<Link>> {
        if link.origin.is_manual() {
            return None;
        }
        if let Some(existing) = existing.filter(|e| e.origin.is_manual()) {
            return Some(Outcome::KeptManual {
                existing: existing.clone(),
            });
        }
        let rule = self
            .ignores
            .get(&IgnoreTarget::Company(link.rmm.clone()))
            .or_else(|| self.ignores.get(&IgnoreTarget::Device(link.rmm.clone())))?;
        Some(Outcome::BlockedByIgnore { rule: rule.clone() })
    }

    fn remove_company_link(&mut self, rmm: &ExternalRef) -> Option<Link> {
        let link = self.company_links.remove(rmm)?;
        if let Some(set) = self.companies_by_psa.get_mut(&link.psa) {
            set.remove(rmm);
            if set.is_empty() {
                self.companies_by_psa.remove(&link.psa);
            }
        }
        Some(link)
    }

    fn remove_device_link(&mut self, rmm: &ExternalRef) -> Option<Link> {
        let link = self.device_links.remove(rmm)?;
        if self.devices_by_psa.get(&link.psa) == Some(rmm) {
            self.devices_by_psa.remove(&link.psa);
        }
        Some(link)
    }
}

fn same_link(a: &Link, b: &Link) -> bool {
    a.psa == b.psa && a.origin.is_manual() == b.origin.is_manual()
}

fn replaced(previous: Vec<Link>, same: bool) -> Outcome<Link> {
    match (previous.is_empty(), same && previous.len() == 1) {
        (true, _) => Outcome::Added,
        (false, true) => Outcome::Unchanged,
        (false, false) => Outcome::Replaced { previous },
    }
}

fn fold_category(name: &str) -> String {
    name.trim().to_lowercase()
}

//! Device staging and sync: RMM devices of mapped companies matched against PSA configurations.
//!
//! Linked devices get field updates with diffs (serial, MAC, IP, OS, model, manufacturer, last user,
//! warranty); new devices are created with the PSA type their kind or category maps to (or staged for
//! review when auto-sync is off for their mapping); devices whose strong key sits on a configuration of another
//! company or an inactive one are reported as a possible move or reactivation, never created; configurations
//! whose RMM device vanished are flagged or deactivated, never deleted. Ignored categories and devices of
//! unmapped companies are skipped with the reason.
//!
//! The sticky link this crate stores on a configuration (Manage `deviceIdentifier`) is the RMM device
//! reference in its `system:id` form, so two RMMs feeding one PSA never take each other's configurations
//! for vanished. A bare id (written by an older integration) is taken to name a device of the RMMs planned
//! together: plan every RMM feeding the PSA in one call.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::companies::{evidence_text, ignore_text};
use super::executor::Report;
use super::table::{Table, opt};
use crate::connector::{ConfigField, FieldChange, NewConfiguration};
use crate::mapping::{Link, MappingBook, Origin};
use crate::matching::{
    AmbiguityReason, Candidate, CompanyScope, Decision, Evidence, IgnoreReason, MatchPolicy,
    match_devices,
};
use crate::model::{Device, DeviceKind, ExternalRef, System};
use crate::normalize::mac::parse_mac_list;
use crate::normalize::serial::{SerialClass, SerialNumber};

/// What happens to an active configuration whose RMM device is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VanishedAction {
    /// Reported only.
    #[default]
    Flag,
    /// Set inactive (never deleted).
    Deactivate,
}

/// Settings of the device flow; type mappings and ignore rules live in the mapping book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSyncPolicy {
    /// Create new devices without review (MSPortal's auto-sync), unless a mapping says otherwise.
    pub auto_sync: bool,
    /// Auto-sync per mapping, keyed by the RMM site/company or the PSA company in `system:id` form.
    #[serde(default)]
    pub auto_sync_by_mapping: BTreeMap<String, bool>,
    /// Configuration type for devices whose kind and category have no type mapping; `None` skips them.
    pub default_type: Option<String>,
    /// What to do with configurations whose device vanished.
    #[serde(default)]
    pub vanished: VanishedAction,
    /// Fields kept in sync on linked configurations.
    pub fields: BTreeSet<ConfigField>,
    /// Longest value the PSA keeps per field (Manage's limits by default); longer values are cut so a
    /// re-run compares what the PSA stored.
    pub max_len: BTreeMap<ConfigField, usize>,
}

impl Default for DeviceSyncPolicy {
    fn default() -> Self {
        use ConfigField as F;
        Self {
            auto_sync: true,
            auto_sync_by_mapping: BTreeMap::new(),
            default_type: None,
            vanished: VanishedAction::Flag,
            fields: [
                F::Name,
                F::SerialNumber,
                F::MacAddress,
                F::IpAddress,
                F::Os,
                F::Model,
                F::Manufacturer,
                F::LastUser,
                F::WarrantyExpires,
            ]
            .into(),
            max_len: [
                (F::Name, 100),
                (F::SerialNumber, 250),
                (F::MacAddress, 25),
                (F::IpAddress, 50),
                (F::Os, 250),
                (F::Model, 50),
                (F::Manufacturer, 50),
                (F::LastUser, 100),
            ]
            .into(),
        }
    }
}

impl DeviceSyncPolicy {
    fn auto_sync_for(&self, device: &Device, company: &ExternalRef) -> bool {
        [device.site.as_ref(), device.company.as_ref(), Some(company)]
            .into_iter()
            .flatten()
            .find_map(|r| self.auto_sync_by_mapping.get(&r.to_string()))
            .copied()
            .unwrap_or(self.auto_sync)
    }
}

/// Why a device is not synced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "skip", rename_all = "snake_case")]
pub enum DeviceSkip {
    /// Matching excluded it (ignore rule, ignored category or kind, unmapped company).
    Ignored {
        /// Which rule.
        reason: IgnoreReason,
    },
    /// New, but its kind and category map to no PSA configuration type.
    NoTypeMapping {
        /// The device kind.
        kind: DeviceKind,
        /// The RMM category.
        category: Option<String>,
    },
}

impl fmt::Display for DeviceSkip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ignored { reason } => f.write_str(&ignore_text(reason)),
            Self::NoTypeMapping { kind, category } => write!(
                f,
                "no type mapping for {kind}{}",
                category
                    .as_deref()
                    .map(|c| format!(" / {c}"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// What to do with one RMM device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DeviceAction {
    /// Create a configuration.
    Create {
        /// The configuration.
        configuration: NewConfiguration,
    },
    /// New, waiting for review because auto-sync is off for its mapping (see [`DevicePlan::approve`]).
    Staged {
        /// The configuration it would create.
        configuration: NewConfiguration,
    },
    /// Linked; write these field changes.
    Update {
        /// The configuration.
        configuration: ExternalRef,
        /// Changes with before and after.
        changes: Vec<FieldChange>,
        /// Match confidence.
        confidence: f64,
        /// Keys that agreed.
        evidence: Vec<Evidence>,
    },
    /// Linked and up to date.
    Unchanged {
        /// The configuration.
        configuration: ExternalRef,
        /// Match confidence.
        confidence: f64,
        /// Keys that agreed.
        evidence: Vec<Evidence>,
    },
    /// Candidates for a person to confirm; nothing is written.
    Suggest {
        /// Ranked candidates.
        candidates: Vec<Candidate<ExternalRef>>,
    },
    /// Strong candidates that conflict; nothing is written.
    Conflict {
        /// Candidates.
        candidates: Vec<Candidate<ExternalRef>>,
        /// What conflicts.
        reason: AmbiguityReason,
    },
    /// A strong key sits on an active configuration of another company: the device may have moved.
    PossibleMove {
        /// The configurations.
        candidates: Vec<Candidate<ExternalRef>>,
    },
    /// A strong key sits on an inactive configuration: the device may be back.
    PossibleReactivation {
        /// The configurations.
        candidates: Vec<Candidate<ExternalRef>>,
    },
    /// Not synced.
    Skip {
        /// Why.
        reason: DeviceSkip,
    },
}

impl DeviceAction {
    /// Short name for tables and counts.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Create { .. } => "create",
            Self::Staged { .. } => "staged",
            Self::Update { .. } => "update",
            Self::Unchanged { .. } => "unchanged",
            Self::Suggest { .. } => "suggest",
            Self::Conflict { .. } => "conflict",
            Self::PossibleMove { .. } => "possible move",
            Self::PossibleReactivation { .. } => "possible reactivation",
            Self::Skip { .. } => "skip",
        }
    }

    /// The configuration a linked device maps to.
    pub fn linked(&self) -> Option<&ExternalRef> {
        match self {
            Self::Update { configuration, .. } | Self::Unchanged { configuration, .. } => {
                Some(configuration)
            }
            _ => None,
        }
    }
}

/// One RMM device with its action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    /// The RMM device.
    pub device: ExternalRef,
    /// Its host name.
    pub hostname: Option<String>,
    /// The PSA company its site or company maps to.
    pub company: Option<ExternalRef>,
    /// The action.
    pub action: DeviceAction,
}

/// A configuration whose RMM device is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VanishedRow {
    /// The configuration.
    pub configuration: ExternalRef,
    /// Its name.
    pub name: Option<String>,
    /// The sticky link it holds (the RMM device id, `system:id` or bare).
    pub linked_id: String,
    /// Flag or deactivate.
    pub action: VanishedAction,
}

/// The device plan: rows sorted by RMM device, then vanished configurations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DevicePlan {
    /// One row per RMM device.
    pub rows: Vec<DeviceRow>,
    /// Configurations whose device vanished.
    pub vanished: Vec<VanishedRow>,
}

impl DevicePlan {
    /// Number of rows per action name (vanished configurations as `vanished`).
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.rows {
            *counts.entry(r.action.name()).or_insert(0) += 1;
        }
        if !self.vanished.is_empty() {
            counts.insert("vanished", self.vanished.len());
        }
        counts
    }

    /// True when applying writes nothing.
    pub fn is_noop(&self) -> bool {
        !self.rows.iter().any(|r| {
            matches!(
                r.action,
                DeviceAction::Create { .. } | DeviceAction::Update { .. }
            )
        }) && !self
            .vanished
            .iter()
            .any(|v| v.action == VanishedAction::Deactivate)
    }

    /// Turns the staged rows of `devices` into creates; returns how many.
    pub fn approve(&mut self, devices: &[ExternalRef]) -> usize {
        let wanted: HashSet<&ExternalRef> = devices.iter().collect();
        let mut n = 0;
        for row in &mut self.rows {
            if wanted.contains(&row.device)
                && let DeviceAction::Staged { configuration } = &row.action
            {
                row.action = DeviceAction::Create {
                    configuration: configuration.clone(),
                };
                n += 1;
            }
        }
        n
    }

    /// Records device links in `book`: automatic links of linked rows, and the configurations the report
    /// says were created or found by their sticky link. Manual entries stay (the book's rules). Returns how
    /// many links the book took.
    pub fn record_links(
        &self,
        book: &mut MappingBook,
        report: Option<&Report>,
        at: DateTime<Utc>,
    ) -> usize {
        let mut taken = 0;
        for row in &self.rows {
            if let DeviceAction::Update {
                configuration,
                confidence,
                evidence,
                ..
            }
            | DeviceAction::Unchanged {
                configuration,
                confidence,
                evidence,
            } = &row.action
            {
                let origin = Origin::automatic(*confidence, evidence.clone(), at);
                let link = Link::new(row.device.clone(), configuration.clone(), origin);
                taken += usize::from(book.link_device(link).applied());
            }
        }
        for (rmm, psa) in report.into_iter().flat_map(Report::links) {
            let origin = Origin::automatic(1.0, vec![Evidence::StickyLink], at);
            taken += usize::from(
                book.link_device(Link::new(rmm.clone(), psa.clone(), origin))
                    .applied(),
            );
        }
        taken
    }
}

impl fmt::Display for DevicePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(&[
            "device",
            "host",
            "company",
            "action",
            "configuration",
            "detail",
        ]);
        for r in &self.rows {
            let (config, detail) = row_detail(&r.action);
            t.row(vec![
                r.device.id.clone(),
                opt(r.hostname.as_deref()),
                opt(r.company.as_ref().map(|c| c.id.as_str())),
                r.action.name().to_owned(),
                config,
                detail,
            ]);
        }
        for v in &self.vanished {
            t.row(vec![
                v.linked_id.clone(),
                opt(v.name.as_deref()),
                String::new(),
                match v.action {
                    VanishedAction::Flag => "vanished (flag)".to_owned(),
                    VanishedAction::Deactivate => "vanished (deactivate)".to_owned(),
                },
                v.configuration.id.clone(),
                "RMM device gone".to_owned(),
            ]);
        }
        write!(f, "{t}")
    }
}

fn row_detail(action: &DeviceAction) -> (String, String) {
    let best = |c: &[Candidate<ExternalRef>]| {
        c.first()
            .map(|c| format!("{} {:.2}", c.target.id, c.confidence))
            .unwrap_or_default()
    };
    match action {
        DeviceAction::Create { configuration } | DeviceAction::Staged { configuration } => {
            (String::new(), format!("type {}", configuration.type_name))
        }
        DeviceAction::Update {
            configuration,
            changes,
            ..
        } => (configuration.id.clone(), diff_text(changes)),
        DeviceAction::Unchanged {
            configuration,
            evidence,
            ..
        } => (configuration.id.clone(), evidence_text(evidence)),
        DeviceAction::Suggest { candidates }
        | DeviceAction::PossibleMove { candidates }
        | DeviceAction::PossibleReactivation { candidates } => (
            best(candidates),
            format!("{} candidate(s)", candidates.len()),
        ),
        DeviceAction::Conflict { candidates, reason } => (best(candidates), format!("{reason:?}")),
        DeviceAction::Skip { reason } => (String::new(), reason.to_string()),
    }
}

/// Field changes as `field: before -> after; ...`.
pub fn diff_text(changes: &[FieldChange]) -> String {
    let parts: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} -> {}",
                c.field,
                c.before.as_deref().unwrap_or("-"),
                c.after.as_deref().unwrap_or("-")
            )
        })
        .collect();
    parts.join("; ")
}

/// What the device planner reads.
#[derive(Debug, Clone, Copy)]
pub struct DeviceInputs<'a> {
    /// RMM devices of every RMM feeding the PSA (devices of unmapped companies are skipped with the
    /// reason).
    pub devices: &'a [Device],
    /// PSA configurations (of the mapped companies at least; all of them lets moves between companies be
    /// seen). Only configurations of mapped companies are ever flagged as vanished.
    pub configurations: &'a [Device],
    /// Company links, device links, type mappings, ignore rules.
    pub book: &'a MappingBook,
}

/// Plans device creates, updates and flags.
pub fn plan_devices(
    inputs: DeviceInputs<'_>,
    policy: &DeviceSyncPolicy,
    matching: &MatchPolicy,
) -> DevicePlan {
    let systems: HashSet<&System> = inputs.devices.iter().map(|d| &d.external.system).collect();
    let configs: Vec<Device> = inputs
        .configurations
        .iter()
        .map(|c| localise(c, &systems))
        .collect();
    let scope = CompanyScope::from_book(inputs.book);
    let by_ref: HashMap<&ExternalRef, &Device> =
        inputs.devices.iter().map(|d| (&d.external, d)).collect();
    let config_by_ref: HashMap<&ExternalRef, (&Device, &Device)> = inputs
        .configurations
        .iter()
        .zip(&configs)
        .map(|(raw, local)| (&raw.external, (raw, local)))
        .collect();
    let matches = match_devices(inputs.devices, &configs, &scope, inputs.book, matching);
    let mut rows = Vec::with_capacity(matches.len());
    for m in matches {
        let Some(device) = by_ref.get(&m.device).copied() else {
            continue;
        };
        let company = scope.psa_company(device).cloned();
        let action = match m.decision {
            Decision::Linked {
                target,
                confidence,
                evidence,
            } => match config_by_ref.get(&target) {
                Some((raw, _)) => linked_action(device, raw, policy, confidence, evidence),
                None => DeviceAction::Unchanged {
                    configuration: target,
                    confidence,
                    evidence,
                },
            },
            Decision::Suggested { candidates } => DeviceAction::Suggest { candidates },
            Decision::Ambiguous { candidates, reason } => {
                DeviceAction::Conflict { candidates, reason }
            }
            Decision::Ignored { reason } => DeviceAction::Skip {
                reason: DeviceSkip::Ignored { reason },
            },
            Decision::Unmatched if !m.possible_move.is_empty() => DeviceAction::PossibleMove {
                candidates: m.possible_move,
            },
            Decision::Unmatched if !m.possible_reactivation.is_empty() => {
                DeviceAction::PossibleReactivation {
                    candidates: m.possible_reactivation,
                }
            }
            Decision::Unmatched => new_action(device, company.as_ref(), inputs.book, policy),
        };
        rows.push(DeviceRow {
            device: m.device,
            hostname: device.hostname.clone(),
            company,
            action,
        });
    }
    let vanished = vanished(&inputs, &systems, &rows, policy);
    DevicePlan { rows, vanished }
}

/// The sticky link as the matcher compares it: the bare device id when the configuration names one of the
/// RMMs planned, none when it names another one, unchanged when it carries no system.
fn localise(config: &Device, systems: &HashSet<&System>) -> Device {
    let mut c = config.clone();
    c.linked_id = local_link(config, systems).map(str::to_owned);
    c
}

fn local_link<'a>(config: &'a Device, systems: &HashSet<&System>) -> Option<&'a str> {
    let linked = config
        .linked_id
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())?;
    match split_ref(linked) {
        Some((system, id)) => systems.contains(&system).then_some(id),
        None => Some(linked),
    }
}

/// Splits `system:id` when the prefix is a system this crate knows.
fn split_ref(linked: &str) -> Option<(System, &str)> {
    let (system, id) = linked.split_once(':')?;
    match System::from(system) {
        System::Other(_) => None,
        known => Some((known, id)),
    }
}

fn new_action(
    device: &Device,
    company: Option<&ExternalRef>,
    book: &MappingBook,
    policy: &DeviceSyncPolicy,
) -> DeviceAction {
    let Some(company) = company else {
        return DeviceAction::Skip {
            reason: DeviceSkip::Ignored {
                reason: IgnoreReason::CompanyNotMapped,
            },
        };
    };
    let type_name = book
        .psa_type_for(&device.kind, device.type_name.as_deref())
        .map(|m| m.psa_type.clone())
        .or_else(|| policy.default_type.clone());
    let Some(type_name) = type_name else {
        return DeviceAction::Skip {
            reason: DeviceSkip::NoTypeMapping {
                kind: device.kind.clone(),
                category: device.type_name.clone(),
            },
        };
    };
    let fields = desired(device, policy)
        .into_iter()
        .filter(|(f, _)| *f != ConfigField::Name)
        .collect();
    let configuration = NewConfiguration {
        company: company.clone(),
        name: device
            .hostname
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map_or_else(
                || device.external.id.clone(),
                |h| cut(h, ConfigField::Name, policy),
            ),
        type_name,
        rmm_device: device.external.clone(),
        fields,
    };
    if policy.auto_sync_for(device, company) {
        DeviceAction::Create { configuration }
    } else {
        DeviceAction::Staged { configuration }
    }
}

fn linked_action(
    device: &Device,
    config: &Device,
    policy: &DeviceSyncPolicy,
    confidence: f64,
    evidence: Vec<Evidence>,
) -> DeviceAction {
    let mut changes: Vec<FieldChange> = desired(device, policy)
        .into_iter()
        .filter_map(|(field, after)| {
            let before = current(config, field);
            let changed = !same(field, before.as_deref(), &after);
            changed.then_some(FieldChange {
                field,
                before,
                after: Some(after),
            })
        })
        .collect();
    let sticky = device.external.to_string();
    if config.linked_id.as_deref() != Some(sticky.as_str()) {
        changes.push(FieldChange {
            field: ConfigField::LinkedId,
            before: config.linked_id.clone(),
            after: Some(sticky),
        });
    }
    if !config.active && device.active {
        changes.push(FieldChange {
            field: ConfigField::Active,
            before: Some("false".into()),
            after: Some("true".into()),
        });
    }
    if changes.is_empty() {
        DeviceAction::Unchanged {
            configuration: config.external.clone(),
            confidence,
            evidence,
        }
    } else {
        DeviceAction::Update {
            configuration: config.external.clone(),
            changes,
            confidence,
            evidence,
        }
    }
}

/// The values the RMM knows, in the form written to the PSA; an unknown value is never written (it would
/// clear what someone typed in the PSA).
fn desired(device: &Device, policy: &DeviceSyncPolicy) -> Vec<(ConfigField, String)> {
    use ConfigField as F;
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let serial = device
        .serial_number
        .as_deref()
        .and_then(SerialNumber::parse)
        .filter(|s| s.class() != SerialClass::Placeholder)
        .and(text(&device.serial_number));
    let mac = primary_mac(&device.mac_addresses);
    let candidates = [
        (F::Name, text(&device.hostname)),
        (F::SerialNumber, serial),
        (F::MacAddress, mac),
        (F::IpAddress, text(&device.ip_address)),
        (F::Os, text(&device.os)),
        (F::Model, text(&device.model)),
        (F::Manufacturer, text(&device.manufacturer)),
        (F::LastUser, text(&device.last_user)),
        (
            F::WarrantyExpires,
            device.warranty_expires.map(|d| d.to_string()),
        ),
    ];
    candidates
        .into_iter()
        .filter(|(f, _)| policy.fields.contains(f))
        .filter_map(|(f, v)| v.map(|v| (f, cut(&v, f, policy))))
        .collect()
}

/// The first physical, unshared MAC address; else the first parseable one.
fn primary_mac(fields: &[String]) -> Option<String> {
    let all: Vec<_> = fields.iter().flat_map(|f| parse_mac_list(f).0).collect();
    all.iter()
        .find(|m| m.is_strong())
        .or(all.first())
        .map(ToString::to_string)
}

fn cut(value: &str, field: ConfigField, policy: &DeviceSyncPolicy) -> String {
    match policy.max_len.get(&field) {
        Some(max) if value.chars().count() > *max => value.chars().take(*max).collect(),
        _ => value.to_owned(),
    }
}

fn current(config: &Device, field: ConfigField) -> Option<String> {
    use ConfigField as F;
    match field {
        F::Name => config.hostname.clone(),
        F::Type => config.type_name.clone(),
        F::SerialNumber => config.serial_number.clone(),
        F::MacAddress => {
            let joined = config.mac_addresses.join(", ");
            (!joined.is_empty()).then_some(joined)
        }
        F::IpAddress => config.ip_address.clone(),
        F::Os => config.os.clone(),
        F::Model => config.model.clone(),
        F::Manufacturer => config.manufacturer.clone(),
        F::LastUser => config.last_user.clone(),
        F::WarrantyExpires => config.warranty_expires.map(|d| d.to_string()),
        F::LinkedId => config.linked_id.clone(),
        F::Active => Some(config.active.to_string()),
    }
}

/// Equal as the PSA compares: MACs by address, dates by day, text trimmed and case-folded.
fn same(field: ConfigField, before: Option<&str>, after: &str) -> bool {
    let Some(before) = before else {
        return false;
    };
    match field {
        ConfigField::MacAddress => {
            let (wanted, _) = parse_mac_list(after);
            let (held, _) = parse_mac_list(before);
            wanted.first().is_some_and(|w| held.contains(w))
        }
        ConfigField::WarrantyExpires => {
            let day = |s: &str| s.get(..10).and_then(|d| d.parse::<NaiveDate>().ok());
            day(before).is_some() && day(before) == day(after)
        }
        _ => before.trim().to_lowercase() == after.trim().to_lowercase(),
    }
}

fn vanished(
    inputs: &DeviceInputs<'_>,
    systems: &HashSet<&System>,
    rows: &[DeviceRow],
    policy: &DeviceSyncPolicy,
) -> Vec<VanishedRow> {
    // An empty inventory is far more often a failed or filtered fetch than a fleet that vanished.
    if inputs.devices.is_empty() {
        return Vec::new();
    }
    let present: HashSet<&str> = inputs
        .devices
        .iter()
        .map(|d| d.external.id.as_str())
        .collect();
    let linked: HashSet<&ExternalRef> = rows.iter().filter_map(|r| r.action.linked()).collect();
    let mapped: HashSet<&ExternalRef> = inputs.book.company_links().map(|l| &l.psa).collect();
    let mut out: Vec<VanishedRow> = inputs
        .configurations
        .iter()
        .filter(|c| c.active && !linked.contains(&c.external))
        .filter(|c| c.company.as_ref().is_some_and(|co| mapped.contains(co)))
        .filter_map(|c| {
            let id = local_link(c, systems)?;
            (!present.contains(id)).then(|| VanishedRow {
                configuration: c.external.clone(),
                name: c.hostname.clone(),
                linked_id: c.linked_id.clone().unwrap_or_default(),
                action: policy.vanished,
            })
        })
        .collect();
    out.sort_by(|a, b| a.configuration.cmp(&b.configuration));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::{IgnoreRule, IgnoreTarget, TypeMapping, TypeSource};
    use crate::sync::executor::{Executor, StepOutcome};
    use crate::sync::fakes::FakeStore;
    use crate::sync::source;
    use std::sync::atomic::Ordering;

    const SITE_A: &str = "site-a";
    const SITE_B: &str = "site-b";
    const SITE_UNMAPPED: &str = "site-x";

    fn rmm(id: &str) -> ExternalRef {
        ExternalRef::new(System::DattoRmm, id)
    }

    fn psa(id: &str) -> ExternalRef {
        ExternalRef::new(System::CwManage, id)
    }

    fn device(id: &str, site: &str, serial: &str, mac: &str) -> Device {
        let mut d = Device::new(rmm(id));
        d.site = Some(rmm(site));
        d.hostname = Some(format!("PC-{id}").to_uppercase());
        d.kind = DeviceKind::Workstation;
        d.type_name = Some("Desktop".into());
        d.serial_number = Some(serial.into());
        d.mac_addresses = vec![mac.into()];
        d.os = Some("Windows 11 Pro".into());
        d.ip_address = Some("10.0.0.5".into());
        d
    }

    fn config(id: &str, company: &str, name: &str, serial: &str) -> Device {
        let mut c = Device::new(psa(id));
        c.company = Some(psa(company));
        c.hostname = Some(name.into());
        c.serial_number = Some(serial.into());
        c.type_name = Some("Managed Workstation".into());
        c
    }

    fn book() -> MappingBook {
        let at = Utc::now();
        let mut b = MappingBook::new();
        for (site, company) in [(SITE_A, "250"), (SITE_B, "260")] {
            b.link_company(Link::new(
                rmm(site),
                psa(company),
                Origin::manual("tester", at, None),
            ));
        }
        b.map_type(TypeMapping {
            source: TypeSource::Kind(DeviceKind::Workstation),
            psa_type: "Managed Workstation".into(),
            origin: Origin::manual("tester", at, None),
        });
        b
    }

    struct World {
        store: FakeStore,
        book: MappingBook,
        policy: DeviceSyncPolicy,
    }

    impl World {
        fn new(configs: Vec<Device>) -> Self {
            let store = FakeStore::default();
            *store.configs.lock().unwrap() = configs;
            Self {
                store,
                book: book(),
                policy: DeviceSyncPolicy::default(),
            }
        }

        async fn plan(&self, devices: &[Device]) -> DevicePlan {
            let companies = [psa("250"), psa("260")];
            let configs = source::configurations_of(&self.store, &companies, 2)
                .await
                .unwrap();
            plan_devices(
                DeviceInputs {
                    devices,
                    configurations: &configs,
                    book: &self.book,
                },
                &self.policy,
                &MatchPolicy::default(),
            )
        }

        async fn cycle(&mut self, devices: &[Device], exec: &Executor) -> (DevicePlan, Report) {
            let plan = self.plan(devices).await;
            let report = exec.apply_devices(&plan, &self.store).await;
            plan.record_links(&mut self.book, Some(&report), Utc::now());
            (plan, report)
        }
    }

    fn row<'a>(plan: &'a DevicePlan, id: &str) -> &'a DeviceRow {
        plan.rows.iter().find(|r| r.device.id == id).unwrap()
    }

    fn fleet() -> Vec<Device> {
        (0..6)
            .map(|i| {
                device(
                    &format!("d{i}"),
                    SITE_A,
                    &format!("SN-{i:04}X"),
                    &format!("00:1A:2B:3C:4D:{i:02X}"),
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn linked_device_gets_field_diffs_then_nothing() {
        let mut w = World::new(vec![config("900", "250", "PC-D0", "SN-0000X")]);
        let devices = fleet();
        let exec = Executor::new().apply(true);
        let (plan, report) = w.cycle(&devices[..1], &exec).await;
        let DeviceAction::Update {
            configuration,
            changes,
            evidence,
            ..
        } = &row(&plan, "d0").action
        else {
            panic!("expected update:\n{plan}")
        };
        assert_eq!(configuration.id, "900");
        assert!(evidence.contains(&Evidence::Serial), "{evidence:?}");
        let fields: Vec<ConfigField> = changes.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            vec![
                ConfigField::MacAddress,
                ConfigField::IpAddress,
                ConfigField::Os,
                ConfigField::LinkedId
            ]
        );
        assert!(
            plan.to_string().contains("mac: - -> 00:1a:2b:3c:4d:00"),
            "{plan}"
        );
        assert_eq!(report.written(), 1);
        let (again, report) = w.cycle(&devices[..1], &exec).await;
        assert!(again.is_noop(), "{again}");
        assert!(report.entries.is_empty());
    }

    #[tokio::test]
    async fn new_devices_are_created_once_with_mapped_type() {
        let mut w = World::new(Vec::new());
        let exec = Executor::new().apply(true).concurrency(3);
        let (plan, report) = w.cycle(&fleet(), &exec).await;
        assert_eq!(plan.counts().get("create"), Some(&6), "{plan}");
        assert_eq!(report.written(), 6);
        let created = w.store.all();
        assert!(
            created
                .iter()
                .all(|c| c.type_name.as_deref() == Some("Managed Workstation"))
        );
        assert_eq!(created[0].linked_id.as_deref(), Some("datto-rmm:d0"));
        assert_eq!(w.book.device_links().count(), 6);
        let (again, _) = w.cycle(&fleet(), &exec).await;
        assert!(again.is_noop(), "{again}");
        assert_eq!(again.counts().get("unchanged"), Some(&6));
        assert_eq!(w.store.created.load(Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn failure_mid_apply_then_rerun_completes_without_doubles() {
        let mut w = World::new(Vec::new());
        w.store.faults.refuse.lock().unwrap().insert(2);
        w.store.faults.lose_answer.lock().unwrap().insert(4);
        let exec = Executor::new().apply(true).concurrency(1);
        let (_, report) = w.cycle(&fleet(), &exec).await;
        let failed: Vec<&str> = report.failures().map(|e| e.subject.as_str()).collect();
        assert_eq!(failed, vec!["datto-rmm:d1", "datto-rmm:d3"], "{report}");
        assert_eq!(report.written(), 4);
        // d3 was stored although its answer was lost.
        assert_eq!(w.store.all().len(), 5);
        w.store.faults.clear();
        // A stale re-apply of the same plan finds d3 by its sticky link.
        let (plan2, report2) = w.cycle(&fleet(), &exec).await;
        assert_eq!(plan2.counts().get("create"), Some(&1), "{plan2}");
        assert_eq!(report2.written(), 1);
        assert_eq!(w.store.all().len(), 6);
        let mut stale = plan2.clone();
        stale.rows.iter_mut().for_each(|r| {
            if let DeviceAction::Unchanged { .. } = r.action {
                let d = fleet()
                    .into_iter()
                    .find(|d| d.external == r.device)
                    .unwrap();
                r.action = DeviceAction::Create {
                    configuration: NewConfiguration {
                        company: psa("250"),
                        name: "x".into(),
                        type_name: "t".into(),
                        rmm_device: d.external,
                        fields: Vec::new(),
                    },
                };
            }
        });
        let report3 = exec.apply_devices(&stale, &w.store).await;
        assert!(
            report3
                .entries
                .iter()
                .all(|e| matches!(e.outcome, StepOutcome::AlreadyThere { .. }))
        );
        assert_eq!(w.store.all().len(), 6, "never doubled");
    }

    #[tokio::test]
    async fn ignored_categories_unmapped_companies_and_missing_types_are_skipped_with_reasons() {
        let mut w = World::new(Vec::new());
        w.book.ignore(IgnoreRule {
            target: IgnoreTarget::category("Printer"),
            origin: Origin::manual("tester", Utc::now(), None),
        });
        let mut printer = device("p1", SITE_A, "PRN-1", "00:1A:2B:00:00:01");
        printer.type_name = Some("Printer".into());
        printer.kind = DeviceKind::Printer;
        let stray = device("s1", SITE_UNMAPPED, "SN-STRAY", "00:1A:2B:00:00:02");
        let mut phone = device("m1", SITE_A, "SN-PHONE", "00:1A:2B:00:00:03");
        phone.kind = DeviceKind::Mobile;
        phone.type_name = Some("Mobile".into());
        let plan = w.plan(&[printer, stray, phone]).await;
        let reason = |id| match &row(&plan, id).action {
            DeviceAction::Skip { reason } => reason.clone(),
            other => panic!("{id}: {other:?}"),
        };
        assert!(matches!(
            reason("p1"),
            DeviceSkip::Ignored {
                reason: IgnoreReason::Rule { .. }
            }
        ));
        assert_eq!(
            reason("s1"),
            DeviceSkip::Ignored {
                reason: IgnoreReason::CompanyNotMapped
            }
        );
        assert!(matches!(reason("m1"), DeviceSkip::NoTypeMapping { .. }));
        assert!(plan.to_string().contains("no type mapping for mobile"));
        assert!(plan.is_noop());
        w.policy.default_type = Some("Other".into());
        assert!(matches!(
            row(
                &w.plan(&[device("m2", SITE_A, "SN-M2", "00:1A:2B:00:00:04")])
                    .await,
                "m2"
            )
            .action,
            DeviceAction::Create { .. }
        ));
    }

    #[tokio::test]
    async fn auto_sync_off_stages_new_devices_until_approved() {
        let mut w = World::new(Vec::new());
        w.policy
            .auto_sync_by_mapping
            .insert(rmm(SITE_A).to_string(), false);
        let mut plan = w.plan(&fleet()[..2]).await;
        assert_eq!(plan.counts().get("staged"), Some(&2), "{plan}");
        assert!(plan.is_noop());
        assert_eq!(plan.approve(&[rmm("d1")]), 1);
        let report = Executor::new()
            .apply(true)
            .apply_devices(&plan, &w.store)
            .await;
        assert_eq!(report.written(), 1);
        assert_eq!(w.store.all()[0].linked_id.as_deref(), Some("datto-rmm:d1"));
    }

    #[tokio::test]
    async fn strong_key_elsewhere_is_a_move_or_reactivation_not_a_create() {
        let mut inactive = config("902", "250", "OLD-PC", "SN-0002X");
        inactive.active = false;
        let w = World::new(vec![config("901", "260", "PC-D1", "SN-0001X"), inactive]);
        let plan = w.plan(&fleet()[..3]).await;
        assert_eq!(row(&plan, "d1").action.name(), "possible move", "{plan}");
        assert_eq!(
            row(&plan, "d2").action.name(),
            "possible reactivation",
            "{plan}"
        );
        assert_eq!(row(&plan, "d0").action.name(), "create");
    }

    #[tokio::test]
    async fn vanished_devices_are_flagged_or_deactivated_never_deleted() {
        let mut gone = config("903", "250", "PC-GONE", "SN-GONE");
        gone.linked_id = Some("datto-rmm:gone".into());
        let mut other_rmm = config("904", "250", "PC-ASIO", "SN-ASIO");
        other_rmm.linked_id = Some("cw-asio:abc".into());
        let mut legacy = config("905", "250", "PC-LEGACY", "SN-LEGACY");
        legacy.linked_id = Some("legacy-gone".into());
        let mut w = World::new(vec![gone, other_rmm, legacy]);
        let plan = w.plan(&fleet()[..1]).await;
        let flagged: Vec<&str> = plan
            .vanished
            .iter()
            .map(|v| v.configuration.id.as_str())
            .collect();
        assert_eq!(flagged, vec!["903", "905"], "{plan}");
        assert_eq!(plan.vanished[0].action, VanishedAction::Flag);
        assert!(plan.to_string().contains("vanished (flag)"));
        assert!(
            w.plan(&[]).await.vanished.is_empty(),
            "an empty inventory flags nothing"
        );
        w.policy.vanished = VanishedAction::Deactivate;
        let exec = Executor::new().apply(true);
        let (_, report) = w.cycle(&fleet()[..1], &exec).await;
        assert!(
            report
                .entries
                .iter()
                .any(|e| e.action == "deactivate" && e.is_done())
        );
        assert_eq!(w.store.all().len(), 4, "1 created, none deleted");
        assert!(
            !w.store
                .all()
                .iter()
                .find(|c| c.external.id == "903")
                .unwrap()
                .active
        );
        let (again, _) = w.cycle(&fleet()[..1], &exec).await;
        assert!(again.is_noop(), "{again}");
    }

    #[test]
    fn plan_round_trips_json() {
        let plan = DevicePlan {
            rows: vec![DeviceRow {
                device: rmm("d0"),
                hostname: Some("PC".into()),
                company: Some(psa("250")),
                action: DeviceAction::Skip {
                    reason: DeviceSkip::NoTypeMapping {
                        kind: DeviceKind::Mobile,
                        category: None,
                    },
                },
            }],
            vanished: Vec::new(),
        };
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<DevicePlan>(&json).unwrap(), plan);
    }
}

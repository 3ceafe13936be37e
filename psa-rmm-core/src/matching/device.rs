//! RMM devices -> PSA configurations, inside the PSA company each device's site is mapped to, with
//! tenant-wide indexes so a strong key seen in another company or on an inactive configuration is reported as
//! a possible move or reactivation instead of leaving the device to be created again.

use super::hash::FxMap;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::decision::rank;
use super::keys::{
    HOSTNAME, Index, Keys, MAC, NO_COMPANY, SERIAL, STRONG, VIRTUAL_MAC, VIRTUAL_SERIAL,
};
use super::{
    AmbiguityReason, Candidate, CompanyMatch, Decision, Evidence, IgnoreReason, MatchPolicy,
};
use crate::mapping::{IgnoreTarget, MappingBook};
use crate::model::{Device, ExternalRef};

/// Which PSA company each RMM site or company belongs to: the scope device matching works in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompanyScope {
    map: FxMap<ExternalRef, ExternalRef>,
}

impl CompanyScope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// The company links of a mapping book.
    pub fn from_book(book: &MappingBook) -> Self {
        let mut scope = Self::new();
        for link in book.company_links() {
            scope.insert(link.rmm.clone(), link.psa.clone());
        }
        scope
    }

    /// Adds the `Linked` decisions of a company matching run (book links stay where they disagree).
    pub fn add_decisions(&mut self, decisions: &[CompanyMatch]) {
        for m in decisions {
            if let Some(target) = m.decision.linked() {
                self.map
                    .entry(m.rmm.clone())
                    .or_insert_with(|| target.clone());
            }
        }
    }

    /// Maps an RMM site or company to a PSA company, replacing any earlier entry.
    pub fn insert(&mut self, rmm: ExternalRef, psa: ExternalRef) {
        self.map.insert(rmm, psa);
    }

    /// The PSA company of an RMM device: by its site first, then by its company.
    pub fn psa_company(&self, device: &Device) -> Option<&ExternalRef> {
        device
            .site
            .as_ref()
            .and_then(|s| self.map.get(s))
            .or_else(|| device.company.as_ref().and_then(|c| self.map.get(c)))
    }
}

/// The matching result of one RMM device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceMatch {
    /// The RMM device.
    pub device: ExternalRef,
    /// What to do with it.
    pub decision: Decision<ExternalRef>,
    /// Active configurations of other PSA companies that share a strong key (serial or physical MAC) with the
    /// device: the device may have moved. Filled only when the decision is not `Linked`; a planner should
    /// report these instead of creating a configuration.
    pub possible_move: Vec<Candidate<ExternalRef>>,
    /// Inactive configurations that share a strong key with the device: it may be back. Filled only when the
    /// decision is not `Linked`; a planner should report these instead of creating a configuration.
    pub possible_reactivation: Vec<Candidate<ExternalRef>>,
}

/// Matches RMM devices to PSA configurations.
///
/// `scope` says which PSA company each RMM site or company belongs to; devices outside it are
/// `Ignored { CompanyNotMapped }`. `book` supplies device links (sticky, first) and ignore rules. The result
/// holds one entry per RMM device, sorted by device reference; the same input in any order gives the same
/// output.
pub fn match_devices(
    rmm: &[Device],
    psa: &[Device],
    scope: &CompanyScope,
    book: &MappingBook,
    policy: &MatchPolicy,
) -> Vec<DeviceMatch> {
    let mut order: Vec<usize> = (0..rmm.len()).collect();
    order.sort_by(|a, b| rmm[*a].external.cmp(&rmm[*b].external));
    let (index, keys) = Index::new(rmm, psa, policy);
    let run = Run::new(rmm, &index, book, policy);
    let sticky = run.sticky_links(&order);
    let mut held: FxMap<u32, usize> = FxMap::default();
    for (i, s) in &sticky {
        if let Sticky::Link { slot: Some(j), .. } = s {
            held.insert(*j, *i);
        }
    }
    let mut results: Vec<(usize, Outcome)> = order
        .iter()
        .map(|&i| {
            let outcome = match sticky.get(&i) {
                Some(s) => s.outcome(),
                None => run.by_keys(i, &keys[i], scope, &held),
            };
            (i, outcome)
        })
        .collect();
    resolve_contention(&mut results, rmm);
    results
        .into_iter()
        .map(|(i, mut o)| {
            if o.decision.linked().is_some() {
                o.moves.clear();
                o.reactivations.clear();
            }
            DeviceMatch {
                device: rmm[i].external.clone(),
                decision: o.decision,
                possible_move: o.moves,
                possible_reactivation: o.reactivations,
            }
        })
        .collect()
}

/// A decision in the making; `slot` is the configuration a provisional key-based link points at.
struct Outcome {
    decision: Decision<ExternalRef>,
    slot: Option<u32>,
    candidates: Vec<Candidate<ExternalRef>>,
    moves: Vec<Candidate<ExternalRef>>,
    reactivations: Vec<Candidate<ExternalRef>>,
}

impl Outcome {
    fn of(decision: Decision<ExternalRef>) -> Self {
        Self {
            decision,
            slot: None,
            candidates: Vec::new(),
            moves: Vec::new(),
            reactivations: Vec::new(),
        }
    }
}

/// A stored link decided before keys are compared.
enum Sticky {
    Link {
        target: ExternalRef,
        slot: Option<u32>,
        evidence: Evidence,
    },
    Ignored(IgnoreTarget),
    Several(Vec<ExternalRef>),
    Contended(Vec<ExternalRef>, Vec<ExternalRef>),
}

impl Sticky {
    fn outcome(&self) -> Outcome {
        let sticky = |t: &ExternalRef| Candidate {
            target: t.clone(),
            confidence: 1.0,
            evidence: vec![Evidence::StickyLink],
        };
        Outcome::of(match self {
            Self::Link {
                target, evidence, ..
            } => Decision::Linked {
                target: target.clone(),
                confidence: 1.0,
                evidence: vec![evidence.clone()],
            },
            Self::Ignored(target) => Decision::Ignored {
                reason: IgnoreReason::Rule {
                    target: target.clone(),
                },
            },
            Self::Several(targets) => Decision::Ambiguous {
                candidates: targets.iter().map(sticky).collect(),
                reason: AmbiguityReason::KeyHitsSeveral,
            },
            Self::Contended(targets, with) => Decision::Ambiguous {
                candidates: targets.iter().map(sticky).collect(),
                reason: AmbiguityReason::Contended { with: with.clone() },
            },
        })
    }
}

/// Lookups shared by every device of one run.
struct Run<'a> {
    rmm: &'a [Device],
    index: &'a Index<'a>,
    book: &'a MappingBook,
    policy: &'a MatchPolicy,
    by_ref: FxMap<&'a ExternalRef, u32>,
    by_id: FxMap<&'a str, Vec<u32>>,
    by_linked_id: FxMap<&'a str, Vec<u32>>,
    ignored: FxMap<u32, IgnoreTarget>,
}

impl<'a> Run<'a> {
    fn new(
        rmm: &'a [Device],
        index: &'a Index<'a>,
        book: &'a MappingBook,
        policy: &'a MatchPolicy,
    ) -> Self {
        let mut run = Self {
            rmm,
            index,
            book,
            policy,
            by_ref: FxMap::default(),
            by_id: FxMap::default(),
            by_linked_id: FxMap::default(),
            ignored: FxMap::default(),
        };
        for (j, c) in index.configs.iter().enumerate() {
            let j = u32::try_from(j).unwrap_or(u32::MAX);
            run.by_ref.insert(&c.device.external, j);
            run.by_id
                .entry(c.device.external.id.as_str())
                .or_default()
                .push(j);
            if let Some(l) = c.device.linked_id.as_deref() {
                run.by_linked_id.entry(l).or_default().push(j);
            }
            if let Some(rule) = book.device_ignore(c.device) {
                run.ignored.insert(j, rule.target.clone());
            }
        }
        run
    }

    /// Ignore rules and stored links, for the devices they decide (keyed by device slot). Book links come
    /// before `linked_id` fields; a configuration claimed twice by fields is contended.
    fn sticky_links(&self, order: &[usize]) -> BTreeMap<usize, Sticky> {
        let mut out = BTreeMap::new();
        let mut claimed: FxMap<u32, Vec<usize>> = FxMap::default();
        let mut field_links: Vec<(usize, Vec<u32>)> = Vec::new();
        for &i in order {
            let d = &self.rmm[i];
            if let Some(rule) = self.book.device_ignore(d) {
                out.insert(i, Sticky::Ignored(rule.target.clone()));
            } else if let Some(link) = self.book.device_link(&d.external)
                && (link.origin.is_manual() || self.by_ref.contains_key(&link.psa))
            {
                let slot = self.by_ref.get(&link.psa).copied();
                let evidence = if link.origin.is_manual() {
                    Evidence::Manual
                } else {
                    Evidence::StickyLink
                };
                if let Some(j) = slot {
                    claimed.entry(j).or_default().push(i);
                }
                out.insert(
                    i,
                    Sticky::Link {
                        target: link.psa.clone(),
                        slot,
                        evidence,
                    },
                );
            } else {
                let mut slots: Vec<u32> = self.field_link_slots(d);
                slots.retain(|j| {
                    self.book
                        .device_link_to(&self.index.configs[*j as usize].device.external)
                        .is_none()
                });
                if !slots.is_empty() {
                    field_links.push((i, slots));
                }
            }
        }
        let mut by_slot: FxMap<u32, Vec<usize>> = FxMap::default();
        for (i, slots) in &field_links {
            for j in slots {
                by_slot.entry(*j).or_default().push(*i);
            }
        }
        for (i, slots) in field_links {
            let target = |j: &u32| self.index.configs[*j as usize].device.external.clone();
            let mut targets: Vec<ExternalRef> = slots.iter().map(target).collect();
            targets.sort();
            let rivals: Vec<ExternalRef> = slots
                .iter()
                .flat_map(|j| by_slot.get(j).into_iter().flatten())
                .chain(
                    slots
                        .iter()
                        .flat_map(|j| claimed.get(j).into_iter().flatten()),
                )
                .filter(|k| **k != i)
                .map(|k| self.rmm[*k].external.clone())
                .collect();
            let sticky = if !rivals.is_empty() {
                let mut rivals = rivals;
                rivals.sort();
                rivals.dedup();
                Sticky::Contended(targets, rivals)
            } else if let [j] = slots.as_slice() {
                Sticky::Link {
                    target: target(j),
                    slot: Some(*j),
                    evidence: Evidence::StickyLink,
                }
            } else {
                Sticky::Several(targets)
            };
            out.insert(i, sticky);
        }
        out
    }

    /// Configurations that store this device's id, or whose id the device stores.
    fn field_link_slots(&self, d: &Device) -> Vec<u32> {
        let mut slots: Vec<u32> = self
            .by_linked_id
            .get(d.external.id.as_str())
            .into_iter()
            .flatten()
            .copied()
            .collect();
        if let Some(l) = d.linked_id.as_deref() {
            slots.extend(self.by_id.get(l).into_iter().flatten());
        }
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// Matches one device by its keys.
    fn by_keys(
        &self,
        i: usize,
        keys: &Keys,
        scope: &CompanyScope,
        held: &FxMap<u32, usize>,
    ) -> Outcome {
        let Some(company) = scope.psa_company(&self.rmm[i]) else {
            return Outcome::of(Decision::Ignored {
                reason: IgnoreReason::CompanyNotMapped,
            });
        };
        let cid = self
            .index
            .company_ids
            .get(company)
            .copied()
            .unwrap_or(NO_COMPANY);
        let mut out = Outcome::of(Decision::Unmatched);
        let mut held_hits: Vec<(Candidate<ExternalRef>, usize)> = Vec::new();
        let mut ignored_hit: Option<&IgnoreTarget> = None;
        for (j, flags) in self.index.hits(keys, cid) {
            let config = &self.index.configs[j as usize];
            let strong = flags & STRONG != 0;
            let candidate = Candidate {
                target: config.device.external.clone(),
                confidence: self.confidence(flags),
                evidence: evidence(flags),
            };
            if let Some(rule) = self.ignored.get(&j) {
                if strong && ignored_hit.is_none_or(|r| rule < r) {
                    ignored_hit = Some(rule);
                }
            } else if let Some(&h) = held.get(&j).filter(|h| **h != i) {
                if strong {
                    held_hits.push((candidate, h));
                }
            } else if !config.device.active {
                if strong {
                    out.reactivations.push(candidate);
                }
            } else if config.company != cid {
                if strong {
                    out.moves.push(candidate);
                }
            } else {
                out.candidates.push(candidate);
            }
        }
        rank(&mut out.candidates);
        rank(&mut out.moves);
        rank(&mut out.reactivations);
        out.decision = self.decide(&out.candidates, held_hits, ignored_hit);
        out.slot = out
            .decision
            .linked()
            .and_then(|t| self.by_ref.get(t).copied());
        out.candidates
            .retain(|c| c.confidence >= self.policy.suggest);
        out.candidates.truncate(self.policy.max_suggestions);
        out
    }

    fn decide(
        &self,
        candidates: &[Candidate<ExternalRef>],
        mut held_hits: Vec<(Candidate<ExternalRef>, usize)>,
        ignored_hit: Option<&IgnoreTarget>,
    ) -> Decision<ExternalRef> {
        let p = self.policy;
        let shown = || -> Vec<Candidate<ExternalRef>> {
            candidates
                .iter()
                .filter(|c| c.confidence >= p.suggest)
                .take(p.max_suggestions)
                .cloned()
                .collect()
        };
        if let Some(best) = candidates.first()
            && best.confidence >= p.auto_link
        {
            let runner = candidates.get(1);
            if runner.is_none_or(|r| best.confidence - r.confidence + 1e-9 >= p.min_margin) {
                return Decision::Linked {
                    target: best.target.clone(),
                    confidence: best.confidence,
                    evidence: best.evidence.clone(),
                };
            }
            let shares_key = runner.is_some_and(|r| r.evidence.first() == best.evidence.first());
            return Decision::Ambiguous {
                candidates: shown(),
                reason: if shares_key {
                    AmbiguityReason::KeyHitsSeveral
                } else {
                    AmbiguityReason::CloseCandidates
                },
            };
        }
        if !held_hits.is_empty() {
            held_hits.sort_by(|a, b| {
                b.0.confidence
                    .total_cmp(&a.0.confidence)
                    .then_with(|| a.0.target.cmp(&b.0.target))
            });
            let holder = self.rmm[held_hits[0].1].external.clone();
            return Decision::Ambiguous {
                candidates: held_hits.into_iter().map(|(c, _)| c).collect(),
                reason: AmbiguityReason::HeldByOtherDevice { holder },
            };
        }
        if let Some(target) = ignored_hit {
            return Decision::Ignored {
                reason: IgnoreReason::Rule {
                    target: target.clone(),
                },
            };
        }
        let shown = shown();
        if shown.is_empty() {
            Decision::Unmatched
        } else {
            Decision::Suggested { candidates: shown }
        }
    }

    fn confidence(&self, flags: u8) -> f64 {
        let p = self.policy;
        let named = flags & HOSTNAME != 0;
        if flags & SERIAL != 0 {
            if flags & (HOSTNAME | MAC) != 0 {
                p.device_serial_confirmed
            } else {
                p.device_serial
            }
        } else if flags & MAC != 0 {
            if named {
                p.device_mac_confirmed
            } else {
                p.device_mac
            }
        } else if flags & (VIRTUAL_SERIAL | VIRTUAL_MAC) != 0 {
            if named {
                p.device_weak_confirmed
            } else {
                p.device_weak
            }
        } else {
            p.device_hostname
        }
    }
}

/// The agreeing keys of a hit, strongest first.
fn evidence(flags: u8) -> Vec<Evidence> {
    [
        (SERIAL, Evidence::Serial),
        (MAC, Evidence::Mac),
        (VIRTUAL_SERIAL, Evidence::VirtualSerial),
        (VIRTUAL_MAC, Evidence::VirtualMac),
        (HOSTNAME, Evidence::Hostname),
    ]
    .into_iter()
    .filter(|(f, _)| flags & f != 0)
    .map(|(_, e)| e)
    .collect()
}

/// One configuration, one device: when key-based links of several devices point at one configuration, none
/// of them is linked.
fn resolve_contention(results: &mut [(usize, Outcome)], rmm: &[Device]) {
    let mut wanted: FxMap<u32, Vec<usize>> = FxMap::default();
    for (pos, (_, o)) in results.iter().enumerate() {
        if let Some(j) = o.slot {
            wanted.entry(j).or_default().push(pos);
        }
    }
    for positions in wanted.into_values().filter(|p| p.len() > 1) {
        for &pos in &positions {
            let mut with: Vec<ExternalRef> = positions
                .iter()
                .filter(|p| **p != pos)
                .map(|p| rmm[results[*p].0].external.clone())
                .collect();
            with.sort();
            let o = &mut results[pos].1;
            o.decision = Decision::Ambiguous {
                candidates: std::mem::take(&mut o.candidates),
                reason: AmbiguityReason::Contended { with },
            };
            o.slot = None;
        }
    }
}

//! RMM devices -> PSA configurations, inside the PSA company each device's site is mapped to, with
//! tenant-wide indexes so a strong key seen in another company or on an inactive configuration is reported as
//! a possible move or reactivation instead of leaving the device to be created again.

use super::hash::FxMap;
use serde::{Deserialize, Serialize};

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
    for (i, s) in sticky.iter().enumerate() {
        if let Some(Sticky::Link { slot: Some(j), .. }) = s {
            held.insert(*j, i);
        }
    }
    let mut hits = Vec::new();
    let mut results: Vec<(usize, Outcome)> = order
        .iter()
        .map(|&i| {
            let outcome = match &sticky[i] {
                Some(s) => s.outcome(),
                None => run.by_keys(i, &keys[i], scope, &held, &mut hits),
            };
            (i, outcome)
        })
        .collect();
    run.resolve_contention(&mut results);
    results
        .into_iter()
        .map(|(i, o)| {
            let linked = o.decision.linked().is_some();
            let report = |hits: &[(u32, u8)]| {
                if linked {
                    Vec::new()
                } else {
                    run.candidates(hits)
                }
            };
            DeviceMatch {
                device: rmm[i].external.clone(),
                possible_move: report(&o.moves),
                possible_reactivation: report(&o.reactivations),
                decision: o.decision,
            }
        })
        .collect()
}

/// A decision in the making. Hits are (configuration slot, agreeing keys), best first; they become
/// candidates only when shown, so the common case allocates little.
struct Outcome {
    decision: Decision<ExternalRef>,
    /// The configuration a key-based link points at (one-to-one check).
    slot: Option<u32>,
    /// Candidates worth showing if the link is withdrawn.
    shown: Vec<(u32, u8)>,
    moves: Vec<(u32, u8)>,
    reactivations: Vec<(u32, u8)>,
}

impl Outcome {
    fn of(decision: Decision<ExternalRef>) -> Self {
        Self {
            decision,
            slot: None,
            shown: Vec::new(),
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
        // Each lookup is built only when something can use it: most runs have no book links, and the RMM
        // may not store PSA ids.
        let book_links = book.device_links().next().is_some();
        let rmm_links = rmm.iter().any(|d| d.linked_id.is_some());
        let ignores = book.ignore_rules().next().is_some();
        for (j, c) in index.configs.iter().enumerate() {
            let j = u32::try_from(j).unwrap_or(u32::MAX);
            if book_links {
                run.by_ref.insert(&c.device.external, j);
            }
            if rmm_links {
                run.by_id
                    .entry(c.device.external.id.as_str())
                    .or_default()
                    .push(j);
            }
            if let Some(l) = c.device.linked_id.as_deref() {
                run.by_linked_id.entry(l).or_default().push(j);
            }
            if ignores && let Some(rule) = book.device_ignore(c.device) {
                run.ignored.insert(j, rule.target.clone());
            }
        }
        run
    }

    /// Ignore rules and stored links, for the devices they decide (keyed by device slot). Book links come
    /// before `linked_id` fields; a configuration claimed twice by fields is contended.
    fn sticky_links(&self, order: &[usize]) -> Vec<Option<Sticky>> {
        let mut out: Vec<Option<Sticky>> = Vec::new();
        out.resize_with(self.rmm.len(), || None);
        let mut claimed: FxMap<u32, Vec<usize>> = FxMap::default();
        let mut field_links: Vec<(usize, Vec<u32>)> = Vec::new();
        for &i in order {
            let d = &self.rmm[i];
            if let Some(rule) = self.book.device_ignore(d) {
                out[i] = Some(Sticky::Ignored(rule.target.clone()));
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
                out[i] = Some(Sticky::Link {
                    target: link.psa.clone(),
                    slot,
                    evidence,
                });
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
            out[i] = Some(sticky);
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
        hits: &mut Vec<(u32, u8)>,
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
        let mut candidates: Vec<(u32, u8)> = Vec::new();
        let mut held_hits: Vec<((u32, u8), usize)> = Vec::new();
        let mut ignored_hit: Option<&IgnoreTarget> = None;
        self.index.hits(keys, cid, hits);
        for &(j, flags) in hits.iter() {
            let config = &self.index.configs[j as usize];
            let strong = flags & STRONG != 0;
            if let Some(rule) = self.ignored.get(&j) {
                if strong && ignored_hit.is_none_or(|r| rule < r) {
                    ignored_hit = Some(rule);
                }
            } else if let Some(&h) = held.get(&j).filter(|h| **h != i) {
                if strong {
                    held_hits.push(((j, flags), h));
                }
            } else if !config.device.active {
                if strong {
                    out.reactivations.push((j, flags));
                }
            } else if config.company != cid {
                if strong {
                    out.moves.push((j, flags));
                }
            } else {
                candidates.push((j, flags));
            }
        }
        self.rank(&mut candidates);
        self.rank(&mut out.moves);
        self.rank(&mut out.reactivations);
        (out.decision, out.slot) = self.decide(&candidates, held_hits, ignored_hit);
        out.shown = self.shown(&candidates);
        out
    }

    /// Best first: confidence descending, then configuration reference, so ties never depend on input order.
    fn rank(&self, hits: &mut [(u32, u8)]) {
        if hits.len() > 1 {
            hits.sort_by(|a, b| self.order(*a, *b));
        }
    }

    fn order(&self, a: (u32, u8), b: (u32, u8)) -> std::cmp::Ordering {
        self.confidence(b.1)
            .total_cmp(&self.confidence(a.1))
            .then_with(|| self.config(a.0).external.cmp(&self.config(b.0).external))
    }

    fn config(&self, slot: u32) -> &Device {
        self.index.configs[slot as usize].device
    }

    /// Ranked hits at or above the suggestion threshold, at most `max_suggestions`.
    fn shown(&self, ranked: &[(u32, u8)]) -> Vec<(u32, u8)> {
        ranked
            .iter()
            .copied()
            .filter(|(_, f)| self.confidence(*f) >= self.policy.suggest)
            .take(self.policy.max_suggestions)
            .collect()
    }

    fn candidate(&self, (slot, flags): (u32, u8)) -> Candidate<ExternalRef> {
        Candidate {
            target: self.config(slot).external.clone(),
            confidence: self.confidence(flags),
            evidence: evidence(flags),
        }
    }

    fn candidates(&self, hits: &[(u32, u8)]) -> Vec<Candidate<ExternalRef>> {
        hits.iter().map(|h| self.candidate(*h)).collect()
    }

    /// The decision over ranked in-scope hits, and the slot of a key-based link.
    fn decide(
        &self,
        ranked: &[(u32, u8)],
        mut held_hits: Vec<((u32, u8), usize)>,
        ignored_hit: Option<&IgnoreTarget>,
    ) -> (Decision<ExternalRef>, Option<u32>) {
        let p = self.policy;
        if let Some(&(slot, flags)) = ranked.first()
            && self.confidence(flags) >= p.auto_link
        {
            let best = self.confidence(flags);
            let runner = ranked.get(1).map(|(_, f)| *f);
            if runner.is_none_or(|r| best - self.confidence(r) + 1e-9 >= p.min_margin) {
                let decision = Decision::Linked {
                    target: self.config(slot).external.clone(),
                    confidence: best,
                    evidence: evidence(flags),
                };
                return (decision, Some(slot));
            }
            let shares_key = runner.is_some_and(|r| evidence(r).first() == evidence(flags).first());
            let reason = if shares_key {
                AmbiguityReason::KeyHitsSeveral
            } else {
                AmbiguityReason::CloseCandidates
            };
            let candidates = self.candidates(&self.shown(ranked));
            return (Decision::Ambiguous { candidates, reason }, None);
        }
        if !held_hits.is_empty() {
            held_hits.sort_by(|a, b| self.order(a.0, b.0));
            let holder = self.rmm[held_hits[0].1].external.clone();
            let decision = Decision::Ambiguous {
                candidates: held_hits.iter().map(|(h, _)| self.candidate(*h)).collect(),
                reason: AmbiguityReason::HeldByOtherDevice { holder },
            };
            return (decision, None);
        }
        if let Some(target) = ignored_hit {
            let reason = IgnoreReason::Rule {
                target: target.clone(),
            };
            return (Decision::Ignored { reason }, None);
        }
        let shown = self.shown(ranked);
        if shown.is_empty() {
            (Decision::Unmatched, None)
        } else {
            let candidates = self.candidates(&shown);
            (Decision::Suggested { candidates }, None)
        }
    }

    /// One configuration, one device: when key-based links of several devices point at one configuration,
    /// none of them is linked.
    fn resolve_contention(&self, results: &mut [(usize, Outcome)]) {
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
                    .map(|p| self.rmm[results[*p].0].external.clone())
                    .collect();
                with.sort();
                let o = &mut results[pos].1;
                o.decision = Decision::Ambiguous {
                    candidates: self.candidates(&o.shown),
                    reason: AmbiguityReason::Contended { with },
                };
                o.slot = None;
            }
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

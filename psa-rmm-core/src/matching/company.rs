//! RMM companies or sites -> PSA companies.

use super::hash::FxMap;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::decision::rank;
use super::fuzzy::{FuzzyIndex, NameKeys};
use super::overlap::Verdict;
use super::{
    AmbiguityReason, Candidate, Decision, DeviceOverlap, Evidence, IgnoreReason, MatchPolicy,
};
use crate::mapping::{IgnoreTarget, MappingBook};
use crate::model::{Company, ExternalRef, Site};

/// An RMM record that stands for a customer: an RMM company or an RMM site.
pub trait Party {
    /// Where it lives.
    fn external(&self) -> &ExternalRef;
    /// Display name.
    fn name(&self) -> &str;
    /// A short code, when the RMM has one (compared with the PSA company identifier).
    fn identifier(&self) -> Option<&str> {
        None
    }
    /// Web domain, when known.
    fn domain(&self) -> Option<&str> {
        None
    }
    /// True for a system record that holds no customer (never matched).
    fn is_system(&self) -> bool {
        false
    }
}

impl Party for Company {
    fn external(&self) -> &ExternalRef {
        &self.external
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn identifier(&self) -> Option<&str> {
        self.identifier.as_deref()
    }
    fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }
}

impl Party for Site {
    fn external(&self) -> &ExternalRef {
        &self.external
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn is_system(&self) -> bool {
        self.system_site
    }
}

/// The matching result of one RMM company or site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyMatch {
    /// The RMM company or site.
    pub rmm: ExternalRef,
    /// What to do with it; at most one PSA company is ever linked.
    pub decision: Decision<ExternalRef>,
    /// True when its devices match configurations of several PSA companies with no clear majority: worth a
    /// look whatever the decision.
    pub overlap_split: bool,
}

/// Matches RMM companies or sites to PSA companies.
///
/// Order of evidence: system sites and ignore rules, then links of the book (manual always; automatic while
/// the PSA company is still there and active), then exact keys, device overlap (when `overlap` is given), and
/// fuzzy names (suggestions only). Inactive or ignored PSA companies are never linked automatically. The
/// result holds one entry per RMM record, sorted by reference; the same input in any order gives the same
/// output.
pub fn match_companies<R: Party>(
    rmm: &[R],
    psa: &[Company],
    book: &MappingBook,
    overlap: Option<&DeviceOverlap>,
    policy: &MatchPolicy,
) -> Vec<CompanyMatch> {
    let index = PsaIndex::new(psa, book, policy);
    let mut order: Vec<&R> = rmm.iter().collect();
    order.sort_by(|a, b| a.external().cmp(b.external()));
    let mut counts: Vec<u32> = vec![0; psa.len()];
    order
        .into_iter()
        .map(|party| {
            let (decision, overlap_split) = index.decide(party, book, overlap, &mut counts);
            CompanyMatch {
                rmm: party.external().clone(),
                decision,
                overlap_split,
            }
        })
        .collect()
}

/// Hash indexes over PSA company keys plus the fuzzy trigram index.
struct PsaIndex<'a> {
    psa: &'a [Company],
    policy: &'a MatchPolicy,
    keys: Vec<NameKeys>,
    eligible: Vec<bool>,
    by_ref: FxMap<&'a ExternalRef, u32>,
    exact: FxMap<String, Vec<u32>>,
    base: FxMap<String, Vec<u32>>,
    fingerprint: FxMap<String, Vec<u32>>,
    identifier: FxMap<String, Vec<u32>>,
    domain: FxMap<String, Vec<u32>>,
    fuzzy: FuzzyIndex,
}

impl<'a> PsaIndex<'a> {
    fn new(psa: &'a [Company], book: &MappingBook, policy: &'a MatchPolicy) -> Self {
        let keys: Vec<NameKeys> = psa.iter().map(|c| NameKeys::new(&c.name)).collect();
        let mut index = Self {
            psa,
            policy,
            eligible: psa
                .iter()
                .map(|c| book.company_ignore(&c.external).is_none())
                .collect(),
            by_ref: FxMap::default(),
            exact: FxMap::default(),
            base: FxMap::default(),
            fingerprint: FxMap::default(),
            identifier: FxMap::default(),
            domain: FxMap::default(),
            fuzzy: FuzzyIndex::new(&keys, policy.fuzzy_common_trigram_share),
            keys,
        };
        for (j, c) in psa.iter().enumerate() {
            let j = u32::try_from(j).unwrap_or(u32::MAX);
            index.by_ref.insert(&c.external, j);
            let k = &index.keys[j as usize];
            push(&mut index.exact, &k.exact, j);
            push(&mut index.base, &k.base, j);
            push(&mut index.fingerprint, &k.fingerprint, j);
            if let Some(id) = c.identifier.as_deref() {
                push(&mut index.identifier, &NameKeys::new(id).exact, j);
            }
            if let Some(d) = c.domain.as_deref().and_then(fold_domain) {
                push(&mut index.domain, &d, j);
            }
        }
        index
    }

    /// The decision for one party, and whether its device overlap is split. `counts` is scratch space for
    /// the fuzzy index (one slot per PSA company, all zero between calls).
    fn decide<R: Party>(
        &self,
        party: &R,
        book: &MappingBook,
        overlap: Option<&DeviceOverlap>,
        counts: &mut [u32],
    ) -> (Decision<ExternalRef>, bool) {
        let verdict = overlap.map_or(Verdict::Silent, |o| {
            o.verdict(party.external(), self.policy)
        });
        let split = verdict == Verdict::Split;
        if party.is_system() {
            return (
                Decision::Ignored {
                    reason: IgnoreReason::SystemSite,
                },
                split,
            );
        }
        if book.company_ignore(party.external()).is_some() {
            let target = IgnoreTarget::Company(party.external().clone());
            return (
                Decision::Ignored {
                    reason: IgnoreReason::Rule { target },
                },
                split,
            );
        }
        if let Some(decision) = self.stored(party.external(), book) {
            return (decision, split);
        }
        let candidates = self.candidates(party, verdict, counts);
        (self.choose(candidates), split)
    }

    /// A link of the book: manual always wins; an automatic one holds while its target is linkable.
    fn stored(&self, rmm: &ExternalRef, book: &MappingBook) -> Option<Decision<ExternalRef>> {
        let link = book.company_link(rmm)?;
        let evidence = if link.origin.is_manual() {
            Evidence::Manual
        } else {
            let j = *self.by_ref.get(&link.psa)? as usize;
            if !self.psa[j].active || !self.eligible[j] {
                return None;
            }
            Evidence::StickyLink
        };
        Some(Decision::Linked {
            target: link.psa.clone(),
            confidence: 1.0,
            evidence: vec![evidence],
        })
    }

    fn candidates<R: Party>(
        &self,
        party: &R,
        verdict: Verdict,
        counts: &mut [u32],
    ) -> Vec<Candidate<ExternalRef>> {
        let p = self.policy;
        let keys = NameKeys::new(party.name());
        let mut found: BTreeMap<u32, (f64, Vec<Evidence>)> = BTreeMap::new();
        let mut add = |slots: &[u32], confidence: f64, evidence: Evidence| {
            for &j in slots {
                let entry = found.entry(j).or_insert((0.0, Vec::new()));
                entry.0 = entry.0.max(confidence);
                entry.1.push(evidence.clone());
            }
        };
        add(
            lookup(&self.exact, &keys.exact),
            p.company_exact,
            Evidence::ExactName,
        );
        let id_slots = lookup(&self.identifier, &keys.exact);
        add(id_slots, p.company_identifier, Evidence::Identifier);
        if let Some(id) = party.identifier() {
            let own = NameKeys::new(id).exact;
            add(
                lookup(&self.identifier, &own),
                p.company_identifier,
                Evidence::Identifier,
            );
        }
        add(
            lookup(&self.base, &keys.base),
            p.company_base,
            Evidence::BaseName,
        );
        add(
            lookup(&self.fingerprint, &keys.fingerprint),
            p.company_fingerprint,
            Evidence::Fingerprint,
        );
        if let Some(d) = party.domain().and_then(fold_domain)
            && let [only] = lookup(&self.domain, &d)
        {
            add(&[*only], p.company_domain, Evidence::Domain);
        }
        if let Verdict::Company {
            company,
            matched,
            total,
        } = &verdict
            && let Some(&j) = self.by_ref.get(company)
        {
            add(
                &[j],
                p.overlap_confidence,
                Evidence::DeviceOverlap {
                    matched: *matched,
                    total: *total,
                },
            );
        }
        let best = found.values().map(|(c, _)| *c).fold(0.0, f64::max);
        if best < p.auto_link {
            for (j, score) in self
                .fuzzy
                .search(&keys, &self.keys, p.fuzzy_candidates, counts)
            {
                let confidence = p.fuzzy_cap * score;
                let entry = found.entry(j).or_insert((0.0, Vec::new()));
                entry.0 = entry.0.max(confidence);
                entry.1.push(Evidence::FuzzyName { score });
            }
        }
        let mut candidates: Vec<Candidate<ExternalRef>> = found
            .into_iter()
            .filter(|(j, _)| self.eligible[*j as usize])
            .map(|(j, (confidence, mut evidence))| {
                evidence.dedup();
                Candidate {
                    target: self.psa[j as usize].external.clone(),
                    confidence,
                    evidence,
                }
            })
            .collect();
        rank(&mut candidates);
        candidates
    }

    fn choose(&self, candidates: Vec<Candidate<ExternalRef>>) -> Decision<ExternalRef> {
        let p = self.policy;
        let Some(best) = candidates.first() else {
            return Decision::Unmatched;
        };
        let shown = |all: Vec<Candidate<ExternalRef>>| -> Vec<Candidate<ExternalRef>> {
            all.into_iter()
                .filter(|c| c.confidence >= p.suggest)
                .take(p.max_suggestions)
                .collect()
        };
        let active = self
            .by_ref
            .get(&best.target)
            .is_some_and(|j| self.psa[*j as usize].active);
        let fuzzy_only = best.evidence.iter().all(Evidence::is_fuzzy);
        if best.confidence >= p.auto_link && active && !fuzzy_only {
            let runner = candidates.get(1);
            if runner.is_none_or(|r| best.confidence - r.confidence + 1e-9 >= p.min_margin) {
                return Decision::Linked {
                    target: best.target.clone(),
                    confidence: best.confidence,
                    evidence: best.evidence.clone(),
                };
            }
            let same_key = runner.is_some_and(|r| r.evidence.first() == best.evidence.first());
            return Decision::Ambiguous {
                candidates: shown(candidates),
                reason: if same_key {
                    AmbiguityReason::KeyHitsSeveral
                } else {
                    AmbiguityReason::CloseCandidates
                },
            };
        }
        let candidates = shown(candidates);
        if candidates.is_empty() {
            Decision::Unmatched
        } else {
            Decision::Suggested { candidates }
        }
    }
}

fn push(map: &mut FxMap<String, Vec<u32>>, key: &str, j: u32) {
    // Two empty keys are no evidence (a name made only of punctuation).
    if !key.is_empty() {
        map.entry(key.to_owned()).or_default().push(j);
    }
}

fn lookup<'m>(map: &'m FxMap<String, Vec<u32>>, key: &str) -> &'m [u32] {
    if key.is_empty() {
        return &[];
    }
    map.get(key).map_or(&[], Vec::as_slice)
}

/// Lower-cased host part of a domain or URL, without `www.`.
fn fold_domain(raw: &str) -> Option<String> {
    let s = raw.trim().to_lowercase();
    let s = s.split("://").last().unwrap_or(&s);
    let s = s.split(['/', '?', '#']).next().unwrap_or(s);
    let s = s.split('@').next_back().unwrap_or(s);
    let s = s.strip_prefix("www.").unwrap_or(s).trim_end_matches('.');
    (s.contains('.') && !s.is_empty()).then(|| s.to_owned())
}

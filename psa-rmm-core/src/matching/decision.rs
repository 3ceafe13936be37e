//! What matching decides for one record, and why.

use serde::{Deserialize, Serialize};

use crate::mapping::IgnoreTarget;
use crate::model::ExternalRef;

/// One key that agreed between the two records (or a rule that decided).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Evidence {
    /// A link stored earlier: in the mapping book (automatic origin) or on the PSA configuration
    /// (`linked_id`) or the RMM device.
    StickyLink,
    /// A link a person made in the mapping book.
    Manual,
    /// Company names equal after case, accent and punctuation folding.
    ExactName,
    /// The RMM name equals the PSA company identifier (Manage "Company ID").
    Identifier,
    /// Company names equal after legal suffixes were stripped.
    BaseName,
    /// Company names hold the same set of tokens in another order.
    Fingerprint,
    /// Company names are similar; `score` is the guarded similarity in 0..=1 before the fuzzy cap.
    FuzzyName {
        /// Similarity score.
        score: f64,
    },
    /// Same web domain, held by one PSA company only.
    Domain,
    /// Devices of the RMM site match configurations of this PSA company by strong keys.
    DeviceOverlap {
        /// Devices matched to this company.
        matched: u32,
        /// Devices of the site matched to any company.
        total: u32,
    },
    /// Same valid hardware serial (same manufacturer when both are known).
    Serial,
    /// A physical, unshared MAC address in common.
    Mac,
    /// Same virtual-machine serial (weak: clones share it).
    VirtualSerial,
    /// A hypervisor-OUI MAC address in common (weak: dynamic pools collide).
    VirtualMac,
    /// Same short host name, not a placeholder name.
    Hostname,
}

impl Evidence {
    /// True for evidence that comes from a stored or manual decision rather than from comparing keys.
    pub fn is_link(&self) -> bool {
        matches!(self, Self::StickyLink | Self::Manual)
    }

    /// True for evidence that is only a name similarity (never enough to link on its own).
    pub fn is_fuzzy(&self) -> bool {
        matches!(self, Self::FuzzyName { .. })
    }
}

/// A possible target of a record, with the confidence matching gives it and the keys that agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate<T> {
    /// The PSA record (company or configuration).
    pub target: T,
    /// Confidence in 0..=1.
    pub confidence: f64,
    /// Keys that agreed, strongest first.
    pub evidence: Vec<Evidence>,
}

/// Why a record was left ambiguous instead of linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum AmbiguityReason {
    /// Two or more candidates are strong enough to link but too close to each other to choose.
    CloseCandidates,
    /// One identity key of the record hits several PSA records.
    KeyHitsSeveral,
    /// Several RMM records want the same PSA record; none of them is linked.
    Contended {
        /// The other RMM records that want it, sorted.
        with: Vec<ExternalRef>,
    },
    /// A strong key hits a PSA configuration already linked to another live RMM device.
    HeldByOtherDevice {
        /// The RMM device that holds the link.
        holder: ExternalRef,
    },
    /// The devices of the RMM site match configurations spread over several PSA companies.
    DeviceOverlapSplit,
}

/// Why a record was not matched at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum IgnoreReason {
    /// A rule of the mapping book covers the record (or the PSA record a strong key hit).
    Rule {
        /// The rule's target.
        target: IgnoreTarget,
    },
    /// The RMM site is a system site that holds no customer (Datto "Deleted Devices").
    SystemSite,
    /// The device's RMM site or company is not mapped to a PSA company, so its devices are not matched.
    CompanyNotMapped,
}

/// The outcome of matching one RMM record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision<T> {
    /// Confident enough to link without asking.
    Linked {
        /// The PSA record.
        target: T,
        /// Confidence in 0..=1.
        confidence: f64,
        /// Keys that agreed, strongest first.
        evidence: Vec<Evidence>,
    },
    /// Plausible targets for a person to confirm, best first.
    Suggested {
        /// Ranked candidates.
        candidates: Vec<Candidate<T>>,
    },
    /// Strong candidates that conflict; a person must decide.
    Ambiguous {
        /// The conflicting candidates, best first.
        candidates: Vec<Candidate<T>>,
        /// What conflicts.
        reason: AmbiguityReason,
    },
    /// No candidate worth showing.
    Unmatched,
    /// Excluded by a rule; not matched.
    Ignored {
        /// Which rule.
        reason: IgnoreReason,
    },
}

impl<T> Decision<T> {
    /// The linked target, if the decision is `Linked`.
    pub fn linked(&self) -> Option<&T> {
        match self {
            Self::Linked { target, .. } => Some(target),
            _ => None,
        }
    }

    /// Candidates of a `Suggested` or `Ambiguous` decision; empty otherwise.
    pub fn candidates(&self) -> &[Candidate<T>] {
        match self {
            Self::Suggested { candidates } | Self::Ambiguous { candidates, .. } => candidates,
            _ => &[],
        }
    }
}

/// Sorts candidates best first: confidence descending, then target ascending, so equal scores never depend
/// on input order.
pub(crate) fn rank<T: Ord>(candidates: &mut [Candidate<T>]) {
    candidates.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.target.cmp(&b.target))
    });
}

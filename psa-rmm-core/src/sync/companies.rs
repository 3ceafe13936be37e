//! Company mapping: RMM companies or sites -> PSA companies through the matcher.
//!
//! Confident decisions become automatic links, the rest are suggestions or conflicts for review. PSA
//! companies are never created (in the seed integrations companies come from the PSA). Applying the plan
//! only writes the mapping book; nothing is written to a vendor.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::table::Table;
use crate::mapping::{Link, MappingBook, Origin};
use crate::matching::{
    AmbiguityReason, Candidate, Decision, DeviceOverlap, Evidence, IgnoreReason, MatchPolicy,
    Party, match_companies,
};
use crate::model::{Company, ExternalRef};

/// What to do with one RMM company or site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CompanyAction {
    /// Link automatically (new in the book, or a different company than the book holds).
    Link {
        /// PSA company.
        psa: ExternalRef,
        /// Confidence in 0..=1.
        confidence: f64,
        /// Keys that agreed.
        evidence: Vec<Evidence>,
    },
    /// The book already holds this link.
    Keep {
        /// PSA company.
        psa: ExternalRef,
    },
    /// Candidates for a person to confirm.
    Suggest {
        /// Ranked candidates.
        candidates: Vec<Candidate<ExternalRef>>,
    },
    /// Strong candidates that conflict.
    Conflict {
        /// Candidates.
        candidates: Vec<Candidate<ExternalRef>>,
        /// What conflicts.
        reason: AmbiguityReason,
    },
    /// No candidate; a PSA company is not created.
    Unmatched,
    /// Excluded by a rule or a system site.
    Skip {
        /// Why.
        reason: IgnoreReason,
    },
}

impl CompanyAction {
    /// Short name for tables and counts.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Link { .. } => "link",
            Self::Keep { .. } => "keep",
            Self::Suggest { .. } => "suggest",
            Self::Conflict { .. } => "conflict",
            Self::Unmatched => "unmatched",
            Self::Skip { .. } => "skip",
        }
    }
}

/// One RMM company or site with its action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyRow {
    /// The RMM company or site.
    pub rmm: ExternalRef,
    /// Its name.
    pub name: String,
    /// The action.
    pub action: CompanyAction,
    /// Its devices match configurations of several PSA companies: worth a look.
    pub overlap_split: bool,
}

/// The company mapping plan, sorted by RMM reference.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyPlan {
    /// One row per RMM company or site.
    pub rows: Vec<CompanyRow>,
    /// PSA company names, for tables.
    pub psa_names: BTreeMap<String, String>,
}

impl CompanyPlan {
    /// Number of rows per action name.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.rows {
            *counts.entry(r.action.name()).or_insert(0) += 1;
        }
        counts
    }

    /// True when applying changes nothing in the book.
    pub fn is_noop(&self) -> bool {
        !self
            .rows
            .iter()
            .any(|r| matches!(r.action, CompanyAction::Link { .. }))
    }

    /// Records the automatic links in `book` (manual entries stay, see the book's rules); returns how many
    /// the book took.
    pub fn apply_to(&self, book: &mut MappingBook, at: DateTime<Utc>) -> usize {
        let mut taken = 0;
        for row in &self.rows {
            if let CompanyAction::Link {
                psa,
                confidence,
                evidence,
            } = &row.action
            {
                let origin = Origin::automatic(*confidence, evidence.clone(), at);
                let link = Link::new(row.rmm.clone(), psa.clone(), origin);
                taken += usize::from(book.link_company(link).applied());
            }
        }
        taken
    }

    fn psa_name(&self, psa: &ExternalRef) -> String {
        self.psa_names
            .get(&psa.id)
            .map_or_else(|| psa.id.clone(), |n| format!("{n} ({})", psa.id))
    }
}

impl fmt::Display for CompanyPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(&["rmm", "name", "action", "psa company", "why"]);
        for r in &self.rows {
            let (psa, why) = match &r.action {
                CompanyAction::Link {
                    psa,
                    confidence,
                    evidence,
                } => (
                    self.psa_name(psa),
                    format!("{confidence:.2} {}", evidence_text(evidence)),
                ),
                CompanyAction::Keep { psa } => (self.psa_name(psa), "in the book".to_owned()),
                CompanyAction::Suggest { candidates }
                | CompanyAction::Conflict { candidates, .. } => {
                    let best = candidates.first();
                    (
                        best.map(|c| self.psa_name(&c.target)).unwrap_or_default(),
                        format!(
                            "{} candidate(s), best {:.2}",
                            candidates.len(),
                            best.map_or(0.0, |c| c.confidence)
                        ),
                    )
                }
                CompanyAction::Unmatched => (String::new(), "no candidate".to_owned()),
                CompanyAction::Skip { reason } => (String::new(), ignore_text(reason)),
            };
            t.row(vec![
                r.rmm.id.clone(),
                r.name.clone(),
                r.action.name().to_owned(),
                psa,
                why,
            ]);
        }
        write!(f, "{t}")
    }
}

/// Evidence names joined for a table cell.
pub(crate) fn evidence_text(evidence: &[Evidence]) -> String {
    let names: Vec<String> = evidence
        .iter()
        .map(|e| match e {
            Evidence::FuzzyName { score } => format!("fuzzy {score:.2}"),
            Evidence::DeviceOverlap { matched, total } => format!("devices {matched}/{total}"),
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v.get("key").and_then(|k| k.as_str()).map(str::to_owned))
                .unwrap_or_default(),
        })
        .collect();
    names.join("+")
}

/// An ignore reason as table text.
pub(crate) fn ignore_text(reason: &IgnoreReason) -> String {
    match reason {
        IgnoreReason::Rule { target } => format!("ignore rule {target:?}"),
        IgnoreReason::SystemSite => "system site".to_owned(),
        IgnoreReason::CompanyNotMapped => "company not mapped".to_owned(),
    }
}

/// Plans company links for RMM companies or sites (`rmm`) against PSA companies.
///
/// `overlap` (device-overlap evidence from a provisional device pass) is optional.
pub fn plan_companies<R: Party>(
    rmm: &[R],
    psa: &[Company],
    book: &MappingBook,
    overlap: Option<&DeviceOverlap>,
    policy: &MatchPolicy,
) -> CompanyPlan {
    let names: BTreeMap<&ExternalRef, &str> =
        rmm.iter().map(|r| (r.external(), r.name())).collect();
    let rows = match_companies(rmm, psa, book, overlap, policy)
        .into_iter()
        .map(|m| {
            let action = match m.decision {
                Decision::Linked {
                    target,
                    confidence,
                    evidence,
                } => match book.company_link(&m.rmm) {
                    Some(l) if l.psa == target => CompanyAction::Keep { psa: target },
                    _ => CompanyAction::Link {
                        psa: target,
                        confidence,
                        evidence,
                    },
                },
                Decision::Suggested { candidates } => CompanyAction::Suggest { candidates },
                Decision::Ambiguous { candidates, reason } => {
                    CompanyAction::Conflict { candidates, reason }
                }
                Decision::Unmatched => CompanyAction::Unmatched,
                Decision::Ignored { reason } => CompanyAction::Skip { reason },
            };
            CompanyRow {
                name: names
                    .get(&m.rmm)
                    .map(|n| (*n).to_owned())
                    .unwrap_or_default(),
                rmm: m.rmm,
                action,
                overlap_split: m.overlap_split,
            }
        })
        .collect();
    CompanyPlan {
        rows,
        psa_names: psa
            .iter()
            .map(|c| (c.external.id.clone(), c.name.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Site, System};

    fn psa(id: &str, name: &str) -> Company {
        Company::new(ExternalRef::new(System::CwManage, id), name)
    }

    fn site(id: &str, name: &str) -> Site {
        Site::new(ExternalRef::new(System::DattoRmm, id), name)
    }

    #[test]
    fn exact_names_link_then_keep_and_nothing_is_created() {
        let companies = vec![psa("1", "Contoso Ltd"), psa("2", "Fabrikam, Inc.")];
        let mut deleted = site("s9", "Deleted Devices");
        deleted.system_site = true;
        let sites = vec![
            site("s1", "Contoso Ltd"),
            site("s2", "Fabrikam Inc"),
            site("s3", "Northwind Traders"),
            deleted,
        ];
        let mut book = MappingBook::new();
        let policy = MatchPolicy::default();
        let plan = plan_companies(&sites, &companies, &book, None, &policy);
        let actions: Vec<&str> = plan.rows.iter().map(|r| r.action.name()).collect();
        assert_eq!(actions, vec!["link", "link", "unmatched", "skip"], "{plan}");
        assert!(plan.to_string().contains("Contoso Ltd (1)"));
        assert_eq!(plan.apply_to(&mut book, Utc::now()), 2);
        let again = plan_companies(&sites, &companies, &book, None, &policy);
        assert!(again.is_noop(), "{again}");
        assert_eq!(again.counts().get("keep"), Some(&2));
        let json = serde_json::to_string(&again).unwrap();
        assert_eq!(serde_json::from_str::<CompanyPlan>(&json).unwrap(), again);
    }
}

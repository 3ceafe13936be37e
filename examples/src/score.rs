//! Scores automatic links against a known truth (the sandbox tenant's answers).

use std::collections::HashMap;
use std::fmt;

use psa_rmm_core::model::ExternalRef;
use psa_rmm_core::sync::{CompanyAction, CompanyPlan, DevicePlan};
use serde::Serialize;

/// Precision and recall of automatic links.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Links made.
    pub links: usize,
    /// Links that agree with the truth.
    pub correct: usize,
    /// Pairs the truth holds.
    pub truth: usize,
}

impl Score {
    /// Correct links / links (1.0 when no link was made: nothing wrong was claimed).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.links)
    }

    /// Correct links / truth pairs (1.0 when the truth is empty).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.truth)
    }

    /// Scores `links` (RMM -> PSA) against `truth`.
    pub fn of<'a>(
        links: impl IntoIterator<Item = (&'a ExternalRef, &'a ExternalRef)>,
        truth: &HashMap<ExternalRef, ExternalRef>,
    ) -> Self {
        let mut score = Self {
            links: 0,
            correct: 0,
            truth: truth.len(),
        };
        for (rmm, psa) in links {
            score.links += 1;
            score.correct += usize::from(truth.get(rmm) == Some(psa));
        }
        score
    }

    /// Automatic device links of a device plan.
    pub fn devices(plan: &DevicePlan, truth: &HashMap<ExternalRef, ExternalRef>) -> Self {
        Self::of(
            plan.rows
                .iter()
                .filter_map(|r| r.action.linked().map(|c| (&r.device, c))),
            truth,
        )
    }

    /// Company links (new and kept) of a company plan, against the truth of the records it planned (an
    /// Asio site is scored through its company).
    pub fn companies(plan: &CompanyPlan, truth: &HashMap<ExternalRef, ExternalRef>) -> Self {
        let planned: HashMap<ExternalRef, ExternalRef> = plan
            .rows
            .iter()
            .filter_map(|r| truth.get(&r.rmm).map(|p| (r.rmm.clone(), p.clone())))
            .collect();
        let truth = &planned;
        Self::of(
            plan.rows.iter().filter_map(|r| match &r.action {
                CompanyAction::Link { psa, .. } | CompanyAction::Keep { psa } => {
                    Some((&r.rmm, psa))
                }
                _ => None,
            }),
            truth,
        )
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "precision {:.3} ({}/{}), recall {:.3} ({}/{})",
            self.precision(),
            self.correct,
            self.links,
            self.recall(),
            self.correct,
            self.truth
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_rmm_core::model::System;

    #[test]
    fn counts_right_and_wrong_links() {
        let r = |id: &str| ExternalRef::new(System::DattoRmm, id);
        let p = |id: &str| ExternalRef::new(System::CwManage, id);
        let truth: HashMap<_, _> = [(r("a"), p("1")), (r("b"), p("2")), (r("c"), p("3"))].into();
        let links = [(r("a"), p("1")), (r("b"), p("9"))];
        let s = Score::of(links.iter().map(|(a, b)| (a, b)), &truth);
        assert_eq!((s.links, s.correct, s.truth), (2, 1, 3));
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!(s.to_string().starts_with("precision 0.500 (1/2)"));
        assert_eq!(Score::of([], &HashMap::new()).precision(), 1.0);
    }
}

//! Device-overlap evidence for company matching: where do the devices of an RMM site land in the PSA when
//! matched by strong keys alone (valid serial, physical MAC), tenant-wide?

use std::collections::{BTreeMap, HashMap};

use super::MatchPolicy;
use super::keys::{Index, NO_COMPANY, STRONG};
use crate::model::{Device, ExternalRef};

/// Per RMM site or company: how many of its devices match, by strong keys, configurations of each PSA company.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceOverlap {
    parties: HashMap<ExternalRef, BTreeMap<ExternalRef, u32>>,
}

/// What the overlap of one RMM site says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    /// Too few matched devices to say anything.
    Silent,
    /// Enough matches, and most of them in this company.
    Company {
        company: ExternalRef,
        matched: u32,
        total: u32,
    },
    /// Enough matches, spread over several companies.
    Split,
}

impl DeviceOverlap {
    /// Matches every RMM device by strong keys against every active PSA configuration; a device counts for a
    /// PSA company when all its hits fall in that company. Counts go to the device's site and to its company.
    pub fn compute(rmm: &[Device], psa: &[Device], policy: &MatchPolicy) -> Self {
        let (index, keys) = Index::new(rmm, psa, policy);
        let mut names: Vec<Option<&ExternalRef>> = vec![None; index.company_ids.len()];
        for (r, id) in &index.company_ids {
            if let Some(slot) = names.get_mut(*id as usize) {
                *slot = Some(*r);
            }
        }
        let mut overlap = Self::default();
        let mut hits = Vec::new();
        for (device, keys) in rmm.iter().zip(&keys) {
            let mut company: Option<u32> = None;
            let mut unique = true;
            index.hits(keys, NO_COMPANY, &mut hits);
            for &(j, flags) in &hits {
                let config = &index.configs[j as usize];
                if flags & STRONG == 0 || !config.device.active || config.company == NO_COMPANY {
                    continue;
                }
                unique &= company.is_none_or(|c| c == config.company);
                company = Some(config.company);
            }
            let Some(target) = company
                .filter(|_| unique)
                .and_then(|c| names.get(c as usize).copied().flatten())
            else {
                continue;
            };
            for party in [&device.site, &device.company].into_iter().flatten() {
                *overlap
                    .parties
                    .entry(party.clone())
                    .or_default()
                    .entry(target.clone())
                    .or_default() += 1;
            }
        }
        overlap
    }

    /// Matched device counts of an RMM site or company per PSA company, sorted by company.
    pub fn counts(&self, party: &ExternalRef) -> Option<&BTreeMap<ExternalRef, u32>> {
        self.parties.get(party)
    }

    pub(crate) fn verdict(&self, party: &ExternalRef, policy: &MatchPolicy) -> Verdict {
        let Some(counts) = self.parties.get(party) else {
            return Verdict::Silent;
        };
        let total: u32 = counts.values().sum();
        if total < policy.overlap_min_devices {
            return Verdict::Silent;
        }
        // Ties go to the first company in reference order, so the verdict never depends on input order.
        let Some((company, &matched)) = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        else {
            return Verdict::Silent;
        };
        if f64::from(matched) >= policy.overlap_share * f64::from(total) {
            Verdict::Company {
                company: company.clone(),
                matched,
                total,
            }
        } else {
            Verdict::Split
        }
    }
}

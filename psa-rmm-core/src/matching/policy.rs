//! Thresholds and confidences of matching, with the research reference's values as defaults.

use serde::{Deserialize, Serialize};

/// Every number matching uses. `MatchPolicy::default()` holds the values of the reference (`matching.md`
/// section 7); change them only after calibrating on your own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchPolicy {
    /// Minimum confidence of an automatic link.
    pub auto_link: f64,
    /// Minimum lead of the best candidate over the runner-up for an automatic link.
    pub min_margin: f64,
    /// Minimum confidence of a suggestion.
    pub suggest: f64,
    /// Most suggestions kept per record.
    pub max_suggestions: usize,

    /// Company names equal after folding.
    pub company_exact: f64,
    /// RMM name equals the PSA company identifier.
    pub company_identifier: f64,
    /// Names equal after legal suffixes are stripped.
    pub company_base: f64,
    /// Same sorted token set.
    pub company_fingerprint: f64,
    /// Same domain, unique among PSA companies.
    pub company_domain: f64,
    /// Highest confidence a fuzzy name score can reach (below `auto_link`, so fuzzy alone never links).
    pub fuzzy_cap: f64,
    /// Fuzzy candidates scored per RMM name (the best by shared trigrams).
    pub fuzzy_candidates: usize,
    /// A trigram carried by more than this share of PSA companies is too common to find candidates by.
    pub fuzzy_common_trigram_share: f64,

    /// Minimum strong-key device matches of a site before device overlap counts.
    pub overlap_min_devices: u32,
    /// Share of those matches that must fall in one PSA company.
    pub overlap_share: f64,
    /// Confidence device overlap gives that company.
    pub overlap_confidence: f64,

    /// Valid serial equal and unique.
    pub device_serial: f64,
    /// Valid serial equal, plus host name or physical MAC.
    pub device_serial_confirmed: f64,
    /// Physical MAC in common and unique.
    pub device_mac: f64,
    /// Physical MAC in common, plus host name.
    pub device_mac_confirmed: f64,
    /// Virtual serial or hypervisor MAC equal.
    pub device_weak: f64,
    /// Virtual serial or hypervisor MAC equal, plus host name.
    pub device_weak_confirmed: f64,
    /// Host name alone (never above `auto_link`).
    pub device_hostname: f64,
    /// A serial held by at least this many devices on one side, in at least two companies, is treated as junk.
    pub serial_frequency: usize,
}

impl Default for MatchPolicy {
    fn default() -> Self {
        Self {
            auto_link: 0.90,
            min_margin: 0.10,
            suggest: 0.60,
            max_suggestions: 5,
            company_exact: 0.97,
            company_identifier: 0.95,
            company_base: 0.92,
            company_fingerprint: 0.88,
            company_domain: 0.95,
            fuzzy_cap: 0.80,
            fuzzy_candidates: 8,
            fuzzy_common_trigram_share: 0.02,
            overlap_min_devices: 3,
            overlap_share: 0.80,
            overlap_confidence: 0.95,
            device_serial: 0.95,
            device_serial_confirmed: 0.99,
            device_mac: 0.90,
            device_mac_confirmed: 0.97,
            device_weak: 0.75,
            device_weak_confirmed: 0.90,
            device_hostname: 0.70,
            serial_frequency: 3,
        }
    }
}

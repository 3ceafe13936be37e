//! Matching RMM records to PSA records: RMM companies or sites to PSA companies, RMM devices to PSA
//! configurations.
//!
//! Every record gets a [`Decision`] that names the keys that agreed ([`Evidence`]) so a planner can act on it
//! and a person can review it. The rules follow the research reference (`matching.md`, section 7): manual links
//! and ignore rules first, exact keys before fuzzy ones, fuzzy evidence alone never links, strong device keys
//! only, one-to-one assignment, and "possible move / reactivation" instead of "new" when a strong key is seen
//! elsewhere in the tenant. Everything is indexed by hash joins (and a trigram index for fuzzy company names),
//! never by comparing all pairs, and the output order depends only on the input content.

mod company;
mod decision;
mod device;
mod fuzzy;
mod hash;
mod keys;
mod overlap;
mod policy;

pub use company::{CompanyMatch, Party, match_companies};
pub use decision::{AmbiguityReason, Candidate, Decision, Evidence, IgnoreReason};
pub use device::{CompanyScope, DeviceMatch, match_devices};
pub use overlap::DeviceOverlap;
pub use policy::MatchPolicy;

//! ConnectWise Manage (ConnectWise PSA) REST client.
//!
//! Wire models ([`model`]) in the vendor's field names with lenient decoding, an injection-proof
//! [`conditions`] builder, a JSON [`patch`] builder, [`callback`] signature verification and delivery
//! parsing, and conversions to the vendor-neutral core records ([`convert`]).

pub mod callback;
pub mod conditions;
pub mod convert;
mod ids;
mod lenient;
pub mod model;
pub mod patch;

pub use ids::*;
pub use lenient::parse_datetime;

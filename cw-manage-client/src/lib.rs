//! ConnectWise Manage (ConnectWise PSA) REST client.
//!
//! Wire models ([`model`]) in the vendor's field names with lenient decoding, an injection-proof
//! [`conditions`] builder, a JSON [`patch`] builder, [`callback`] signature verification and delivery
//! parsing, and conversions to the vendor-neutral core records ([`convert`]).

pub mod callback;
mod client;
pub mod conditions;
pub mod connector;
pub mod convert;
mod error;
mod ids;
mod list;
pub mod model;
mod ops;
pub mod patch;
mod resource;

pub use client::{
    Client, ClientBuilder, DEFAULT_API_VERSION, DEFAULT_REQUESTS_PER_MINUTE, MAX_URL_LEN, Site,
    connection_hint,
};
pub use error::{BodyKind, Error};
pub use ids::*;
pub use list::{Cursor, IdOnly, ListRequest, Record};
pub use ops::{CompanyFilter, CompanyFilterOptions, OpportunityUpdate, pick_closed_status};
pub use psa_rmm_core::http::{Page, RateLimiter, RetryPolicy, SecretString};
pub use psa_rmm_core::wire::parse_datetime;
pub use resource::{Creatable, Deletable, Model, Resource, Updatable};

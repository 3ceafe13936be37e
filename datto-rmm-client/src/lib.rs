//! Datto RMM API v2 client, built on the psa-rmm-core HTTP runtime.
//!
//! Wire models ([`model`]) decode leniently: the Datto specification and the wire disagree on timestamps
//! (epoch milliseconds, not ISO strings), nullability and enums, and builds differ between platforms.
//! [`convert`] turns them into the vendor-neutral records of `psa_rmm_core`.

pub mod convert;
pub mod ids;
/// The lenient wire decoders, shared with the other clients in [`psa_rmm_core::wire`]; kept under this path.
pub use psa_rmm_core::wire as lenient;
pub mod model;

pub use ids::{
    AccountUid, AlertUid, ComponentUid, DeviceId, DeviceUid, FilterId, JobUid, SiteId, SiteUid,
    VariableId,
};

mod auth;
pub mod budget;
mod client;
pub mod error;
mod flights;
mod pacer;

pub use budget::{Budget, Budgets};
pub use client::{Client, ClientBuilder, ClientStats, Platform};
pub use error::{Error, Result};
pub mod api;
pub mod connector;
pub mod listing;
pub mod scan;

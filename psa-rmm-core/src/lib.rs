//! Shared ground of the psa-rmm crates: vendor-neutral models, identity keys, matching, the mapping book and
//! sync planning, all sans-IO. The HTTP runtime that the vendor clients share (retry, rate limit, pagination,
//! token cache, secrets, error pieces) is behind the `http` feature so that the core builds without any HTTP
//! client.

pub mod connector;
pub mod mapping;
pub mod matching;
pub mod model;
pub mod normalize;
pub mod sync;
pub mod wire;

#[cfg(feature = "http")]
pub mod http;

pub use model::{
    Alert, AlertSeverity, Company, Device, DeviceKind, ExternalRef, Mapping, Site, System, Ticket,
};

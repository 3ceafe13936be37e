//! ConnectWise Asio (ConnectWise RMM) platform API client, on the shared runtime of `psa_rmm_core::http`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cw_asio_client::Error> {
//! use cw_asio_client::{Client, Region};
//! use futures::TryStreamExt;
//!
//! let client = Client::builder()
//!     .region(Region::Na)
//!     .client_id("0e30...")
//!     .client_secret("secret")
//!     .build()?;
//! let companies = client.companies().list()?.collect().await?;
//! let devices = client
//!     .devices()
//!     .of_companies(companies.iter().filter_map(|c| c.id.as_ref()))
//!     .fields(["system", "os", "bios", "baseboard", "networks"])
//!     .stream()
//!     .try_collect::<Vec<_>>()
//!     .await?;
//! # let _ = devices; Ok(()) }
//! ```
//!
//! [`model`] holds the wire models in the vendor's field names; [`convert`] turns them into the
//! vendor-neutral records of `psa_rmm_core`.
//!
//! A 429 is retried after its `Retry-After`, or when there is none, after the rate-limit reset the
//! response names (Asio's Reset header, a Unix epoch), capped by the retry policy's `max_retry_after`.

mod auth;
mod client;
mod error;
mod resources;
mod throttle;

pub mod connector;
pub mod convert;
pub mod model;

pub use auth::LOCK_BACKOFF;
pub use client::{Client, ClientBuilder, DEFAULT_SCOPES, Region};
pub use error::{Error, KEY_LOCKED_ADVICE, Result};
pub use resources::{
    Companies, CustomFieldTarget, CustomFields, DEFAULT_MAX_PAGES, DeviceGroups, DeviceList,
    Devices, LinkList, ListedEndpoint, Sites, TicketList, Tickets, V1Scope,
};

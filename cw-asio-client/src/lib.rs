//! ConnectWise Asio (ConnectWise RMM) platform API client.
//!
//! [`model`] holds the wire models in the vendor's field names; [`convert`] turns them into the
//! vendor-neutral records of `psa_rmm_core`.

mod de;

pub mod convert;
pub mod model;

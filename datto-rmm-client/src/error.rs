//! The error type of the Datto client: the runtime's [`HttpError`] plus what only Datto does.

use std::time::Duration;

use psa_rmm_core::http::HttpError;
use reqwest::StatusCode;

use crate::model::UdfError;

/// Everything a Datto call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An HTTP-level failure (API status, transport, timeout, decode, pagination).
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The token endpoint refused the API key and secret (or answered with no usable token).
    #[error("Datto refused the API credentials")]
    Auth(#[source] HttpError),
    /// Datto answered 403 after throttling: the temporary IP block. The client backed off once for
    /// `retry_after`, probed, and was still blocked; every request of this client waits out the block.
    #[error("Datto blocked this IP after rate limiting; retry after {retry_after:?}")]
    IpBlocked {
        /// How long the client will keep every request back from now.
        retry_after: Duration,
        /// The 403 answer.
        #[source]
        source: HttpError,
    },
    /// A UDF write was refused before sending (number outside 1..=300, value over 255 characters).
    #[error(transparent)]
    Udf(#[from] UdfError),
    /// The builder was given an unusable configuration.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The device class has no audit endpoint (`rmmnetworkdevice`, `unknown`).
    #[error("no audit endpoint for device class {0:?}")]
    NoAudit(String),
}

impl Error {
    /// Worth trying again later: retryable HTTP failures and the IP block (after its wait).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http(e) => e.is_retryable(),
            Self::IpBlocked { .. } => true,
            Self::Auth(_) | Self::Udf(_) | Self::Config(_) | Self::NoAudit(_) => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Http(e) | Self::Auth(e) => e.status(),
            Self::IpBlocked { source, .. } => source.status(),
            Self::Udf(_) | Self::Config(_) | Self::NoAudit(_) => None,
        }
    }

    /// How long to wait before trying again, when known.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http(e) => e.retry_after(),
            Self::IpBlocked { retry_after, .. } => Some(*retry_after),
            Self::Auth(_) | Self::Udf(_) | Self::Config(_) | Self::NoAudit(_) => None,
        }
    }

    /// True for a 404: the record is gone (deleted upstream).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

/// Result of a Datto call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! The crate's error type: the shared runtime's [`HttpError`] plus what is specific to Asio.

use psa_rmm_core::http::HttpError;
use reqwest::StatusCode;
use std::time::Duration;

/// Advice attached to [`Error::KeyLocked`].
pub const KEY_LOCKED_ADVICE: &str = "ConnectWise locked this API key (423) because tokens were requested too \
often; wait a few minutes before trying again, and share one Client (and so one token cache) per key instead \
of creating clients or tokens per request";

/// Everything a call of this client can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP call failed (status, transport, timeout, decode, bad request, pagination).
    #[error(transparent)]
    Http(HttpError),
    /// The token endpoint answered 423 Locked: the key asked for tokens too often. Never retried
    /// automatically; the client refuses to ask again for a few minutes.
    #[error("API key locked (423 Locked): {advice}")]
    KeyLocked {
        /// What to do about it.
        advice: &'static str,
        /// Request id of the refused call.
        request_id: Option<String>,
        /// How long the client itself holds off before asking again.
        retry_after: Option<Duration>,
    },
    /// The client was configured wrongly (missing credentials, bad base URL or scope).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A value given to the client breaks a rule the API enforces (ticket summary length, patch operation,
    /// projection size). Checked before anything is sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl Error {
    /// Worth trying again later. A locked key is not: retrying keeps it locked.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http(e) => e.is_retryable(),
            Self::KeyLocked { .. } | Self::Config(_) | Self::InvalidInput(_) => false,
        }
    }

    /// The HTTP status, when a server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Http(e) => e.status(),
            Self::KeyLocked { .. } => Some(StatusCode::LOCKED),
            Self::Config(_) | Self::InvalidInput(_) => None,
        }
    }

    /// How long to wait before trying again, when known.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http(e) => e.retry_after(),
            Self::KeyLocked { retry_after, .. } => *retry_after,
            Self::Config(_) | Self::InvalidInput(_) => None,
        }
    }

    /// The request id to quote to ConnectWise support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Http(e) => e.request_id(),
            Self::KeyLocked { request_id, .. } => request_id.as_deref(),
            Self::Config(_) | Self::InvalidInput(_) => None,
        }
    }

    /// True for 403: usually a scope the API key was not granted.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// True for 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

impl From<HttpError> for Error {
    fn from(e: HttpError) -> Self {
        if e.status() == Some(StatusCode::LOCKED) {
            return Self::KeyLocked {
                advice: KEY_LOCKED_ADVICE,
                request_id: e.request_id().map(str::to_owned),
                retry_after: e.retry_after(),
            };
        }
        Self::Http(e)
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

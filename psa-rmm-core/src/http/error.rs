//! The error pieces every vendor client wraps: API answers, transport failures, decode failures.

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};

use super::retry::Outcome;

/// Longest body kept in an [`ApiError`], after redaction.
pub const MAX_SNIPPET_BYTES: usize = 2048;
/// Longest body excerpt kept in a [`DecodeError`].
pub const MAX_DECODE_SNIPPET_BYTES: usize = 512;

/// Everything that can go wrong with one HTTP call. Boxed payloads keep `Result` small.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The server answered with an unsuccessful status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The connection failed or broke (the URL is stripped from the source: it may carry secrets).
    #[error("transport error on {endpoint}")]
    Transport {
        /// `METHOD /path/template`.
        endpoint: Box<str>,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
    },
    /// A connect, read or total timeout fired.
    #[error("timed out on {endpoint}")]
    Timeout {
        /// `METHOD /path/template`.
        endpoint: Box<str>,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
    },
    /// A successful answer whose body did not decode.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// A successful answer's body passed [`HttpConfig::max_body_bytes`](super::HttpConfig::max_body_bytes).
    #[error("the answer of {endpoint} is larger than {limit} bytes")]
    BodyTooLarge {
        /// `METHOD /path/template`.
        endpoint: Box<str>,
        /// The configured limit.
        limit: usize,
    },
    /// The request could not be built (bad URL, body that does not serialize, bad configuration).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A paginated listing misbehaved (e.g. the server handed back the same cursor twice).
    #[error("pagination error: {0}")]
    Pagination(String),
}

impl HttpError {
    /// Worth trying again later: 429, 502, 503, 504, connect errors and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(api) => matches!(api.status.as_u16(), 429 | 502 | 503 | 504),
            Self::Transport { source, .. } => source.is_connect(),
            Self::Timeout { .. } => true,
            Self::Decode(_)
            | Self::BodyTooLarge { .. }
            | Self::InvalidRequest(_)
            | Self::Pagination(_) => false,
        }
    }

    /// A success answer whose JSON body broke off (see [`DecodeError::cut_short`]).
    pub fn is_cut_short(&self) -> bool {
        matches!(self, Self::Decode(d) if d.cut_short)
    }

    /// What this error tells a retry decision: the status of an answer, or how the exchange broke (a
    /// success body cut short counts as a broken connection); `None` when retrying cannot help. A vendor
    /// client that runs its own retry loop feeds this to [`retry_decision`](super::retry_decision).
    pub fn retry_outcome(&self) -> Option<Outcome> {
        match self {
            Self::Api(api) => Some(Outcome::Status {
                status: api.status,
                retry_after: api.retry_after,
            }),
            Self::Transport { source, .. } | Self::Timeout { source, .. } => {
                Some(Outcome::Transport {
                    connect: source.is_connect(),
                    timeout: source.is_timeout(),
                    request_sent: !source.is_connect(),
                })
            }
            e if e.is_cut_short() => Some(Outcome::Transport {
                connect: false,
                timeout: false,
                request_sent: true,
            }),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::Decode(decode) => Some(decode.status),
            _ => None,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// The request id the server reported (or the `X-Request-ID` we sent), when the server answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(api) => api.request_id.as_deref(),
            Self::Decode(decode) => decode.request_id.as_deref(),
            _ => None,
        }
    }

    /// The API error, when the server answered with an unsuccessful status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl From<ApiError> for HttpError {
    fn from(api: ApiError) -> Self {
        Self::Api(Box::new(api))
    }
}

impl From<DecodeError> for HttpError {
    fn from(decode: DecodeError) -> Self {
        Self::Decode(Box::new(decode))
    }
}

/// An unsuccessful HTTP answer, with what the vendor said about it. All text is already redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// Request method.
    pub method: Method,
    /// Path template of the endpoint (ids not filled in), e.g. `/company/companies/{id}`.
    pub path: String,
    /// HTTP status.
    pub status: StatusCode,
    /// Vendor error code, when the body had one.
    pub code: Option<String>,
    /// Vendor error message, when the body had one.
    pub message: Option<String>,
    /// Parsed `Retry-After`.
    pub retry_after: Option<Duration>,
    /// Request id from the response headers, else the `X-Request-ID` we sent.
    pub request_id: Option<String>,
    /// The body, redacted and cut to [`MAX_SNIPPET_BYTES`] (HTML and empty bodies included).
    pub body_snippet: String,
}

impl ApiError {
    /// An API error with the given status and nothing else known (for vendor clients' own checks).
    pub fn new(method: Method, path: impl Into<String>, status: StatusCode) -> Self {
        Self {
            method,
            path: path.into(),
            status,
            code: None,
            message: None,
            retry_after: None,
            request_id: None,
            body_snippet: String::new(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} answered {}", self.method, self.path, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " [{code}]")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A successful answer whose body did not decode into the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// Request method.
    pub method: Method,
    /// Path template of the endpoint.
    pub path: String,
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// JSON path of the value that failed, e.g. `items[3].id` (`.` for the document itself).
    pub json_path: String,
    /// What serde reported (line and column included).
    pub message: String,
    /// Start of the body, redacted and cut to [`MAX_DECODE_SNIPPET_BYTES`].
    pub body_snippet: String,
    /// Request id of the answer.
    pub request_id: Option<String>,
    /// The body ended inside the JSON document: the connection or a proxy cut it, so the same request
    /// may well succeed again, unlike a complete body of the wrong shape.
    pub cut_short: bool,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the answer of {} {} at `{}`: {}",
            self.method, self.path, self.json_path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<HttpError>() <= 32,
            "{}",
            std::mem::size_of::<HttpError>()
        );
    }

    #[test]
    fn api_error_display_and_predicates() {
        let mut api = ApiError::new(
            Method::GET,
            "/company/companies/{id}",
            StatusCode::TOO_MANY_REQUESTS,
        );
        api.code = Some("RateLimit".into());
        api.message = Some("slow down".into());
        api.retry_after = Some(Duration::from_secs(3));
        api.request_id = Some("abc".into());
        let err = HttpError::from(api);
        assert_eq!(
            err.to_string(),
            "GET /company/companies/{id} answered 429 Too Many Requests [RateLimit]: slow down (request id abc)"
        );
        assert!(err.is_retryable());
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(err.request_id(), Some("abc"));
        let not_found = HttpError::from(ApiError::new(Method::GET, "/x", StatusCode::NOT_FOUND));
        assert!(!not_found.is_retryable());
        assert!(!HttpError::Pagination("loop".into()).is_retryable());
    }

    #[test]
    fn retry_outcome_of_answers_and_of_errors_no_retry_can_help() {
        let mut api = ApiError::new(Method::GET, "/x", StatusCode::SERVICE_UNAVAILABLE);
        api.retry_after = Some(Duration::from_secs(2));
        assert_eq!(
            HttpError::from(api).retry_outcome(),
            Some(Outcome::Status {
                status: StatusCode::SERVICE_UNAVAILABLE,
                retry_after: Some(Duration::from_secs(2)),
            })
        );
        let too_large = HttpError::BodyTooLarge {
            endpoint: "GET /x".into(),
            limit: 1,
        };
        assert_eq!(too_large.retry_outcome(), None);
        assert_eq!(HttpError::Pagination("loop".into()).retry_outcome(), None);
    }
}

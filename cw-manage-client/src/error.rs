//! The one error type of this crate.

use std::time::Duration;

use psa_rmm_core::http::HttpError;
use reqwest::StatusCode;

use crate::conditions::ConditionError;
use crate::model::ErrorBody;
use crate::patch::PatchError;

/// What kind of body an error answer had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// Manage's JSON error (`{code, message, errors[]}` or the 429 `{error, message}`).
    Json,
    /// An HTML page: a wrong host (missing `api-` prefix) or a proxy answering.
    Html,
    /// No body at all.
    Empty,
    /// Anything else.
    Other,
}

/// Everything a Manage call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP exchange failed: status with vendor code and message, transport, timeout, decode.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The builder was given an unusable setting.
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A query could not be rendered.
    #[error(transparent)]
    Condition(#[from] ConditionError),
    /// A patch could not be sent.
    #[error(transparent)]
    Patch(#[from] PatchError),
    /// `login/companyinfo/{company}` did not say where the API lives.
    #[error("codebase discovery for company {company:?} failed: {reason}")]
    Discovery {
        /// Login company id.
        company: String,
        /// What went wrong and what to check.
        reason: String,
        /// The underlying failure, when there was one.
        #[source]
        source: Option<Box<Error>>,
    },
    /// The connection test (`system/info`) failed; `hint` says what to check.
    #[error("connection test failed: {hint}")]
    Connection {
        /// What to check.
        hint: String,
        /// The failure.
        #[source]
        source: Box<Error>,
    },
    /// Manage answered a PATCH with success but the record does not hold the new value.
    #[error(
        "Manage accepted the update of {path:?} on {resource} but did not apply it (expected {expected}, found {actual})"
    )]
    NotApplied {
        /// Resource path (`/service/tickets/12`).
        resource: String,
        /// Field that did not change.
        path: String,
        /// The value sent.
        expected: String,
        /// The value read back.
        actual: String,
    },
    /// No closed status exists on the ticket's board.
    #[error("board {board} has no active closed status to move the ticket to")]
    NoClosedStatus {
        /// Board id.
        board: i64,
    },
    /// The record lacks something the operation needs (e.g. a ticket without a board).
    #[error("{0}")]
    Incomplete(String),
    /// The query string would pass Manage's URL limit and this resource has no `POST .../search`.
    #[error(
        "the query is {len} characters long, past Manage's URL limit of 2000, and {resource} has no search endpoint"
    )]
    QueryTooLong {
        /// Resource path.
        resource: String,
        /// URL length.
        len: usize,
    },
}

impl Error {
    /// Worth trying again later (429, 502-504, connect errors, timeouts).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Http(e) => e.is_retryable(),
            Self::Connection { source, .. } => source.is_retryable(),
            Self::Discovery {
                source: Some(s), ..
            } => s.is_retryable(),
            _ => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Http(e) => e.status(),
            Self::Connection { source, .. } => source.status(),
            Self::Discovery {
                source: Some(s), ..
            } => s.status(),
            _ => None,
        }
    }

    /// The server's `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Http(e) => e.retry_after(),
            Self::Connection { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    /// The underlying HTTP error, however deep.
    pub fn http(&self) -> Option<&HttpError> {
        match self {
            Self::Http(e) => Some(e),
            Self::Connection { source, .. } => source.http(),
            Self::Discovery {
                source: Some(s), ..
            } => s.http(),
            _ => None,
        }
    }

    /// Manage's error code (`NotFound`, `InvalidObject`, `ApiFindCondition`, the 429 body's `error`, ...).
    pub fn vendor_code(&self) -> Option<&str> {
        self.http()?.as_api()?.code.as_deref()
    }

    /// Manage's message, with validation errors appended.
    pub fn vendor_message(&self) -> Option<&str> {
        self.http()?.as_api()?.message.as_deref()
    }

    /// The (redacted, truncated) error body parsed as Manage's error shape.
    pub fn error_body(&self) -> Option<ErrorBody> {
        ErrorBody::parse(self.http()?.as_api()?.body_snippet.as_bytes())
    }

    /// What the error answer's body was.
    pub fn body_kind(&self) -> Option<BodyKind> {
        let api = self.http()?.as_api()?;
        Some(body_kind(api.body_snippet.as_bytes()))
    }

    /// True for a 404 whose body is Manage's `NotFound` (the record does not exist).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

pub(crate) fn body_kind(body: &[u8]) -> BodyKind {
    let t = body.trim_ascii_start();
    if t.is_empty() {
        BodyKind::Empty
    } else if t.first() == Some(&b'<') {
        BodyKind::Html
    } else if ErrorBody::parse(body).is_some() {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

/// Reads `(code, message)` from Manage's error bodies for [`psa_rmm_core::http::ApiError`]: the
/// `{code, message, errors[]}` shape (message followed by each validation error), the 429
/// `{error, message}` shape, and a description of HTML and empty bodies.
pub(crate) fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    if let Some(b) = ErrorBody::parse(body) {
        let summary = b.summary();
        return (
            b.code().map(str::to_owned),
            (!summary.is_empty()).then_some(summary),
        );
    }
    match body_kind(body) {
        BodyKind::Html => (
            None,
            Some("the server answered an HTML page, not the API (wrong host or codebase, or a proxy)".into()),
        ),
        BodyKind::Empty => (None, Some("the server answered with an empty body".into())),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_shape() {
        let (c, m) = parse_error_body(include_bytes!(
            "../tests/fixtures/error_invalid_object_callback_entry.json"
        ));
        assert_eq!(c.as_deref(), Some("InvalidObject"));
        assert!(m.unwrap().contains("level: Unrecognized level"));
        let (c, m) = parse_error_body(include_bytes!(
            "../tests/fixtures/doc_rate_limit_429_body.json"
        ));
        assert_eq!(c.as_deref(), Some("ConnectWiseAPI"));
        assert!(m.unwrap().starts_with("Too many requests"));
        let (c, m) = parse_error_body(b"<!DOCTYPE html><html>502 Bad Gateway</html>");
        assert_eq!(c, None);
        assert!(m.unwrap().contains("HTML"));
        assert_eq!(body_kind(b"  "), BodyKind::Empty);
        assert_eq!(
            parse_error_body(b"").1.as_deref(),
            Some("the server answered with an empty body")
        );
        assert_eq!(
            body_kind(b"{\"code\":\"NotFound\",\"message\":\"x\"}"),
            BodyKind::Json
        );
        assert_eq!(body_kind(b"oops"), BodyKind::Other);
    }
}

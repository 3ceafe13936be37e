//! The bodies Manage answers errors with.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use psa_rmm_core::wire;

/// One validation failure of an `InvalidObject` error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    /// Code (`MissingRequiredField`, `InvalidField`, `NotFound`, `ObjectExists`, ...).
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub code: Option<String>,
    /// Message.
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub message: Option<String>,
    /// Resource (`ticket`, `contact`, ...).
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub resource: Option<String>,
    /// Field (`company/id`).
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub field: Option<String>,
    /// Details.
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub details: Option<String>,
}

/// `ErrorResponseMessage {code, message, errors[]}`, also read from the 429 shape `{error, message}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Code (`InvalidObject`, `NotFound`, `ApiFindCondition`, `ConnectWiseApi`, `Security`, ...).
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub code: Option<String>,
    /// The 429 body's `error` key, which plays the role of `code`.
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub error: Option<String>,
    /// Message.
    #[serde(default, deserialize_with = "wire::opt_string")]
    pub message: Option<String>,
    /// Validation failures (may be `null` or absent).
    #[serde(default, deserialize_with = "wire::null_default")]
    pub errors: Vec<ValidationError>,
    /// Keys this version does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ErrorBody {
    /// Reads an error body; `None` when it is not a JSON object with a code, error or message
    /// (HTML pages, empty bodies).
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        let b: ErrorBody = serde_json::from_slice(body).ok()?;
        (b.code.is_some() || b.error.is_some() || b.message.is_some()).then_some(b)
    }

    /// `code`, else the 429 shape's `error`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref().or(self.error.as_deref())
    }

    /// True when the message or a validation error says the object already exists.
    pub fn is_object_exists(&self) -> bool {
        self.code() == Some("ObjectExists")
            || self
                .errors
                .iter()
                .any(|e| e.code.as_deref() == Some("ObjectExists"))
    }

    /// Message plus each validation error, on one line.
    pub fn summary(&self) -> String {
        let mut s = self.message.clone().unwrap_or_default();
        for e in &self.errors {
            let part = match (&e.field, &e.message) {
                (Some(f), Some(m)) => format!("{f}: {m}"),
                (None, Some(m)) => m.clone(),
                (Some(f), None) => f.clone(),
                (None, None) => continue,
            };
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&part);
        }
        s
    }
}

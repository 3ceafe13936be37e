//! Error bodies. The API uses about eight shapes (objects, a top-level array, nested `error` objects) and
//! `text/plain`; [`ErrorBody::parse`] reads them all into one code and message.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Code and message pulled out of any Asio error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Vendor error code (`code`, or the short `error` string of the gateway shape).
    pub code: Option<String>,
    /// Human message (`message`, `description`, nested `error.message`, or the plain text).
    pub message: Option<String>,
}

impl ErrorBody {
    /// Reads any known shape. Non-JSON bodies become the trimmed text as the message; an empty body gives
    /// an empty `ErrorBody`.
    pub fn parse(body: &[u8]) -> Self {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => Self::from_value(&v),
            Err(_) => {
                let text = String::from_utf8_lossy(body).trim().to_owned();
                Self {
                    code: None,
                    message: (!text.is_empty()).then(|| truncate(&text, 500)),
                }
            }
        }
    }

    fn from_value(v: &Value) -> Self {
        match v {
            // `[{"code","message"}]` (ticket APIs): keep the first, join further messages.
            Value::Array(items) => {
                let parts: Vec<Self> = items.iter().map(Self::from_value).collect();
                let code = parts.iter().find_map(|p| p.code.clone());
                let messages: Vec<String> = parts.into_iter().filter_map(|p| p.message).collect();
                Self {
                    code,
                    message: (!messages.is_empty()).then(|| messages.join("; ")),
                }
            }
            Value::Object(map) => {
                let text = |k: &str| map.get(k).and_then(scalar);
                let nested = map.get("error").filter(|e| e.is_object());
                let code = text("code")
                    .or_else(|| nested.and_then(|e| e.get("code")).and_then(scalar))
                    .or_else(|| map.get("error").and_then(|e| e.as_str()).map(str::to_owned))
                    .or_else(|| text("type"));
                let message = text("message")
                    .or_else(|| text("description"))
                    .or_else(|| nested.and_then(|e| e.get("message")).and_then(scalar))
                    .or_else(|| nested.and_then(|e| e.get("description")).and_then(scalar))
                    .or_else(|| text("error_description"))
                    .or_else(|| text("detail"));
                Self { code, message }
            }
            Value::String(s) => Self {
                code: None,
                message: Some(truncate(s, 500)),
            },
            _ => Self::default(),
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (Option<String>, Option<String>) {
        let b = ErrorBody::parse(s.as_bytes());
        (b.code, b.message)
    }

    fn some(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.into()), Some(b.into()))
    }

    #[test]
    fn every_documented_shape_reads() {
        assert_eq!(
            parse(r#"{"error":"unauthorized request","description":"expired"}"#),
            some("unauthorized request", "expired")
        );
        assert_eq!(
            parse(r#"{"code":"bad_request","message":"ErrClientIDNotAllowed"}"#),
            some("bad_request", "ErrClientIDNotAllowed")
        );
        assert_eq!(
            parse(r#"[{"code":"E1","message":"one"},{"code":"E2","message":"two"}]"#),
            some("E1", "one; two")
        );
        assert_eq!(
            parse(
                r#"{"id":"x","message":"group missing","type":"NotFound","error":{"message":"inner"}}"#
            ),
            some("NotFound", "group missing")
        );
        assert_eq!(
            parse(r#"{"error":{"code":"not_found","description":"no mapping"}}"#),
            some("not_found", "no mapping")
        );
        assert_eq!(
            parse(r#"{"error":{"message":"rule missing","info":"x"}}"#),
            (None, Some("rule missing".into()))
        );
        assert_eq!(
            parse(r#"{"message":"bad policy","payload":null,"type":"Validation"}"#),
            some("Validation", "bad policy")
        );
        assert_eq!(
            parse(r#"{"code":"400","description":"Invalid Resource Type"}"#),
            some("400", "Invalid Resource Type")
        );
        assert_eq!(
            parse("Too Many Requests\n"),
            (None, Some("Too Many Requests".into()))
        );
        assert_eq!(parse(""), (None, None));
        assert_eq!(parse("[]"), (None, None));
    }
}

//! The request log: one entry per request any fake received, with counters tests can query.
//!
//! Entries hold method, path, query (values of secret-looking parameters replaced by `REDACTED`), the status
//! answered and the fault applied, never headers or bodies, so no credential ever lands in the log.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use crate::Vendor;
use crate::fault::{FaultKind, glob_match};

/// One request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// Which fake answered.
    pub vendor: Vendor,
    /// HTTP method, upper case.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query string with secret-looking values redacted; `None` when there was none.
    pub query: Option<String>,
    /// Status answered; `None` when the connection was dropped without a response.
    pub status: Option<u16>,
    /// The scripted fault applied to this request, if any.
    pub fault: Option<FaultKind>,
    /// Sandbox-clock time at which the request arrived.
    pub at: DateTime<Utc>,
}

/// A shared, cloneable log of every request.
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    entries: Arc<Mutex<Vec<LoggedRequest>>>,
}

impl RequestLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one entry (fakes never call this: the framework logs every request).
    pub(crate) fn push(&self, entry: LoggedRequest) {
        self.lock().push(entry);
    }

    /// A copy of every entry, oldest first.
    pub fn entries(&self) -> Vec<LoggedRequest> {
        self.lock().clone()
    }

    /// Number of requests logged.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing was logged.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Takes every entry out of the log, oldest first: a long run tallies them as it goes and keeps the log
    /// (and its memory) small.
    pub fn drain(&self) -> Vec<LoggedRequest> {
        std::mem::take(&mut *self.lock())
    }

    /// Forgets every entry (counters restart from zero).
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Number of entries for which `pred` holds.
    pub fn count_where(&self, pred: impl Fn(&LoggedRequest) -> bool) -> usize {
        self.lock().iter().filter(|e| pred(e)).count()
    }

    /// Requests to `vendor` whose method equals `method` (any when `None`) and whose path matches the glob
    /// `path` (`*` matches any run of characters, e.g. `"*/company/configurations"`).
    pub fn count(&self, vendor: Vendor, method: Option<&str>, path: &str) -> usize {
        self.count_where(|e| {
            e.vendor == vendor
                && method.is_none_or(|m| e.method.eq_ignore_ascii_case(m))
                && glob_match(path, &e.path)
        })
    }

    /// Requests to `vendor` answered with `status`.
    pub fn count_status(&self, vendor: Vendor, status: u16) -> usize {
        self.count_where(|e| e.vendor == vendor && e.status == Some(status))
    }

    fn lock(&self) -> MutexGuard<'_, Vec<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Replaces the values of query parameters whose names suggest a secret.
pub(crate) fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_name(name) => format!("{name}=REDACTED"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["secret", "password", "token", "key", "signature", "code"]
        .iter()
        .any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drain_takes_the_entries_and_empties_the_log() {
        let log = RequestLog::new();
        let entry = |path: &str| LoggedRequest {
            vendor: Vendor::Datto,
            method: "GET".into(),
            path: path.into(),
            query: None,
            status: Some(200),
            fault: None,
            at: Utc::now(),
        };
        log.push(entry("/a"));
        log.push(entry("/b"));
        let taken: Vec<String> = log.drain().into_iter().map(|e| e.path).collect();
        assert_eq!(taken, ["/a", "/b"]);
        assert!(log.is_empty());
        log.push(entry("/c"));
        assert_eq!(log.len(), 1);
    }

    #[test]
    fn secret_query_values_are_redacted() {
        assert_eq!(
            redact_query("page=2&client_secret=abc&apiKey=xyz&conditions=id%3E1"),
            "page=2&client_secret=REDACTED&apiKey=REDACTED&conditions=id%3E1"
        );
    }
}

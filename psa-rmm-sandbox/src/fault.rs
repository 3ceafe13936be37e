//! Scripted faults: what a route of a fake does instead of (or on top of) its normal answer.
//!
//! A [`Fault`] names a vendor, optionally a method, a path glob, a [`FaultKind`] and a trigger: the next N
//! matching requests, or each matching request with a probability drawn from the sandbox's seeded RNG.
//! Rules are checked in the order they were added; the first live match wins. The framework applies faults
//! to every fake, so a fake author writes no fault code.
//!
//! ```
//! use std::time::Duration;
//! use psa_rmm_sandbox::{Fault, FaultKind, Vendor};
//! let rule = Fault::new(Vendor::Manage, "*/company/configurations", FaultKind::status(429).retry_after(2))
//!     .method("GET")
//!     .times(1);
//! let slow = Fault::new(Vendor::Datto, "*", FaultKind::Delay(Duration::from_millis(200))).probability(0.1);
//! # let _ = (rule, slow);
//! ```

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::Vendor;
use crate::rng::SeededRng;

/// What happens to a request a fault matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer this status without calling the fake; optional `Retry-After` value and body.
    Status {
        /// HTTP status code.
        status: u16,
        /// `Retry-After` header value (seconds or an HTTP-date), verbatim.
        retry_after: Option<String>,
        /// Response body; `None` for an empty body. Sent as `application/json` when it starts with `{` or `[`.
        body: Option<String>,
    },
    /// Wait this long (real time), then answer normally.
    Delay(Duration),
    /// Close the connection without sending any response.
    DropConnection,
    /// Run the fake (a write is stored), then close the connection without sending its answer: the client
    /// cannot tell whether the request took effect.
    DropAfterHandling,
    /// Answer normally but cut the body in half, with a Content-Length that matches the cut body (the client
    /// receives a complete HTTP response holding invalid JSON).
    TruncatedBody,
    /// Answer normally but promise the full Content-Length and close the connection half-way through the body.
    BrokenBody,
    /// Answer with an HTML page (a proxy or maintenance page) and this status. With a 2xx status the fake
    /// runs first (a write is stored) and only its answer is replaced.
    HtmlBody(u16),
    /// Answer with an empty body and this status. With a 2xx status the fake runs first (a write is
    /// stored) and only its answer is replaced.
    EmptyBody(u16),
}

impl FaultKind {
    /// A `Status` fault with no `Retry-After` and no body.
    pub fn status(status: u16) -> Self {
        Self::Status {
            status,
            retry_after: None,
            body: None,
        }
    }

    /// Sets `Retry-After` (in seconds) on a `Status` fault; other kinds are returned unchanged.
    pub fn retry_after(self, seconds: u64) -> Self {
        self.retry_after_value(seconds.to_string())
    }

    /// Sets a verbatim `Retry-After` value (e.g. an HTTP-date) on a `Status` fault.
    pub fn retry_after_value(self, value: impl Into<String>) -> Self {
        match self {
            Self::Status { status, body, .. } => Self::Status {
                status,
                retry_after: Some(value.into()),
                body,
            },
            other => other,
        }
    }

    /// Sets the body of a `Status` fault.
    pub fn body(self, body: impl Into<String>) -> Self {
        match self {
            Self::Status {
                status,
                retry_after,
                ..
            } => Self::Status {
                status,
                retry_after,
                body: Some(body.into()),
            },
            other => other,
        }
    }
}

/// When a fault fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// The next `n` matching requests, then the rule is spent.
    Times(u32),
    /// Each matching request with this probability, forever.
    Probability(f64),
}

/// One scripted fault rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Vendor whose fake the rule applies to.
    pub vendor: Vendor,
    /// Method to match (case-insensitive); any when `None`.
    pub method: Option<String>,
    /// Path glob: `*` matches any run of characters; the whole path must match.
    pub path: String,
    /// What to do.
    pub kind: FaultKind,
    /// When to do it (default: the next request only).
    pub trigger: Trigger,
}

impl Fault {
    /// A rule for the next request to `vendor` whose path matches `path`.
    pub fn new(vendor: Vendor, path: impl Into<String>, kind: FaultKind) -> Self {
        Self {
            vendor,
            method: None,
            path: path.into(),
            kind,
            trigger: Trigger::Times(1),
        }
    }

    /// Restricts the rule to one method.
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Fires for the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.trigger = Trigger::Times(n);
        self
    }

    /// Fires on each matching request with probability `p` (seeded: the same run fires on the same requests).
    pub fn probability(mut self, p: f64) -> Self {
        self.trigger = Trigger::Probability(p);
        self
    }

    fn matches(&self, vendor: Vendor, method: &str, path: &str) -> bool {
        self.vendor == vendor
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob_match(&self.path, path)
    }
}

/// The live set of fault rules, shared by every fake of one sandbox.
#[derive(Debug, Clone)]
pub struct Faults {
    inner: Arc<Mutex<FaultBook>>,
}

#[derive(Debug)]
struct FaultBook {
    rules: Vec<Fault>,
    rng: SeededRng,
}

impl Faults {
    /// An empty rule set whose probabilistic rules draw from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            inner: Arc::new(Mutex::new(FaultBook {
                rules: Vec::new(),
                rng: SeededRng::new(seed),
            })),
        }
    }

    /// Adds a rule after the existing ones.
    pub fn push(&self, fault: Fault) {
        self.lock().rules.push(fault);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// Number of rules still live (spent `Times` rules are removed).
    pub fn len(&self) -> usize {
        self.lock().rules.len()
    }

    /// True when no rule is live.
    pub fn is_empty(&self) -> bool {
        self.lock().rules.is_empty()
    }

    /// The fault to apply to this request, consuming one use of a `Times` rule.
    pub(crate) fn take(&self, vendor: Vendor, method: &str, path: &str) -> Option<FaultKind> {
        let mut book = self.lock();
        let FaultBook { rules, rng } = &mut *book;
        let mut fired = None;
        for (i, rule) in rules.iter_mut().enumerate() {
            if !rule.matches(vendor, method, path) {
                continue;
            }
            match &mut rule.trigger {
                Trigger::Times(0) => continue,
                Trigger::Times(n) => {
                    *n -= 1;
                    fired = Some((i, rule.kind.clone(), *n == 0));
                    break;
                }
                Trigger::Probability(p) => {
                    if rng.chance(*p) {
                        fired = Some((i, rule.kind.clone(), false));
                        break;
                    }
                }
            }
        }
        let (index, kind, spent) = fired?;
        if spent {
            rules.remove(index);
        }
        Some(kind)
    }

    fn lock(&self) -> MutexGuard<'_, FaultBook> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whole-string glob match where `*` matches any run of characters (including `/`).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_whole_paths() {
        assert!(glob_match("*", "/a/b"));
        assert!(glob_match(
            "*/company/configurations",
            "/v4_6_release/apis/3.0/company/configurations"
        ));
        assert!(!glob_match(
            "*/company/configurations",
            "/x/company/configurations/5"
        ));
        assert!(glob_match("/api/*/devices*", "/api/v2/devices?x"));
        assert!(glob_match("/exact", "/exact"));
        assert!(!glob_match("/exact", "/exact/"));
        assert!(!glob_match("a*a", "a"));
    }

    #[test]
    fn times_rules_are_spent_and_probability_is_seeded() {
        let faults = Faults::new(1);
        faults.push(Fault::new(Vendor::Manage, "*", FaultKind::DropConnection).times(2));
        assert!(faults.take(Vendor::Datto, "GET", "/x").is_none());
        assert_eq!(
            faults.take(Vendor::Manage, "GET", "/x"),
            Some(FaultKind::DropConnection)
        );
        assert_eq!(
            faults.take(Vendor::Manage, "GET", "/x"),
            Some(FaultKind::DropConnection)
        );
        assert!(faults.take(Vendor::Manage, "GET", "/x").is_none());
        assert!(faults.is_empty());

        let draw = |seed| {
            let f = Faults::new(seed);
            f.push(Fault::new(Vendor::Asio, "*", FaultKind::EmptyBody(200)).probability(0.3));
            (0..200)
                .map(|_| f.take(Vendor::Asio, "GET", "/").is_some())
                .collect::<Vec<_>>()
        };
        let a = draw(9);
        assert_eq!(a, draw(9));
        let fired = a.iter().filter(|x| **x).count();
        assert!((30..90).contains(&fired), "{fired}");
    }
}

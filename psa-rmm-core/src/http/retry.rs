//! When to retry and how long to wait: a pure decision, so every rule is a row in a unit-test table.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode};

/// Retry budget and pacing. `Default` suits production; tests shrink the delays to milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles per retry (plus jitter when run).
    pub initial_delay: Duration,
    /// Upper bound of one computed backoff delay.
    pub max_delay: Duration,
    /// Wall-clock budget of one call, retries and waits included; no retry starts that would pass it.
    pub max_elapsed: Duration,
    /// The longest server `Retry-After` honoured; longer values are cut to this.
    pub max_retry_after: Duration,
    /// Retry `500 Internal Server Error` too, for requests that may be repeated. On by default: all three
    /// vendors answer 500 to passing trouble (Manage: "A timeout has occured. Please try again.", and its
    /// guide says to retry a 500; Datto: transient 500s), and a read that fails for good costs only the
    /// attempts of the policy. A write is still never repeated after a 500 (see [`RetryPolicy::decide`]).
    pub retry_500: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(180),
            max_retry_after: Duration::from_secs(120),
            retry_500: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn no_retry() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The decision for one failed attempt, with the caller saying whether the request may be repeated
    /// (an explicit idempotency override on the request, or [`is_idempotent`] of its method).
    pub fn decide(
        &self,
        idempotent: bool,
        outcome: &Outcome,
        attempt: u32,
        elapsed: Duration,
    ) -> RetryDecision {
        if attempt >= self.max_attempts {
            return RetryDecision::Stop;
        }
        let delay = match *outcome {
            Outcome::Status {
                status,
                retry_after,
            } => {
                // A 429 refuses the request before acting on it (the vendors' throttles answer it up front),
                // so even a create may be sent again; a 5xx may come after the server applied it.
                let refused = status == StatusCode::TOO_MANY_REQUESTS;
                if !(idempotent || refused) || !self.retryable_status(status) {
                    return RetryDecision::Stop;
                }
                match retry_after {
                    Some(after) => after.min(self.max_retry_after),
                    None => self.backoff(attempt),
                }
            }
            Outcome::Transport {
                connect,
                timeout,
                request_sent,
            } => {
                // A connect failure before anything was written is safe for every method.
                let never_sent = connect && !request_sent;
                let _ = timeout; // every other transport failure may have reached the server
                if !(never_sent || idempotent) {
                    return RetryDecision::Stop;
                }
                self.backoff(attempt)
            }
        };
        match elapsed.checked_add(delay) {
            Some(total) if total <= self.max_elapsed => RetryDecision::Retry(delay),
            _ => RetryDecision::Stop,
        }
    }

    fn retryable_status(&self, status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
            || (self.retry_500 && status.as_u16() == 500)
    }

    /// Deterministic exponential delay after `attempt` failed attempts (jitter is added by the executor).
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_delay
            .saturating_mul(factor)
            .min(self.max_delay)
    }
}

/// What one attempt ended with, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with an unsuccessful status.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The server's `Retry-After`, already parsed.
        retry_after: Option<Duration>,
    },
    /// No (complete) answer arrived.
    Transport {
        /// The connection could not be set up.
        connect: bool,
        /// A timeout fired.
        timeout: bool,
        /// Some of the request may have reached the server.
        request_sent: bool,
    },
}

/// Whether to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Give up and return the error.
    Stop,
}

/// Methods that may be repeated without changing the result beyond the first call (RFC 9110 §9.2.2).
pub fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// Decide whether attempt number `attempt` (1-based) that ended with `outcome`, `elapsed` after the call
/// began, is tried again. Pure: the same input always gives the same answer.
///
/// ```
/// use std::time::Duration;
/// use psa_rmm_core::http::{retry_decision, Outcome, RetryDecision, RetryPolicy};
/// use reqwest::{Method, StatusCode};
///
/// let policy = RetryPolicy::default();
/// let busy = Outcome::Status { status: StatusCode::TOO_MANY_REQUESTS, retry_after: Some(Duration::from_secs(2)) };
/// assert_eq!(retry_decision(&Method::GET, &busy, 1, Duration::ZERO, &policy), RetryDecision::Retry(Duration::from_secs(2)));
/// let gone = Outcome::Status { status: StatusCode::NOT_FOUND, retry_after: None };
/// assert_eq!(retry_decision(&Method::GET, &gone, 1, Duration::ZERO, &policy), RetryDecision::Stop);
/// ```
pub fn retry_decision(
    method: &Method,
    outcome: &Outcome,
    attempt: u32,
    elapsed: Duration,
    policy: &RetryPolicy,
) -> RetryDecision {
    policy.decide(is_idempotent(method), outcome, attempt, elapsed)
}

/// Parse a `Retry-After` value: delta-seconds or an HTTP-date (a date in the past gives zero).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use psa_rmm_core::http::parse_retry_after;
/// use reqwest::header::HeaderValue;
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("120"), now), Some(Duration::from_secs(120)));
/// let date = HeaderValue::from_static("Wed, 21 Oct 2015 07:28:30 GMT");
/// assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(30)));
/// ```
pub fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly large numbers saturate; the policy caps them anyway.
        return Some(Duration::from_secs(text.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            max_elapsed: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(5),
            retry_500: false,
        }
    }

    fn status(code: u16, retry_after: Option<u64>) -> Outcome {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    const CONNECT: Outcome = Outcome::Transport {
        connect: true,
        timeout: false,
        request_sent: false,
    };
    const TIMEOUT: Outcome = Outcome::Transport {
        connect: false,
        timeout: true,
        request_sent: true,
    };
    const CONNECT_TIMEOUT: Outcome = Outcome::Transport {
        connect: true,
        timeout: true,
        request_sent: false,
    };
    const BROKEN: Outcome = Outcome::Transport {
        connect: false,
        timeout: false,
        request_sent: true,
    };

    fn ms(n: u64) -> RetryDecision {
        RetryDecision::Retry(Duration::from_millis(n))
    }

    #[test]
    fn decision_table() {
        use RetryDecision::Stop;
        let p = policy();
        let zero = Duration::ZERO;
        let rows: Vec<(Method, Outcome, u32, Duration, RetryDecision, &str)> = vec![
            (
                Method::GET,
                status(429, None),
                1,
                zero,
                ms(100),
                "429 backs off",
            ),
            (Method::GET, status(502, None), 1, zero, ms(100), "502"),
            (
                Method::GET,
                status(503, None),
                2,
                zero,
                ms(200),
                "503 doubles",
            ),
            (
                Method::GET,
                status(504, None),
                3,
                zero,
                ms(350),
                "504 capped at max_delay",
            ),
            (
                Method::GET,
                status(503, None),
                4,
                zero,
                Stop,
                "attempts exhausted",
            ),
            (
                Method::GET,
                status(500, None),
                1,
                zero,
                Stop,
                "500 off by default",
            ),
            (Method::GET, status(400, None), 1, zero, Stop, "400"),
            (
                Method::GET,
                status(401, None),
                1,
                zero,
                Stop,
                "401 is renewal, not retry",
            ),
            (Method::GET, status(403, None), 1, zero, Stop, "403"),
            (Method::GET, status(404, None), 1, zero, Stop, "404"),
            (Method::GET, status(409, None), 1, zero, Stop, "409"),
            (Method::GET, status(422, None), 1, zero, Stop, "422"),
            (
                Method::PUT,
                status(503, None),
                1,
                zero,
                ms(100),
                "PUT idempotent",
            ),
            (
                Method::DELETE,
                status(502, None),
                1,
                zero,
                ms(100),
                "DELETE idempotent",
            ),
            (
                Method::HEAD,
                status(504, None),
                1,
                zero,
                ms(100),
                "HEAD idempotent",
            ),
            (
                Method::POST,
                status(503, None),
                1,
                zero,
                Stop,
                "POST reached the server",
            ),
            (
                Method::PATCH,
                status(429, None),
                1,
                zero,
                ms(100),
                "PATCH refused with 429 was not applied",
            ),
            (
                Method::POST,
                status(502, None),
                1,
                zero,
                Stop,
                "POST behind a failing gateway may have been applied",
            ),
            (
                Method::PATCH,
                status(504, None),
                1,
                zero,
                Stop,
                "PATCH behind a timed-out gateway may have been applied",
            ),
            (
                Method::POST,
                TIMEOUT,
                1,
                zero,
                Stop,
                "POST may have been applied",
            ),
            (Method::POST, BROKEN, 1, zero, Stop, "POST broken mid-way"),
            (Method::POST, CONNECT, 1, zero, ms(100), "POST never sent"),
            (
                Method::PATCH,
                CONNECT_TIMEOUT,
                1,
                zero,
                ms(100),
                "PATCH connect timeout",
            ),
            (Method::GET, CONNECT, 1, zero, ms(100), "GET connect"),
            (Method::GET, TIMEOUT, 2, zero, ms(200), "GET timeout"),
            (Method::GET, BROKEN, 1, zero, ms(100), "GET broken body"),
            (
                Method::GET,
                status(429, Some(2)),
                1,
                zero,
                ms(2000),
                "Retry-After honoured",
            ),
            (
                Method::GET,
                status(429, Some(60)),
                1,
                zero,
                ms(5000),
                "Retry-After capped",
            ),
            (
                Method::GET,
                status(503, Some(1)),
                1,
                zero,
                ms(1000),
                "Retry-After on 503",
            ),
            (
                Method::GET,
                status(429, Some(2)),
                4,
                zero,
                Stop,
                "Retry-After never revives attempts",
            ),
            (
                Method::GET,
                status(429, Some(5)),
                1,
                Duration::from_secs(6),
                Stop,
                "Retry-After past time budget",
            ),
            (
                Method::GET,
                status(503, None),
                1,
                Duration::from_millis(9950),
                Stop,
                "backoff past time budget",
            ),
            (
                Method::GET,
                status(503, None),
                1,
                Duration::from_millis(9900),
                ms(100),
                "backoff just fits",
            ),
        ];
        for (method, outcome, attempt, elapsed, want, why) in rows {
            assert_eq!(
                retry_decision(&method, &outcome, attempt, elapsed, &p),
                want,
                "{why}"
            );
        }
    }

    #[test]
    fn retry_500_and_overrides() {
        let p = RetryPolicy {
            retry_500: true,
            ..policy()
        };
        assert_eq!(
            retry_decision(&Method::GET, &status(500, None), 1, Duration::ZERO, &p),
            ms(100)
        );
        assert_eq!(
            p.decide(true, &status(503, None), 1, Duration::ZERO),
            ms(100),
            "POST opted in"
        );
        assert_eq!(
            p.decide(false, &status(503, None), 1, Duration::ZERO),
            RetryDecision::Stop
        );
        assert_eq!(
            RetryPolicy::no_retry().decide(true, &CONNECT, 1, Duration::ZERO),
            RetryDecision::Stop
        );
    }

    #[test]
    fn the_default_retries_a_500_read_but_never_a_500_write() {
        let p = RetryPolicy::default();
        let after_500 =
            |method: &Method| retry_decision(method, &status(500, None), 1, Duration::ZERO, &p);
        assert_eq!(after_500(&Method::GET), ms(500));
        assert_eq!(after_500(&Method::PUT), ms(500));
        assert_eq!(after_500(&Method::POST), RetryDecision::Stop);
        assert_eq!(after_500(&Method::PATCH), RetryDecision::Stop);
    }

    #[test]
    fn backoff_never_overflows() {
        let p = RetryPolicy {
            max_attempts: u32::MAX,
            max_elapsed: Duration::MAX,
            ..policy()
        };
        assert_eq!(p.decide(true, &CONNECT, 200, Duration::ZERO), ms(350));
        assert_eq!(
            p.decide(true, &CONNECT, 1, Duration::MAX),
            RetryDecision::Stop
        );
    }

    #[test]
    fn retry_after_parsing() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 UTC
        let parse = |s: &'static str| parse_retry_after(&HeaderValue::from_static(s), now);
        assert_eq!(parse("0"), Some(Duration::ZERO));
        assert_eq!(parse(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:30 GMT"),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:00:00 GMT"),
            Some(Duration::ZERO),
            "past date"
        );
        assert_eq!(
            parse("Wednesday, 21-Oct-15 07:29:00 GMT"),
            Some(Duration::from_secs(60)),
            "RFC 850"
        );
        assert_eq!(parse("-5"), None);
        assert_eq!(parse("1.5"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse(""), None);
    }

    proptest::proptest! {
        #[test]
        fn decisions_stay_within_budget(
            code in 100u16..600, ra in proptest::option::of(0u64..100_000), attempt in 0u32..20,
            elapsed_ms in 0u64..20_000, idempotent in proptest::bool::ANY,
        ) {
            let p = policy();
            let outcome = Outcome::Status { status: StatusCode::from_u16(code).unwrap(), retry_after: ra.map(Duration::from_secs) };
            let elapsed = Duration::from_millis(elapsed_ms);
            if let RetryDecision::Retry(d) = p.decide(idempotent, &outcome, attempt, elapsed) {
                proptest::prop_assert!(attempt < p.max_attempts);
                proptest::prop_assert!(elapsed + d <= p.max_elapsed);
                proptest::prop_assert!(d <= p.max_delay.max(p.max_retry_after));
                proptest::prop_assert!(idempotent);
            }
        }

        #[test]
        fn retry_after_never_panics(text in "\\PC{0,40}") {
            if let Ok(value) = HeaderValue::from_str(&text) {
                let _ = parse_retry_after(&value, SystemTime::now());
            }
        }
    }
}

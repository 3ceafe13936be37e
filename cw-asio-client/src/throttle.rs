//! How long an Asio 429 asks to wait: Asio documents Limit, Remaining and Reset response headers (Reset is
//! the Unix epoch when the quota refills) without naming them, so any header whose name ends in `reset` is
//! read; `Retry-After`, when sent, wins in the runtime.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Epoch values at or above this are milliseconds (year 2286 in seconds).
const EPOCH_MILLIS_FROM: u64 = 10_000_000_000;
/// Values below this cannot be an epoch of this century: they are read as seconds to wait.
const EPOCH_SECONDS_FROM: u64 = 1_000_000_000;

/// The wait until the latest quota reset the headers name, from `now`; a reset in the past waits zero.
/// Unreadable values are ignored (the runtime falls back to its backoff).
pub(crate) fn reset_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .iter()
        .filter(|(name, _)| name.as_str().ends_with("reset"))
        .filter_map(|(_, value)| value.to_str().ok()?.trim().parse::<f64>().ok())
        .filter_map(|n| wait_until(n, now))
        .max()
}

fn wait_until(value: f64, now: SystemTime) -> Option<Duration> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let whole = value as u64;
    if whole < EPOCH_SECONDS_FROM {
        return Duration::try_from_secs_f64(value).ok();
    }
    let at = if whole >= EPOCH_MILLIS_FROM {
        Duration::try_from_secs_f64(value / 1000.0).ok()?
    } else {
        Duration::try_from_secs_f64(value).ok()?
    };
    let since_epoch = now.duration_since(UNIX_EPOCH).ok()?;
    Some(at.saturating_sub(since_epoch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn reads_the_reset_epoch_in_seconds_or_millis_and_ignores_the_rest() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs| reset_wait(&headers(pairs), now);
        assert_eq!(
            wait(&[("x-ratelimit-reset", "1700000042")]),
            Some(Duration::from_secs(42))
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "1700000001500")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(&[("x-ratelimit-reset", "30")]),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            wait(&[("x-ratelimit-reset", "1699999000")]),
            Some(Duration::ZERO),
            "a reset in the past"
        );
        assert_eq!(
            wait(&[
                ("x-ratelimit-reset", "1700000010"),
                ("x-ratelimit-endpoints-reset", "1700000090"),
            ]),
            Some(Duration::from_secs(90)),
            "the latest of several buckets"
        );
        assert_eq!(wait(&[("x-ratelimit-reset", "soon")]), None);
        assert_eq!(wait(&[("x-ratelimit-reset", "-5")]), None);
        assert_eq!(wait(&[("x-ratelimit-reset", "NaN")]), None);
        assert_eq!(wait(&[("x-ratelimit-remaining", "0")]), None);
    }
}

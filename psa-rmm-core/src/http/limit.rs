//! Client-side request budget per account (governor GCRA), shared by every clone of a client.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota};

/// A request budget: `n` requests per `period`, with bursts of up to `n`. Cloning shares the budget.
///
/// ```
/// use psa_rmm_core::http::RateLimiter;
/// # async fn demo() {
/// let reads = RateLimiter::per_minute(540); // Datto: stay under the 600/min read budget
/// let same_account = reads.clone(); // shares the same budget
/// same_account.until_ready().await;
/// # }
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<DefaultDirectRateLimiter>,
    per_period: u32,
    period: Duration,
}

impl RateLimiter {
    /// `n` requests per `period`. A zero `n` counts as 1 and a zero period as 1 ms, so no input panics.
    pub fn new(n: u32, period: Duration) -> Self {
        let burst = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        let period = period.max(Duration::from_millis(1));
        let step = (period / burst.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(step)
            .map_or_else(|| Quota::per_second(burst), |q| q.allow_burst(burst));
        Self {
            inner: Arc::new(DefaultDirectRateLimiter::direct(quota)),
            per_period: burst.get(),
            period,
        }
    }

    /// `n` requests per minute.
    pub fn per_minute(n: u32) -> Self {
        Self::new(n, Duration::from_secs(60))
    }

    /// `n` requests per second.
    pub fn per_second(n: u32) -> Self {
        Self::new(n, Duration::from_secs(1))
    }

    /// Wait until one request may go out, and take its permit.
    pub async fn until_ready(&self) {
        self.inner.until_ready().await;
    }

    /// Take a permit if one is free right now, without waiting.
    pub fn try_acquire(&self) -> bool {
        self.inner.check().is_ok()
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("per_period", &self.per_period)
            .field("period", &self.period)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refuses_and_clones_share() {
        let limiter = RateLimiter::per_minute(3);
        let clone = limiter.clone();
        assert!(limiter.try_acquire());
        assert!(clone.try_acquire());
        assert!(limiter.try_acquire());
        assert!(
            !clone.try_acquire(),
            "the clone sees the shared budget spent"
        );
    }

    #[test]
    fn degenerate_quotas_do_not_panic() {
        let zero = RateLimiter::new(0, Duration::ZERO);
        assert!(zero.try_acquire());
        let huge = RateLimiter::new(u32::MAX, Duration::from_nanos(1));
        assert!(huge.try_acquire());
    }

    #[tokio::test]
    async fn until_ready_waits_for_replenish() {
        let limiter = RateLimiter::new(1, Duration::from_millis(30));
        limiter.until_ready().await;
        let start = std::time::Instant::now();
        limiter.until_ready().await;
        assert!(
            start.elapsed() >= Duration::from_millis(20),
            "{:?}",
            start.elapsed()
        );
    }
}

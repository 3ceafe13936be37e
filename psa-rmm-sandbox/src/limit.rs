//! A sliding-window request limiter on the sandbox clock, for the fakes' vendor rate limits.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::clock::SandboxClock;

/// Allows `limit` requests per `window` of sandbox-clock time; cloneable, clones share the window.
#[derive(Debug, Clone)]
pub struct WindowLimiter {
    clock: SandboxClock,
    limit: usize,
    window: Duration,
    hits: Arc<Mutex<VecDeque<Duration>>>,
}

impl WindowLimiter {
    /// A limiter of `limit` requests per `window`; a `limit` of 0 means unlimited.
    pub fn new(clock: SandboxClock, limit: usize, window: Duration) -> Self {
        Self {
            clock,
            limit,
            window,
            hits: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// Records one request, or returns how long (sandbox time) until one more would be allowed.
    pub fn try_acquire(&self) -> Result<(), Duration> {
        if self.limit == 0 {
            return Ok(());
        }
        let now = self.clock.elapsed();
        let mut hits = self.hits.lock().unwrap_or_else(PoisonError::into_inner);
        while hits
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= self.window)
        {
            hits.pop_front();
        }
        if hits.len() < self.limit {
            hits.push_back(now);
            return Ok(());
        }
        let oldest = hits.front().copied().unwrap_or(now);
        Err(self.window.saturating_sub(now.saturating_sub(oldest)))
    }

    /// The configured limit (0 = unlimited).
    pub fn limit(&self) -> usize {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_then_recovers_after_the_window() {
        let clock = SandboxClock::new(0.0);
        let lim = WindowLimiter::new(clock.clone(), 2, Duration::from_secs(60));
        assert!(lim.try_acquire().is_ok());
        clock.advance(Duration::from_secs(10));
        assert!(lim.try_acquire().is_ok());
        assert_eq!(lim.try_acquire(), Err(Duration::from_secs(50)));
        clock.advance(Duration::from_secs(50));
        assert!(lim.try_acquire().is_ok());
        assert!(
            WindowLimiter::new(clock, 0, Duration::ZERO)
                .try_acquire()
                .is_ok()
        );
    }
}

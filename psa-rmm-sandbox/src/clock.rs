//! The sandbox clock: real time scaled by a factor, plus manual advances.
//!
//! Vendor rate limits and token expiry read this clock, never the system clock, so a test can make a
//! 60-second rate window pass in one second (`factor = 60.0`) or jump over a token lifetime with
//! [`SandboxClock::advance`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// A cloneable handle on one shared virtual clock.
#[derive(Debug, Clone)]
pub struct SandboxClock {
    inner: Arc<ClockInner>,
}

#[derive(Debug)]
struct ClockInner {
    origin: Instant,
    origin_wall: DateTime<Utc>,
    factor: f64,
    advanced: Mutex<Duration>,
}

impl SandboxClock {
    /// A clock starting now that runs `factor` times faster than real time (1.0 = real time; 0.0 = frozen,
    /// moved only by [`advance`](Self::advance)). Negative or non-finite factors are treated as 1.0.
    pub fn new(factor: f64) -> Self {
        let factor = if factor.is_finite() && factor >= 0.0 {
            factor
        } else {
            1.0
        };
        Self {
            inner: Arc::new(ClockInner {
                origin: Instant::now(),
                origin_wall: Utc::now(),
                factor,
                advanced: Mutex::new(Duration::ZERO),
            }),
        }
    }

    /// The speed-up factor.
    pub fn factor(&self) -> f64 {
        self.inner.factor
    }

    /// Virtual time elapsed since the clock started (scaled real time plus manual advances).
    pub fn elapsed(&self) -> Duration {
        let real = self.inner.origin.elapsed().as_secs_f64() * self.inner.factor;
        let scaled = Duration::try_from_secs_f64(real).unwrap_or(Duration::MAX);
        scaled.saturating_add(*self.advanced())
    }

    /// Virtual wall-clock time.
    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = chrono::Duration::from_std(self.elapsed()).unwrap_or(chrono::Duration::MAX);
        self.inner
            .origin_wall
            .checked_add_signed(elapsed)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Moves virtual time forward by `by` (e.g. past a token lifetime or a rate window).
    pub fn advance(&self, by: Duration) {
        let mut advanced = self.advanced();
        *advanced = advanced.saturating_add(by);
    }

    /// Converts a virtual duration into the real time it takes at this clock's factor (for `Retry-After`
    /// hints a real client will sleep on). A frozen clock returns the virtual duration unchanged.
    pub fn to_real(&self, virtual_duration: Duration) -> Duration {
        if self.inner.factor <= 0.0 {
            return virtual_duration;
        }
        Duration::try_from_secs_f64(virtual_duration.as_secs_f64() / self.inner.factor)
            .unwrap_or(virtual_duration)
    }

    fn advanced(&self) -> std::sync::MutexGuard<'_, Duration> {
        self.inner
            .advanced
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for SandboxClock {
    fn default() -> Self {
        Self::new(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_moves_only_when_advanced() {
        let clock = SandboxClock::new(0.0);
        let t0 = clock.now();
        assert_eq!(clock.elapsed(), Duration::ZERO);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.elapsed(), Duration::from_secs(90));
        assert_eq!((clock.now() - t0).num_seconds(), 90);
    }

    #[test]
    fn fast_clock_runs_ahead_and_converts_back() {
        let clock = SandboxClock::new(1000.0);
        std::thread::sleep(Duration::from_millis(5));
        assert!(clock.elapsed() >= Duration::from_secs(5));
        assert_eq!(
            clock.to_real(Duration::from_secs(60)),
            Duration::from_millis(60)
        );
    }
}

//! Pacing to Datto's rolling-window budgets ("600 requests within the past 60 seconds").
//!
//! A token bucket (the runtime's GCRA `RateLimiter`) bounds the average rate but lets a full burst into one
//! window, and with a burst of one it loses every wake-up delay. Datto counts a rolling window, so the
//! pacer keeps the send times of the current window and never lets it hold more than its cap, while a
//! minimum spacing keeps the stream smooth; waiters queue in FIFO order behind one async lock, so there is
//! no thundering herd. Time is tokio's, so tests with a paused clock stay deterministic.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Spacing slack: the minimum gap is this much shorter than the average one, so a late wake-up is made up
/// for by the next sends instead of being lost; the window cap still bounds every window.
const CATCH_UP: f64 = 0.97;

/// Slots of lateness a pacer may make up at once after a stall.
const BANKED_SLOTS: u32 = 8;

#[derive(Debug)]
struct Window {
    sent: VecDeque<Instant>,
    next: Option<Instant>,
}

/// A shared rolling-window pacer: at most `cap` sends in any `period`.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    cap: usize,
    period: Duration,
    spacing: Duration,
    state: Arc<Mutex<Window>>,
}

impl Pacer {
    /// At most `cap` sends in any `period` (a zero cap counts as one).
    pub(crate) fn new(cap: usize, period: Duration) -> Self {
        let cap = cap.max(1);
        let spacing = period.mul_f64(CATCH_UP / cap as f64);
        Self {
            cap,
            period,
            spacing,
            state: Arc::new(Mutex::new(Window {
                sent: VecDeque::with_capacity(cap.min(4096)),
                next: None,
            })),
        }
    }

    /// Waits for a send slot and takes it.
    pub(crate) async fn acquire(&self) {
        let mut w = self.state.lock().await;
        loop {
            let now = Instant::now();
            while w
                .sent
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= self.period)
            {
                w.sent.pop_front();
            }
            let window_free = match w.sent.front() {
                Some(oldest) if w.sent.len() >= self.cap => *oldest + self.period,
                _ => now,
            };
            let at = w.next.map_or(window_free, |n| n.max(window_free));
            if at <= now {
                w.sent.push_back(now);
                // Schedule from the slot, not from `now`, so lateness is made up, but bank at most a few slots.
                let floor = now.checked_sub(self.spacing * BANKED_SLOTS).unwrap_or(now);
                w.next = Some(w.next.unwrap_or(now).max(floor) + self.spacing);
                return;
            }
            tokio::time::sleep_until(at).await;
        }
    }

    /// Sends in the current window (for tests and stats).
    #[cfg(test)]
    async fn in_window(&self) -> usize {
        let now = Instant::now();
        let w = self.state.lock().await;
        w.sent
            .iter()
            .filter(|t| now.saturating_duration_since(**t) < self.period)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_cap_in_any_window_and_close_to_it_over_time() {
        let pacer = Pacer::new(100, Duration::from_secs(60));
        let start = Instant::now();
        let mut sends = Vec::new();
        for _ in 0..450 {
            pacer.acquire().await;
            sends.push(Instant::now());
            assert!(pacer.in_window().await <= 100);
        }
        for (i, t) in sends.iter().enumerate() {
            let in_window = sends[..=i]
                .iter()
                .filter(|s| t.saturating_duration_since(**s) < Duration::from_secs(60))
                .count();
            assert!(in_window <= 100, "{in_window} sends in one window");
        }
        let minutes = start.elapsed().as_secs_f64() / 60.0;
        let rate = 449.0 / minutes;
        assert!(rate > 95.0 && rate <= 101.0, "{rate:.1} a minute");
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_share_the_budget() {
        let pacer = Pacer::new(50, Duration::from_secs(10));
        let start = Instant::now();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let p = pacer.clone();
                tokio::spawn(async move {
                    for _ in 0..25 {
                        p.acquire().await;
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        // 200 sends at 50 per 10 s need at least 30 s after the first 50.
        assert!(
            start.elapsed() >= Duration::from_secs(29),
            "{:?}",
            start.elapsed()
        );
        assert!(
            start.elapsed() <= Duration::from_secs(42),
            "{:?}",
            start.elapsed()
        );
    }
}

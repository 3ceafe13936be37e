//! Pacing to Datto's rolling-window budgets ("600 requests within the past 60 seconds").
//!
//! A token bucket (the runtime's GCRA `RateLimiter`) bounds the average rate but lets a full burst into one
//! window, and with a burst of one it loses every wake-up delay. Datto counts a rolling window, so the
//! pacer never lets a window hold more than its cap, while a minimum spacing keeps the stream smooth;
//! waiters queue in FIFO order behind one async lock, so there is no thundering herd.
//!
//! The server counts a request when it arrives, which is some time after the client let it go and before
//! the answer came back, and that delay varies. Counting sends alone lets a window of arrivals hold more
//! than a window of sends (on the sandbox's 30x clock a 40 ms stall is 12 requests). So a request holds
//! its slot from the moment it is let go until its answer arrives (its [`Permit`] is dropped), and one
//! period after that: whatever the delays, any two requests the server sees within one period were both
//! counted here within one period. Time is tokio's, so tests with a paused clock stay deterministic.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use crate::client::lock;
use tokio::time::Instant;

/// Spacing slack: the minimum gap is this much shorter than the average one, so a late wake-up is made up
/// for by the next sends instead of being lost; the window cap still bounds every window.
const CATCH_UP: f64 = 0.97;

/// Slots of lateness a pacer may make up at once after a stall.
const BANKED_SLOTS: u32 = 8;

#[derive(Debug, Default)]
struct Window {
    /// When each answered request of the current window was answered, oldest first.
    answered: VecDeque<Instant>,
    /// Requests let go and not answered yet.
    in_flight: usize,
    next: Option<Instant>,
}

/// What a waiter does next.
enum Turn {
    Go,
    WaitUntil(Instant),
    WaitForAnswer,
}

#[derive(Debug)]
struct Shared {
    window: Mutex<Window>,
    turn: tokio::sync::Mutex<()>,
    answered: Notify,
}

/// A shared rolling-window pacer: at most `cap` requests in any `period`, a request counting from its
/// send until one period after its answer.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    cap: usize,
    period: Duration,
    spacing: Duration,
    shared: Arc<Shared>,
}

/// A request's slot; drop it when the answer (or the failure) has arrived.
#[derive(Debug)]
pub(crate) struct Permit {
    shared: Arc<Shared>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut w = lock(&self.shared.window);
        w.in_flight = w.in_flight.saturating_sub(1);
        w.answered.push_back(Instant::now());
        drop(w);
        self.shared.answered.notify_waiters();
    }
}

impl Pacer {
    /// At most `cap` requests in any `period` (a zero cap counts as one).
    pub(crate) fn new(cap: usize, period: Duration) -> Self {
        let cap = cap.max(1);
        let spacing = period.mul_f64(CATCH_UP / cap as f64);
        Self {
            cap,
            period,
            spacing,
            shared: Arc::new(Shared {
                window: Mutex::new(Window {
                    answered: VecDeque::with_capacity(cap.min(4096)),
                    ..Window::default()
                }),
                turn: tokio::sync::Mutex::new(()),
                answered: Notify::new(),
            }),
        }
    }

    /// Waits for a slot and takes it; the slot is held until the permit is dropped, and one period after.
    pub(crate) async fn acquire(&self) -> Permit {
        let _first_in_line = self.shared.turn.lock().await;
        loop {
            let answered = self.shared.answered.notified();
            let mut answered = std::pin::pin!(answered);
            answered.as_mut().enable();
            match self.try_take() {
                Turn::Go => {
                    return Permit {
                        shared: self.shared.clone(),
                    };
                }
                Turn::WaitUntil(at) => tokio::time::sleep_until(at).await,
                Turn::WaitForAnswer => answered.await,
            }
        }
    }

    fn try_take(&self) -> Turn {
        let now = Instant::now();
        let mut w = lock(&self.shared.window);
        while w
            .answered
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= self.period)
        {
            w.answered.pop_front();
        }
        let window_free = if w.in_flight + w.answered.len() < self.cap {
            now
        } else {
            match w.answered.front() {
                Some(oldest) => *oldest + self.period,
                None => return Turn::WaitForAnswer,
            }
        };
        let at = w.next.map_or(window_free, |n| n.max(window_free));
        if at > now {
            return Turn::WaitUntil(at);
        }
        w.in_flight += 1;
        // Schedule from the slot, not from `now`, so lateness is made up, but bank at most a few slots.
        let floor = now.checked_sub(self.spacing * BANKED_SLOTS).unwrap_or(now);
        w.next = Some(w.next.unwrap_or(now).max(floor) + self.spacing);
        Turn::Go
    }

    /// Requests counted in the current window (for tests).
    #[cfg(test)]
    fn in_window(&self) -> usize {
        let now = Instant::now();
        let w = lock(&self.shared.window);
        w.in_flight
            + w.answered
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
            assert!(pacer.in_window() <= 100);
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

    #[tokio::test(start_paused = true)]
    async fn arrivals_delayed_unevenly_never_overfill_a_window() {
        let pacer = Pacer::new(100, Duration::from_secs(60));
        let start = Instant::now();
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..16u64)
            .map(|task| {
                let (p, arrivals) = (pacer.clone(), arrivals.clone());
                tokio::spawn(async move {
                    for n in 0..25u64 {
                        let permit = p.acquire().await;
                        // Each request reaches the server somewhere between its send and its answer.
                        let to_server = Duration::from_millis((task * 7919 + n * 104_729) % 2_000);
                        tokio::time::sleep(to_server).await;
                        arrivals.lock().unwrap().push(Instant::now());
                        tokio::time::sleep(Duration::from_millis(2_000) - to_server).await;
                        drop(permit);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let mut arrivals = arrivals.lock().unwrap().clone();
        arrivals.sort();
        for (i, t) in arrivals.iter().enumerate() {
            let in_window = arrivals[..=i]
                .iter()
                .filter(|a| t.saturating_duration_since(**a) < Duration::from_secs(60))
                .count();
            assert!(in_window <= 100, "{in_window} arrivals in one window");
        }
        // 400 requests at 100 per (60 s + the 2 s answer time): a little over three windows after the first.
        let minutes = start.elapsed().as_secs_f64() / 60.0;
        assert!((3.0..4.5).contains(&minutes), "{minutes:.2} min");
    }
}

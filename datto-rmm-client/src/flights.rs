//! Requests of one account whose answers are not yet classified. Datto's IP block answers 403 to every
//! request, and the 429 that tells a block from a permission error may reach a concurrent request a moment
//! after a 403 reached this one: a 403 seen while others are in flight waits for their answers first.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// The in-flight count, shared by the clones of a client.
#[derive(Debug, Default)]
pub(crate) struct Flights {
    count: AtomicUsize,
    idle: Notify,
}

/// One request in flight; dropping it says its answer is classified.
pub(crate) struct Flight<'a>(&'a Flights);

impl Flights {
    pub(crate) fn start(&self) -> Flight<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        Flight(self)
    }

    /// Waits until no request is in flight, or `cap` has passed (requests keep starting on a busy client).
    pub(crate) async fn settle(&self, cap: Duration) {
        let idle = async {
            loop {
                let notified = self.idle.notified();
                if self.count.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        let _ = tokio::time::timeout(cap, idle).await;
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settle_waits_for_the_last_flight_or_the_cap() {
        let flights = std::sync::Arc::new(Flights::default());
        flights.settle(Duration::from_secs(5)).await; // nothing in flight: at once
        let started = tokio::time::Instant::now();
        let other = flights.clone();
        let task = tokio::spawn(async move {
            let flight = other.start();
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(flight);
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        flights.settle(Duration::from_secs(5)).await;
        assert!(started.elapsed() >= Duration::from_millis(50));
        task.await.unwrap();

        let stuck = flights.start();
        let started = tokio::time::Instant::now();
        flights.settle(Duration::from_millis(30)).await;
        assert!(started.elapsed() >= Duration::from_millis(30));
        drop(stuck);
    }
}

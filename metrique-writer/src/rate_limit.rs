//! [`rate_limited!`]: evaluate an expression (usually a `tracing` event) at most once per
//! interval per call site.
//!
//! Sinks report errors from hot paths (every entry of a broken output would fail the same way);
//! this keeps the log readable and cheap while the counters keep the exact numbers.
//!
//! # Examples
//! ```
//! use std::time::Duration;
//! use metrique_writer::rate_limit::rate_limited;
//!
//! for _ in 0..1000 {
//!     // logged once, not a thousand times
//!     rate_limited!(Duration::from_secs(1), tracing::warn!("output is failing"));
//! }
//! ```

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Evaluates `$body` at most once per `$interval` (a [`Duration`], at least one second is
/// recommended) for this call site, across all threads. Returns nothing.
#[doc(hidden)]
#[macro_export]
macro_rules! __metrique_rate_limited {
    ($interval:expr, $body:expr $(,)?) => {{
        static __METRIQUE_LIMITER: $crate::rate_limit::RateLimiter =
            $crate::rate_limit::RateLimiter::new();
        if __METRIQUE_LIMITER.try_acquire($interval) {
            $body;
        }
    }};
}

pub use crate::__metrique_rate_limited as rate_limited;

/// The state behind one [`rate_limited!`] call site: the time of the last permitted event.
#[derive(Debug)]
pub struct RateLimiter {
    /// Nanoseconds since [`time_since_arbitrary_epoch`]'s epoch, plus one (0 = never).
    last: AtomicU64,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimiter {
    /// A limiter that permits its first event.
    pub const fn new() -> Self {
        Self {
            last: AtomicU64::new(0),
        }
    }

    /// True if an event may happen now (and records it); false if one happened less than
    /// `interval` ago.
    pub fn try_acquire(&self, interval: Duration) -> bool {
        let now =
            u64::try_from(time_since_arbitrary_epoch().as_nanos()).unwrap_or(u64::MAX - 1) + 1;
        let interval = u64::try_from(interval.as_nanos()).unwrap_or(u64::MAX);
        let last = self.last.load(Ordering::Relaxed);
        if last != 0 && now.saturating_sub(last) < interval {
            return false;
        }
        // Only one thread wins a given slot.
        self.last
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    }
}

/// Time elapsed since a fixed, arbitrary point early in the process (monotonic).
#[doc(hidden)]
pub fn time_since_arbitrary_epoch() -> Duration {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    EPOCH.get_or_init(Instant::now).elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_once_per_interval_per_call_site() {
        let mut a = 0;
        let mut b = 0;
        for _ in 0..100 {
            rate_limited!(Duration::from_secs(3600), a += 1);
            rate_limited!(Duration::from_secs(3600), b += 1);
        }
        assert_eq!((a, b), (1, 1));
    }

    #[test]
    fn permits_again_after_the_interval() {
        let l = RateLimiter::new();
        assert!(l.try_acquire(Duration::from_millis(1)));
        std::thread::sleep(Duration::from_millis(3));
        assert!(l.try_acquire(Duration::from_millis(1)));
        assert!(!l.try_acquire(Duration::from_secs(3600)));
    }
}

//! [`Timer`]: measures from its creation until it is stopped or closed.

use std::time::{Duration, Instant};

use crate::close::CloseValue;
use crate::timesource::{self, TimeSource};

/// Measures the time from its creation until [`Timer::stop`], or until the entry is closed if
/// it was never stopped. Closes to a [`Duration`] (written in milliseconds unless the field has a
/// `unit`).
///
/// ```
/// use metrique_core::timers::Timer;
/// let mut timer = Timer::start_now();
/// let first = timer.stop();
/// assert_eq!(timer.stop(), first); // stopping again changes nothing
/// ```
#[derive(Debug, Clone)]
pub struct Timer {
    start: Instant,
    stopped: Option<Duration>,
    source: TimeSource,
}

impl Timer {
    /// Starts a timer on the time source in force (one monotonic clock read).
    #[inline]
    pub fn start_now() -> Self {
        timesource::with_current(Self::start_on)
    }

    /// Starts a timer on `source`.
    pub fn start_now_with_timesource(source: impl Into<TimeSource>) -> Self {
        Self::start_on(&source.into())
    }

    #[inline]
    fn start_on(source: &TimeSource) -> Self {
        Self {
            start: source.std_instant(),
            stopped: None,
            source: source.clone(),
        }
    }

    /// Stops the timer and returns the measured duration. Idempotent: later calls return the
    /// same duration.
    #[inline]
    pub fn stop(&mut self) -> Duration {
        *self
            .stopped
            .get_or_insert_with(|| elapsed(&self.source, self.start))
    }

    /// The measured duration if the timer is stopped, else the time elapsed so far.
    #[inline]
    pub fn elapsed(&self) -> Duration {
        self.stopped
            .unwrap_or_else(|| elapsed(&self.source, self.start))
    }

    /// Whether [`Timer::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.stopped.is_some()
    }
}

/// Starts now, like [`Timer::start_now`].
impl Default for Timer {
    #[inline]
    fn default() -> Self {
        Self::start_now()
    }
}

#[inline]
pub(super) fn elapsed(source: &TimeSource, start: Instant) -> Duration {
    source.std_instant().saturating_duration_since(start)
}

impl CloseValue for Timer {
    type Closed = Duration;
    #[inline]
    fn close(self) -> Duration {
        self.elapsed()
    }
}

impl CloseValue for &Timer {
    type Closed = Duration;
    #[inline]
    fn close(self) -> Duration {
        self.elapsed()
    }
}

//! Deterministic clocks: [`StaticTimeSource`] (frozen) and [`ManuallyAdvancedTimeSource`]
//! (moved by the test). Public as `timesource::fakes` with the `test-util` feature.
#![cfg_attr(not(feature = "test-util"), allow(dead_code))]

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use super::{Time, TimeSource};

/// A clock frozen at one wall-clock time (and one instant, so every duration is zero).
///
/// ```
/// # #[cfg(feature = "test-util")] {
/// # use metrique_core::timesource::{fakes::StaticTimeSource, TimeSource, Time};
/// use std::time::{Duration, UNIX_EPOCH};
/// let clock = StaticTimeSource::at_time(UNIX_EPOCH + Duration::from_secs(1));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1));
/// let ts = TimeSource::custom(clock);
/// # let _ = ts;
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StaticTimeSource {
    time: SystemTime,
    instant: Instant,
}

impl StaticTimeSource {
    /// A clock that always reads `time`.
    pub fn at_time(time: SystemTime) -> Self {
        Self {
            time,
            instant: Instant::now(),
        }
    }
}

impl Time for StaticTimeSource {
    fn now(&self) -> SystemTime {
        self.time
    }
    fn instant(&self) -> Instant {
        self.instant
    }
}

impl From<StaticTimeSource> for TimeSource {
    fn from(value: StaticTimeSource) -> Self {
        TimeSource::custom(value)
    }
}

/// A clock the test moves by hand. Clones share the same clock, so keep one to advance it and
/// install another with [`TimeSource::custom`].
///
/// ```
/// # #[cfg(feature = "test-util")] {
/// # use metrique_core::timesource::{fakes::ManuallyAdvancedTimeSource, Time, TimeSource};
/// use std::time::{Duration, UNIX_EPOCH};
/// let clock = ManuallyAdvancedTimeSource::at_time(UNIX_EPOCH);
/// let ts = TimeSource::custom(clock.clone());
/// let start = ts.instant();
/// clock.advance(Duration::from_micros(1500));
/// assert_eq!(start.elapsed(), Duration::from_micros(1500));
/// assert_eq!(ts.now(), UNIX_EPOCH + Duration::from_micros(1500));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ManuallyAdvancedTimeSource {
    state: Arc<Mutex<(SystemTime, Instant)>>,
}

impl ManuallyAdvancedTimeSource {
    /// A clock reading `time` until moved.
    pub fn at_time(time: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new((time, Instant::now()))),
        }
    }

    fn with_state<R>(&self, f: impl FnOnce(&mut (SystemTime, Instant)) -> R) -> R {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Moves both the wall clock and the monotonic clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.with_state(|(time, instant)| {
            *time += by;
            *instant += by;
        });
    }

    /// Sets the wall clock to `new_time` and moves the monotonic clock by the same amount
    /// (forward, or backward as far as the platform's `Instant` allows).
    pub fn update_time(&self, new_time: SystemTime) {
        self.with_state(|(time, instant)| {
            match new_time.duration_since(*time) {
                Ok(forward) => *instant += forward,
                Err(e) => {
                    if let Some(back) = instant.checked_sub(e.duration()) {
                        *instant = back;
                    }
                }
            }
            *time = new_time;
        });
    }

    /// Sets the monotonic clock only.
    pub fn update_instant(&self, new_instant: Instant) {
        self.with_state(|(_, instant)| *instant = new_instant);
    }
}

impl Time for ManuallyAdvancedTimeSource {
    fn now(&self) -> SystemTime {
        self.with_state(|(time, _)| *time)
    }
    fn instant(&self) -> Instant {
        self.with_state(|(_, instant)| *instant)
    }
}

impl From<ManuallyAdvancedTimeSource> for TimeSource {
    fn from(value: ManuallyAdvancedTimeSource) -> Self {
        TimeSource::custom(value)
    }
}

//! [`Instant`] and [`SystemTime`]: `std` time values that remember their [`TimeSource`], so
//! `elapsed()` reads the same clock that produced them.

use std::time::Duration;

use super::TimeSource;

/// A monotonic instant read from a [`TimeSource`].
#[derive(Clone, Debug)]
pub struct Instant {
    value: std::time::Instant,
    source: TimeSource,
}

impl Instant {
    pub(crate) fn new(value: std::time::Instant, source: &TimeSource) -> Self {
        Self {
            value,
            source: source.clone(),
        }
    }

    /// The current instant of `source`.
    pub fn now(source: &TimeSource) -> Self {
        source.instant()
    }

    /// Time since this instant, on the same clock (zero if the clock went backwards).
    pub fn elapsed(&self) -> Duration {
        self.source
            .std_instant()
            .saturating_duration_since(self.value)
    }

    /// The `std` instant.
    pub fn as_std(&self) -> std::time::Instant {
        self.value
    }
}

impl From<Instant> for std::time::Instant {
    fn from(value: Instant) -> Self {
        value.value
    }
}

/// A wall-clock time read from a [`TimeSource`].
#[derive(Clone, Debug)]
pub struct SystemTime {
    value: std::time::SystemTime,
    source: TimeSource,
}

impl SystemTime {
    /// `value`, to be compared against `source`'s clock.
    pub fn new(value: std::time::SystemTime, source: &TimeSource) -> Self {
        Self {
            value,
            source: source.clone(),
        }
    }

    /// The time between `earlier` and this time.
    ///
    /// # Errors
    /// If `earlier` is later than `self` (see [`std::time::SystemTime::duration_since`]).
    pub fn duration_since(
        &self,
        earlier: impl Into<std::time::SystemTime>,
    ) -> Result<Duration, std::time::SystemTimeError> {
        self.value.duration_since(earlier.into())
    }

    /// Time since this instant, on the same clock.
    ///
    /// # Errors
    /// If the clock now reads earlier than `self`.
    pub fn elapsed(&self) -> Result<Duration, std::time::SystemTimeError> {
        self.source.now().duration_since(self.value)
    }

    /// The `std` time.
    pub fn as_std(&self) -> std::time::SystemTime {
        self.value
    }
}

impl From<SystemTime> for std::time::SystemTime {
    fn from(value: SystemTime) -> Self {
        value.value
    }
}

//! Timers and timestamps: [`Timer`], [`Stopwatch`], [`Timestamp`], [`TimestampOnClose`] and the
//! closed [`TimestampValue`] with its formatters ([`EpochSeconds`], [`EpochMillis`],
//! [`EpochMicros`]).
//!
//! Every clock read goes through [`time_source()`](crate::timesource::time_source), looked up when
//! the timer or timestamp is created, so tests can make timings exact with a fake clock. Reads are
//! as few as possible: [`Timestamp::now`] reads the wall clock once, [`Timer::start_now`] reads the
//! monotonic clock once, and a running `Timer` reads it once more when it is closed.
//!
//! # Examples
//!
//! ```
//! use metrique_core::CloseValue;
//! use metrique_core::timers::Timer;
//! use metrique_core::timesource::{TimeSource, fakes::ManuallyAdvancedTimeSource};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let clock = ManuallyAdvancedTimeSource::at_time(UNIX_EPOCH);
//! let timer = Timer::start_now_with_timesource(TimeSource::custom(clock.clone()));
//! clock.advance(Duration::from_micros(1500));
//! assert_eq!(timer.close(), Duration::from_micros(1500));
//! ```

mod stopwatch;
mod timer;
mod timestamp;

pub use stopwatch::{OwnedTimerGuard, Stopwatch, TimerGuard};
pub use timer::Timer;
pub use timestamp::{
    EpochMicros, EpochMillis, EpochSeconds, Timestamp, TimestampOnClose, TimestampValue,
};

#[cfg(test)]
mod tests;

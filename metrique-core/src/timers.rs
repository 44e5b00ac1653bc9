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
//! use metrique_core::timers::{Timer, Timestamp};
//! use metrique_core::timesource::{TimeSource, with_time_source};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let at = UNIX_EPOCH + Duration::from_secs(1);
//! let (started, mut timer) = with_time_source(TimeSource::at_time(at), || {
//!     (Timestamp::now(), Timer::start_now())
//! });
//! assert_eq!(started.close().duration_since_epoch(), Duration::from_secs(1));
//! assert_eq!(timer.stop(), Duration::ZERO); // a frozen clock measures nothing
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

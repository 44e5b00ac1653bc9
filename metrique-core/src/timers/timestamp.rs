//! [`Timestamp`], [`TimestampOnClose`], the closed [`TimestampValue`] and its formatters.

use std::borrow::Borrow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique_writer::Value;
use metrique_writer::value::{ValueFormatter, ValueWriter};

use crate::close::CloseValue;
use crate::timesource::{self, TimeSource};

/// A wall-clock time taken when created; closes to a [`TimestampValue`].
///
/// ```
/// use metrique_core::CloseValue;
/// use metrique_core::timers::Timestamp;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let ts = Timestamp::new(UNIX_EPOCH + Duration::from_secs(2));
/// assert_eq!(ts.close().duration_since_epoch(), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    time: SystemTime,
}

impl Timestamp {
    /// The current time from the time source in force (one clock read).
    #[inline]
    pub fn now() -> Self {
        Self {
            time: timesource::now(),
        }
    }

    /// A fixed time.
    pub fn new(time: impl Into<SystemTime>) -> Self {
        Self { time: time.into() }
    }

    /// The current time of `source`.
    pub fn new_from_time_source(source: impl Borrow<TimeSource>) -> Self {
        Self {
            time: source.borrow().now(),
        }
    }

    /// The recorded time.
    pub fn as_system_time(&self) -> SystemTime {
        self.time
    }
}

/// The current time, like [`Timestamp::now`].
impl Default for Timestamp {
    #[inline]
    fn default() -> Self {
        Self::now()
    }
}

impl CloseValue for Timestamp {
    type Closed = TimestampValue;
    #[inline]
    fn close(self) -> TimestampValue {
        TimestampValue { time: self.time }
    }
}

impl CloseValue for &Timestamp {
    type Closed = TimestampValue;
    #[inline]
    fn close(self) -> TimestampValue {
        TimestampValue { time: self.time }
    }
}

/// The time at which the entry is closed (read from the time source in force when this was
/// created). Closes to a [`TimestampValue`]; by value only.
#[derive(Debug, Clone)]
pub struct TimestampOnClose {
    source: TimeSource,
}

impl TimestampOnClose {
    /// Reads `source` at close.
    pub fn new_from_time_source(source: impl Into<TimeSource>) -> Self {
        Self {
            source: source.into(),
        }
    }
}

/// Reads the time source in force now (at creation) when closed.
impl Default for TimestampOnClose {
    fn default() -> Self {
        Self {
            source: timesource::time_source(),
        }
    }
}

impl CloseValue for TimestampOnClose {
    type Closed = TimestampValue;
    #[inline]
    fn close(self) -> TimestampValue {
        TimestampValue {
            time: self.source.now(),
        }
    }
}

/// A closed timestamp.
///
/// As a [`Value`] it is a string property holding milliseconds since the Unix epoch, formatted
/// as the shortest `f64` that round-trips (e.g. `"1000.0020000000001"` for 1.000002 s). Use
/// `#[metrics(format = EpochSeconds)]` (or [`EpochMillis`], [`EpochMicros`]) for other
/// renderings, and `#[metrics(timestamp)]` to make it the entry's timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampValue {
    time: SystemTime,
}

impl TimestampValue {
    /// Wraps a time (by value or by reference).
    pub fn new(time: impl Borrow<SystemTime>) -> Self {
        Self {
            time: *time.borrow(),
        }
    }

    /// Time since the Unix epoch (zero for earlier times).
    pub fn duration_since_epoch(&self) -> Duration {
        self.time.duration_since(UNIX_EPOCH).unwrap_or_default()
    }
}

impl From<TimestampValue> for SystemTime {
    fn from(value: TimestampValue) -> Self {
        value.time
    }
}

impl From<SystemTime> for TimestampValue {
    fn from(time: SystemTime) -> Self {
        Self { time }
    }
}

fn epoch_millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn write_f64(writer: impl ValueWriter, value: f64) {
    writer.string(ryu::Buffer::new().format(value));
}

impl Value for TimestampValue {
    fn write(&self, writer: impl ValueWriter) {
        write_f64(writer, epoch_millis(self.duration_since_epoch()));
    }
}

/// Formats a timestamp as seconds since the Unix epoch (a string holding the shortest
/// round-tripping `f64`): `#[metrics(format = EpochSeconds)]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EpochSeconds;

/// Formats a timestamp as milliseconds since the Unix epoch (a string holding the shortest
/// round-tripping `f64`, the default rendering): `#[metrics(format = EpochMillis)]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EpochMillis;

/// Formats a timestamp as whole microseconds since the Unix epoch (an integer string):
/// `#[metrics(format = EpochMicros)]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EpochMicros;

/// Implements the formatter for `TimestampValue`, `SystemTime` and their `Option`s (`None`
/// writes nothing).
macro_rules! epoch_formatter {
    ($name:ty, |$writer:ident, $d:ident| $body:expr) => {
        impl ValueFormatter<TimestampValue> for $name {
            fn format_value($writer: impl ValueWriter, value: &TimestampValue) {
                let $d = value.duration_since_epoch();
                $body
            }
        }
        impl ValueFormatter<Option<TimestampValue>> for $name {
            fn format_value(writer: impl ValueWriter, value: &Option<TimestampValue>) {
                if let Some(value) = value {
                    <$name as ValueFormatter<TimestampValue>>::format_value(writer, value);
                }
            }
        }
        impl ValueFormatter<SystemTime> for $name {
            fn format_value(writer: impl ValueWriter, value: &SystemTime) {
                <$name as ValueFormatter<TimestampValue>>::format_value(
                    writer,
                    &TimestampValue::new(value),
                );
            }
        }
        impl ValueFormatter<Option<SystemTime>> for $name {
            fn format_value(writer: impl ValueWriter, value: &Option<SystemTime>) {
                if let Some(value) = value {
                    <$name as ValueFormatter<SystemTime>>::format_value(writer, value);
                }
            }
        }
    };
}

epoch_formatter!(EpochSeconds, |writer, d| write_f64(writer, d.as_secs_f64()));
epoch_formatter!(EpochMillis, |writer, d| write_f64(writer, epoch_millis(d)));
epoch_formatter!(EpochMicros, |writer, d| {
    writer.string(itoa::Buffer::new().format(d.as_micros()));
});

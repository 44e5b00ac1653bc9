//! [`TimeSource`]: the clock every metrique timer and timestamp reads, and how tests replace it.
//!
//! Timers ([`Timer`](crate::timers::Timer), [`Stopwatch`](crate::timers::Stopwatch)) and
//! timestamps ask [`time_source()`] for the clock when they are created. By default that is the
//! system clock; a test can install a fake one for the current thread ([`set_time_source`],
//! [`with_time_source`]) or, with the `tokio` feature, for the current tokio runtime
//! ([`tokio::set_time_source_for_current_runtime`]) so that `tokio::time::pause`/`advance` drive
//! metric timings too.
//!
//! Lookup precedence: thread-local override → tokio-runtime override → system clock. When no
//! override is installed, the lookup is one thread-local flag read (plus one relaxed atomic load
//! with the `tokio` feature): no `Arc` clone, no allocation.
//!
//! # Examples
//!
//! ```
//! use metrique_core::timesource::{TimeSource, set_time_source, time_source};
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let _guard = set_time_source(TimeSource::at_time(at));
//! assert_eq!(time_source().system_time().as_std(), at);
//! ```

use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

pub(crate) mod fakes_impl;
mod wrappers;

#[cfg(feature = "tokio")]
pub mod tokio;

pub use wrappers::{Instant, SystemTime};

/// Deterministic clocks for tests (feature `test-util`).
#[cfg(feature = "test-util")]
pub mod fakes {
    pub use super::fakes_impl::{ManuallyAdvancedTimeSource, StaticTimeSource};
}

/// A clock: wall-clock time and a monotonic instant.
///
/// Implement it to drive metrique timers from your own clock, then install it with
/// [`TimeSource::custom`].
pub trait Time: Send + Sync {
    /// The current wall-clock time.
    fn now(&self) -> std::time::SystemTime;

    /// The current monotonic instant (timers measure durations between two of these).
    fn instant(&self) -> std::time::Instant;
}

/// The clock metrique reads: the system clock, or a custom [`Time`].
///
/// Cloning is free for [`TimeSource::System`] and one `Arc` increment for a custom clock.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum TimeSource {
    /// `std::time::SystemTime::now()` and `std::time::Instant::now()`.
    #[default]
    System,
    /// A custom clock.
    Custom(Arc<dyn Time>),
}

impl fmt::Debug for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeSource::System => f.write_str("TimeSource::System"),
            TimeSource::Custom(_) => f.write_str("TimeSource::Custom(..)"),
        }
    }
}

impl From<&TimeSource> for TimeSource {
    fn from(value: &TimeSource) -> Self {
        value.clone()
    }
}

impl TimeSource {
    /// A time source reading `time`.
    pub fn custom(time: impl Time + 'static) -> Self {
        TimeSource::Custom(Arc::new(time))
    }

    /// A clock frozen at `time` (its instant is frozen too, so every timer reads zero).
    pub fn at_time(time: std::time::SystemTime) -> Self {
        Self::custom(fakes_impl::StaticTimeSource::at_time(time))
    }

    /// A clock that starts at `start` and follows tokio's clock, so `tokio::time::pause()` and
    /// `tokio::time::advance()` move it (feature `tokio`).
    #[cfg(feature = "tokio")]
    pub fn tokio(start: std::time::SystemTime) -> Self {
        Self::custom(tokio::TokioTime::initialize_at(start))
    }

    /// The current wall-clock time, carrying this source.
    #[inline]
    pub fn system_time(&self) -> SystemTime {
        SystemTime::new(self.now(), self)
    }

    /// The current monotonic instant, carrying this source (so `elapsed()` reads the same
    /// clock).
    #[inline]
    pub fn instant(&self) -> Instant {
        Instant::new(self.std_instant(), self)
    }

    /// The current wall-clock time as a `std` value.
    #[inline]
    pub fn now(&self) -> std::time::SystemTime {
        match self {
            TimeSource::System => std::time::SystemTime::now(),
            TimeSource::Custom(t) => t.now(),
        }
    }

    /// The current monotonic instant as a `std` value.
    #[inline]
    pub fn std_instant(&self) -> std::time::Instant {
        match self {
            TimeSource::System => std::time::Instant::now(),
            TimeSource::Custom(t) => t.instant(),
        }
    }
}

thread_local! {
    /// Whether `THREAD_OVERRIDE` holds a source: a plain `Cell<bool>` (no destructor, const
    /// initialised), so the common "no override" check is a single TLS load.
    static HAS_THREAD_OVERRIDE: Cell<bool> = const { Cell::new(false) };
    static THREAD_OVERRIDE: RefCell<Option<TimeSource>> = const { RefCell::new(None) };
}

/// The time source in force here: the thread-local override, else the tokio-runtime override
/// (feature `tokio`), else [`TimeSource::System`].
#[inline]
pub fn time_source() -> TimeSource {
    with_current(TimeSource::clone)
}

/// `explicit` if given, else [`time_source()`].
#[inline]
pub fn get_time_source(explicit: Option<TimeSource>) -> TimeSource {
    explicit.unwrap_or_else(time_source)
}

/// Runs `f` on the time source in force, without cloning it.
#[inline]
pub(crate) fn with_current<R>(f: impl FnOnce(&TimeSource) -> R) -> R {
    if HAS_THREAD_OVERRIDE.with(Cell::get) {
        return with_thread_override(f);
    }
    #[cfg(feature = "tokio")]
    if let Some(ts) = tokio::runtime_override() {
        return f(&ts);
    }
    f(&TimeSource::System)
}

#[cold]
fn with_thread_override<R>(f: impl FnOnce(&TimeSource) -> R) -> R {
    let ts = THREAD_OVERRIDE.with(|o| o.borrow().clone());
    f(ts.as_ref().unwrap_or(&TimeSource::System))
}

/// The current wall-clock time from the source in force (one clock read).
#[inline]
pub(crate) fn now() -> std::time::SystemTime {
    with_current(TimeSource::now)
}

/// Installs `ts` as this thread's time source until the returned guard drops (which restores
/// the previous one). The guard is neither `Send` nor `Sync`: it must drop on this thread.
///
/// ```
/// use metrique_core::timesource::{TimeSource, set_time_source, time_source};
/// use std::time::UNIX_EPOCH;
///
/// let guard = set_time_source(TimeSource::at_time(UNIX_EPOCH));
/// assert_eq!(time_source().now(), UNIX_EPOCH);
/// drop(guard);
/// assert_ne!(time_source().now(), UNIX_EPOCH);
/// ```
pub fn set_time_source(ts: TimeSource) -> ThreadLocalTimeSourceGuard {
    let previous = THREAD_OVERRIDE.with(|o| o.replace(Some(ts)));
    HAS_THREAD_OVERRIDE.with(|h| h.set(true));
    ThreadLocalTimeSourceGuard {
        previous,
        _not_send: PhantomData,
    }
}

/// Runs `f` with `ts` as this thread's time source.
pub fn with_time_source<R>(ts: TimeSource, f: impl FnOnce() -> R) -> R {
    let _guard = set_time_source(ts);
    f()
}

/// Restores the previous thread-local time source on drop (see [`set_time_source`]).
#[must_use = "the override is removed as soon as the guard is dropped"]
pub struct ThreadLocalTimeSourceGuard {
    previous: Option<TimeSource>,
    /// `!Send` and `!Sync`: the override belongs to the thread that installed it.
    _not_send: PhantomData<*const ()>,
}

impl fmt::Debug for ThreadLocalTimeSourceGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadLocalTimeSourceGuard")
            .field("previous", &self.previous)
            .finish()
    }
}

impl Drop for ThreadLocalTimeSourceGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        HAS_THREAD_OVERRIDE.with(|h| h.set(previous.is_some()));
        // `try_with`: the guard may drop during thread teardown, after the slot is gone.
        let _ = THREAD_OVERRIDE.try_with(|o| *o.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests;

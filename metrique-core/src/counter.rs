//! [`Counter`]: an atomic `u64` metric that many tasks can bump through a shared reference.
//!
//! A `Counter` field lets a `#[metrics]` struct be shared (through `handle()`, an `Arc` or a
//! `static`) and still be counted into: every method takes `&self`. It closes to its current
//! value. [`Counter::increment_scoped`] and [`Counter::increment_owned`] return guards that undo
//! their increment on drop, which makes "operations in flight" a one-liner.
//!
//! # Examples
//!
//! ```
//! use metrique_core::{CloseValue, Counter};
//!
//! static IN_FLIGHT: Counter = Counter::new(0);
//!
//! let (guard, now) = IN_FLIGHT.increment_scoped();
//! assert_eq!(now, 1);
//! assert_eq!((&IN_FLIGHT).close(), 1);
//! drop(guard);
//! assert_eq!((&IN_FLIGHT).close(), 0);
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::close::CloseValue;

/// An atomic counter that closes to its current value (a `u64` metric).
///
/// All updates are `Relaxed` except [`Counter::set`]: a counter orders nothing, it only counts.
#[derive(Debug, Default)]
pub struct Counter(pub AtomicU64);

impl Counter {
    /// A counter starting at `value`; `const`, so `static IN_FLIGHT: Counter = Counter::new(0)`
    /// works.
    pub const fn new(value: u64) -> Self {
        Self(AtomicU64::new(value))
    }

    /// Adds one.
    #[inline]
    pub fn increment(&self) {
        self.add(1);
    }

    /// Adds `n` (wrapping on overflow, like [`AtomicU64::fetch_add`]).
    #[inline]
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// Replaces the value.
    #[inline]
    pub fn set(&self, value: u64) {
        self.0.store(value, Ordering::SeqCst);
    }

    /// The current value.
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Adds one now and returns a guard that subtracts it again on drop, with the new count
    /// (this increment included).
    ///
    /// The guard itself closes to the counter's current value, so it can be a metrics field.
    ///
    /// ```
    /// use metrique_core::Counter;
    ///
    /// let in_flight = Counter::new(0);
    /// let (_a, n) = in_flight.increment_scoped();
    /// assert_eq!(n, 1);
    /// let (_b, n) = in_flight.increment_scoped();
    /// assert_eq!(n, 2);
    /// ```
    #[inline]
    pub fn increment_scoped(&self) -> (CounterGuard<'_>, u64) {
        let now = self.increment_and_get();
        (CounterGuard { counter: self }, now)
    }

    /// Like [`Counter::increment_scoped`], but the guard owns an `Arc` of the counter, so it can
    /// move into a task or a response body.
    ///
    /// ```
    /// use metrique_core::Counter;
    /// use std::sync::Arc;
    ///
    /// let in_flight = Arc::new(Counter::new(0));
    /// let (guard, n) = in_flight.increment_owned();
    /// assert_eq!(n, 1);
    /// std::thread::spawn(move || drop(guard)).join().unwrap();
    /// assert_eq!(in_flight.get(), 0);
    /// ```
    #[inline]
    pub fn increment_owned(self: &Arc<Self>) -> (OwnedCounterGuard, u64) {
        let now = self.increment_and_get();
        (
            OwnedCounterGuard {
                counter: Arc::clone(self),
            },
            now,
        )
    }

    /// A tally for one worker that adds to this counter once, when it is dropped (or
    /// [`flush`](LocalCounter::flush)ed): the fan-out pattern for hot loops. Each increment
    /// is a plain add on the worker's own value instead of an atomic read-modify-write on a
    /// shared cache line; the counter sees the worker's total when the tally is dropped.
    ///
    /// ```
    /// use metrique_core::Counter;
    ///
    /// let requests = Counter::new(0);
    /// std::thread::scope(|s| {
    ///     for _ in 0..2 {
    ///         s.spawn(|| {
    ///             let mut mine = requests.local();
    ///             for _ in 0..1000 {
    ///                 mine.increment();
    ///             }
    ///         }); // `mine` dropped: 1000 added
    ///     }
    /// });
    /// assert_eq!(requests.get(), 2000);
    /// ```
    #[inline]
    pub fn local(&self) -> LocalCounter<'_> {
        LocalCounter {
            counter: self,
            pending: 0,
        }
    }

    #[inline]
    fn increment_and_get(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed).wrapping_add(1)
    }

    /// Subtracts one, stopping at zero (a `set(0)` while guards are alive must not make the
    /// count wrap to `u64::MAX`).
    #[inline]
    fn decrement_saturating(&self) {
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| v.checked_sub(1));
    }
}

impl CloseValue for Counter {
    type Closed = u64;
    #[inline]
    fn close(self) -> u64 {
        self.0.into_inner()
    }
}

impl CloseValue for &Counter {
    type Closed = u64;
    #[inline]
    fn close(self) -> u64 {
        self.get()
    }
}

/// Undoes one [`Counter::increment_scoped`] on drop (saturating at zero). Closes to the
/// counter's current value.
#[must_use = "the counter is decremented as soon as the guard is dropped; bind it with `let _guard = …`"]
#[derive(Debug)]
pub struct CounterGuard<'a> {
    counter: &'a Counter,
}

impl CounterGuard<'_> {
    /// The counter's current value.
    pub fn get(&self) -> u64 {
        self.counter.get()
    }
}

impl Drop for CounterGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.counter.decrement_saturating();
    }
}

impl CloseValue for CounterGuard<'_> {
    type Closed = u64;
    /// The value before this guard's own decrement (the guard drops after reading).
    #[inline]
    fn close(self) -> u64 {
        self.get()
    }
}

impl CloseValue for &CounterGuard<'_> {
    type Closed = u64;
    #[inline]
    fn close(self) -> u64 {
        self.get()
    }
}

/// Undoes one [`Counter::increment_owned`] on drop (saturating at zero). Closes to the
/// counter's current value.
#[must_use = "the counter is decremented as soon as the guard is dropped; bind it with `let _guard = …`"]
#[derive(Debug)]
pub struct OwnedCounterGuard {
    counter: Arc<Counter>,
}

impl OwnedCounterGuard {
    /// The counter's current value.
    pub fn get(&self) -> u64 {
        self.counter.get()
    }

    /// The counter this guard decrements.
    pub fn counter(&self) -> &Arc<Counter> {
        &self.counter
    }
}

impl Drop for OwnedCounterGuard {
    #[inline]
    fn drop(&mut self) {
        self.counter.decrement_saturating();
    }
}

impl CloseValue for OwnedCounterGuard {
    type Closed = u64;
    /// The value before this guard's own decrement (the guard drops after reading).
    #[inline]
    fn close(self) -> u64 {
        self.get()
    }
}

impl CloseValue for &OwnedCounterGuard {
    type Closed = u64;
    #[inline]
    fn close(self) -> u64 {
        self.get()
    }
}

/// One worker's tally for a [`Counter`], added to it on drop (see [`Counter::local`]).
#[must_use = "the tally is added to the counter when it is dropped"]
#[derive(Debug)]
pub struct LocalCounter<'a> {
    counter: &'a Counter,
    pending: u64,
}

impl LocalCounter<'_> {
    /// Adds 1 to this tally.
    #[inline]
    pub fn increment(&mut self) {
        self.pending = self.pending.wrapping_add(1);
    }

    /// Adds `n` to this tally.
    #[inline]
    pub fn add(&mut self, n: u64) {
        self.pending = self.pending.wrapping_add(n);
    }

    /// Adds what was tallied so far to the counter now (it is then visible to readers) and
    /// starts again from zero.
    #[inline]
    pub fn flush(&mut self) {
        if self.pending != 0 {
            self.counter.add(std::mem::take(&mut self.pending));
        }
    }
}

impl Drop for LocalCounter<'_> {
    #[inline]
    fn drop(&mut self) {
        self.flush();
    }
}

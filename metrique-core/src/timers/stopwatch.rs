//! [`Stopwatch`]: accumulates the durations of explicitly started samples.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::timer::elapsed;
use crate::close::CloseValue;
use crate::timesource::{self, TimeSource};

/// Accumulates the time spent in started samples; closes to `None` if no sample was ever
/// recorded, else to the total.
///
/// [`Stopwatch::start`] returns a [`TimerGuard`] that adds its elapsed time when dropped (or
/// [`stop`](TimerGuard::stop)ped). [`Stopwatch::start_owned`] returns an [`OwnedTimerGuard`] that
/// can move into another task; from then on the total lives in a shared atomic.
///
/// ```
/// use metrique_core::CloseValue;
/// use metrique_core::timers::Stopwatch;
///
/// let mut sw = Stopwatch::new();
/// assert_eq!((&sw).close(), None);
/// drop(sw.start());
/// drop(sw.start());
/// assert!((&sw).close().is_some());
/// ```
#[derive(Debug, Clone)]
pub struct Stopwatch {
    total: Total,
    source: TimeSource,
}

#[derive(Debug, Clone)]
enum Total {
    Local(Option<Duration>),
    /// Nanoseconds, `NONE` when nothing was recorded; shared with owned guards.
    Shared(Arc<AtomicU64>),
}

const NONE: u64 = u64::MAX;

fn encode(d: Option<Duration>) -> u64 {
    match d {
        None => NONE,
        Some(d) => u64::try_from(d.as_nanos()).map_or(NONE - 1, |n| n.min(NONE - 1)),
    }
}

fn decode(n: u64) -> Option<Duration> {
    (n != NONE).then(|| Duration::from_nanos(n))
}

/// What a finished sample does to the total.
#[derive(Clone, Copy)]
enum Record {
    Add,
    Overwrite,
}

fn record_shared(total: &AtomicU64, sample: Duration, how: Record) {
    let sample = encode(Some(sample));
    match how {
        Record::Overwrite => total.store(sample, Ordering::Relaxed),
        Record::Add => {
            let _ = total.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
                Some(if v == NONE {
                    sample
                } else {
                    v.saturating_add(sample).min(NONE - 1)
                })
            });
        }
    }
}

impl Stopwatch {
    /// A stopwatch with nothing recorded, on the time source in force.
    pub fn new() -> Self {
        timesource::with_current(|ts| Self::new_from_timesource(ts.clone()))
    }

    /// A stopwatch with nothing recorded, on `source`.
    pub fn new_from_timesource(source: impl Into<TimeSource>) -> Self {
        Self {
            total: Total::Local(None),
            source: source.into(),
        }
    }

    /// Starts a sample; it is added to the total when the guard drops.
    pub fn start(&mut self) -> TimerGuard<'_> {
        TimerGuard {
            start: self.source.std_instant(),
            stopwatch: self,
            armed: true,
        }
    }

    /// Starts a sample whose guard owns a handle to the total, so it can outlive this borrow
    /// (e.g. move into a spawned task). Switches the stopwatch to shared storage.
    pub fn start_owned(&mut self) -> OwnedTimerGuard {
        let total = match &self.total {
            Total::Shared(total) => Arc::clone(total),
            Total::Local(d) => {
                let total = Arc::new(AtomicU64::new(encode(*d)));
                self.total = Total::Shared(Arc::clone(&total));
                total
            }
        };
        OwnedTimerGuard {
            start: self.source.std_instant(),
            source: self.source.clone(),
            total,
            armed: true,
        }
    }

    /// Forgets everything recorded so far (running guards still add their sample later).
    pub fn clear(&mut self) {
        match &mut self.total {
            Total::Local(d) => *d = None,
            Total::Shared(total) => total.store(NONE, Ordering::Relaxed),
        }
    }

    /// The total recorded so far.
    pub fn total(&self) -> Option<Duration> {
        match &self.total {
            Total::Local(d) => *d,
            Total::Shared(total) => decode(total.load(Ordering::Relaxed)),
        }
    }

    fn record(&mut self, sample: Duration, how: Record) {
        match &mut self.total {
            Total::Local(d) => {
                *d = Some(match (how, *d) {
                    (Record::Add, Some(prev)) => prev.saturating_add(sample),
                    _ => sample,
                });
            }
            Total::Shared(total) => record_shared(total, sample, how),
        }
    }
}

impl Default for Stopwatch {
    fn default() -> Self {
        Self::new()
    }
}

impl CloseValue for Stopwatch {
    type Closed = Option<Duration>;
    #[inline]
    fn close(self) -> Option<Duration> {
        self.total()
    }
}

impl CloseValue for &Stopwatch {
    type Closed = Option<Duration>;
    #[inline]
    fn close(self) -> Option<Duration> {
        self.total()
    }
}

/// A running [`Stopwatch`] sample; adds its elapsed time to the stopwatch when dropped.
#[must_use = "the sample ends as soon as the guard is dropped"]
#[derive(Debug)]
pub struct TimerGuard<'a> {
    stopwatch: &'a mut Stopwatch,
    start: Instant,
    armed: bool,
}

impl TimerGuard<'_> {
    fn finish(&mut self, how: Record) -> Duration {
        let sample = elapsed(&self.stopwatch.source, self.start);
        if std::mem::take(&mut self.armed) {
            self.stopwatch.record(sample, how);
        }
        sample
    }

    /// Ends the sample now, adds it to the total and returns it.
    pub fn stop(mut self) -> Duration {
        self.finish(Record::Add)
    }

    /// Ends the sample without recording it.
    pub fn discard(mut self) {
        self.armed = false;
    }

    /// Ends the sample now and makes it the stopwatch's total (replacing earlier samples).
    pub fn overwrite(mut self) -> Duration {
        self.finish(Record::Overwrite)
    }

    /// Time elapsed in this sample so far.
    pub fn elapsed(&self) -> Duration {
        elapsed(&self.stopwatch.source, self.start)
    }
}

impl Drop for TimerGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.finish(Record::Add);
        }
    }
}

/// A running [`Stopwatch`] sample that owns a handle to the total
/// ([`Stopwatch::start_owned`]); adds its elapsed time when dropped.
#[must_use = "the sample ends as soon as the guard is dropped"]
#[derive(Debug)]
pub struct OwnedTimerGuard {
    total: Arc<AtomicU64>,
    source: TimeSource,
    start: Instant,
    armed: bool,
}

impl OwnedTimerGuard {
    fn finish(&mut self, how: Record) -> Duration {
        let sample = elapsed(&self.source, self.start);
        if std::mem::take(&mut self.armed) {
            record_shared(&self.total, sample, how);
        }
        sample
    }

    /// Ends the sample now, adds it to the total and returns it.
    pub fn stop(mut self) -> Duration {
        self.finish(Record::Add)
    }

    /// Ends the sample without recording it.
    pub fn discard(mut self) {
        self.armed = false;
    }

    /// Ends the sample now and makes it the stopwatch's total (replacing earlier samples).
    pub fn overwrite(mut self) -> Duration {
        self.finish(Record::Overwrite)
    }

    /// Time elapsed in this sample so far.
    pub fn elapsed(&self) -> Duration {
        elapsed(&self.source, self.start)
    }
}

impl Drop for OwnedTimerGuard {
    fn drop(&mut self) {
        if self.armed {
            self.finish(Record::Add);
        }
    }
}

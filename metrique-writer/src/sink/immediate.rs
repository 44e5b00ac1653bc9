//! [`FlushImmediately`]: an [`EntrySink`] that writes and flushes on the caller's thread.
//!
//! No thread and no queue: `append` locks the stream, writes the entry and flushes, so nothing
//! is ever dropped and nothing is left unwritten when the process ends (AWS Lambda, CLIs,
//! tests). Concurrent appends are serialized by the lock. Errors never reach the caller: they
//! are counted ([`FlushImmediately::stats`]), reported to the observer and logged (rate-limited).
//!
//! # Examples
//! ```
//! use metrique_writer::EntrySink;
//! use metrique_writer::sink::FlushImmediately;
//! use metrique_writer::stream::NullEntryIoStream;
//! use std::collections::HashMap;
//!
//! let sink = FlushImmediately::<HashMap<&str, u64>, _>::new(NullEntryIoStream);
//! sink.append(HashMap::from([("Requests", 1)]));
//! assert_eq!(sink.stats().written, 1);
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::entry::{BoxEntry, Entry};
use crate::rate_limit::rate_limited;
use crate::sink::{BoxEntrySink, EntrySink, FlushWait};
use crate::stream::{EntryIoStream, IoStreamError};

/// An event reported to a [`FlushImmediately`] observer, with the sink's name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FlushImmediatelyEvent {
    /// An entry was written and the stream flushed.
    #[non_exhaustive]
    FlushComplete {
        /// Time spent writing and flushing.
        duration: Duration,
    },
    /// Writing or flushing failed.
    #[non_exhaustive]
    IoErrors {
        /// How many times (always 1 per event).
        count: u64,
    },
    /// The format rejected an entry.
    #[non_exhaustive]
    ValidationErrors {
        /// How many entries (always 1 per event).
        count: u64,
    },
}

/// Receives [`FlushImmediatelyEvent`]s; implemented by every
/// `Fn(&str, FlushImmediatelyEvent) + Send + Sync + 'static`.
pub trait FlushImmediatelyObserver: Send + Sync + 'static {
    /// Called with the sink's name and the event.
    fn on_event(&self, sink: &str, event: FlushImmediatelyEvent);
}

impl<F: Fn(&str, FlushImmediatelyEvent) + Send + Sync + 'static> FlushImmediatelyObserver for F {
    fn on_event(&self, sink: &str, event: FlushImmediatelyEvent) {
        self(sink, event);
    }
}

/// Counters of a [`FlushImmediately`] sink.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlushImmediatelyStats {
    /// Entries the stream accepted.
    pub written: u64,
    /// Failed writes and flushes.
    pub io_errors: u64,
    /// Entries the format rejected.
    pub validation_errors: u64,
}

/// Configures a [`FlushImmediately`] sink.
#[derive(Clone)]
pub struct FlushImmediatelyBuilder {
    name: String,
    observer: Option<Arc<dyn FlushImmediatelyObserver>>,
}

impl fmt::Debug for FlushImmediatelyBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlushImmediatelyBuilder")
            .field("name", &self.name)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl Default for FlushImmediatelyBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl FlushImmediatelyBuilder {
    /// Name `"immediate-flush"`, no observer.
    pub fn new() -> Self {
        Self {
            name: "immediate-flush".to_owned(),
            observer: None,
        }
    }

    /// The sink's name in logs and observer events.
    #[must_use]
    pub fn metric_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Receives [`FlushImmediatelyEvent`]s.
    #[must_use]
    pub fn observer(mut self, observer: impl FlushImmediatelyObserver) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// A sink for entries of type `T`.
    pub fn build<T, S: EntryIoStream>(self, stream: S) -> FlushImmediately<T, S> {
        FlushImmediately {
            inner: Arc::new(Inner {
                name: self.name,
                observer: self.observer,
                state: Mutex::new(State {
                    stream,
                    stats: FlushImmediatelyStats::default(),
                }),
            }),
            _entry: PhantomData,
        }
    }

    /// A type-erased sink (entries are boxed once).
    pub fn build_boxed(self, stream: impl EntryIoStream + Send + 'static) -> BoxEntrySink {
        BoxEntrySink::new(self.build::<BoxEntry, _>(stream))
    }
}

struct State<S> {
    stream: S,
    stats: FlushImmediatelyStats,
}

struct Inner<S> {
    name: String,
    observer: Option<Arc<dyn FlushImmediatelyObserver>>,
    state: Mutex<State<S>>,
}

/// Writes and flushes each entry on the caller's thread, under a lock: nothing is queued or
/// dropped. Errors are counted ([`stats`](Self::stats)), observed and logged, never returned.
///
/// Cloning shares the stream (whatever `T` and `S` are).
pub struct FlushImmediately<T, S> {
    inner: Arc<Inner<S>>,
    _entry: PhantomData<fn(T)>,
}

impl<T, S> Clone for FlushImmediately<T, S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            _entry: PhantomData,
        }
    }
}

impl<T, S> fmt::Debug for FlushImmediately<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlushImmediately")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl FlushImmediately<(), ()> {
    /// A [`FlushImmediatelyBuilder`].
    pub fn builder() -> FlushImmediatelyBuilder {
        FlushImmediatelyBuilder::new()
    }
}

impl<T, S: EntryIoStream> FlushImmediately<T, S> {
    /// A sink writing to `stream` with default settings.
    pub fn new(stream: S) -> Self {
        FlushImmediatelyBuilder::new().build(stream)
    }

    /// The sink's counters.
    pub fn stats(&self) -> FlushImmediatelyStats {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stats
    }
}

impl<S: EntryIoStream + Send + 'static> FlushImmediately<BoxEntry, S> {
    /// A type-erased sink writing to `stream` (entries are boxed once).
    pub fn new_boxed(stream: S) -> BoxEntrySink {
        FlushImmediatelyBuilder::new().build_boxed(stream)
    }
}

impl<T: Entry, S: EntryIoStream> EntrySink<T> for FlushImmediately<T, S> {
    /// Writes and flushes `entry` now. Never panics (a panicking stream is counted as an I/O
    /// error).
    fn append(&self, entry: T) {
        let inner = &*self.inner;
        let start = inner.observer.as_ref().map(|_| Instant::now());
        let mut guard = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut *guard;
        let result = catch_unwind(AssertUnwindSafe(|| {
            state.stream.next(&entry)?;
            state.stream.flush().map_err(IoStreamError::Io)
        }));
        let event = match result {
            Ok(Ok(())) => {
                state.stats.written += 1;
                drop(guard);
                start.map(|s| FlushImmediatelyEvent::FlushComplete {
                    duration: s.elapsed(),
                })
            }
            Ok(Err(IoStreamError::Validation(e))) => {
                state.stats.validation_errors += 1;
                drop(guard);
                let sink = &*inner.name;
                rate_limited!(
                    Duration::from_secs(1),
                    tracing::error!(sink, error = %e, "metrique: invalid entry not written")
                );
                Some(FlushImmediatelyEvent::ValidationErrors { count: 1 })
            }
            Ok(Err(IoStreamError::Io(e))) => {
                state.stats.io_errors += 1;
                drop(guard);
                let sink = &*inner.name;
                rate_limited!(
                    Duration::from_secs(1),
                    tracing::error!(sink, error = %e, "metrique: writing an entry failed")
                );
                Some(FlushImmediatelyEvent::IoErrors { count: 1 })
            }
            Err(_) => {
                state.stats.io_errors += 1;
                drop(guard);
                let sink = &*inner.name;
                rate_limited!(
                    Duration::from_secs(1),
                    tracing::error!(sink, "metrique: the stream panicked while writing an entry")
                );
                Some(FlushImmediatelyEvent::IoErrors { count: 1 })
            }
        };
        if let (Some(o), Some(e)) = (&inner.observer, event) {
            o.on_event(&inner.name, e);
        }
    }

    /// Ready at once: every append has already been flushed.
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

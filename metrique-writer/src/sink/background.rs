//! [`BackgroundQueue`]: an [`EntrySink`] that hands entries to a writer thread.
//!
//! `append` moves the entry into a bounded lock-free ring buffer and returns: no formatting, no
//! I/O and no syscall on the caller's thread (the writer thread is only unparked when it sleeps).
//! The writer thread pops entries in batches, writes them to the [`EntryIoStream`], flushes the
//! stream every [flush interval](BackgroundQueueBuilder::flush_interval) and whenever it runs out
//! of work, and reports its health to an optional [observer](BackgroundQueueBuilder::observer).
//!
//! # Back-pressure
//! One writer thread formats at one core's speed. When producers outrun it (half the capacity,
//! at most 32,768 entries, is waiting, or the queue is full) and the stream's format can be
//! copied, producers format their own entries into buffers the writer thread writes out, so
//! formatting runs on every producer's core (see
//! [`BackgroundQueueBuilder::producer_formatting`]; on by default). When that is not possible
//! either, the [`OverflowPolicy`] decides: drop the oldest queued entry
//! (the default; `append` never blocks), drop the new entry, or block the producer for up to a
//! timeout. Every dropped entry is counted ([`BackgroundQueue::stats`]) and reported
//! ([`BackgroundQueueEvent::QueueOverflow`], one event per entry).
//!
//! # Shutdown
//! Dropping the [`BackgroundQueueJoinHandle`] (or [`shut_down`](BackgroundQueueJoinHandle::shut_down))
//! stops accepting entries, drains everything appended before it (up to the
//! [shutdown timeout](BackgroundQueueBuilder::shutdown_timeout)), flushes, closes the stream and
//! joins the thread. Entries appended afterwards are dropped and counted.
//!
//! # Examples
//! ```
//! use metrique_writer::EntrySink;
//! use metrique_writer::sink::{BackgroundQueueBuilder, OverflowPolicy};
//! use metrique_writer::stream::NullEntryIoStream;
//! use std::collections::HashMap;
//! use std::time::Duration;
//!
//! // In a real service: `Emf::..().output_to(BufWriter::new(file))`.
//! let (queue, handle) = BackgroundQueueBuilder::new()
//!     .overflow_policy(OverflowPolicy::Block { timeout: Duration::from_millis(100) })
//!     .build::<HashMap<&'static str, u64>>(NullEntryIoStream);
//! queue.append(HashMap::from([("Requests", 1)]));
//! drop(handle); // drains, flushes and joins
//! assert_eq!(queue.stats().written, 1);
//! ```

use std::fmt;
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::entry::{BoxEntry, Entry};
use crate::sink::{BoxEntrySink, EntrySink, FlushWait};
use crate::stream::EntryIoStream;

mod assist;
mod flush;
mod shared;
mod writer;

use crate::thread_shared::ThreadShared;
use shared::{QueueControl, Shared};
use writer::{Writer, WriterConfig};

const DEFAULT_CAPACITY: usize = 64 * 1024;
const DEFAULT_THREAD_NAME: &str = "metric-background-queue";

/// What [`BackgroundQueue::append`] does when the queue is full and the producer cannot format
/// the entry itself (see [`BackgroundQueueBuilder::producer_formatting`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OverflowPolicy {
    /// Drop the oldest queued entry to make room (the default): `append` never blocks, and the
    /// freshest data survives a burst. (An overflowing producer yields its time slice once, so
    /// that on a busy machine the writer thread gets to run; it never waits.)
    #[default]
    DropOldest,
    /// Drop the entry being appended: `append` never blocks, and what is queued is kept.
    DropNewest,
    /// Block the producer until there is room or `timeout` passes (then drop the entry). Use
    /// when losing entries is worse than slowing the producers down, e.g. batch jobs.
    Block {
        /// The longest an `append` waits.
        timeout: Duration,
    },
}

/// An event reported to a queue's [observer](BackgroundQueueBuilder::observer), with the queue's
/// name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BackgroundQueueEvent {
    /// One entry was dropped because the queue was full (one event per dropped entry; reported
    /// on the producer's thread).
    #[non_exhaustive]
    QueueOverflow {
        /// Entries dropped by this queue so far, this one included.
        total_dropped: u64,
    },
    /// Entries were written to the stream since the previous report.
    #[non_exhaustive]
    MetricsEmitted {
        /// How many.
        count: u64,
    },
    /// A periodic flush completed.
    #[non_exhaustive]
    FlushComplete {
        /// Share of the period the writer thread spent parked, in percent.
        idle_percent: f64,
        /// Entries waiting in the queue at the time of the flush.
        queue_len: usize,
    },
    /// Writing or flushing failed since the previous report.
    #[non_exhaustive]
    IoErrors {
        /// How many times.
        count: u64,
    },
    /// Entries were rejected by the format since the previous report.
    #[non_exhaustive]
    ValidationErrors {
        /// How many.
        count: u64,
    },
    /// Entries were dropped because the queue was shut down: appended after shutdown began, or
    /// not written before the shutdown timeout.
    #[non_exhaustive]
    DroppedAtShutdown {
        /// How many.
        count: u64,
    },
}

/// Receives [`BackgroundQueueEvent`]s; implemented by every
/// `Fn(&str, BackgroundQueueEvent) + Send + Sync + 'static`.
///
/// Called on the writer thread, and on producers' threads for
/// [`QueueOverflow`](BackgroundQueueEvent::QueueOverflow) and
/// [`DroppedAtShutdown`](BackgroundQueueEvent::DroppedAtShutdown): keep it short. A panic in
/// `on_event` is caught and logged (at most once a second); that event is lost, the queue goes
/// on.
pub trait BackgroundQueueObserver: Send + Sync + 'static {
    /// Called with the queue's [name](BackgroundQueueBuilder::metric_name) and the event.
    fn on_event(&self, queue: &str, event: BackgroundQueueEvent);
}

impl<F: Fn(&str, BackgroundQueueEvent) + Send + Sync + 'static> BackgroundQueueObserver for F {
    fn on_event(&self, queue: &str, event: BackgroundQueueEvent) {
        self(queue, event);
    }
}

/// A snapshot of a queue's counters (see [`BackgroundQueue::stats`]).
///
/// Once the queue is idle, `appended == dropped + written + io_errors' entries +
/// validation_errors + queued`, where I/O errors while *flushing* also count in `io_errors`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueStats {
    /// Entries handed to `append`.
    pub appended: u64,
    /// Entries discarded: overflow, shutdown, or the shutdown timeout.
    pub dropped: u64,
    /// Entries the stream accepted.
    pub written: u64,
    /// Failed writes and flushes.
    pub io_errors: u64,
    /// Entries the format rejected.
    pub validation_errors: u64,
    /// Entries waiting to be written.
    pub queued: u64,
    /// Entries their producers formatted because the writer thread was behind (see
    /// [`BackgroundQueueBuilder::producer_formatting`]); part of `appended`, and of `written`
    /// once written. A back-pressure signal: steadily growing, the writer cannot keep up.
    pub formatted_by_producers: u64,
}

/// Configures and starts a [`BackgroundQueue`].
#[derive(Clone)]
pub struct BackgroundQueueBuilder {
    capacity: usize,
    flush_interval: Duration,
    shutdown_timeout: Duration,
    thread_name: String,
    metric_name: Option<String>,
    observer: Option<Arc<dyn BackgroundQueueObserver>>,
    overflow_policy: OverflowPolicy,
    producer_formatting: bool,
}

impl fmt::Debug for BackgroundQueueBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackgroundQueueBuilder")
            .field("capacity", &self.capacity)
            .field("flush_interval", &self.flush_interval)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("thread_name", &self.thread_name)
            .field("metric_name", &self.metric_name)
            .field("observer", &self.observer.is_some())
            .field("overflow_policy", &self.overflow_policy)
            .field("producer_formatting", &self.producer_formatting)
            .finish()
    }
}

impl Default for BackgroundQueueBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl BackgroundQueueBuilder {
    /// Defaults: capacity 65,536 entries, flush every second, 30 s to drain on shutdown, thread
    /// `"metric-background-queue"`, [`OverflowPolicy::DropOldest`], producers format while the
    /// writer is behind, no observer.
    pub fn new() -> Self {
        Self {
            capacity: DEFAULT_CAPACITY,
            flush_interval: Duration::from_secs(1),
            shutdown_timeout: Duration::from_secs(30),
            thread_name: DEFAULT_THREAD_NAME.to_owned(),
            metric_name: None,
            observer: None,
            overflow_policy: OverflowPolicy::DropOldest,
            producer_formatting: true,
        }
    }

    /// How many entries the queue holds (memory is reserved up front).
    ///
    /// # Panics
    /// If `capacity` is 0.
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        assert!(capacity > 0, "BackgroundQueue capacity must be > 0");
        self.capacity = capacity;
        self
    }

    /// How often the stream is flushed while entries keep arriving (it is also flushed whenever
    /// the queue runs empty).
    ///
    /// # Panics
    /// If `interval` is zero.
    #[must_use]
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        assert!(!interval.is_zero(), "flush_interval must be > 0");
        self.flush_interval = interval;
        self
    }

    /// How long shutdown may take to write what is still queued; the rest is dropped (and
    /// counted).
    #[must_use]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// The writer thread's name.
    #[must_use]
    pub fn thread_name(mut self, name: impl Into<String>) -> Self {
        self.thread_name = name.into();
        self
    }

    /// The queue's name in logs and observer events (defaults to the thread name).
    #[must_use]
    pub fn metric_name(mut self, name: impl Into<String>) -> Self {
        self.metric_name = Some(name.into());
        self
    }

    /// Receives [`BackgroundQueueEvent`]s.
    #[must_use]
    pub fn observer(mut self, observer: impl BackgroundQueueObserver) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// What to do when the queue is full (default [`OverflowPolicy::DropOldest`]).
    #[must_use]
    pub fn overflow_policy(mut self, policy: OverflowPolicy) -> Self {
        self.overflow_policy = policy;
        self
    }

    /// Whether producers format their own entries while the writer thread is behind (default
    /// `true`).
    ///
    /// One writer thread formats at one core's speed. With this on, and a stream whose format
    /// can be copied (an [`Emf`](crate::format::emf::Emf) or [`Json`](crate::format::json::Json)
    /// bound with `output_to`; wrappers such as `tee` cannot), an `append` made while at least
    /// half the capacity (at most 32,768 entries) is waiting, until half that is left, or while
    /// the queue is full, formats the entry on the producer's thread into one of a few buffers
    /// (one per core, 4 to 8, 1 MiB each) that the writer thread writes out between batches
    /// (while the queue stays busy, once a buffer holds 64 KiB: large writes pass a `BufWriter`
    /// without a copy).
    /// The producer pays one entry's formatting (about a microsecond) and never waits for it: a
    /// buffer in use or full is skipped, and when none is free the entry is queued and the
    /// [`OverflowPolicy`] applies. Under overload this spreads formatting over the producers'
    /// cores and replaces drops (or blocking) with that work;
    /// [`QueueStats::formatted_by_producers`] counts it.
    ///
    /// Lines formatted by producers may reach the output ahead of entries still queued; each
    /// line stays whole, and flushes, shutdown and the counters cover both paths.
    ///
    /// Turn it off to keep all formatting on the writer thread and every entry in queue order.
    #[must_use]
    pub fn producer_formatting(mut self, on: bool) -> Self {
        self.producer_formatting = on;
        self
    }

    /// Starts the writer thread for `stream`.
    ///
    /// Give the stream a large buffer (`BufWriter`): the thread flushes it itself.
    ///
    /// # Panics
    /// If the thread cannot be spawned.
    pub fn build<T>(
        self,
        stream: impl EntryIoStream + Send + 'static,
    ) -> (BackgroundQueue<T>, BackgroundQueueJoinHandle)
    where
        T: Entry + Send + 'static,
    {
        let name: Arc<str> = self
            .metric_name
            .as_deref()
            .unwrap_or(&self.thread_name)
            .into();
        let assist = if self.producer_formatting {
            assist::Assist::new(assist::slot_count(), || stream.__fork_format::<T>())
        } else {
            None
        };
        let shared = Arc::new(Shared::new(
            self.capacity,
            self.overflow_policy,
            name,
            self.observer,
            assist,
        ));
        let writer = Writer::new(
            shared.clone(),
            stream,
            WriterConfig {
                flush_interval: self.flush_interval,
                shutdown_timeout: self.shutdown_timeout,
            },
        );
        let thread = std::thread::Builder::new()
            .name(self.thread_name)
            .spawn(move || writer.run())
            .expect("failed to spawn the metrique background queue thread");
        let _ = shared.hot.writer.set(thread.thread().clone());
        let control: Arc<dyn QueueControl> = shared.clone();
        let handle = BackgroundQueueJoinHandle {
            control: Arc::downgrade(&control),
            thread: Some(thread),
        };
        drop(control);
        (
            BackgroundQueue {
                shared: ThreadShared::new(shared),
            },
            handle,
        )
    }

    /// Like [`build`](Self::build), erased into a [`BoxEntrySink`] accepting any entry (each
    /// boxed once).
    pub fn build_boxed(
        self,
        stream: impl EntryIoStream + Send + 'static,
    ) -> (BoxEntrySink, BackgroundQueueJoinHandle) {
        let (queue, handle) = self.build::<BoxEntry>(stream);
        (BoxEntrySink::new(queue), handle)
    }
}

/// A cloneable [`EntrySink`] feeding a writer thread, configured by [`BackgroundQueueBuilder`].
///
/// `append` never panics, makes no syscall while the writer is busy and, under the default
/// [`OverflowPolicy::DropOldest`], never blocks; every dropped entry is counted in
/// [`stats`](Self::stats) and reported to the observer.
pub struct BackgroundQueue<T> {
    shared: ThreadShared<Shared<T>>,
}

impl<T> Clone for BackgroundQueue<T> {
    /// A new handle to the same queue. Cloning per entry is cheap: clones made on one thread
    /// share a reference count no other thread writes (no cache line bouncing between cores).
    #[inline]
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<T> fmt::Debug for BackgroundQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackgroundQueue")
            .field("name", &&*self.shared.hot.name)
            .field("policy", &self.shared.hot.policy)
            .finish_non_exhaustive()
    }
}

impl<T: Entry + Send + 'static> BackgroundQueue<T> {
    /// A queue with the default [`BackgroundQueueBuilder`] settings.
    ///
    /// # Panics
    /// If the thread cannot be spawned.
    pub fn new(
        stream: impl EntryIoStream + Send + 'static,
    ) -> (BackgroundQueue<T>, BackgroundQueueJoinHandle) {
        BackgroundQueueBuilder::new().build(stream)
    }
}

impl<T> BackgroundQueue<T> {
    /// The queue's counters. Exact once the queue is idle; a consistent-enough snapshot while
    /// entries flow.
    pub fn stats(&self) -> QueueStats {
        self.shared.stats()
    }

    /// The configured overflow policy.
    pub fn overflow_policy(&self) -> OverflowPolicy {
        self.shared.hot.policy
    }
}

impl<T: Entry + Send + 'static> EntrySink<T> for BackgroundQueue<T> {
    /// Queues `entry`. Never panics; blocks only under [`OverflowPolicy::Block`].
    #[inline]
    fn append(&self, entry: T) {
        self.shared.append(entry);
    }

    /// Completes once every entry appended before the call is written and the stream flushed
    /// (or dropped, or the queue shut down).
    fn flush_async(&self) -> FlushWait {
        self.shared.flush_async()
    }
}

/// Owns a [`BackgroundQueue`]'s writer thread; dropping it shuts the queue down.
///
/// Shutdown stops accepting entries (later appends are dropped and counted), drains everything
/// appended before (up to the [shutdown timeout](BackgroundQueueBuilder::shutdown_timeout)),
/// flushes, closes the stream and joins the thread.
#[must_use = "dropping the join handle shuts the queue down at once; keep it for as long as the queue is used, or call `forget()`"]
pub struct BackgroundQueueJoinHandle {
    control: Weak<dyn QueueControl>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for BackgroundQueueJoinHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackgroundQueueJoinHandle")
            .field("running", &self.thread.is_some())
            .finish()
    }
}

impl BackgroundQueueJoinHandle {
    /// Stops accepting entries, drains what was appended (up to the shutdown timeout),
    /// flushes, closes the stream and joins the thread. Same as dropping the handle.
    pub fn shut_down(self) {
        drop(self);
    }

    /// Detaches the writer thread: it keeps running and exits (after draining) once every
    /// clone of the queue is dropped.
    pub fn forget(mut self) {
        self.thread = None;
    }
}

impl Drop for BackgroundQueueJoinHandle {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        if let Some(control) = self.control.upgrade() {
            control.begin_shutdown();
        }
        if thread.join().is_err() {
            tracing::error!("metrique background queue thread panicked");
        }
    }
}

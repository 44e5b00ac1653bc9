//! [`EntrySink`]: where finished entries go.
//!
//! Implementations: [`BackgroundQueue`] (a writer thread, the default for services),
//! [`FlushImmediately`] (format on the caller's thread), [`VecEntrySink`] and [`DevNullSink`];
//! [`BoxEntrySink`] erases any of them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::entry::{BoxEntry, Entry};
use crate::thread_shared::ThreadShared;

mod append_on_drop;
#[cfg(feature = "background-queue")]
mod background;
mod immediate;
mod simple;

pub use append_on_drop::AppendOnDrop;
#[cfg(feature = "background-queue")]
pub use background::{
    BackgroundQueue, BackgroundQueueBuilder, BackgroundQueueEvent, BackgroundQueueJoinHandle,
    BackgroundQueueObserver, OverflowPolicy, QueueStats,
};
pub use immediate::{
    FlushImmediately, FlushImmediatelyBuilder, FlushImmediatelyEvent, FlushImmediatelyObserver,
    FlushImmediatelyStats,
};
pub use simple::{DevNullSink, VecEntrySink};

pub use crate::global::{
    AttachGlobalEntrySink, AttachGlobalEntrySinkExt, AttachHandle, GlobalEntrySink, ShutdownFn,
};
pub use crate::global_entry_sink;

/// A destination for entries of type `E`.
///
/// # Contract
/// `append` never blocks and never panics in production sinks: bounded sinks drop entries under
/// pressure and count what they drop (test sinks may panic on invalid entries).
pub trait EntrySink<E: Entry> {
    /// Hands `entry` to the sink.
    fn append(&self, entry: E);

    /// A future that completes once every entry appended before this call has been written and
    /// the output flushed.
    fn flush_async(&self) -> FlushWait;

    /// Wraps `entry` in a guard that appends it to this sink when dropped; mutate it through
    /// the guard in the meantime.
    fn append_on_drop(self, entry: E) -> AppendOnDrop<E, Self>
    where
        Self: Sized,
    {
        AppendOnDrop::new(entry, self)
    }

    /// [`append_on_drop`](Self::append_on_drop) with `E::default()`.
    fn append_on_drop_default(self) -> AppendOnDrop<E, Self>
    where
        Self: Sized,
        E: Default,
    {
        AppendOnDrop::new(E::default(), self)
    }
}

impl<E: Entry, S: EntrySink<E> + ?Sized> EntrySink<E> for &S {
    fn append(&self, entry: E) {
        (**self).append(entry);
    }
    fn flush_async(&self) -> FlushWait {
        (**self).flush_async()
    }
}

impl<E: Entry, S: EntrySink<E> + ?Sized> EntrySink<E> for Arc<S> {
    fn append(&self, entry: E) {
        (**self).append(entry);
    }
    fn flush_async(&self) -> FlushWait {
        (**self).flush_async()
    }
}

impl<E: Entry, S: EntrySink<E> + ?Sized> EntrySink<E> for Box<S> {
    fn append(&self, entry: E) {
        (**self).append(entry);
    }
    fn flush_async(&self) -> FlushWait {
        (**self).flush_async()
    }
}

/// A sink that accepts entries of any type.
pub trait AnyEntrySink {
    /// Hands `entry` to the sink.
    fn append_any(&self, entry: impl Entry + Send + 'static);

    /// See [`EntrySink::flush_async`].
    fn flush_async(&self) -> FlushWait;

    /// Erases the sink's type.
    fn boxed(self) -> BoxEntrySink
    where
        Self: Sized + Send + Sync + 'static,
    {
        BoxEntrySink::new(AnyAsBox(self))
    }
}

struct AnyAsBox<S>(S);

impl<S: AnyEntrySink> EntrySink<BoxEntry> for AnyAsBox<S> {
    fn append(&self, entry: BoxEntry) {
        self.0.append_any(entry);
    }
    fn flush_async(&self) -> FlushWait {
        self.0.flush_async()
    }
}

type DynSink = dyn EntrySink<BoxEntry> + Send + Sync;

/// A cheaply cloneable, type-erased sink; every entry appended to it is boxed ([`BoxEntry`]).
///
/// This is what `ServiceMetrics::sink()` returns and the default sink type of generated guards.
/// Cloning per entry is cheap: clones made on one thread share a reference count no other thread
/// writes (no cache line bouncing between cores).
#[derive(Clone)]
pub struct BoxEntrySink(ThreadShared<DynSink>);

impl fmt::Debug for BoxEntrySink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BoxEntrySink")
    }
}

impl BoxEntrySink {
    /// Erases `sink`.
    pub fn new(sink: impl EntrySink<BoxEntry> + Send + Sync + 'static) -> Self {
        Self(ThreadShared::new(Arc::new(sink)))
    }

    /// A sink resolved at every append and flush by calling `factory`; while it returns `None`,
    /// entries are discarded and flushes complete at once (how `sink_or_discard` works).
    pub fn lazy(factory: impl Fn() -> Option<BoxEntrySink> + Send + Sync + 'static) -> Self {
        Self::new(LazySink(factory))
    }

    /// Appends an already boxed entry.
    #[inline]
    pub fn append_boxed(&self, entry: BoxEntry) {
        self.0.append(entry);
    }

    /// See [`EntrySink::flush_async`] (inherent, so that `sink.flush_async()` needs no type
    /// annotation).
    pub fn flush_async(&self) -> FlushWait {
        self.0.flush_async()
    }
}

impl AnyEntrySink for BoxEntrySink {
    fn append_any(&self, entry: impl Entry + Send + 'static) {
        self.0.append(entry.boxed());
    }
    fn flush_async(&self) -> FlushWait {
        self.0.flush_async()
    }
    fn boxed(self) -> BoxEntrySink {
        self
    }
}

impl<E: Entry + Send + 'static> EntrySink<E> for BoxEntrySink {
    /// Boxes `entry` (an entry that already is a [`BoxEntry`] is not boxed again).
    #[inline]
    fn append(&self, entry: E) {
        self.0.append(entry.boxed());
    }
    fn flush_async(&self) -> FlushWait {
        self.0.flush_async()
    }
}

struct LazySink<F>(F);

impl<F: Fn() -> Option<BoxEntrySink>> EntrySink<BoxEntry> for LazySink<F> {
    fn append(&self, entry: BoxEntry) {
        if let Some(sink) = (self.0)() {
            sink.append_boxed(entry);
        }
    }
    fn flush_async(&self) -> FlushWait {
        match (self.0)() {
            Some(sink) => AnyEntrySink::flush_async(&sink),
            None => FlushWait::ready(),
        }
    }
}

/// A future returned by [`EntrySink::flush_async`]; `.await` it, or block on it with any
/// executor.
#[must_use = "a FlushWait does nothing unless awaited"]
pub struct FlushWait(Option<Pin<Box<dyn Future<Output = ()> + Send + Sync>>>);

impl fmt::Debug for FlushWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "FlushWait(pending)"
        } else {
            "FlushWait(ready)"
        })
    }
}

impl FlushWait {
    /// A wait that is already complete (allocates nothing).
    pub fn ready() -> Self {
        Self(None)
    }

    /// Waits for `future`.
    pub fn from_future(future: impl Future<Output = ()> + Send + Sync + 'static) -> Self {
        Self(Some(Box::pin(future)))
    }
}

impl Future for FlushWait {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.0.as_mut() {
            None => Poll::Ready(()),
            Some(f) => f.as_mut().poll(cx),
        }
    }
}

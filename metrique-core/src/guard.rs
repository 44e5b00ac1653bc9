//! [`AppendAndCloseOnDrop`]: the guard that closes a `#[metrics]` struct and appends it to a
//! sink when dropped, plus its [`FlushGuard`]s, [`ForceFlushGuard`]s and shared
//! [`AppendAndCloseOnDropHandle`].
//!
//! # Lifecycle
//!
//! 1. The struct's generated `append_on_drop(sink)` (or [`append_and_close`]) stores the entry and
//!    the sink inline in the guard, next to an empty promotion slot. Nothing is allocated.
//! 2. The owner mutates the entry through `DerefMut`.
//! 3. Optionally, [`flush_guard`](AppendAndCloseOnDrop::flush_guard) or
//!    [`force_flush_guard`](AppendAndCloseOnDrop::force_flush_guard) *promote* the guard: the first
//!    call allocates a small shared cell (one allocation) that counts outstanding flush guards. The
//!    entry stays inline in the guard, so `DerefMut` keeps working.
//!    [`handle`](AppendAndCloseOnDrop::handle) moves the guard into an `Arc` (one allocation).
//! 4. When the guard drops (for a handle: when the last clone drops):
//!    - not promoted: the entry is closed and appended right there;
//!    - promoted, and every [`FlushGuard`] already gone or some [`ForceFlushGuard`] already
//!      dropped: the same, right there;
//!    - otherwise the entry and sink move into the shared cell (one more allocation) and are closed
//!      and appended by whichever thread drops the last [`FlushGuard`] or any [`ForceFlushGuard`].
//!
//! The entry is **closed at emission time**: timers stop, counters are read and slots collected
//! then, so late writes by background work are included. Emission happens exactly once;
//! [`discard`](AppendAndCloseOnDrop::discard) turns it (and every outstanding guard) into a no-op.
//!
//! ```
//! use metrique_core::{append_and_close, CloseValue, InflectableEntry, RootEntry};
//! use metrique_writer::{EntrySink, EntryWriter, FlushWait};
//! use std::sync::{Arc, Mutex};
//!
//! struct Request { ducks: u64 }
//! struct RequestEntry { ducks: u64 }
//! impl CloseValue for Request {
//!     type Closed = RequestEntry;
//!     fn close(self) -> RequestEntry { RequestEntry { ducks: self.ducks } }
//! }
//! impl InflectableEntry for RequestEntry {
//!     fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) { w.value("Ducks", &self.ducks) }
//! }
//!
//! /// Records the duck count of every appended entry.
//! #[derive(Clone, Default)]
//! struct Recorder(Arc<Mutex<Vec<u64>>>);
//! impl EntrySink<RootEntry<RequestEntry>> for Recorder {
//!     fn append(&self, e: RootEntry<RequestEntry>) { self.0.lock().unwrap().push(e.metric().ducks) }
//!     fn flush_async(&self) -> FlushWait { FlushWait::ready() }
//! }
//!
//! let sink = Recorder::default();
//! let mut metrics = append_and_close(Request { ducks: 0 }, sink.clone());
//! let flush = metrics.flush_guard(); // e.g. moved into a background task
//! metrics.ducks += 1;
//! drop(metrics); // the owner is gone, but a flush guard is outstanding
//! assert!(sink.0.lock().unwrap().is_empty());
//! drop(flush); // the last flush guard: closed and appended now
//! assert_eq!(*sink.0.lock().unwrap(), [1]);
//! ```

mod flush;
mod handle;

use std::fmt;
use std::ops::{Deref, DerefMut};

use metrique_writer::EntrySink;

pub use flush::{FlushGuard, ForceFlushGuard};
pub use handle::AppendAndCloseOnDropHandle;

use crate::close::{CloseEntry, CloseValue};
use crate::root::{RootEntry, RootMetric};
use crate::sync::{self, Arc, Mutex};
use flush::{Cell, Payload};

/// Closes `E` and appends it to `S` when dropped (emission can be delayed with
/// [`flush_guard`](Self::flush_guard) and shared with [`handle`](Self::handle)).
///
/// Created by the `append_on_drop(sink)` method `#[metrics]` generates (the `<Name>Guard` alias)
/// or by [`append_and_close`].
#[must_use = "dropping the guard emits the entry immediately: use `drop(metric.append_on_drop(sink))` to emit now, or `let _metric = metric.append_on_drop(sink);` to emit at the end of the scope"]
pub struct AppendAndCloseOnDrop<E: CloseEntry, S: EntrySink<RootMetric<E>>> {
    /// `Some` until the guard drops or is discarded.
    inner: Option<(E, S)>,
    /// Set by the first `flush_guard`/`force_flush_guard` call. A mutex rather than a `OnceLock`
    /// so loom can model it; `Drop` reads it through `get_mut`, without any locking.
    promoted: Mutex<Option<Promoted<E, S>>>,
}

/// The shared cell of a promoted guard and how to defer its emission.
struct Promoted<E, S> {
    cell: Arc<Cell>,
    /// `defer::<E, S>`, instantiated by `flush_guard`, where `E, S: Send + 'static` are known:
    /// `Drop` cannot require those bounds, but it can call this.
    defer: fn(E, S) -> Payload,
}

/// Boxes the emission of `(entry, sink)` so a [`FlushGuard`] can run it later.
fn defer<E, S>(entry: E, sink: S) -> Payload
where
    E: CloseEntry + Send + 'static,
    S: EntrySink<RootMetric<E>> + Send + 'static,
{
    Box::new(move || emit(entry, sink))
}

#[inline(always)]
fn emit<E: CloseEntry, S: EntrySink<RootMetric<E>>>(entry: E, sink: S) {
    sink.append(RootEntry::new(CloseValue::close(entry)));
}

impl<E: CloseEntry + fmt::Debug, S: EntrySink<RootMetric<E>> + fmt::Debug> fmt::Debug
    for AppendAndCloseOnDrop<E, S>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("AppendAndCloseOnDrop");
        if let Some((e, s)) = &self.inner {
            d.field("entry", e).field("sink", s);
        }
        d.finish()
    }
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> AppendAndCloseOnDrop<E, S> {
    /// Guards `entry`: it is closed and appended to `sink` when the guard drops.
    #[inline]
    pub fn new(entry: E, sink: S) -> Self {
        Self {
            inner: Some((entry, sink)),
            promoted: Mutex::new(None),
        }
    }

    /// Drops the guard without emitting anything; outstanding [`FlushGuard`]s and
    /// [`ForceFlushGuard`]s become no-ops.
    pub fn discard(mut self) {
        if let Some(p) = sync::get_mut(&mut self.promoted).take() {
            p.cell.discard_owner();
        }
        // Dropped here, without closing; `Drop` then finds nothing to do.
        self.inner = None;
    }
}

impl<E, S> AppendAndCloseOnDrop<E, S>
where
    E: CloseEntry + Send + Sync + 'static,
    S: EntrySink<RootMetric<E>> + Send + Sync + 'static,
{
    /// The shared cell, created by the first call (the guard's only allocation before it drops).
    fn cell(&self) -> Arc<Cell> {
        let mut promoted = sync::lock(&self.promoted);
        let p = promoted.get_or_insert_with(|| Promoted {
            cell: Arc::new(Cell::new()),
            defer: defer::<E, S>,
        });
        p.cell.clone()
    }

    /// A guard that delays emission until it is dropped (or a [`ForceFlushGuard`] is).
    ///
    /// The entry is emitted once this guard (the owner, or the last handle) **and** every
    /// `FlushGuard` are gone — or, once the owner is gone, as soon as any [`ForceFlushGuard`] is
    /// dropped. It carries no data: use a [`Slot`](crate::Slot), atomics or `Counter`s to send
    /// values back. The first call (of this or [`force_flush_guard`](Self::force_flush_guard))
    /// allocates a small shared cell.
    pub fn flush_guard(&self) -> FlushGuard {
        FlushGuard::new(self.cell())
    }

    /// A guard whose drop forces emission, even with [`FlushGuard`]s outstanding (e.g. on a
    /// timeout).
    ///
    /// If the owner is already gone the entry is emitted when this guard drops, otherwise when
    /// the owner drops. Holding it never delays emission. Values written by background tasks
    /// after a forced emission are lost.
    pub fn force_flush_guard(&self) -> ForceFlushGuard {
        ForceFlushGuard::new(self.cell())
    }

    /// Turns the guard into a cloneable handle (one allocation) giving shared access to the
    /// entry; it is emitted when the last clone drops (and the flush guards allow it).
    ///
    /// Fields written through a handle need interior mutability (`Counter`, atomics, `Mutex`).
    pub fn handle(self) -> AppendAndCloseOnDropHandle<E, S> {
        AppendAndCloseOnDropHandle::new(Arc::new(self))
    }
}

/// Guards `entry` (see [`AppendAndCloseOnDrop`]); what generated `append_on_drop` calls.
#[inline]
pub fn append_and_close<E: CloseEntry, S: EntrySink<RootMetric<E>>>(
    entry: E,
    sink: S,
) -> AppendAndCloseOnDrop<E, S> {
    AppendAndCloseOnDrop::new(entry, sink)
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> Deref for AppendAndCloseOnDrop<E, S> {
    type Target = E;
    #[inline]
    fn deref(&self) -> &E {
        match &self.inner {
            Some((e, _)) => e,
            None => unreachable!("the entry is only taken on drop or discard"),
        }
    }
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> DerefMut for AppendAndCloseOnDrop<E, S> {
    #[inline]
    fn deref_mut(&mut self) -> &mut E {
        match &mut self.inner {
            Some((e, _)) => e,
            None => unreachable!("the entry is only taken on drop or discard"),
        }
    }
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> Drop for AppendAndCloseOnDrop<E, S> {
    #[inline]
    fn drop(&mut self) {
        let Some((entry, sink)) = self.inner.take() else {
            return; // discarded
        };
        match sync::get_mut(&mut self.promoted).take() {
            None => emit(entry, sink),
            Some(Promoted { cell, defer }) => {
                if let Some((entry, sink)) = cell.release_owner((entry, sink), |(e, s)| defer(e, s))
                {
                    emit(entry, sink);
                }
            }
        }
    }
}

//! [`FlushGuard`] and [`ForceFlushGuard`], and the shared cell of a promoted guard.
//!
//! The cell is not generic: it counts flush guards and, once the owner is gone with flush guards
//! outstanding, holds the deferred emission as a boxed closure. Every transition happens under
//! one mutex, and the closure is taken out under it and run after it is released, so emission
//! happens exactly once, on the thread that made the rule true, and never inside the lock.

use std::fmt;
use std::marker::PhantomPinned;

use crate::sync::{self, Arc, Mutex};

/// The deferred emission of a promoted entry: closes it and appends it to its sink.
pub(super) type Payload = Box<dyn FnOnce() + Send>;

/// The state shared by a promoted guard, its flush guards and its force flush guards.
pub(super) struct Cell {
    state: Mutex<State>,
}

struct State {
    /// The guard (or its last handle) has not dropped yet.
    owner_alive: bool,
    /// A `ForceFlushGuard` has dropped: outstanding flush guards no longer delay emission.
    forced: bool,
    /// Outstanding `FlushGuard`s.
    flush_guards: usize,
    /// Set when the owner drops while emission must wait; taken by whoever emits.
    payload: Option<Payload>,
}

impl Cell {
    pub(super) fn new() -> Self {
        Self {
            state: Mutex::new(State {
                owner_alive: true,
                forced: false,
                flush_guards: 0,
                payload: None,
            }),
        }
    }

    /// The owner drops. Returns `entry` back when it must be emitted now (every flush guard gone,
    /// or a force guard dropped); otherwise stores `defer(entry)` for the last flush guard.
    pub(super) fn release_owner<P>(&self, entry: P, defer: impl FnOnce(P) -> Payload) -> Option<P> {
        let mut st = sync::lock(&self.state);
        st.owner_alive = false;
        if st.forced || st.flush_guards == 0 {
            Some(entry)
        } else {
            // Under the lock: a flush guard dropping concurrently must find the payload.
            st.payload = Some(defer(entry));
            None
        }
    }

    /// The owner is discarded: nothing will ever be emitted.
    pub(super) fn discard_owner(&self) {
        sync::lock(&self.state).owner_alive = false;
    }

    fn acquire_flush(&self) {
        sync::lock(&self.state).flush_guards += 1;
    }

    /// Runs `f` on the state, then the payload it took (if any) after unlocking.
    fn release(&self, f: impl FnOnce(&mut State) -> Option<Payload>) {
        let payload = f(&mut sync::lock(&self.state));
        if let Some(emit) = payload {
            emit();
        }
    }
}

/// Delays the emission of an entry until it is dropped. See
/// [`AppendAndCloseOnDrop::flush_guard`](crate::AppendAndCloseOnDrop::flush_guard).
///
/// It does not mention the entry's type and carries no data. The entry is closed and appended by
/// the thread that drops the last flush guard after its owner is gone.
#[must_use = "dropping a FlushGuard immediately releases it"]
pub struct FlushGuard {
    cell: Arc<Cell>,
}

impl FlushGuard {
    pub(super) fn new(cell: Arc<Cell>) -> Self {
        cell.acquire_flush();
        Self { cell }
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.cell.release(|st| {
            st.flush_guards -= 1;
            if st.flush_guards == 0 && !st.owner_alive {
                st.payload.take()
            } else {
                None
            }
        });
    }
}

impl fmt::Debug for FlushGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlushGuard").finish_non_exhaustive()
    }
}

/// Forces the emission of an entry when dropped, even with [`FlushGuard`]s outstanding. See
/// [`AppendAndCloseOnDrop::force_flush_guard`](crate::AppendAndCloseOnDrop::force_flush_guard).
///
/// If the owner is still alive, the entry is emitted when the owner drops. Holding it never
/// delays emission. It is `!Unpin` (reserved for a future "wait for emission" API), as in metrique;
/// this API is experimental there too.
#[must_use = "dropping a ForceFlushGuard immediately forces emission"]
pub struct ForceFlushGuard {
    cell: Arc<Cell>,
    _not_unpin: PhantomPinned,
}

impl ForceFlushGuard {
    pub(super) fn new(cell: Arc<Cell>) -> Self {
        Self {
            cell,
            _not_unpin: PhantomPinned,
        }
    }
}

impl Drop for ForceFlushGuard {
    fn drop(&mut self) {
        self.cell.release(|st| {
            st.forced = true;
            if st.owner_alive {
                None
            } else {
                st.payload.take()
            }
        });
    }
}

impl fmt::Debug for ForceFlushGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForceFlushGuard").finish_non_exhaustive()
    }
}

//! [`AppendAndCloseOnDrop`]: the guard that closes a `#[metrics]` struct and appends it to a
//! sink when dropped.
//!
//! Lifecycle: construct the struct, call its generated `append_on_drop(sink)` (this guard, no
//! heap allocation), mutate it through `DerefMut`, drop the guard: the struct is closed *then*
//! (timers stop, counters are read) and `sink.append(RootEntry::new(closed))` runs on the
//! dropping thread.

use std::ops::{Deref, DerefMut};

use metrique_writer::EntrySink;

use crate::close::{CloseEntry, CloseValue};
use crate::root::{RootEntry, RootMetric};

/// Closes `E` and appends it to `S` when dropped. See the [module docs](self).
#[must_use = "dropping the guard emits the entry immediately: use `drop(metric.append_on_drop(sink))` to emit now, or `let _metric = metric.append_on_drop(sink);` to emit at the end of the scope"]
pub struct AppendAndCloseOnDrop<E: CloseEntry, S: EntrySink<RootMetric<E>>> {
    inner: Option<(E, S)>,
}

impl<E: CloseEntry + std::fmt::Debug, S: EntrySink<RootMetric<E>> + std::fmt::Debug> std::fmt::Debug
    for AppendAndCloseOnDrop<E, S>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
        }
    }

    /// Drops the guard without emitting anything.
    pub fn discard(mut self) {
        self.inner = None;
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
        if let Some((entry, sink)) = self.inner.take() {
            sink.append(RootEntry::new(CloseValue::close(entry)));
        }
    }
}

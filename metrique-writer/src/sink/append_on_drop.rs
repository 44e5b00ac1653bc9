//! [`AppendOnDrop`]: appends a plain [`Entry`] to a sink when dropped.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::entry::Entry;
use crate::sink::EntrySink;

/// Holds an entry and appends it to a sink when dropped (see [`EntrySink::append_on_drop`]).
///
/// For `#[metrics]` structs, use their generated `append_on_drop`, which also closes the entry.
#[must_use = "dropping the guard appends the entry at once"]
pub struct AppendOnDrop<E: Entry, Q: EntrySink<E>> {
    inner: Option<(E, Q)>,
}

impl<E: Entry + fmt::Debug, Q: EntrySink<E>> fmt::Debug for AppendOnDrop<E, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppendOnDrop")
            .field("entry", &self.inner.as_ref().map(|(e, _)| e))
            .finish_non_exhaustive()
    }
}

impl<E: Entry, Q: EntrySink<E>> AppendOnDrop<E, Q> {
    /// Guards `entry` for `sink`.
    pub fn new(entry: E, sink: Q) -> Self {
        Self {
            inner: Some((entry, sink)),
        }
    }

    /// Takes the entry back without appending it.
    pub fn into_entry(mut self) -> E {
        match self.inner.take() {
            Some((e, _)) => e,
            None => unreachable!("the entry is only taken once"),
        }
    }

    /// Drops the guard without appending the entry.
    pub fn forget(mut self) {
        self.inner = None;
    }
}

impl<E: Entry, Q: EntrySink<E>> Deref for AppendOnDrop<E, Q> {
    type Target = E;
    fn deref(&self) -> &E {
        match &self.inner {
            Some((e, _)) => e,
            None => unreachable!("the entry is only taken on drop"),
        }
    }
}

impl<E: Entry, Q: EntrySink<E>> DerefMut for AppendOnDrop<E, Q> {
    fn deref_mut(&mut self) -> &mut E {
        match &mut self.inner {
            Some((e, _)) => e,
            None => unreachable!("the entry is only taken on drop"),
        }
    }
}

impl<E: Entry, Q: EntrySink<E>> Drop for AppendOnDrop<E, Q> {
    fn drop(&mut self) {
        if let Some((entry, sink)) = self.inner.take() {
            sink.append(entry);
        }
    }
}

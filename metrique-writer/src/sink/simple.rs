//! [`VecEntrySink`] (keeps entries in memory) and [`DevNullSink`] (discards them).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::entry::Entry;
use crate::sink::{AnyEntrySink, BoxEntrySink, EntrySink, FlushWait};

/// Keeps every appended entry in memory, unformatted; clones share the same entries.
///
/// # Examples
/// ```
/// use metrique_writer::EntrySink;
/// use metrique_writer::sink::VecEntrySink;
/// use std::collections::HashMap;
///
/// let sink = VecEntrySink::new();
/// sink.clone().append(HashMap::from([("Requests", 1u64)]));
/// assert_eq!(sink.drain().len(), 1);
/// assert!(sink.drain().is_empty());
/// ```
pub struct VecEntrySink<E> {
    entries: Arc<Mutex<Vec<E>>>,
}

impl<E> Clone for VecEntrySink<E> {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
        }
    }
}

impl<E> Default for VecEntrySink<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> fmt::Debug for VecEntrySink<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VecEntrySink")
            .field("len", &self.lock().len())
            .finish()
    }
}

impl<E> VecEntrySink<E> {
    /// An empty sink.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty sink with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Arc::new(Mutex::new(Vec::with_capacity(capacity))),
        }
    }

    /// Takes every entry appended so far.
    pub fn drain(&self) -> Vec<E> {
        std::mem::take(&mut *self.lock())
    }

    /// True if an entry equal to `entry` was appended (and not drained).
    pub fn contains_entry(&self, entry: &E) -> bool
    where
        E: PartialEq,
    {
        self.lock().contains(entry)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<E>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<E: Entry> EntrySink<E> for VecEntrySink<E> {
    fn append(&self, entry: E) {
        self.lock().push(entry);
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

/// Discards every entry.
///
/// # Examples
/// ```
/// use metrique_writer::{EntrySink, sink::DevNullSink};
/// use std::collections::HashMap;
///
/// DevNullSink::new().append(HashMap::from([("Requests", 1u64)]));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DevNullSink;

impl DevNullSink {
    /// The sink.
    pub const fn new() -> Self {
        Self
    }

    /// The sink, type-erased.
    pub fn boxed() -> BoxEntrySink {
        AnyEntrySink::boxed(Self)
    }
}

impl<E: Entry> EntrySink<E> for DevNullSink {
    fn append(&self, _entry: E) {}
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

impl AnyEntrySink for DevNullSink {
    fn append_any(&self, _entry: impl Entry + Send + 'static) {}
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

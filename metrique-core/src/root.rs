//! [`RootEntry`]: turns a closed `#[metrics]` entry into an [`Entry`] a sink accepts.

use metrique_writer::entry::SampleGroupElement;
use metrique_writer::{Entry, EntryWriter};

use crate::close::CloseValue;
use crate::inflect::{Identity, InflectableEntry};

/// A closed `#[metrics]` entry written at the root, with names as its own `rename_all` says
/// (the root style is [`Identity`]).
///
/// ```
/// # use metrique_core::{RootEntry, InflectableEntry};
/// # use metrique_writer::EntryWriter;
/// struct Closed;
/// impl InflectableEntry for Closed {
///     fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) { w.value("A", &1u64) }
/// }
/// let root = RootEntry::new(Closed);
/// # let _ = root;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RootEntry<M> {
    metric: M,
}

impl<M> RootEntry<M> {
    /// Roots `metric`.
    pub fn new(metric: M) -> Self {
        Self { metric }
    }

    /// The closed entry.
    pub fn into_inner(self) -> M {
        self.metric
    }

    /// The closed entry, by reference.
    pub fn metric(&self) -> &M {
        &self.metric
    }
}

impl<M: InflectableEntry<Identity>> Entry for RootEntry<M> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        InflectableEntry::<Identity>::write(&self.metric, writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        InflectableEntry::<Identity>::sample_group(&self.metric)
    }
}

/// The entry type a `#[metrics]` struct `E` is appended as: `BackgroundQueue<RootMetric<E>>`.
pub type RootMetric<E> = RootEntry<<E as CloseValue>::Closed>;

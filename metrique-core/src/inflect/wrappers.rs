//! [`InflectableEntry`] for the writer's entry wrappers: [`ForceFlag`], [`WithDimensions`] and
//! [`Cow`]. Each wraps a closed `#[metrics]` entry and keeps its names (the `NS` style passes
//! straight through); the wrapper only changes how the metrics are written.

use std::borrow::Cow;

use metrique_writer::EntryWriter;
use metrique_writer::entry::SampleGroupElement;
use metrique_writer::value::{FlagConstructor, ForceFlag, ForceFlagEntryWriter, WithDimensions};

use super::{InflectableEntry, NameStyle};

/// Every metric of the entry carries the flags of `F` (`NoMetric<Child>`,
/// `HighStorageResolution<Child>` on a flattened field).
#[diagnostic::do_not_recommend]
impl<NS: NameStyle, T: InflectableEntry<NS>, F: FlagConstructor> InflectableEntry<NS>
    for ForceFlag<T, F>
{
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        InflectableEntry::<NS>::write(&**self, &mut ForceFlagEntryWriter::<_, F>::new(writer));
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        InflectableEntry::<NS>::sample_group(&**self)
    }
}

/// Every metric of the entry carries these per-metric dimensions (after its own).
#[diagnostic::do_not_recommend]
impl<NS: NameStyle, T: InflectableEntry<NS>, const N: usize> InflectableEntry<NS>
    for WithDimensions<T, N>
{
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        InflectableEntry::<NS>::write(&**self, &mut self.entry_writer_wrapper(writer));
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        InflectableEntry::<NS>::sample_group(&**self)
    }
}

#[diagnostic::do_not_recommend]
impl<NS: NameStyle, T: InflectableEntry<NS> + ToOwned + ?Sized> InflectableEntry<NS>
    for Cow<'_, T>
{
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        InflectableEntry::<NS>::write(&**self, writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        InflectableEntry::<NS>::sample_group(&**self)
    }
}

#[cfg(test)]
mod tests;

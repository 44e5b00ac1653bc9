//! Helpers for `#[derive(Entry)]` expansions. Not public API: the derive reaches them as
//! `metrique_writer::__private` or `metrique::writer::__private`.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::sample::SampleGroup;

#[cfg(feature = "emf")]
pub use crate::format::emf::writer::EmfWriter;

/// A format moved to another thread (see [`Format::__fork`](crate::Format::__fork)): formats
/// one entry, appending its bytes to the buffer.
pub type ForkedFormat<T> =
    Box<dyn FnMut(&T, &mut Vec<u8>) -> Result<(), crate::stream::IoStreamError> + Send + 'static>;

/// The timestamp written by an `#[entry(timestamp)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as an `#[entry(timestamp)]`",
    note = "a timestamp field must be `Copy` and convertible into `SystemTime` (e.g. `SystemTime`)"
)]
pub trait EntryTimestamp: Copy + Into<SystemTime> {}
impl<T: Copy + Into<SystemTime>> EntryTimestamp for T {}

/// `field` as the entry's timestamp.
#[inline(always)]
pub fn timestamp<T: EntryTimestamp>(field: &T) -> SystemTime {
    (*field).into()
}

/// The value of an `#[entry(sample_group)]` field, turned into a group key by whichever of
/// [`ViaSampleGroup`] (preferred) or [`ViaInto`] applies.
///
/// The expansion calls `(&SampleGroupValue(&field)).sample_group_value()` with both traits in
/// scope. Method lookup tries the receiver type `SampleGroupValue` (where `ViaSampleGroup` is
/// implemented) before auto-referencing to `&SampleGroupValue` (where `ViaInto` is), so a type
/// implementing both uses its `SampleGroup` impl ("autoref specialisation").
#[derive(Debug)]
pub struct SampleGroupValue<'a, T: ?Sized>(pub &'a T);

/// Sample-group keys from [`SampleGroup`].
pub trait ViaSampleGroup {
    /// The group key.
    fn sample_group_value(&self) -> Cow<'static, str>;
}

impl<T: SampleGroup + ?Sized> ViaSampleGroup for SampleGroupValue<'_, T> {
    #[inline]
    fn sample_group_value(&self) -> Cow<'static, str> {
        self.0.as_sample_group()
    }
}

/// Sample-group keys from a clone converted with `Into<Cow<'static, str>>` (`String`, `Cow`).
pub trait ViaInto {
    /// The group key.
    fn sample_group_value(&self) -> Cow<'static, str>;
}

impl<T: Clone + Into<Cow<'static, str>>> ViaInto for &SampleGroupValue<'_, T> {
    #[inline]
    fn sample_group_value(&self) -> Cow<'static, str> {
        self.0.clone().into()
    }
}

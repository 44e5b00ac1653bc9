//! Helpers for `#[metrics]` expansions. Not public API: reached through `metrique::__private`.

use std::borrow::Cow;
use std::time::SystemTime;

use metrique_writer::entry::SampleGroupElement;
use metrique_writer::sample::SampleGroup;

use crate::close::{CloseValue, CloseValueRef};

/// By-reference closing, as `#[metrics(subfield)]` does it. A field type that cannot be closed by
/// reference makes rustc name this wrapper, which says what to do: use `subfield_owned`.
#[derive(Debug)]
pub struct IfYouSeeThisUseSubfieldOwned<T: ?Sized>(pub T);

/// The closed type of a field closed by reference, named through the wrapper (as
/// `<IfYouSeeThisUseSubfieldOwned<F> as CloseByRef>::Closed`) so that the error on the entry's
/// field type mentions it too.
pub trait CloseByRef {
    /// `<F as CloseValueRef>::Closed`.
    type Closed;
}

impl<T: CloseValueRef + ?Sized> CloseByRef for IfYouSeeThisUseSubfieldOwned<T> {
    type Closed = T::Closed;
}

impl<T: CloseValueRef + ?Sized> CloseValue for IfYouSeeThisUseSubfieldOwned<&T> {
    type Closed = T::Closed;
    #[inline(always)]
    fn close(self) -> T::Closed {
        self.0.close_ref()
    }
}

/// The timestamp written by a `#[metrics(timestamp)]` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a `#[metrics(timestamp)]`",
    note = "a timestamp field must close to a `Copy` type convertible into `SystemTime` (e.g. `SystemTime`, `metrique::timers::Timestamp`)"
)]
pub trait TimestampValue: Copy + Into<SystemTime> {}
impl<T: Copy + Into<SystemTime>> TimestampValue for T {}

/// `closed` as the entry's timestamp.
#[inline(always)]
pub fn timestamp<T: TimestampValue>(closed: &T) -> SystemTime {
    (*closed).into()
}

/// One sample-group element of a `#[metrics(sample_group)]` field.
#[inline]
pub fn sample_group_element<V: SampleGroup + ?Sized>(
    name: &'static str,
    value: &V,
) -> SampleGroupElement {
    (Cow::Borrowed(name), value.as_sample_group())
}

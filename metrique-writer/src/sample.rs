//! Sampling: [`SampleGroup`] keys and [`SampledFormat`].

use std::borrow::Cow;
use std::io;

use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

pub use crate::entry::SampleGroupElement;

/// A value that can key a sample group (`#[metrics(sample_group)]` fields).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a sample group",
    note = "sample groups must be cheap, low-cardinality values: use `&'static str` or a `#[metrics(value(string))]` enum"
)]
pub trait SampleGroup {
    /// The group key.
    fn as_sample_group(&self) -> Cow<'static, str>;
}

impl SampleGroup for &'static str {
    fn as_sample_group(&self) -> Cow<'static, str> {
        Cow::Borrowed(self)
    }
}

impl<T: SampleGroup> SampleGroup for Option<T> {
    fn as_sample_group(&self) -> Cow<'static, str> {
        match self {
            Some(v) => v.as_sample_group(),
            None => Cow::Borrowed(""),
        }
    }
}

/// A format that can weight an entry by the inverse of its sampling rate.
pub trait SampledFormat: Format {
    /// Formats `entry`, which was kept with probability `rate` (in `(0, 1]`).
    ///
    /// # Errors
    /// As [`Format::format`]; a rate that is not positive is a validation error.
    fn format_with_sample_rate(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
        rate: f32,
    ) -> Result<(), IoStreamError>;
}

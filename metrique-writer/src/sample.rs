//! Sampling: [`SampleGroup`] keys, [`SampledFormat`], and the samplers of
//! [`SampledFormatExt`] (fixed fraction, congressional).
//!
//! ```
//! use metrique_writer::format::{FormatExt, emf::Emf};
//! use metrique_writer::sample::SampledFormatExt;
//!
//! let _stream = Emf::all_validations("Ns".into(), vec![vec![]])
//!     .with_sampling()
//!     .sample_by_congress_at_fixed_entries_per_second(100)
//!     .output_to(std::io::sink());
//! ```

use std::borrow::Cow;
use std::io;

use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

pub use crate::entry::SampleGroupElement;

mod congress;
mod fixed_fraction;

pub use congress::{CongressSample, CongressSampleBuilder};
pub use fixed_fraction::FixedFractionSample;

use congress::random_seed;

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

/// Samplers for every [`SampledFormat`].
pub trait SampledFormatExt: SampledFormat + Sized {
    /// Keeps each entry with probability `rate` (weighted by `1 / rate`).
    ///
    /// # Panics
    /// If `rate` is not in `(0, 1]`.
    fn sample_by_fixed_fraction(self, rate: f32) -> FixedFractionSample<Self> {
        FixedFractionSample::new(self, rate)
    }

    /// Congressional sampling targeting `entries_per_second` kept entries on average, shared
    /// fairly between sample groups (a 15 s interval with a target of
    /// `15 × entries_per_second`; see [`CongressSampleBuilder`] for the other knobs).
    fn sample_by_congress_at_fixed_entries_per_second(
        self,
        entries_per_second: u64,
    ) -> CongressSample<Self> {
        CongressSampleBuilder::default()
            .target_entries_per_sample_interval(entries_per_second.saturating_mul(15))
            .build(self)
    }
}

impl<F: SampledFormat> SampledFormatExt for F {}

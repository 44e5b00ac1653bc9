//! Format configurations passed through [`EntryWriter::config`].

use std::borrow::Cow;

use crate::entry::{Entry, EntryConfig, EntryWriter};

/// Allows a format to split one entry into several output lines where it needs to (EMF:
/// per-metric dimensions).
#[derive(Debug, Clone, Copy, Default)]
pub struct AllowSplitEntries;
impl EntryConfig for AllowSplitEntries {}

impl AllowSplitEntries {
    /// The configuration.
    pub const fn new() -> Self {
        Self
    }
}

/// Lets an entry through even if it cannot be routed (EMF: declared dimensions missing).
#[derive(Debug, Clone, Copy, Default)]
pub struct AllowUnroutableEntries;
impl EntryConfig for AllowUnroutableEntries {}

/// Entry-level EMF dimension sets (what `#[metrics(emf::dimension_sets = …)]` writes).
/// Formats cross-join them with their own default dimension sets.
#[derive(Debug, Clone)]
pub struct EntryDimensions {
    sets: Cow<'static, [Cow<'static, [Cow<'static, str>]>]>,
}
impl EntryConfig for EntryDimensions {}

impl EntryDimensions {
    /// Dimension sets from owned or borrowed data.
    pub fn new(sets: Cow<'static, [Cow<'static, [Cow<'static, str>]>]>) -> Self {
        Self { sets }
    }

    /// Dimension sets from static data.
    pub const fn new_static(sets: &'static [Cow<'static, [Cow<'static, str>]>]) -> Self {
        Self {
            sets: Cow::Borrowed(sets),
        }
    }

    /// True if there are no dimension sets.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The dimension sets.
    pub fn dim_sets(&self) -> impl Iterator<Item = impl Iterator<Item = &str>> {
        self.sets.iter().map(|set| set.iter().map(|d| &**d))
    }
}

/// An entry reporting that another entry could not be formatted: it writes the property
/// `MetriqueValidationError` and [`AllowUnroutableEntries`].
#[derive(Debug, Clone)]
pub struct MetriqueValidationError {
    message: String,
}

impl MetriqueValidationError {
    /// An error entry with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl Entry for MetriqueValidationError {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        writer.config(&AllowUnroutableEntries);
        writer.value("MetriqueValidationError", &*self.message);
    }
}

//! [`Flex`]: a metric field whose name is chosen at run time.
//!
//! `#[metrics]` names every field at compile time. When a name is only known at run time
//! (a tag from configuration, a per-tenant counter, a label from a request), put a [`Flex`]
//! in the struct and flatten it: it closes to a [`FlexEntry`] that writes exactly one field,
//! `key → value`. The key is written **as given**: the parent's `rename_all` and every prefix
//! are ignored, as metrique 0.1.33 does. An unset value writes nothing.
//!
//! ```
//! use metrique_core::flex::Flex;
//! use metrique_core::CloseValue;
//!
//! // In a `#[metrics]` struct: `#[metrics(flatten)] dynamic_count: Flex<usize>`.
//! let field = Flex::new(format!("{}_requests", "api")).with_value(42usize);
//! let closed = field.close();
//! assert_eq!(closed.key(), "api_requests");
//! assert_eq!(closed.value(), Some(&42));
//! ```

use std::borrow::Cow;

use metrique_writer::entry::SampleGroupElement;
use metrique_writer::{Entry, EntryWriter, Value};

use crate::close::CloseValue;
use crate::inflect::{InflectableEntry, NameStyle};

/// A field with a run-time name and an optional value; flatten it into a `#[metrics]` struct
/// with `#[metrics(flatten)]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flex<T> {
    key: Cow<'static, str>,
    value: Option<T>,
}

impl<T> Flex<T> {
    /// A field named `key`, with no value yet (it writes nothing until one is set).
    pub fn new(key: impl Into<Cow<'static, str>>) -> Self {
        Self {
            key: key.into(),
            value: None,
        }
    }

    /// Sets the value.
    #[must_use]
    pub fn with_value(mut self, value: T) -> Self {
        self.value = Some(value);
        self
    }

    /// Sets or clears the value.
    #[must_use]
    pub fn with_optional_value(mut self, value: Option<T>) -> Self {
        self.value = value;
        self
    }

    /// The field's name.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value, if set.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The value, mutably, if set (to bump a counter in place).
    pub fn value_mut(&mut self) -> Option<&mut T> {
        self.value.as_mut()
    }

    /// Sets the value.
    pub fn set_value(&mut self, value: T) {
        self.value = Some(value);
    }

    /// Clears the value (the field is then not written).
    pub fn clear_value(&mut self) {
        self.value = None;
    }
}

impl<T: Default> Flex<T> {
    /// Sets the value to `T::default()` (a counter starting at 0).
    #[must_use]
    pub fn with_default_value(mut self) -> Self {
        self.value = Some(T::default());
        self
    }
}

/// The closed form of a [`Flex`]: writes `key → value`, or nothing without a value.
///
/// It is an [`InflectableEntry`] for every name style (the key is never inflected or
/// prefixed) and an [`Entry`] (for `#[metrics(flatten_entry)]` and hand-written entries).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlexEntry<T> {
    key: Cow<'static, str>,
    value: Option<T>,
}

impl<T> FlexEntry<T> {
    /// An entry writing `key → value` (nothing when `value` is `None`).
    pub fn new(key: impl Into<Cow<'static, str>>, value: Option<T>) -> Self {
        Self {
            key: key.into(),
            value,
        }
    }

    /// The field's name.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The closed value, if set.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

impl<T: Value> FlexEntry<T> {
    #[inline]
    fn write_field<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        if let Some(value) = &self.value {
            writer.value(&*self.key, value);
        }
    }
}

#[diagnostic::do_not_recommend]
impl<T: Value> Entry for FlexEntry<T> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.write_field(writer);
    }
}

#[diagnostic::do_not_recommend]
impl<T: Value, NS: NameStyle> InflectableEntry<NS> for FlexEntry<T> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.write_field(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        std::iter::empty()
    }
}

#[diagnostic::do_not_recommend]
impl<T: CloseValue> CloseValue for Flex<T> {
    type Closed = FlexEntry<T::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        FlexEntry {
            key: self.key,
            value: self.value.map(CloseValue::close),
        }
    }
}

/// By reference (in `#[metrics(subfield)]` structs and behind `Arc`/`Mutex`): the key is cloned,
/// which allocates only for a key built at run time (`Cow::Owned`).
#[diagnostic::do_not_recommend]
impl<'a, T> CloseValue for &'a Flex<T>
where
    &'a T: CloseValue,
{
    type Closed = FlexEntry<<&'a T as CloseValue>::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        FlexEntry {
            key: self.key.clone(),
            value: self.value.as_ref().map(CloseValue::close),
        }
    }
}

#[cfg(test)]
mod tests;

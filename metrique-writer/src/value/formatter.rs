//! [`ValueFormatter`]: render a field with a custom rule (`#[metrics(format = F)]`).

use std::fmt::Display;
use std::marker::PhantomData;

use super::{Value, ValueWriter};

/// Marker for formatters (kept for source compatibility with metrique's `ValueFormatter<V, L>`);
/// formatters that should apply through `Option<V>` implement `ValueFormatter<Option<V>>` too.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lifted;

/// Marker: the formatter applies to `V` itself only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotLifted;

/// Writes a `V` in a custom way, e.g. a timestamp as epoch seconds.
///
/// ```
/// use metrique_writer::value::{ValueFormatter, ValueWriter};
///
/// struct Doubled;
/// impl ValueFormatter<u64> for Doubled {
///     fn format_value(writer: impl ValueWriter, value: &u64) {
///         writer.string(&(value * 2).to_string());
///     }
/// }
/// ```
pub trait ValueFormatter<V: ?Sized, L = Lifted> {
    /// Writes `value` into `writer`.
    fn format_value(writer: impl ValueWriter, value: &V);
}

/// Writes any [`Display`] value as a string property
/// (`#[metrics(format = ToString, no_close)]`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ToString;

impl<V: Display + ?Sized> ValueFormatter<V> for ToString {
    fn format_value(writer: impl ValueWriter, value: &V) {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = write!(s, "{value}");
        writer.string(&s);
    }
}

/// A value rendered by formatter `F` (what `#[metrics(format = F)]` writes).
pub struct FormattedValue<'v, V: ?Sized, F, L = Lifted> {
    value: &'v V,
    _f: PhantomData<fn() -> (F, L)>,
}

impl<V: ?Sized, F, L> std::fmt::Debug for FormattedValue<'_, V, F, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FormattedValue")
    }
}

impl<'v, V: ?Sized, F, L> FormattedValue<'v, V, F, L> {
    /// Wraps `value`.
    pub fn new(value: &'v V) -> Self {
        Self {
            value,
            _f: PhantomData,
        }
    }
}

impl<V: ?Sized, F: ValueFormatter<V, L>, L> Value for FormattedValue<'_, V, F, L> {
    fn write(&self, writer: impl ValueWriter) {
        F::format_value(writer, self.value);
    }
}

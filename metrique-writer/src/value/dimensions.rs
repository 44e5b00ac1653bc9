//! [`WithDimensions`]: per-metric dimensions attached to a value or entry.
//!
//! EMF only accepts per-metric dimensions on entries that allow split lines (see the EMF
//! format docs); wide events normally use entry-level dimension sets instead.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::time::SystemTime;

use smallvec::SmallVec;

use super::{MetricFlags, MetricValue, Observation, Value, ValueWriter};
use crate::entry::{Entry, EntryConfig, EntryWriter, SampleGroupElement};
use crate::unit::Unit;
use crate::validate::ValidationError;

pub(crate) type Dim = (Cow<'static, str>, Cow<'static, str>);

/// A value (or entry) whose metrics carry extra `(name, value)` dimensions.
///
/// Up to `N` dimensions are stored inline (no allocation); more spill to the heap.
#[derive(Clone, Debug, Default)]
pub struct WithDimensions<V, const N: usize = 1> {
    value: V,
    dimensions: SmallVec<[Dim; N]>,
}

/// [`WithDimensions`] with one dimension.
pub type WithDimension<V> = WithDimensions<V, 1>;
/// [`WithDimensions`] with dimensions stored on the heap.
pub type WithVecDimensions<V> = WithDimensions<V, 0>;

impl<V, const N: usize> WithDimensions<V, N> {
    /// Wraps `value` with one dimension.
    pub fn new(
        value: V,
        key: impl Into<Cow<'static, str>>,
        val: impl Into<Cow<'static, str>>,
    ) -> Self {
        let mut dimensions = SmallVec::new();
        dimensions.push((key.into(), val.into()));
        Self { value, dimensions }
    }

    /// Wraps `value` with the given dimensions.
    pub fn new_with_dimensions<K, D>(value: V, dimensions: impl IntoIterator<Item = (K, D)>) -> Self
    where
        K: Into<Cow<'static, str>>,
        D: Into<Cow<'static, str>>,
    {
        Self {
            value,
            dimensions: dimensions
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The dimensions.
    pub fn dimensions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.dimensions.iter().map(|(k, v)| (&**k, &**v))
    }

    /// Adds a dimension.
    pub fn add_dimension(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        val: impl Into<Cow<'static, str>>,
    ) {
        self.dimensions.push((key.into(), val.into()));
    }

    /// Removes all dimensions.
    pub fn clear_dimensions(&mut self) {
        self.dimensions.clear();
    }

    /// Maps the wrapped value, keeping the dimensions.
    pub fn map_value<U>(self, f: impl FnOnce(V) -> U) -> WithDimensions<U, N> {
        WithDimensions {
            value: f(self.value),
            dimensions: self.dimensions,
        }
    }

    /// Returns the wrapped value.
    pub fn into_inner(self) -> V {
        self.value
    }

    /// Wraps an [`EntryWriter`] so that every metric written through it carries these
    /// dimensions (what `WithDimensions<Entry>` does).
    pub fn entry_writer_wrapper<'a, 'b, W: EntryWriter<'b>>(
        &'a self,
        writer: W,
    ) -> impl EntryWriter<'b> + use<'a, 'b, W, V, N> {
        DimEntryWriter {
            inner: writer,
            extra: &self.dimensions,
        }
    }
}

impl<V, const N: usize> From<V> for WithDimensions<V, N> {
    fn from(value: V) -> Self {
        Self {
            value,
            dimensions: SmallVec::new(),
        }
    }
}

impl<V, const N: usize> Deref for WithDimensions<V, N> {
    type Target = V;
    fn deref(&self) -> &V {
        &self.value
    }
}

impl<V, const N: usize> DerefMut for WithDimensions<V, N> {
    fn deref_mut(&mut self) -> &mut V {
        &mut self.value
    }
}

struct DimValueWriter<'d, W> {
    inner: W,
    extra: &'d [Dim],
}

impl<W: ValueWriter> ValueWriter for DimValueWriter<'_, W> {
    fn string(self, value: &str) {
        self.inner.string(value);
    }
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        // The value's own dimensions first, then ours; `(k, v)` re-borrows both at one lifetime.
        #[allow(clippy::map_identity)]
        let dims = dimensions
            .into_iter()
            .map(|(k, v)| (k, v))
            .chain(self.extra.iter().map(|(k, v)| (&**k, &**v)));
        self.inner.metric(distribution, unit, dims, flags);
    }
    fn error(self, error: ValidationError) {
        self.inner.error(error);
    }
    fn values<'a, T: Value + 'a>(self, values: impl IntoIterator<Item = &'a T>) {
        self.inner.values(values);
    }
}

impl<V: Value, const N: usize> Value for WithDimensions<V, N> {
    fn write(&self, writer: impl ValueWriter) {
        self.value.write(DimValueWriter {
            inner: writer,
            extra: &self.dimensions,
        });
    }
}

impl<V: MetricValue, const N: usize> MetricValue for WithDimensions<V, N> {
    type Unit = V::Unit;
}

struct DimEntryWriter<'d, W> {
    inner: W,
    extra: &'d [Dim],
}

/// A borrowed value whose metrics get `extra` dimensions (after their own).
pub(crate) struct DimRef<'d, 'v, V: ?Sized> {
    pub(crate) value: &'v V,
    pub(crate) extra: &'d [Dim],
}

impl<V: Value + ?Sized> Value for DimRef<'_, '_, V> {
    fn write(&self, writer: impl ValueWriter) {
        self.value.write(DimValueWriter {
            inner: writer,
            extra: self.extra,
        });
    }
}

impl<'a, W: EntryWriter<'a>> EntryWriter<'a> for DimEntryWriter<'_, W> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.inner.timestamp(timestamp);
    }
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        self.inner.value(
            name,
            &DimRef {
                value,
                extra: self.extra,
            },
        );
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.inner.config(config);
    }
}

impl<E: Entry, const N: usize> Entry for WithDimensions<E, N> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.value.write(&mut DimEntryWriter {
            inner: writer,
            extra: &self.dimensions,
        });
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.value.sample_group()
    }
}

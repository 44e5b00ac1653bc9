//! [`ForceFlag`]: add a flag to every metric a value or entry writes.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::SystemTime;

use super::{FlagConstructor, MetricFlags, MetricValue, Observation, Value, ValueWriter};
use crate::entry::{Entry, EntryConfig, EntryWriter, SampleGroupElement};
use crate::unit::Unit;
use crate::validate::ValidationError;

/// Wraps a value (or entry) so that every metric it writes carries the flags of `F`.
///
/// `metrique::emf::HighStorageResolution<T>` and `NoMetric<T>` are aliases of this type.
pub struct ForceFlag<T, F> {
    value: T,
    _flag: PhantomData<fn() -> F>,
}

impl<T: std::fmt::Debug, F> std::fmt::Debug for ForceFlag<T, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ForceFlag").field(&self.value).finish()
    }
}

impl<T: Clone, F> Clone for ForceFlag<T, F> {
    fn clone(&self) -> Self {
        Self::from(self.value.clone())
    }
}

impl<T: Default, F> Default for ForceFlag<T, F> {
    fn default() -> Self {
        Self::from(T::default())
    }
}

impl<T, F> From<T> for ForceFlag<T, F> {
    fn from(value: T) -> Self {
        Self {
            value,
            _flag: PhantomData,
        }
    }
}

impl<T, F> ForceFlag<T, F> {
    /// Returns the wrapped value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Maps the wrapped value, keeping the flag.
    pub fn map_value<U>(self, f: impl FnOnce(T) -> U) -> ForceFlag<U, F> {
        ForceFlag::from(f(self.value))
    }
}

impl<T, F> Deref for ForceFlag<T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T, F> DerefMut for ForceFlag<T, F> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

struct FlaggingValueWriter<W, F> {
    inner: W,
    _flag: PhantomData<fn() -> F>,
}

impl<W: ValueWriter, F: FlagConstructor> ValueWriter for FlaggingValueWriter<W, F> {
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
        self.inner.metric(
            distribution,
            unit,
            dimensions,
            flags.try_merge(F::construct()),
        );
    }
    fn error(self, error: ValidationError) {
        self.inner.error(error);
    }
    fn values<'a, V: Value + 'a>(self, values: impl IntoIterator<Item = &'a V>) {
        // Each element gets the flag too.
        let wrapped: Vec<ForceFlagRef<'a, V, F>> = values
            .into_iter()
            .map(|v| ForceFlagRef(v, PhantomData))
            .collect();
        self.inner.values(wrapped.iter());
    }
}

struct ForceFlagRef<'a, V, F>(&'a V, PhantomData<fn() -> F>);

impl<V: Value, F: FlagConstructor> Value for ForceFlagRef<'_, V, F> {
    fn write(&self, writer: impl ValueWriter) {
        self.0.write(FlaggingValueWriter::<_, F> {
            inner: writer,
            _flag: PhantomData,
        });
    }
}

impl<T: Value, F: FlagConstructor> Value for ForceFlag<T, F> {
    fn write(&self, writer: impl ValueWriter) {
        self.value.write(FlaggingValueWriter::<_, F> {
            inner: writer,
            _flag: PhantomData,
        });
    }
}

impl<T: MetricValue, F: FlagConstructor> MetricValue for ForceFlag<T, F> {
    type Unit = T::Unit;
}

/// An [`EntryWriter`] that adds the flags of `F` to every value written through it (used for
/// `#[metrics(flatten, default_flags(F))]` and `ForceFlag<Entry, F>`).
pub struct ForceFlagEntryWriter<W, F> {
    inner: W,
    _flag: PhantomData<fn() -> F>,
}

impl<W, F> std::fmt::Debug for ForceFlagEntryWriter<W, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForceFlagEntryWriter")
    }
}

impl<W, F> ForceFlagEntryWriter<W, F> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            _flag: PhantomData,
        }
    }
}

impl<'a, W: EntryWriter<'a>, F: FlagConstructor> EntryWriter<'a> for ForceFlagEntryWriter<W, F> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.inner.timestamp(timestamp);
    }
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        self.inner
            .value(name, &ForceFlagRef::<_, F>(&value, PhantomData));
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.inner.config(config);
    }
}

impl<T: Entry, F: FlagConstructor> Entry for ForceFlag<T, F> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.value
            .write(&mut ForceFlagEntryWriter::<_, F>::new(writer));
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.value.sample_group()
    }
}

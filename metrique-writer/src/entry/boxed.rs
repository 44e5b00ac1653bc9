//! [`BoxEntry`]: a type-erased entry.
//!
//! [`Entry::write`] is generic over the writer, so it cannot be called through a trait object.
//! This module bridges the gap with object-safe mirrors of the writer traits (`Dyn*`): the
//! boxed entry writes into a `&mut dyn DynEntryWriter`, which forwards to the real, generic
//! writer. Lists keep their element types across the bridge (numbers stay numbers).

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use super::{Entry, EntryConfig, EntryWriter, SampleGroupElement};
use crate::unit::Unit;
use crate::validate::ValidationError;
use crate::value::{MetricFlags, Observation, Value, ValueWriter};

const NO_DIMENSIONS: [(&str, &str); 0] = [];

/// A type-erased, `Send` entry (one heap allocation).
pub struct BoxEntry(Box<dyn DynEntry + Send>);

impl fmt::Debug for BoxEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BoxEntry")
    }
}

impl BoxEntry {
    /// Boxes `entry`.
    pub fn new(entry: impl Entry + Send + 'static) -> Self {
        Self(Box::new(entry))
    }
}

impl Entry for BoxEntry {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.0.dyn_write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.0.dyn_sample_group().into_iter()
    }
    fn boxed(self) -> BoxEntry {
        self
    }
    #[cfg(feature = "emf")]
    #[inline]
    fn __write_emf<'a>(&'a self, writer: &mut crate::__private::EmfWriter<'_, 'a>) {
        self.0.dyn_write_emf(writer);
    }
}

trait DynEntry {
    fn dyn_write<'a>(&'a self, writer: &mut dyn DynEntryWriter<'a>);
    /// The entry's own `write`, monomorphised for the EMF writer (see [`Entry::__write_emf`]).
    #[cfg(feature = "emf")]
    fn dyn_write_emf<'a>(&'a self, writer: &mut crate::__private::EmfWriter<'_, 'a>);
    fn dyn_sample_group(&self) -> Vec<SampleGroupElement>;
}

impl<E: Entry> DynEntry for E {
    #[inline]
    fn dyn_write<'a>(&'a self, writer: &mut dyn DynEntryWriter<'a>) {
        self.write(&mut FromDyn(writer));
    }
    #[cfg(feature = "emf")]
    fn dyn_write_emf<'a>(&'a self, writer: &mut crate::__private::EmfWriter<'_, 'a>) {
        self.__write_emf(writer);
    }
    fn dyn_sample_group(&self) -> Vec<SampleGroupElement> {
        self.sample_group().collect()
    }
}

trait DynEntryWriter<'a> {
    fn timestamp(&mut self, timestamp: SystemTime);
    /// Any value: the real writer sees it through [`DynAsValue`].
    fn value(&mut self, name: Cow<'a, str>, value: &dyn DynValue);
    /// A value that wrote a string (captured on the entry's side, see [`Capture`]).
    fn value_str(&mut self, name: Cow<'a, str>, value: &str);
    /// A value that wrote one observation without dimensions (captured on the entry's side).
    fn value_scalar(
        &mut self,
        name: Cow<'a, str>,
        observation: Observation,
        unit: Unit,
        flags: MetricFlags<'_>,
    );
    fn config(&mut self, config: &'a dyn EntryConfig);
}

impl<'a, W: EntryWriter<'a>> DynEntryWriter<'a> for W {
    #[inline]
    fn timestamp(&mut self, timestamp: SystemTime) {
        EntryWriter::timestamp(self, timestamp);
    }
    #[inline]
    fn value(&mut self, name: Cow<'a, str>, value: &dyn DynValue) {
        EntryWriter::value(self, name, &DynAsValue(value));
    }
    #[inline]
    fn value_str(&mut self, name: Cow<'a, str>, value: &str) {
        EntryWriter::value(self, name, value);
    }
    #[inline]
    fn value_scalar(
        &mut self,
        name: Cow<'a, str>,
        observation: Observation,
        unit: Unit,
        flags: MetricFlags<'_>,
    ) {
        EntryWriter::value(
            self,
            name,
            &Scalar {
                observation,
                unit,
                flags,
            },
        );
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        EntryWriter::config(self, config);
    }
}

/// The boxed entry's view of the real writer.
struct FromDyn<'w, 'a>(&'w mut dyn DynEntryWriter<'a>);

impl<'a> EntryWriter<'a> for FromDyn<'_, 'a> {
    #[inline]
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.0.timestamp(timestamp);
    }
    #[inline]
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        // Run the value's `write` here, where its type is known: a string or a scalar (nearly
        // every field) crosses the bridge as plain data in one virtual call and reaches the
        // real writer as a concrete `Value`. Anything else (lists, distributions, dimensions,
        // errors, nothing written) is handed over as `dyn DynValue`, whose `write` runs again on
        // the writer's side: `Value::write` is pure, so the output is the same.
        let value = ValueRef(value);
        let mut name = Some(name.into());
        Value::write(
            &value,
            Capture {
                writer: &mut *self.0,
                name: &mut name,
                value: &value,
            },
        );
        if let Some(name) = name {
            // The value wrote nothing: let the writer see that too.
            self.0.value(name, &value);
        }
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.0.config(config);
    }
}

/// The value writer a boxed entry's values first write into (see [`FromDyn::value`]); takes the
/// name out of `name` when it forwards the value.
struct Capture<'c, 'a> {
    writer: &'c mut dyn DynEntryWriter<'a>,
    name: &'c mut Option<Cow<'a, str>>,
    value: &'c dyn DynValue,
}

impl Capture<'_, '_> {
    /// Hands the value over whole, through the generic (slower) bridge.
    #[cold]
    #[inline(never)]
    fn forward(self) {
        if let Some(name) = self.name.take() {
            self.writer.value(name, self.value);
        }
    }
}

impl ValueWriter for Capture<'_, '_> {
    #[inline]
    fn string(self, value: &str) {
        if let Some(name) = self.name.take() {
            self.writer.value_str(name, value);
        }
    }
    #[inline]
    fn metric<'d>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'d str, &'d str)>,
        flags: MetricFlags<'_>,
    ) {
        let mut distribution = distribution.into_iter();
        if let Some(first) = distribution.next()
            && distribution.next().is_none()
            && dimensions.into_iter().next().is_none()
        {
            if let Some(name) = self.name.take() {
                self.writer.value_scalar(name, first, unit, flags);
            }
            return;
        }
        self.forward();
    }
    #[inline]
    fn __scalar(self, observation: Observation, unit: Unit) {
        if let Some(name) = self.name.take() {
            self.writer
                .value_scalar(name, observation, unit, MetricFlags::empty());
        }
    }
    fn error(self, _error: ValidationError) {
        self.forward();
    }
    fn values<'v, V: Value + 'v>(self, _values: impl IntoIterator<Item = &'v V>) {
        self.forward();
    }
}

/// A captured scalar, written to the real writer.
struct Scalar<'f> {
    observation: Observation,
    unit: Unit,
    flags: MetricFlags<'f>,
}

impl Value for Scalar<'_> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        writer.metric([self.observation], self.unit, NO_DIMENSIONS, self.flags);
    }
}

trait DynValue {
    fn dyn_write(&self, writer: &mut dyn DynValueWriter);
}

struct ValueRef<'v, V: ?Sized>(&'v V);

impl<V: Value + ?Sized> Value for ValueRef<'_, V> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        self.0.write(writer);
    }
}

/// A `dyn DynValue` seen as a [`Value`] again, on the real writer's side.
struct DynAsValue<'v>(&'v dyn DynValue);

impl Value for DynAsValue<'_> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        let mut once = Once(Some(writer));
        self.0.dyn_write(&mut once);
    }
}

trait DynValueWriter {
    fn string(&mut self, value: &str);
    /// The common case, one observation and no per-metric dimensions, without iterator trait
    /// objects (they cost an indirect call per element and block inlining in the format).
    fn scalar(&mut self, observation: Observation, unit: Unit, flags: MetricFlags<'_>);
    fn metric<'d>(
        &mut self,
        distribution: &mut dyn Iterator<Item = Observation>,
        unit: Unit,
        dimensions: &mut dyn Iterator<Item = (&'d str, &'d str)>,
        flags: MetricFlags<'_>,
    );
    fn error(&mut self, error: ValidationError);
    fn values(&mut self, values: &mut dyn Iterator<Item = &dyn DynValue>);
}

/// Holds the real (consumable) writer until the value's single call.
struct Once<W>(Option<W>);

impl<W: ValueWriter> DynValueWriter for Once<W> {
    #[inline]
    fn string(&mut self, value: &str) {
        if let Some(w) = self.0.take() {
            w.string(value);
        }
    }
    #[inline]
    fn scalar(&mut self, observation: Observation, unit: Unit, flags: MetricFlags<'_>) {
        if let Some(w) = self.0.take() {
            if flags.is_empty() {
                w.__scalar(observation, unit);
            } else {
                w.metric([observation], unit, NO_DIMENSIONS, flags);
            }
        }
    }
    #[inline]
    fn metric<'d>(
        &mut self,
        distribution: &mut dyn Iterator<Item = Observation>,
        unit: Unit,
        dimensions: &mut dyn Iterator<Item = (&'d str, &'d str)>,
        flags: MetricFlags<'_>,
    ) {
        if let Some(w) = self.0.take() {
            w.metric(distribution, unit, dimensions, flags);
        }
    }
    fn error(&mut self, error: ValidationError) {
        if let Some(w) = self.0.take() {
            w.error(error);
        }
    }
    fn values(&mut self, values: &mut dyn Iterator<Item = &dyn DynValue>) {
        if let Some(w) = self.0.take() {
            let elements: Vec<DynAsValue<'_>> = values.map(DynAsValue).collect();
            w.values(elements.iter());
        }
    }
}

/// The boxed value's view of the dyn writer.
struct ToDynValueWriter<'w>(&'w mut dyn DynValueWriter);

impl<V: Value> DynValue for V {
    fn dyn_write(&self, writer: &mut dyn DynValueWriter) {
        self.write(ToDynValueWriter(writer));
    }
}

impl ValueWriter for ToDynValueWriter<'_> {
    #[inline]
    fn string(self, value: &str) {
        self.0.string(value);
    }
    #[inline]
    fn __scalar(self, observation: Observation, unit: Unit) {
        self.0.scalar(observation, unit, MetricFlags::empty());
    }
    #[inline]
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        let mut distribution = distribution.into_iter();
        let mut dimensions = dimensions.into_iter();
        // Peek: one observation and no dimensions (almost every value) crosses the bridge by
        // value, without iterator trait objects. Otherwise the peeked items are put back in
        // front, so the writer sees exactly the same sequence. (No iterator is polled again
        // after it returned `None`.)
        let Some(first) = distribution.next() else {
            self.0
                .metric(&mut std::iter::empty(), unit, &mut dimensions, flags);
            return;
        };
        match distribution.next() {
            None => match dimensions.next() {
                None => self.0.scalar(first, unit, flags),
                Some(dimension) => self.0.metric(
                    &mut std::iter::once(first),
                    unit,
                    &mut std::iter::once(dimension).chain(dimensions),
                    flags,
                ),
            },
            Some(second) => self.0.metric(
                &mut [first, second].into_iter().chain(distribution),
                unit,
                &mut dimensions,
                flags,
            ),
        }
    }
    fn error(self, error: ValidationError) {
        self.0.error(error);
    }
    fn values<'a, V: Value + 'a>(self, values: impl IntoIterator<Item = &'a V>) {
        self.0
            .values(&mut values.into_iter().map(|v| v as &dyn DynValue));
    }
}

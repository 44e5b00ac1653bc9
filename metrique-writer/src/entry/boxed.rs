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
}

trait DynEntry {
    fn dyn_write<'a>(&'a self, writer: &mut dyn DynEntryWriter<'a>);
    fn dyn_sample_group(&self) -> Vec<SampleGroupElement>;
}

impl<E: Entry> DynEntry for E {
    #[inline]
    fn dyn_write<'a>(&'a self, writer: &mut dyn DynEntryWriter<'a>) {
        self.write(&mut FromDyn(writer));
    }
    fn dyn_sample_group(&self) -> Vec<SampleGroupElement> {
        self.sample_group().collect()
    }
}

trait DynEntryWriter<'a> {
    fn timestamp(&mut self, timestamp: SystemTime);
    fn value(&mut self, name: Cow<'a, str>, value: &dyn DynValue);
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
        self.0.value(name.into(), &ValueRef(value));
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.0.config(config);
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
            w.metric([observation], unit, NO_DIMENSIONS, flags);
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
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        let mut observations = distribution.into_iter();
        let mut dimensions = dimensions.into_iter();
        let first = observations.next();
        let second = observations.next();
        let first_dimension = dimensions.next();
        match (first, second, first_dimension) {
            (Some(only), None, None) => self.0.scalar(only, unit, flags),
            (first, second, first_dimension) => self.0.metric(
                &mut first.into_iter().chain(second).chain(observations),
                unit,
                &mut first_dimension.into_iter().chain(dimensions),
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

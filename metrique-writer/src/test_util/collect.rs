//! The [`EntryWriter`]/[`ValueWriter`] that turns an entry into a [`TestEntry`].

use std::borrow::Cow;
use std::time::SystemTime;

use super::{Metric, TestEntry};
use crate::entry::{Entry, EntryConfig, EntryWriter};
use crate::unit::Unit;
use crate::validate::ValidationError;
use crate::value::{MetricFlags, Observation, Value, ValueWriter};

pub(super) fn collect(entry: &impl Entry) -> TestEntry {
    let mut out = TestEntry::default();
    entry.write(&mut Collector(&mut out));
    out
}

struct Collector<'e>(&'e mut TestEntry);

impl<'a> EntryWriter<'a> for Collector<'_> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.0.timestamp = Some(timestamp);
    }

    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        let name = name.into();
        value.write(ValueCollector {
            entry: self.0,
            name: &name,
        });
    }

    fn config(&mut self, _config: &'a dyn EntryConfig) {}
}

struct ValueCollector<'e, 'n> {
    entry: &'e mut TestEntry,
    name: &'n str,
}

impl ValueCollector<'_, '_> {
    fn check_unique(&self) {
        assert!(
            !self.entry.values.contains_key(self.name)
                && !self.entry.metrics.contains_key(self.name),
            "`{}` was written twice",
            self.name
        );
    }
}

impl ValueWriter for ValueCollector<'_, '_> {
    fn string(self, value: &str) {
        self.check_unique();
        self.entry
            .values
            .insert(self.name.to_owned(), value.to_owned());
    }

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        let distribution: Vec<Observation> = distribution.into_iter().collect();
        if distribution.is_empty() {
            return;
        }
        self.check_unique();
        let dimensions = dimensions
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        self.entry.metrics.insert(
            self.name.to_owned(),
            Metric::new(distribution, unit, dimensions),
        );
    }

    fn error(self, error: ValidationError) {
        panic!("metric returned an error: for `{}`: {error}", self.name);
    }
}

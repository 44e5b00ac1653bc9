//! A tiny recording `EntryWriter` for behaviour tests: `(name, rendered value)` pairs.
#![allow(dead_code)] // each test file uses a different subset

use std::borrow::Cow;
use std::time::SystemTime;

use metrique::writer::entry::EntryConfig;
use metrique::writer::unit::Unit;
use metrique::writer::{Entry, EntryWriter, MetricFlags, Observation, ValueWriter};
use metrique::{CloseValue, InflectableEntry, RootEntry};

/// What an entry wrote.
#[derive(Debug, Default)]
pub struct Recorded {
    pub timestamp: Option<SystemTime>,
    pub values: Vec<(String, String)>,
    pub configs: Vec<String>,
}

impl Recorded {
    /// The names, in write order.
    pub fn names(&self) -> Vec<&str> {
        self.values.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The rendered value of `name`; panics listing the names if it is missing.
    pub fn get(&self, name: &str) -> &str {
        match self.values.iter().find(|(n, _)| n == name) {
            Some((_, v)) => v,
            None => panic!("no value {name:?}; have {:?}", self.names()),
        }
    }
}

impl<'a> EntryWriter<'a> for Recorded {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.timestamp = Some(timestamp);
    }
    fn value(
        &mut self,
        name: impl Into<Cow<'a, str>>,
        value: &(impl metrique::writer::Value + ?Sized),
    ) {
        let mut rendered = String::new();
        value.write(Render(&mut rendered));
        self.values.push((name.into().into_owned(), rendered));
    }
    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.configs.push(format!("{config:?}"));
    }
}

/// Renders a value: strings as is, metrics as `v1,v2[ unit][ +flagged]`.
struct Render<'s>(&'s mut String);

impl ValueWriter for Render<'_> {
    fn string(self, value: &str) {
        self.0.push_str(value);
    }
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        let obs: Vec<String> = distribution
            .into_iter()
            .map(|o| match o {
                Observation::Unsigned(v) => v.to_string(),
                Observation::Signed(v) => v.to_string(),
                Observation::Floating(v) => v.to_string(),
                o => format!("{o:?}"),
            })
            .collect();
        self.0.push_str(&obs.join(","));
        if unit != Unit::None {
            self.0.push(' ');
            self.0.push_str(unit.name());
        }
        if !flags.is_empty() {
            self.0.push_str(" +flagged");
        }
    }
    fn error(self, error: metrique::writer::ValidationError) {
        self.0.push_str(&format!("error: {error}"));
    }
}

/// Writes an entry.
pub fn record(entry: &impl Entry) -> Recorded {
    let mut r = Recorded::default();
    entry.write(&mut r);
    r
}

/// Closes a `#[metrics]` value and writes it at the root.
pub fn record_metric<M: CloseValue<Closed: InflectableEntry>>(metric: M) -> Recorded {
    record(&RootEntry::new(metric.close()))
}

/// Sample-group elements of a `#[metrics]` value, as `(name, value)`.
pub fn sample_group<M: CloseValue<Closed: InflectableEntry>>(metric: M) -> Vec<(String, String)> {
    RootEntry::new(metric.close())
        .sample_group()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A sink collecting appended entries (until `metrique::writer::sink::VecEntrySink` is on main).
#[derive(Debug)]
pub struct CollectSink<E>(pub std::sync::Arc<std::sync::Mutex<Vec<E>>>);

impl<E> Clone for CollectSink<E> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<E> Default for CollectSink<E> {
    fn default() -> Self {
        Self(Default::default())
    }
}

impl<E> CollectSink<E> {
    pub fn drain(&self) -> Vec<E> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl<E: Entry> metrique::writer::EntrySink<E> for CollectSink<E> {
    fn append(&self, entry: E) {
        self.0.lock().unwrap().push(entry);
    }
    fn flush_async(&self) -> metrique::writer::FlushWait {
        metrique::writer::FlushWait::ready()
    }
}

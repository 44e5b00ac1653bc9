//! [`Json`]: plain JSON lines, one object per entry.
//!
//! ```text
//! {"timestamp":1752774958378,"metrics":{"Latency":{"value":4.5,"unit":"Milliseconds"},"Sizes":{"values":[1,2]}},"properties":{"Operation":"Get"}}
//! ```
//!
//! - `timestamp`: the entry's timestamp (or now) in integer milliseconds since the epoch;
//! - `metrics`: `"Name":{"value":X}` for one observation, `"Name":{"values":[…]}` for several,
//!   plus `"unit"` unless the unit is `None`; an [`Observation::Repeated`] is written as
//!   `{"total":T,"count":N}`; NaN as `null`, ±∞ clamped to ±`f64::MAX`;
//! - `properties`: strings, and lists as JSON arrays.
//!
//! `metrics`/`properties` are omitted when empty. Per-metric dimensions, flags and configs are
//! ignored. Validation: empty names, two timestamps and value errors fail the entry (nothing is
//! written). Floats never use exponent notation (see the EMF format).
//!
//! # Examples
//! ```
//! use metrique_writer::format::{Format, json::Json};
//!
//! let mut json = Json::new();
//! let mut out = Vec::new();
//! json.format(&vec![("Requests", 3u64)], &mut out).unwrap();
//! let line = String::from_utf8(out).unwrap();
//! assert!(line.ends_with("\"metrics\":{\"Requests\":{\"value\":3}}}\n"));
//! ```

use std::borrow::Cow;
use std::io;
use std::time::{Duration, SystemTime};

use crate::entry::{Entry, EntryConfig, EntryWriter};
use crate::format::Format;
use crate::format::epoch_millis::EpochMillis;
use crate::format::json_encode::{
    finite, push_duration_millis, push_escaped, push_int, push_list_elements,
    push_observation_value, push_string,
};
use crate::stream::IoStreamError;
use crate::unit::Unit;
use crate::validate::{ValidationError, ValidationErrorBuilder};
use crate::value::{MetricFlags, Observation, Value, ValueWriter};

/// The plain JSON lines format (see the [module docs](self)).
///
/// Keeps reusable buffers; cloning gives a format with fresh buffers.
#[derive(Debug, Default)]
pub struct Json {
    metrics: Vec<u8>,
    props: Vec<u8>,
    out: Vec<u8>,
    epoch_millis: EpochMillis,
}

impl Clone for Json {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Json {
    /// The JSON format.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Format for Json {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.metrics.clear();
        self.props.clear();
        self.out.clear();
        let mut w = JsonWriter {
            metrics: &mut self.metrics,
            props: &mut self.props,
            timestamp: None,
            timestamps: 0,
            errors: ValidationErrorBuilder::default(),
        };
        entry.write(&mut w);
        let JsonWriter {
            timestamp,
            timestamps,
            mut errors,
            ..
        } = w;
        if timestamps > 1 {
            errors.invalid_mut("multiple timestamps written");
        }
        errors.build()?;
        let millis = self
            .epoch_millis
            .of(timestamp.unwrap_or_else(SystemTime::now));
        let out = &mut self.out;
        out.extend_from_slice(b"{\"timestamp\":");
        push_int(out, millis);
        if let Some(m) = self.metrics.get(1..) {
            out.extend_from_slice(b",\"metrics\":{");
            out.extend_from_slice(m);
            out.push(b'}');
        }
        if let Some(p) = self.props.get(1..) {
            out.extend_from_slice(b",\"properties\":{");
            out.extend_from_slice(p);
            out.push(b'}');
        }
        out.extend_from_slice(b"}\n");
        output.write_all(out)?;
        if out.capacity() > 1 << 20 {
            *self = Self::default();
        }
        Ok(())
    }

    fn __fork<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        // Every line stands alone: a fresh copy formats the same bytes.
        let mut json = Json::default();
        Some(Box::new(move |entry: &T, out: &mut Vec<u8>| {
            json.format(entry, out)
        }))
    }
}

struct JsonWriter<'b> {
    metrics: &'b mut Vec<u8>,
    props: &'b mut Vec<u8>,
    timestamp: Option<SystemTime>,
    timestamps: u32,
    errors: ValidationErrorBuilder,
}

impl<'a> EntryWriter<'a> for JsonWriter<'_> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.timestamps += 1;
        if self.timestamp.is_none() {
            self.timestamp = Some(timestamp);
        }
    }

    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        let name = name.into();
        if name.is_empty() {
            self.errors.invalid_mut("name can't be empty");
            return;
        }
        value.write(JsonValueWriter {
            w: self,
            name: &name,
        });
    }

    fn config(&mut self, _config: &'a dyn EntryConfig) {}
}

struct JsonValueWriter<'w, 'b> {
    w: &'w mut JsonWriter<'b>,
    name: &'w str,
}

fn push_key(buf: &mut Vec<u8>, name: &str) -> usize {
    let start = buf.len();
    buf.extend_from_slice(b",\"");
    push_escaped(buf, name);
    buf.extend_from_slice(b"\":");
    start
}

/// One observation: a number, `null` for NaN, or `{"total":T,"count":N}`.
fn push_json_observation(buf: &mut Vec<u8>, o: Observation) {
    match o {
        Observation::Floating(v) => match finite(v) {
            Some(v) => push_observation_value(buf, Observation::Floating(v)),
            None => buf.extend_from_slice(b"null"),
        },
        Observation::Repeated { total, occurrences } => {
            buf.extend_from_slice(b"{\"total\":");
            push_json_observation(buf, Observation::Floating(total));
            buf.extend_from_slice(b",\"count\":");
            push_int(buf, occurrences);
            buf.push(b'}');
        }
        o => push_observation_value(buf, o),
    }
}

impl JsonValueWriter<'_, '_> {
    /// `"name":` then `value`'s opening of the metric object, then the unit and the closing
    /// brace.
    #[inline]
    fn push_metric(self, unit: Unit, value: impl FnOnce(&mut Vec<u8>)) {
        let buf = &mut *self.w.metrics;
        push_key(buf, self.name);
        value(buf);
        if unit != Unit::None {
            buf.extend_from_slice(b",\"unit\":");
            push_string(buf, unit.name());
        }
        buf.push(b'}');
    }
}

impl ValueWriter for JsonValueWriter<'_, '_> {
    fn string(self, value: &str) {
        push_key(self.w.props, self.name);
        push_string(self.w.props, value);
    }

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        let mut it = distribution.into_iter();
        let Some(first) = it.next() else { return };
        self.push_metric(unit, |buf| match it.next() {
            None => {
                buf.extend_from_slice(b"{\"value\":");
                push_json_observation(buf, first);
            }
            Some(second) => {
                buf.extend_from_slice(b"{\"values\":[");
                push_json_observation(buf, first);
                for o in std::iter::once(second).chain(it) {
                    buf.push(b',');
                    push_json_observation(buf, o);
                }
                buf.push(b']');
            }
        });
    }

    fn __duration_millis(self, duration: Duration, unit: Unit) {
        self.push_metric(unit, |buf| {
            buf.extend_from_slice(b"{\"value\":");
            push_duration_millis(buf, duration);
        });
    }

    fn error(self, error: ValidationError) {
        self.w.errors.extend_mut(error.for_field(self.name));
    }

    fn values<'v, V: Value + 'v>(self, values: impl IntoIterator<Item = &'v V>) {
        let props = &mut *self.w.props;
        let start = push_key(props, self.name);
        props.push(b'[');
        match push_list_elements(props, values) {
            Ok(()) => props.push(b']'),
            Err(e) => {
                props.truncate(start);
                self.error(e);
            }
        }
    }
}

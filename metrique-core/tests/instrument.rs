//! `Instrumented`: pairing a value with its metrics and handing the metrics on.

use std::sync::Mutex;

use metrique_core::instrument::{self, Instrumented};
use metrique_core::{AppendAndCloseOnDrop, CloseValue, InflectableEntry, NameStyle, RootMetric};
use metrique_writer::sink::FlushWait;
use metrique_writer::{EntrySink, EntryWriter};

#[derive(Debug, Default, PartialEq)]
struct Metrics {
    bytes: usize,
    error: Option<&'static str>,
    finalized: bool,
}

fn parse(input: &str) -> instrument::Result<u64, std::num::ParseIntError, Metrics> {
    Instrumented::instrument(Metrics::default(), |m| {
        m.bytes = input.len();
        input.parse()
    })
}

#[test]
fn instrument_and_split() {
    let mut slot = None;
    assert_eq!(parse("42").split_metrics_to(&mut slot), Ok(42));
    assert_eq!(slot.unwrap().bytes, 2);
}

#[test]
fn parts_and_discard() {
    let (value, metrics) = parse("7").into_parts();
    assert_eq!(value, Ok(7));
    assert_eq!(metrics.bytes, 1);
    assert_eq!(parse("x").discard_metrics().ok(), None);
    let i = Instrumented::from_parts(1, Metrics::default());
    assert_eq!((i.value(), i.metrics().bytes), (&1, 0));
}

#[test]
fn on_error_and_on_success_run_only_on_their_variant() {
    let (_, m) = parse("oops")
        .on_success(|_, m| m.error = Some("unexpected"))
        .on_error(|_, m| m.error = Some("parse"))
        .into_parts();
    assert_eq!(m.error, Some("parse"));
    let (_, m) = parse("1")
        .on_error(|_, m| m.error = Some("unexpected"))
        .on_success(|v, m| m.bytes += *v as usize)
        .into_parts();
    assert_eq!((m.error, m.bytes), (None, 2));
}

#[test]
fn finalize_sees_the_value() {
    let (_, m) = parse("12")
        .finalize_metrics(|v, m| m.finalized = v.is_ok())
        .into_parts();
    assert!(m.finalized);
}

#[test]
fn instrument_async_lends_the_metrics() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let i = rt.block_on(Instrumented::instrument_async(
        Metrics::default(),
        async |m: &mut Metrics| {
            m.bytes = 3;
            "abc"
        },
    ));
    assert_eq!(
        i.into_parts(),
        (
            "abc",
            Metrics {
                bytes: 3,
                ..Default::default()
            }
        )
    );
}

// `emit` with a real append-on-drop guard: a hand-written closeable entry and a recording sink.

struct Op {
    count: u64,
}
struct OpEntry {
    count: u64,
}
impl CloseValue for Op {
    type Closed = OpEntry;
    fn close(self) -> OpEntry {
        OpEntry { count: self.count }
    }
}
impl<NS: NameStyle> InflectableEntry<NS> for OpEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Count", &self.count);
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<u64>>);
impl EntrySink<RootMetric<Op>> for &Recorder {
    fn append(&self, entry: RootMetric<Op>) {
        self.0.lock().unwrap().push(entry.metric().count);
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

#[test]
fn emit_drops_the_guard_and_returns_the_value() {
    let sink = Recorder::default();
    let guard = AppendAndCloseOnDrop::new(Op { count: 0 }, &sink);
    let i = Instrumented::instrument(guard, |g| {
        g.count = 5;
        "done"
    });
    assert!(sink.0.lock().unwrap().is_empty());
    assert_eq!(i.emit(), "done");
    assert_eq!(*sink.0.lock().unwrap(), [5]);
}

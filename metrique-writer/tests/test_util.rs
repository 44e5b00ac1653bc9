//! test_util: TestEntry conversion, Metric comparisons, TestMap diagnostics, Inspector.
#![cfg(feature = "test-util")]

#[path = "support/line_format.rs"]
mod support;

use std::time::{Duration, SystemTime};

use metrique_writer::test_util::{render_entry_sink, test_entry_sink, to_test_entry};
use metrique_writer::{Entry, EntrySink, EntryWriter, Observation, Unit, Value, ValueWriter};
use support::{Invalid, LineFormat, Req};

struct Kitchen {
    ts: SystemTime,
}

struct Dist;
impl Value for Dist {
    fn write(&self, writer: impl ValueWriter) {
        writer.metric(
            [Observation::Unsigned(3), Observation::Floating(1.5)],
            Unit::Count,
            [("Az", "a")],
            metrique_writer::MetricFlags::empty(),
        );
    }
}

impl Entry for Kitchen {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.timestamp(self.ts);
        w.value("Operation", "Get");
        w.value("Count", &3u64);
        w.value("Signed", &-4i64);
        w.value("Ratio", &0.25f64);
        w.value("Success", &true);
        w.value("Latency", &Duration::from_millis(12));
        w.value("Tags", &vec!["a", "b", "c"]);
        w.value("Numbers", &vec![1u64, 2]);
        w.value("Absent", &None::<u64>);
        w.value("Dist", &Dist);
        w.value(
            "Mean",
            &Observation::Repeated {
                total: 10.0,
                occurrences: 4,
            },
        );
    }
}

#[test]
fn converts_every_kind_of_value() {
    let ts = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let e = to_test_entry(&Kitchen { ts });
    assert_eq!(e.timestamp, Some(ts));
    assert_eq!(e.values["Operation"], "Get");
    assert_eq!(e.metrics["Count"], 3u64);
    assert_eq!(e.metrics["Count"].as_u64(), 3);
    assert_eq!(e.metrics["Signed"], -4i64);
    assert_eq!(e.metrics["Ratio"], 0.25);
    assert!(e.metrics["Ratio"] < 1.0);
    assert!(e.metrics["Count"] > 2u64);
    assert_eq!(e.metrics["Success"], true);
    assert!(e.metrics["Success"].as_bool());
    assert_eq!(e.metrics["Latency"], 12.0);
    assert_eq!(
        e.metrics["Latency"].unit,
        Unit::Second(metrique_writer::unit::NegativeScale::Milli)
    );
    // lists become comma-joined strings
    assert_eq!(e.values["Tags"], "a,b,c");
    assert_eq!(e.values["Numbers"], "1,2");
    assert!(!e.metrics.contains_key("Absent") && !e.values.contains_key("Absent"));
    let dist = &e.metrics["Dist"];
    assert_eq!(dist.num_observations(), 2);
    assert_eq!(dist.unit, Unit::Count);
    assert_eq!(dist.dimensions, vec![("Az".to_owned(), "a".to_owned())]);
    assert_eq!(dist.flatten_and_sort(), vec![1.5, 3.0]);
    assert_ne!(*dist, 3u64, "a distribution is not a single value");
    assert_eq!(e.metrics["Mean"].flatten_and_sort(), vec![2.5; 4]);
}

#[test]
#[should_panic(expected = "keys present: [\"Id\", \"Thread\"]")]
fn missing_metric_lists_the_keys_present() {
    let e = to_test_entry(&Req { id: 1, thread: 2 });
    let _ = &e.metrics["Latency"];
}

#[test]
#[should_panic(expected = "metric returned an error")]
fn value_errors_panic() {
    to_test_entry(&Invalid);
}

#[test]
#[should_panic(expected = "metric holds 2 observations")]
fn as_u64_of_a_distribution_panics() {
    to_test_entry(&Kitchen {
        ts: SystemTime::now(),
    })
    .metrics["Dist"]
        .as_u64();
}

#[test]
fn inspector_sees_entries_in_append_order() {
    let sink = test_entry_sink();
    for id in 0..3 {
        sink.sink.append(Req { id, thread: 9 });
    }
    let entries = sink.inspector.entries();
    assert_eq!(entries.len(), 3);
    assert_eq!(sink.inspector.get(2).metrics["Id"], 2u64);
    assert_eq!(entries[0].values["Operation"], "Get");
}

#[test]
fn destructures_like_upstream() {
    let metrique_writer::test_util::TestEntrySink { inspector, sink } = test_entry_sink();
    sink.append(Req { id: 5, thread: 0 });
    assert_eq!(inspector.get(0).metrics["Id"], 5u64);
}

#[test]
fn render_entry_sink_keeps_the_formatted_text() {
    let (rendered, sink) = render_entry_sink(LineFormat);
    sink.append(Req { id: 1, thread: 2 });
    assert_eq!(
        rendered.entries(),
        vec!["Id=1 Thread=2 Operation=Get\n".to_owned()]
    );
    assert_eq!(rendered.to_string(), "Id=1 Thread=2 Operation=Get\n");
}

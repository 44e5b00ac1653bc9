//! `test_metric`: close a hand-written `#[metrics]`-like value, with timers, a timestamp and a
//! counter, and inspect what it writes.
#![cfg(feature = "test-util")]

use std::time::{Duration, UNIX_EPOCH};

use metrique_core::test_util::test_metric;
use metrique_core::timers::{Timer, Timestamp, TimestampValue};
use metrique_core::timesource::fakes::ManuallyAdvancedTimeSource;
use metrique_core::timesource::{TimeSource, set_time_source};
use metrique_core::{CloseValue, Counter, InflectableEntry, NameStyle};
use metrique_writer::EntryWriter;

/// What `#[metrics]` would generate for
/// `struct Request { operation: &'static str, latency: Timer, started: Timestamp, ducks: Counter }`.
struct Request {
    operation: &'static str,
    latency: Timer,
    started: Timestamp,
    ducks: Counter,
}

struct RequestEntry {
    operation: &'static str,
    latency: Duration,
    started: TimestampValue,
    ducks: u64,
}

impl CloseValue for Request {
    type Closed = RequestEntry;
    fn close(self) -> RequestEntry {
        RequestEntry {
            operation: self.operation.close(),
            latency: self.latency.close(),
            started: self.started.close(),
            ducks: self.ducks.close(),
        }
    }
}

impl<NS: NameStyle> InflectableEntry<NS> for RequestEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.timestamp(self.started.into());
        w.value("Operation", self.operation);
        w.value("Latency", &self.latency);
        w.value("Started", &self.started);
        w.value("Ducks", &self.ducks);
    }
}

#[test]
fn closes_and_inspects_with_a_fake_clock() {
    let clock = ManuallyAdvancedTimeSource::at_time(UNIX_EPOCH + Duration::from_micros(1_000_002));
    let _guard = set_time_source(TimeSource::custom(clock.clone()));

    let request = Request {
        operation: "Get",
        latency: Timer::start_now(),
        started: Timestamp::now(),
        ducks: Counter::new(0),
    };
    request.ducks.add(3);
    clock.advance(Duration::from_micros(1500));

    let entry = test_metric(request);
    assert_eq!(entry.values["Operation"], "Get");
    assert_eq!(entry.values["Started"], "1000.0020000000001");
    assert_eq!(entry.metrics["Latency"], 1.5);
    assert_eq!(entry.metrics["Ducks"], 3u64);
    assert_eq!(
        entry.timestamp,
        Some(UNIX_EPOCH + Duration::from_micros(1_000_002))
    );
}

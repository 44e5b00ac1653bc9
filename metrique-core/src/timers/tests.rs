use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique_writer::value::{FormattedValue, ValueFormatter};
use metrique_writer::{MetricFlags, Observation, Unit, ValidationError, Value, ValueWriter};

use super::*;
use crate::close::CloseValue;
use crate::timesource::fakes_impl::{ManuallyAdvancedTimeSource, StaticTimeSource};
use crate::timesource::{TimeSource, set_time_source};

/// What a value wrote.
#[derive(Debug, PartialEq)]
enum Written {
    Nothing,
    String(String),
    Metric(Vec<Observation>, Unit),
    Error,
}

struct Capture<'a>(&'a mut Written);

impl ValueWriter for Capture<'_> {
    fn string(self, value: &str) {
        *self.0 = Written::String(value.to_owned());
    }
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        *self.0 = Written::Metric(distribution.into_iter().collect(), unit);
    }
    fn error(self, _error: ValidationError) {
        *self.0 = Written::Error;
    }
}

fn written(value: &impl Value) -> Written {
    let mut out = Written::Nothing;
    value.write(Capture(&mut out));
    out
}

fn string_of(value: &impl Value) -> String {
    match written(value) {
        Written::String(s) => s,
        other => panic!("expected a string, got {other:?}"),
    }
}

fn formatted<F: ValueFormatter<V>, V>(value: &V) -> Written {
    written(&FormattedValue::<V, F>::new(value))
}

const T0: Duration = Duration::from_secs(1_700_000_000);

fn clock() -> (ManuallyAdvancedTimeSource, TimeSource) {
    let clock = ManuallyAdvancedTimeSource::at_time(UNIX_EPOCH + T0);
    let ts = TimeSource::custom(clock.clone());
    (clock, ts)
}

#[test]
fn timer_closes_to_elapsed_time_at_close() {
    let (clock, ts) = clock();
    let timer = Timer::start_now_with_timesource(&ts);
    clock.advance(Duration::from_micros(1500));
    assert_eq!((&timer).close(), Duration::from_micros(1500));
    clock.advance(Duration::from_micros(500));
    assert_eq!(timer.close(), Duration::from_millis(2));
}

#[test]
fn timer_stop_is_idempotent() {
    let (clock, ts) = clock();
    let mut timer = Timer::start_now_with_timesource(ts);
    clock.advance(Duration::from_millis(4));
    assert_eq!(timer.stop(), Duration::from_millis(4));
    clock.advance(Duration::from_millis(4));
    assert_eq!(timer.stop(), Duration::from_millis(4));
    assert!(timer.is_stopped());
    assert_eq!(timer.close(), Duration::from_millis(4));
}

#[test]
fn timer_uses_the_thread_local_source() {
    let (clock, ts) = clock();
    let _guard = set_time_source(ts);
    let timer = Timer::default();
    clock.advance(Duration::from_millis(7));
    assert_eq!(timer.close(), Duration::from_millis(7));
}

#[test]
fn duration_value_is_milliseconds() {
    assert_eq!(
        written(&Duration::from_micros(1500)),
        Written::Metric(
            vec![Observation::Floating(1.5)],
            Unit::Second(metrique_writer::unit::NegativeScale::Milli)
        )
    );
}

#[test]
fn stopwatch_accumulates_samples() {
    let (clock, ts) = clock();
    let mut sw = Stopwatch::new_from_timesource(ts);
    assert_eq!((&sw).close(), None);
    let guard = sw.start();
    clock.advance(Duration::from_millis(1));
    drop(guard);
    assert_eq!((&sw).close(), Some(Duration::from_millis(1)));
    let guard = sw.start();
    clock.advance(Duration::from_millis(2));
    assert_eq!(guard.stop(), Duration::from_millis(2));
    assert_eq!((&sw).close(), Some(Duration::from_millis(3)));
    // Time outside samples does not count.
    clock.advance(Duration::from_secs(1));
    assert_eq!(sw.close(), Some(Duration::from_millis(3)));
}

#[test]
fn stopwatch_discard_overwrite_clear() {
    let (clock, ts) = clock();
    let mut sw = Stopwatch::new_from_timesource(ts);
    let guard = sw.start();
    clock.advance(Duration::from_millis(5));
    guard.discard();
    assert_eq!(sw.total(), None);

    drop(sw.start());
    let guard = sw.start();
    clock.advance(Duration::from_millis(5));
    drop(guard);
    let guard = sw.start();
    clock.advance(Duration::from_millis(2));
    assert_eq!(guard.overwrite(), Duration::from_millis(2));
    assert_eq!(sw.total(), Some(Duration::from_millis(2)));

    sw.clear();
    assert_eq!(sw.total(), None);
}

#[test]
fn stopwatch_owned_guard_outlives_the_borrow() {
    let (clock, ts) = clock();
    let mut sw = Stopwatch::new_from_timesource(ts);
    let guard = sw.start();
    clock.advance(Duration::from_millis(1));
    drop(guard);

    let owned = sw.start_owned();
    clock.advance(Duration::from_millis(10));
    std::thread::spawn(move || drop(owned)).join().unwrap();
    assert_eq!(sw.total(), Some(Duration::from_millis(11)));

    // Borrowed guards keep working on shared storage.
    let guard = sw.start();
    clock.advance(Duration::from_millis(1));
    drop(guard);
    let owned = sw.start_owned();
    clock.advance(Duration::from_millis(3));
    assert_eq!(owned.overwrite(), Duration::from_millis(3));
    let owned = sw.start_owned();
    owned.discard();
    assert_eq!(sw.close(), Some(Duration::from_millis(3)));
}

#[test]
fn stopwatch_clear_shared() {
    let (clock, ts) = clock();
    let mut sw = Stopwatch::new_from_timesource(ts);
    let owned = sw.start_owned();
    clock.advance(Duration::from_millis(1));
    assert_eq!(owned.stop(), Duration::from_millis(1));
    sw.clear();
    assert_eq!((&sw).close(), None);
}

#[test]
fn timestamp_reads_the_source_once_at_creation() {
    let (clock, ts) = clock();
    let _guard = set_time_source(ts.clone());
    let now = Timestamp::now();
    let from_source = Timestamp::new_from_time_source(&ts);
    let on_close = TimestampOnClose::default();
    clock.advance(Duration::from_secs(3));
    assert_eq!(now.close().duration_since_epoch(), T0);
    assert_eq!(from_source.close().duration_since_epoch(), T0);
    assert_eq!(
        on_close.close().duration_since_epoch(),
        T0 + Duration::from_secs(3)
    );
    assert_eq!(
        Timestamp::default().close().duration_since_epoch(),
        T0 + Duration::from_secs(3)
    );
}

#[test]
fn timestamp_value_conversions() {
    let t = UNIX_EPOCH + Duration::from_millis(1500);
    let v = Timestamp::new(t).close();
    assert_eq!(SystemTime::from(v), t);
    assert_eq!(TimestampValue::new(t), v);
    #[allow(clippy::needless_borrows_for_generic_args)]
    // the by-reference form is the API under test
    let by_ref = TimestampValue::new(&t);
    assert_eq!(by_ref, v);
    assert_eq!(v.duration_since_epoch(), Duration::from_millis(1500));
    let before_epoch = TimestampValue::new(UNIX_EPOCH - Duration::from_secs(1));
    assert_eq!(before_epoch.duration_since_epoch(), Duration::ZERO);
}

#[test]
fn timestamp_value_is_epoch_millis_string() {
    let v = TimestampValue::new(UNIX_EPOCH + Duration::from_micros(1_000_002));
    assert_eq!(string_of(&v), "1000.0020000000001");
    let v = TimestampValue::new(UNIX_EPOCH + Duration::from_secs(1));
    assert_eq!(string_of(&v), "1000.0");
    let v = TimestampValue::new(UNIX_EPOCH + T0 + Duration::from_millis(123));
    assert_eq!(string_of(&v), "1700000000123.0");
}

#[test]
fn epoch_formatters() {
    let v = TimestampValue::new(UNIX_EPOCH + Duration::from_micros(1_000_002));
    let s = |w: Written| match w {
        Written::String(s) => s,
        other => panic!("expected a string, got {other:?}"),
    };
    assert_eq!(s(formatted::<EpochSeconds, _>(&v)), "1.000002");
    assert_eq!(s(formatted::<EpochMillis, _>(&v)), "1000.0020000000001");
    assert_eq!(s(formatted::<EpochMicros, _>(&v)), "1000002");

    let t: SystemTime = v.into();
    assert_eq!(s(formatted::<EpochMicros, _>(&t)), "1000002");
    assert_eq!(s(formatted::<EpochSeconds, _>(&Some(v))), "1.000002");
    assert_eq!(
        s(formatted::<EpochMillis, _>(&Some(t))),
        "1000.0020000000001"
    );
    assert_eq!(
        formatted::<EpochSeconds, Option<TimestampValue>>(&None),
        Written::Nothing
    );
    assert_eq!(
        formatted::<EpochMicros, Option<SystemTime>>(&None),
        Written::Nothing
    );
}

#[test]
fn static_source_timer_reads_zero() {
    let ts = TimeSource::custom(StaticTimeSource::at_time(UNIX_EPOCH));
    let mut timer = Timer::start_now_with_timesource(ts);
    assert_eq!(timer.stop(), Duration::ZERO);
}

//! The value-side runtime through `#[metrics]`: timers, timestamps, counters, std atomics,
//! `Mutex`, `OnceLock`, `State` and `Instrumented`, inspected with `test_metric`.
#![cfg(feature = "state")]

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use metrique::instrument::Instrumented;
use metrique::test_util::test_metric;
use metrique::timers::{EpochMicros, EpochSeconds, Stopwatch, Timer, Timestamp, TimestampOnClose};
use metrique::timesource::fakes::ManuallyAdvancedTimeSource;
use metrique::timesource::{TimeSource, set_time_source};
use metrique::unit::Microsecond;
use metrique::unit_of_work::metrics;
use metrique::{Counter, CounterGuard, OwnedCounterGuard};
use metrique_util::State;

static INSTANCE_ID: OnceLock<String> = OnceLock::new();

#[metrics(subfield_owned)]
#[derive(Clone)]
struct Config {
    version: u64,
    region: String,
}

#[metrics(subfield_owned)]
struct ServerInfo {
    instance_id: &'static OnceLock<String>,
}

#[metrics(subfield)]
#[derive(Default)]
struct Library {
    bytes: u64,
    #[metrics(unit = Microsecond)]
    latency: Timer,
}

#[metrics(rename_all = "PascalCase")]
struct Request<'a> {
    #[metrics(timestamp)]
    start: Timestamp,
    #[metrics(format = EpochSeconds)]
    started_s: Timestamp,
    #[metrics(format = EpochMicros)]
    ended_us: TimestampOnClose,
    ended: TimestampOnClose,
    latency: Timer,
    waiting: Stopwatch,
    ducks: Counter,
    in_flight: CounterGuard<'a>,
    owned_in_flight: OwnedCounterGuard,
    atomic: AtomicU64,
    locked: Mutex<u64>,
    once: OnceLock<u64>,
    #[metrics(flatten)]
    server: ServerInfo,
    #[metrics(flatten, prefix = "config_")]
    config: State<Config>,
    #[metrics(flatten, prefix = "lib_")]
    library: Option<Library>,
}

#[test]
fn everything_closes_through_the_macro() {
    INSTANCE_ID.get_or_init(|| "i-1".to_owned());
    let clock = ManuallyAdvancedTimeSource::at_time(UNIX_EPOCH + Duration::from_micros(1_000_002));
    let _guard = set_time_source(TimeSource::custom(clock.clone()));

    static IN_FLIGHT: Counter = Counter::new(0);
    let owned = Arc::new(Counter::new(10));
    let config = State::new(Config {
        version: 1,
        region: "eu".into(),
    });

    let mut req = Request {
        start: Timestamp::now(),
        started_s: Timestamp::now(),
        ended_us: TimestampOnClose::default(),
        ended: TimestampOnClose::default(),
        latency: Timer::start_now(),
        waiting: Stopwatch::new(),
        ducks: Counter::new(0),
        in_flight: IN_FLIGHT.increment_scoped().0,
        owned_in_flight: owned.increment_owned().0,
        atomic: AtomicU64::new(4),
        locked: Mutex::new(5),
        once: OnceLock::new(),
        server: ServerInfo {
            instance_id: &INSTANCE_ID,
        },
        config: config.clone(),
        library: None,
    };
    req.ducks.add(3);
    {
        let _w = req.waiting.start();
        clock.advance(Duration::from_micros(500));
    }
    clock.advance(Duration::from_millis(1));
    let value = Instrumented::instrument(Library::default(), |lib| {
        lib.bytes = 9;
        "parsed"
    })
    .split_metrics_to(&mut req.library);
    assert_eq!(value, "parsed");
    config.store(Arc::new(Config {
        version: 2,
        region: "us".into(),
    }));

    let e = test_metric(req);
    assert_eq!(
        e.timestamp,
        Some(UNIX_EPOCH + Duration::from_micros(1_000_002))
    );
    assert_eq!(e.values["StartedS"], "1.000002");
    assert_eq!(e.values["EndedUs"], "1001502");
    assert_eq!(e.values["Ended"], "1001.5019999999998"); // as_secs_f64() * 1000, as upstream
    assert_eq!(e.metrics["Latency"], 1.5);
    assert_eq!(e.metrics["Waiting"], 0.5);
    assert_eq!(e.metrics["Ducks"], 3u64);
    assert_eq!(e.metrics["InFlight"], 1u64);
    assert_eq!(e.metrics["OwnedInFlight"], 11u64);
    assert_eq!(e.metrics["Atomic"], 4u64);
    assert_eq!(e.metrics["Locked"], 5u64);
    assert!(!e.metrics.contains_key("Once"));
    assert_eq!(e.values["InstanceId"], "i-1");
    // The request's handle was never read, so it pinned the latest version at close.
    assert_eq!(e.metrics["ConfigVersion"], 2u64);
    assert_eq!(e.values["ConfigRegion"], "us");
    assert_eq!(e.metrics["LibBytes"], 9u64);
    assert_eq!(e.metrics["LibLatency"], 0.0);
    assert_eq!(IN_FLIGHT.get(), 0);
    assert_eq!(owned.get(), 10);
}

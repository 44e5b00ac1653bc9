//! The basic unit-of-work pattern: one `#[metrics]` record per request, appended to the global
//! `ServiceMetrics` sink when its guard drops, written as EMF on stdout by a background queue.
//!
//! ```sh
//! cargo run --example unit-of-work-simple
//! ```

use std::time::Duration;

use metrique::ServiceMetrics;
use metrique::emf::Emf;
use metrique::timers::{Timer, Timestamp};
use metrique::unit::Millisecond;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};

/// One record per request. Field names are written in PascalCase.
#[metrics(rename_all = "PascalCase")]
struct RequestMetrics {
    /// A string property (and the EMF dimension declared below).
    operation: &'static str,
    /// The record's timestamp, taken when the request starts.
    #[metrics(timestamp)]
    timestamp: Timestamp,
    /// Stops when the record closes (at the end of the request), written in milliseconds.
    operation_time: Timer,
    /// A plain counter field.
    number_of_ducks: usize,
    /// An optional field: absent when `None`.
    #[metrics(unit = Millisecond)]
    backend_latency: Option<Duration>,
}

impl RequestMetrics {
    /// Starts the record for one request; it is emitted when the returned guard drops.
    fn init(operation: &'static str) -> RequestMetricsGuard {
        RequestMetrics {
            operation,
            timestamp: Timestamp::now(),
            operation_time: Timer::start_now(),
            number_of_ducks: 0,
            backend_latency: None,
        }
        .append_on_drop(ServiceMetrics::sink())
    }
}

fn count_ducks(pond: &[&str]) -> usize {
    let mut metrics = RequestMetrics::init("CountDucks");
    metrics.number_of_ducks = pond.iter().filter(|b| **b == "duck").count();
    metrics.backend_latency = Some(Duration::from_micros(1250));
    metrics.number_of_ducks
} // the guard drops here: the timer stops and the record is queued

fn main() {
    // Once, in main: where records go. `Operation` is a dimension of every metric.
    let handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("Ducks".to_string(), vec![vec!["Operation".to_string()]])
            .output_to(std::io::stdout()),
    );

    for pond in [&["duck", "goose", "duck"][..], &["duck"][..]] {
        let ducks = count_ducks(pond);
        eprintln!("counted {ducks} ducks");
    }

    // Dropping the handle drains the queue and flushes stdout: nothing appended is lost.
    drop(handle);
}

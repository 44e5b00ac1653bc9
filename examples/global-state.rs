//! Put **process-wide state** into per-request records.
//!
//! ```text
//! cargo run --example global-state
//! ```
//!
//! Three kinds of shared state, each closing into the record in its own way:
//!
//! - [`State<T>`](metrique_util::State): a configuration that a background task replaces
//!   from time to time. Each request clones the long-lived handle; the clone pins the value
//!   it first reads (`snapshot()`), so the record reports exactly the configuration the
//!   request used, even if it was reloaded meanwhile.
//! - [`Counter::increment_scoped`] on a `static` counter: an in-flight gauge. It returns the
//!   new count and a guard that decrements the counter when dropped.
//! - A `static OnceLock<String>` set once at startup (an instance id), read through a
//!   `&'static OnceLock` field; it closes to `None` if it was never set.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrique::emf::Emf;
use metrique::timers::Timer;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{Counter, ServiceMetrics};
use metrique_util::State;

/// Requests currently being handled.
static IN_FLIGHT: Counter = Counter::new(0);

/// Set once at startup.
static INSTANCE_ID: OnceLock<String> = OnceLock::new();

/// The reloadable configuration. `Clone` because `State` hands out snapshots.
#[metrics(subfield_owned)]
#[derive(Debug, Clone)]
struct Config {
    version: u64,
    feature_enabled: bool,
}

/// Process-wide facts, closed by value (`subfield_owned`) because the `OnceLock<String>`
/// closes to an owned `Option<String>`.
#[metrics(subfield_owned)]
struct ServerInfo {
    instance_id: &'static OnceLock<String>,
}

#[metrics(rename_all = "PascalCase")]
struct RequestMetrics {
    operation: &'static str,
    latency: Timer,
    /// Requests in flight when this one started (itself included).
    in_flight: u64,
    #[metrics(flatten, prefix = "Config")]
    config: State<Config>,
    #[metrics(flatten)]
    server: ServerInfo,
}

async fn handle_request(request: u64, config: State<Config>) {
    let (_in_flight, in_flight) = IN_FLIGHT.increment_scoped();
    let metrics = RequestMetrics {
        operation: "Greet",
        latency: Timer::start_now(),
        in_flight,
        config,
        server: ServerInfo {
            instance_id: &INSTANCE_ID,
        },
    }
    .append_on_drop(ServiceMetrics::sink());

    // The first read pins the configuration for this request.
    let config = metrics.config.snapshot();
    let work = if config.feature_enabled { 15 } else { 5 };
    tokio::time::sleep(Duration::from_millis(work + request % 7)).await;
    // `metrics` drops here (and then `_in_flight`, which decrements the gauge).
}

#[tokio::main]
async fn main() {
    let attach_handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("GlobalState".to_owned(), vec![vec![]]).output_to(std::io::stdout()),
    );
    INSTANCE_ID
        .set(format!("instance-{}", std::process::id()))
        .expect("set once");

    // One long-lived handle; a background task reloads the configuration every 10 ms.
    let config = State::new(Config {
        version: 1,
        feature_enabled: false,
    });
    let reloader = tokio::spawn({
        let config = config.clone();
        async move {
            for version in 2.. {
                tokio::time::sleep(Duration::from_millis(10)).await;
                config.store(Arc::new(Config {
                    version,
                    feature_enabled: version.is_multiple_of(2),
                }));
            }
        }
    });

    // Ten concurrent requests, started 3 ms apart: they see different versions and overlap.
    let mut requests = Vec::new();
    for request in 0..10 {
        requests.push(tokio::spawn(handle_request(request, config.clone())));
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    for request in requests {
        request.await.expect("request task");
    }
    reloader.abort();

    tokio::task::spawn_blocking(move || drop(attach_handle))
        .await
        .expect("drain");
}

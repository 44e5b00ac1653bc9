//! Fan a unit of work out to several threads and still emit **one** record for it.
//!
//! ```text
//! cargo run --example unit-of-work-fanout
//! ```
//!
//! Four tools, one per field group of [`RequestMetrics`]:
//!
//! 1. [`handle()`](metrique::AppendAndCloseOnDrop::handle) turns the guard into a cloneable
//!    `Arc`: each thread gets a clone, and the record is written when the last clone drops.
//!    Through a handle you only get `&RequestMetrics`, so the shared fields are atomics:
//!    [`Counter`] and a custom accumulator ([`MaxLatency`]).
//! 2. [`SharedChild`] is a cheap `Arc`'d sub-record that threads update directly. It is only
//!    written if every clone has been dropped by the time the parent closes.
//! 3. A [`Slot`] opened with [`OnParentDrop::Wait`] hands an owned sub-record to one thread,
//!    which fills it with plain (non-atomic) fields; the parent waits for it.
//! 4. A hand-written [`CloseValue`] type, for when no built-in one fits.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use metrique::emf::Emf;
use metrique::timers::Timer;
use metrique::unit::Microsecond;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{CloseValue, Counter, OnParentDrop, ServiceMetrics, SharedChild, Slot, SlotGuard};

/// The record for one "feed the ducks" request.
#[metrics(rename_all = "PascalCase")]
struct RequestMetrics {
    operation: &'static str,
    /// Runs until the record is closed, i.e. until the last handle/guard is gone.
    total_time: Timer,
    /// (1) Bumped by every worker through its handle clone.
    ducks_fed: Counter,
    /// (4) The slowest single feeding, in microseconds.
    #[metrics(unit = Microsecond)]
    slowest_feeding: MaxLatency,
    /// (2) Pond-wide statistics shared by all workers.
    #[metrics(flatten, prefix = "Pond")]
    pond: SharedChild<PondMetrics>,
    /// (3) Filled by the one thread that writes the report.
    #[metrics(flatten, prefix = "Report")]
    report: Slot<ReportMetrics>,
}

/// A sub-record updated concurrently: `subfield` closes it by reference, so its fields are
/// atomics.
#[metrics(subfield)]
#[derive(Default)]
struct PondMetrics {
    bread_crumbs: Counter,
    splashes: Counter,
}

/// A sub-record owned by one thread at a time: plain fields, mutated through the `SlotGuard`.
#[metrics(subfield_owned)]
#[derive(Default)]
struct ReportMetrics {
    lines: u64,
    written: bool,
}

/// (4) A custom accumulator: keeps the maximum of the values recorded into it.
///
/// Implementing [`CloseValue`] for `&MaxLatency` lets it close through the handle's `Arc`
/// (by reference); the by-value impl just reuses it.
#[derive(Default)]
struct MaxLatency(AtomicU64);

impl MaxLatency {
    fn record(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.0.fetch_max(micros, Ordering::Relaxed);
    }
}

impl CloseValue for &MaxLatency {
    type Closed = u64;
    fn close(self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl CloseValue for MaxLatency {
    type Closed = u64;
    fn close(self) -> u64 {
        (&self).close()
    }
}

fn feed_the_ducks() {
    let mut metrics = RequestMetrics {
        operation: "FeedTheDucks",
        total_time: Timer::start_now(),
        ducks_fed: Counter::new(0),
        slowest_feeding: MaxLatency::default(),
        pond: SharedChild::default(),
        report: Slot::default(),
    }
    .append_on_drop(ServiceMetrics::sink());

    // (3) Open the slot while we still own the guard (opening needs `&mut`). `Wait` hands the
    // slot a flush guard: the record is not written before the report thread is done.
    let flush_guard = metrics.flush_guard();
    let report: SlotGuard<ReportMetrics> = metrics
        .report
        .open(OnParentDrop::Wait(flush_guard))
        .expect("a slot opens once");

    // (1) From here on the record is shared: `handle()` wraps it in an `Arc`.
    let metrics = metrics.handle();

    let workers: Vec<_> = (1..=4u64)
        .map(|worker| {
            let metrics = metrics.clone();
            // (2) Each worker also gets its own clone of the shared child.
            let pond = metrics.pond.clone();
            thread::spawn(move || {
                for duck in 0..worker * 3 {
                    let start = std::time::Instant::now();
                    thread::sleep(Duration::from_micros(200 * (duck % 4 + 1)));
                    metrics.ducks_fed.increment();
                    pond.bread_crumbs.add(7);
                    if duck % 5 == 0 {
                        pond.splashes.increment();
                    }
                    metrics.slowest_feeding.record(start.elapsed());
                }
                // `metrics` and `pond` (this worker's clones) drop here.
            })
        })
        .collect();

    let reporter = thread::spawn(move || {
        let mut report = report;
        thread::sleep(Duration::from_millis(5));
        report.lines = 12;
        report.written = true;
        // Dropping the slot guard sends the report to the record, then releases the flush guard.
    });

    for worker in workers {
        worker.join().expect("worker panicked");
    }
    reporter.join().expect("reporter panicked");
    // The last handle: the record closes now (all SharedChild clones are gone, so the pond
    // statistics are included) and is written to the sink.
    drop(metrics);
}

fn main() {
    let _attach_handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("Ducks".to_owned(), vec![vec![]]).output_to(std::io::stdout()),
    );
    feed_the_ducks();
    // `_attach_handle` drops at the end of `main`: the queue is drained before exiting.
}

//! Choose **when** a record is written: wait for background work, but not forever.
//!
//! ```text
//! cargo run --example configuring-delay-flush-time
//! ```
//!
//! By default a record is written when its guard drops. Two guards change that:
//!
//! - [`flush_guard()`](metrique::AppendAndCloseOnDrop::flush_guard) returns a
//!   [`FlushGuard`](metrique::FlushGuard): the record waits until the owner *and every*
//!   flush guard are gone. `Slot::open(OnParentDrop::Wait(flush_guard))` ties one to a slot,
//!   so the record waits for the slot's data.
//! - [`force_flush_guard()`](metrique::AppendAndCloseOnDrop::force_flush_guard) returns a
//!   [`ForceFlushGuard`](metrique::ForceFlushGuard): dropping *any* of them ends the waiting.
//!   Drop one after a timeout and the record is written on time even if a background task is
//!   stuck; whatever that task reports later is lost.
//!
//! The record is closed when it is written, so `TotalTime` below measures up to that moment.
//! This program runs two requests: one whose audit finishes within the 100 ms budget (its
//! record has `AuditEntries`), and one whose audit is stuck (its record is written at the
//! timeout, without them).
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::sync::Arc;
use std::time::Duration;

use metrique::emf::Emf;
use metrique::timers::Timer;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{Counter, OnParentDrop, ServiceMetrics, Slot};

#[metrics(rename_all = "PascalCase")]
struct RequestMetrics {
    operation: &'static str,
    /// Stops when the record is written (after the audit, or at the timeout).
    total_time: Timer,
    /// Stopped by the handler when the response is ready.
    response_time: Timer,
    /// Bumped by the background task while it runs. An `Arc` of an atomic can be shared
    /// without keeping the record alive (a `handle()` clone would: the record is only written
    /// once its owner is gone, even when forced).
    audit_steps: Arc<Counter>,
    #[metrics(flatten, prefix = "Audit")]
    audit: Slot<AuditMetrics>,
}

#[metrics(subfield_owned)]
#[derive(Default)]
struct AuditMetrics {
    entries: u64,
}

/// How long a record may wait for its background work.
const FLUSH_BUDGET: Duration = Duration::from_millis(100);

/// Handle one request whose audit takes `audit_time`; returns the audit task so `main` can
/// wait for it before exiting.
fn handle_request(operation: &'static str, audit_time: Duration) -> tokio::task::JoinHandle<()> {
    let mut metrics = RequestMetrics {
        operation,
        total_time: Timer::start_now(),
        response_time: Timer::start_now(),
        audit_steps: Arc::new(Counter::new(0)),
        audit: Slot::default(),
    }
    .append_on_drop(ServiceMetrics::sink());

    // The audit slot holds a flush guard: the record waits for the audit...
    let flush_guard = metrics.flush_guard();
    let mut audit = metrics
        .audit
        .open(OnParentDrop::Wait(flush_guard))
        .expect("a slot opens once");

    // ... but at most FLUSH_BUDGET: dropping a force flush guard ends the wait.
    let force_flush = metrics.force_flush_guard();
    tokio::spawn(async move {
        tokio::time::sleep(FLUSH_BUDGET).await;
        drop(force_flush);
    });

    let steps = Arc::clone(&metrics.audit_steps);
    let task = tokio::spawn(async move {
        for _ in 0..4 {
            tokio::time::sleep(audit_time / 4).await;
            steps.increment();
        }
        audit.entries = 42;
        // Dropping `audit` delivers the entries (if the record is still waiting) and
        // releases the flush guard. After a forced flush, they are simply dropped.
        drop(audit);
    });
    metrics.response_time.stop();
    // The owner drops here; the record is written when the audit reports or at the timeout.
    task
}

#[tokio::main]
async fn main() {
    let attach_handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("DelayedFlush".to_owned(), vec![vec![]]).output_to(std::io::stdout()),
    );

    let fast = handle_request("FastAudit", Duration::from_millis(20));
    let stuck = handle_request("StuckAudit", Duration::from_millis(400));
    fast.await.expect("audit task");
    stuck.await.expect("audit task");
    eprintln!("both audits are done; the stuck one reported after its record was written");

    // Drain the queue (blocking) off the runtime's worker threads.
    tokio::task::spawn_blocking(move || drop(attach_handle))
        .await
        .expect("drain");
}

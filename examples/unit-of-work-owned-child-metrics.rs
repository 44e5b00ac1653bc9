//! Hand **owned** pieces of a record to other threads and tasks with [`Slot`]s.
//!
//! ```text
//! cargo run --example unit-of-work-owned-child-metrics
//! ```
//!
//! A [`Slot<T>`](Slot) is a one-shot hand-off: `open()` returns a [`SlotGuard<T>`](SlotGuard)
//! that you can move anywhere (a thread, a tokio task). Whoever holds it mutates `T` with
//! plain field writes, no atomics; when the guard drops, `T` is closed and sent back to the
//! parent record. What the parent does if the child isn't done yet is chosen at `open()`:
//!
//! - [`OnParentDrop::Discard`]: the parent doesn't wait; late data is dropped. Use
//!   [`Slot::wait_for_data`] when you do want to wait at some point.
//! - [`OnParentDrop::Wait`]: the slot holds a flush guard of the parent, so the parent record
//!   is written only after the child reports.
// Examples talk to the user on stdout/stderr by design.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::thread;
use std::time::Duration;

use metrique::emf::Emf;
use metrique::timers::Timer;
use metrique::unit_of_work::metrics;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{OnParentDrop, ServiceMetrics, Slot, SlotGuard};

#[metrics(rename_all = "PascalCase")]
struct CheckoutMetrics {
    operation: &'static str,
    latency: Timer,
    /// Filled by a tokio task (`Discard` + `wait_for_data`).
    #[metrics(flatten, prefix = "Inventory")]
    inventory: Slot<InventoryMetrics>,
    /// Filled by a plain thread (`Wait`).
    #[metrics(flatten, prefix = "Receipt")]
    receipt: Slot<ReceiptMetrics>,
}

#[metrics(subfield_owned)]
#[derive(Default)]
struct InventoryMetrics {
    items_checked: u64,
    out_of_stock: u64,
    latency: Timer,
}

#[metrics(subfield_owned)]
#[derive(Default)]
struct ReceiptMetrics {
    pages: u64,
    emailed: bool,
}

/// Runs in a tokio task: owns its part of the record.
async fn check_inventory(mut metrics: SlotGuard<InventoryMetrics>, items: u64) {
    metrics.latency = Timer::start_now();
    for item in 0..items {
        tokio::time::sleep(Duration::from_millis(1)).await;
        metrics.items_checked += 1;
        if item % 4 == 3 {
            metrics.out_of_stock += 1;
        }
    }
    metrics.latency.stop();
    // `metrics` drops here: the sub-record is closed and sent to the parent.
}

/// Runs on a plain thread.
fn print_receipt(mut metrics: SlotGuard<ReceiptMetrics>) {
    thread::sleep(Duration::from_millis(10));
    metrics.pages = 2;
    metrics.emailed = true;
}

async fn checkout() -> thread::JoinHandle<()> {
    let mut metrics = CheckoutMetrics {
        operation: "Checkout",
        latency: Timer::start_now(),
        inventory: Slot::default(),
        receipt: Slot::default(),
    }
    .append_on_drop(ServiceMetrics::sink());

    // A tokio task; we'll wait for its data explicitly below.
    let inventory = metrics
        .inventory
        .open(OnParentDrop::Discard)
        .expect("a slot opens once");
    tokio::spawn(check_inventory(inventory, 8));

    // A thread we never join: `Wait` keeps the record open until the receipt is done.
    let flush_guard = metrics.flush_guard();
    let receipt = metrics
        .receipt
        .open(OnParentDrop::Wait(flush_guard))
        .expect("a slot opens once");
    let receipt_thread = thread::spawn(move || print_receipt(receipt));

    // Without this, the inventory data would be lost if the task were still running when
    // `metrics` drops (`Discard`). `wait_for_data` resolves to the closed sub-record, or to
    // `None` if the task dropped its guard without sending (e.g. it panicked).
    let inventory = metrics.inventory.wait_for_data().await;
    eprintln!("inventory reported: {}", inventory.is_some());
    metrics.latency.stop();
    receipt_thread
    // `metrics` drops here; the record is written once the receipt thread reports too.
}

#[tokio::main]
async fn main() {
    let attach_handle = ServiceMetrics::attach_to_stream(
        Emf::all_validations("Shop".to_owned(), vec![vec![]]).output_to(std::io::stdout()),
    );
    let receipt_thread = checkout().await;
    // Wait for the receipt thread (its slot guard releases the record), then drain the queue.
    // Both block, so do them off the runtime's worker threads.
    tokio::task::spawn_blocking(move || {
        receipt_thread.join().expect("receipt thread panicked");
        drop(attach_handle);
    })
    .await
    .expect("drain");
}

//! Testing metrics: pass the sink in (so tests can pass a test sink), assert on the records with
//! `metrique::test_util`, and pin the clock with a fake time source so durations are exact.
//!
//! ```sh
//! cargo run --example testing --features test-util
//! ```

use std::time::{Duration, UNIX_EPOCH};

use metrique::test_util::{TestEntrySink, test_entry_sink};
use metrique::timers::{Timer, Timestamp};
use metrique::timesource::{TimeSource, set_time_source};
use metrique::unit_of_work::metrics;
use metrique::writer::{BoxEntrySink, Unit};

#[metrics(rename_all = "PascalCase")]
struct PlaceOrder {
    #[metrics(timestamp)]
    timestamp: Timestamp,
    items: usize,
    payment_time: Timer,
}

/// The code under test takes its sink as a parameter instead of reaching for a global.
async fn place_order(items: usize, sink: BoxEntrySink) {
    let mut metrics = PlaceOrder {
        timestamp: Timestamp::now(),
        items: 0,
        payment_time: Timer::start_now(),
    }
    .append_on_drop(sink);
    metrics.items = items;
    tokio::time::sleep(Duration::from_millis(250)).await; // "calls the payment service"
    metrics.payment_time.stop();
}

fn main() {
    // Paused tokio time: sleeps complete instantly and the clock advances exactly.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("runtime");
    let TestEntrySink { inspector, sink } = test_entry_sink();
    rt.block_on(async {
        // Timers and timestamps read this clock (tokio's, starting at the epoch) on this thread.
        let _clock = set_time_source(TimeSource::tokio(UNIX_EPOCH));
        place_order(3, sink).await;
    });

    let entries = inspector.entries();
    assert_eq!(entries.len(), 1);
    let order = &entries[0];
    assert_eq!(order.timestamp, Some(UNIX_EPOCH));
    assert_eq!(order.metrics["Items"], 3u64);
    assert_eq!(order.metrics["PaymentTime"], 250.0);
    assert_eq!(
        order.metrics["PaymentTime"].unit,
        Unit::Second(metrique::writer::unit::NegativeScale::Milli)
    );
    println!("ok: one PlaceOrder record, Items = 3, PaymentTime = 250 ms at the epoch");
}

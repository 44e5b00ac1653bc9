//! The concurrency snippets of seed 001 (flush guards, `Slot` with `OnParentDrop::Discard` and
//! `Wait`, `handle()` + `Counter` fan-out) run as written, and emit what the guide says.
#![cfg(feature = "test-util")]
#![allow(dead_code)]
// The seed spawns `async move { call_downstream_service(g) }` without `.await`; kept as written.
#![allow(clippy::async_yields_async)]

use std::time::{Duration, Instant};

use metrique::test_util::{Inspector, TestEntry, test_entry_sink};

/// Waits (up to 10 s) until `n` entries have been captured.
async fn wait_for(inspector: &Inspector, n: usize) -> Vec<TestEntry> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let entries = inspector.entries();
        if entries.len() >= n || Instant::now() > deadline {
            return entries;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

mod slots {
    use super::*;
    use metrique::unit_of_work::metrics;
    use metrique::writer::GlobalEntrySink;
    use metrique::{OnParentDrop, ServiceMetrics, Slot, SlotGuard};

    // --- the seed's code, as written ---

    #[metrics(rename_all = "PascalCase")]
    struct RequestMetrics {
        operation: &'static str,
        // When using a nested field, you must explicitly flatten the fields into the root
        // metric. The slot is closed on drop, which collects results.
        #[metrics(flatten)]
        downstream_operation: Slot<DownstreamMetrics>,
    }

    impl RequestMetrics {
        fn init(operation: &'static str) -> RequestMetricsGuard {
            RequestMetrics {
                operation,
                downstream_operation: Default::default(),
            }
            .append_on_drop(ServiceMetrics::sink())
        }
    }

    // sub-fields can also be declared with `#[metrics]`
    #[metrics(subfield)]
    #[derive(Default)]
    struct DownstreamMetrics {
        number_of_ducks: usize,
    }

    async fn handle_request_discard() {
        let mut metrics = RequestMetrics::init("DoSomething");
        let downstream_metrics = metrics
            .downstream_operation
            .open(OnParentDrop::Discard)
            .unwrap();
        // NOTE: if `downstream_metrics` is not dropped before `metrics` (the parent object),
        // no data associated with `downstream_metrics` will be emitted
        tokio::task::spawn(async move { call_downstream_service(downstream_metrics) });
        // If you want to ensure you don't drop data from a slot if background is still in-flight, you can wait explicitly:
        metrics.downstream_operation.wait_for_data().await;
    }

    async fn handle_request_on_parent_wait() {
        let mut metrics = RequestMetrics::init("DoSomething");
        let guard = metrics.flush_guard();
        let downstream_metrics = metrics
            .downstream_operation
            .open(OnParentDrop::Wait(guard))
            .unwrap();
        // NOTE: if `downstream_metrics` is not dropped before `metrics` (the parent object),
        // no data associated with `downstream_metrics` will be emitted
        tokio::task::spawn(async move { call_downstream_service(downstream_metrics) });
        // The metric will be emitted when the downstream service finishes
    }

    async fn call_downstream_service(mut metrics: SlotGuard<DownstreamMetrics>) {
        // can mutate the struct directly w/o using atomics.
        metrics.number_of_ducks += 1
    }

    // --- behaviour ---

    /// The seed's spawned block builds `call_downstream_service(..)` without awaiting it, so the
    /// guard drops unmodified: the slot still reports (0 ducks) before the parent is emitted.
    #[tokio::test]
    async fn discard_with_wait_for_data_as_written() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        handle_request_discard().await;
        let e = test.inspector.get(0);
        assert_eq!(e.values["Operation"], "DoSomething");
        assert_eq!(e.metrics["NumberOfDucks"], 0u64);
    }

    /// The same with the downstream call awaited: the child's write is collected.
    #[tokio::test]
    async fn discard_with_wait_for_data_collects_the_child() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        let mut metrics = RequestMetrics::init("DoSomething");
        let downstream = metrics
            .downstream_operation
            .open(OnParentDrop::Discard)
            .unwrap();
        tokio::task::spawn(async move { call_downstream_service(downstream).await });
        metrics.downstream_operation.wait_for_data().await;
        drop(metrics);
        assert_eq!(test.inspector.get(0).metrics["NumberOfDucks"], 1u64);
    }

    /// Without waiting, a parent dropped first is emitted without the child's fields.
    #[tokio::test]
    async fn discard_parent_first_omits_the_child() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        let mut metrics = RequestMetrics::init("DoSomething");
        let downstream = metrics
            .downstream_operation
            .open(OnParentDrop::Discard)
            .unwrap();
        drop(metrics);
        let e = test.inspector.get(0);
        assert!(!e.metrics.contains_key("NumberOfDucks"), "{e:?}");
        call_downstream_service(downstream).await; // writes into a dead record
        assert_eq!(test.inspector.entries().len(), 1);
    }

    /// "The metric will be emitted when the downstream service finishes."
    #[tokio::test]
    async fn on_parent_wait_as_written() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        handle_request_on_parent_wait().await;
        let entries = wait_for(&test.inspector, 1).await;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].metrics["NumberOfDucks"], 0u64);
    }

    /// With the downstream call awaited, the parent waits for the child's write.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_parent_wait_includes_the_child() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        let mut metrics = RequestMetrics::init("DoSomething");
        let guard = metrics.flush_guard();
        let downstream = metrics
            .downstream_operation
            .open(OnParentDrop::Wait(guard))
            .unwrap();
        let task = tokio::task::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            call_downstream_service(downstream).await
        });
        drop(metrics);
        assert!(
            test.inspector.entries().is_empty(),
            "the slot delays emission"
        );
        task.await.unwrap();
        let entries = wait_for(&test.inspector, 1).await;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].metrics["NumberOfDucks"], 1u64);
    }
}

mod atomics {
    use super::*;
    use metrique::unit_of_work::metrics;
    use metrique::writer::GlobalEntrySink;
    use metrique::{Counter, ServiceMetrics};

    // --- the seed's code, as written ---

    #[metrics(rename_all = "PascalCase")]
    struct RequestMetrics {
        operation: &'static str,
        number_of_concurrent_ducks: Counter,
    }

    impl RequestMetrics {
        fn init(operation: &'static str) -> RequestMetricsGuard {
            RequestMetrics {
                operation,
                number_of_concurrent_ducks: Default::default(),
            }
            .append_on_drop(ServiceMetrics::sink())
        }
    }

    fn count_concurrent_ducks() {
        #[allow(unused_mut)] // as written in the seed
        let mut metrics = RequestMetrics::init("CountDucks");
        // convenience function to wrap `entry` in an `Arc`. This makes a cloneable metrics handle.
        let handle = metrics.handle();
        for i in 0..10 {
            let handle = handle.clone();
            std::thread::spawn(move || {
                handle.number_of_concurrent_ducks.add(i);
            });
        }
        // Each handle is keeping the metric entry alive!
        // The metric will not be flushed until all handles are dropped!
    }

    // --- behaviour ---

    #[tokio::test]
    async fn handle_fan_out_emits_once_after_all_handles() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        count_concurrent_ducks();
        let entries = wait_for(&test.inspector, 1).await;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].values["Operation"], "CountDucks");
        assert_eq!(entries[0].metrics["NumberOfConcurrentDucks"], 45u64);
        // Exactly once.
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(test.inspector.entries().len(), 1);
    }
}

mod flush_guards {
    use super::*;
    use metrique::unit_of_work::metrics;
    use metrique::writer::GlobalEntrySink;
    use metrique::{Counter, FlushGuard, OnParentDrop, ServiceMetrics, Slot};

    #[metrics(rename_all = "PascalCase")]
    struct RequestMetrics {
        operation: &'static str,
        background_items: Counter,
        #[metrics(flatten)]
        child: Slot<ChildMetrics>,
    }

    #[metrics(subfield)]
    #[derive(Default)]
    struct ChildMetrics {
        child_items: u64,
    }

    impl RequestMetrics {
        fn init(operation: &'static str) -> RequestMetricsHandleOrGuard {
            RequestMetrics {
                operation,
                background_items: Counter::new(0),
                child: Default::default(),
            }
            .append_on_drop(ServiceMetrics::sink())
        }
    }

    type RequestMetricsHandleOrGuard = RequestMetricsGuard;

    async fn do_work(guard: FlushGuard, items: std::sync::Arc<Counter>) {
        tokio::time::sleep(Duration::from_millis(10)).await;
        items.add(3);
        drop(guard);
    }

    /// The guide's flush-guard block: a FlushGuard delays emission until the background work is
    /// done; the slot's `Wait` guard until the child reports.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn flush_guard_delays_until_background_work_is_done() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        let mut metrics = RequestMetrics::init("DoSomething");
        // FlushGuard delays emission until dropped. It does not carry metric data.
        let guard = metrics.flush_guard();
        let items = std::sync::Arc::new(Counter::new(0));
        let work = tokio::task::spawn(do_work(guard, items.clone()));
        // Slot with OnParentDrop::Wait: holds a FlushGuard internally.
        let slot_guard = metrics.flush_guard();
        let mut slot = metrics.child.open(OnParentDrop::Wait(slot_guard)).unwrap();
        metrics.background_items.add(1);
        drop(metrics);
        assert!(test.inspector.entries().is_empty());
        work.await.unwrap();
        assert!(
            test.inspector.entries().is_empty(),
            "the slot still holds a guard"
        );
        slot.child_items = 2;
        drop(slot);
        let e = test.inspector.get(0);
        assert_eq!(e.metrics["BackgroundItems"], 1u64);
        assert_eq!(e.metrics["ChildItems"], 2u64);
        assert_eq!(test.inspector.entries().len(), 1);
    }

    /// ForceFlushGuard: the metric emits when any force guard drops (e.g. a timeout), even with
    /// other work pending; that work's late writes go nowhere.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn force_flush_guard_emits_on_timeout() {
        let test = test_entry_sink();
        let _g = ServiceMetrics::set_test_sink(test.sink.clone());
        let mut metrics = RequestMetrics::init("DoSomething");
        let stuck = metrics.flush_guard();
        let force_guard = metrics.force_flush_guard();
        let timeout = tokio::task::spawn(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            drop(force_guard); // forces emission even if other work is pending
        });
        let mut slot = metrics.child.open(OnParentDrop::Discard).unwrap();
        drop(metrics);
        timeout.await.unwrap();
        let e = test.inspector.get(0);
        assert_eq!(e.values["Operation"], "DoSomething");
        assert!(!e.metrics.contains_key("ChildItems"));
        assert!(slot.parent_is_closed());
        slot.child_items = 1;
        drop(slot);
        drop(stuck);
        assert_eq!(test.inspector.entries().len(), 1, "emitted exactly once");
    }
}

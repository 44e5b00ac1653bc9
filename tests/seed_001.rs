//! The snippets of seed 001 (the concurrency guide) compile as written.
#![allow(dead_code)] // the guide's functions are compiled, not all called
#![allow(clippy::async_yields_async)] // the guide spawns `async move { call(..) }` without `.await`, as written

mod slots {
    use metrique::unit_of_work::metrics;
    use metrique::writer::GlobalEntrySink;
    use metrique::{OnParentDrop, ServiceMetrics, Slot, SlotGuard};

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
        tokio::task::spawn(async move { call_downstream_service(downstream_metrics) });
        metrics.downstream_operation.wait_for_data().await;
    }

    async fn handle_request_on_parent_wait() {
        let mut metrics = RequestMetrics::init("DoSomething");
        let guard = metrics.flush_guard();
        let downstream_metrics = metrics
            .downstream_operation
            .open(OnParentDrop::Wait(guard))
            .unwrap();
        tokio::task::spawn(async move { call_downstream_service(downstream_metrics) });
    }

    async fn call_downstream_service(mut metrics: SlotGuard<DownstreamMetrics>) {
        // can mutate the struct directly w/o using atomics.
        metrics.number_of_ducks += 1
    }
}

mod atomics {
    use metrique::unit_of_work::metrics;
    use metrique::writer::GlobalEntrySink;
    use metrique::{Counter, ServiceMetrics};

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
        let metrics = RequestMetrics::init("CountDucks");
        let handle = metrics.handle();
        for i in 0..10 {
            let handle = handle.clone();
            std::thread::spawn(move || {
                handle.number_of_concurrent_ducks.add(i);
            });
        }
    }
}

mod once_lock {
    use metrique::unit_of_work::metrics;
    use std::sync::OnceLock;

    static INSTANCE_ID: OnceLock<String> = OnceLock::new();

    #[metrics(subfield_owned)]
    struct ServerInfo {
        instance_id: &'static OnceLock<String>,
    }

    fn info() -> ServerInfo {
        ServerInfo {
            instance_id: &INSTANCE_ID,
        }
    }
}

#[test]
fn seed_001_compiles() {}

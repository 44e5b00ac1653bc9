//! `append_on_drop` closes and appends on drop; `emf::dimension_sets` emits a config first.

mod util;

use metrique::RootMetric;
use metrique::unit_of_work::metrics;
use util::CollectSink as VecEntrySink;

#[metrics(rename_all = "PascalCase", emf::dimension_sets = [["Operation"], []])]
struct RequestMetrics {
    operation: &'static str,
    count: u64,
}

#[test]
fn append_on_drop_appends_the_closed_entry() {
    let sink: VecEntrySink<RootMetric<RequestMetrics>> = VecEntrySink::default();
    {
        let mut guard: RequestMetricsGuard<_> = RequestMetrics {
            operation: "Get",
            count: 0,
        }
        .append_on_drop(sink.clone());
        guard.count += 2;
    }
    let entries = sink.drain();
    assert_eq!(entries.len(), 1);
    let r = util::record(&entries[0]);
    assert_eq!(r.names(), ["Operation", "Count"]);
    assert_eq!(r.get("Count"), "2");
    assert_eq!(r.configs.len(), 1);
    assert!(r.configs[0].contains("Operation"), "{:?}", r.configs);
}

//! `#[metrics]` on plain structs: names, units, timestamps, ignore, no_close, format.

mod util;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique::unit::Millisecond;
use metrique::unit_of_work::metrics;
use util::record_metric;

#[metrics]
struct Basic {
    operation: &'static str,
    count: u64,
    #[metrics(name = "Custom")]
    renamed: u32,
    #[metrics(unit = Millisecond)]
    latency_ms: u64,
    #[metrics(ignore)]
    _ignored: String,
    #[metrics(timestamp)]
    at: SystemTime,
}

#[test]
fn plain_fields_are_written_in_declaration_order_as_written() {
    let at = UNIX_EPOCH + Duration::from_secs(1000);
    let r = record_metric(Basic {
        operation: "Get",
        count: 3,
        renamed: 7,
        latency_ms: 12,
        _ignored: "x".into(),
        at,
    });
    assert_eq!(r.names(), ["operation", "count", "Custom", "latency_ms"]);
    assert_eq!(r.get("operation"), "Get");
    assert_eq!(r.get("count"), "3");
    assert_eq!(r.get("Custom"), "7");
    assert_eq!(r.get("latency_ms"), "12 Milliseconds");
    assert_eq!(r.timestamp, Some(at));
}

#[metrics]
struct Gated {
    always: u64,
    #[cfg(not(test))]
    #[metrics(sample_group)]
    never: &'static str,
    #[cfg(test)]
    #[metrics(sample_group)]
    on: &'static str,
}

#[test]
fn cfg_applies_to_sample_group_contributions() {
    let r = record_metric(Gated {
        always: 1,
        on: "yes",
    });
    assert_eq!(r.names(), ["always", "on"]);
    assert_eq!(
        util::sample_group(Gated {
            always: 1,
            on: "yes"
        }),
        [("on".to_owned(), "yes".to_owned())]
    );
}

//! The bench-peer wide event (11 fields, one absent for 1 in 4 entries), shared by the root
//! benches and the allocation test so every figure measures the same entry.

use metrique::emf::Emf;
use metrique::timers::{Timer, Timestamp};
use metrique::unit_of_work::metrics;

#[metrics(rename_all = "PascalCase")]
pub(crate) struct RequestMetrics {
    operation: &'static str,
    #[metrics(timestamp)]
    timestamp: Timestamp,
    latency: Timer,
    items_processed: usize,
    bytes_sent: u64,
    retries: u64,
    cache_hit: bool,
    success: bool,
    upstream_latency_us: Option<u64>,
    score: f64,
    availability_zone: &'static str,
}

pub(crate) const OPS: [&str; 4] = ["GetItem", "PutItem", "Query", "Scan"];
pub(crate) const AZS: [&str; 3] = ["use1-az1", "use1-az2", "use1-az4"];

/// Create and fill entry `i` as a request handler would, then stop its timer (bench-peer's
/// inputs, so figures compare with `../shared/bench-peer`).
#[inline(always)]
pub(crate) fn request(i: u64) -> RequestMetrics {
    let mut m = RequestMetrics {
        operation: OPS[(i % 4) as usize],
        timestamp: Timestamp::now(),
        latency: Timer::start_now(),
        items_processed: 0,
        bytes_sent: 0,
        retries: 0,
        cache_hit: false,
        success: false,
        upstream_latency_us: None,
        score: 0.0,
        availability_zone: "",
    };
    m.items_processed += (i % 17) as usize;
    m.bytes_sent += i.wrapping_mul(2_654_435_761) % 100_000;
    m.retries += i % 3;
    m.cache_hit = i.is_multiple_of(2);
    m.success = !i.is_multiple_of(10);
    m.upstream_latency_us = (!i.is_multiple_of(4)).then_some(i % 5000);
    m.score = (i % 1000) as f64 / 7.0;
    m.availability_zone = AZS[(i % 3) as usize];
    m.latency.stop();
    m
}

/// The EMF format of every bench: namespace `PeerBench`, dimension set `[Operation]`.
#[allow(dead_code)] // not every includer formats
pub(crate) fn emf() -> Emf {
    Emf::no_validations("PeerBench".to_string(), vec![vec!["Operation".to_string()]])
}

//! The hand-written limit both root benches compare with: the bench-peer entry's EMF line,
//! written with a static prefix, `itoa` and `ryu` (no library).

use crate::request_metrics::{AZS, OPS};

/// The hand-written limit: the same EMF line with a static prefix, itoa and ryu.
pub(crate) fn hand_written(out: &mut Vec<u8>, i: u64, latency_ms: f64, ts_ms: u64) {
    let mut ib = itoa::Buffer::new();
    let mut fb = ryu::Buffer::new();
    out.extend_from_slice(br#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"PeerBench","Dimensions":[["Operation"]],"Metrics":[{"Name":"Latency","Unit":"Milliseconds"},{"Name":"ItemsProcessed"},{"Name":"BytesSent"},{"Name":"Retries"},{"Name":"CacheHit"},{"Name":"Success"},"#);
    let upstream = if i.is_multiple_of(4) {
        None
    } else {
        Some(i % 5000)
    };
    if upstream.is_some() {
        out.extend_from_slice(br#"{"Name":"UpstreamLatencyUs"},"#);
    }
    out.extend_from_slice(br#"{"Name":"Score"}]}],"Timestamp":"#);
    out.extend_from_slice(ib.format(ts_ms).as_bytes());
    out.extend_from_slice(br#"},"Latency":"#);
    out.extend_from_slice(fb.format(latency_ms).as_bytes());
    out.extend_from_slice(br#","ItemsProcessed":"#);
    out.extend_from_slice(ib.format(i % 17).as_bytes());
    out.extend_from_slice(br#","BytesSent":"#);
    out.extend_from_slice(
        ib.format(i.wrapping_mul(2_654_435_761) % 100_000)
            .as_bytes(),
    );
    out.extend_from_slice(br#","Retries":"#);
    out.extend_from_slice(ib.format(i % 3).as_bytes());
    out.extend_from_slice(if i.is_multiple_of(2) {
        br#","CacheHit":1"#
    } else {
        br#","CacheHit":0"#
    });
    out.extend_from_slice(if !i.is_multiple_of(10) {
        br#","Success":1"#
    } else {
        br#","Success":0"#
    });
    if let Some(u) = upstream {
        out.extend_from_slice(br#","UpstreamLatencyUs":"#);
        out.extend_from_slice(ib.format(u).as_bytes());
    }
    out.extend_from_slice(br#","Score":"#);
    out.extend_from_slice(fb.format((i % 1000) as f64 / 7.0).as_bytes());
    out.extend_from_slice(br#","Operation":""#);
    out.extend_from_slice(OPS[(i % 4) as usize].as_bytes());
    out.extend_from_slice(br#"","AvailabilityZone":""#);
    out.extend_from_slice(AZS[(i % 3) as usize].as_bytes());
    out.extend_from_slice(b"\"}\n");
}

//! Formatting cost of a typical 10-field wide event, next to a hand-written EMF writer for the
//! same line (the practical limit).
#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use metrique_writer::format::Format;
use metrique_writer::format::emf::Emf;
use metrique_writer::format::json::Json;
use metrique_writer::{Entry, EntryWriter};

/// The bench-peer `RequestMetrics` entry, closed.
struct Request {
    operation: &'static str,
    timestamp: SystemTime,
    latency: Duration,
    items_processed: usize,
    bytes_sent: u64,
    retries: u64,
    cache_hit: bool,
    success: bool,
    upstream_latency_us: Option<u64>,
    score: f64,
    availability_zone: &'static str,
}

impl Entry for Request {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Operation", self.operation);
        w.timestamp(self.timestamp);
        w.value("Latency", &self.latency);
        w.value("ItemsProcessed", &self.items_processed);
        w.value("BytesSent", &self.bytes_sent);
        w.value("Retries", &self.retries);
        w.value("CacheHit", &self.cache_hit);
        w.value("Success", &self.success);
        w.value("UpstreamLatencyUs", &self.upstream_latency_us);
        w.value("Score", &self.score);
        w.value("AvailabilityZone", self.availability_zone);
    }
}

fn request(i: u64) -> Request {
    Request {
        operation: if i.is_multiple_of(2) {
            "GetItem"
        } else {
            "PutItem"
        },
        timestamp: UNIX_EPOCH + Duration::from_millis(1_752_774_958_378 + i),
        latency: Duration::from_micros(1000 + i % 5000),
        items_processed: (i % 100) as usize,
        bytes_sent: i * 37 % 100_000,
        retries: i % 3,
        cache_hit: i.is_multiple_of(2),
        success: !i.is_multiple_of(10),
        upstream_latency_us: (!i.is_multiple_of(3)).then_some(i % 777),
        score: (i % 1000) as f64 / 7.0,
        availability_zone: "us-east-1a",
    }
}

const PREFIX: &[u8] = b"{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"PeerBench\",\"Dimensions\":[[\"Operation\"]],\"Metrics\":[{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"ItemsProcessed\"},{\"Name\":\"BytesSent\"},{\"Name\":\"Retries\"},{\"Name\":\"CacheHit\"},{\"Name\":\"Success\"},";

fn push_int(buf: &mut Vec<u8>, v: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

fn push_float(buf: &mut Vec<u8>, v: f64) {
    let mut b = ryu::Buffer::new();
    let s = b.format_finite(v);
    buf.extend_from_slice(s.strip_suffix(".0").unwrap_or(s).as_bytes());
}

fn push_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes()); // the bench strings need no escaping
    buf.push(b'"');
}

/// The hand-written limit: static prefix, itoa/ryu, no validation, no escaping.
fn handwritten(r: &Request, buf: &mut Vec<u8>) {
    buf.extend_from_slice(PREFIX);
    if r.upstream_latency_us.is_some() {
        buf.extend_from_slice(b"{\"Name\":\"UpstreamLatencyUs\"},");
    }
    buf.extend_from_slice(b"{\"Name\":\"Score\"}]}],\"Timestamp\":");
    push_int(
        buf,
        r.timestamp.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64,
    );
    buf.extend_from_slice(b"},\"Latency\":");
    push_float(buf, r.latency.as_nanos() as f64 / 1e6);
    buf.extend_from_slice(b",\"ItemsProcessed\":");
    push_int(buf, r.items_processed);
    buf.extend_from_slice(b",\"BytesSent\":");
    push_int(buf, r.bytes_sent);
    buf.extend_from_slice(b",\"Retries\":");
    push_int(buf, r.retries);
    buf.extend_from_slice(b",\"CacheHit\":");
    buf.push(if r.cache_hit { b'1' } else { b'0' });
    buf.extend_from_slice(b",\"Success\":");
    buf.push(if r.success { b'1' } else { b'0' });
    if let Some(u) = r.upstream_latency_us {
        buf.extend_from_slice(b",\"UpstreamLatencyUs\":");
        push_int(buf, u);
    }
    buf.extend_from_slice(b",\"Score\":");
    push_float(buf, r.score);
    buf.extend_from_slice(b",\"Operation\":");
    push_str(buf, r.operation);
    buf.extend_from_slice(b",\"AvailabilityZone\":");
    push_str(buf, r.availability_zone);
    buf.extend_from_slice(b"}\n");
}

fn bench(c: &mut Criterion) {
    let entries: Vec<Request> = (0..64).map(request).collect();
    // Same bytes as the hand-written line.
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut emf = Emf::no_validations("PeerBench".into(), vec![vec!["Operation".into()]]);
    for r in &entries {
        a.clear();
        b.clear();
        emf.format(r, &mut a).unwrap();
        handwritten(r, &mut b);
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    }

    let mut g = c.benchmark_group("format_10_fields");
    let mut buf = Vec::with_capacity(4096);
    let mut i = 0usize;
    let mut next = || {
        i = (i + 1) % entries.len();
        &entries[i]
    };
    g.bench_function("emf_no_validations", |bench| {
        bench.iter(|| {
            buf.clear();
            emf.format(black_box(next()), &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    let mut emf_all = Emf::all_validations("PeerBench".into(), vec![vec!["Operation".into()]]);
    g.bench_function("emf_all_validations", |bench| {
        bench.iter(|| {
            buf.clear();
            emf_all.format(black_box(next()), &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    let mut json = Json::new();
    g.bench_function("json", |bench| {
        bench.iter(|| {
            buf.clear();
            json.format(black_box(next()), &mut buf).unwrap();
            black_box(buf.len())
        })
    });
    g.bench_function("handwritten_emf", |bench| {
        bench.iter(|| {
            buf.clear();
            handwritten(black_box(next()), &mut buf);
            black_box(buf.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

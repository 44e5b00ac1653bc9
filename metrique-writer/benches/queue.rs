//! End-to-end throughput of the background queue: 2 producer threads append a burst of wide
//! events (11 fields, as in `bench-peer`) to a `BackgroundQueue` writing EMF to a file through a
//! 64 KiB `BufWriter`; the time runs until the join handle returned (everything written and
//! flushed). One row per overflow policy, plus the hand-written limit (a bounded std channel to
//! one thread formatting into the same kind of file).
//!
//! `cargo bench -p metrique-writer --bench queue`; each row also prints written/s and drops.
// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, Throughput, criterion_group};
use metrique_writer::format::emf::Emf;
use metrique_writer::sink::{BackgroundQueueBuilder, BackgroundQueueEvent, OverflowPolicy};
use metrique_writer::{Entry, EntrySink, EntryWriter, Format, FormatExt};

const BURST: u64 = 1_000_000;
const THREADS: u64 = 2;

struct Request {
    operation: &'static str,
    timestamp: SystemTime,
    latency: Duration,
    items_processed: u64,
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
        w.timestamp(self.timestamp);
        w.value("Operation", self.operation);
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

#[inline]
fn request(i: u64) -> Request {
    let start = Instant::now();
    let timestamp = SystemTime::now();
    Request {
        operation: if i.is_multiple_of(3) {
            "GetItem"
        } else {
            "PutItem"
        },
        timestamp,
        items_processed: i % 17,
        bytes_sent: i * 31 % 4096,
        retries: i % 3,
        cache_hit: i.is_multiple_of(2),
        success: !i.is_multiple_of(10),
        upstream_latency_us: (!i.is_multiple_of(4)).then_some(i % 1000),
        score: (i % 100) as f64 / 7.0,
        availability_zone: "us-east-1a",
        latency: start.elapsed(),
    }
}

fn emf() -> Emf {
    Emf::no_validations("Bench".to_owned(), vec![vec!["Operation".to_owned()]])
}

fn output() -> BufWriter<std::fs::File> {
    BufWriter::with_capacity(64 * 1024, tempfile::tempfile().expect("temp file"))
}

/// Seconds until everything was written, entries written, entries dropped.
type Run = (f64, u64, u64);

/// One burst through a queue.
fn run_queue(policy: OverflowPolicy) -> Run {
    let written = Arc::new(AtomicU64::new(0));
    let dropped = Arc::new(AtomicU64::new(0));
    let (w, d) = (written.clone(), dropped.clone());
    let (queue, join) = BackgroundQueueBuilder::new()
        .overflow_policy(policy)
        .observer(move |_: &str, e: BackgroundQueueEvent| match e {
            BackgroundQueueEvent::QueueOverflow { .. } => {
                d.fetch_add(1, Ordering::Relaxed);
            }
            BackgroundQueueEvent::MetricsEmitted { count, .. } => {
                w.fetch_add(count, Ordering::Relaxed);
            }
            _ => {}
        })
        .build::<Request>(emf().output_to(output()));
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let q = queue.clone();
            s.spawn(move || {
                for i in (t * BURST / THREADS)..((t + 1) * BURST / THREADS) {
                    q.clone().append(request(i));
                }
            });
        }
    });
    drop(queue);
    drop(join);
    (
        t0.elapsed().as_secs_f64(),
        written.load(Ordering::Relaxed),
        dropped.load(Ordering::Relaxed),
    )
}

/// The limit: a bounded std channel (producers block) to one formatting thread.
fn run_channel() -> Run {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Request>(64 * 1024);
    let t0 = Instant::now();
    let consumer = std::thread::spawn(move || {
        let mut out = output();
        let mut emf = emf();
        let mut n = 0;
        for r in rx {
            emf.format(&r, &mut out).expect("format");
            n += 1;
        }
        out.flush().expect("flush");
        n
    });
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let tx = tx.clone();
            s.spawn(move || {
                for i in (t * BURST / THREADS)..((t + 1) * BURST / THREADS) {
                    tx.send(request(i)).expect("send");
                }
            });
        }
    });
    drop(tx);
    let n = consumer.join().expect("consumer");
    (t0.elapsed().as_secs_f64(), n, 0)
}

/// Formatting alone, on one thread, into a reused buffer: the writer thread's floor.
fn run_format_only() -> Run {
    let mut emf = emf();
    let mut buf = Vec::with_capacity(1 << 20);
    let t0 = Instant::now();
    for i in 0..BURST {
        emf.format(&request(i), &mut buf).expect("format");
        if buf.len() > 1 << 19 {
            buf.clear();
        }
    }
    (t0.elapsed().as_secs_f64(), BURST, 0)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue_1M_2_threads_emf_to_file");
    g.sample_size(10);
    g.throughput(Throughput::Elements(BURST));
    let rows: [(&str, &dyn Fn() -> Run); 5] = [
        ("format_only_1_thread", &run_format_only),
        ("drop_oldest", &|| run_queue(OverflowPolicy::DropOldest)),
        ("drop_newest", &|| run_queue(OverflowPolicy::DropNewest)),
        ("block_1s", &|| {
            run_queue(OverflowPolicy::Block {
                timeout: Duration::from_secs(1),
            })
        }),
        ("limit_std_channel", &run_channel),
    ];
    for (name, run) in rows {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (secs, written, dropped) = run();
                    eprintln!(
                        "{name}: {:.2} M written/s, {written} written, {dropped} dropped, {:.0} ms",
                        written as f64 / secs / 1e6,
                        secs * 1e3
                    );
                    total += Duration::from_secs_f64(secs);
                }
                total
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    // `QUEUE_BENCH_ONCE=<row>`: run one row once (for `perf stat`, valgrind), no criterion.
    if let Ok(row) = std::env::var("QUEUE_BENCH_ONCE") {
        let (secs, written, dropped) = match row.as_str() {
            "format_only" => run_format_only(),
            "drop_oldest" => run_queue(OverflowPolicy::DropOldest),
            "drop_newest" => run_queue(OverflowPolicy::DropNewest),
            "block" => run_queue(OverflowPolicy::Block {
                timeout: Duration::from_secs(1),
            }),
            _ => run_channel(),
        };
        eprintln!(
            "{row}: {:.2} M written/s, {written} written, {dropped} dropped, {:.0} ms",
            written as f64 / secs / 1e6,
            secs * 1e3
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

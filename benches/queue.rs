//! End-to-end throughput with the real `#[metrics]` struct of `bench-peer` (11 fields): 2
//! producer threads each create, fill and `append_on_drop` half of a burst of 1,000,000 wide
//! events; a `BackgroundQueue` (default capacity, 64Ki entries) formats them to EMF into a file
//! behind a 64 KiB `BufWriter`. The time runs until the join handle returned (everything written
//! and flushed).
//!
//! Rows (one group): the typed queue under each overflow policy, the `ServiceMetrics` idiom (a
//! `BackgroundQueue<BoxEntry>`, block policy), and the limits: `local_format`, the (each
//! producer writes the same EMF line by hand into its own 64 KiB chunk, chunks appended to the
//! file under a mutex), `limit`, the single-writer one (the same records through a bounded std
//! channel to one thread writing the line by hand), `block_borrowed` (the block row appending
//! through a shared reference instead of a per-entry `queue.clone()`), the typed queue into a
//! `NullEntryIoStream` (what producers and the queue allow when formatting and writing cost
//! nothing), and the producers alone (entries dropped where they are appended).
//! Each run also prints written/s and the drop count: with `block` nothing may be dropped, with
//! the drop policies every drop is counted (written + dropped = appended).
//!
//! `cargo bench --bench queue`; `QUEUE_BENCH_ONCE=<row>` runs one row once without criterion
//! (for valgrind or `perf stat`): `drop_oldest`, `drop_newest`, `block`, `service_metrics`,
//! `local_format`, `limit`, `block_borrowed`, `null_stream`, `producers_only`. `QUEUE_CAPACITY=<n>` overrides the queue capacity
//! (default 64Ki) of the queue rows.

// `criterion_group!` generates an undocumented pub fn.
#![allow(missing_docs)]

use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group};
use metrique::writer::sink::FlushWait;
use metrique::writer::sink::{BackgroundQueueBuilder, BackgroundQueueEvent, OverflowPolicy};
use metrique::writer::stream::NullEntryIoStream;
use metrique::writer::{
    AttachGlobalEntrySink, Entry, EntryIoStream, EntrySink, FormatExt, GlobalEntrySink,
};
use metrique::{RootMetric, ServiceMetrics};

const BURST: u64 = 1_000_000;
const THREADS: u64 = 2;

#[path = "support/request_metrics.rs"]
mod request_metrics;
use request_metrics::{RequestMetrics, emf, request};
#[path = "support/hand_written.rs"]
mod hand_written;
use hand_written::hand_written;

fn output() -> BufWriter<std::fs::File> {
    BufWriter::with_capacity(64 * 1024, tempfile::tempfile().expect("temp file"))
}

/// Seconds until everything was written, entries written, entries dropped, entries formatted
/// by their producers.
type Run = (f64, u64, u64, u64);

fn producers(append: impl Fn(u64) + Sync) {
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let append = &append;
            s.spawn(move || {
                for i in (t * BURST / THREADS)..((t + 1) * BURST / THREADS) {
                    append(i);
                }
            });
        }
    });
}

/// Counts written and dropped entries from the queue's observer events.
fn counting_builder(written: &Arc<AtomicU64>, dropped: &Arc<AtomicU64>) -> BackgroundQueueBuilder {
    let (w, d) = (written.clone(), dropped.clone());
    let cap = std::env::var("QUEUE_CAPACITY")
        .ok()
        .and_then(|c| c.parse().ok());
    let b = BackgroundQueueBuilder::new();
    let b = match cap {
        Some(c) => b.capacity(c),
        None => b,
    };
    b.observer(move |_: &str, e: BackgroundQueueEvent| match e {
        BackgroundQueueEvent::QueueOverflow { .. } => {
            d.fetch_add(1, Ordering::Relaxed);
        }
        BackgroundQueueEvent::MetricsEmitted { count, .. } => {
            w.fetch_add(count, Ordering::Relaxed);
        }
        _ => {}
    })
}

const BLOCK: OverflowPolicy = OverflowPolicy::Block {
    timeout: Duration::from_secs(10),
};

/// One burst through a typed `BackgroundQueue<RootMetric<RequestMetrics>>`.
fn run_typed(policy: OverflowPolicy) -> Run {
    run_typed_to(policy, emf().output_to(output()))
}

/// One burst through a typed queue writing to `stream`.
fn run_typed_to(policy: OverflowPolicy, stream: impl EntryIoStream + Send + 'static) -> Run {
    run_typed_with(policy, stream, true)
}

/// One burst through a typed queue writing to `stream`; `clone` clones the queue per entry
/// (as `bench-peer` does), otherwise entries are appended through a shared reference.
fn run_typed_with(
    policy: OverflowPolicy,
    stream: impl EntryIoStream + Send + 'static,
    clone: bool,
) -> Run {
    let (written, dropped) = Default::default();
    let (queue, join) = counting_builder(&written, &dropped)
        .overflow_policy(policy)
        .build::<RootMetric<RequestMetrics>>(stream);
    let t0 = Instant::now();
    if clone {
        producers(|i| drop(request(i).append_on_drop(queue.clone())));
    } else {
        // `append_on_drop` wants a `'static` sink: leak one handle per run (a few bytes).
        let shared: &'static _ = Box::leak(Box::new(queue.clone()));
        producers(|i| drop(request(i).append_on_drop(shared)));
    }
    drop(join);
    let secs = t0.elapsed().as_secs_f64();
    (
        secs,
        written.load(Ordering::Relaxed),
        dropped.load(Ordering::Relaxed),
        queue.stats().formatted_by_producers,
    )
}

/// One burst through `ServiceMetrics` attached to a `BackgroundQueue<BoxEntry>` (block policy).
fn run_service_metrics() -> Run {
    let (written, dropped) = Default::default();
    let (queue, join) = counting_builder(&written, &dropped)
        .overflow_policy(BLOCK)
        .build::<metrique::writer::BoxEntry>(emf().output_to(output()));
    let attach = ServiceMetrics::attach((queue.clone(), join));
    let t0 = Instant::now();
    producers(|i| drop(request(i).append_on_drop(ServiceMetrics::sink())));
    drop(attach); // flushes and joins
    let secs = t0.elapsed().as_secs_f64();
    (
        secs,
        written.load(Ordering::Relaxed),
        dropped.load(Ordering::Relaxed),
        queue.stats().formatted_by_producers,
    )
}

/// A sink that drops every entry on the producer's thread. It holds an `Arc` (never read) so
/// that cloning it per entry costs what cloning the queue costs: each producer thread clones
/// its own (see [`run_producers_only`]), as the queue's clones on one thread share a count no
/// other thread writes.
#[derive(Clone, Default)]
struct Discard(#[allow(dead_code)] Arc<()>);

impl<E: Entry> EntrySink<E> for Discard {
    fn append(&self, entry: E) {
        drop(std::hint::black_box(entry));
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

/// The producers' own cost: create, fill, close and hand over each entry, no queue.
fn run_producers_only() -> Run {
    thread_local! {
        // One sink per producer thread: one shared `Arc` would bounce its count between the
        // producers on every clone and drop, which the queue's handle does not.
        static SINK: Discard = Discard::default();
    }
    let t0 = Instant::now();
    producers(|i| SINK.with(|sink| drop(request(i).append_on_drop(sink.clone()))));
    (t0.elapsed().as_secs_f64(), BURST, 0, 0)
}

/// The record the hand-written limit sends: the closed values, no library.
struct Closed {
    i: u64,
    timestamp_ms: u64,
    latency_ms: f64,
}

/// The limit: a bounded std channel (producers block) to one thread writing the hand-written
/// line into the same kind of file.
fn run_limit() -> Run {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Closed>(64 * 1024);
    let t0 = Instant::now();
    let consumer = std::thread::spawn(move || {
        let mut out = output();
        let mut buf = Vec::with_capacity(1024);
        let mut n = 0;
        for c in rx {
            buf.clear();
            hand_written(&mut buf, c.i, c.latency_ms, c.timestamp_ms);
            out.write_all(&buf).expect("write");
            n += 1;
        }
        out.flush().expect("flush");
        n
    });
    producers(|i| {
        let timestamp = SystemTime::now();
        let start = Instant::now();
        let c = Closed {
            i,
            timestamp_ms: timestamp
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
            latency_ms: start.elapsed().as_secs_f64() * 1e3,
        };
        tx.send(c).expect("send");
    });
    drop(tx);
    let n = consumer.join().expect("consumer");
    (t0.elapsed().as_secs_f64(), n, 0, 0)
}

/// The limit (bench-peer's `baseline local-format`): each producer writes the
/// hand-written line into its own 64 KiB chunk and appends full chunks to the shared file under
/// a mutex, so formatting runs on every producer's core and no entry crosses threads.
fn run_local_format() -> Run {
    let out = std::sync::Mutex::new(output());
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let out = &out;
            s.spawn(move || {
                let mut chunk = Vec::with_capacity(64 * 1024 + 1024);
                for i in (t * BURST / THREADS)..((t + 1) * BURST / THREADS) {
                    let timestamp = SystemTime::now();
                    let start = Instant::now();
                    let ts_ms = timestamp
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_millis() as u64);
                    hand_written(&mut chunk, i, start.elapsed().as_secs_f64() * 1e3, ts_ms);
                    if chunk.len() >= 64 * 1024 {
                        out.lock().expect("lock").write_all(&chunk).expect("write");
                        chunk.clear();
                    }
                }
                out.lock().expect("lock").write_all(&chunk).expect("write");
            });
        }
    });
    out.into_inner().expect("lock").flush().expect("flush");
    (t0.elapsed().as_secs_f64(), BURST, 0, BURST)
}

fn run_row(row: &str) -> Run {
    match row {
        "drop_oldest" => run_typed(OverflowPolicy::DropOldest),
        "drop_newest" => run_typed(OverflowPolicy::DropNewest),
        "block" => run_typed(BLOCK),
        "block_borrowed" => run_typed_with(BLOCK, emf().output_to(output()), false),
        "service_metrics" => run_service_metrics(),
        "limit" => run_limit(),
        "local_format" => run_local_format(),
        "null_stream" => run_typed_to(BLOCK, NullEntryIoStream),
        "producers_only" => run_producers_only(),
        other => panic!("unknown row {other:?}"),
    }
}

fn report(row: &str, (secs, written, dropped, by_producers): Run) {
    eprintln!(
        "{row}: {:.2} M written/s, {written} written, {dropped} dropped, {by_producers} formatted by producers, {:.0} ms",
        written as f64 / secs / 1e6,
        secs * 1e3
    );
    assert_eq!(
        written + dropped,
        BURST,
        "{row}: every entry is written or counted as dropped"
    );
    if row == "block" || row == "service_metrics" {
        assert_eq!(dropped, 0, "{row}: the block policy drops nothing");
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue_1M_2_threads_metrics_struct_emf_to_file");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(BURST));
    for row in [
        "block",
        "drop_oldest",
        "drop_newest",
        "service_metrics",
        "local_format",
        "limit",
        "block_borrowed",
        "null_stream",
        "producers_only",
    ] {
        g.bench_function(row, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let run = run_row(row);
                    report(row, run);
                    total += Duration::from_secs_f64(run.0);
                }
                total
            });
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(row) = std::env::var("QUEUE_BENCH_ONCE") {
        report(&row, run_row(&row));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

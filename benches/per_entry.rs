//! Per-entry cost of one 11-field wide event, next to the hand-written limit.
//!
//! Rows (same group, same run): the typed sink path (`append_on_drop` into a typed
//! `FlushImmediately` writing EMF to memory), the `ServiceMetrics` path (boxed), close + format
//! without a sink, and a hand-written EMF line of the same content (the limit).
//! The struct and its inputs match `../shared/bench-peer` so figures can be compared.

// `criterion_group!` generates an undocumented pub fn.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::{self, Write};
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use metrique::writer::format::Format;
use metrique::writer::sink::FlushImmediately;
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{CloseValue, RootEntry, RootMetric, ServiceMetrics};

#[path = "support/request_metrics.rs"]
mod request_metrics;
use request_metrics::{RequestMetrics, emf, request};
#[path = "support/hand_written.rs"]
mod hand_written;
use hand_written::hand_written;

/// An in-memory writer whose `flush` discards what was written (like shipping it).
#[derive(Default)]
struct MemWriter(Vec<u8>);

impl Write for MemWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.clear();
        Ok(())
    }
}

fn per_entry(c: &mut Criterion) {
    let mut g = c.benchmark_group("per_entry");
    g.throughput(Throughput::Elements(1));

    let typed = Arc::new(FlushImmediately::<RootMetric<RequestMetrics>, _>::new(
        emf().output_to(MemWriter::default()),
    ));
    let mut i = 0u64;
    g.bench_function("typed sink (append_on_drop, FlushImmediately)", |b| {
        b.iter(|| {
            i += 1;
            drop(request(black_box(i)).append_on_drop(typed.clone()));
        })
    });

    let attach = ServiceMetrics::write_directly_to(emf().output_to(MemWriter::default()));
    g.bench_function("ServiceMetrics (boxed)", |b| {
        b.iter(|| {
            i += 1;
            drop(request(black_box(i)).append_on_drop(ServiceMetrics::sink()));
        })
    });
    drop(attach);

    let mut format = emf();
    let mut buf = Vec::with_capacity(4096);
    g.bench_function("close + format (no sink)", |b| {
        b.iter(|| {
            i += 1;
            let entry = RootEntry::new(request(black_box(i)).close());
            buf.clear();
            format.format(&entry, &mut buf).unwrap();
            black_box(&buf);
        })
    });

    g.bench_function("hand-written EMF line (limit)", |b| {
        b.iter(|| {
            i += 1;
            let started = std::time::Instant::now();
            let ts = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64);
            buf.clear();
            hand_written(
                &mut buf,
                black_box(i),
                started.elapsed().as_secs_f64() * 1e3,
                ts,
            );
            black_box(&buf);
        })
    });
    g.finish();
}

criterion_group!(benches, per_entry);
criterion_main!(benches);

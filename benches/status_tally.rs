//! Seed 000: tallying 1,000,000 HTTP statuses across threads.
//!
//! Rows: the seed's `Arc<Mutex<Metrics>>` (locked per status), `metrique::Counter`s shared by
//! all threads (one per status code, an atomic add per increment), the same counters fanned out
//! through `Counter::local()` (plain adds, one atomic add per counter per worker), and
//! per-thread tallies merged at the end (the limit).

// `criterion_group!` generates an undocumented pub fn.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use metrique::Counter;

const N: usize = 1_000_000;

fn statuses() -> Vec<u16> {
    // Deterministic mix, ~70% 200s.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..N)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 100 {
                0..70 => 200,
                70..80 => 201,
                80..88 => 404,
                88..94 => 500,
                94..97 => 429,
                _ => 302,
            }
        })
        .collect()
}

#[derive(Default)]
struct Metrics {
    requests: u64,
    errors: u64,
    status_counts: HashMap<u16, u64>,
}

fn naive_mutex(statuses: &[u16], workers: usize) -> u64 {
    let metrics = Arc::new(Mutex::new(Metrics::default()));
    std::thread::scope(|s| {
        for chunk in statuses.chunks(statuses.len().div_ceil(workers)) {
            let metrics = Arc::clone(&metrics);
            s.spawn(move || {
                for &status in chunk {
                    let mut m = metrics.lock().unwrap();
                    m.requests += 1;
                    if status >= 400 {
                        m.errors += 1;
                    }
                    *m.status_counts.entry(status).or_insert(0) += 1;
                }
            });
        }
    });
    let m = metrics.lock().unwrap();
    m.requests + m.errors
}

fn counters(statuses: &[u16], workers: usize) -> u64 {
    let requests = Counter::new(0);
    let errors = Counter::new(0);
    let by_status: Vec<Counter> = (0..600).map(|_| Counter::new(0)).collect();
    std::thread::scope(|s| {
        for chunk in statuses.chunks(statuses.len().div_ceil(workers)) {
            let (requests, errors, by_status) = (&requests, &errors, &by_status);
            s.spawn(move || {
                for &status in chunk {
                    requests.increment();
                    if status >= 400 {
                        errors.increment();
                    }
                    by_status[usize::from(status)].increment();
                }
            });
        }
    });
    requests.0.into_inner() + errors.0.into_inner()
}

/// The same `Counter`s, fanned out: each worker tallies into `Counter::local()`s, added to the
/// shared counters once when the worker ends.
fn counters_local(statuses: &[u16], workers: usize) -> u64 {
    let requests = Counter::new(0);
    let errors = Counter::new(0);
    let by_status: Vec<Counter> = (0..600).map(|_| Counter::new(0)).collect();
    std::thread::scope(|s| {
        for chunk in statuses.chunks(statuses.len().div_ceil(workers)) {
            let (requests, errors, by_status) = (&requests, &errors, &by_status);
            s.spawn(move || {
                let (mut req, mut err) = (requests.local(), errors.local());
                let mut by: Vec<_> = by_status.iter().map(Counter::local).collect();
                for &status in chunk {
                    req.increment();
                    if status >= 400 {
                        err.increment();
                    }
                    by[usize::from(status)].increment();
                }
            });
        }
    });
    requests.0.into_inner() + errors.0.into_inner()
}

fn per_thread(statuses: &[u16], workers: usize) -> u64 {
    let parts: Vec<(u64, u64, [u64; 600])> = std::thread::scope(|s| {
        let handles: Vec<_> = statuses
            .chunks(statuses.len().div_ceil(workers))
            .map(|chunk| {
                s.spawn(move || {
                    let (mut req, mut err, mut by) = (0u64, 0u64, [0u64; 600]);
                    for &status in chunk {
                        req += 1;
                        err += u64::from(status >= 400);
                        by[usize::from(status)] += 1;
                    }
                    (req, err, by)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    parts.iter().map(|p| p.0 + p.1).sum()
}

fn tally(c: &mut Criterion) {
    let statuses = statuses();
    let mut g = c.benchmark_group("status_tally_1M");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(10);
    for workers in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("seed mutex", workers),
            &workers,
            |b, &w| b.iter(|| black_box(naive_mutex(&statuses, w))),
        );
        g.bench_with_input(BenchmarkId::new("Counter", workers), &workers, |b, &w| {
            b.iter(|| black_box(counters(&statuses, w)))
        });
        g.bench_with_input(
            BenchmarkId::new("Counter::local fan-out", workers),
            &workers,
            |b, &w| b.iter(|| black_box(counters_local(&statuses, w))),
        );
        g.bench_with_input(
            BenchmarkId::new("per-thread merge (limit)", workers),
            &workers,
            |b, &w| b.iter(|| black_box(per_thread(&statuses, w))),
        );
    }
    g.finish();
}

criterion_group!(benches, tally);
criterion_main!(benches);

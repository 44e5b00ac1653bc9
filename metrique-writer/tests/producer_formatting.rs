//! `BackgroundQueueBuilder::producer_formatting` with a format that can be copied: producers
//! that find the writer behind format their own entries (see `sink/background/assist.rs`).
//! Under every overflow policy nothing is written twice and the counters add up; under `Block`
//! nothing is lost, and flushes and shutdown cover those lines. Turned off, or while the writer
//! keeps up, every entry goes through the queue in order.
#![cfg(all(feature = "background-queue", feature = "json"))]

#[path = "support/line_format.rs"]
mod support;

use std::collections::HashSet;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use metrique_writer::format::json::Json;
use metrique_writer::sink::{BackgroundQueueBuilder, OverflowPolicy};
use metrique_writer::stream::IoStreamError;
use metrique_writer::{Entry, EntrySink, Format, FormatExt};
use support::SharedBuf;

type Record = Vec<(&'static str, u64)>;

/// JSON that counts the entries its copies format (the producers' and the writer thread's) and
/// those its original formats.
#[derive(Default)]
struct CountingJson {
    json: Json,
    by_copies: Arc<AtomicU64>,
    by_original: Arc<AtomicU64>,
}

impl Format for CountingJson {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.by_original.fetch_add(1, Ordering::Relaxed);
        self.json.format(entry, output)
    }

    fn __fork<T: Entry + 'static>(&self) -> Option<metrique_writer::__private::ForkedFormat<T>> {
        let mut json = Json::default();
        let by_copies = self.by_copies.clone();
        Some(Box::new(move |entry: &T, out: &mut Vec<u8>| {
            by_copies.fetch_add(1, Ordering::Relaxed);
            json.format(entry, out)
        }))
    }
}

const THREADS: u64 = 4;
const PER_THREAD: u64 = 5_000;

fn record(thread: u64, i: u64) -> Record {
    vec![("Thread", thread), ("Seq", i)]
}

/// The (thread, seq) of every line, in output order; each line must be a JSON object.
fn written(buf: &SharedBuf) -> Vec<(u64, u64)> {
    buf.lines()
        .iter()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let m = &v["metrics"];
            (
                m["Thread"]["value"].as_u64().unwrap(),
                m["Seq"]["value"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// No (thread, seq) twice; returns how many were written.
fn assert_none_twice(buf: &SharedBuf) -> u64 {
    let mut seen = HashSet::new();
    for key in written(buf) {
        assert!(seen.insert(key), "{key:?} written twice");
    }
    seen.len() as u64
}

/// Every (thread, seq) exactly once.
fn assert_all_once(buf: &SharedBuf) {
    assert_eq!(assert_none_twice(buf), THREADS * PER_THREAD);
}

/// `THREADS` threads append `PER_THREAD` records each.
fn produce(queue: &(impl EntrySink<Record> + Clone + Send)) {
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let q = queue.clone();
            s.spawn(move || {
                for i in 0..PER_THREAD {
                    q.append(record(t, i));
                }
            });
        }
    });
}

fn block() -> OverflowPolicy {
    OverflowPolicy::Block {
        timeout: Duration::from_secs(60),
    }
}

/// A queue of `capacity` writing JSON into `buf`.
fn json_queue(
    buf: &SharedBuf,
    capacity: usize,
    policy: OverflowPolicy,
) -> (
    metrique_writer::sink::BackgroundQueue<Record>,
    metrique_writer::sink::BackgroundQueueJoinHandle,
) {
    BackgroundQueueBuilder::new()
        .capacity(capacity)
        .overflow_policy(policy)
        .build::<Record>(Json::default().output_to(buf.clone()))
}

/// Lines formatted by copies of a [`CountingJson`] (producers' and the writer thread's) and
/// by the original (the stream's own `format`).
struct Counts {
    by_copies: Arc<AtomicU64>,
    by_original: Arc<AtomicU64>,
}

/// A 2-entry queue, block policy, JSON into `buf` through a [`CountingJson`]; returns the
/// queue, its join handle and the format's counts.
fn counting_queue(
    buf: &SharedBuf,
    producer_formatting: bool,
) -> (
    metrique_writer::sink::BackgroundQueue<Record>,
    metrique_writer::sink::BackgroundQueueJoinHandle,
    Counts,
) {
    let format = CountingJson::default();
    let counts = Counts {
        by_copies: format.by_copies.clone(),
        by_original: format.by_original.clone(),
    };
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(2)
        .overflow_policy(block())
        .producer_formatting(producer_formatting)
        .build::<Record>(format.output_to(buf.clone()));
    (queue, handle, counts)
}

#[test]
fn full_queue_producers_format_and_nothing_is_lost() {
    let buf = SharedBuf::default();
    let (queue, handle, counts) = counting_queue(&buf, true);
    produce(&queue);
    // Everything appended so far is written once the flush completes, producers' lines too.
    futures::executor::block_on(queue.flush_async());
    assert_all_once(&buf);
    let stats = queue.stats();
    assert_eq!(stats.appended, THREADS * PER_THREAD);
    assert_eq!(stats.written, THREADS * PER_THREAD);
    assert_eq!((stats.dropped, stats.queued), (0, 0));
    assert!(
        stats.formatted_by_producers > 0,
        "a 2-entry queue fed by 4 threads was full at some point, so producers formatted"
    );
    // Every line came from a copy of the format: a producer's or the writer thread's own,
    // which formats the queued entries into one buffer per batch.
    assert_eq!(counts.by_copies.load(Ordering::Relaxed), stats.written);
    assert_eq!(counts.by_original.load(Ordering::Relaxed), 0);
    drop(handle);
    assert_all_once(&buf);
}

#[test]
fn shutdown_writes_what_producers_formatted() {
    let buf = SharedBuf::default();
    let (queue, handle) = json_queue(&buf, 1, block());
    produce(&queue);
    drop(handle);
    assert_all_once(&buf);
    let stats = queue.stats();
    assert_eq!(
        (stats.appended, stats.written, stats.dropped),
        (THREADS * PER_THREAD, THREADS * PER_THREAD, 0)
    );
    // After shutdown the queue accepts nothing, by either path.
    queue.append(record(99, 0));
    assert_eq!(queue.stats().dropped, 1);
}

/// The drop policies try the producer's own formatting before dropping: whatever is written is
/// written once, and every entry is either written or counted as dropped.
#[test]
fn drop_policies_format_before_dropping_and_count_the_rest() {
    for policy in [OverflowPolicy::DropOldest, OverflowPolicy::DropNewest] {
        let buf = SharedBuf::default();
        let (queue, handle) = json_queue(&buf, 2, policy);
        produce(&queue);
        drop(handle);
        let stats = queue.stats();
        let lines = assert_none_twice(&buf);
        assert_eq!(stats.written, lines, "{policy:?}");
        assert_eq!(stats.appended, THREADS * PER_THREAD, "{policy:?}");
        assert_eq!(stats.written + stats.dropped, stats.appended, "{policy:?}");
        assert!(stats.formatted_by_producers > 0, "{policy:?}");
    }
}

/// Turned off, producers never format: every entry goes through the queue, so each thread's
/// entries are written in the order it appended them.
#[test]
fn turned_off_every_entry_is_queued_in_order() {
    let buf = SharedBuf::default();
    let (queue, handle, counts) = counting_queue(&buf, false);
    produce(&queue);
    drop(handle);
    assert_all_once(&buf);
    assert_in_order_per_thread(&written(&buf));
    assert_eq!(queue.stats().formatted_by_producers, 0);
    assert_eq!(
        counts.by_copies.load(Ordering::Relaxed),
        THREADS * PER_THREAD,
        "the writer thread formats every entry with its own copy"
    );
    assert_eq!(counts.by_original.load(Ordering::Relaxed), 0);
}

/// While the writer keeps up (less than half the capacity waiting, queue never full), producers
/// only queue, even right after a burst they helped with.
#[test]
fn producers_format_only_while_the_writer_is_behind() {
    let buf = SharedBuf::default();
    let (queue, handle) = json_queue(&buf, 8, block());
    produce(&queue);
    futures::executor::block_on(queue.flush_async());
    let after_burst = queue.stats().formatted_by_producers;
    // The writer's last batch emptied the queue and said it was no longer behind. Three entries
    // never reach half of 8, so they are queued.
    for i in 0..3 {
        queue.append(record(THREADS, i));
    }
    drop(handle);
    assert_eq!(queue.stats().formatted_by_producers, after_burst);
    let tail: Vec<_> = written(&buf)
        .into_iter()
        .filter(|(t, _)| *t == THREADS)
        .collect();
    assert_eq!(tail, [(THREADS, 0), (THREADS, 1), (THREADS, 2)]);
}

fn assert_in_order_per_thread(keys: &[(u64, u64)]) {
    let mut next = vec![0u64; THREADS as usize];
    for &(t, seq) in keys {
        assert_eq!(seq, next[t as usize], "thread {t} written out of order");
        next[t as usize] += 1;
    }
}

/// Entries the format rejects on a producer's thread are counted as validation errors, like on
/// the writer's, and nothing is written for them.
#[test]
fn entries_rejected_on_producers_are_counted() {
    let buf = SharedBuf::default();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(2)
        .overflow_policy(block())
        .build::<support::Invalid>(Json::default().output_to(buf.clone()));
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            let q = queue.clone();
            s.spawn(move || {
                for _ in 0..PER_THREAD {
                    q.append(support::Invalid);
                }
            });
        }
    });
    drop(handle);
    let stats = queue.stats();
    assert_eq!(stats.appended, THREADS * PER_THREAD);
    assert_eq!(stats.validation_errors, THREADS * PER_THREAD);
    assert_eq!((stats.written, stats.dropped), (0, 0));
    assert!(stats.formatted_by_producers > 0);
    for line in buf.lines() {
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        assert!(
            v["metrics"].get("Bad").is_none(),
            "nothing written for a rejected entry"
        );
    }
}

/// The writer thread formats queued entries with its own copy of the format, into one buffer
/// written per batch: lines keep the order of the queue, the in-band report of a rejected
/// entry (no tracing subscriber in this test binary) lands where the entry was, and the
/// counters add up.
#[test]
fn the_writer_threads_copy_keeps_order_and_reports_in_place() {
    let buf = SharedBuf::default();
    let (queue, handle) =
        BackgroundQueueBuilder::new()
            .producer_formatting(false)
            .build::<metrique_writer::BoxEntry>(Json::default().output_to(buf.clone()));
    for round in 0..3 {
        queue.append(record(round, 1).boxed());
        queue.append(support::Invalid.boxed());
        queue.append(record(round, 2).boxed());
    }
    drop(handle);
    let lines = buf.lines();
    assert_eq!(lines.len(), 9, "{lines:?}");
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let round = (i / 3) as u64;
        match i % 3 {
            1 => assert!(line.contains("MetriqueValidationError"), "{lines:?}"),
            k => assert_eq!(
                (
                    v["metrics"]["Thread"]["value"].as_u64(),
                    v["metrics"]["Seq"]["value"].as_u64(),
                ),
                (Some(round), Some(if k == 0 { 1 } else { 2 })),
                "{lines:?}"
            ),
        }
    }
    let stats = queue.stats();
    assert_eq!((stats.appended, stats.written), (9, 6));
    assert_eq!(
        (stats.validation_errors, stats.formatted_by_producers),
        (3, 0)
    );
}

/// JSON whose writer-thread path takes 5 µs an entry; its copies format at full speed.
#[derive(Default)]
struct SlowWriterJson(Json);

impl Format for SlowWriterJson {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        let t = std::time::Instant::now();
        while t.elapsed() < Duration::from_micros(5) {
            std::hint::spin_loop();
        }
        self.0.format(entry, output)
    }

    fn __fork<T: Entry + 'static>(&self) -> Option<metrique_writer::__private::ForkedFormat<T>> {
        let mut json = Json::default();
        Some(Box::new(move |entry: &T, out: &mut Vec<u8>| {
            json.format(entry, out)
        }))
    }
}

/// In a queue far larger than the backlog, the writer still counts as behind once 32,768
/// entries wait (tens of milliseconds of work), and producers format.
#[test]
fn a_deep_backlog_counts_as_behind_in_a_large_queue() {
    let buf = SharedBuf::default();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(1 << 20)
        .overflow_policy(block())
        .build::<Record>(SlowWriterJson::default().output_to(buf.clone()));
    // Never half of the capacity: only the absolute threshold can apply.
    for i in 0..100_000 {
        queue.append(record(0, i));
    }
    drop(handle);
    let stats = queue.stats();
    assert_eq!((stats.written, stats.dropped), (100_000, 0));
    assert!(stats.formatted_by_producers > 0);
    assert_eq!(written(&buf).len(), 100_000);
}

//! `OverflowPolicy::Block` with a format that can be copied: producers that find the queue full
//! format their own entries (see `sink/background/assist.rs`). Nothing is lost or written
//! twice, flushes and shutdown cover those lines, and the counters add up.
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

/// JSON that counts the entries its copies format (the producers' share).
#[derive(Default)]
struct CountingJson {
    json: Json,
    by_copies: Arc<AtomicU64>,
}

impl Format for CountingJson {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
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

/// Every (thread, seq) exactly once, every line a JSON object.
fn assert_all_once(buf: &SharedBuf) {
    let mut seen = HashSet::new();
    for line in buf.lines() {
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        let m = &v["metrics"];
        let key = (
            m["Thread"]["value"].as_u64().unwrap(),
            m["Seq"]["value"].as_u64().unwrap(),
        );
        assert!(seen.insert(key), "{key:?} written twice");
    }
    assert_eq!(seen.len() as u64, THREADS * PER_THREAD);
}

#[test]
fn full_queue_producers_format_and_nothing_is_lost() {
    let buf = SharedBuf::default();
    let format = CountingJson::default();
    let by_copies = format.by_copies.clone();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(2)
        .overflow_policy(OverflowPolicy::Block {
            timeout: Duration::from_secs(60),
        })
        .build::<Record>(format.output_to(buf.clone()));
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
    // Everything appended so far is written once the flush completes, producers' lines too.
    futures::executor::block_on(queue.flush_async());
    assert_all_once(&buf);
    let stats = queue.stats();
    assert_eq!(stats.appended, THREADS * PER_THREAD);
    assert_eq!(stats.written, THREADS * PER_THREAD);
    assert_eq!((stats.dropped, stats.queued), (0, 0));
    assert!(
        by_copies.load(Ordering::Relaxed) > 0,
        "a 2-entry queue fed by 4 threads was full at some point, so producers formatted"
    );
    drop(handle);
    assert_all_once(&buf);
}

#[test]
fn shutdown_writes_what_producers_formatted() {
    let buf = SharedBuf::default();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(1)
        .overflow_policy(OverflowPolicy::Block {
            timeout: Duration::from_secs(60),
        })
        .build::<Record>(Json::default().output_to(buf.clone()));
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

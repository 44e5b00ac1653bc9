//! BackgroundQueue: delivery, overflow policies, flush, errors, shutdown.
#![cfg(feature = "background-queue")]

#[path = "support/line_format.rs"]
mod support;

use std::io::{BufRead, BufWriter};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use metrique_writer::sink::{
    BackgroundQueue, BackgroundQueueBuilder, BackgroundQueueEvent, OverflowPolicy,
};
use metrique_writer::{EntryIoStream, EntrySink, FormatExt};
use support::{FlakyStream, Gate, GateStream, Invalid, LineFormat, Req, SharedBuf, id_of};

#[derive(Default)]
struct Observed {
    overflows: AtomicU64,
    emitted: AtomicU64,
    io_errors: AtomicU64,
    validation_errors: AtomicU64,
    at_shutdown: AtomicU64,
}

fn observer(o: &Arc<Observed>) -> impl Fn(&str, BackgroundQueueEvent) + Send + Sync + 'static {
    let o = o.clone();
    move |_queue: &str, event: BackgroundQueueEvent| match event {
        BackgroundQueueEvent::QueueOverflow { .. } => {
            o.overflows.fetch_add(1, Ordering::SeqCst);
        }
        BackgroundQueueEvent::MetricsEmitted { count, .. } => {
            o.emitted.fetch_add(count, Ordering::SeqCst);
        }
        BackgroundQueueEvent::IoErrors { count, .. } => {
            o.io_errors.fetch_add(count, Ordering::SeqCst);
        }
        BackgroundQueueEvent::ValidationErrors { count, .. } => {
            o.validation_errors.fetch_add(count, Ordering::SeqCst);
        }
        BackgroundQueueEvent::DroppedAtShutdown { count, .. } => {
            o.at_shutdown.fetch_add(count, Ordering::SeqCst);
        }
        _ => {}
    }
}

#[test]
fn two_threads_to_a_file_lose_nothing() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = BufWriter::with_capacity(256 * 1024, file.reopen().unwrap());
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .overflow_policy(OverflowPolicy::Block {
            timeout: Duration::from_secs(60),
        })
        .observer(observer(&seen))
        .build::<Req>(LineFormat.output_to(out));
    std::thread::scope(|s| {
        for thread in 0..2 {
            let q = queue.clone();
            s.spawn(move || {
                for i in 0..50_000 {
                    q.append(Req {
                        id: thread * 50_000 + i,
                        thread,
                    });
                }
            });
        }
    });
    drop(handle);
    let mut ids: Vec<u64> = std::io::BufReader::new(file.reopen().unwrap())
        .lines()
        .map(|l| id_of(&l.unwrap()))
        .collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!((n, ids.len()), (100_000, 100_000), "lines, distinct ids");
    assert_eq!((ids[0], ids[99_999]), (0, 99_999));
    let stats = queue.stats();
    assert_eq!(
        (stats.appended, stats.written, stats.dropped),
        (100_000, 100_000, 0)
    );
    assert_eq!(seen.emitted.load(Ordering::SeqCst), 100_000);
}

/// A queue of `capacity` whose writer is stuck inside `next` on entry 0; then `extra` more
/// entries are appended. Returns the ids written once the gate opens, the stats and events.
fn overflow_run(
    policy: OverflowPolicy,
    capacity: usize,
    extra: u64,
) -> (Vec<u64>, metrique_writer::sink::QueueStats, Arc<Observed>) {
    let buf = SharedBuf::default();
    let gate = Arc::new(Gate::default());
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(capacity)
        .overflow_policy(policy)
        .observer(observer(&seen))
        .build::<Req>(GateStream {
            inner: LineFormat.output_to(buf.clone()),
            gate: gate.clone(),
        });
    queue.append(Req { id: 0, thread: 0 });
    gate.wait_entered(1);
    for id in 1..=extra {
        queue.append(Req { id, thread: 0 });
    }
    let before = queue.stats();
    gate.open();
    drop(handle);
    let after = queue.stats();
    assert_eq!(before.dropped, after.dropped, "drops happen at append time");
    (buf.lines().iter().map(|l| id_of(l)).collect(), after, seen)
}

#[test]
fn drop_oldest_keeps_the_newest_and_counts_every_drop() {
    let (ids, stats, seen) = overflow_run(OverflowPolicy::DropOldest, 10, 100);
    let mut expected = vec![0];
    expected.extend(91..=100);
    assert_eq!(ids, expected);
    assert_eq!(stats.appended, 101);
    assert_eq!(stats.dropped, 90);
    assert_eq!(stats.written, 11);
    assert_eq!(seen.overflows.load(Ordering::SeqCst), 90);
    assert_eq!(seen.emitted.load(Ordering::SeqCst), 11);
}

#[test]
fn drop_oldest_is_the_default() {
    assert_eq!(
        BackgroundQueue::<Req>::new(support::buf_stream())
            .0
            .overflow_policy(),
        OverflowPolicy::DropOldest
    );
}

#[test]
fn drop_newest_keeps_what_is_queued() {
    let (ids, stats, seen) = overflow_run(OverflowPolicy::DropNewest, 10, 100);
    assert_eq!(ids, (0..=10).collect::<Vec<_>>());
    assert_eq!(
        (stats.appended, stats.dropped, stats.written),
        (101, 90, 11)
    );
    assert_eq!(seen.overflows.load(Ordering::SeqCst), 90);
}

#[test]
fn block_times_out_then_drops() {
    let buf = SharedBuf::default();
    let gate = Arc::new(Gate::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(2)
        .overflow_policy(OverflowPolicy::Block {
            timeout: Duration::from_millis(50),
        })
        .build::<Req>(GateStream {
            inner: LineFormat.output_to(buf.clone()),
            gate: gate.clone(),
        });
    queue.append(Req { id: 0, thread: 0 });
    gate.wait_entered(1);
    queue.append(Req { id: 1, thread: 0 });
    queue.append(Req { id: 2, thread: 0 });
    let t = Instant::now();
    queue.append(Req { id: 3, thread: 0 });
    assert!(t.elapsed() >= Duration::from_millis(50));
    assert_eq!(queue.stats().dropped, 1);
    gate.open();
    drop(handle);
    assert_eq!(buf.lines().len(), 3);
}

#[test]
fn block_with_a_slow_writer_drops_nothing() {
    let buf = SharedBuf::default();
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(4)
        .overflow_policy(OverflowPolicy::Block {
            timeout: Duration::from_secs(30),
        })
        .observer(observer(&seen))
        .build::<Req>(support::SlowStream {
            inner: LineFormat.output_to(buf.clone()),
            every: 50,
        });
    std::thread::scope(|s| {
        for thread in 0..2 {
            let q = queue.clone();
            s.spawn(move || {
                for i in 0..1_000 {
                    q.append(Req {
                        id: thread * 1_000 + i,
                        thread,
                    });
                }
            });
        }
    });
    drop(handle);
    assert_eq!(queue.stats().dropped, 0);
    assert_eq!(seen.overflows.load(Ordering::SeqCst), 0);
    assert_eq!(buf.lines().len(), 2_000);
}

#[test]
fn flush_async_completes_after_everything_before_is_written_and_flushed() {
    let buf = SharedBuf::default();
    let flushes = Arc::new(AtomicU64::new(0));
    let (queue, _handle) = BackgroundQueueBuilder::new()
        .flush_interval(Duration::from_secs(59))
        .build::<Req>(FlakyStream {
            inner: LineFormat.output_to(buf.clone()),
            fail_first: 0,
            seen: 0,
            flushes: flushes.clone(),
        });
    for round in 0..5 {
        for i in 0..1_000 {
            queue.append(Req {
                id: round * 1_000 + i,
                thread: 0,
            });
        }
        let before = flushes.load(Ordering::SeqCst);
        futures::executor::block_on(queue.flush_async());
        assert_eq!(buf.lines().len() as u64, (round + 1) * 1_000);
        assert!(flushes.load(Ordering::SeqCst) > before);
    }
    // Nothing pending: completes too.
    futures::executor::block_on(queue.flush_async());
}

#[test]
fn flush_async_after_shutdown_is_ready() {
    let (queue, handle) = BackgroundQueue::<Req>::new(support::buf_stream());
    drop(handle);
    futures::executor::block_on(queue.flush_async());
}

#[test]
fn a_failing_then_recovering_stream_is_counted_and_writing_continues() {
    let buf = SharedBuf::default();
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .observer(observer(&seen))
        .build::<Req>(FlakyStream {
            inner: LineFormat.output_to(buf.clone()),
            fail_first: 30,
            seen: 0,
            flushes: Arc::default(),
        });
    for id in 0..100 {
        queue.append(Req { id, thread: 0 });
    }
    drop(handle);
    let ids: Vec<u64> = buf.lines().iter().map(|l| id_of(l)).collect();
    assert_eq!(ids, (30..100).collect::<Vec<_>>());
    let stats = queue.stats();
    assert_eq!((stats.io_errors, stats.written, stats.dropped), (30, 70, 0));
    assert_eq!(seen.io_errors.load(Ordering::SeqCst), 30);
    assert_eq!(seen.emitted.load(Ordering::SeqCst), 70);
}

#[test]
fn invalid_entries_are_counted_and_skipped() {
    let buf = SharedBuf::default();
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .observer(observer(&seen))
        .build_boxed(LineFormat.output_to(buf.clone()));
    queue.append(Req { id: 1, thread: 0 });
    queue.append(Invalid);
    queue.append(Req { id: 2, thread: 0 });
    drop(handle);
    assert_eq!(seen.validation_errors.load(Ordering::SeqCst), 1);
    assert_eq!(seen.emitted.load(Ordering::SeqCst), 2);
    // Without a tracing subscriber the error is also reported in-band.
    let lines = buf.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[1].starts_with("MetriqueValidationError="),
        "{lines:?}"
    );
}

#[test]
fn a_panicking_stream_does_not_kill_the_queue() {
    struct Panicky(u64, SharedBuf);
    impl EntryIoStream for Panicky {
        fn next(
            &mut self,
            entry: &impl metrique_writer::Entry,
        ) -> Result<(), metrique_writer::IoStreamError> {
            self.0 += 1;
            assert!(self.0 != 2, "boom");
            LineFormat.output_to(&mut self.1).next(entry)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = SharedBuf::default();
    let (queue, handle) = BackgroundQueue::<Req>::new(Panicky(0, buf.clone()));
    for id in 0..3 {
        queue.append(Req { id, thread: 0 });
    }
    drop(handle);
    assert_eq!(buf.lines().len(), 2);
    assert_eq!(queue.stats().io_errors, 1);
}

/// An observer that panics on every event neither reaches the producer (overflow events are
/// reported on its thread) nor stops the writer thread: entries keep being written and counted.
#[test]
fn a_panicking_observer_does_not_kill_the_queue_or_the_producer() {
    let buf = SharedBuf::default();
    let gate = Arc::new(Gate::default());
    let events = Arc::new(AtomicU64::new(0));
    let seen = events.clone();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .capacity(2)
        .overflow_policy(OverflowPolicy::DropNewest)
        .flush_interval(Duration::from_millis(1))
        .observer(move |_: &str, _: BackgroundQueueEvent| {
            seen.fetch_add(1, Ordering::SeqCst);
            panic!("observer bug");
        })
        .build::<Req>(GateStream {
            inner: LineFormat.output_to(buf.clone()),
            gate: gate.clone(),
        });
    // Should a panic escape into this thread, open the gate before `handle` drops (drop order
    // is the reverse of declaration), so that the test fails instead of hanging.
    struct OpenOnDrop(Arc<Gate>);
    impl Drop for OpenOnDrop {
        fn drop(&mut self) {
            self.0.open();
        }
    }
    let _open = OpenOnDrop(gate.clone());
    queue.append(Req { id: 0, thread: 0 });
    gate.wait_entered(1);
    // Two fit in the queue, the rest overflow: each overflow event panics in the observer.
    for id in 1..=10 {
        queue.append(Req { id, thread: 0 });
    }
    gate.open();
    // The writer survives its own events (written, periodic flushes) and keeps going.
    futures::executor::block_on(queue.flush_async());
    for id in 11..=12 {
        queue.append(Req { id, thread: 0 });
    }
    drop(handle);
    let stats = queue.stats();
    assert_eq!((stats.appended, stats.dropped, stats.written), (13, 8, 5));
    assert_eq!(buf.lines().len(), 5);
    assert!(
        events.load(Ordering::SeqCst) >= 9,
        "8 overflows and at least one write report"
    );
}

#[test]
fn entries_appended_after_shutdown_are_counted_as_dropped() {
    let seen = Arc::new(Observed::default());
    let (queue, handle) = BackgroundQueueBuilder::new()
        .observer(observer(&seen))
        .build::<Req>(support::buf_stream());
    queue.append(Req { id: 0, thread: 0 });
    handle.shut_down();
    queue.append(Req { id: 1, thread: 0 });
    let stats = queue.stats();
    assert_eq!((stats.appended, stats.written, stats.dropped), (2, 1, 1));
    assert_eq!(seen.at_shutdown.load(Ordering::SeqCst), 1);
}

#[test]
fn shutdown_timeout_bounds_the_drain_and_counts_the_rest() {
    let buf = SharedBuf::default();
    let (queue, handle) = BackgroundQueueBuilder::new()
        .shutdown_timeout(Duration::from_millis(30))
        .build::<Req>(support::SlowStream {
            inner: LineFormat.output_to(buf.clone()),
            every: 1,
        });
    for id in 0..1_000 {
        queue.append(Req { id, thread: 0 });
    }
    let t = Instant::now();
    drop(handle);
    assert!(t.elapsed() < Duration::from_secs(5));
    let stats = queue.stats();
    assert!(stats.dropped > 0);
    assert_eq!(stats.written + stats.dropped, 1_000);
    assert_eq!(buf.lines().len() as u64, stats.written);
}

#[test]
fn forgotten_handle_exits_when_the_last_queue_drops() {
    let buf = SharedBuf::default();
    let flushes = Arc::new(AtomicU64::new(0));
    let (queue, handle) = BackgroundQueue::<Req>::new(FlakyStream {
        inner: LineFormat.output_to(buf.clone()),
        fail_first: 0,
        seen: 0,
        flushes: flushes.clone(),
    });
    handle.forget();
    for id in 0..10 {
        queue.append(Req { id, thread: 0 });
    }
    let done = Arc::new(Mutex::new(false));
    drop(queue);
    let t = Instant::now();
    while buf.lines().len() < 10 {
        assert!(t.elapsed() < Duration::from_secs(10), "not drained");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(done);
}

/// Sets a flag when the writer thread drops its stream (it has exited).
struct ClosedFlag<S> {
    inner: S,
    closed: Arc<std::sync::atomic::AtomicBool>,
}

impl<S: EntryIoStream> EntryIoStream for ClosedFlag<S> {
    fn next(
        &mut self,
        entry: &impl metrique_writer::Entry,
    ) -> Result<(), metrique_writer::IoStreamError> {
        self.inner.next(entry)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<S> Drop for ClosedFlag<S> {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::SeqCst);
    }
}

/// Clones made on other threads (per entry, clones of clones, handles moved between threads)
/// all reach the queue, and once every one of them is dropped the writer thread of a forgotten
/// join handle drains and exits: the per-thread handles hold no reference cycle.
#[test]
fn clones_on_many_threads_all_deliver_and_release_the_queue() {
    let buf = SharedBuf::default();
    let closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (queue, handle) = BackgroundQueue::<Req>::new(ClosedFlag {
        inner: LineFormat.output_to(buf.clone()),
        closed: closed.clone(),
    });
    handle.forget();
    std::thread::scope(|s| {
        for thread in 0..4u64 {
            let q = queue.clone();
            s.spawn(move || {
                for id in 0..100 {
                    q.clone().append(Req { id, thread });
                }
                // A clone of this thread's clone, used on yet another thread.
                let nested = q.clone();
                std::thread::spawn(move || {
                    for id in 100..200 {
                        nested.clone().append(Req { id, thread });
                    }
                })
                .join()
                .unwrap();
            });
        }
    });
    drop(queue);
    let t = Instant::now();
    while !closed.load(Ordering::SeqCst) {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the writer did not exit after the last handle dropped"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(buf.lines().len(), 800);
}

#[test]
fn idle_queue_flushes_without_waiting_for_the_interval() {
    let flushes = Arc::new(AtomicU64::new(0));
    let (queue, _handle) = BackgroundQueueBuilder::new()
        .flush_interval(Duration::from_secs(59))
        .build::<Req>(FlakyStream {
            inner: support::buf_stream(),
            fail_first: 0,
            seen: 0,
            flushes: flushes.clone(),
        });
    queue.append(Req { id: 0, thread: 0 });
    let t = Instant::now();
    while flushes.load(Ordering::SeqCst) == 0 {
        assert!(t.elapsed() < Duration::from_secs(10), "no idle flush");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
#[should_panic(expected = "capacity must be > 0")]
fn zero_capacity_is_rejected() {
    let _ = BackgroundQueueBuilder::new().capacity(0);
}

#[test]
fn accounting_holds_under_contention_with_flushes_and_shutdown() {
    for policy in [
        OverflowPolicy::DropOldest,
        OverflowPolicy::DropNewest,
        OverflowPolicy::Block {
            timeout: Duration::from_millis(1),
        },
    ] {
        let seen = Arc::new(Observed::default());
        let buf = SharedBuf::default();
        let (queue, handle) = BackgroundQueueBuilder::new()
            .capacity(8)
            .overflow_policy(policy)
            .observer(observer(&seen))
            .build::<Req>(LineFormat.output_to(buf.clone()));
        std::thread::scope(|s| {
            for thread in 0..3 {
                let q = queue.clone();
                s.spawn(move || {
                    for i in 0..3_000 {
                        q.append(Req { id: i, thread });
                    }
                });
            }
            let q = queue.clone();
            s.spawn(move || {
                for _ in 0..50 {
                    futures::executor::block_on(q.flush_async());
                }
            });
        });
        // A late producer racing the shutdown.
        let late = {
            let q = queue.clone();
            std::thread::spawn(move || {
                for i in 0..1_000 {
                    q.append(Req { id: i, thread: 9 });
                }
            })
        };
        drop(handle);
        late.join().unwrap();
        let stats = queue.stats();
        assert_eq!(stats.appended, 10_000, "{policy:?}: {stats:?}");
        assert_eq!(
            stats.written + stats.dropped,
            10_000,
            "{policy:?}: {stats:?}"
        );
        assert_eq!(buf.lines().len() as u64, stats.written, "{policy:?}");
        assert_eq!(
            seen.overflows.load(Ordering::SeqCst) + seen.at_shutdown.load(Ordering::SeqCst),
            stats.dropped,
            "{policy:?}: every drop is observed"
        );
        assert_eq!(seen.emitted.load(Ordering::SeqCst), stats.written);
    }
}

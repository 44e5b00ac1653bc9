//! FlushImmediately, VecEntrySink, DevNullSink.

#[path = "support/line_format.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use metrique_writer::sink::{DevNullSink, FlushImmediately, FlushImmediatelyEvent, VecEntrySink};
use metrique_writer::{EntrySink, FormatExt};
use support::{FlakyStream, Invalid, LineFormat, Req, SharedBuf, id_of};

/// Neither the entry nor the stream is `Clone`, yet the sink is.
struct NotClone(SharedBuf);
impl metrique_writer::EntryIoStream for NotClone {
    fn next(
        &mut self,
        entry: &impl metrique_writer::Entry,
    ) -> Result<(), metrique_writer::IoStreamError> {
        LineFormat.output_to(&mut self.0).next(entry)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn flush_immediately_serializes_concurrent_appends_without_loss() {
    let buf = SharedBuf::default();
    let sink = FlushImmediately::<Req, _>::new(NotClone(buf.clone()));
    std::thread::scope(|s| {
        for thread in 0..20 {
            let sink = sink.clone();
            s.spawn(move || {
                for i in 0..10 {
                    sink.append(Req {
                        id: thread * 10 + i,
                        thread,
                    });
                }
            });
        }
    });
    let mut ids: Vec<u64> = buf.lines().iter().map(|l| id_of(l)).collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..200).collect::<Vec<_>>());
    assert_eq!(sink.stats().written, 200);
    futures::executor::block_on(sink.flush_async());
}

#[test]
fn flush_immediately_counts_errors_and_recovers() {
    let buf = SharedBuf::default();
    let io = Arc::new(AtomicU64::new(0));
    let invalid = Arc::new(AtomicU64::new(0));
    let (io2, invalid2) = (io.clone(), invalid.clone());
    let sink = FlushImmediately::builder()
        .metric_name("test")
        .observer(move |name: &str, e: FlushImmediatelyEvent| {
            assert_eq!(name, "test");
            match e {
                FlushImmediatelyEvent::IoErrors { count, .. } => {
                    io2.fetch_add(count, Ordering::SeqCst);
                }
                FlushImmediatelyEvent::ValidationErrors { count, .. } => {
                    invalid2.fetch_add(count, Ordering::SeqCst);
                }
                _ => {}
            }
        })
        .build_boxed(FlakyStream {
            inner: LineFormat.output_to(buf.clone()),
            fail_first: 2,
            seen: 0,
            flushes: Arc::default(),
        });
    for id in 0..5 {
        sink.append(Req { id, thread: 0 });
    }
    sink.append(Invalid);
    assert_eq!(buf.lines().len(), 3);
    assert_eq!(io.load(Ordering::SeqCst), 2);
    assert_eq!(invalid.load(Ordering::SeqCst), 1);
}

#[test]
fn vec_entry_sink_clones_share_entries() {
    let sink = VecEntrySink::new();
    sink.clone().append(Req { id: 1, thread: 0 });
    assert!(sink.contains_entry(&Req { id: 1, thread: 0 }));
    assert_eq!(sink.drain(), vec![Req { id: 1, thread: 0 }]);
    assert!(sink.drain().is_empty());
}

#[test]
fn dev_null_discards() {
    DevNullSink::new().append(Req { id: 1, thread: 0 });
    let boxed = DevNullSink::boxed();
    boxed.append(Req { id: 1, thread: 0 });
    futures::executor::block_on(boxed.flush_async());
}

//! Global sinks: attach/detach, shutdown functions, lazy sinks, test sinks, the macro.
//!
//! Every test uses its own global (tests run in parallel), except the `ServiceMetrics` one.

#[path = "support/line_format.rs"]
mod support;

use std::io::{BufRead, BufWriter};
use std::sync::{Arc, Mutex};

use metrique_writer::sink::{BackgroundQueueBuilder, FlushImmediately, ShutdownFn, VecEntrySink};
use metrique_writer::{
    AttachGlobalEntrySink, AttachGlobalEntrySinkExt, BoxEntry, EntrySink, FormatExt,
    GlobalEntrySink, ServiceMetrics,
};
use support::{LineFormat, Req, SharedBuf, id_of};

// Both macro paths work from another crate.
metrique_writer::global_entry_sink! {
    /// Used by `shutdown_functions_run_in_reverse_order_before_detach`.
    ShutdownOrder
}
metrique_writer::sink::global_entry_sink! {
    /// Used by `lazy_sink_discards_until_attached`.
    LazyGlobal
}
metrique_writer::global_entry_sink! {
    /// A crate-private global.
    pub(crate) struct Reattach;
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    DoubleAttach
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    NeverAttached
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    TestSinks
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    Direct
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    Forgotten
}

#[test]
fn service_metrics_through_a_background_queue_to_a_file_loses_nothing() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = BufWriter::with_capacity(256 * 1024, file.reopen().unwrap());
    let attach = ServiceMetrics::attach(
        BackgroundQueueBuilder::new()
            .overflow_policy(metrique_writer::sink::OverflowPolicy::Block {
                timeout: std::time::Duration::from_secs(60),
            })
            .build::<BoxEntry>(LineFormat.output_to(out)),
    );
    std::thread::scope(|s| {
        for thread in 0..2u64 {
            s.spawn(move || {
                for i in 0..50_000 {
                    let entry = Req {
                        id: thread * 50_000 + i,
                        thread,
                    };
                    if i % 2 == 0 {
                        ServiceMetrics::append(entry);
                    } else {
                        // the usual idiom: a guard holding `ServiceMetrics::sink()`
                        drop(ServiceMetrics::sink().append_on_drop(entry));
                    }
                }
            });
        }
    });
    drop(attach);
    assert!(!ServiceMetrics::is_attached());
    let mut ids: Vec<u64> = std::io::BufReader::new(file.reopen().unwrap())
        .lines()
        .map(|l| id_of(&l.unwrap()))
        .collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!((n, ids.len()), (100_000, 100_000), "lines, distinct ids");
}

#[test]
fn shutdown_functions_run_in_reverse_order_before_detach() {
    let order = Arc::new(Mutex::new(Vec::new()));
    let sink = VecEntrySink::<BoxEntry>::new();
    let handle = ShutdownOrder::attach((sink.clone(), ()));
    for i in 1..=3 {
        let order = order.clone();
        ShutdownOrder::register_shutdown_fn(ShutdownFn::new(move || {
            // still attached while shutdown functions run
            assert!(ShutdownOrder::is_attached());
            order.lock().unwrap().push(i);
        }));
    }
    ShutdownOrder::register_shutdown_fn(ShutdownFn::new(|| panic!("a panicking fn")));
    drop(handle);
    assert_eq!(*order.lock().unwrap(), vec![3, 2, 1]);
    assert!(!ShutdownOrder::is_attached());
}

#[test]
fn lazy_sink_discards_until_attached() {
    let lazy = LazyGlobal::sink_or_discard();
    lazy.append(Req { id: 0, thread: 0 }); // discarded
    let entries = VecEntrySink::<BoxEntry>::new();
    let handle = LazyGlobal::attach((entries.clone(), ()));
    lazy.append(Req { id: 1, thread: 0 });
    drop(handle);
    lazy.append(Req { id: 2, thread: 0 }); // discarded again
    futures::executor::block_on(lazy.flush_async());
    assert_eq!(entries.drain().len(), 1);
}

#[test]
fn a_global_can_be_reattached_after_its_handle_drops() {
    let first = VecEntrySink::<BoxEntry>::new();
    let second = VecEntrySink::<BoxEntry>::new();
    let h = Reattach::attach((first.clone(), ()));
    Reattach::append(Req { id: 1, thread: 0 });
    drop(h);
    assert!(Reattach::try_append(Req { id: 2, thread: 0 }).is_err());
    let h = Reattach::attach((second.clone(), ()));
    Reattach::append(Req { id: 3, thread: 0 });
    drop(h);
    assert_eq!((first.drain().len(), second.drain().len()), (1, 1));
}

#[test]
#[should_panic(expected = "Already installed a global DoubleAttach sink")]
fn attaching_twice_panics() {
    let _a = DoubleAttach::attach((VecEntrySink::<BoxEntry>::new(), ()));
    let _b = DoubleAttach::attach((VecEntrySink::<BoxEntry>::new(), ()));
}

#[test]
#[should_panic(expected = "sink must be `attach()`ed before use")]
fn sink_panics_when_nothing_is_attached() {
    let _ = NeverAttached::sink();
}

#[test]
fn try_sink_and_try_append_do_not_panic_when_nothing_is_attached() {
    assert!(NeverAttached::try_sink().is_none());
    assert_eq!(
        NeverAttached::try_append(Req { id: 7, thread: 0 })
            .unwrap_err()
            .id,
        7
    );
}

#[test]
fn thread_local_test_sink_takes_precedence_on_its_thread_only() {
    let attached = VecEntrySink::<BoxEntry>::new();
    let handle = TestSinks::attach((attached.clone(), ()));
    let test = metrique_writer::test_util::test_entry_sink();
    {
        let _guard = TestSinks::set_test_sink(test.sink.clone());
        TestSinks::append(Req { id: 1, thread: 0 });
        std::thread::spawn(|| TestSinks::append(Req { id: 2, thread: 1 }))
            .join()
            .unwrap();
    }
    TestSinks::append(Req { id: 3, thread: 0 });
    TestSinks::with_test_sink(test.sink.clone(), || {
        TestSinks::append(Req { id: 4, thread: 0 });
    });
    drop(handle);
    let ids: Vec<u64> = test
        .inspector
        .entries()
        .iter()
        .map(|e| e.metrics["Id"].as_u64())
        .collect();
    assert_eq!(ids, vec![1, 4]);
    assert_eq!(attached.drain().len(), 2);
}

#[test]
fn write_directly_to_writes_on_the_callers_thread() {
    let buf = SharedBuf::default();
    let handle = Direct::write_directly_to(LineFormat.output_to(buf.clone()));
    Direct::append(Req { id: 5, thread: 0 });
    // Already written: no thread, no queue.
    assert_eq!(buf.lines().len(), 1);
    drop(handle);
}

#[test]
fn attaching_a_box_entry_sink_does_not_wrap_it() {
    // A BoxEntrySink is stored as is; entries appended through the global are boxed once.
    let direct = FlushImmediately::<BoxEntry, _>::new_boxed(support::buf_stream());
    let handle = Direct2::attach((direct, ()));
    Direct2::append(Req { id: 1, thread: 0 });
    drop(handle);
}
metrique_writer::global_entry_sink! {
    /// A global for one test.
    Direct2
}

#[test]
fn forget_keeps_the_sink_attached() {
    let entries = VecEntrySink::<BoxEntry>::new();
    let ran = Arc::new(Mutex::new(false));
    let handle = Forgotten::attach((entries.clone(), ()));
    let r = ran.clone();
    Forgotten::register_shutdown_fn(ShutdownFn::new(move || *r.lock().unwrap() = true));
    handle.forget();
    Forgotten::append(Req { id: 1, thread: 0 });
    assert!(Forgotten::is_attached());
    assert_eq!(entries.drain().len(), 1);
    assert!(!*ran.lock().unwrap());
}

//! Model checking of the guard, handle and slot state machines with loom: for every explored
//! interleaving of 2–3 threads, the entry is emitted exactly once (or never, when discarded),
//! never before the emission rule allows it, and with every write made before the releases.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p metrique-core --test loom_guard --release
//! ```
#![cfg(loom)]

use std::sync::Mutex as StdMutex;

use loom::sync::Arc;
use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use loom::thread;
use metrique_core::{
    AppendAndCloseOnDrop, CloseValue, InflectableEntry, OnParentDrop, RootEntry, Slot,
    append_and_close,
};
use metrique_writer::{EntrySink, EntryWriter, FlushWait};

/// A child record sent through a slot.
#[derive(Default)]
struct Child {
    n: u64,
}

impl CloseValue for Child {
    type Closed = u64;
    fn close(self) -> u64 {
        self.n
    }
}

/// The entry: a counter written through handles, a slot, and a flag set by `close`.
#[derive(Default)]
struct Work {
    count: AtomicU64,
    child: Slot<Child>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Closed {
    count: u64,
    child: Option<u64>,
}

impl CloseValue for Work {
    type Closed = Closed;
    fn close(self) -> Closed {
        Closed {
            count: self.count.load(SeqCst),
            child: self.child.close(),
        }
    }
}

impl InflectableEntry for Closed {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Count", &self.count);
    }
}

/// Records emissions and checks, at emission time, that the rule allowed it.
struct Sink {
    emitted: AtomicUsize,
    got: StdMutex<Vec<Closed>>,
    rule: Box<dyn Fn() -> bool + Send + Sync>,
}

impl Sink {
    fn new(rule: impl Fn() -> bool + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            emitted: AtomicUsize::new(0),
            got: StdMutex::new(Vec::new()),
            rule: Box::new(rule),
        })
    }
    fn entries(&self) -> Vec<Closed> {
        self.got.lock().unwrap().clone()
    }
}

#[derive(Clone)]
struct SinkRef(Arc<Sink>);

impl EntrySink<RootEntry<Closed>> for SinkRef {
    fn append(&self, entry: RootEntry<Closed>) {
        assert!((self.0.rule)(), "emitted before the rule allowed it");
        assert_eq!(self.0.emitted.fetch_add(1, SeqCst), 0, "emitted twice");
        self.0.got.lock().unwrap().push(entry.into_inner());
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

type Guard = AppendAndCloseOnDrop<Work, SinkRef>;

fn guard(sink: &Arc<Sink>) -> Guard {
    append_and_close(Work::default(), SinkRef(sink.clone()))
}

/// Release flags set by each party just before it drops its guard.
#[derive(Default)]
struct Flags {
    owner: AtomicBool,
    flush: [AtomicBool; 2],
    force: AtomicBool,
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(6);
    }
    b.check(f);
}

#[test]
fn parent_and_two_flush_guards_emit_once_after_all() {
    model(|| {
        let flags = Arc::new(Flags::default());
        let f2 = flags.clone();
        let sink =
            Sink::new(move || f2.owner.load(SeqCst) && f2.flush.iter().all(|f| f.load(SeqCst)));
        let g = guard(&sink);
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let fg = g.flush_guard();
                let flags = flags.clone();
                thread::spawn(move || {
                    flags.flush[i].store(true, SeqCst);
                    drop(fg);
                })
            })
            .collect();
        g.count.fetch_add(1, SeqCst);
        flags.owner.store(true, SeqCst);
        drop(g);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            sink.entries(),
            [Closed {
                count: 1,
                child: None
            }]
        );
    });
}

#[test]
fn force_guard_races_flush_guard_and_parent() {
    model(|| {
        let flags = Arc::new(Flags::default());
        let f2 = flags.clone();
        let sink = Sink::new(move || {
            f2.owner.load(SeqCst) && (f2.flush[0].load(SeqCst) || f2.force.load(SeqCst))
        });
        let g = guard(&sink);
        let fg = g.flush_guard();
        let force = g.force_flush_guard();
        let fl = flags.clone();
        let t1 = thread::spawn(move || {
            fl.flush[0].store(true, SeqCst);
            drop(fg);
        });
        let fl = flags.clone();
        let t2 = thread::spawn(move || {
            fl.force.store(true, SeqCst);
            drop(force);
        });
        flags.owner.store(true, SeqCst);
        drop(g);
        t1.join().unwrap();
        t2.join().unwrap();
        assert_eq!(sink.entries().len(), 1);
    });
}

#[test]
fn handles_across_threads_emit_once_with_all_writes() {
    model(|| {
        let released = Arc::new(AtomicUsize::new(0));
        let r2 = released.clone();
        let sink = Sink::new(move || r2.load(SeqCst) == 3);
        let h = guard(&sink).handle();
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let h = h.clone();
                let released = released.clone();
                thread::spawn(move || {
                    h.count.fetch_add(1, SeqCst);
                    released.fetch_add(1, SeqCst);
                    drop(h);
                })
            })
            .collect();
        h.count.fetch_add(1, SeqCst);
        released.fetch_add(1, SeqCst);
        drop(h);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(
            sink.entries(),
            [Closed {
                count: 3,
                child: None
            }]
        );
    });
}

#[test]
fn concurrent_first_flush_guard_promotes_once() {
    model(|| {
        let released = Arc::new(AtomicUsize::new(0));
        let r2 = released.clone();
        let sink = Sink::new(move || r2.load(SeqCst) == 3);
        // `flush_guard(&self)` from two threads sharing the owner.
        let g = Arc::new(guard(&sink));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let g = g.clone();
                let released = released.clone();
                thread::spawn(move || {
                    let fg = g.flush_guard();
                    drop(g);
                    released.fetch_add(1, SeqCst);
                    drop(fg);
                })
            })
            .collect();
        released.fetch_add(1, SeqCst);
        drop(g);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(sink.entries().len(), 1);
    });
}

#[test]
fn discard_races_flush_guard_drop() {
    model(|| {
        let sink = Sink::new(|| false);
        let g = guard(&sink);
        let fg = g.flush_guard();
        let force = g.force_flush_guard();
        let t1 = thread::spawn(move || drop(fg));
        let t2 = thread::spawn(move || drop(force));
        g.discard();
        t1.join().unwrap();
        t2.join().unwrap();
        assert!(sink.entries().is_empty());
    });
}

#[test]
fn slot_wait_delivers_before_release() {
    model(|| {
        let flags = Arc::new(Flags::default());
        let f2 = flags.clone();
        let sink = Sink::new(move || f2.owner.load(SeqCst) && f2.flush[0].load(SeqCst));
        let mut g = guard(&sink);
        let fg = g.flush_guard();
        let mut child = g.child.open(OnParentDrop::Wait(fg)).unwrap();
        let fl = flags.clone();
        let t = thread::spawn(move || {
            child.n = 7;
            fl.flush[0].store(true, SeqCst);
            drop(child);
        });
        flags.owner.store(true, SeqCst);
        drop(g);
        t.join().unwrap();
        // The slot's data is always there: it is sent before the flush guard is released.
        assert_eq!(
            sink.entries(),
            [Closed {
                count: 0,
                child: Some(7)
            }]
        );
    });
}

#[test]
fn slot_discard_never_blocks_and_emits_once() {
    model(|| {
        let sink = Sink::new(|| true);
        let mut g = guard(&sink);
        let mut child = g.child.open(OnParentDrop::Discard).unwrap();
        let t = thread::spawn(move || {
            child.n = 7;
            drop(child);
        });
        drop(g);
        t.join().unwrap();
        let got = sink.entries();
        assert_eq!(got.len(), 1);
        assert!(matches!(got[0].child, None | Some(7)));
    });
}

#[test]
fn handle_flush_guard_and_force_across_three_threads() {
    model(|| {
        let flags = Arc::new(Flags::default());
        let handles_left = Arc::new(AtomicUsize::new(2));
        let (f2, h2) = (flags.clone(), handles_left.clone());
        let sink = Sink::new(move || {
            h2.load(SeqCst) == 0 && (f2.flush[0].load(SeqCst) || f2.force.load(SeqCst))
        });
        let g = guard(&sink);
        let fg = g.flush_guard();
        let force = g.force_flush_guard();
        let h = g.handle();
        let h1 = h.clone();
        let hl = handles_left.clone();
        let t1 = thread::spawn(move || {
            h1.count.fetch_add(1, SeqCst);
            hl.fetch_sub(1, SeqCst);
            drop(h1);
        });
        let fl = flags.clone();
        let t2 = thread::spawn(move || {
            fl.flush[0].store(true, SeqCst);
            drop(fg);
            fl.force.store(true, SeqCst);
            drop(force);
        });
        h.count.fetch_add(1, SeqCst);
        handles_left.fetch_sub(1, SeqCst);
        drop(h);
        t1.join().unwrap();
        t2.join().unwrap();
        assert_eq!(
            sink.entries(),
            [Closed {
                count: 2,
                child: None
            }]
        );
    });
}

/// A seeded bug: the checker must catch a rule that demands more than the guard provides
/// (emission before the second flush guard's flag would be observed).
#[test]
#[should_panic(expected = "emitted before the rule allowed it")]
fn seeded_bug_is_caught() {
    model(|| {
        let flags = Arc::new(Flags::default());
        let f2 = flags.clone();
        // Wrong rule: the flag is set *after* the drop, so some interleaving emits first.
        let sink = Sink::new(move || f2.flush[0].load(SeqCst));
        let g = guard(&sink);
        let fg = g.flush_guard();
        let fl = flags.clone();
        let t = thread::spawn(move || {
            drop(fg);
            fl.flush[0].store(true, SeqCst);
        });
        drop(g);
        t.join().unwrap();
    });
}

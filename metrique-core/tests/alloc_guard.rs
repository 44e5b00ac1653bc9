//! Allocation budget of the guards (reference §5.2), counted by a `#[global_allocator]`:
//! plain path 0, `handle()` exactly 1, a flush-guard path at most 3.
//!
//! Only allocations made by the measuring thread are counted (a thread-local switch), so tests
//! running in parallel don't disturb each other.

#[path = "guard_support/recorder.rs"]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use metrique_core::{CloseValue, OnParentDrop, RootEntry, append_and_close};
use metrique_writer::{EntrySink, FlushWait};
use support::{Child, Req, ReqEntry};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: delegates to `System`; the bookkeeping touches only const-initialised thread locals
// without destructors (no allocation, no re-entrancy).
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNTING.try_with(|c| {
            if c.get() {
                ALLOCS.with(|a| a.set(a.get() + 1));
            }
        });
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNTING.try_with(|c| {
            if c.get() {
                ALLOCS.with(|a| a.set(a.get() + 1));
            }
        });
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    ALLOCS.with(|a| a.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCS.with(|a| a.get())
}

/// A sink that only counts (never allocates).
struct CountSink<'a>(&'a AtomicUsize);

impl EntrySink<RootEntry<ReqEntry>> for CountSink<'_> {
    fn append(&self, entry: RootEntry<ReqEntry>) {
        std::hint::black_box(&entry);
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

// One static per test: tests run in parallel, and each checks its own emission count.
static EMITTED_HANDLE: AtomicUsize = AtomicUsize::new(0);
static EMITTED_FLUSH: AtomicUsize = AtomicUsize::new(0);

#[test]
fn plain_path_allocates_nothing() {
    let emitted = AtomicUsize::new(0);
    let n = allocations(|| {
        let mut g = append_and_close(Req::default(), CountSink(&emitted));
        g.ducks += 1;
        g.add(2);
        drop(g);
    });
    assert_eq!(n, 0);
    assert_eq!(emitted.load(Ordering::Relaxed), 1);

    let n = allocations(|| append_and_close(Req::default(), CountSink(&emitted)).discard());
    assert_eq!(n, 0);
    assert_eq!(emitted.load(Ordering::Relaxed), 1);
}

#[test]
fn handle_path_allocates_once() {
    let emitted = &EMITTED_HANDLE;
    let before = emitted.load(Ordering::Relaxed);
    let n = allocations(|| {
        let h = append_and_close(Req::default(), CountSink(emitted)).handle();
        let h2 = h.clone();
        h2.add(1);
        drop(h);
        drop(h2);
    });
    assert_eq!(n, 1);
    assert_eq!(emitted.load(Ordering::Relaxed), before + 1);
}

#[test]
fn flush_guard_path_allocates_at_most_three() {
    let emitted = &EMITTED_FLUSH;
    let before = emitted.load(Ordering::Relaxed);
    // Guard outlives the parent: the shared cell plus the deferred emission.
    let n = allocations(|| {
        let mut g = append_and_close(Req::default(), CountSink(emitted));
        let f = g.flush_guard();
        let f2 = g.flush_guard();
        let force = g.force_flush_guard();
        g.ducks += 1;
        drop(g);
        drop(f);
        drop(f2);
        drop(force);
    });
    assert_eq!(n, 2);
    // Guards released before the parent: only the shared cell.
    let n = allocations(|| {
        let g = append_and_close(Req::default(), CountSink(emitted));
        drop(g.flush_guard());
        drop(g);
    });
    assert_eq!(n, 1);
    // Flush guard and handle: cell + Arc + deferred emission.
    let n = allocations(|| {
        let g = append_and_close(Req::default(), CountSink(emitted));
        let f = g.flush_guard();
        let h = g.handle();
        drop(h);
        drop(f);
    });
    assert_eq!(n, 3, "cell, handle Arc, deferred emission");
    assert_eq!(emitted.load(Ordering::Relaxed), before + 3);
}

#[test]
fn slot_allocates_only_when_opened() {
    let n = allocations(|| {
        let slot = metrique_core::Slot::new(Child { n: 1 });
        assert_eq!(slot.close(), None);
    });
    assert_eq!(n, 0);
    let n = allocations(|| {
        let mut slot = metrique_core::Slot::new(Child { n: 1 });
        drop(slot.open(OnParentDrop::Discard));
        assert!(slot.close().is_some());
    });
    assert_eq!(n, 1, "the oneshot channel");
}

//! Allocation budget of one wide event, counted by a global allocator (per thread, so tests
//! running in parallel do not disturb each other):
//! - typed path: a `#[metrics]` struct `append_on_drop` to a typed sink formatting EMF, and the
//!   producer side of a typed `BackgroundQueue`: **0** allocations per entry once warm;
//! - `ServiceMetrics` path (boxed): **at most 1** (the `BoxEntry`).
//!
//! Speed is measured by the benches (`benches/per_entry.rs`), not here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{self, Write};

use metrique::writer::format::Format;
use metrique::writer::sink::{BackgroundQueueBuilder, FlushImmediately, OverflowPolicy};
use metrique::writer::{AttachGlobalEntrySinkExt, FormatExt, GlobalEntrySink};
use metrique::{CloseValue, RootEntry, RootMetric, ServiceMetrics};

struct Counting;

thread_local! {
    /// Allocations (including reallocations) made by this thread. `const`-initialised, no
    /// destructor: safe to touch from inside the allocator.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by this thread while running `f`.
fn allocations(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[path = "../benches/support/request_metrics.rs"]
mod request_metrics;
use request_metrics::{RequestMetrics, emf, request};

/// An in-memory destination whose `flush` ships (discards) what was written, keeping its
/// capacity: what a `BufWriter` in front of a file does.
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

/// Warm: the format's reused buffers have grown to the working size of this input mix (a
/// buffer may double once while values gain digits over the first few hundred entries).
const WARM_UP: u64 = 1_000;
const MEASURED: u64 = 10_000;

#[test]
fn typed_sink_to_emf_allocates_nothing_per_entry() {
    let sink = FlushImmediately::<RootMetric<RequestMetrics>, _>::new(
        emf().output_to(MemWriter(Vec::with_capacity(4096))),
    );
    for i in 0..WARM_UP {
        drop(request(i).append_on_drop(sink.clone()));
    }
    let n = allocations(|| {
        for i in WARM_UP..WARM_UP + MEASURED {
            drop(request(i).append_on_drop(sink.clone()));
        }
    });
    assert_eq!(
        n, 0,
        "{n} allocations for {MEASURED} entries on the typed path"
    );
    assert_eq!(sink.stats().written, WARM_UP + MEASURED);
}

#[test]
fn close_and_format_allocates_nothing_per_entry() {
    let mut format = emf();
    let mut out = Vec::with_capacity(1 << 16);
    let mut run = |range: std::ops::Range<u64>| {
        for i in range {
            out.clear();
            let entry = RootEntry::new(request(i).close());
            format.format(&entry, &mut out).expect("valid entry");
        }
    };
    run(0..WARM_UP);
    let n = allocations(|| run(WARM_UP..WARM_UP + MEASURED));
    assert_eq!(
        n, 0,
        "{n} allocations for {MEASURED} entries (close + format)"
    );
}

#[test]
fn typed_background_queue_append_allocates_nothing() {
    let (queue, join) = BackgroundQueueBuilder::new()
        .overflow_policy(OverflowPolicy::DropNewest)
        .build::<RootMetric<RequestMetrics>>(emf().output_to(io::sink()));
    for i in 0..WARM_UP {
        drop(request(i).append_on_drop(queue.clone()));
    }
    // Only this (producer) thread's allocations are counted; the writer thread formats.
    let n = allocations(|| {
        for i in WARM_UP..WARM_UP + MEASURED {
            drop(request(i).append_on_drop(queue.clone()));
        }
    });
    drop(join);
    assert_eq!(
        n, 0,
        "{n} allocations for {MEASURED} appends to a typed queue"
    );
    let stats = queue.stats();
    assert_eq!(stats.written + stats.dropped, WARM_UP + MEASURED);
}

#[test]
fn service_metrics_allocates_at_most_once_per_entry() {
    // The only test of this binary that attaches the global sink.
    let attach = ServiceMetrics::write_directly_to(emf().output_to(MemWriter(Vec::new())));
    for i in 0..WARM_UP {
        drop(request(i).append_on_drop(ServiceMetrics::sink()));
    }
    let n = allocations(|| {
        for i in WARM_UP..WARM_UP + MEASURED {
            drop(request(i).append_on_drop(ServiceMetrics::sink()));
        }
    });
    drop(attach);
    assert!(
        n <= MEASURED,
        "{n} allocations for {MEASURED} entries through ServiceMetrics (budget: 1 per entry)"
    );
}

#[test]
fn the_counter_sees_allocations() {
    let n = allocations(|| drop(std::hint::black_box(Box::new(7u64))));
    assert_eq!(n, 1);
}

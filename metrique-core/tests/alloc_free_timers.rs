//! Timers, timestamps and counters on the system clock allocate nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use metrique_core::timers::{Stopwatch, Timer, Timestamp, TimestampOnClose};
use metrique_core::timesource::time_source;
use metrique_core::{CloseValue, Counter};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts (in a destructor-free thread-local).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|a| a.set(a.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn per_entry_clock_work_allocates_nothing() {
    // Warm up thread-locals and the clock.
    let _ = (
        Timer::start_now().close(),
        Timestamp::now().close(),
        time_source(),
    );
    let n = allocations_in(|| {
        for _ in 0..100 {
            let timer = Timer::start_now();
            let stamp = Timestamp::now();
            let on_close = TimestampOnClose::default();
            let counter = Counter::new(0);
            let (guard, _) = counter.increment_scoped();
            let mut sw = Stopwatch::new();
            drop(sw.start());
            std::hint::black_box((
                timer.close(),
                stamp.close(),
                on_close.close(),
                (&guard).close(),
                sw.close(),
            ));
        }
    });
    assert_eq!(n, 0);
}

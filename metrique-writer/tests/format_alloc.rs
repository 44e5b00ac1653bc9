//! Formatting allocates nothing once a format's buffers are warm.
#![cfg(all(feature = "emf", feature = "json"))]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use common::{Cfg, TestEntry, V};
use metrique_writer::Observation;
use metrique_writer::format::Format;
use metrique_writer::format::emf::Emf;
use metrique_writer::format::json::Json;

struct Counting;

thread_local! {
    /// Allocations made by this thread. Per thread: the test harness's own thread allocates
    /// now and then while a test runs.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn entries() -> Vec<TestEntry> {
    let wide = TestEntry::new()
        .field("Operation", V::Str("Get".into()))
        .field("Latency", V::Dur(Duration::from_micros(1234)))
        .field("Count", V::U(3))
        .field("Delta", V::I(-3))
        .field("Score", V::F(0.25))
        .field("Ok", V::Bool(true))
        .field(
            "Dist",
            V::obs([Observation::Unsigned(1), Observation::Unsigned(2)]),
        )
        .field("Tags", V::ListS(vec!["a".into(), "b\"".into()]))
        .field("Zone", V::Str("us-east-1a".into()));
    let mut optional = wide.clone();
    optional.fields.remove(2);
    let dims = wide.clone().config(Cfg::dims(&[&["Operation"]]));
    vec![wide, optional, dims]
}

type FormatFn = Box<dyn FnMut(&TestEntry, &mut Vec<u8>)>;

fn count(mut f: impl FnMut()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn warm_formats_do_not_allocate() {
    let entries = entries();
    let mut out = Vec::with_capacity(1 << 16);
    let mut formats: Vec<(&str, FormatFn)> = vec![
        ("emf no validations", {
            let mut emf = Emf::no_validations("Ns".into(), vec![vec![]]);
            Box::new(move |e, out| emf.format(e, out).unwrap())
        }),
        ("emf all validations", {
            let mut emf = Emf::all_validations("Ns".into(), vec![vec!["Operation".into()]]);
            Box::new(move |e, out| emf.format(e, out).unwrap())
        }),
        ("json", {
            let mut json = Json::new();
            Box::new(move |e, out| json.format(e, out).unwrap())
        }),
    ];
    for (name, format) in &mut formats {
        for _ in 0..3 {
            for e in &entries {
                out.clear();
                format(e, &mut out);
            }
        }
        let n = count(|| {
            for _ in 0..10 {
                for e in &entries {
                    out.clear();
                    format(e, &mut out);
                }
            }
        });
        assert_eq!(n, 0, "{name} allocated {n} times");
    }
}

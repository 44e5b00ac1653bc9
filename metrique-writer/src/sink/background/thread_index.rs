//! A small per-thread number, to spread threads over per-thread resources (format buffers,
//! handle reference counts) without a lock or a thread-id hash.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// This thread's number: threads are numbered in the order they first ask (across all queues).
pub(super) fn thread_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    INDEX.with(|i| {
        let index = i.get();
        if index != usize::MAX {
            return index;
        }
        let index = NEXT.fetch_add(1, Ordering::Relaxed) & (usize::MAX >> 1);
        i.set(index);
        index
    })
}

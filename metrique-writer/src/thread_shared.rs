//! [`ThreadShared`]: an `Arc` whose clones share a reference count per thread.
//!
//! Sinks are cloned for every entry (`append_on_drop(queue.clone())`,
//! `append_on_drop(ServiceMetrics::sink())`). Were every clone one `Arc`, each clone and drop
//! would be an atomic add on one cache line that the producer threads pass back and forth:
//! about a tenth of a producer's CPU in the 2-thread queue bench. Instead, the first
//! `ThreadShared` (the root) keeps one child per thread slot, made on first use, and cloning the
//! root on another thread returns that thread's child: the per-entry clones and drops then touch
//! a count that only that thread uses. Children have no children, so there is no reference
//! cycle, and the value is dropped when the last clone is; cloning a child on another thread
//! shares the child's count (correct, just not faster).

use std::cell::Cell;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Child slots per root; threads beyond this share them (round robin).
const CHILDREN: usize = 64;

/// A root's children, one per thread slot, made on first use.
type Children<T> = OnceLock<Box<[OnceLock<Arc<Node<T>>>]>>;

/// A shared `T` with per-thread reference counts (see the module docs). Clones of one value on
/// one thread share a count no other thread writes.
pub(crate) struct ThreadShared<T: ?Sized> {
    node: Arc<Node<T>>,
}

struct Node<T: ?Sized> {
    value: Arc<T>,
    /// The thread slot this node's count belongs to.
    thread: usize,
    /// `Some` for the root only.
    children: Option<Children<T>>,
}

impl<T: ?Sized> ThreadShared<T> {
    /// A root owned by the calling thread.
    pub(crate) fn new(value: Arc<T>) -> Self {
        Self {
            node: Arc::new(Node {
                value,
                thread: thread_index() % CHILDREN,
                children: Some(OnceLock::new()),
            }),
        }
    }
}

impl<T: ?Sized> Clone for ThreadShared<T> {
    #[inline]
    fn clone(&self) -> Self {
        let node = &self.node;
        let Some(children) = &node.children else {
            return Self { node: node.clone() };
        };
        let here = thread_index() % CHILDREN;
        if node.thread == here {
            return Self { node: node.clone() };
        }
        let slots = children.get_or_init(|| (0..CHILDREN).map(|_| OnceLock::new()).collect());
        let child = slots[here].get_or_init(|| {
            Arc::new(Node {
                value: node.value.clone(),
                thread: here,
                children: None,
            })
        });
        Self {
            node: child.clone(),
        }
    }
}

impl<T: ?Sized> Deref for ThreadShared<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.node.value
    }
}

/// This thread's number: threads are numbered in the order they first ask. Spreads threads over
/// per-thread resources (reference counts, the queue's format buffers) without a lock or a
/// thread-id hash.
pub(crate) fn thread_index() -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_on_other_threads_get_their_own_count_and_release_the_value() {
        let value = Arc::new(5u32);
        let root = ThreadShared::new(value.clone());
        let here = root.clone();
        assert!(
            Arc::ptr_eq(&root.node, &here.node),
            "same thread, same node"
        );
        std::thread::scope(|s| {
            s.spawn(|| {
                let a = root.clone();
                let b = root.clone();
                assert!(!Arc::ptr_eq(&a.node, &root.node), "another thread, a child");
                assert!(Arc::ptr_eq(&a.node, &b.node), "one child per thread");
                assert_eq!(*a, 5);
                // A child cloned here shares the child's node.
                assert!(Arc::ptr_eq(&a.clone().node, &a.node));
            });
        });
        // value + root + one child.
        assert_eq!(Arc::strong_count(&value), 3);
        drop((root, here));
        assert_eq!(
            Arc::strong_count(&value),
            1,
            "no cycle keeps the value alive"
        );
    }
}

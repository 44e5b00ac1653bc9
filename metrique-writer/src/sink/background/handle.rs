//! Queue handles whose clones share a reference count per thread.
//!
//! The usual idiom clones the queue for every entry (`append_on_drop(queue.clone())`). Were
//! every handle one `Arc`, each clone and drop would be an atomic add on one cache line that
//! the producer threads pass back and forth: about a tenth of a producer's CPU in the 2-thread
//! queue bench. Instead, the handle `build` returns (the root) keeps one child per thread slot,
//! made on first use, and cloning the root on another thread returns that thread's child: the
//! per-entry clones and drops then touch a count that only that thread uses. Children have no
//! children, so there is no reference cycle; cloning a child on another thread shares its count
//! (correct, just not faster).

use std::sync::{Arc, OnceLock};

use super::shared::Shared;
use super::thread_index::thread_index;

/// Child slots per root; threads beyond this share them (round robin).
const CHILDREN: usize = 64;

/// A root's children, one per thread slot, made on first use.
type Children<T> = Box<[OnceLock<Arc<Handle<T>>>]>;

pub(super) struct Handle<T> {
    pub(super) shared: Arc<Shared<T>>,
    /// The thread slot this handle's count belongs to.
    thread: usize,
    /// The root's per-thread children (`None` for a child).
    children: Option<Children<T>>,
}

impl<T> Handle<T> {
    /// The handle `build` returns, owned by the building thread.
    pub(super) fn root(shared: Arc<Shared<T>>) -> Arc<Self> {
        Arc::new(Self {
            shared,
            thread: thread_index() % CHILDREN,
            children: Some((0..CHILDREN).map(|_| OnceLock::new()).collect()),
        })
    }

    /// A clone for the calling thread (see the module docs).
    #[inline]
    pub(super) fn clone_here(this: &Arc<Self>) -> Arc<Self> {
        let here = thread_index() % CHILDREN;
        match &this.children {
            Some(children) if this.thread != here => children[here]
                .get_or_init(|| {
                    Arc::new(Self {
                        shared: this.shared.clone(),
                        thread: here,
                        children: None,
                    })
                })
                .clone(),
            _ => this.clone(),
        }
    }
}

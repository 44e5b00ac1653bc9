//! Thread-local test sinks for globals (feature `test-util`).
//!
//! A process-wide count of installed test sinks keeps the lookup to one relaxed load when no
//! test sink exists anywhere (the production case with the feature unified in).

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{AttachGlobalEntrySink, GlobalSlot};
use crate::sink::BoxEntrySink;

static INSTALLED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static TEST_SINKS: RefCell<Vec<(usize, BoxEntrySink)>> = const { RefCell::new(Vec::new()) };
}

fn key(slot: &'static GlobalSlot) -> usize {
    std::ptr::from_ref(slot) as usize
}

#[inline]
pub(super) fn lookup(slot: &'static GlobalSlot) -> Option<BoxEntrySink> {
    if INSTALLED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    let k = key(slot);
    TEST_SINKS
        .try_with(|s| {
            s.borrow()
                .iter()
                .find(|(slot, _)| *slot == k)
                .map(|(_, sink)| sink.clone())
        })
        .ok()
        .flatten()
}

/// Keeps a thread-local test sink installed for one global; see `set_test_sink`. Not `Send`:
/// it must drop on the thread that installed it.
#[must_use = "the test sink is removed when the guard drops"]
pub struct ThreadLocalTestSinkGuard {
    slot: &'static GlobalSlot,
    _not_send: PhantomData<*const ()>,
}

impl fmt::Debug for ThreadLocalTestSinkGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadLocalTestSinkGuard")
            .field("global", &self.slot.name)
            .finish()
    }
}

impl ThreadLocalTestSinkGuard {
    /// Installs `sink` as this thread's test sink for `G`.
    ///
    /// # Panics
    /// If this thread already has a test sink for `G`.
    #[doc(hidden)]
    pub fn install<G: AttachGlobalEntrySink>(sink: BoxEntrySink) -> Self {
        let slot = G::__global_slot();
        let k = key(slot);
        TEST_SINKS.with(|s| {
            let mut s = s.borrow_mut();
            assert!(
                s.iter().all(|(slot, _)| *slot != k),
                "a test sink for {} is already installed on this thread",
                slot.name
            );
            s.push((k, sink));
        });
        INSTALLED.fetch_add(1, Ordering::SeqCst);
        Self {
            slot,
            _not_send: PhantomData,
        }
    }
}

impl Drop for ThreadLocalTestSinkGuard {
    fn drop(&mut self) {
        let k = key(self.slot);
        let removed = TEST_SINKS
            .try_with(|s| {
                let mut s = s.borrow_mut();
                let pos = s.iter().position(|(slot, _)| *slot == k)?;
                Some(s.remove(pos))
            })
            .ok()
            .flatten();
        if removed.is_some() {
            INSTALLED.fetch_sub(1, Ordering::SeqCst);
        }
        // The sink drops here, outside the borrow (its drop may append to a global).
        drop(removed);
    }
}

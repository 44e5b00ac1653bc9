//! The synchronisation primitives of the guard, slot and shared-state code: `std` normally, `loom`
//! under `--cfg loom`.
//!
//! Concurrency code in this crate imports `Arc` and `Mutex` from here only, so the model-checking
//! tests see every shared access. Run them with:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test -p metrique-core --test loom_guard --release
//! ```

#[cfg(loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

/// Locks `m`, ignoring poisoning: every critical section in this crate leaves its state
/// consistent before anything that could panic runs (user code runs outside the locks).
#[inline]
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `&mut` access to a mutex's data (no locking), ignoring poisoning as [`lock`] does.
#[inline]
pub(crate) fn get_mut<T>(m: &mut Mutex<T>) -> &mut T {
    m.get_mut().unwrap_or_else(|e| e.into_inner())
}

//! Tokio integration (feature `tokio`): [`TokioTime`], a clock that follows tokio's (pausable)
//! clock, and per-runtime time-source overrides.
//!
//! ```
//! use metrique_core::timesource::{TimeSource, time_source};
//! use metrique_core::timesource::tokio::set_time_source_for_current_runtime;
//! use std::time::UNIX_EPOCH;
//!
//! let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! rt.block_on(async {
//!     let _guard = set_time_source_for_current_runtime(TimeSource::at_time(UNIX_EPOCH));
//!     assert_eq!(time_source().now(), UNIX_EPOCH);
//! });
//! ```

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use tokio::runtime::{Handle, Id};

use super::{Time, TimeSource};

/// A clock that starts at a given wall-clock time and then advances with tokio's clock, so
/// `tokio::time::pause()` / `advance()` (tokio's `test-util`) move metric timings too.
#[derive(Clone, Copy, Debug)]
pub struct TokioTime {
    start_time: SystemTime,
    start_instant: tokio::time::Instant,
}

impl TokioTime {
    /// Starts at the current system time.
    pub fn initialize() -> Self {
        Self::initialize_at(SystemTime::now())
    }

    /// Starts at `start`.
    pub fn initialize_at(start: SystemTime) -> Self {
        Self {
            start_time: start,
            start_instant: tokio::time::Instant::now(),
        }
    }
}

impl Time for TokioTime {
    fn now(&self) -> SystemTime {
        self.start_time + self.start_instant.elapsed()
    }
    fn instant(&self) -> std::time::Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// How many runtime overrides exist: `time_source()` looks up the registry only when non-zero.
static INSTALLED: AtomicUsize = AtomicUsize::new(0);
static REGISTRY: Mutex<Vec<(Id, TimeSource)>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<(Id, TimeSource)>> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The override of the runtime this thread is in, if any.
#[inline]
pub(super) fn runtime_override() -> Option<TimeSource> {
    if INSTALLED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    lookup()
}

#[cold]
fn lookup() -> Option<TimeSource> {
    let id = Handle::try_current().ok()?.id();
    registry()
        .iter()
        .find(|(rid, _)| *rid == id)
        .map(|(_, ts)| ts.clone())
}

/// Makes `ts` the time source of every thread of the current tokio runtime (below thread-local
/// overrides) until the guard drops.
///
/// # Panics
/// Outside a tokio runtime, or if the runtime already has an override.
pub fn set_time_source_for_current_runtime(ts: TimeSource) -> RuntimeTimeSourceGuard {
    set_time_source_for_runtime(&Handle::current(), ts)
}

/// Like [`set_time_source_for_current_runtime`] for the runtime of `handle`.
///
/// # Panics
/// If the runtime already has an override.
pub fn set_time_source_for_runtime(handle: &Handle, ts: TimeSource) -> RuntimeTimeSourceGuard {
    let id = handle.id();
    let mut registry = registry();
    assert!(
        registry.iter().all(|(rid, _)| *rid != id),
        "a time source override is already installed for tokio runtime {id}"
    );
    registry.push((id, ts));
    INSTALLED.fetch_add(1, Ordering::Relaxed);
    RuntimeTimeSourceGuard { id }
}

/// Removes a runtime's time-source override on drop.
#[must_use = "the override is removed as soon as the guard is dropped"]
pub struct RuntimeTimeSourceGuard {
    id: Id,
}

impl fmt::Debug for RuntimeTimeSourceGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeTimeSourceGuard")
            .field("runtime", &self.id)
            .finish()
    }
}

impl Drop for RuntimeTimeSourceGuard {
    fn drop(&mut self) {
        let mut registry = registry();
        if let Some(i) = registry.iter().position(|(rid, _)| *rid == self.id) {
            registry.swap_remove(i);
            INSTALLED.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

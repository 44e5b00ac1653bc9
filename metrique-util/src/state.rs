//! [`State`]: a shared, atomically swappable value of which each handle sees one snapshot.
//!
//! Used as `metrique_util::State` (feature `state`).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwap;
use metrique_core::CloseValue;

/// A shared swappable value plus this handle's pinned snapshot.
///
/// Keep one long-lived `State` (a config, a feature-flag set) and let a background task
/// [`store`](State::store) new versions. Each request [`clone`](Clone::clone)s it into its metrics
/// (`#[metrics(flatten)] config: State<Config>`): the clone starts unpinned, the first
/// [`snapshot`](State::snapshot) pins the version current at that moment, and the entry emits that
/// pinned version when it closes (pinning at close if nothing read it before). So the metrics
/// always describe the state the request actually used. [`latest`](State::latest) bypasses the
/// pin.
///
/// # Examples
///
/// ```
/// use metrique_util::State;
/// use std::sync::Arc;
///
/// let config = State::new(1u64);
/// let request = config.clone();
/// assert_eq!(*request.snapshot(), 1); // pinned
/// config.store(Arc::new(2));
/// assert_eq!(*request.snapshot(), 1); // still the pinned version
/// assert_eq!(*request.latest(), 2);
/// assert_eq!(*config.clone().snapshot(), 2); // a fresh handle sees the new version
/// ```
pub struct State<T> {
    shared: Arc<ArcSwap<T>>,
    pinned: OnceLock<Arc<T>>,
}

impl<T> State<T> {
    /// A state holding `value`.
    pub fn new(value: T) -> Self {
        Self::from_arc(Arc::new(value))
    }

    /// A state holding `value`, without another allocation.
    pub fn from_arc(value: Arc<T>) -> Self {
        Self {
            shared: Arc::new(ArcSwap::new(value)),
            pinned: OnceLock::new(),
        }
    }

    /// Makes `value` the current version for every handle that has not pinned yet (and every
    /// future clone). Handles that already pinned keep their snapshot.
    pub fn store(&self, value: Arc<T>) {
        self.shared.store(value);
    }

    /// This handle's snapshot: the current version at the first call (which pins it), the same
    /// version on every later call.
    pub fn snapshot(&self) -> Arc<T> {
        Arc::clone(self.pinned())
    }

    /// The current version, ignoring this handle's pin. The guard is cheap but not `Send`; do not
    /// hold it for long (it may delay the release of replaced versions).
    pub fn latest(&self) -> LatestRef<T> {
        LatestRef {
            guard: self.shared.load(),
            _not_send: PhantomData,
        }
    }

    fn pinned(&self) -> &Arc<T> {
        self.pinned.get_or_init(|| self.shared.load_full())
    }
}

/// A fresh, unpinned handle on the same shared value.
impl<T> Clone for State<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            pinned: OnceLock::new(),
        }
    }
}

impl<T: Default> Default for State<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for State<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("pinned", &self.pinned.get())
            .field("latest", &**self.shared.load())
            .finish()
    }
}

/// Closes this handle's snapshot (pinning it now if it was never read). `T` is cloned out of
/// the shared `Arc` and closed by value, so any `#[metrics]` struct (use `#[metrics(flatten)]`)
/// or plain value works.
impl<T: Clone + CloseValue> CloseValue for &State<T> {
    type Closed = T::Closed;
    fn close(self) -> T::Closed {
        T::clone(self.pinned()).close()
    }
}

impl<T: Clone + CloseValue> CloseValue for State<T> {
    type Closed = T::Closed;
    fn close(self) -> T::Closed {
        (&self).close()
    }
}

/// The current version of a [`State`], from [`State::latest`]. Not `Send`.
pub struct LatestRef<T> {
    guard: arc_swap::Guard<Arc<T>>,
    _not_send: PhantomData<*const ()>,
}

impl<T> LatestRef<T> {
    /// An owned reference to this version.
    pub fn to_arc(&self) -> Arc<T> {
        Arc::clone(&self.guard)
    }
}

impl<T> Deref for LatestRef<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: fmt::Debug> fmt::Debug for LatestRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

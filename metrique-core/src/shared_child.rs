//! [`SharedChild`]: a cheaply cloneable child record that is emitted only if every clone is gone
//! when its parent closes.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::close::{CloseValue, CloseValueRef};

/// An `Arc`'d child record shared with tasks that all finish before the parent closes.
///
/// It closes to `Option<T::Closed>`: `Some` only if the parent holds the last reference at close
/// time; if any clone is still alive the whole child is omitted (nothing half-written is
/// emitted). Fields written through a clone need interior mutability (`Counter`, atomics).
/// Use it with `#[metrics(flatten)]`.
pub struct SharedChild<T>(Arc<T>);

impl<T> SharedChild<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Self(Arc::new(value))
    }
}

impl<T> Clone for SharedChild<T> {
    #[inline]
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Deref for SharedChild<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Default> Default for SharedChild<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> From<T> for SharedChild<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T> From<Arc<T>> for SharedChild<T> {
    fn from(arc: Arc<T>) -> Self {
        Self(arc)
    }
}

impl<T: fmt::Debug> fmt::Debug for SharedChild<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedChild").field(&*self.0).finish()
    }
}

impl<T: CloseValue> CloseValue for SharedChild<T> {
    type Closed = Option<T::Closed>;
    fn close(self) -> Self::Closed {
        Arc::into_inner(self.0).map(CloseValue::close)
    }
}

impl<T: CloseValueRef> CloseValue for &SharedChild<T> {
    type Closed = Option<T::Closed>;
    fn close(self) -> Self::Closed {
        // Only the parent can clone it, and the parent is the one closing: no clone can appear.
        (Arc::strong_count(&self.0) == 1).then(|| self.0.close_ref())
    }
}

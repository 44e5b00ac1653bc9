//! [`AppendAndCloseOnDropHandle`]: a cloneable, shared reference to a guard.

use std::fmt;
use std::ops::Deref;

use metrique_writer::EntrySink;

use super::AppendAndCloseOnDrop;
use crate::close::CloseEntry;
use crate::root::RootMetric;
use crate::sync::Arc;

/// A cloneable handle to an [`AppendAndCloseOnDrop`] guard, made by
/// [`AppendAndCloseOnDrop::handle`]; `#[metrics]` names it `<Name>Handle`.
///
/// It gives shared access only (`Deref`, no `DerefMut`), so the fields written through it need
/// interior mutability (`Counter`, atomics, `Mutex`). The entry is emitted when the last clone
/// drops (and its flush guards allow it).
pub struct AppendAndCloseOnDropHandle<E: CloseEntry, S: EntrySink<RootMetric<E>>> {
    inner: Arc<AppendAndCloseOnDrop<E, S>>,
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> AppendAndCloseOnDropHandle<E, S> {
    pub(super) fn new(inner: Arc<AppendAndCloseOnDrop<E, S>>) -> Self {
        Self { inner }
    }
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> Clone for AppendAndCloseOnDropHandle<E, S> {
    #[inline]
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<E: CloseEntry, S: EntrySink<RootMetric<E>>> Deref for AppendAndCloseOnDropHandle<E, S> {
    type Target = E;
    #[inline]
    fn deref(&self) -> &E {
        &self.inner
    }
}

impl<E: CloseEntry + fmt::Debug, S: EntrySink<RootMetric<E>> + fmt::Debug> fmt::Debug
    for AppendAndCloseOnDropHandle<E, S>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AppendAndCloseOnDropHandle")
            .field(&*self.inner)
            .finish()
    }
}

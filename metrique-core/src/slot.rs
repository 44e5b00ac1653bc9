//! [`Slot`], [`SlotGuard`], [`LazySlot`] and [`OnParentDrop`]: hand a sub-record to another task
//! and collect it when the parent closes.
//!
//! The parent entry holds a `Slot<T>` (usually with `#[metrics(flatten)]`). [`Slot::open`] hands
//! out a [`SlotGuard<T>`] that the task fills in through `DerefMut`; when the guard drops it closes
//! `T` and sends `T::Closed` back over a oneshot channel. The slot closes to `Option<T::Closed>`:
//! the data if it was delivered by the time the parent closes, `None` otherwise.
//!
//! A slot does not delay its parent by itself. To make the parent wait for the child, open it with
//! [`OnParentDrop::Wait`] and one of the parent's flush guards (released only after the data is
//! sent), or await [`Slot::wait_for_data`].
//!
//! Nothing is allocated until the slot is opened (the channel is created then).

use std::fmt;
use std::mem;
use std::ops::{Deref, DerefMut};

use tokio::sync::oneshot;

use crate::close::{CloseValue, CloseValueRef};
use crate::guard::FlushGuard;
use crate::sync::{self, Mutex};

/// What a [`SlotGuard`] does about its parent entry's emission.
#[derive(Debug)]
pub enum OnParentDrop {
    /// Hold this flush guard of the parent until the slot guard drops: the parent is not emitted
    /// before the child has reported (unless a force flush guard fires).
    Wait(FlushGuard),
    /// Don't delay the parent: if it is emitted first, the child's data is dropped.
    Discard,
}

/// Where a slot is in its life. Behind a mutex so that closing by reference can take the data.
enum Stage<T: CloseValue> {
    /// A [`LazySlot`] that was never opened.
    Vacant,
    /// Holds the initial value until [`Slot::open`].
    Unopened(T),
    /// Opened: the guard will send its closed value here.
    Waiting(oneshot::Receiver<T::Closed>),
    /// The data was received (by `wait_for_data`) or the slot was closed by reference.
    Finished,
}

struct Core<T: CloseValue> {
    stage: Stage<T>,
    data: Option<T::Closed>,
}

impl<T: CloseValue> Core<T> {
    fn new(stage: Stage<T>) -> Self {
        Self { stage, data: None }
    }

    fn stage_name(&self) -> &'static str {
        match self.stage {
            Stage::Vacant => "vacant",
            Stage::Unopened(_) => "unopened",
            Stage::Waiting(_) => "waiting",
            Stage::Finished => "finished",
        }
    }

    /// Opens the slot with `value` if it was `Unopened`/`Vacant`.
    fn open(&mut self, value: Option<T>, mode: OnParentDrop) -> Option<SlotGuard<T>> {
        let value = match mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Unopened(v) => v,
            Stage::Vacant => match value {
                Some(v) => v,
                None => {
                    self.stage = Stage::Vacant;
                    return None;
                }
            },
            other => {
                self.stage = other;
                return None;
            }
        };
        let (tx, rx) = oneshot::channel();
        self.stage = Stage::Waiting(rx);
        Some(SlotGuard {
            value: Some(value),
            tx: Some(tx),
            mode,
        })
    }

    async fn wait_for_data(&mut self) -> &mut Option<T::Closed> {
        if let Stage::Waiting(rx) = &mut self.stage {
            // `Err` if the guard was dropped without sending (a panic while closing).
            self.data = rx.await.ok();
            self.stage = Stage::Finished;
        }
        &mut self.data
    }

    /// The delivered data, if any; afterwards the slot is `Finished` and empty.
    fn take(&mut self) -> Option<T::Closed> {
        if let Stage::Waiting(rx) = &mut self.stage {
            self.data = rx.try_recv().ok();
        }
        self.stage = Stage::Finished;
        self.data.take()
    }
}

/// A place in a parent entry for a sub-record filled in by exactly one other task.
///
/// Use it with `#[metrics(flatten)]`; it closes to `Option<T::Closed>` (`None` if the data has
/// not arrived when the parent closes).
pub struct Slot<T: CloseValue> {
    core: Mutex<Core<T>>,
}

impl<T: CloseValue> Slot<T> {
    /// A slot holding `value`, which [`open`](Self::open) hands to the child.
    pub fn new(value: T) -> Self {
        Self {
            core: Mutex::new(Core::new(Stage::Unopened(value))),
        }
    }

    /// Hands out the guard the child fills in; `None` if the slot was already opened.
    ///
    /// This creates the oneshot channel (one allocation).
    pub fn open(&mut self, mode: OnParentDrop) -> Option<SlotGuard<T>> {
        sync::get_mut(&mut self.core).open(None, mode)
    }

    /// Opens the slot with [`OnParentDrop::Discard`].
    #[doc(hidden)]
    #[deprecated(note = "use `open(OnParentDrop::Discard)`")]
    pub fn open_slot(&mut self) -> Option<SlotGuard<T>> {
        self.open(OnParentDrop::Discard)
    }

    /// Waits until the child's guard has dropped, and returns its data (`None` if the slot was
    /// never opened, or the guard was dropped without sending, e.g. by a panic while closing).
    pub async fn wait_for_data(&mut self) -> &mut Option<T::Closed> {
        sync::get_mut(&mut self.core).wait_for_data().await
    }
}

impl<T: CloseValue + Default> Default for Slot<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: CloseValue> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.core.try_lock() {
            Ok(core) => core.stage_name(),
            Err(_) => "locked",
        };
        f.debug_struct("Slot").field("stage", &stage).finish()
    }
}

impl<T: CloseValue> CloseValue for Slot<T> {
    type Closed = Option<T::Closed>;
    fn close(mut self) -> Self::Closed {
        sync::get_mut(&mut self.core).take()
    }
}

/// Closing by reference takes the data: a second close by reference yields `None`.
impl<T: CloseValue> CloseValue for &Slot<T> {
    type Closed = Option<T::Closed>;
    fn close(self) -> Self::Closed {
        sync::lock(&self.core).take()
    }
}

/// A [`Slot`] that starts empty and receives its initial value when opened.
pub struct LazySlot<T: CloseValue> {
    core: Mutex<Core<T>>,
}

impl<T: CloseValue> LazySlot<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Self {
            core: Mutex::new(Core::new(Stage::Vacant)),
        }
    }

    /// Hands out a guard holding `initial`; `None` if the slot was already opened.
    pub fn open(&mut self, initial: T, mode: OnParentDrop) -> Option<SlotGuard<T>> {
        sync::get_mut(&mut self.core).open(Some(initial), mode)
    }

    /// See [`Slot::wait_for_data`].
    pub async fn wait_for_data(&mut self) -> &mut Option<T::Closed> {
        sync::get_mut(&mut self.core).wait_for_data().await
    }
}

impl<T: CloseValue> Default for LazySlot<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: CloseValue> fmt::Debug for LazySlot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.core.try_lock() {
            Ok(core) => core.stage_name(),
            Err(_) => "locked",
        };
        f.debug_struct("LazySlot").field("stage", &stage).finish()
    }
}

impl<T: CloseValue> CloseValue for LazySlot<T> {
    type Closed = Option<T::Closed>;
    fn close(mut self) -> Self::Closed {
        sync::get_mut(&mut self.core).take()
    }
}

/// Closing by reference takes the data: a second close by reference yields `None`.
impl<T: CloseValue> CloseValue for &LazySlot<T> {
    type Closed = Option<T::Closed>;
    fn close(self) -> Self::Closed {
        sync::lock(&self.core).take()
    }
}

/// The child's end of a [`Slot`]: derefs to `T`; on drop, closes `T` and sends the result to the
/// parent, **then** releases its [`OnParentDrop::Wait`] flush guard.
pub struct SlotGuard<T: CloseValue> {
    /// `Some` until drop.
    value: Option<T>,
    /// `Some` until drop.
    tx: Option<oneshot::Sender<T::Closed>>,
    mode: OnParentDrop,
}

impl<T: CloseValue> SlotGuard<T> {
    /// Whether the parent's slot is gone (closed or dropped): data sent now would be lost.
    pub fn parent_is_closed(&self) -> bool {
        self.tx.as_ref().is_none_or(|tx| tx.is_closed())
    }

    /// Holds `flush_guard` until this guard drops, as if opened with [`OnParentDrop::Wait`].
    pub fn delay_flush(&mut self, flush_guard: FlushGuard) {
        self.mode = OnParentDrop::Wait(flush_guard);
    }
}

impl<T: CloseValue> Deref for SlotGuard<T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        match &self.value {
            Some(v) => v,
            None => unreachable!("the value is only taken on drop"),
        }
    }
}

impl<T: CloseValue> DerefMut for SlotGuard<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.value {
            Some(v) => v,
            None => unreachable!("the value is only taken on drop"),
        }
    }
}

impl<T: CloseValue> Drop for SlotGuard<T> {
    fn drop(&mut self) {
        if let (Some(value), Some(tx)) = (self.value.take(), self.tx.take()) {
            // Skip the close when nobody can receive it.
            if !tx.is_closed() {
                let _ = tx.send(value.close());
            }
        }
        // Only now release the parent (a `Wait` flush guard): the data is already in the slot.
        drop(mem::replace(&mut self.mode, OnParentDrop::Discard));
    }
}

impl<T: CloseValue + fmt::Debug> fmt::Debug for SlotGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlotGuard")
            .field("value", &self.value)
            .field("mode", &self.mode)
            .finish()
    }
}

// `CloseValueRef` is implemented for `Slot`/`LazySlot` by the blanket impl; this assertion keeps it so.
const _: fn() = || {
    fn by_ref<T: CloseValueRef + ?Sized>() {}
    by_ref::<Slot<u64>>();
    by_ref::<LazySlot<u64>>();
};

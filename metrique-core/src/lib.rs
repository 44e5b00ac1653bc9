//! The closing model of metrique: [`CloseValue`], [`InflectableEntry`], name styles, the
//! append-on-drop guards, slots, counters, timers and the time source.
//!
//! Most users reach this crate through the `metrique` facade.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code)]

#[doc(hidden)]
pub mod __private;
mod close;
pub mod concat;
mod counter;
pub mod flex;
mod guard;
mod inflect;
pub mod instrument;
mod root;
mod shared_child;
mod slot;
mod sync;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod timers;
pub mod timesource;

pub use close::{CloseEntry, CloseValue, CloseValueRef};
pub use counter::{Counter, CounterGuard, LocalCounter, OwnedCounterGuard};
pub use flex::{Flex, FlexEntry};
pub use inflect::styles::{Identity, KebabCase, PascalCase, ScreamingSnakeCase, SnakeCase};
pub use inflect::{InflectableEntry, NameSet, NameStyle};
pub use root::{RootEntry, RootMetric};

/// The default sink type of generated `<Name>Guard` / `<Name>Handle` aliases.
pub type DefaultSink = metrique_writer::BoxEntrySink;
pub use guard::{
    AppendAndCloseOnDrop, AppendAndCloseOnDropHandle, FlushGuard, ForceFlushGuard, append_and_close,
};
pub use shared_child::SharedChild;
pub use slot::{LazySlot, OnParentDrop, Slot, SlotGuard};

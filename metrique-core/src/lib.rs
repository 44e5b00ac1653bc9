//! The closing model of metrique: [`CloseValue`], [`InflectableEntry`], name styles, the
//! append-on-drop guards, slots, counters, timers and the time source.
//!
//! Most users reach this crate through the `metrique` facade.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(hidden)]
pub mod __private;
mod close;
pub mod concat;
mod guard;
mod inflect;
mod root;

pub use close::{CloseEntry, CloseValue, CloseValueRef};
pub use inflect::styles::{Identity, KebabCase, PascalCase, ScreamingSnakeCase, SnakeCase};
pub use inflect::{InflectableEntry, NameSet, NameStyle};
pub use root::{RootEntry, RootMetric};

/// The default sink type of generated `<Name>Guard` / `<Name>Handle` aliases.
pub type DefaultSink = metrique_writer::BoxEntrySink;
pub use guard::{AppendAndCloseOnDrop, append_and_close};

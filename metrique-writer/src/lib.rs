//! The writing side of metrique: the [`Entry`]/[`Value`] contract, formats (EMF, JSON, local),
//! streams and sinks.
//!
//! Most users reach this crate through `metrique::writer`. Implementers of formats and sinks
//! depend on it directly.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod __private;
pub mod config;
pub mod entry;
pub mod format;
pub mod global;
pub mod rate_limit;
pub mod sample;
pub mod sink;
pub mod stream;
pub mod test_stream;
#[cfg(feature = "test-util")]
pub mod test_util;
mod thread_shared;
pub mod unit;
pub mod validate;
pub mod value;

pub use entry::{BoxEntry, EmptyEntry, Entry, EntryConfig, EntryWriter};
pub use format::{Format, FormatExt};
pub use global::{
    AttachGlobalEntrySink, AttachGlobalEntrySinkExt, AttachHandle, GlobalEntrySink, ServiceMetrics,
};
/// `#[derive(Entry)]`: see the derive's documentation. The trait and the derive share the name
/// (they live in different namespaces), as serde's `Serialize` does.
pub use metrique_macro::Entry;
pub use sink::{AnyEntrySink, BoxEntrySink, EntrySink, FlushWait};
pub use stream::{EntryIoStream, EntryIoStreamExt, IoStreamError};
pub use unit::{Convert, Unit};
pub use validate::{ValidationError, ValidationErrorBuilder};
pub use value::{MetricFlags, MetricValue, Observation, Value, ValueWriter};

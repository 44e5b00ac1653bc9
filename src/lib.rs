//! metrique: wide-event metrics for Rust.
//!
//! One structured record per unit of work, closed when its guard drops and written as
//! CloudWatch Embedded Metric Format (EMF) or JSON lines by a background queue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

// `unit_of_work::metrics` (the `#[metrics]` attribute) is added with the macro crate.

pub use metrique_core::{
    AppendAndCloseOnDrop, CloseEntry, CloseValue, CloseValueRef, DefaultSink, InflectableEntry,
    NameStyle, RootEntry, RootMetric, append_and_close,
};
pub use metrique_core::{
    AppendAndCloseOnDropHandle, FlushGuard, ForceFlushGuard, LazySlot, OnParentDrop, SharedChild,
    Slot, SlotGuard,
};
pub use metrique_core::{Counter, CounterGuard, OwnedCounterGuard};
pub use metrique_core::{instrument, timers, timesource};

/// Test helpers: close a metric and inspect it ([`test_util::test_metric`]), capture appended
/// entries (feature `test-util`).
#[cfg(feature = "test-util")]
pub mod test_util {
    pub use metrique_core::test_util::test_metric;
    pub use metrique_writer::test_util::*;
}

/// The writing side: entries, values, formats, streams and sinks (the `metrique-writer` crate).
pub mod writer {
    pub use metrique_writer::*;
}

/// Unit tag types for `#[metrics(unit = …)]`.
pub mod unit {
    pub use metrique_writer::unit::*;
}

/// Items used by `#[metrics]` expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use metrique_core::{
        __metrique_name as name, __metrique_sample_group_prefixed as sample_group_prefixed,
        __metrique_write_prefixed as write_prefixed,
    };
    pub use metrique_core::{
        Identity, KebabCase, NameSet, PascalCase, ScreamingSnakeCase, SnakeCase,
    };
}

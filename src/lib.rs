#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

/// The `#[metrics]` attribute: `use metrique::unit_of_work::metrics;`.
pub mod unit_of_work {
    pub use metrique_macro::metrics;
}

pub use metrique_core::flex::{self, Flex};
pub use metrique_core::{
    AppendAndCloseOnDrop, CloseEntry, CloseValue, CloseValueRef, DefaultSink, InflectableEntry,
    NameStyle, RootEntry, RootMetric, append_and_close,
};
pub use metrique_core::{
    AppendAndCloseOnDropHandle, FlushGuard, ForceFlushGuard, LazySlot, OnParentDrop, SharedChild,
    Slot, SlotGuard,
};
pub use metrique_core::{Counter, CounterGuard, LocalCounter, OwnedCounterGuard};
pub use metrique_core::{instrument, timers, timesource};
/// Test helpers: close a metric and inspect it ([`test_util::test_metric`]), capture appended
/// entries (feature `test-util`).
#[cfg(feature = "test-util")]
pub mod test_util {
    pub use metrique_core::test_util::test_metric;
    pub use metrique_writer::test_util::*;
}

/// The global sink most services use: attach it once in `main`
/// (`ServiceMetrics::attach_to_stream(..)`), append through `ServiceMetrics::sink()` anywhere.
#[cfg(feature = "service-metrics")]
pub use metrique_writer::ServiceMetrics;

/// CloudWatch Embedded Metric Format (feature `emf`).
#[cfg(feature = "emf")]
pub mod emf {
    pub use metrique_writer::format::emf::*;
}

/// Plain JSON lines (feature `json`).
#[cfg(feature = "json")]
pub mod json {
    pub use metrique_writer::format::json::*;
}

/// Human-readable output for terminals (feature `local-format`).
#[cfg(feature = "local-format")]
pub mod local {
    pub use metrique_writer::format::local::*;
}

/// The writing side: entries, values, formats, streams and sinks (the `metrique-writer` crate).
pub mod writer {
    /// `#[derive(Entry)]`, expanding to `::metrique::writer::…` paths. This explicit import
    /// shadows the glob's `metrique_writer::Entry` derive in the macro namespace only; the
    /// trait still comes from the glob.
    pub use metrique_macro::MetriqueEntry as Entry;
    pub use metrique_writer::*;
}

/// Unit tag types for `#[metrics(unit = …)]`.
pub mod unit {
    pub use metrique_writer::unit::*;
}

/// Items used by `#[metrics]` expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use metrique_core::__private::{
        CloseByRef, IfYouSeeThisUseSubfieldOwned, sample_group_element, timestamp,
    };
    pub use metrique_core::{
        __metrique_name as name, __metrique_sample_group_prefixed as sample_group_prefixed,
        __metrique_write_prefixed as write_prefixed,
    };
    pub use metrique_core::{
        Identity, KebabCase, NameSet, PascalCase, ScreamingSnakeCase, SnakeCase,
    };
}

/// Long-form guides, rendered from `src/guide/*.md` (their code blocks are doctests).
#[cfg(all(any(doc, doctest), feature = "test-util"))]
pub mod _guide {
    #[doc = include_str!("guide/concurrency.md")]
    pub mod concurrency {}
    #[doc = include_str!("guide/testing.md")]
    pub mod testing {}
}

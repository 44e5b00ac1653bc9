//! [`Instrumented`]: a return value paired with the metrics collected while producing it.
//!
//! A library that wants to report metrics without choosing where they go returns
//! `Instrumented<T, M>`. The caller then folds the metrics into its own entry
//! ([`split_metrics_to`](Instrumented::split_metrics_to) a `#[metrics(flatten)] Option<M>` field),
//! takes both parts ([`into_parts`](Instrumented::into_parts)), drops the metrics
//! ([`discard_metrics`](Instrumented::discard_metrics)), or, when `M` is an append-on-drop guard,
//! emits them ([`emit`](Instrumented::emit)).
//!
//! # Examples
//!
//! ```
//! use metrique_core::instrument::Instrumented;
//!
//! #[derive(Default)]
//! struct ParseMetrics { bytes: usize }
//!
//! fn parse(input: &str) -> Instrumented<Result<u64, std::num::ParseIntError>, ParseMetrics> {
//!     Instrumented::instrument(ParseMetrics::default(), |m| {
//!         m.bytes = input.len();
//!         input.parse()
//!     })
//! }
//!
//! let mut slot = None;
//! let value = parse("42").split_metrics_to(&mut slot);
//! assert_eq!(value, Ok(42));
//! assert_eq!(slot.unwrap().bytes, 2);
//! ```

use metrique_writer::EntrySink;

use crate::close::CloseEntry;
use crate::guard::AppendAndCloseOnDrop;
use crate::root::RootMetric;

/// A value of type `T` together with the metrics `M` recorded while producing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use = "the metrics are lost unless you use them: `split_metrics_to`, `into_parts`, `emit`, or `discard_metrics`"]
pub struct Instrumented<T, M> {
    value: T,
    metrics: M,
}

/// An instrumented `Result`.
pub type Result<T, E, M> = Instrumented<std::result::Result<T, E>, M>;

impl<T, M> Instrumented<T, M> {
    /// Runs `f` with mutable access to `metrics` and pairs its result with them.
    pub fn instrument(mut metrics: M, f: impl FnOnce(&mut M) -> T) -> Self {
        let value = f(&mut metrics);
        Self { value, metrics }
    }

    /// Async form of [`Instrumented::instrument`]: `instrument_async(m, async |m| { … }).await`.
    pub async fn instrument_async(mut metrics: M, f: impl AsyncFnOnce(&mut M) -> T) -> Self {
        let value = f(&mut metrics).await;
        Self { value, metrics }
    }

    /// Pairs an already computed value with its metrics.
    pub fn from_parts(value: T, metrics: M) -> Self {
        Self { value, metrics }
    }

    /// The value and the metrics.
    pub fn into_parts(self) -> (T, M) {
        (self.value, self.metrics)
    }

    /// The value; the metrics are dropped (if `M` is a guard, dropping it emits).
    pub fn discard_metrics(self) -> T {
        self.value
    }

    /// Moves the metrics into `target` (typically a `#[metrics(flatten)] Option<M>` field of the
    /// caller's entry) and returns the value.
    pub fn split_metrics_to(self, target: &mut Option<M>) -> T {
        *target = Some(self.metrics);
        self.value
    }

    /// Lets `f` complete the metrics from the value before they are handed on.
    pub fn finalize_metrics(mut self, f: impl FnOnce(&T, &mut M)) -> Self {
        f(&self.value, &mut self.metrics);
        self
    }

    /// The value, by reference.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The metrics, by reference.
    pub fn metrics(&self) -> &M {
        &self.metrics
    }

    /// The metrics, mutably.
    pub fn metrics_mut(&mut self) -> &mut M {
        &mut self.metrics
    }
}

impl<T, E, M> Instrumented<std::result::Result<T, E>, M> {
    /// Runs `f` on the error and the metrics if the value is `Err`.
    pub fn on_error(mut self, f: impl FnOnce(&E, &mut M)) -> Self {
        if let Err(e) = &self.value {
            f(e, &mut self.metrics);
        }
        self
    }

    /// Runs `f` on the success value and the metrics if the value is `Ok`.
    pub fn on_success(mut self, f: impl FnOnce(&T, &mut M)) -> Self {
        if let Ok(v) = &self.value {
            f(v, &mut self.metrics);
        }
        self
    }
}

impl<T, E: CloseEntry, S: EntrySink<RootMetric<E>>> Instrumented<T, AppendAndCloseOnDrop<E, S>> {
    /// Emits the metrics now (drops the guard, which closes and appends the entry) and returns
    /// the value.
    pub fn emit(self) -> T {
        drop(self.metrics);
        self.value
    }
}

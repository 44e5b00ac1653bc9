//! [`CloseValue`]: the one-way conversion from an accumulating field to an inert value.
//!
//! A `#[metrics]` struct is filled in while the work runs (timers tick, counters count, slots wait
//! for children). When its guard drops, every field is *closed*: turned into the value that is
//! written. Closing is where clocks are read and atomics loaded, so an [`Entry`] itself is pure.
//!
//! [`Entry`]: metrique_writer::Entry

use crate::inflect::InflectableEntry;

mod impls;

/// Converts an accumulator into the value that is written.
///
/// Implement it for `&T` (the logic, so that `Arc<T>`, `Mutex<T>` and handles work) and for `T`
/// (often just delegating to the `&T` impl); [`CloseValueRef`] then follows automatically.
///
/// ```
/// use metrique_core::CloseValue;
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// struct MaxSeen(AtomicU64);
/// impl CloseValue for &MaxSeen {
///     type Closed = u64;
///     fn close(self) -> u64 { self.0.load(Ordering::Relaxed) }
/// }
/// impl CloseValue for MaxSeen {
///     type Closed = u64;
///     fn close(self) -> u64 { self.0.into_inner() }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be closed into a metric value (CloseValue is not implemented for `{Self}`)",
    note = "if `{Self}` is a struct of metrics, annotate it with `#[metrics]` (use `#[metrics(subfield)]` for nested structs) and add `#[metrics(flatten)]` on the field",
    note = "if the field is already a plain value (it implements `metrique::writer::Value`), add `#[metrics(no_close)]` on the field",
    note = "in a `#[metrics(subfield)]` struct fields are closed by reference; for by-value-only types use `#[metrics(subfield_owned)]`"
)]
pub trait CloseValue {
    /// The closed value.
    type Closed;

    /// Closes `self`.
    fn close(self) -> Self::Closed;
}

mod private {
    pub trait Sealed {}
    impl<T: ?Sized> Sealed for T {}
}

/// Closing by reference; implemented automatically for every `T` where `&T: CloseValue`.
pub trait CloseValueRef: private::Sealed {
    /// The closed value.
    type Closed;

    /// Closes `self` by reference.
    fn close_ref(&self) -> Self::Closed;
}

impl<C, T: ?Sized> CloseValueRef for T
where
    for<'a> &'a T: CloseValue<Closed = C>,
{
    type Closed = C;

    #[inline]
    fn close_ref(&self) -> C {
        <&T as CloseValue>::close(self)
    }
}

/// A value whose closed form is an entry: what `#[metrics]` structs are, and what guards,
/// `flatten` and `test_metric` require.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a metrics entry (it does not close to an `InflectableEntry`)",
    note = "annotate `{Self}` with `#[metrics]`"
)]
pub trait CloseEntry: CloseValue<Closed: InflectableEntry> {}

impl<T: CloseValue<Closed: InflectableEntry> + ?Sized> CloseEntry for T {}

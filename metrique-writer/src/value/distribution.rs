//! [`Distribution`]: many observations of one metric, written as a single field.
//!
//! A wide event usually has one value per metric, but some units of work produce several
//! (the latency of every retry, the size of every item in a batch). A [`Distribution`] keeps
//! them in order and writes them as **one** metric with several observations, which EMF renders
//! as `{"Values":[…],"Counts":[…]}` and CloudWatch turns into statistics (p50, p99, …).
//!
//! For a plain average, [`Mean`] keeps only a running total and a count.
//!
//! # Examples
//! ```
//! use metrique_writer::value::{Distribution, VecDistribution};
//! use std::time::Duration;
//!
//! // Up to 4 values inline, then on the heap.
//! let mut attempts: Distribution<Duration, 4> = Distribution::new();
//! attempts.add(Duration::from_millis(12)).add(Duration::from_millis(30));
//! assert_eq!(attempts.len(), 2);
//!
//! let sizes: VecDistribution<u64> = [512, 1024, 4096].into_iter().collect();
//! assert_eq!(sizes.try_to_mean().unwrap().mean(), Some(1877.3333333333333));
//! ```

use std::fmt;

use smallvec::SmallVec;

use super::{Mean, MetricFlags, MetricValue, NO_DIMENSIONS, Observation, Value, ValueWriter};
use crate::unit::{Unit, UnitTag};
use crate::validate::{ValidationError, ValidationErrorBuilder};

/// Observations of one metric kept in order and written as one multi-observation metric.
///
/// Up to `N` values are stored inline (no allocation); more spill to the heap.
/// [`VecDistribution`] (`N = 0`) always uses the heap.
///
/// # Writing
/// - No values: nothing is written (no field, no metric definition).
/// - Otherwise one [`ValueWriter::metric`] call with every element's observations, in unit
///   `V::Unit`, without dimensions or flags. A format writes a single observation as a plain
///   number (as metrique 0.1.33 does) and several as a distribution.
/// - An element that writes a string, a list, a metric in another unit or a metric with
///   per-metric dimensions makes the whole field a validation error (reported through
///   [`ValueWriter::error`]; nothing panics). Add dimensions to the distribution itself
///   (`distribution.with_dimension(..)`), not to its elements.
///
/// Writing never allocates: the elements are written twice, once to validate them and once
/// to stream their observations to the format.
#[derive(Clone, Default, PartialEq)]
pub struct Distribution<V, const N: usize = 0> {
    values: SmallVec<[V; N]>,
}

/// A [`Distribution`] whose values always live on the heap.
pub type VecDistribution<V> = Distribution<V, 0>;

impl<V, const N: usize> Distribution<V, N> {
    /// An empty distribution.
    pub const fn new() -> Self {
        Self {
            values: SmallVec::new_const(),
        }
    }

    /// The values, in the order they were added.
    pub fn values(&self) -> &[V] {
        &self.values
    }

    /// Iterates over the values, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, V> {
        self.values.iter()
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True if there are no values (then nothing is written).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Adds one value.
    pub fn add(&mut self, value: V) -> &mut Self {
        self.values.push(value);
        self
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.values.clear();
    }
}

impl<V: MetricValue, const N: usize> Distribution<V, N> {
    /// The mean of the values (their observations, in unit `V::Unit`).
    ///
    /// # Errors
    /// If an element writes something other than a metric in unit `V::Unit` without
    /// per-metric dimensions (see the type docs).
    pub fn try_to_mean(&self) -> Result<Mean<V::Unit>, ValidationError> {
        Mean::try_new(self.values())
    }
}

impl<V: fmt::Debug, const N: usize> fmt::Debug for Distribution<V, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Distribution")
            .field(&&self.values[..])
            .finish()
    }
}

impl<V, const N: usize> FromIterator<V> for Distribution<V, N> {
    fn from_iter<T: IntoIterator<Item = V>>(iter: T) -> Self {
        Self {
            values: iter.into_iter().collect(),
        }
    }
}

impl<V, const N: usize> Extend<V> for Distribution<V, N> {
    fn extend<T: IntoIterator<Item = V>>(&mut self, iter: T) {
        self.values.extend(iter);
    }
}

impl<V, const N: usize> IntoIterator for Distribution<V, N> {
    type Item = V;
    type IntoIter = smallvec::IntoIter<[V; N]>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.into_iter()
    }
}

impl<'d, V, const N: usize> IntoIterator for &'d Distribution<V, N> {
    type Item = &'d V;
    type IntoIter = std::slice::Iter<'d, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.iter()
    }
}

#[diagnostic::do_not_recommend]
impl<V: MetricValue, const N: usize> Value for Distribution<V, N> {
    fn write(&self, writer: impl ValueWriter) {
        if self.values.is_empty() {
            return;
        }
        let unit = <V::Unit as UnitTag>::UNIT;
        let mut errors = ValidationErrorBuilder::default();
        let mut check = Collector::new(unit, &mut errors, |_| {});
        for value in &self.values {
            value.write(&mut check);
        }
        if let Err(e) = errors.build() {
            writer.error(e);
            return;
        }
        // Validated: every element writes metrics in `unit` without dimensions, so the second
        // pass only has to pick up the observations.
        let observations = self.values.iter().flat_map(|value| {
            let mut buf = SmallVec::<[Observation; 2]>::new();
            value.write(ObservationSink(&mut buf));
            buf
        });
        writer.metric(observations, unit, NO_DIMENSIONS, MetricFlags::empty());
    }
}

#[diagnostic::do_not_recommend]
impl<V: MetricValue, const N: usize> MetricValue for Distribution<V, N> {
    type Unit = V::Unit;
}

/// A [`ValueWriter`] that checks a value writes metrics of one unit without per-metric
/// dimensions, and hands each observation to `on_observation`.
pub(super) struct Collector<'e, F> {
    expected_unit: Unit,
    errors: &'e mut ValidationErrorBuilder,
    on_observation: F,
}

impl<'e, F: FnMut(Observation)> Collector<'e, F> {
    pub(super) fn new(
        expected_unit: Unit,
        errors: &'e mut ValidationErrorBuilder,
        on_observation: F,
    ) -> Self {
        Self {
            expected_unit,
            errors,
            on_observation,
        }
    }
}

impl<F: FnMut(Observation)> ValueWriter for &mut Collector<'_, F> {
    fn string(self, _value: &str) {
        self.errors
            .invalid_mut("can't construct a distribution of strings");
    }

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        if unit != self.expected_unit {
            self.errors.invalid_mut(format!(
                "value promised to write unit `{}` but wrote `{unit}` instead",
                self.expected_unit
            ));
        } else if dimensions.into_iter().next().is_some() {
            self.errors
                .invalid_mut("dimensions must be added after collecting into a distribution");
        } else {
            distribution.into_iter().for_each(&mut self.on_observation);
        }
    }

    fn error(self, error: ValidationError) {
        self.errors.extend_mut(error);
    }

    fn values<'a, V: Value + 'a>(self, _values: impl IntoIterator<Item = &'a V>) {
        self.errors
            .invalid_mut("can't collect a list into a distribution");
    }
}

/// Collects the observations of an already validated element.
struct ObservationSink<'b>(&'b mut SmallVec<[Observation; 2]>);

impl ValueWriter for ObservationSink<'_> {
    fn string(self, _value: &str) {}

    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        _unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        self.0.extend(distribution);
    }

    fn error(self, _error: ValidationError) {}

    fn values<'a, V: Value + 'a>(self, _values: impl IntoIterator<Item = &'a V>) {}
}

#[cfg(test)]
mod tests;

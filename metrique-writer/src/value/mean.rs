//! [`Mean`]: a running total and count, written as one averaged observation.

use std::fmt;
use std::marker::PhantomData;

use super::distribution::Collector;
use super::{MetricFlags, MetricValue, NO_DIMENSIONS, Observation, Value, ValueWriter};
use crate::unit::{self, UnitTag};
use crate::validate::{ValidationError, ValidationErrorBuilder};

/// The mean of many observations of one metric, in unit `U`, kept as a running total and a
/// number of occurrences (16 bytes, however many values are recorded).
///
/// It is written as one [`Observation::Repeated`] (EMF: `{"Values":[mean],"Counts":[n]}`), so
/// CloudWatch counts every occurrence; with no occurrence nothing is written.
///
/// # Examples
/// ```
/// use metrique_writer::value::Mean;
/// use metrique_writer::unit::Millisecond;
/// use std::time::Duration;
///
/// let mut latency = Mean::<Millisecond>::new();
/// latency.record(10);
/// latency.record_value(&Duration::from_millis(20)).unwrap();
/// assert_eq!((latency.total(), latency.occurrences()), (30.0, 2));
/// assert_eq!(latency.mean(), Some(15.0));
/// ```
pub struct Mean<U = unit::None> {
    total: f64,
    occurrences: u64,
    _unit: PhantomData<fn() -> U>,
}

impl<U> Mean<U> {
    /// No occurrences yet.
    pub const fn new() -> Self {
        Self {
            total: 0.0,
            occurrences: 0,
            _unit: PhantomData,
        }
    }

    /// The sum of the recorded values.
    pub fn total(self) -> f64 {
        self.total
    }

    /// How many values were recorded.
    pub fn occurrences(self) -> u64 {
        self.occurrences
    }

    /// The mean, or `None` with no occurrences.
    pub fn mean(self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)] // counts beyond 2^53 lose precision, as f64 does
        match self.occurrences {
            0 => None,
            n => Some(self.total / n as f64),
        }
    }

    /// Records one value, already in unit `U`.
    pub fn record(&mut self, value: impl Into<f64>) {
        self.total += value.into();
        self.occurrences += 1;
    }

    /// Adds the total and occurrences of `source`.
    pub fn add(&mut self, source: &Mean<U>) {
        self.total += source.total;
        self.occurrences += source.occurrences;
    }
}

impl<U: UnitTag> Mean<U> {
    /// The mean of `values`.
    ///
    /// # Errors
    /// If a value writes something other than a metric in unit `U` without per-metric
    /// dimensions.
    pub fn try_new<'a, V: 'a + MetricValue<Unit = U>>(
        values: impl IntoIterator<Item = &'a V>,
    ) -> Result<Self, ValidationError> {
        let mut mean = Self::new();
        mean.try_extend(values)?;
        Ok(mean)
    }

    /// Records every observation `value` writes (a [`Observation::Repeated`] counts as its
    /// occurrences). On error nothing is recorded.
    ///
    /// # Errors
    /// If `value` writes a string, a list, a metric in a unit other than `U`, a metric with
    /// per-metric dimensions, or an error.
    pub fn record_value(&mut self, value: &(impl Value + ?Sized)) -> Result<(), ValidationError> {
        let mut errors = ValidationErrorBuilder::default();
        let (mut total, mut occurrences) = (0.0, 0u64);
        value.write(&mut Collector::new(U::UNIT, &mut errors, |obs| match obs {
            Observation::Repeated {
                total: t,
                occurrences: n,
            } => {
                total += t;
                occurrences += n;
            }
            other => {
                total += other.as_f64();
                occurrences += 1;
            }
        }));
        errors.build()?;
        self.total += total;
        self.occurrences += occurrences;
        Ok(())
    }

    /// Records every value of `values`; stops at the first error.
    ///
    /// # Errors
    /// As [`Mean::record_value`].
    pub fn try_extend<'a, V: 'a + MetricValue<Unit = U>>(
        &mut self,
        values: impl IntoIterator<Item = &'a V>,
    ) -> Result<(), ValidationError> {
        for v in values {
            self.record_value(v)?;
        }
        Ok(())
    }
}

impl<U> Default for Mean<U> {
    fn default() -> Self {
        Self::new()
    }
}

impl<U> Clone for Mean<U> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<U> Copy for Mean<U> {}

impl<U> PartialEq for Mean<U> {
    fn eq(&self, other: &Self) -> bool {
        self.total == other.total && self.occurrences == other.occurrences
    }
}

impl<U: UnitTag> fmt::Debug for Mean<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mean")
            .field("total", &self.total)
            .field("occurrences", &self.occurrences)
            .field("unit", &U::UNIT)
            .finish()
    }
}

impl<U, V: Into<f64>> FromIterator<V> for Mean<U> {
    fn from_iter<T: IntoIterator<Item = V>>(iter: T) -> Self {
        let mut mean = Self::new();
        mean.extend(iter);
        mean
    }
}

impl<U, V: Into<f64>> Extend<V> for Mean<U> {
    fn extend<T: IntoIterator<Item = V>>(&mut self, iter: T) {
        for v in iter {
            self.record(v);
        }
    }
}

#[diagnostic::do_not_recommend]
impl<U: UnitTag> Value for Mean<U> {
    fn write(&self, writer: impl ValueWriter) {
        if self.occurrences > 0 {
            writer.metric(
                [Observation::Repeated {
                    total: self.total,
                    occurrences: self.occurrences,
                }],
                U::UNIT,
                NO_DIMENSIONS,
                MetricFlags::empty(),
            );
        }
    }
}

#[diagnostic::do_not_recommend]
impl<U: UnitTag> MetricValue for Mean<U> {
    type Unit = U;
}

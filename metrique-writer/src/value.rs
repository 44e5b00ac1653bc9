//! The [`Value`] trait: a field value that writes itself into a one-shot [`ValueWriter`].
//!
//! A value is written as exactly one of: a string property ([`ValueWriter::string`]), a metric
//! (one or more [`Observation`]s with a [`Unit`], per-metric dimensions and [`MetricFlags`]), a
//! list ([`ValueWriter::values`]) or an error. A value may also write nothing (`None`).

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use crate::unit::{Unit, UnitTag, WithUnit};
use crate::validate::ValidationError;

pub(crate) mod dimensions;
mod distribution;
mod flags;
mod force;
mod formatter;
mod list;
mod mean;

pub use dimensions::{WithDimension, WithDimensions, WithVecDimensions};
pub use distribution::{Distribution, VecDistribution};
pub use flags::{Distribution as DistributionFlag, FlagConstructor, MetricFlags, MetricOptions};
pub use force::{ForceFlag, ForceFlagEntryWriter};
pub use formatter::{FormattedValue, Lifted, NotLifted, ToString, ValueFormatter};
pub use list::write_values_as_string;
pub use mean::Mean;

/// One observation of a metric.
///
/// Formats write a single [`Unsigned`](Observation::Unsigned), [`Signed`](Observation::Signed)
/// or [`Floating`](Observation::Floating) observation as a scalar and anything else as a
/// distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Observation {
    /// An unsigned integer.
    Unsigned(u64),
    /// A signed integer (our addition over metrique 0.1.33, which has no signed values).
    Signed(i64),
    /// A floating-point number. NaN is skipped by formats; ±∞ is clamped to ±`f64::MAX`.
    Floating(f64),
    /// `occurrences` samples summing to `total` (their mean is `total / occurrences`).
    /// `occurrences == 0` is allowed and means "no samples".
    Repeated {
        /// Sum of the samples.
        total: f64,
        /// Number of samples.
        occurrences: u64,
    },
}

impl Observation {
    /// The observation as an `f64` (the mean for [`Observation::Repeated`]).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Observation::Unsigned(v) => v as f64,
            Observation::Signed(v) => v as f64,
            Observation::Floating(v) => v,
            Observation::Repeated { total, occurrences } => {
                if occurrences == 0 {
                    0.0
                } else {
                    total / occurrences as f64
                }
            }
        }
    }

    /// How many samples this observation stands for (1 for scalars).
    pub fn occurrences(&self) -> u64 {
        match *self {
            Observation::Repeated { occurrences, .. } => occurrences,
            _ => 1,
        }
    }
}

/// A field value that writes itself into a [`ValueWriter`].
///
/// Implementations call at most one method of the writer (writing nothing is allowed and means
/// "absent").
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a metric value",
    note = "if `{Self}` is a metric *entry* (a `#[metrics]` struct), flatten it with `#[metrics(flatten)]`",
    note = "if it only implements `Display`, write it with `#[metrics(format = metrique::writer::value::ToString)]`"
)]
pub trait Value {
    /// Writes this value into `writer`.
    fn write(&self, writer: impl ValueWriter);
}

/// Receives one value on behalf of a format; consumed by the first call.
pub trait ValueWriter: Sized {
    /// Writes a string property.
    fn string(self, value: &str);

    /// Writes a metric: its observations (none means "write nothing"), its unit, per-metric
    /// dimensions (`(name, value)` pairs) and format-specific flags.
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    );

    /// Reports that this value is invalid; the format turns this into a validation error
    /// naming the field.
    fn error(self, error: ValidationError);

    /// Shorthand for [`ValueWriter::error`] with a message.
    fn invalid(self, reason: impl Into<String>) {
        self.error(ValidationError::invalid(reason));
    }

    /// Writes a list of values. Formats that support lists (EMF, JSON) write an array; the
    /// default joins the elements' string forms with `,`.
    fn values<'a, V: Value + 'a>(self, values: impl IntoIterator<Item = &'a V>) {
        write_values_as_string(self, values);
    }

    /// One observation with a unit, no dimensions and no flags: what the standard numeric
    /// values write. Exactly [`ValueWriter::metric`] with those arguments (the default);
    /// a format may override it with a shorter path.
    #[doc(hidden)]
    #[inline(always)]
    fn __scalar(self, observation: Observation, unit: Unit) {
        self.metric([observation], unit, NO_DIMENSIONS, MetricFlags::empty());
    }

    /// A [`Duration`] in milliseconds: exactly [`ValueWriter::__scalar`] with the `f64`
    /// milliseconds (the default). A format may override it to write the text straight from
    /// the integer nanoseconds (the same bytes, without two float divisions).
    #[doc(hidden)]
    #[inline(always)]
    fn __duration_millis(self, duration: Duration, unit: Unit) {
        self.__scalar(Observation::Floating(millis_f64(&duration)), unit);
    }
}

/// A [`Value`] that always writes a metric of unit `Self::Unit`.
pub trait MetricValue: Value {
    /// The unit this value writes.
    type Unit: UnitTag;

    /// Writes this value converted to unit `U` (see [`WithUnit`]).
    fn with_unit<U: UnitTag>(self) -> WithUnit<Self, U>
    where
        Self: Sized,
        Self::Unit: crate::unit::Convert<U>,
    {
        WithUnit::from(self)
    }

    /// Attaches one per-metric dimension.
    fn with_dimension(
        self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> WithDimension<Self>
    where
        Self: Sized,
    {
        WithDimension::new(self, key, value)
    }

    /// Attaches several per-metric dimensions.
    fn with_dimensions<K, V, const N: usize>(
        self,
        dimensions: impl IntoIterator<Item = (K, V)>,
    ) -> WithDimensions<Self, N>
    where
        Self: Sized,
        K: Into<Cow<'static, str>>,
        V: Into<Cow<'static, str>>,
    {
        WithDimensions::new_with_dimensions(self, dimensions)
    }
}

const NO_DIMENSIONS: [(&str, &str); 0] = [];

macro_rules! unsigned_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            #[inline(always)] // the format's hot path is a few instructions
            fn write(&self, writer: impl ValueWriter) {
                writer.__scalar(Observation::Unsigned(*self as u64), Unit::None);
            }
        }
        impl MetricValue for $t {
            type Unit = crate::unit::None;
        }
    )*};
}
unsigned_value!(u8, u16, u32, u64, usize);

macro_rules! signed_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            #[inline(always)] // the format's hot path is a few instructions
            fn write(&self, writer: impl ValueWriter) {
                writer.__scalar(Observation::Signed(*self as i64), Unit::None);
            }
        }
        impl MetricValue for $t {
            type Unit = crate::unit::None;
        }
    )*};
}
signed_value!(i8, i16, i32, i64, isize);

macro_rules! float_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            #[inline(always)] // the format's hot path is a few instructions
            fn write(&self, writer: impl ValueWriter) {
                writer.__scalar(Observation::Floating(f64::from(*self)), Unit::None);
            }
        }
        impl MetricValue for $t {
            type Unit = crate::unit::None;
        }
    )*};
}
float_value!(f32, f64);

impl Value for bool {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        writer.__scalar(Observation::Unsigned(u64::from(*self)), Unit::None);
    }
}
impl MetricValue for bool {
    type Unit = crate::unit::None;
}

/// Durations are written as milliseconds (floating point, nanosecond precision).
/// `d.as_nanos() as f64`, without the `u128` → `f64` conversion (a libcall) for durations
/// under 2^53 ns (104 days), where the `u64` conversion gives the same (exact) value.
#[inline]
fn nanos_f64(d: &Duration) -> f64 {
    const EXACT: u64 = 1 << 53;
    if d.as_secs() < EXACT / 1_000_000_000 {
        (d.as_secs() * 1_000_000_000 + u64::from(d.subsec_nanos())) as f64
    } else {
        d.as_nanos() as f64
    }
}

/// `d` in milliseconds, as the `f64` metric value a [`Duration`] writes.
#[inline]
pub(crate) fn millis_f64(d: &Duration) -> f64 {
    nanos_f64(d) / 1_000_000.0
}

impl Value for Duration {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        writer.__duration_millis(*self, Unit::Second(crate::unit::NegativeScale::Milli));
    }
}
impl MetricValue for Duration {
    type Unit = crate::unit::Millisecond;
}

impl Value for Observation {
    fn write(&self, writer: impl ValueWriter) {
        writer.metric([*self], Unit::None, NO_DIMENSIONS, MetricFlags::empty());
    }
}
impl MetricValue for Observation {
    type Unit = crate::unit::None;
}

impl Value for str {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        writer.string(self);
    }
}

impl Value for String {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        writer.string(self);
    }
}

impl<T: Value + ?Sized> Value for &T {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        (**self).write(writer);
    }
}
impl<T: MetricValue + ?Sized> MetricValue for &T {
    type Unit = T::Unit;
}

impl<T: Value> Value for Option<T> {
    #[inline(always)]
    fn write(&self, writer: impl ValueWriter) {
        if let Some(v) = self {
            v.write(writer);
        }
    }
}
impl<T: MetricValue> MetricValue for Option<T> {
    type Unit = T::Unit;
}

impl<T: Value + ?Sized> Value for Box<T> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        (**self).write(writer);
    }
}
impl<T: MetricValue + ?Sized> MetricValue for Box<T> {
    type Unit = T::Unit;
}

impl<T: Value + ?Sized> Value for Arc<T> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        (**self).write(writer);
    }
}
impl<T: MetricValue + ?Sized> MetricValue for Arc<T> {
    type Unit = T::Unit;
}

impl<T: Value + ToOwned + ?Sized> Value for Cow<'_, T> {
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        (**self).write(writer);
    }
}

impl<V: Value> Value for [V] {
    fn write(&self, writer: impl ValueWriter) {
        writer.values(self);
    }
}

impl<V: Value> Value for Vec<V> {
    fn write(&self, writer: impl ValueWriter) {
        writer.values(self.as_slice());
    }
}

impl<V: Value, const N: usize> Value for [V; N] {
    fn write(&self, writer: impl ValueWriter) {
        writer.values(self.as_slice());
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn duration_nanos_as_f64_is_the_u128_conversion() {
        let edge = (1u64 << 53) / 1_000_000_000;
        let mut secs = vec![0, 1, 59, 3_600, 86_400, edge - 1, edge, edge + 1, u64::MAX];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            secs.push(x % (4 * edge));
        }
        for s in secs {
            for n in [0, 1, 999, 123_456_789, 999_999_999] {
                let d = Duration::new(s, n);
                assert_eq!(
                    super::nanos_f64(&d).to_bits(),
                    (d.as_nanos() as f64).to_bits(),
                    "{d:?}"
                );
            }
        }
    }
}

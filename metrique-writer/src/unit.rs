//! Units: the [`Unit`] enum (every CloudWatch unit), unit tag types for
//! `#[metrics(unit = …)]`, conversions between them ([`Convert`]) and [`WithUnit`].
//!
//! Unit names are CloudWatch's `StandardUnit` strings (see the EMF reference: "Units").

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use crate::validate::ValidationError;
use crate::value::{MetricFlags, MetricValue, Observation, Value, ValueWriter};

/// Scale of a time unit (seconds and fractions of seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NegativeScale {
    /// 10⁻⁶
    Micro,
    /// 10⁻³
    Milli,
    /// 1
    One,
}

/// Scale of a data unit (bytes, bits and their rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PositiveScale {
    /// 1
    One,
    /// 10³
    Kilo,
    /// 10⁶
    Mega,
    /// 10⁹
    Giga,
    /// 10¹²
    Tera,
}

/// A CloudWatch unit. [`Unit::name`] gives the exact string CloudWatch expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Unit {
    /// No unit (omitted from EMF metric definitions).
    #[default]
    None,
    /// `Count`
    Count,
    /// `Count/Second`
    CountPerSecond,
    /// `Percent`
    Percent,
    /// `Seconds`, `Milliseconds`, `Microseconds`
    Second(NegativeScale),
    /// `Bytes` … `Terabytes`
    Byte(PositiveScale),
    /// `Bytes/Second` … `Terabytes/Second`
    BytePerSecond(PositiveScale),
    /// `Bits` … `Terabits`
    Bit(PositiveScale),
    /// `Bits/Second` … `Terabits/Second`
    BitPerSecond(PositiveScale),
    /// A unit of your own, written verbatim.
    Custom(&'static str),
}

impl Unit {
    /// The CloudWatch name of this unit (`"None"` for [`Unit::None`]).
    pub const fn name(&self) -> &'static str {
        use NegativeScale as N;
        use PositiveScale as P;
        match self {
            Unit::None => "None",
            Unit::Count => "Count",
            Unit::CountPerSecond => "Count/Second",
            Unit::Percent => "Percent",
            Unit::Second(N::Micro) => "Microseconds",
            Unit::Second(N::Milli) => "Milliseconds",
            Unit::Second(N::One) => "Seconds",
            Unit::Byte(P::One) => "Bytes",
            Unit::Byte(P::Kilo) => "Kilobytes",
            Unit::Byte(P::Mega) => "Megabytes",
            Unit::Byte(P::Giga) => "Gigabytes",
            Unit::Byte(P::Tera) => "Terabytes",
            Unit::BytePerSecond(P::One) => "Bytes/Second",
            Unit::BytePerSecond(P::Kilo) => "Kilobytes/Second",
            Unit::BytePerSecond(P::Mega) => "Megabytes/Second",
            Unit::BytePerSecond(P::Giga) => "Gigabytes/Second",
            Unit::BytePerSecond(P::Tera) => "Terabytes/Second",
            Unit::Bit(P::One) => "Bits",
            Unit::Bit(P::Kilo) => "Kilobits",
            Unit::Bit(P::Mega) => "Megabits",
            Unit::Bit(P::Giga) => "Gigabits",
            Unit::Bit(P::Tera) => "Terabits",
            Unit::BitPerSecond(P::One) => "Bits/Second",
            Unit::BitPerSecond(P::Kilo) => "Kilobits/Second",
            Unit::BitPerSecond(P::Mega) => "Megabits/Second",
            Unit::BitPerSecond(P::Giga) => "Gigabits/Second",
            Unit::BitPerSecond(P::Tera) => "Terabits/Second",
            Unit::Custom(s) => s,
        }
    }

    /// `None` for [`Unit::None`], the unit otherwise.
    pub const fn to_option(self) -> Option<Unit> {
        match self {
            Unit::None => Option::None,
            u => Some(u),
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A type standing for a unit, used as `#[metrics(unit = Millisecond)]`.
///
/// Implement it on your own type for a custom unit:
/// ```
/// use metrique_writer::unit::{Unit, UnitTag};
/// struct ParsecsPerBit;
/// impl UnitTag for ParsecsPerBit { const UNIT: Unit = Unit::Custom("Parsecs/Bit"); }
/// ```
pub trait UnitTag {
    /// The unit.
    const UNIT: Unit;
}

/// Conversion of observations from unit `Self` to unit `U`.
#[diagnostic::on_unimplemented(
    message = "a value in `{Self}` cannot be written as `{U}`",
    note = "units convert within their family (time, data, data rate); unitless values convert to any unit"
)]
pub trait Convert<U: UnitTag>: UnitTag {
    /// Multiply observations by this to convert them.
    const RATIO: f64;

    /// Converts one observation.
    fn convert(obs: Observation) -> Observation {
        scale(obs, Self::RATIO)
    }
}

/// Multiplies an observation by `ratio`, keeping integers integral where that is exact.
pub fn scale(obs: Observation, ratio: f64) -> Observation {
    #[allow(clippy::float_cmp)] // exact 1.0 is the no-op ratio
    if ratio == 1.0 {
        return obs;
    }
    let int_ratio = (ratio >= 1.0 && ratio.fract() == 0.0 && ratio < 1e18).then_some(ratio as u64);
    match obs {
        Observation::Unsigned(v) => match int_ratio.and_then(|r| v.checked_mul(r)) {
            Some(v) => Observation::Unsigned(v),
            Option::None => Observation::Floating(v as f64 * ratio),
        },
        Observation::Signed(v) => {
            match int_ratio
                .and_then(|r| i64::try_from(r).ok())
                .and_then(|r| v.checked_mul(r))
            {
                Some(v) => Observation::Signed(v),
                Option::None => Observation::Floating(v as f64 * ratio),
            }
        }
        Observation::Floating(v) => Observation::Floating(v * ratio),
        Observation::Repeated { total, occurrences } => Observation::Repeated {
            total: total * ratio,
            occurrences,
        },
    }
}

macro_rules! tags {
    ($($(#[$m:meta])* $name:ident = $unit:expr;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl UnitTag for $name {
            const UNIT: Unit = $unit;
        }
        impl Convert<$name> for None {
            const RATIO: f64 = 1.0;
        }
    )*};
}

/// No unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct None;
impl UnitTag for None {
    const UNIT: Unit = Unit::None;
}
impl Convert<None> for None {
    const RATIO: f64 = 1.0;
}

use NegativeScale as NS;
use PositiveScale as PS;

tags! {
    /// `Count`
    Count = Unit::Count;
    /// `Count/Second`
    CountPerSecond = Unit::CountPerSecond;
    /// `Percent`
    Percent = Unit::Percent;
    /// `Seconds`
    Second = Unit::Second(NS::One);
    /// `Milliseconds`
    Millisecond = Unit::Second(NS::Milli);
    /// `Microseconds`
    Microsecond = Unit::Second(NS::Micro);
    /// `Bytes`
    Byte = Unit::Byte(PS::One);
    /// `Kilobytes`
    Kilobyte = Unit::Byte(PS::Kilo);
    /// `Megabytes`
    Megabyte = Unit::Byte(PS::Mega);
    /// `Gigabytes`
    Gigabyte = Unit::Byte(PS::Giga);
    /// `Terabytes`
    Terabyte = Unit::Byte(PS::Tera);
    /// `Bits`
    Bit = Unit::Bit(PS::One);
    /// `Kilobits`
    Kilobit = Unit::Bit(PS::Kilo);
    /// `Megabits`
    Megabit = Unit::Bit(PS::Mega);
    /// `Gigabits`
    Gigabit = Unit::Bit(PS::Giga);
    /// `Terabits`
    Terabit = Unit::Bit(PS::Tera);
    /// `Bytes/Second`
    BytePerSecond = Unit::BytePerSecond(PS::One);
    /// `Kilobytes/Second`
    KilobytePerSecond = Unit::BytePerSecond(PS::Kilo);
    /// `Megabytes/Second`
    MegabytePerSecond = Unit::BytePerSecond(PS::Mega);
    /// `Gigabytes/Second`
    GigabytePerSecond = Unit::BytePerSecond(PS::Giga);
    /// `Terabytes/Second`
    TerabytePerSecond = Unit::BytePerSecond(PS::Tera);
    /// `Bits/Second`
    BitPerSecond = Unit::BitPerSecond(PS::One);
    /// `Kilobits/Second`
    KilobitPerSecond = Unit::BitPerSecond(PS::Kilo);
    /// `Megabits/Second`
    MegabitPerSecond = Unit::BitPerSecond(PS::Mega);
    /// `Gigabits/Second`
    GigabitPerSecond = Unit::BitPerSecond(PS::Giga);
    /// `Terabits/Second`
    TerabitPerSecond = Unit::BitPerSecond(PS::Tera);
}

/// Conversions within one family: each unit is `factor` base units.
macro_rules! family {
    ($($a:ident = $fa:expr),* ; $all:tt) => {$(
        family!(@one $a = $fa ; $all);
    )*};
    (@one $a:ident = $fa:expr ; [$($b:ident = $fb:expr),*]) => {$(
        impl Convert<$b> for $a {
            const RATIO: f64 = ($fa) / ($fb);
        }
    )*};
}

family!(Second = 1.0, Millisecond = 1e-3, Microsecond = 1e-6;
    [Second = 1.0, Millisecond = 1e-3, Microsecond = 1e-6]);
family!(Count = 1.0; [Count = 1.0]);
family!(CountPerSecond = 1.0; [CountPerSecond = 1.0]);
family!(Percent = 1.0; [Percent = 1.0]);
family!(
    Byte = 8.0, Kilobyte = 8e3, Megabyte = 8e6, Gigabyte = 8e9, Terabyte = 8e12,
    Bit = 1.0, Kilobit = 1e3, Megabit = 1e6, Gigabit = 1e9, Terabit = 1e12;
    [Byte = 8.0, Kilobyte = 8e3, Megabyte = 8e6, Gigabyte = 8e9, Terabyte = 8e12,
     Bit = 1.0, Kilobit = 1e3, Megabit = 1e6, Gigabit = 1e9, Terabit = 1e12]);
family!(
    BytePerSecond = 8.0, KilobytePerSecond = 8e3, MegabytePerSecond = 8e6,
    GigabytePerSecond = 8e9, TerabytePerSecond = 8e12,
    BitPerSecond = 1.0, KilobitPerSecond = 1e3, MegabitPerSecond = 1e6,
    GigabitPerSecond = 1e9, TerabitPerSecond = 1e12;
    [BytePerSecond = 8.0, KilobytePerSecond = 8e3, MegabytePerSecond = 8e6,
     GigabytePerSecond = 8e9, TerabytePerSecond = 8e12,
     BitPerSecond = 1.0, KilobitPerSecond = 1e3, MegabitPerSecond = 1e6,
     GigabitPerSecond = 1e9, TerabitPerSecond = 1e12]);

/// A value written in unit `U`: its observations are converted from the value's own unit
/// (`V::Unit`) with [`Convert`].
///
/// # Errors
/// If the inner value writes a string, or a metric in a unit other than the one it promised,
/// the field is reported as a validation error.
pub struct WithUnit<V, U> {
    value: V,
    _unit: PhantomData<fn() -> U>,
}

impl<V: std::fmt::Debug, U> std::fmt::Debug for WithUnit<V, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WithUnit").field(&self.value).finish()
    }
}

impl<V: Clone, U> Clone for WithUnit<V, U> {
    fn clone(&self) -> Self {
        Self::from(self.value.clone())
    }
}

impl<V: Copy, U> Copy for WithUnit<V, U> {}

impl<V: Default, U> Default for WithUnit<V, U> {
    fn default() -> Self {
        Self::from(V::default())
    }
}

impl<V, U> From<V> for WithUnit<V, U> {
    fn from(value: V) -> Self {
        Self {
            value,
            _unit: PhantomData,
        }
    }
}

impl<V, U> WithUnit<V, U> {
    /// Returns the wrapped value.
    pub fn into_inner(self) -> V {
        self.value
    }
}

impl<V, U> Deref for WithUnit<V, U> {
    type Target = V;
    fn deref(&self) -> &V {
        &self.value
    }
}

impl<V, U> DerefMut for WithUnit<V, U> {
    fn deref_mut(&mut self) -> &mut V {
        &mut self.value
    }
}

struct UnitWriter<W, From, To> {
    inner: W,
    _u: PhantomData<fn() -> (From, To)>,
}

impl<W: ValueWriter, From: Convert<To>, To: UnitTag> ValueWriter for UnitWriter<W, From, To> {
    fn string(self, _value: &str) {
        self.inner.error(ValidationError::invalid(
            "can't apply a unit to a string value",
        ));
    }
    fn metric<'a>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        flags: MetricFlags<'_>,
    ) {
        if unit != From::UNIT {
            self.inner.error(ValidationError::invalid(format!(
                "value promised to write unit `{}` but wrote `{}`",
                From::UNIT,
                unit
            )));
            return;
        }
        self.inner.metric(
            distribution.into_iter().map(From::convert),
            To::UNIT,
            dimensions,
            flags,
        );
    }
    fn error(self, error: ValidationError) {
        self.inner.error(error);
    }
    fn values<'a, T: Value + 'a>(self, values: impl IntoIterator<Item = &'a T>) {
        self.inner.values(values);
    }
}

impl<V: MetricValue, U: UnitTag> Value for WithUnit<V, U>
where
    V::Unit: Convert<U>,
{
    #[inline]
    fn write(&self, writer: impl ValueWriter) {
        self.value.write(UnitWriter::<_, V::Unit, U> {
            inner: writer,
            _u: PhantomData,
        });
    }
}

impl<V: MetricValue, U: UnitTag> MetricValue for WithUnit<V, U>
where
    V::Unit: Convert<U>,
{
    type Unit = U;
}

macro_rules! aliases {
    ($($alias:ident = $tag:ident),* $(,)?) => {$(
        #[doc = concat!("A value written in [`", stringify!($tag), "`].")]
        pub type $alias<V> = WithUnit<V, $tag>;
    )*};
}

aliases! {
    AsNone = None, AsCount = Count, AsCountPerSecond = CountPerSecond, AsPercent = Percent,
    AsSeconds = Second, AsMilliseconds = Millisecond, AsMicroseconds = Microsecond,
    AsBytes = Byte, AsKilobytes = Kilobyte, AsMegabytes = Megabyte, AsGigabytes = Gigabyte,
    AsTerabytes = Terabyte, AsBits = Bit, AsKilobits = Kilobit, AsMegabits = Megabit,
    AsGigabits = Gigabit, AsTerabits = Terabit, AsBytesPerSecond = BytePerSecond,
    AsKilobytesPerSecond = KilobytePerSecond, AsMegabytesPerSecond = MegabytePerSecond,
    AsGigabytesPerSecond = GigabytePerSecond, AsTerabytesPerSecond = TerabytePerSecond,
    AsBitsPerSecond = BitPerSecond, AsKilobitsPerSecond = KilobitPerSecond,
    AsMegabitsPerSecond = MegabitPerSecond, AsGigabitsPerSecond = GigabitPerSecond,
    AsTerabitsPerSecond = TerabitPerSecond,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_ratios() {
        assert_eq!(<Second as Convert<Millisecond>>::RATIO, 1000.0);
        assert_eq!(<Millisecond as Convert<Second>>::RATIO, 1e-3);
        assert_eq!(<Kilobyte as Convert<Bit>>::RATIO, 8000.0);
        assert_eq!(
            scale(Observation::Unsigned(5), 1000.0),
            Observation::Unsigned(5000)
        );
        assert_eq!(
            scale(Observation::Unsigned(5), 0.5),
            Observation::Floating(2.5)
        );
        assert_eq!(
            scale(Observation::Unsigned(u64::MAX), 2.0),
            Observation::Floating(u64::MAX as f64 * 2.0)
        );
    }

    #[test]
    fn names_are_cloudwatch_strings() {
        assert_eq!(Unit::Second(NegativeScale::Milli).name(), "Milliseconds");
        assert_eq!(
            Unit::BitPerSecond(PositiveScale::Giga).name(),
            "Gigabits/Second"
        );
        assert_eq!(Unit::CountPerSecond.name(), "Count/Second");
        assert_eq!(Unit::Custom("Parsecs").name(), "Parsecs");
    }
}

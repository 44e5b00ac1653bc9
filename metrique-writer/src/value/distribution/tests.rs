use std::time::Duration;

use super::*;
use crate::unit::{Millisecond, Second, WithUnit};
use crate::value::{MetricValue, WithDimension};

/// What one value wrote.
#[derive(Debug, PartialEq)]
enum Wrote {
    Nothing,
    Metric(Vec<Observation>, Unit, usize),
    Error(String),
    Other,
}

fn record(value: &impl Value) -> Wrote {
    struct W<'r>(&'r mut Wrote);
    impl ValueWriter for W<'_> {
        fn string(self, _: &str) {
            *self.0 = Wrote::Other;
        }
        fn metric<'a>(
            self,
            distribution: impl IntoIterator<Item = Observation>,
            unit: Unit,
            dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
            _flags: MetricFlags<'_>,
        ) {
            *self.0 = Wrote::Metric(
                distribution.into_iter().collect(),
                unit,
                dimensions.into_iter().count(),
            );
        }
        fn error(self, error: ValidationError) {
            *self.0 = Wrote::Error(error.to_string());
        }
        fn values<'a, V: Value + 'a>(self, _: impl IntoIterator<Item = &'a V>) {
            *self.0 = Wrote::Other;
        }
    }
    let mut out = Wrote::Nothing;
    value.write(W(&mut out));
    out
}

#[test]
fn distribution_interchanges_with_iterators() {
    let mut d = VecDistribution::from_iter([1u32, 2, 3, 4]);
    d.extend([5, 6]);
    d.add(7).add(8);
    assert_eq!(d.len(), 8);
    assert!((&d).into_iter().copied().eq(1..=8));
    assert!(d.into_iter().eq(1..=8));
}

#[test]
fn distribution_writes_one_metric_with_every_observation() {
    let d: Distribution<u32, 4> = [1u32, 2, 3].into_iter().collect();
    assert_eq!(d.values(), &[1, 2, 3]);
    assert_eq!(
        record(&d),
        Wrote::Metric(
            vec![
                Observation::Unsigned(1),
                Observation::Unsigned(2),
                Observation::Unsigned(3)
            ],
            Unit::None,
            0
        )
    );
    let ms: Distribution<Duration, 2> = [Duration::from_millis(2), Duration::from_micros(500)]
        .into_iter()
        .collect();
    assert_eq!(
        record(&ms),
        Wrote::Metric(
            vec![Observation::Floating(2.0), Observation::Floating(0.5)],
            Millisecond::UNIT,
            0
        )
    );
}

#[test]
fn distribution_of_converted_values_keeps_the_promised_unit() {
    let d: VecDistribution<WithUnit<Duration, Second>> =
        [Duration::from_millis(1500).into()].into_iter().collect();
    assert_eq!(
        record(&d),
        Wrote::Metric(vec![Observation::Floating(1.5)], Second::UNIT, 0)
    );
}

#[test]
fn empty_distribution_writes_nothing() {
    let d = VecDistribution::<u32>::new();
    assert!(d.is_empty());
    assert_eq!(record(&d), Wrote::Nothing);
    assert_eq!(d.try_to_mean().unwrap().mean(), None);
}

#[test]
fn distribution_dimensions_go_on_the_distribution() {
    let d: VecDistribution<u64> = [1, 2].into_iter().collect();
    let with = d.with_dimension("Host", "a");
    assert_eq!(
        record(&with),
        Wrote::Metric(
            vec![Observation::Unsigned(1), Observation::Unsigned(2)],
            Unit::None,
            1
        )
    );
    let per_element: VecDistribution<WithDimension<u64>> = [WithDimension::new(1u64, "Host", "a")]
        .into_iter()
        .collect();
    assert_eq!(
        record(&per_element),
        Wrote::Error("dimensions must be added after collecting into a distribution".into())
    );
}

/// A value that lies about its unit.
struct Liar;
impl Value for Liar {
    fn write(&self, writer: impl ValueWriter) {
        writer.metric(
            [Observation::Unsigned(1)],
            Unit::Count,
            NO_DIMENSIONS,
            MetricFlags::empty(),
        );
    }
}
impl MetricValue for Liar {
    type Unit = crate::unit::None;
}

/// A value that writes a string while claiming to be a metric.
struct Stringy;
impl Value for Stringy {
    fn write(&self, writer: impl ValueWriter) {
        writer.string("x");
    }
}
impl MetricValue for Stringy {
    type Unit = crate::unit::None;
}

/// A value that reports an error.
struct Broken;
impl Value for Broken {
    fn write(&self, writer: impl ValueWriter) {
        writer.invalid("broken");
    }
}
impl MetricValue for Broken {
    type Unit = crate::unit::None;
}

#[test]
fn bad_elements_are_reported_not_panicked() {
    let d: VecDistribution<Liar> = [Liar].into_iter().collect();
    assert_eq!(
        record(&d),
        Wrote::Error("value promised to write unit `None` but wrote `Count` instead".into())
    );
    let d: VecDistribution<Stringy> = [Stringy, Stringy].into_iter().collect();
    assert_eq!(
        record(&d),
        Wrote::Error(
            "can't construct a distribution of strings, can't construct a distribution of strings"
                .into()
        )
    );
    let d: VecDistribution<Broken> = [Broken].into_iter().collect();
    assert_eq!(record(&d), Wrote::Error("broken".into()));
    assert!(Mean::<crate::unit::None>::try_new(&[Liar]).is_err());
}

#[test]
fn mean_writes_one_repeated_observation() {
    let mean = Mean::<Millisecond>::from_iter([1, 2, 3]);
    let expected = Wrote::Metric(
        vec![Observation::Repeated {
            total: 6.0,
            occurrences: 3,
        }],
        Millisecond::UNIT,
        0,
    );
    assert_eq!(record(&mean), expected);
    let from_values = Mean::try_new(&[
        Duration::from_millis(1),
        Duration::from_millis(2),
        Duration::from_millis(3),
    ])
    .unwrap();
    assert_eq!(from_values, mean);
    assert_eq!(record(&from_values), expected);
    assert_eq!(mean.mean(), Some(2.0));
}

#[test]
fn mean_writes_nothing_without_occurrences() {
    let mean = Mean::<crate::unit::None>::new();
    assert_eq!(mean.mean(), None);
    assert_eq!(record(&mean), Wrote::Nothing);
}

#[test]
fn mean_add_and_record_value() {
    let mut total = Mean::<Millisecond>::default();
    total.add(&Mean::try_new(&[Duration::from_millis(4), Duration::from_millis(6)]).unwrap());
    total.record_value(&Duration::from_millis(10)).unwrap();
    assert_eq!((total.total(), total.occurrences()), (20.0, 3));
    // A nested mean counts as its occurrences; a failed record changes nothing.
    let mut outer = Mean::<Millisecond>::new();
    outer.record_value(&total).unwrap();
    assert_eq!(outer, total);
    let mut unitless = Mean::<crate::unit::None>::new();
    unitless.record_value(&-3i64).unwrap();
    assert!(unitless.record_value(&Duration::from_millis(1)).is_err());
    assert_eq!((unitless.total(), unitless.occurrences()), (-3.0, 1));
}

#[test]
fn debug_output() {
    let d: Distribution<u8, 2> = [1u8, 2].into_iter().collect();
    assert_eq!(format!("{d:?}"), "Distribution([1, 2])");
    let m = Mean::<Millisecond>::from_iter([1.5]);
    assert_eq!(
        format!("{m:?}"),
        "Mean { total: 1.5, occurrences: 1, unit: Second(Milli) }"
    );
}

//! `Distribution` and `Mean`: exact EMF bytes and `test_util` observations.
#![cfg(feature = "emf")]

use std::time::{Duration, SystemTime};

use metrique_writer::format::FormatExt;
use metrique_writer::format::emf::Emf;
use metrique_writer::test_stream::TestSink;
use metrique_writer::unit::{Byte, Millisecond};
use metrique_writer::value::{Distribution, Mean, MetricValue, VecDistribution};
use metrique_writer::{Entry, EntryIoStream, EntryWriter, IoStreamError, Value};

const TS: u64 = 1_752_774_958_378;

/// One field `F` holding `value`, at timestamp [`TS`].
struct One<'v, V: ?Sized>(&'v V);

impl<V: Value + ?Sized> Entry for One<'_, V> {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(TS));
        w.value("F", self.0);
    }
}

fn emf_line(value: &(impl Value + ?Sized)) -> Result<String, IoStreamError> {
    let sink = TestSink::new();
    let mut stream = Emf::no_validations("Ns".into(), vec![vec![]]).output_to(sink.clone());
    stream.next(&One(value))?;
    Ok(sink.dump())
}

fn line(def: &str, value: &str) -> String {
    format!(
        r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{def}]}}],"Timestamp":{TS}}},"F":{value}}}"#
    ) + "\n"
}

#[test]
fn distribution_is_one_histogram_metric() {
    let d: Distribution<u64, 4> = [3, 1, 3].into_iter().collect();
    assert_eq!(
        emf_line(&d).unwrap(),
        line(r#"{"Name":"F"}"#, r#"{"Values":[3,1,3],"Counts":[1,1,1]}"#)
    );
    let ms: VecDistribution<Duration> = [Duration::from_millis(12), Duration::from_micros(2500)]
        .into_iter()
        .collect();
    assert_eq!(
        emf_line(&ms).unwrap(),
        line(
            r#"{"Name":"F","Unit":"Milliseconds"}"#,
            r#"{"Values":[12,2.5],"Counts":[1,1]}"#
        )
    );
}

#[test]
fn single_value_distribution_is_a_plain_number_as_in_metrique() {
    let d: VecDistribution<u64> = [7].into_iter().collect();
    assert_eq!(emf_line(&d).unwrap(), line(r#"{"Name":"F"}"#, "7"));
}

#[test]
fn empty_distribution_writes_no_field() {
    let sink = TestSink::new();
    let mut stream = Emf::no_validations("Ns".into(), vec![vec![]]).output_to(sink.clone());
    struct Two(VecDistribution<u64>);
    impl Entry for Two {
        fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
            w.timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(TS));
            w.value("Empty", &self.0);
            w.value("X", &1u64);
        }
    }
    stream.next(&Two(VecDistribution::new())).unwrap();
    assert_eq!(
        sink.dump(),
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{{"Name":"X"}}]}}],"Timestamp":{TS}}},"X":1}}"#
        ) + "\n"
    );
}

#[test]
fn mean_is_one_repeated_observation() {
    let mut m = Mean::<Millisecond>::new();
    m.extend([10, 20, 30, 40]);
    assert_eq!(
        emf_line(&m).unwrap(),
        line(
            r#"{"Name":"F","Unit":"Milliseconds"}"#,
            r#"{"Values":[25],"Counts":[4]}"#
        )
    );
    let bytes = Mean::<Byte>::from_iter([1.5f64]);
    assert_eq!(
        emf_line(&bytes).unwrap(),
        line(
            r#"{"Name":"F","Unit":"Bytes"}"#,
            r#"{"Values":[1.5],"Counts":[1]}"#
        )
    );
    // No occurrences: no field; the entry has no metric at all.
    let none = Mean::<Millisecond>::new();
    assert_eq!(
        emf_line(&none).unwrap(),
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","Dimensions":[[]],"Metrics":[]}}],"Timestamp":{TS}}}}}"#
        ) + "\n"
    );
}

#[test]
fn distribution_of_means_weights_each_mean() {
    let d: VecDistribution<Mean<Millisecond>> = [Mean::from_iter([1, 3]), Mean::from_iter([10])]
        .into_iter()
        .collect();
    assert_eq!(
        emf_line(&d).unwrap(),
        line(
            r#"{"Name":"F","Unit":"Milliseconds"}"#,
            r#"{"Values":[2,10],"Counts":[2,1]}"#
        )
    );
}

#[test]
fn invalid_elements_are_a_field_error_and_nothing_is_written() {
    let per_element: VecDistribution<_> = [7u64.with_dimension("Host", "a")].into_iter().collect();
    match emf_line(&per_element) {
        Err(IoStreamError::Validation(e)) => assert_eq!(
            e.to_string(),
            "for `F`: dimensions must be added after collecting into a distribution"
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn distribution_dimensions_need_split_entries() {
    let d: VecDistribution<u64> = [1, 2].into_iter().collect();
    let with = d.with_dimension("Host", "a");
    struct Split<'v, V>(&'v V);
    impl<V: Value> Entry for Split<'_, V> {
        fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
            w.config(&metrique_writer::config::AllowSplitEntries);
            w.timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(TS));
            w.value("F", self.0);
        }
    }
    let sink = TestSink::new();
    let mut stream = Emf::no_validations("Ns".into(), vec![vec![]]).output_to(sink.clone());
    stream.next(&Split(&with)).unwrap();
    assert_eq!(
        sink.dump(),
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","Dimensions":[["Host"]],"Metrics":[{{"Name":"F"}}]}}],"Timestamp":{TS}}},"Host":"a","F":{{"Values":[1,2],"Counts":[1,1]}}}}"#
        ) + "\n"
    );
}

#[cfg(feature = "test-util")]
#[test]
fn test_util_sees_every_observation() {
    use metrique_writer::Observation;
    use metrique_writer::test_util::to_test_entry;

    struct E {
        d: VecDistribution<u64>,
        m: Mean<Millisecond>,
    }
    impl Entry for E {
        fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
            w.value("D", &self.d);
            w.value("M", &self.m);
        }
    }
    let e = to_test_entry(&E {
        d: [1, 2, 3].into_iter().collect(),
        m: Mean::from_iter([2, 4]),
    });
    assert_eq!(
        e.metrics["D"].distribution,
        [
            Observation::Unsigned(1),
            Observation::Unsigned(2),
            Observation::Unsigned(3)
        ]
    );
    assert_eq!(
        e.metrics["M"].distribution,
        [Observation::Repeated {
            total: 6.0,
            occurrences: 2
        }]
    );
    assert_eq!(
        e.metrics["M"].unit,
        metrique_writer::Unit::Second(metrique_writer::unit::NegativeScale::Milli)
    );
}

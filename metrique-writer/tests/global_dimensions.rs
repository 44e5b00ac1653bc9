//! `merge_global_dimensions` and `WithGlobalDimensions`: exact EMF lines.
#![cfg(feature = "emf")]

use std::borrow::Cow;
use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use metrique_writer::config::{AllowSplitEntries, EntryDimensions};
use metrique_writer::entry::{CowStr, WithGlobalDimensions};
use metrique_writer::format::emf::Emf;
use metrique_writer::format::{Format, FormatExt};
use metrique_writer::stream::EntryIoStreamExt;
use metrique_writer::test_stream::TestSink;
use metrique_writer::{Entry, EntryIoStream, EntryWriter};
use smallvec::{SmallVec, smallvec};

/// The entry of metrique's `format-emf/tests/dimensions.rs`, optionally without its own
/// `AllowSplitEntries` (as a `#[metrics]` entry is).
struct Request {
    split: bool,
}

impl Entry for Request {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        if self.split {
            writer.config(const { &AllowSplitEntries::new() });
        }
        writer.timestamp(SystemTime::UNIX_EPOCH + Duration::from_secs_f64(12345.6789));
        writer.value("Time", &Duration::from_millis(42));
        writer.value("Operation", "Foo");
        writer.value("BasicIntCount", &1234u64);
        writer.value("NonDimMetric", &1235u64);
    }
}

fn az() -> SmallVec<[(CowStr, CowStr); 1]> {
    smallvec![("AZ".into(), "us-east-1a".into())]
}

fn denylist() -> Option<HashSet<CowStr>> {
    Some(HashSet::from([Cow::Borrowed("NonDimMetric")]))
}

const EXPECTED: &str = concat!(
    r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"MyApp","Dimensions":[["AZ"]],"Metrics":[{"Name":"Time","Unit":"Milliseconds"},{"Name":"BasicIntCount"}]}],"Timestamp":12345678},"AZ":"us-east-1a","Time":42,"BasicIntCount":1234,"Operation":"Foo"}"#,
    "\n",
    r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"MyApp","Dimensions":[[]],"Metrics":[{"Name":"NonDimMetric"}]}],"Timestamp":12345678},"NonDimMetric":1235,"Operation":"Foo"}"#,
    "\n",
);

fn emf() -> Emf {
    Emf::all_validations("MyApp".into(), vec![vec![]])
}

#[test]
fn stream_merge_global_dimensions() {
    for split in [true, false] {
        let sink = TestSink::new();
        let mut stream = emf()
            .output_to(sink.clone())
            .merge_global_dimensions(az(), denylist());
        stream.next(&Request { split }).unwrap();
        stream.flush().unwrap();
        assert_eq!(
            sink.dump(),
            EXPECTED,
            "entry writes AllowSplitEntries: {split}"
        );
    }
}

#[test]
fn format_merge_global_dimensions() {
    let sink = TestSink::new();
    let mut stream = emf()
        .merge_global_dimensions(az(), denylist())
        .output_to(sink.clone());
    stream.next(&Request { split: false }).unwrap();
    stream.next(&Request { split: false }).unwrap();
    assert_eq!(sink.dump(), EXPECTED.repeat(2));
}

#[test]
fn with_global_dimensions_entry() {
    let mut entry = WithGlobalDimensions::<_, 1>::new_with_global_dimensions(
        Request { split: false },
        [("AZ", "us-east-1a")],
        denylist().unwrap(),
    );
    let mut out = Vec::new();
    emf().format(&entry, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), EXPECTED);
    assert!(entry.global_dimensions_denylist().contains("NonDimMetric"));
    assert!(!entry.split);

    // No denylist: one line, every metric dimensioned.
    entry.clear_global_dimensions_denylist();
    let mut out = Vec::new();
    emf().format(&entry, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"MyApp","Dimensions":[["AZ"]],"Metrics":[{"Name":"Time","Unit":"Milliseconds"},{"Name":"BasicIntCount"},{"Name":"NonDimMetric"}]}],"Timestamp":12345678},"AZ":"us-east-1a","Time":42,"BasicIntCount":1234,"NonDimMetric":1235,"Operation":"Foo"}"#,
            "\n"
        )
    );

    // No dimensions: the entry is written unchanged (no split configuration either).
    entry.clear_global_dimensions();
    let mut out = Vec::new();
    emf().format(&entry, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"MyApp","Dimensions":[[]],"Metrics":[{"Name":"Time","Unit":"Milliseconds"},{"Name":"BasicIntCount"},{"Name":"NonDimMetric"}]}],"Timestamp":12345678},"Time":42,"BasicIntCount":1234,"NonDimMetric":1235,"Operation":"Foo"}"#,
            "\n"
        )
    );
    entry
        .add_global_dimension("Cell", "7")
        .add_global_dimension("Host", "h1");
    assert_eq!(entry.global_dimensions().len(), 2);
}

#[test]
fn global_dimensions_extend_entry_and_default_dimension_sets() {
    struct WithSets;
    static SETS: EntryDimensions =
        EntryDimensions::new_static(&[Cow::Borrowed(&[Cow::Borrowed("Operation")])]);
    impl Entry for WithSets {
        fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
            writer.config(&SETS);
            writer.timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(1000));
            writer.value("Count", &1u64);
            writer.value("Operation", "Foo");
            writer.value("Region", "eu-west-1");
        }
    }
    let sink = TestSink::new();
    let mut stream = Emf::all_validations("Ns".into(), vec![vec!["Region".into()]])
        .output_to(sink.clone())
        .merge_global_dimensions::<1>(az(), None);
    stream.next(&WithSets).unwrap();
    assert_eq!(
        sink.dump(),
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Region","Operation","AZ"]],"Metrics":[{"Name":"Count"}]}],"Timestamp":1000},"AZ":"us-east-1a","Count":1,"Operation":"Foo","Region":"eu-west-1"}"#,
            "\n"
        )
    );
}

#[cfg(feature = "test-util")]
#[test]
fn test_util_sees_the_dimensions() {
    let entry = WithGlobalDimensions::<_, 2>::new_with_global_dimensions(
        Request { split: false },
        [("AZ", "a"), ("Cell", "1")],
        denylist().unwrap(),
    );
    let e = metrique_writer::test_util::to_test_entry(&entry);
    let dims = |name: &str| e.metrics[name].dimensions.clone();
    assert_eq!(
        dims("Time"),
        [
            ("AZ".to_owned(), "a".to_owned()),
            ("Cell".into(), "1".into())
        ]
    );
    assert_eq!(dims("NonDimMetric"), []);
    assert_eq!(e.values["Operation"], "Foo");
}

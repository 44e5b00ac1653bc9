//! JSON golden outputs.
#![cfg(feature = "json")]

mod common;

use std::time::Duration;

use common::{TS, TestEntry, V};
use metrique_writer::format::Format;
use metrique_writer::format::json::Json;
use metrique_writer::test_stream::TestSink;
use metrique_writer::unit::NegativeScale;
use metrique_writer::{IoStreamError, Observation, Unit};

fn run(e: &TestEntry) -> Result<String, String> {
    let sink = TestSink::new();
    let mut out = sink.clone();
    match Json::new().format(e, &mut out) {
        Ok(()) => {
            let s = sink.dump();
            assert_eq!(s.lines().count(), 1);
            let v: serde_json::Value = serde_json::from_str(s.trim_end()).expect("valid JSON");
            assert!(v.is_object());
            Ok(s)
        }
        Err(IoStreamError::Validation(err)) => {
            assert_eq!(sink.dump(), "");
            Err(err.to_string())
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn layout() {
    let e = TestEntry::new()
        .field("Latency", V::Dur(Duration::from_micros(4500)))
        .field("Operation", V::Str("Get".into()))
        .field("Count", V::U(3))
        .field("Neg", V::I(-4))
        .field(
            "Sizes",
            V::obs([Observation::Unsigned(1), Observation::Floating(2.5)]),
        )
        .field(
            "Rep",
            V::obs([Observation::Repeated {
                total: 10.0,
                occurrences: 4,
            }]),
        )
        .field("Nan", V::F(f64::NAN))
        .field("Ms", V::unit(7, Unit::Second(NegativeScale::Milli)))
        .field("List", V::ListS(vec!["a".into(), "b".into()]))
        .field("Absent", V::Nothing);
    assert_eq!(
        run(&e).unwrap(),
        format!(
            r#"{{"timestamp":{TS},"metrics":{{"Latency":{{"value":4.5,"unit":"Milliseconds"}},"Count":{{"value":3}},"Neg":{{"value":-4}},"Sizes":{{"values":[1,2.5]}},"Rep":{{"value":{{"total":10,"count":4}}}},"Nan":{{"value":null}},"Ms":{{"value":7,"unit":"Milliseconds"}}}},"properties":{{"Operation":"Get","List":["a","b"]}}}}"#
        ) + "\n"
    );
}

#[test]
fn empty_sections_are_omitted() {
    assert_eq!(
        run(&TestEntry::new()).unwrap(),
        format!("{{\"timestamp\":{TS}}}\n")
    );
    let only_props = TestEntry::new().field("S", V::Str("q\"\n".into()));
    assert_eq!(
        run(&only_props).unwrap(),
        format!(r#"{{"timestamp":{TS},"properties":{{"S":"q\"\n"}}}}"#) + "\n"
    );
    let only_metrics = TestEntry::new().field("I", V::F(f64::NEG_INFINITY));
    assert_eq!(
        run(&only_metrics).unwrap(),
        format!(
            r#"{{"timestamp":{TS},"metrics":{{"I":{{"value":-17976931348623157{}}}}}}}"#,
            "0".repeat(292)
        ) + "\n"
    );
}

#[test]
fn validation() {
    assert_eq!(
        run(&TestEntry::new().field("", V::U(1))).unwrap_err(),
        "name can't be empty"
    );
    let mut two = TestEntry::new();
    two.timestamps.push(common::ts());
    assert_eq!(run(&two).unwrap_err(), "multiple timestamps written");
    assert_eq!(
        run(&TestEntry::new().field("B", V::Err("bad".into()))).unwrap_err(),
        "for `B`: bad"
    );
    // Duplicates are not checked (as metrique 0.1.33), but the output stays valid JSON.
    assert!(run(&TestEntry::new().field("A", V::U(1)).field("A", V::U(2))).is_ok());
}

#[test]
fn dimensions_and_flags_are_ignored() {
    let e = TestEntry::new().field("C", V::dims(1, &[("k", "v")]));
    assert_eq!(
        run(&e).unwrap(),
        format!(r#"{{"timestamp":{TS},"metrics":{{"C":{{"value":1}}}}}}"#) + "\n"
    );
}

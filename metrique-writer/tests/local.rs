//! LocalFormat (pretty) output.
#![cfg(feature = "local-format")]

mod common;

use std::time::Duration;

use common::{TestEntry, V};
use metrique_writer::format::Format;
use metrique_writer::format::local::{LocalFormat, Percentile};
use metrique_writer::{Observation, Unit};

fn run(f: &mut LocalFormat, e: &TestEntry) -> String {
    let mut out = Vec::new();
    f.format(e, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn pretty() {
    let e = TestEntry::new()
        .field("NumberOfDucks", V::U(5))
        .field("OperationTime", V::Dur(Duration::from_nanos(3024)))
        .field(
            "Latency",
            V::Metric {
                obs: vec![
                    Observation::Floating(1.0),
                    Observation::Floating(2.0),
                    Observation::Floating(3.0),
                ],
                unit: Unit::Second(metrique_writer::unit::NegativeScale::Milli),
                dims: vec![],
                flags: common::Flags::None,
            },
        )
        .field("Requests", V::dims(12, &[("Operation", "Get")]))
        .field("Tags", V::ListS(vec!["a".into(), "b".into()]))
        .field("Bad", V::Err("nope".into()))
        .field("Operation", V::Str("CountDucks".into()));
    let mut f = LocalFormat::pretty().percentiles(vec![
        Percentile::new(0.0),
        Percentile::new(0.5),
        Percentile::new(1.0),
    ]);
    assert_eq!(
        run(&mut f, &e),
        "---\n  timestamp: 2025-07-17T17:55:58.378Z\n  NumberOfDucks: 5\n  OperationTime: 3.024μs\n  Latency (3 samples):\n    min: 1.000ms\n    p50: 2.000ms\n    max: 3.000ms\n  Requests [Operation=Get]:\n    12\n  Tags: [a, b]\n  Bad: ERROR: nope\n  Operation: CountDucks\n"
    );
}

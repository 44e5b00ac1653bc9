//! `Distribution`, `Mean`, and flattened `WithDimensions` / `ForceFlag` children in
//! `#[metrics]` structs: what `test_util` sees and the exact EMF bytes.
#![cfg(all(feature = "test-util", feature = "emf"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique::emf::{Emf, NoMetric};
use metrique::unit::Millisecond;
use metrique::unit_of_work::metrics;
use metrique::writer::config::AllowSplitEntries;
use metrique::writer::format::Format;
use metrique::writer::value::{Distribution, Mean, VecDistribution, WithDimensions};
use metrique::writer::{Entry, EntryWriter, Observation};
use metrique::{CloseValue, RootEntry};

#[metrics(subfield)]
struct Downstream {
    calls: u64,
}

#[metrics(rename_all = "PascalCase")]
struct Request {
    #[metrics(timestamp)]
    at: SystemTime,
    attempts: Distribution<Duration, 4>,
    #[metrics(unit = Millisecond)]
    queue_time: Mean<Millisecond>,
    sizes: VecDistribution<u64>,
    #[metrics(flatten, prefix = "db_")]
    db: WithDimensions<Downstream, 1>,
    #[metrics(flatten, prefix = "debug_")]
    debug: NoMetric<Downstream>,
}

fn request() -> Request {
    let mut queue_time = Mean::new();
    queue_time.extend([2, 4]);
    Request {
        at: UNIX_EPOCH + Duration::from_millis(1000),
        attempts: [Duration::from_millis(5), Duration::from_micros(1500)]
            .into_iter()
            .collect(),
        queue_time,
        sizes: VecDistribution::new(),
        db: WithDimensions::new(Downstream { calls: 2 }, "Table", "users"),
        debug: Downstream { calls: 9 }.into(),
    }
}

#[test]
fn test_util_sees_every_observation_and_dimension() {
    let e = metrique::test_util::test_metric(request());
    assert_eq!(
        e.metrics["Attempts"].distribution,
        [Observation::Floating(5.0), Observation::Floating(1.5)]
    );
    assert_eq!(
        e.metrics["QueueTime"].distribution,
        [Observation::Repeated {
            total: 6.0,
            occurrences: 2
        }]
    );
    assert!(
        !e.metrics.contains_key("Sizes"),
        "empty distributions write nothing"
    );
    assert_eq!(e.metrics["DbCalls"], 2u64);
    assert_eq!(
        e.metrics["DbCalls"].dimensions,
        [("Table".to_owned(), "users".to_owned())]
    );
    assert_eq!(e.metrics["DebugCalls"], 9u64);
}

/// The closed request with split entries allowed (per-metric dimensions need them in EMF).
struct Split(RootEntry<<Request as CloseValue>::Closed>);

impl Entry for Split {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.config(const { &AllowSplitEntries::new() });
        self.0.write(w);
    }
}

#[test]
fn emf_bytes() {
    let mut out = Vec::new();
    Emf::all_validations("Ns".into(), vec![vec![]])
        .format(&Split(RootEntry::new(request().close())), &mut out)
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Table"]],"Metrics":[{"Name":"DbCalls"}]}],"Timestamp":1000},"Table":"users","DbCalls":2}"#,
            "\n",
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{"Name":"Attempts","Unit":"Milliseconds"},{"Name":"QueueTime","Unit":"Milliseconds"}]}],"Timestamp":1000},"Attempts":{"Values":[5,1.5],"Counts":[1,1]},"QueueTime":{"Values":[3],"Counts":[2]},"DebugCalls":9}"#,
            "\n",
        )
    );
}

#[test]
fn without_split_entries_per_metric_dimensions_are_an_error() {
    let mut out = Vec::new();
    let err = Emf::all_validations("Ns".into(), vec![vec![]])
        .format(&RootEntry::new(request().close()), &mut out)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("for `DbCalls`: can't use per-metric dimensions"),
        "{err}"
    );
    assert!(out.is_empty());
}

//! The EMF-facing features of `#[metrics]`, end to end: what `test_util` sees and the exact EMF
//! bytes for `emf::dimension_sets` (cross-joined with the format's default dimension sets),
//! `flags(...)` / `default_flags(...)` / `skip(...)` with `HighStorageResolution` and `NoMetric`,
//! `Distribution` / `Mean` (plain and sampled), and `tag(...)` entry enums.
//!
//! Every entry has a `#[metrics(timestamp)]` field, so the bytes are deterministic. In EMF all
//! metrics precede all string properties, each in write order.
#![cfg(all(feature = "test-util", feature = "emf"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique::emf::Emf;
use metrique::emf::flags::{HighStorageResolution, NoMetric};
use metrique::test_util::{test_entry_sink, test_metric};
use metrique::unit_of_work::metrics;
use metrique::writer::format::{Format, FormatExt};
use metrique::writer::sample::SampledFormat;
use metrique::writer::test_stream::TestSink;
use metrique::writer::value::{Distribution, Mean};
use metrique::writer::{Entry, EntryIoStream, Observation};
use metrique::{CloseValue, RootEntry};

/// 1.5 s after the epoch: `"Timestamp":1500`.
fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(1500)
}

/// Formats one entry with `format`.
fn emf_one(mut format: impl Format, entry: &impl Entry) -> String {
    let mut out = Vec::new();
    format.format(entry, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    for line in out.lines() {
        let _: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
    }
    out
}

fn root<T: CloseValue>(m: T) -> RootEntry<T::Closed> {
    RootEntry::new(m.close())
}

// ---------------------------------------------------------------------------------------------
// emf::dimension_sets

#[metrics(value(string))]
enum Operation {
    GetItem,
    PutItem,
}

#[metrics(
    rename_all = "PascalCase",
    emf::dimension_sets = [["Operation"], ["Operation", "Status"]]
)]
struct DimRequest {
    #[metrics(timestamp)]
    at: SystemTime,
    operation: Operation,
    status: &'static str,
    region: &'static str,
    latency: Duration,
}

fn dim_request(operation: Operation) -> DimRequest {
    DimRequest {
        at: at(),
        operation,
        status: "200",
        region: "eu-west-1",
        latency: Duration::from_micros(2500),
    }
}

#[test]
fn dimension_sets_test_util() {
    let sink = test_entry_sink();
    drop(dim_request(Operation::GetItem).append_on_drop(sink.sink.clone()));
    let e = sink.inspector.get(0);
    assert_eq!(e.timestamp, Some(at()));
    assert_eq!(e.values["Operation"], "GetItem");
    assert_eq!(e.values["Status"], "200");
    assert_eq!(e.values["Region"], "eu-west-1");
    assert_eq!(
        e.metrics["Latency"].distribution,
        [Observation::Floating(2.5)]
    );
    // Entry dimension sets are EMF configuration, not per-metric dimensions.
    assert!(e.metrics["Latency"].dimensions.is_empty());
}

#[test]
fn dimension_sets_alone() {
    // The format's only default set is the empty one: the entry's sets are used as they are.
    let out = emf_one(
        Emf::all_validations("Ns".into(), vec![vec![]]),
        &root(dim_request(Operation::PutItem)),
    );
    assert_eq!(
        out,
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Operation"],["Operation","Status"]],"#,
            r#""Metrics":[{"Name":"Latency","Unit":"Milliseconds"}]}],"Timestamp":1500},"#,
            r#""Latency":2.5,"Operation":"PutItem","Status":"200","Region":"eu-west-1"}"#,
            "\n"
        )
    );
}

#[test]
fn dimension_sets_cross_join_the_default_sets() {
    // Default sets [["Region"], []] × entry sets [["Operation"], ["Operation", "Status"]]: every
    // default set extended with every entry set.
    let format = Emf::all_validations("Ns".into(), vec![vec!["Region".into()], vec![]]);
    let sink = TestSink::new();
    let mut stream = format.output_to(sink.clone());
    stream.next(&root(dim_request(Operation::GetItem))).unwrap();
    stream.next(&root(dim_request(Operation::PutItem))).unwrap();
    stream.flush().unwrap();
    let out = sink.dump();
    let line = |op: &str| {
        format!(
            concat!(
                r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","#,
                r#""Dimensions":[["Region","Operation"],["Region","Operation","Status"],["Operation"],["Operation","Status"]],"#,
                r#""Metrics":[{{"Name":"Latency","Unit":"Milliseconds"}}]}}],"Timestamp":1500}},"#,
                r#""Latency":2.5,"Operation":"{}","Status":"200","Region":"eu-west-1"}}"#,
                "\n"
            ),
            op
        )
    };
    assert_eq!(out, line("GetItem") + &line("PutItem"));
}

#[test]
fn dimension_sets_naming_a_missing_property_are_rejected() {
    #[metrics(emf::dimension_sets = [["Missing"]])]
    struct NoDim {
        #[metrics(timestamp)]
        at: SystemTime,
        count: u64,
    }
    let mut out = Vec::new();
    let err = Emf::all_validations("Ns".into(), vec![vec![]])
        .format(&root(NoDim { at: at(), count: 1 }), &mut out)
        .unwrap_err();
    assert!(err.to_string().contains("Missing"), "{err}");
    assert!(out.is_empty());
    // Without validations the entry is written as asked (CloudWatch drops the set).
    let out = emf_one(
        Emf::no_validations("Ns".into(), vec![vec![]]),
        &root(NoDim { at: at(), count: 1 }),
    );
    assert_eq!(
        out,
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Missing"]],"Metrics":[{"Name":"count"}]}],"Timestamp":1500},"count":1}"#,
            "\n"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// flags / default_flags / skip

#[metrics(subfield, rename_all = "PascalCase")]
struct Cache {
    hits: u64,
    #[metrics(flags(HighStorageResolution))]
    misses: u64,
}

#[metrics(rename_all = "PascalCase", default_flags(HighStorageResolution))]
struct Flagged {
    #[metrics(timestamp)]
    at: SystemTime,
    /// High resolution from the container's `default_flags`.
    latency: Duration,
    /// Opts out of the default.
    #[metrics(flags(skip(HighStorageResolution)))]
    bytes: u64,
    /// A property only: `NoMetric` wins over the default `HighStorageResolution`.
    #[metrics(flags(NoMetric))]
    request_id: u64,
    /// Container defaults do not reach flattened children: `Hits` standard, `Misses` high.
    #[metrics(flatten, prefix = "cache_")]
    cache: Cache,
    /// Flatten-site defaults apply to every value of the child.
    #[metrics(flatten, prefix = "debug_", default_flags(NoMetric))]
    debug: Cache,
}

fn flagged() -> Flagged {
    Flagged {
        at: at(),
        latency: Duration::from_millis(7),
        bytes: 512,
        request_id: 42,
        cache: Cache { hits: 3, misses: 1 },
        debug: Cache { hits: 9, misses: 8 },
    }
}

#[test]
fn flags_test_util() {
    // Flags change only how EMF publishes a value; every value is still captured.
    let e = test_metric(flagged());
    assert_eq!(e.metrics["Latency"], 7u64);
    assert_eq!(e.metrics["Bytes"], 512u64);
    assert_eq!(e.metrics["RequestId"], 42u64);
    assert_eq!(e.metrics["CacheHits"], 3u64);
    assert_eq!(e.metrics["CacheMisses"], 1u64);
    assert_eq!(e.metrics["DebugHits"], 9u64);
    assert_eq!(e.metrics["DebugMisses"], 8u64);
}

#[test]
fn flags_emf_bytes() {
    let out = emf_one(
        Emf::all_validations("Ns".into(), vec![vec![]]),
        &root(flagged()),
    );
    assert_eq!(
        out,
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":["#,
            r#"{"Name":"Latency","Unit":"Milliseconds","StorageResolution":1},"#,
            r#"{"Name":"Bytes"},"#,
            r#"{"Name":"CacheHits"},"#,
            r#"{"Name":"CacheMisses","StorageResolution":1}"#,
            r#"]}],"Timestamp":1500},"#,
            r#""Latency":7,"Bytes":512,"RequestId":42,"CacheHits":3,"CacheMisses":1,"DebugHits":9,"DebugMisses":8}"#,
            "\n"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Distribution / Mean, plain and sampled

#[metrics(rename_all = "PascalCase")]
struct Batch {
    #[metrics(timestamp)]
    at: SystemTime,
    item_latency: Distribution<Duration, 4>,
    #[metrics(flags(HighStorageResolution))]
    item_size: Distribution<u64, 4>,
    queue_depth: Mean,
    #[metrics(flags(NoMetric))]
    retries: Distribution<u64, 2>,
}

fn batch() -> Batch {
    let mut queue_depth = Mean::new();
    queue_depth.extend([2u32, 3, 7]);
    Batch {
        at: at(),
        item_latency: [Duration::from_millis(5), Duration::from_micros(1500)]
            .into_iter()
            .collect(),
        item_size: [10u64, 20, 10].into_iter().collect(),
        queue_depth,
        retries: [0u64, 1].into_iter().collect(),
    }
}

#[test]
fn distributions_test_util() {
    let e = test_metric(batch());
    assert_eq!(
        e.metrics["ItemLatency"].distribution,
        [Observation::Floating(5.0), Observation::Floating(1.5)]
    );
    assert_eq!(
        e.metrics["ItemSize"].distribution,
        [
            Observation::Unsigned(10),
            Observation::Unsigned(20),
            Observation::Unsigned(10)
        ]
    );
    assert_eq!(
        e.metrics["QueueDepth"].distribution,
        [Observation::Repeated {
            total: 12.0,
            occurrences: 3
        }]
    );
    assert_eq!(e.metrics["Retries"].num_observations(), 2);
}

const BATCH_HEAD: &str = concat!(
    r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":["#,
    r#"{"Name":"ItemLatency","Unit":"Milliseconds"},"#,
    r#"{"Name":"ItemSize","StorageResolution":1},"#,
    r#"{"Name":"QueueDepth"}"#,
    r#"]}],"Timestamp":1500},"#,
);

#[test]
fn distributions_emf_bytes() {
    let out = emf_one(
        Emf::all_validations("Ns".into(), vec![vec![]]),
        &root(batch()),
    );
    assert_eq!(
        out,
        [
            BATCH_HEAD,
            r#""ItemLatency":{"Values":[5,1.5],"Counts":[1,1]},"#,
            r#""ItemSize":{"Values":[10,20,10],"Counts":[1,1,1]},"#,
            r#""QueueDepth":{"Values":[4],"Counts":[3]},"#,
            r#""Retries":{"Values":[0,1],"Counts":[1,1]}}"#,
            "\n"
        ]
        .concat()
    );
}

#[test]
fn distributions_sampled_emf_bytes() {
    // At rate 0.5 the multiplicity is exactly 2: every count doubles, flags are kept.
    let mut emf = Emf::all_validations("Ns".into(), vec![vec![]]).with_sampling();
    let mut out = Vec::new();
    emf.format_with_sample_rate(&root(batch()), &mut out, 0.5)
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        [
            BATCH_HEAD,
            r#""ItemLatency":{"Values":[5,1.5],"Counts":[2,2]},"#,
            r#""ItemSize":{"Values":[10,20,10],"Counts":[2,2,2]},"#,
            r#""QueueDepth":{"Values":[4],"Counts":[6]},"#,
            r#""Retries":{"Values":[0,1],"Counts":[2,2]}}"#,
            "\n"
        ]
        .concat()
    );
}

// ---------------------------------------------------------------------------------------------
// tag(...) entry enums

#[metrics(subfield, rename_all = "PascalCase")]
struct Db {
    rows: u64,
}

#[metrics(
    rename_all = "PascalCase",
    tag(name = "operation", sample_group),
    emf::dimension_sets = [["Operation"]]
)]
enum Job {
    Compact {
        #[metrics(timestamp)]
        at: SystemTime,
        #[metrics(flatten)]
        db: Db,
    },
    #[metrics(name = "vacuum_all")]
    Vacuum {
        #[metrics(timestamp)]
        at: SystemTime,
        #[metrics(flags(HighStorageResolution))]
        freed_bytes: u64,
    },
}

#[test]
fn tag_enum_test_util_and_sample_group() {
    let e = test_metric(Job::Compact {
        at: at(),
        db: Db { rows: 10 },
    });
    assert_eq!(e.values["Operation"], "Compact");
    assert_eq!(e.metrics["Rows"], 10u64);
    let closed = root(Job::Vacuum {
        at: at(),
        freed_bytes: 1,
    });
    let groups: Vec<_> = closed
        .sample_group()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(groups, [("Operation".to_owned(), "vacuum_all".to_owned())]);
}

#[test]
fn tag_enum_emf_bytes() {
    let format = Emf::all_validations("Ns".into(), vec![vec![]]);
    let out = emf_one(
        format.clone(),
        &root(Job::Compact {
            at: at(),
            db: Db { rows: 10 },
        }),
    ) + &emf_one(
        format,
        &root(Job::Vacuum {
            at: at(),
            freed_bytes: 4096,
        }),
    );
    assert_eq!(
        out,
        concat!(
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Operation"]],"Metrics":[{"Name":"Rows"}]}],"Timestamp":1500},"Rows":10,"Operation":"Compact"}"#,
            "\n",
            r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[["Operation"]],"Metrics":[{"Name":"FreedBytes","StorageResolution":1}]}],"Timestamp":1500},"FreedBytes":4096,"Operation":"vacuum_all"}"#,
            "\n",
        )
    );
}

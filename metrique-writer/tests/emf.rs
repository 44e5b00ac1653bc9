//! EMF golden outputs: exact bytes for representative entries, limits, and validation errors.
#![cfg(feature = "emf")]

mod common;

use std::time::Duration;

use common::{Cfg, Flags, TS, TestEntry, V};
use metrique_writer::format::Format;
use metrique_writer::format::emf::{Emf, MetricDefinition, MetricDirective, StorageResolution};
use metrique_writer::test_stream::TestSink;
use metrique_writer::unit::{NegativeScale, PositiveScale};
use metrique_writer::{IoStreamError, Observation, Unit};

const HEAD: &str =
    r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":["#;

/// One line with the default head (namespace `Ns`, no dimensions) and timestamp [`TS`].
fn line(defs: &str, fields: &str) -> String {
    format!("{HEAD}{defs}]}}],\"Timestamp\":{TS}}}{fields}}}\n")
}

fn emf() -> Emf {
    Emf::all_validations("Ns".into(), vec![vec![]])
}

/// Formats; on error checks that nothing was written and returns the message.
fn run(emf: &mut Emf, e: &TestEntry) -> Result<String, String> {
    let sink = TestSink::new();
    let mut out = sink.clone();
    match emf.format(e, &mut out) {
        Ok(()) => {
            let s = sink.dump();
            for l in s.lines() {
                let v: serde_json::Value = serde_json::from_str(l).expect("valid JSON");
                assert!(v.is_object());
            }
            Ok(s)
        }
        Err(IoStreamError::Validation(err)) => {
            assert_eq!(sink.dump(), "", "an entry that fails writes nothing");
            Err(err.to_string())
        }
        Err(e) => panic!("{e}"),
    }
}

fn ok(e: &TestEntry) -> String {
    run(&mut emf(), e).unwrap()
}

fn err(e: &TestEntry) -> String {
    run(&mut emf(), e).unwrap_err()
}

#[test]
fn readme_example() {
    let e = TestEntry::new()
        .field("NumberOfDucks", V::U(5))
        .field("OperationTime", V::Dur(Duration::from_nanos(3024)))
        .field("Operation", V::Str("CountDucks".into()));
    assert_eq!(
        ok(&e),
        r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{"Name":"NumberOfDucks"},{"Name":"OperationTime","Unit":"Milliseconds"}]}],"Timestamp":1752774958378},"NumberOfDucks":5,"OperationTime":0.003024,"Operation":"CountDucks"}"#
            .to_owned()
            + "\n"
    );
}

#[test]
fn metrics_precede_properties_in_write_order() {
    let e = TestEntry::new()
        .field("A", V::Str("a".into()))
        .field("X", V::U(1))
        .field("B", V::Str("b".into()))
        .field("Y", V::F(2.5));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"X"},{"Name":"Y"}"#,
            r#","X":1,"Y":2.5,"A":"a","B":"b""#
        )
    );
}

#[test]
fn units() {
    let e = TestEntry::new()
        .field("Ms", V::unit(1, Unit::Second(NegativeScale::Milli)))
        .field("Kb", V::unit(2, Unit::Byte(PositiveScale::Kilo)))
        .field("Rate", V::unit(3, Unit::BytePerSecond(PositiveScale::One)))
        .field("Pct", V::unit(4, Unit::Percent))
        .field("Cnt", V::unit(5, Unit::Count))
        .field("Odd", V::unit(6, Unit::Custom("Furlongs\"")))
        .field("Plain", V::unit(7, Unit::None));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"Ms","Unit":"Milliseconds"},{"Name":"Kb","Unit":"Kilobytes"},{"Name":"Rate","Unit":"Bytes/Second"},{"Name":"Pct","Unit":"Percent"},{"Name":"Cnt","Unit":"Count"},{"Name":"Odd","Unit":"Furlongs\""},{"Name":"Plain"}"#,
            r#","Ms":1,"Kb":2,"Rate":3,"Pct":4,"Cnt":5,"Odd":6,"Plain":7"#
        )
    );
}

#[test]
fn numbers() {
    let e = TestEntry::new()
        .field("Max", V::U(u64::MAX))
        .field("Min", V::I(i64::MIN))
        .field("Neg", V::I(-3))
        .field("True", V::Bool(true))
        .field("False", V::Bool(false))
        .field("Whole", V::F(42.0))
        .field("Third", V::F(142.857_142_857_142_86))
        .field("Tiny", V::F(1e-7))
        .field("Big", V::F(1e21));
    let defs = r#"{"Name":"Max"},{"Name":"Min"},{"Name":"Neg"},{"Name":"True"},{"Name":"False"},{"Name":"Whole"},{"Name":"Third"},{"Name":"Tiny"},{"Name":"Big"}"#;
    assert_eq!(
        ok(&e),
        line(
            defs,
            r#","Max":18446744073709551615,"Min":-9223372036854775808,"Neg":-3,"True":1,"False":0,"Whole":42,"Third":142.85714285714286,"Tiny":0.0000001,"Big":1000000000000000000000"#
        )
    );
}

#[test]
fn distributions_use_values_and_counts() {
    let e = TestEntry::new()
        .field(
            "Many",
            V::obs([
                Observation::Unsigned(1),
                Observation::Floating(2.5),
                Observation::Signed(-3),
            ]),
        )
        .field(
            "Rep",
            V::obs([Observation::Repeated {
                total: 10.0,
                occurrences: 4,
            }]),
        )
        .field(
            "Dist",
            V::Metric {
                obs: vec![Observation::Unsigned(5)],
                unit: Unit::Count,
                dims: vec![],
                flags: Flags::Distribution,
            },
        )
        .field("Empty", V::obs([]));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"Many"},{"Name":"Rep"},{"Name":"Dist","Unit":"Count"}"#,
            r#","Many":{"Values":[1,2.5,-3],"Counts":[1,1,1]},"Rep":{"Values":[2.5],"Counts":[4]},"Dist":{"Values":[5],"Counts":[1]}"#
        )
    );
}

#[test]
fn nan_is_skipped_and_infinity_clamped() {
    let e = TestEntry::new()
        .field("Nan", V::F(f64::NAN))
        .field(
            "OnlyNans",
            V::obs([
                Observation::Floating(f64::NAN),
                Observation::Floating(f64::NAN),
            ]),
        )
        .field(
            "SomeNan",
            V::obs([
                Observation::Floating(f64::NAN),
                Observation::Unsigned(3),
                Observation::Unsigned(4),
            ]),
        )
        .field("Inf", V::F(f64::INFINITY))
        .field("NegInf", V::F(f64::NEG_INFINITY))
        .field("Name", V::Str("x".into()));
    let max = format!("17976931348623157{}", "0".repeat(292));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"SomeNan"},{"Name":"Inf"},{"Name":"NegInf"}"#,
            &format!(
                r#","SomeNan":{{"Values":[3,4],"Counts":[1,1]}},"Inf":{max},"NegInf":-{max},"Name":"x""#
            )
        )
    );
}

#[test]
fn lists_are_arrays_in_properties() {
    let e = TestEntry::new()
        .field("Nums", V::ListU(vec![1, 2, 3]))
        .field("Strs", V::ListS(vec!["a".into(), "b\"c".into()]))
        .field("None", V::ListU(vec![]))
        .field(
            "Holes",
            V::ListF(vec![Some(1.5), None, Some(f64::NAN), Some(2.0)]),
        )
        .field("M", V::U(1));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"M"}"#,
            r#","M":1,"Nums":[1,2,3],"Strs":["a","b\"c"],"None":[],"Holes":[1.5,2]"#
        )
    );
}

#[test]
fn escaping_of_names_and_strings() {
    let e = TestEntry::new()
        .field("q\"uote\\", V::U(1))
        .field("ctl\u{1}\n", V::Str("tab\t🦆\u{7f}".into()));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"q\"uote\\"}"#,
            &(r#","q\"uote\\":1,"ctl\u0001\n":"tab\t🦆"#.to_owned() + "\u{7f}\"")
        )
    );
}

#[test]
fn flags() {
    let e = TestEntry::new()
        .field("Hi", V::flagged(1, Flags::HighRes))
        .field("Prop", V::flagged(2, Flags::NoMetric))
        .field("Both", V::flagged(3, Flags::HighResAndNoMetric));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"Hi","StorageResolution":1}"#,
            r#","Hi":1,"Prop":2,"Both":3"#
        )
    );
}

#[test]
fn dimension_sets_are_cross_joined() {
    let mut emf = Emf::all_validations(
        "Ns".into(),
        vec![vec!["Region".into()], vec!["Region".into(), "Cell".into()]],
    );
    let e = TestEntry::new()
        .config(Cfg::dims(&[&["Operation"], &["Operation", "Status"]]))
        .field("Latency", V::U(7))
        .field("Region", V::Str("us-east-1".into()))
        .field("Cell", V::Str("c1".into()))
        .field("Operation", V::Str("Get".into()))
        .field("Status", V::Str("200".into()));
    assert_eq!(
        run(&mut emf, &e).unwrap(),
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"Ns","Dimensions":[["Region","Operation"],["Region","Operation","Status"],["Region","Cell","Operation"],["Region","Cell","Operation","Status"]],"Metrics":[{{"Name":"Latency"}}]}}],"Timestamp":{TS}}},"Latency":7,"Region":"us-east-1","Cell":"c1","Operation":"Get","Status":"200"}}"#
        ) + "\n"
    );
    // Default sets alone.
    let e = TestEntry::new()
        .field("Region", V::Str("r".into()))
        .field("Cell", V::Str("c".into()));
    assert!(
        run(&mut emf, &e)
            .unwrap()
            .contains(r#""Dimensions":[["Region"],["Region","Cell"]],"Metrics":[]"#)
    );
}

#[test]
fn dimension_validation() {
    let mut emf = Emf::all_validations("Ns".into(), vec![vec!["Operation".into()]]);
    let missing = TestEntry::new().field("X", V::U(1));
    assert_eq!(
        run(&mut emf, &missing).unwrap_err(),
        "for `Operation`: missing dimension"
    );
    let metric = TestEntry::new().field("Operation", V::U(1));
    assert_eq!(
        run(&mut emf, &metric).unwrap_err(),
        "for `Operation`: can't use metric in dimension field"
    );
    let entry_missing = TestEntry::new()
        .config(Cfg::dims(&[&["Status"]]))
        .field("Operation", V::Str("a".into()));
    assert_eq!(
        run(&mut emf, &entry_missing).unwrap_err(),
        "for `Status`: missing dimension"
    );
    let list = TestEntry::new().field("Operation", V::ListS(vec!["a".into()]));
    assert_eq!(
        run(&mut emf, &list).unwrap_err(),
        "for `Operation`: can't use a list in dimension field"
    );
    // Unroutable entries (MetriqueValidationError) pass.
    let unroutable = TestEntry::new()
        .config(Cfg::Unroutable)
        .field("Message", V::Str("m".into()));
    assert!(run(&mut emf, &unroutable).is_ok());
    // Opt-outs.
    let mut lax = Emf::builder("Ns".into(), vec![vec!["Operation".into()]])
        .allow_dimensions_with_no_data(true)
        .build();
    assert!(run(&mut lax, &missing).is_ok());
    let mut none = Emf::no_validations("Ns".into(), vec![vec!["Operation".into()]]);
    assert!(run(&mut none, &missing).is_ok());
    assert!(run(&mut none, &metric).is_ok());
}

#[test]
fn validation_errors() {
    let dup = TestEntry::new()
        .field("A", V::U(1))
        .field("A", V::Str("x".into()));
    assert_eq!(err(&dup), "for `A`: duplicate field");
    let empty = TestEntry::new().field("", V::U(1));
    assert_eq!(err(&empty), "name can't be empty");
    let aws = TestEntry::new().field("_aws", V::Str("x".into()));
    assert_eq!(err(&aws), "name can't be `_aws`");
    let mut two = TestEntry::new();
    two.timestamps.push(common::ts());
    assert_eq!(err(&two), "multiple timestamps written");
    let bad = TestEntry::new()
        .field("Bad", V::Err("unit mismatch".into()))
        .field("Ok", V::U(1));
    assert_eq!(err(&bad), "for `Bad`: unit mismatch");
    let twice = TestEntry::new()
        .config(Cfg::dims(&[&[]]))
        .config(Cfg::dims(&[&[]]));
    assert_eq!(err(&twice), "entry dimensions cannot be set twice");
    let empty_dims = TestEntry::new().config(Cfg::dims(&[]));
    assert_eq!(err(&empty_dims), "entry dimensions cannot be empty");
    // Several reasons are all reported.
    let many = TestEntry::new()
        .field("", V::U(1))
        .field("B", V::Err("x".into()));
    assert_eq!(err(&many), "name can't be empty, for `B`: x");
    // Duplicates pass without validations; timestamps and value errors never do.
    let mut none = Emf::no_validations("Ns".into(), vec![vec![]]);
    assert!(run(&mut none, &dup).is_ok());
    assert!(run(&mut none, &empty).is_ok());
    assert!(run(&mut none, &two).is_err());
    assert!(run(&mut none, &bad).is_err());
}

#[test]
fn per_metric_dimensions_split_lines() {
    let mut emf = Emf::all_validations("MyNS".into(), vec![vec![]]);
    let e = TestEntry::new()
        .config(Cfg::Split)
        .field("my_counter", V::dims(1, &[("label", "value1")]))
        .field("my_counter", V::dims(2, &[("label", "value2")]))
        .field("my_counter", V::U(3));
    let head = |dims: &str, fields: &str| {
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"MyNS","Dimensions":{dims},"Metrics":[{{"Name":"my_counter"}}]}}],"Timestamp":{TS}}}{fields}}}"#
        ) + "\n"
    };
    assert_eq!(
        run(&mut emf, &e).unwrap(),
        head(r#"[["label"]]"#, r#","label":"value1","my_counter":1"#)
            + &head(r#"[["label"]]"#, r#","label":"value2","my_counter":2"#)
            + &head("[[]]", r#","my_counter":3"#)
    );
    // Without split entries: an error, or dropped dimensions.
    let no_split = TestEntry::new().field("c", V::dims(1, &[("label", "v")]));
    assert_eq!(
        run(&mut emf, &no_split).unwrap_err(),
        "for `c`: can't use per-metric dimensions without split entries - you probably want to remove WithDimensions<>"
    );
    let mut ignore = Emf::builder("Ns".into(), vec![vec![]])
        .allow_ignored_dimensions(true)
        .build();
    assert_eq!(
        run(&mut ignore, &no_split).unwrap(),
        line(r#"{"Name":"c"}"#, r#","c":1"#)
    );
    // The undimensioned line is omitted when it has no metrics; properties go on every line.
    let only_dims = TestEntry::new()
        .config(Cfg::Split)
        .field("c", V::dims(1, &[("k", "v")]))
        .field("P", V::Str("p".into()));
    let lines = run(&mut emf, &only_dims).unwrap();
    assert_eq!(lines.lines().count(), 1);
    assert!(
        lines
            .ends_with(&(r#""Timestamp":1752774958378},"k":"v","c":1,"P":"p"}"#.to_owned() + "\n"))
    );
    // The same metric twice in one dimension group is a duplicate.
    let dup = TestEntry::new()
        .config(Cfg::Split)
        .field("c", V::dims(1, &[("k", "v")]))
        .field("c", V::dims(2, &[("k", "v")]));
    assert_eq!(run(&mut emf, &dup).unwrap_err(), "for `c`: duplicate field");
    // A per-metric dimension key must not collide with a field of the entry.
    let clash = TestEntry::new()
        .config(Cfg::Split)
        .field("c", V::dims(1, &[("k", "v")]))
        .field("k", V::Str("field".into()));
    assert_eq!(
        run(&mut emf, &clash).unwrap_err(),
        "for `k`: duplicate field"
    );
    let aws = TestEntry::new()
        .config(Cfg::Split)
        .field("c", V::dims(1, &[("_aws", "v")]));
    assert_eq!(
        run(&mut emf, &aws).unwrap_err(),
        "for `c`: dimension name can't be `_aws`"
    );
}

#[test]
fn namespaces_log_group_and_custom_directives() {
    let mut emf = Emf::builder("A".into(), vec![vec![]])
        .add_namespace("B".into())
        .log_group_name("lg".into())
        .directive(MetricDirective {
            namespace: "C".into(),
            dimensions: vec![vec!["Op".into()]],
            metrics: vec![MetricDefinition {
                name: "X".into(),
                unit: Unit::Count,
                storage_resolution: StorageResolution::Second,
            }],
        })
        .build();
    let e = TestEntry::new().field("X", V::U(1));
    assert_eq!(
        run(&mut emf, &e).unwrap(),
        format!(
            r#"{{"_aws":{{"CloudWatchMetrics":[{{"Namespace":"A","Dimensions":[[]],"Metrics":[{{"Name":"X"}}]}},{{"Namespace":"B","Dimensions":[[]],"Metrics":[{{"Name":"X"}}]}},{{"Namespace":"C","Dimensions":[["Op"]],"Metrics":[{{"Name":"X","Unit":"Count","StorageResolution":1}}]}}],"LogGroupName":"lg","Timestamp":{TS}}},"X":1}}"#
        ) + "\n"
    );
}

#[test]
fn over_100_metrics_split_into_lines() {
    let mut e = TestEntry::new().field("Operation", V::Str("Op".into()));
    for i in 0..101 {
        e = e.field(&format!("M{i}"), V::U(i));
    }
    let out = ok(&e);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    let defs0: String = (0..100)
        .map(|i| format!(r#"{{"Name":"M{i}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let vals0: String = (0..100).map(|i| format!(r#","M{i}":{i}"#)).collect();
    assert_eq!(
        lines[0].to_owned() + "\n",
        line(&defs0, &(vals0 + r#","Operation":"Op""#))
    );
    assert_eq!(
        lines[1].to_owned() + "\n",
        line(r#"{"Name":"M100"}"#, r#","M100":100,"Operation":"Op""#)
    );
    // NoMetric values do not count against the limit.
    let mut e = TestEntry::new();
    for i in 0..100 {
        e = e.field(&format!("M{i}"), V::U(i));
    }
    e = e.field("P", V::flagged(1, Flags::NoMetric));
    assert_eq!(ok(&e).lines().count(), 1);
}

#[test]
fn over_100_values_fold_then_split() {
    // 150 observations of 3 distinct values fold into one Values/Counts.
    let obs: Vec<Observation> = (0..150).map(|i| Observation::Unsigned(i % 3)).collect();
    let e = TestEntry::new().field("Folded", V::obs(obs));
    assert_eq!(
        ok(&e),
        line(
            r#"{"Name":"Folded"}"#,
            r#","Folded":{"Values":[0,1,2],"Counts":[50,50,50]}"#
        )
    );
    // 150 distinct values: 100 on the first line, 50 on the next.
    let obs: Vec<Observation> = (0..150).map(Observation::Unsigned).collect();
    let e = TestEntry::new()
        .field("Other", V::U(1))
        .field("Wide", V::obs(obs))
        .field("P", V::Str("p".into()));
    let out = ok(&e);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    let vals = |r: std::ops::Range<u64>| r.map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let ones = |n: usize| vec!["1"; n].join(",");
    assert_eq!(
        lines[0].to_owned() + "\n",
        line(
            r#"{"Name":"Other"},{"Name":"Wide"}"#,
            &format!(
                r#","Other":1,"Wide":{{"Values":[{}],"Counts":[{}]}},"P":"p""#,
                vals(0..100),
                ones(100)
            )
        )
    );
    assert_eq!(
        lines[1].to_owned() + "\n",
        line(
            r#"{"Name":"Wide"}"#,
            &format!(
                r#","Wide":{{"Values":[{}],"Counts":[{}]}},"P":"p""#,
                vals(100..150),
                ones(50)
            )
        )
    );
}

#[test]
fn dimension_set_over_30_keys_is_an_error() {
    let keys: Vec<String> = (0..31).map(|i| format!("D{i}")).collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut e = TestEntry::new().config(Cfg::dims(&[&key_refs]));
    for k in &keys {
        e = e.field(k, V::Str("v".into()));
    }
    assert_eq!(
        err(&e),
        format!(
            "dimension set [{}] has 31 dimensions; CloudWatch allows at most 30 per set",
            keys.join(", ")
        )
    );
    // 30 is fine.
    let mut e = TestEntry::new().config(Cfg::dims(&[&key_refs[..30]]));
    for k in &keys[..30] {
        e = e.field(k, V::Str("v".into()));
    }
    assert!(run(&mut emf(), &e).is_ok());
    // Default sets are checked too.
    let mut wide = Emf::no_validations("Ns".into(), vec![keys.clone()]);
    let e = TestEntry::new().field("X", V::U(1));
    assert!(
        run(&mut wide, &e)
            .unwrap_err()
            .starts_with("dimension set [D0, D1, ")
    );
}

#[test]
fn oversize_line_is_an_error_naming_the_largest_field() {
    let mut emf = Emf::builder("Ns".into(), vec![vec![]])
        .max_line_bytes(1000)
        .build();
    let e = TestEntry::new()
        .field("Small", V::Str("s".into()))
        .field("Huge", V::Str("x".repeat(2000)))
        .field("M", V::U(1));
    let msg = run(&mut emf, &e).unwrap_err();
    assert!(msg.starts_with("EMF line of "), "{msg}");
    assert!(
        msg.ends_with("exceeds the cap of 1000 bytes; the largest field is `Huge` (2010 bytes)"),
        "{msg}"
    );
    // Many metrics that do not fit in one line are spread over several lines.
    let mut e = TestEntry::new();
    for i in 0..60 {
        e = e.field(&format!("Metric{i:02}"), V::U(i));
    }
    let out = run(&mut emf, &e).unwrap();
    assert!(out.lines().count() > 1);
    assert!(out.lines().all(|l| l.len() <= 1000));
    let total: usize = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .as_object()
                .unwrap()
                .len()
                - 1
        })
        .sum();
    assert_eq!(total, 60);
}

#[test]
fn state_is_reused_across_entries() {
    let mut emf = emf();
    let a = TestEntry::new()
        .field("A", V::U(1))
        .field("S", V::Str("s".into()));
    let b = TestEntry::new().field("B", V::F(0.5));
    for _ in 0..3 {
        assert_eq!(
            run(&mut emf, &a).unwrap(),
            line(r#"{"Name":"A"}"#, r#","A":1,"S":"s""#)
        );
        assert!(run(&mut emf, &TestEntry::new().field("", V::U(1))).is_err());
        assert_eq!(
            run(&mut emf, &b).unwrap(),
            line(r#"{"Name":"B"}"#, r#","B":0.5"#)
        );
    }
    let cloned = emf.clone();
    assert!(format!("{cloned:?}").starts_with("Emf {"));
}

#[test]
fn timestamp_defaults_to_now() {
    let e = TestEntry {
        timestamps: vec![],
        ..TestEntry::new()
    }
    .field("A", V::U(1));
    let out = ok(&e);
    let v: serde_json::Value = serde_json::from_str(out.trim_end()).unwrap();
    let ts = v["_aws"]["Timestamp"].as_u64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(ts <= now && now - ts < 60_000);
}

#[test]
#[should_panic(expected = "Without dimension sets no metrics can be published")]
fn empty_default_dimensions_panics() {
    let _ = Emf::builder("Ns".into(), vec![]);
}

#[test]
fn sampled_emf_weights_by_inverse_rate() {
    use metrique_writer::sample::{SampledFormat, SampledFormatExt};
    let mut emf = emf().with_sampling();
    let e = TestEntry::new()
        .field("A", V::U(5))
        .field(
            "R",
            V::obs([Observation::Repeated {
                total: 6.0,
                occurrences: 3,
            }]),
        )
        .field("P", V::flagged(1, Flags::NoMetric));
    let mut out = Vec::new();
    emf.format_with_sample_rate(&e, &mut out, 0.5).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        line(
            r#"{"Name":"A"},{"Name":"R"}"#,
            r#","A":{"Values":[5],"Counts":[2]},"R":{"Values":[2],"Counts":[6]},"P":{"Values":[1],"Counts":[2]}"#
        )
    );
    // Unsampled formatting is plain EMF.
    let mut out = Vec::new();
    emf.format(&e, &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains(r#","A":5,"#));
    let mut out = Vec::new();
    assert_eq!(
        emf.format_with_sample_rate(&e, &mut out, 0.0)
            .unwrap_err()
            .to_string(),
        "invalid entry: format with non-positive sample rate"
    );
    // A fixed fraction keeps about that fraction.
    let mut sampled = Emf::no_validations("Ns".into(), vec![vec![]])
        .with_sampling()
        .sample_by_fixed_fraction(0.25);
    let mut out = Vec::new();
    for _ in 0..4000 {
        sampled.format(&e, &mut out).unwrap();
    }
    let kept = String::from_utf8(out).unwrap().lines().count();
    assert!((800..1200).contains(&kept), "{kept}");
}

/// An entry that writes one field and then panics.
struct Panicking;

impl metrique_writer::Entry for Panicking {
    fn write<'a>(&'a self, w: &mut impl metrique_writer::EntryWriter<'a>) {
        w.value("A", &1u64);
        panic!("entry panicked mid-write");
    }
}

/// A panic inside the entry leaves the caller's buffer as it was, and the format keeps
/// working (the buffer it lends out while formatting in place is given back).
#[test]
fn a_panicking_entry_leaves_the_callers_vec_alone() {
    let mut emf = emf();
    let mut dest = b"earlier\n".to_vec();
    let e = TestEntry::new().field("A", V::U(1));
    emf.__format_to_vec(&e, &mut dest).unwrap();
    let after_one = dest.clone();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = emf.__format_to_vec(&Panicking, &mut dest);
    }));
    assert!(r.is_err());
    assert_eq!(dest, after_one);
    emf.__format_to_vec(&e, &mut dest).unwrap();
    let text = String::from_utf8(dest).unwrap();
    assert_eq!(text, format!("earlier\n{}{}", ok(&e), ok(&e)));
}

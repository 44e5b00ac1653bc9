//! Property tests: any entry formats to valid JSON lines that respect the EMF limits, or to a
//! validation error that wrote nothing.
#![cfg(all(feature = "emf", feature = "json"))]

mod common;

use std::time::{Duration, SystemTime};

use common::{Cfg, Flags, TestEntry, V};
use metrique_writer::format::Format;
use metrique_writer::format::emf::Emf;
use metrique_writer::format::emf::limits::{
    MAX_DIMENSIONS_PER_SET, MAX_METRICS_PER_DIRECTIVE, MAX_VALUES_PER_METRIC,
};
use metrique_writer::format::json::Json;
use metrique_writer::unit::{NegativeScale, PositiveScale};
use metrique_writer::{IoStreamError, Observation, Unit};
use proptest::prelude::*;
use serde_json::Value as Json_;

const POOL: &[&str] = &[
    "Operation",
    "Status",
    "A",
    "B",
    "Latency",
    "_aws",
    "",
    "q\"\\",
    "🦆\n",
];
/// Dimension keys (a dimension named `_aws` is a configuration error we do not generate).
const DIM_POOL: &[&str] = &[
    "Operation",
    "Status",
    "A",
    "B",
    "Latency",
    "",
    "q\"\\",
    "🦆\n",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(POOL).prop_map(str::to_owned),
        2 => any::<String>(),
        2 => (0u32..400).prop_map(|i| format!("M{i}")),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        (0u32..1000).prop_map(|i| f64::from(i) / 7.0),
    ]
}

fn observation() -> impl Strategy<Value = Observation> {
    prop_oneof![
        any::<u64>().prop_map(Observation::Unsigned),
        (0u64..5).prop_map(Observation::Unsigned),
        any::<i64>().prop_map(Observation::Signed),
        float().prop_map(Observation::Floating),
        (float(), 0u64..10)
            .prop_map(|(total, occurrences)| Observation::Repeated { total, occurrences }),
    ]
}

fn unit() -> impl Strategy<Value = Unit> {
    prop::sample::select(vec![
        Unit::None,
        Unit::Count,
        Unit::Second(NegativeScale::Milli),
        Unit::Byte(PositiveScale::Kilo),
        Unit::Custom("Odd\"Unit"),
    ])
}

fn flags() -> impl Strategy<Value = Flags> {
    prop::sample::select(vec![
        Flags::None,
        Flags::HighRes,
        Flags::NoMetric,
        Flags::Distribution,
        Flags::HighResAndNoMetric,
    ])
}

fn value() -> impl Strategy<Value = V> {
    let dims = prop::collection::vec((name(), any::<String>()), 0..3);
    prop_oneof![
        any::<String>().prop_map(V::Str),
        any::<u64>().prop_map(V::U),
        any::<i64>().prop_map(V::I),
        float().prop_map(V::F),
        any::<bool>().prop_map(V::Bool),
        any::<u64>().prop_map(|n| V::Dur(Duration::from_nanos(n))),
        (
            prop_oneof![
                prop::collection::vec(observation(), 0..4),
                prop::collection::vec(observation(), 95..260),
            ],
            unit(),
            dims,
            flags()
        )
            .prop_map(|(obs, unit, dims, flags)| V::Metric {
                obs,
                unit,
                dims,
                flags
            }),
        prop::collection::vec(any::<u64>(), 0..5).prop_map(V::ListU),
        prop::collection::vec(any::<String>(), 0..5).prop_map(V::ListS),
        prop::collection::vec(prop::option::of(float()), 0..5).prop_map(V::ListF),
        any::<String>().prop_map(V::Err),
        Just(V::Nothing),
    ]
}

fn dim_sets() -> impl Strategy<Value = Vec<Vec<String>>> {
    prop::collection::vec(
        prop_oneof![
            prop::collection::vec(prop::sample::select(DIM_POOL).prop_map(str::to_owned), 0..3),
            (25usize..33).prop_map(|n| (0..n).map(|i| format!("D{i}")).collect()),
        ],
        1..3,
    )
}

fn entry() -> impl Strategy<Value = TestEntry> {
    (
        prop::collection::vec(
            (0u64..2_000_000_000_000)
                .prop_map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms)),
            0..3,
        ),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(dim_sets()),
        prop_oneof![
            prop::collection::vec((name(), value()), 0..12),
            prop::collection::vec(
                (
                    (0u32..150).prop_map(|i| format!("M{i}")),
                    any::<u64>().prop_map(V::U)
                ),
                90..160
            ),
        ],
    )
        .prop_map(|(timestamps, split, unroutable, dims, fields)| {
            let mut configs = Vec::new();
            if split {
                configs.push(Cfg::Split);
            }
            if unroutable {
                configs.push(Cfg::Unroutable);
            }
            if let Some(sets) = dims {
                let refs: Vec<Vec<&str>> = sets
                    .iter()
                    .map(|s| s.iter().map(String::as_str).collect())
                    .collect();
                let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
                configs.push(Cfg::dims(&refs));
            }
            TestEntry {
                timestamps,
                configs,
                fields,
            }
        })
}

/// Entries that are subsets of one field list, as entries of one type with optional fields
/// are (exercises the shape cache's skips and re-records).
fn related_entries() -> impl Strategy<Value = Vec<TestEntry>> {
    (
        prop::collection::vec((name(), value()), 0..12),
        prop::collection::vec(prop::collection::vec(any::<bool>(), 12), 1..6),
    )
        .prop_map(|(fields, masks)| {
            masks
                .into_iter()
                .map(|mask| TestEntry {
                    timestamps: vec![SystemTime::UNIX_EPOCH],
                    configs: vec![],
                    fields: fields
                        .iter()
                        .zip(mask)
                        .filter(|(_, keep)| *keep)
                        .map(|(f, _)| f.clone())
                        .collect(),
                })
                .collect()
        })
}

fn emf_format() -> impl Strategy<Value = (Emf, bool, usize)> {
    (
        any::<bool>(),
        dim_sets(),
        prop_oneof![Just(256 * 1024), 300usize..20_000],
        any::<bool>(),
    )
        .prop_map(|(validate, dims, cap, two_ns)| {
            let mut b = Emf::builder("Ns".into(), dims)
                .skip_all_validations(!validate)
                .max_line_bytes(cap);
            if two_ns {
                b = b.add_namespace("Other".into());
            }
            (b.build(), validate, cap)
        })
}

/// Entry `i` (modulo the count) with a fixed timestamp, so that two formats write the same
/// bytes for it.
fn stamped(entries: &[TestEntry], i: usize) -> TestEntry {
    let mut e = entries[i % entries.len()].clone();
    if e.timestamps.is_empty() {
        e.timestamps.push(SystemTime::UNIX_EPOCH);
    }
    e
}

/// Checks every EMF invariant of one written line.
fn check_emf_line(line: &str, validated: bool, cap: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        line.len() <= cap,
        "line of {} bytes over cap {cap}",
        line.len()
    );
    let v: Json_ =
        serde_json::from_str(line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| TestCaseError::fail("not an object"))?;
    let aws = &obj["_aws"];
    prop_assert!(aws["Timestamp"].is_u64());
    for d in aws["CloudWatchMetrics"].as_array().unwrap() {
        let metrics = d["Metrics"].as_array().unwrap();
        prop_assert!(metrics.len() <= MAX_METRICS_PER_DIRECTIVE);
        for set in d["Dimensions"].as_array().unwrap() {
            let set = set.as_array().unwrap();
            prop_assert!(set.len() <= MAX_DIMENSIONS_PER_SET);
            if validated {
                for k in set {
                    let target = obj.get(k.as_str().unwrap());
                    prop_assert!(
                        target.is_none_or(Json_::is_string),
                        "dimension {k} is not a string"
                    );
                }
            }
        }
        for m in metrics {
            let name = m["Name"].as_str().unwrap();
            let target = obj.get(name);
            prop_assert!(target.is_some(), "metric {name} has no value");
            let target = target.unwrap();
            if validated {
                prop_assert!(
                    target.is_number() || target.is_object(),
                    "metric {name} = {target}"
                );
            }
            // Without validations a name may be written twice and serde_json keeps only the
            // last value, which may be a different field (e.g. a NoMetric value).
            if !validated {
                continue;
            }
            if let Some(values) = target.get("Values") {
                let n = values.as_array().unwrap().len();
                prop_assert!(n <= MAX_VALUES_PER_METRIC, "{n} values in {line}");
                prop_assert_eq!(target["Counts"].as_array().unwrap().len(), n);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn emf_lines_are_valid_json_within_limits(
        (mut emf, validated, cap) in emf_format(),
        entries in prop::collection::vec(entry(), 1..4),
    ) {
        for e in &entries {
            let mut out = Vec::new();
            match emf.format(e, &mut out) {
                Ok(()) => {
                    let text = String::from_utf8(out).unwrap();
                    prop_assert!(text.ends_with('\n'));
                    for line in text.lines() {
                        check_emf_line(line, validated, cap)?;
                    }
                }
                Err(IoStreamError::Validation(err)) => {
                    prop_assert!(out.is_empty(), "wrote {} bytes and failed: {err}", out.len());
                    prop_assert!(!err.to_string().is_empty());
                }
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
    }

    /// The reused buffers and the shape cache never change the output: a warmed-up format
    /// writes exactly what a fresh one writes.
    #[test]
    fn emf_output_does_not_depend_on_previous_entries(
        (emf, _validated, _cap) in emf_format(),
        entries in prop_oneof![prop::collection::vec(entry(), 1..6), related_entries()],
        order in prop::collection::vec(0usize..6, 1..12),
    ) {
        let mut warm = emf.clone();
        for &i in &order {
            let e = stamped(&entries, i);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ra = warm.format(&e, &mut a).map_err(|e| e.to_string());
            let rb = emf.clone().format(&e, &mut b).map_err(|e| e.to_string());
            prop_assert_eq!(ra, rb);
            prop_assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        }
    }

    /// Formatting straight into a caller's `Vec` (what the background queue does) appends
    /// exactly the bytes `format` writes, and leaves the `Vec` as it was on an error.
    #[test]
    fn emf_to_vec_appends_what_format_writes(
        (emf, _validated, _cap) in emf_format(),
        entries in prop_oneof![prop::collection::vec(entry(), 1..6), related_entries()],
        order in prop::collection::vec(0usize..6, 1..12),
    ) {
        let mut warm = emf.clone();
        let mut dest = b"earlier line\n".to_vec();
        for &i in &order {
            let e = stamped(&entries, i);
            let before = dest.clone();
            let mut expected = Vec::new();
            let rb = emf.clone().format(&e, &mut expected).map_err(|e| e.to_string());
            let ra = warm.__format_to_vec(&e, &mut dest).map_err(|e| e.to_string());
            prop_assert_eq!(&ra, &rb);
            if ra.is_err() {
                expected.clear();
            }
            prop_assert_eq!(
                String::from_utf8(dest.clone()).unwrap(),
                String::from_utf8([before, expected].concat()).unwrap()
            );
        }
    }

    #[test]
    fn json_lines_are_valid_json(entries in prop::collection::vec(entry(), 1..4)) {
        let mut json = Json::new();
        for e in &entries {
            let mut out = Vec::new();
            match json.format(e, &mut out) {
                Ok(()) => {
                    let text = String::from_utf8(out).unwrap();
                    prop_assert_eq!(text.matches('\n').count(), 1);
                    let v: Json_ = serde_json::from_str(text.trim_end()).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
                    prop_assert!(v["timestamp"].is_u64());
                }
                Err(IoStreamError::Validation(_)) => prop_assert!(out.is_empty()),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
        }
    }
}

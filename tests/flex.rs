//! `Flex`: run-time field names in `#[metrics]` structs (metrique's `tests/flex.rs`, plus
//! inflection and prefixes).
#![cfg(feature = "test-util")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique::flex::FlexEntry;
use metrique::writer::test_util;
use metrique::{Flex, unit_of_work::metrics};

#[metrics]
struct TestMetrics {
    #[metrics(timestamp)]
    timestamp: SystemTime,

    #[metrics(flatten)]
    dynamic_field: Flex<usize>,
}

#[metrics]
struct MultiFieldMetrics {
    #[metrics(timestamp)]
    timestamp: SystemTime,

    #[metrics(flatten)]
    set_field: Flex<usize>,

    #[metrics(flatten)]
    unset_field: Flex<String>,
}

#[test]
fn test_flex_dynamic_field_name() {
    let test_util::TestEntrySink { inspector, sink } = test_util::test_entry_sink();
    let metrics = TestMetrics {
        timestamp: SystemTime::now(),
        dynamic_field: Flex::new("runtime_field_name").with_value(42),
    }
    .append_on_drop(sink);
    drop(metrics);
    let entries = inspector.entries();
    assert_eq!(entries[0].metrics["runtime_field_name"], 42u64);
}

#[test]
fn test_flex_set_value_after_creation() {
    let test_util::TestEntrySink { inspector, sink } = test_util::test_entry_sink();
    let mut metrics = TestMetrics {
        timestamp: SystemTime::now(),
        dynamic_field: Flex::new("my_field"),
    }
    .append_on_drop(sink);
    metrics.dynamic_field.set_value(100);
    drop(metrics);
    assert_eq!(inspector.entries()[0].metrics["my_field"], 100u64);
}

#[test]
fn test_flex_unset_field_omitted() {
    let test_util::TestEntrySink { inspector, sink } = test_util::test_entry_sink();
    let metrics = MultiFieldMetrics {
        timestamp: SystemTime::now(),
        set_field: Flex::new("present_field").with_value(42),
        unset_field: Flex::new("missing_field"),
    }
    .append_on_drop(sink);
    drop(metrics);
    let entry = &inspector.entries()[0];
    assert_eq!(entry.metrics["present_field"], 42u64);
    assert!(!entry.metrics.contains_key("missing_field"));
    assert!(!entry.values.contains_key("missing_field"));
}

#[metrics]
struct TimestampMetrics {
    #[metrics(timestamp)]
    timestamp: SystemTime,

    #[metrics(flatten)]
    close_time: Flex<metrique::timers::TimestampOnClose>,
}

#[test]
fn test_flex_close_value_called() {
    use metrique::timers::TimestampOnClose;
    use metrique::timesource::{TimeSource, fakes::StaticTimeSource, set_time_source};

    let test_util::TestEntrySink { inspector, sink } = test_util::test_entry_sink();
    let mock_time = UNIX_EPOCH + Duration::from_secs(1_234_567_890);
    let _guard = set_time_source(TimeSource::custom(StaticTimeSource::at_time(mock_time)));
    let mut metrics = TimestampMetrics {
        timestamp: SystemTime::now(),
        close_time: Flex::new("close_timestamp"),
    }
    .append_on_drop(sink);
    metrics.close_time.set_value(TimestampOnClose::default());
    drop(metrics);
    let entry = &inspector.entries()[0];
    let expected = format!(
        "{}.0",
        mock_time.duration_since(UNIX_EPOCH).unwrap().as_millis()
    );
    assert_eq!(entry.values["close_timestamp"], expected);
}

#[metrics(subfield)]
struct Tags {
    #[metrics(flatten)]
    tenant: Flex<&'static str>,
    request_count: u64,
}

#[metrics(rename_all = "PascalCase", prefix = "svc_")]
struct Inflected {
    #[metrics(flatten, prefix = "tag_")]
    tags: Tags,
    #[metrics(flatten)]
    per_tenant: Flex<u64>,
}

#[test]
fn keys_ignore_rename_all_and_prefixes() {
    let entry = metrique::test_util::test_metric(Inflected {
        tags: Tags {
            tenant: Flex::new("tenant_id").with_value("acme"),
            request_count: 3,
        },
        per_tenant: Flex::new(format!("{}-requests", "acme")).with_value(7),
    });
    assert_eq!(entry.values["tenant_id"], "acme");
    assert_eq!(entry.metrics["acme-requests"], 7u64);
    // Ordinary fields next to them are inflected and prefixed as usual.
    assert_eq!(entry.metrics.len(), 2);
    let other: Vec<_> = entry
        .metrics
        .keys()
        .filter(|k| k.as_str() != "acme-requests")
        .cloned()
        .collect();
    assert_eq!(other.len(), 1);
    assert!(other[0].ends_with("RequestCount"), "{other:?}");
}

#[test]
fn closed_form_is_a_flex_entry() {
    let closed: FlexEntry<u64> = metrique::CloseValue::close(Flex::new("k").with_value(1u64));
    assert_eq!((closed.key(), closed.value()), ("k", Some(&1)));
}

//! `#[derive(metrique::writer::Entry)]`: names, values, flatten, timestamps, sample groups,
//! enums, generics and `cfg`.

mod util;

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use metrique::test_util::to_test_entry;
use metrique::writer::Entry;
use metrique::writer::value::{ToString, ValueFormatter, ValueWriter};
use util::record;

fn group(entry: &impl Entry) -> Vec<(String, String)> {
    entry
        .sample_group()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[derive(Entry)]
struct Plain {
    operation: &'static str,
    count: u64,
    #[entry(name = "Custom-Name")]
    renamed: u64,
    #[entry(ignore)]
    _ignored: Vec<u8>,
}

#[test]
fn plain_fields_keep_their_names() {
    let e = Plain {
        operation: "Get",
        count: 3,
        renamed: 4,
        _ignored: vec![1],
    };
    let r = record(&e);
    assert_eq!(r.names(), ["operation", "count", "Custom-Name"]);
    let t = to_test_entry(&e);
    assert_eq!(t.values["operation"], "Get");
    assert_eq!(t.metrics["count"], 3u64);
    assert_eq!(t.metrics["Custom-Name"], 4u64);
    assert_eq!(group(&e), []);
}

macro_rules! styled {
    ($name:ident, $style:literal) => {
        #[derive(Entry)]
        #[entry(rename_all = $style)]
        struct $name {
            foo_bar: u64,
            #[entry(name = "kept_AsIs")]
            other: u64,
        }
    };
}
styled!(Lower, "lowercase");
styled!(Upper, "UPPERCASE");
styled!(Pascal, "PascalCase");
styled!(Camel, "camelCase");
styled!(Snake, "snake_case");
styled!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
styled!(Kebab, "kebab-case");
styled!(ScreamingKebab, "SCREAMING-KEBAB-CASE");

#[test]
fn rename_all_styles() {
    let names = |e: &dyn Fn() -> util::Recorded| e().names().join(" ");
    assert_eq!(
        names(&|| record(&Lower {
            foo_bar: 1,
            other: 2
        })),
        "foo_bar kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&Upper {
            foo_bar: 1,
            other: 2
        })),
        "FOO_BAR kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&Pascal {
            foo_bar: 1,
            other: 2
        })),
        "FooBar kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&Camel {
            foo_bar: 1,
            other: 2
        })),
        "fooBar kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&Snake {
            foo_bar: 1,
            other: 2
        })),
        "foo_bar kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&ScreamingSnake {
            foo_bar: 1,
            other: 2
        })),
        "FOO_BAR kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&Kebab {
            foo_bar: 1,
            other: 2
        })),
        "foo-bar kept_AsIs"
    );
    assert_eq!(
        names(&|| record(&ScreamingKebab {
            foo_bar: 1,
            other: 2
        })),
        "FOO-BAR kept_AsIs"
    );
}

#[derive(Entry)]
struct Child {
    #[entry(sample_group)]
    region: String,
    child_count: u64,
}

#[derive(Entry)]
#[entry(rename_all = "PascalCase")]
struct Parent {
    #[entry(timestamp)]
    start: SystemTime,
    #[entry(sample_group)]
    operation: &'static str,
    #[entry(sample_group)]
    shard: Cow<'static, str>,
    #[entry(flatten)]
    child: Child,
    latency: Duration,
}

#[test]
fn flatten_timestamp_and_sample_groups() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(7);
    let e = Parent {
        start,
        operation: "Put",
        shard: Cow::Borrowed("a"),
        child: Child {
            region: "eu-west-1".into(),
            child_count: 2,
        },
        latency: Duration::from_millis(5),
    };
    let r = record(&e);
    // The child writes its own names: the parent's `rename_all` does not reach it.
    assert_eq!(
        r.names(),
        ["Operation", "Shard", "region", "child_count", "Latency"]
    );
    assert_eq!(r.timestamp, Some(start));
    let t = to_test_entry(&e);
    assert_eq!(t.timestamp, Some(start));
    assert_eq!(t.metrics["Latency"], 5u64);
    assert_eq!(
        group(&e),
        [
            ("Operation".to_owned(), "Put".to_owned()),
            ("Shard".to_owned(), "a".to_owned()),
            ("region".to_owned(), "eu-west-1".to_owned()),
        ]
    );
}

/// A `SampleGroup` type that is also `Into<Cow>`: its `SampleGroup` impl wins.
#[derive(Clone, Copy)]
struct Both;
impl metrique::writer::sample::SampleGroup for Both {
    fn as_sample_group(&self) -> Cow<'static, str> {
        Cow::Borrowed("via-sample-group")
    }
}
impl From<Both> for Cow<'static, str> {
    fn from(_: Both) -> Self {
        Cow::Borrowed("via-into")
    }
}
impl metrique::writer::Value for Both {
    fn write(&self, writer: impl ValueWriter) {
        writer.string("both");
    }
}

#[derive(Entry)]
struct Preference {
    #[entry(sample_group)]
    both: Both,
    #[entry(sample_group)]
    maybe: Option<&'static str>,
}

#[test]
fn sample_group_prefers_the_sample_group_impl() {
    let e = Preference {
        both: Both,
        maybe: None,
    };
    assert_eq!(
        group(&e),
        [
            ("both".to_owned(), "via-sample-group".to_owned()),
            ("maybe".to_owned(), String::new()),
        ]
    );
}

struct Doubled;
impl ValueFormatter<u64> for Doubled {
    fn format_value(writer: impl ValueWriter, value: &u64) {
        writer.string(&(value * 2).to_string());
    }
}

#[derive(Entry)]
struct Formatted {
    #[entry(format = Doubled)]
    doubled: u64,
    #[entry(format = ToString, name = "Shown")]
    shown: std::net::Ipv4Addr,
}

#[test]
fn format() {
    let e = Formatted {
        doubled: 21,
        shown: std::net::Ipv4Addr::LOCALHOST,
    };
    let t = to_test_entry(&e);
    assert_eq!(t.values["doubled"], "42");
    assert_eq!(t.values["Shown"], "127.0.0.1");
}

#[derive(Entry)]
#[entry(rename_all = "kebab-case")]
enum Outcome {
    Success {
        #[entry(sample_group)]
        operation: &'static str,
        bytes_read: u64,
    },
    #[entry(rename_all = "PascalCase")]
    Failure {
        error_kind: &'static str,
        #[entry(ignore)]
        _detail: String,
        #[entry(flatten)]
        child: Child,
    },
    Tuple(
        #[entry(name = "first")] u64,
        #[entry(ignore)] (),
        #[entry(flatten)] Child,
    ),
    Nothing,
}

#[test]
fn enums_write_the_matched_variant() {
    let r = record(&Outcome::Success {
        operation: "Get",
        bytes_read: 9,
    });
    assert_eq!(r.names(), ["operation", "bytes-read"]);
    assert_eq!(
        group(&Outcome::Success {
            operation: "Get",
            bytes_read: 9
        }),
        [("operation".to_owned(), "Get".to_owned())]
    );

    let failure = Outcome::Failure {
        error_kind: "Timeout",
        _detail: String::new(),
        child: Child {
            region: "r".into(),
            child_count: 1,
        },
    };
    // The variant's own `rename_all` overrides the container's.
    assert_eq!(
        record(&failure).names(),
        ["ErrorKind", "region", "child_count"]
    );
    assert_eq!(group(&failure), [("region".to_owned(), "r".to_owned())]);

    let tuple = Outcome::Tuple(
        1,
        (),
        Child {
            region: "t".into(),
            child_count: 0,
        },
    );
    assert_eq!(record(&tuple).names(), ["first", "region", "child_count"]);

    assert_eq!(record(&Outcome::Nothing).names(), Vec::<&str>::new());
    assert_eq!(group(&Outcome::Nothing), []);
}

#[derive(Entry)]
enum Single {
    Only {
        #[entry(sample_group)]
        key: &'static str,
    },
}

#[derive(Entry)]
enum Empty {}

#[test]
fn single_and_empty_enums() {
    let e = Single::Only { key: "k" };
    assert_eq!(group(&e), [("key".to_owned(), "k".to_owned())]);
    fn assert_entry<E: Entry>() {}
    assert_entry::<Empty>();
}

#[derive(Entry)]
struct Generic<'a, T, C, F> {
    borrowed: &'a str,
    value: T,
    #[entry(flatten)]
    child: C,
    #[entry(timestamp)]
    at: F,
}

#[test]
fn generics_get_bounds_from_their_fields() {
    let e = Generic {
        borrowed: &String::from("b"),
        value: 1u32,
        child: Plain {
            operation: "x",
            count: 0,
            renamed: 0,
            _ignored: Vec::new(),
        },
        at: SystemTime::UNIX_EPOCH,
    };
    assert_eq!(
        record(&e).names(),
        ["borrowed", "value", "operation", "count", "Custom-Name"]
    );
}

#[derive(Entry)]
struct GenericFormat<V> {
    #[entry(format = ToString)]
    shown: V,
}

#[test]
fn generic_format_field() {
    let t = to_test_entry(&GenericFormat { shown: 'x' });
    assert_eq!(t.values["shown"], "x");
}

#[derive(Entry)]
struct Gated {
    always: u64,
    #[cfg(not(test))]
    #[entry(sample_group)]
    never: &'static str,
    #[cfg(test)]
    #[entry(sample_group)]
    on: &'static str,
}

#[test]
fn cfg_applies_to_writes_and_sample_groups() {
    let e = Gated {
        always: 1,
        on: "yes",
    };
    assert_eq!(record(&e).names(), ["always", "on"]);
    assert_eq!(group(&e), [("on".to_owned(), "yes".to_owned())]);
}

#[derive(Entry)]
struct Tuple(#[entry(name = "A")] u64, #[entry(ignore)] ());

#[test]
fn tuple_struct() {
    assert_eq!(record(&Tuple(1, ())).names(), ["A"]);
}

/// Entries derived here work with sinks like any other.
#[test]
fn derived_entries_reach_sinks() {
    use metrique::writer::EntrySink;
    let sink = metrique::test_util::test_entry_sink();
    sink.sink.append(Plain {
        operation: "Get",
        count: 1,
        renamed: 2,
        _ignored: Vec::new(),
    });
    assert_eq!(sink.inspector.get(0).values["operation"], "Get");
}

#[derive(Entry)]
struct GenericGroup<K: metrique::writer::sample::SampleGroup> {
    #[entry(sample_group)]
    key: K,
}

#[test]
fn generic_sample_group_uses_declared_bounds() {
    let e = GenericGroup { key: "k" };
    assert_eq!(group(&e), [("key".to_owned(), "k".to_owned())]);
    assert_eq!(record(&e).names(), ["key"]);
}

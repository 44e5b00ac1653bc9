//! Modes: subfield, subfield_owned, value, value(string); flatten, flatten_entry, no_close,
//! format, sample groups, flags, closeable_entry.

mod util;

use std::sync::Arc;

use metrique::CloseValue;
use metrique::unit::{Millisecond, Second};
use metrique::unit_of_work::metrics;
use metrique::writer::value::{DistributionFlag, ToString};
use metrique::writer::{Entry, EntryWriter};
use util::{record_metric, sample_group};

#[metrics(subfield)]
struct ByRef {
    hits: u64,
    label: Arc<str>,
}

#[metrics(subfield_owned)]
struct Owned {
    owned: String,
}

struct Manual;
impl Entry for Manual {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Manual_Name", &1u64);
    }
    fn sample_group(&self) -> impl Iterator<Item = metrique::writer::entry::SampleGroupElement> {
        std::iter::once(("m".into(), "1".into()))
    }
}

#[metrics(value(string), rename_all = "snake_case")]
#[derive(Clone, Copy)]
enum Operation {
    GetItem,
    #[metrics(name = "put")]
    PutItem,
}

#[metrics(value)]
struct Wrapped(u64);

#[metrics(value, sample_group)]
struct Region {
    name: &'static str,
    #[metrics(ignore)]
    _not_written: u64,
}

#[metrics(rename_all = "PascalCase")]
struct Root {
    #[metrics(sample_group)]
    operation: Operation,
    #[metrics(flatten)]
    by_ref: ByRef,
    #[metrics(flatten, prefix = "own")]
    owned: Owned,
    #[metrics(flatten_entry, no_close)]
    manual: Manual,
    #[metrics(format = ToString, no_close)]
    displayed: std::net::Ipv4Addr,
    wrapped: Wrapped,
    #[metrics(sample_group)]
    region: Region,
    #[metrics(unit = Second)]
    took: std::time::Duration,
    #[metrics(flags(DistributionFlag))]
    flagged: u64,
    maybe: Option<u64>,
}

fn root() -> Root {
    let by_ref = ByRef {
        hits: 5,
        label: "lbl".into(),
    };
    Root {
        operation: Operation::GetItem,
        by_ref,
        owned: Owned { owned: "o".into() },
        manual: Manual,
        displayed: std::net::Ipv4Addr::LOCALHOST,
        wrapped: Wrapped(9),
        region: Region {
            name: "eu",
            _not_written: 0,
        },
        took: std::time::Duration::from_millis(1500),
        flagged: 3,
        maybe: None,
    }
}

#[test]
fn everything_is_written_in_order_with_the_right_names() {
    let r = record_metric(root());
    assert_eq!(
        r.values,
        [
            ("Operation", "get_item"),
            ("Hits", "5"),
            ("Label", "lbl"),
            ("OwnOwned", "o"),
            ("Manual_Name", "1"),
            ("Displayed", "127.0.0.1"),
            ("Wrapped", "9"),
            ("Region", "eu"),
            ("Took", "1.5 Seconds"),
            ("Flagged", "3 +flagged"),
            // `None` is offered to the writer but writes nothing.
            ("Maybe", ""),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[test]
fn sample_groups_chain_fields_and_flattened_entries() {
    assert_eq!(
        sample_group(root()),
        [("Operation", "get_item"), ("m", "1"), ("Region", "eu")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[test]
fn value_string_enums() {
    assert_eq!(<&'static str>::from(Operation::PutItem), "put");
    assert_eq!(<&'static str>::from(&Operation::GetItem), "get_item");
    let closed: OperationValue = Operation::PutItem.close();
    assert_eq!(closed.as_str(), "put");
    assert_eq!(format!("{closed:?}"), "PutItem");
    use metrique::writer::sample::SampleGroup;
    assert_eq!(Operation::GetItem.as_sample_group(), "get_item");
}

#[test]
fn subfield_closes_by_reference() {
    let by_ref = ByRef {
        hits: 2,
        label: "l".into(),
    };
    let closed_twice = ((&by_ref).close(), (&by_ref).close());
    let _ = closed_twice;
    #[metrics]
    struct Parent {
        #[metrics(flatten)]
        child: Arc<ByRef>,
    }
    let r = record_metric(Parent {
        child: Arc::new(by_ref),
    });
    assert_eq!(r.names(), ["hits", "label"]);
    assert_eq!(r.get("hits"), "2");
}

#[metrics(closeable_entry)]
struct Closeable {
    #[metrics(unit = Millisecond)]
    a: u64,
}

#[test]
fn closeable_entry_closes_to_itself() {
    let entry: ClosseableAlias = Closeable { a: 1 }.close();
    let again: ClosseableAlias = entry.close();
    let r = util::record(&metrique::RootEntry::new(again));
    assert_eq!(r.get("a"), "1 Milliseconds");
}
type ClosseableAlias = CloseableEntry;

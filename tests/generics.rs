//! Generics, lifetimes, and structs declared inside `macro_rules!`.

mod util;

use metrique::unit_of_work::metrics;
use metrique::{CloseEntry, CloseValue};
use util::record_metric;

#[metrics]
struct Borrowed<'a> {
    operation: &'a str,
    count: u64,
}

#[test]
fn lifetimes() {
    let op = String::from("dynamic");
    let r = record_metric(Borrowed {
        operation: &op,
        count: 1,
    });
    assert_eq!(r.get("operation"), "dynamic");
    // The guard alias substitutes 'static.
    let _: Option<BorrowedGuard<util::CollectSink<metrique::RootMetric<Borrowed<'static>>>>> = None;
}

#[metrics(subfield)]
struct Inner {
    x: u64,
}

#[metrics]
struct Generic<T: CloseEntry, V> {
    #[metrics(flatten)]
    child: T,
    value: V,
    #[metrics(ignore)]
    _marker: (),
}

#[test]
fn type_parameters() {
    let r = record_metric(Generic {
        child: Inner { x: 1 },
        value: 2u32,
        _marker: (),
    });
    assert_eq!(r.names(), ["x", "value"]);
}

#[metrics(subfield)]
struct GenericRef<V: Send> {
    v: V,
}

#[test]
fn generic_subfield() {
    let g = GenericRef { v: 3u64 };
    let closed = (&g).close();
    let r = util::record(&metrique::RootEntry::new(closed));
    assert_eq!(r.get("v"), "3");
}

/// No bounds on `T`/`V`: the macro derives them from the fields (a prefixed `flatten` needs
/// `T::Closed: InflectableEntry<..AppendPrefix<P>>` with a nameable `P`; `format` needs
/// `ToString: ValueFormatter<V::Closed>`).
#[metrics(rename_all = "snake_case")]
struct Unbounded<T, V> {
    #[metrics(flatten, prefix = "inner")]
    child: T,
    #[metrics(flatten, exact_prefix = "Exact:")]
    again: T,
    #[metrics(format = metrique::writer::value::ToString)]
    shown: V,
}

#[test]
fn bounds_for_format_and_prefixed_flatten() {
    let r = record_metric(Unbounded {
        child: Inner { x: 1 },
        again: Inner { x: 2 },
        shown: 7u64,
    });
    assert_eq!(r.names(), ["inner_x", "Exact:x", "shown"]);
    assert_eq!(r.get("shown"), "7");
}

#[metrics(subfield)]
struct Grouped {
    #[metrics(sample_group)]
    key: &'static str,
}

#[metrics(rename_all = "PascalCase")]
enum GenericEnum<T> {
    One {
        #[metrics(flatten, prefix = "child")]
        child: T,
    },
}

#[test]
fn prefixed_generic_flatten_in_enums_and_sample_groups() {
    let r = record_metric(GenericEnum::One {
        child: Grouped { key: "k" },
    });
    assert_eq!(r.names(), ["ChildKey"]);
    assert_eq!(
        util::sample_group(GenericEnum::One {
            child: Grouped { key: "k" }
        }),
        [("ChildKey".to_owned(), "k".to_owned())]
    );
}

macro_rules! declare {
    ($name:ident, $field:ident) => {
        #[metrics(rename_all = "PascalCase")]
        pub(crate) struct $name {
            pub(crate) $field: u64,
            #[metrics(flatten)]
            pub(crate) inner: Inner,
        }
        impl $name {
            pub(crate) fn new(v: u64) -> Self {
                let this = Self {
                    $field: v,
                    inner: Inner { x: v },
                };
                this
            }
        }
    };
}
declare!(FromMacro, from_macro_field);

#[test]
fn inside_macro_rules() {
    let r = record_metric(FromMacro::new(4));
    assert_eq!(r.names(), ["FromMacroField", "X"]);
}

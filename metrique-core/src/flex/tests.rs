use std::sync::atomic::{AtomicU64, Ordering};

use super::*;
use crate::{Identity, PascalCase};

/// A hand-written `#[metrics(rename_all = "PascalCase")]` parent with
/// `#[metrics(flatten, prefix = "api_")] dynamic: Flex<AtomicU64>` and
/// `#[metrics(flatten)] tag: Flex<&'static str>`.
struct Parent {
    operation: &'static str,
    dynamic: Flex<AtomicU64>,
    tag: Flex<&'static str>,
}

struct ParentEntry {
    operation: &'static str,
    dynamic: FlexEntry<u64>,
    tag: FlexEntry<&'static str>,
}

impl CloseValue for Parent {
    type Closed = ParentEntry;
    fn close(self) -> ParentEntry {
        ParentEntry {
            operation: self.operation,
            dynamic: self.dynamic.close(),
            tag: self.tag.close(),
        }
    }
}

impl<NS: NameStyle> InflectableEntry<NS> for ParentEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        type S<NS> = <NS as NameStyle>::PascalCase;
        w.value(
            crate::__metrique_name!(S<NS>; "operation", "Operation", "operation", "operation", "OPERATION"),
            self.operation,
        );
        crate::__metrique_write_prefixed!(S<NS>; ["api_", "Api", "api_", "api-", "API_"]; &self.dynamic, w);
        InflectableEntry::<S<NS>>::write(&self.tag, w);
    }
}

#[test]
fn builder_api() {
    let mut f = Flex::<u32>::new("k");
    assert_eq!((f.key(), f.value()), ("k", None));
    f.set_value(3);
    *f.value_mut().unwrap() += 1;
    assert_eq!(f.value(), Some(&4));
    f.clear_value();
    assert_eq!(f.value(), None);
    assert_eq!(Flex::<u32>::new("k").with_default_value().value(), Some(&0));
    assert_eq!(Flex::new("k").with_value(7).value(), Some(&7));
    assert_eq!(
        Flex::new("k").with_optional_value(Some(8)).value(),
        Some(&8)
    );
    assert_eq!(
        Flex::<u8>::new("k")
            .with_value(1)
            .with_optional_value(None)
            .value(),
        None
    );
    let key = String::from("owned_key");
    assert_eq!(Flex::<u8>::new(key).key(), "owned_key");
}

#[test]
fn close_by_value_and_by_reference() {
    let f = Flex::new("hits").with_value(AtomicU64::new(2));
    f.value().unwrap().fetch_add(1, Ordering::Relaxed);
    let by_ref: FlexEntry<u64> = (&f).close();
    assert_eq!((by_ref.key(), by_ref.value()), ("hits", Some(&3)));
    assert_eq!(f.close(), FlexEntry::new("hits", Some(3)));
}

#[cfg(feature = "test-util")]
#[test]
fn key_is_never_inflected_or_prefixed() {
    let dynamic = Flex::new(format!("{}_requests", "user")).with_value(AtomicU64::new(42));
    let entry = crate::test_util::test_metric(Parent {
        operation: "Get",
        dynamic,
        tag: Flex::new("my-Tag").with_value("blue"),
    });
    assert_eq!(entry.values["Operation"], "Get");
    assert_eq!(entry.metrics["user_requests"], 42u64);
    assert_eq!(entry.values["my-Tag"], "blue");
    assert_eq!(entry.metrics.len(), 1);
    assert_eq!(entry.values.len(), 2);
}

#[cfg(feature = "test-util")]
#[test]
fn unset_value_writes_nothing() {
    let entry = crate::test_util::test_metric(Parent {
        operation: "Get",
        dynamic: Flex::new("never"),
        tag: Flex::new("unset"),
    });
    assert_eq!(entry.metrics.len(), 0);
    assert_eq!(entry.values.len(), 1);
}

#[cfg(feature = "test-util")]
#[test]
fn flex_entry_is_an_entry_too() {
    let e = FlexEntry::new("Raw", Some(5u64));
    let t = metrique_writer::test_util::to_test_entry(&e);
    assert_eq!(t.metrics["Raw"], 5u64);
    let none = FlexEntry::<u64>::new("Raw", None);
    assert_eq!(
        metrique_writer::test_util::to_test_entry(&none)
            .metrics
            .len(),
        0
    );
}

#[test]
fn every_style_writes_the_same_key() {
    fn names<NS: NameStyle>(e: &FlexEntry<u64>) -> Vec<String> {
        struct Names(Vec<String>);
        impl<'a> EntryWriter<'a> for Names {
            fn timestamp(&mut self, _: std::time::SystemTime) {}
            fn value(&mut self, name: impl Into<Cow<'a, str>>, _: &(impl Value + ?Sized)) {
                self.0.push(name.into().into_owned());
            }
            fn config(&mut self, _: &'a dyn metrique_writer::EntryConfig) {}
        }
        let mut n = Names(Vec::new());
        InflectableEntry::<NS>::write(e, &mut n);
        n.0
    }
    let e = FlexEntry::new("some_Key-1", Some(1u64));
    assert_eq!(names::<Identity>(&e), ["some_Key-1"]);
    assert_eq!(names::<PascalCase>(&e), ["some_Key-1"]);
    assert_eq!(names::<crate::KebabCase>(&e), ["some_Key-1"]);
    assert_eq!(InflectableEntry::<Identity>::sample_group(&e).count(), 0);
}

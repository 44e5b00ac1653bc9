use std::borrow::Cow;
use std::time::SystemTime;

use metrique_writer::value::{DistributionFlag, ForceFlag, MetricFlags, WithDimensions};
use metrique_writer::{EntryConfig, Observation, Unit, ValidationError, Value, ValueWriter};

use super::*;
use crate::{Identity, PascalCase, RootEntry};

/// What a field wrote: observations, dimensions, and whether it carried the distribution flag.
#[derive(Debug, PartialEq)]
struct Field {
    name: String,
    obs: Vec<Observation>,
    dims: Vec<(String, String)>,
    flagged: bool,
}

#[derive(Default)]
struct Recorder(Vec<Field>);

impl<'a> EntryWriter<'a> for Recorder {
    fn timestamp(&mut self, _: SystemTime) {}
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        struct W<'r>(&'r mut Vec<Field>, String);
        impl ValueWriter for W<'_> {
            fn string(self, _: &str) {}
            fn metric<'d>(
                self,
                distribution: impl IntoIterator<Item = Observation>,
                _unit: Unit,
                dimensions: impl IntoIterator<Item = (&'d str, &'d str)>,
                flags: MetricFlags<'_>,
            ) {
                self.0.push(Field {
                    name: self.1,
                    obs: distribution.into_iter().collect(),
                    dims: dimensions
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                    flagged: flags.has::<DistributionFlag>(),
                });
            }
            fn error(self, _: ValidationError) {}
        }
        value.write(W(&mut self.0, name.into().into_owned()));
    }
    fn config(&mut self, _: &'a dyn EntryConfig) {}
}

/// A closed child entry with one field, `request_count`, written in the style `NS`.
#[derive(Clone)]
struct Child(u64);

impl<NS: NameStyle> InflectableEntry<NS> for Child {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        let name = crate::__metrique_name!(NS; "request_count", "RequestCount", "request_count", "request-count", "REQUEST_COUNT");
        w.value(name, &self.0);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        std::iter::once((Cow::Borrowed("Child"), Cow::Borrowed("c")))
    }
}

fn record<NS: NameStyle>(e: &impl InflectableEntry<NS>) -> Vec<Field> {
    let mut r = Recorder::default();
    e.write(&mut r);
    r.0
}

fn field(name: &str, v: u64, dims: &[(&str, &str)], flagged: bool) -> Field {
    Field {
        name: name.into(),
        obs: vec![Observation::Unsigned(v)],
        dims: dims
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        flagged,
    }
}

#[test]
fn force_flag_flags_every_metric_and_keeps_the_style() {
    let e: ForceFlag<Child, DistributionFlag> = ForceFlag::from(Child(3));
    assert_eq!(
        record::<PascalCase>(&e),
        [field("RequestCount", 3, &[], true)]
    );
    assert_eq!(
        record::<Identity>(&e),
        [field("request_count", 3, &[], true)]
    );
    let groups: Vec<_> = InflectableEntry::<Identity>::sample_group(&e).collect();
    assert_eq!(groups, [(Cow::Borrowed("Child"), Cow::Borrowed("c"))]);
}

#[test]
fn with_dimensions_adds_dimensions_to_every_metric() {
    let mut e: WithDimensions<Child, 2> = WithDimensions::new(Child(4), "Region", "eu");
    e.add_dimension("Cell", "7");
    assert_eq!(
        record::<PascalCase>(&e),
        [field(
            "RequestCount",
            4,
            &[("Region", "eu"), ("Cell", "7")],
            false
        )]
    );
    // Nested wrappers compose: inner dimensions first.
    let nested = WithDimensions::<_, 1>::new(ForceFlag::<_, DistributionFlag>::from(e), "Az", "a");
    assert_eq!(
        record::<Identity>(&nested),
        [field(
            "request_count",
            4,
            &[("Region", "eu"), ("Cell", "7"), ("Az", "a")],
            true
        )]
    );
    assert_eq!(
        InflectableEntry::<Identity>::sample_group(&nested).count(),
        1
    );
}

#[test]
fn cow_delegates() {
    let owned: Cow<'_, Child> = Cow::Owned(Child(5));
    let child = Child(6);
    let borrowed: Cow<'_, Child> = Cow::Borrowed(&child);
    assert_eq!(
        record::<PascalCase>(&owned),
        [field("RequestCount", 5, &[], false)]
    );
    assert_eq!(
        record::<Identity>(&borrowed),
        [field("request_count", 6, &[], false)]
    );
    assert_eq!(
        InflectableEntry::<Identity>::sample_group(&owned).count(),
        1
    );
}

#[test]
fn wrappers_root_and_close() {
    use crate::CloseValue;
    use metrique_writer::Entry;
    let e: WithDimensions<ForceFlag<Child, DistributionFlag>, 1> =
        WithDimensions::new(ForceFlag::from(Child(1)), "K", "V");
    let root = RootEntry::new(e.clone().close().close());
    let mut r = Recorder::default();
    Entry::write(&root, &mut r);
    assert_eq!(r.0, [field("request_count", 1, &[("K", "V")], true)]);
}

impl CloseValue for Child {
    type Closed = Child;
    fn close(self) -> Child {
        self
    }
}
use crate::CloseValue;

//! A `BoxEntry` writes exactly what the entry it erases writes: scalars, distributions,
//! per-metric dimensions, lists (with typed elements), strings, timestamps and errors.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use metrique_writer::config::AllowSplitEntries;
use metrique_writer::format::Format;
use metrique_writer::format::emf::Emf;
use metrique_writer::format::json::Json;
use metrique_writer::unit::Unit;
use metrique_writer::value::{MetricFlags, Observation, Value, ValueWriter};
use metrique_writer::{BoxEntry, Entry, EntryWriter};

struct Dist;
impl Value for Dist {
    fn write(&self, w: impl ValueWriter) {
        w.metric(
            [
                Observation::Unsigned(1),
                Observation::Floating(2.5),
                Observation::Repeated {
                    total: 6.0,
                    occurrences: 3,
                },
            ],
            Unit::Count,
            [("Shard", "a")],
            MetricFlags::empty(),
        );
    }
}

/// One observation, but with a per-metric dimension: not a plain scalar.
struct OneWithDimension;
impl Value for OneWithDimension {
    fn write(&self, w: impl ValueWriter) {
        w.metric(
            [Observation::Floating(0.5)],
            Unit::Percent,
            [("Shard", "b")],
            MetricFlags::empty(),
        );
    }
}

struct Rich;
impl Entry for Rich {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.timestamp(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123));
        w.config(&AllowSplitEntries);
        w.value("Count", &7u64);
        w.value("Signed", &-3i64);
        w.value("Latency", &Duration::from_micros(1500));
        w.value("Dist", &Dist);
        w.value("List", &vec![1u64, 2, 3]);
        w.value("Names", &vec!["a", "b"]);
        w.value("Operation", "Get\"Item\"");
        w.value("Absent", &None::<u64>);
        w.value("OneWithDimension", &OneWithDimension);
        w.value("Flag", &true);
        w.value("Ratio", &0.25f64);
    }
}

fn render<F: Format>(format: &mut F, entry: &impl Entry) -> String {
    let mut out = Vec::new();
    format.format(entry, &mut out).expect("valid entry");
    String::from_utf8(out).unwrap()
}

#[test]
fn boxed_entry_formats_like_the_entry_in_emf_and_json() {
    let mut emf = Emf::all_validations("Ns".to_string(), vec![vec![]]);
    let boxed = BoxEntry::new(Rich);
    assert_eq!(render(&mut emf, &boxed), render(&mut emf, &Rich));
    let mut json = Json::new();
    let plain = render(&mut json, &Rich);
    assert_eq!(render(&mut json, &boxed), plain);
    // Lists keep their element types through the bridge.
    assert!(plain.contains(r#""List":[1,2,3]"#), "{plain}");
}

/// Forwards only `write`, so a boxed entry inside reaches the EMF writer through the generic
/// per-field bridge rather than the EMF shortcut (`Entry::__write_emf`).
struct OnlyWrite<'e>(&'e BoxEntry);
impl Entry for OnlyWrite<'_> {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        self.0.write(w);
    }
}

#[test]
fn boxed_entry_formats_like_the_entry_in_emf_through_the_generic_bridge_too() {
    let mut emf = Emf::all_validations("Ns".to_string(), vec![vec![]]);
    let boxed = BoxEntry::new(Rich);
    let typed = render(&mut emf, &Rich);
    assert_eq!(render(&mut emf, &OnlyWrite(&boxed)), typed);
    assert_eq!(render(&mut emf, &boxed), typed);
    assert_eq!(render(&mut emf, &&boxed), typed);
    assert_eq!(render(&mut emf, &Box::new(BoxEntry::new(Rich))), typed);
}

struct Bad;
impl Entry for Bad {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        struct Broken;
        impl Value for Broken {
            fn write(&self, w: impl ValueWriter) {
                w.invalid("broken on purpose");
            }
        }
        w.timestamp(SystemTime::now());
        w.value("Broken", &Broken);
    }
}

#[test]
fn boxed_entry_forwards_value_errors() {
    let mut emf = Emf::all_validations("Ns".to_string(), vec![vec![]]);
    let err = emf
        .format(&BoxEntry::new(Bad), &mut Vec::new())
        .unwrap_err();
    assert!(err.to_string().contains("broken on purpose"), "{err}");
}

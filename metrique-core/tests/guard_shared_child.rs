//! `SharedChild` (reference §5.5): emitted only if the parent holds the last reference.

#[path = "guard_support/recorder.rs"]
mod support;

use std::sync::atomic::{AtomicU64, Ordering};

use metrique_core::{CloseValue, InflectableEntry, SharedChild, append_and_close};
use metrique_writer::EntryWriter;
use support::Recorder;

#[derive(Default, Debug)]
struct Work {
    items: AtomicU64,
}

#[derive(Debug, PartialEq)]
struct WorkEntry {
    items: u64,
}

impl CloseValue for &Work {
    type Closed = WorkEntry;
    fn close(self) -> WorkEntry {
        WorkEntry {
            items: self.items.load(Ordering::Relaxed),
        }
    }
}

impl CloseValue for Work {
    type Closed = WorkEntry;
    fn close(self) -> WorkEntry {
        (&self).close()
    }
}

#[derive(Default)]
struct Parent {
    work: SharedChild<Work>,
}

#[derive(Debug, PartialEq)]
struct ParentEntry {
    work: Option<WorkEntry>,
}

impl CloseValue for Parent {
    type Closed = ParentEntry;
    fn close(self) -> ParentEntry {
        ParentEntry {
            work: self.work.close(),
        }
    }
}

impl InflectableEntry for ParentEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        if let Some(work) = &self.work {
            w.value("Items", &work.items);
        }
    }
}

#[test]
fn emitted_when_all_clones_are_gone() {
    let sink = Recorder::<ParentEntry>::default();
    let parent = append_and_close(Parent::default(), sink.clone());
    std::thread::scope(|s| {
        for _ in 0..4 {
            let work = parent.work.clone();
            s.spawn(move || work.items.fetch_add(2, Ordering::Relaxed));
        }
    });
    drop(parent);
    assert_eq!(
        sink.take(),
        [ParentEntry {
            work: Some(WorkEntry { items: 8 })
        }]
    );
}

#[test]
fn omitted_while_a_clone_is_alive() {
    let sink = Recorder::<ParentEntry>::default();
    let parent = append_and_close(Parent::default(), sink.clone());
    let straggler = parent.work.clone();
    straggler.items.fetch_add(1, Ordering::Relaxed);
    drop(parent);
    assert_eq!(sink.take(), [ParentEntry { work: None }]);
    drop(straggler);
}

#[test]
fn close_by_ref() {
    let child = SharedChild::new(Work::default());
    child.items.store(3, Ordering::Relaxed);
    assert_eq!((&child).close(), Some(WorkEntry { items: 3 }));
    let clone = child.clone();
    assert_eq!((&child).close(), None);
    drop(clone);
    assert_eq!(child.close(), Some(WorkEntry { items: 3 }));
}

#[test]
fn debug_default_from() {
    let c: SharedChild<Work> = SharedChild::default();
    assert_eq!(format!("{c:?}"), "SharedChild(Work { items: 0 })");
    let c: SharedChild<u64> = std::sync::Arc::new(5u64).into();
    assert_eq!(*c, 5);
    assert_eq!(c.close(), Some(5));
}

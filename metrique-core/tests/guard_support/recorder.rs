//! Shared by the guard/slot integration tests: a recording sink and a hand-written entry (what
//! `#[metrics]` would generate).
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use metrique_core::{CloseValue, InflectableEntry, NameStyle, RootEntry, Slot};
use metrique_writer::{EntrySink, EntryWriter, FlushWait};

/// Records every appended entry (closed form).
#[derive(Debug)]
pub struct Recorder<C>(Arc<Mutex<Vec<C>>>);

impl<C> Clone for Recorder<C> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<C> Default for Recorder<C> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<C> Recorder<C> {
    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    pub fn take(&self) -> Vec<C> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl<C: InflectableEntry> EntrySink<RootEntry<C>> for Recorder<C> {
    fn append(&self, entry: RootEntry<C>) {
        self.0.lock().unwrap().push(entry.into_inner());
    }
    fn flush_async(&self) -> FlushWait {
        FlushWait::ready()
    }
}

/// A child record: `#[metrics(subfield)] struct Child { n: u64 }`.
#[derive(Debug, Default)]
pub struct Child {
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChildEntry {
    pub n: u64,
}

impl CloseValue for Child {
    type Closed = ChildEntry;
    fn close(self) -> ChildEntry {
        ChildEntry { n: self.n }
    }
}

impl CloseValue for &Child {
    type Closed = ChildEntry;
    fn close(self) -> ChildEntry {
        ChildEntry { n: self.n }
    }
}

impl<NS: NameStyle> InflectableEntry<NS> for ChildEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("N", &self.n);
    }
}

/// `#[metrics] struct Req { ducks: u64, count: AtomicU64, #[metrics(flatten)] child: Slot<Child> }`.
#[derive(Debug, Default)]
pub struct Req {
    pub ducks: u64,
    pub count: AtomicU64,
    pub child: Slot<Child>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReqEntry {
    pub ducks: u64,
    pub count: u64,
    pub child: Option<ChildEntry>,
}

impl CloseValue for Req {
    type Closed = ReqEntry;
    fn close(self) -> ReqEntry {
        ReqEntry {
            ducks: self.ducks,
            count: self.count.into_inner(),
            child: self.child.close(),
        }
    }
}

impl InflectableEntry for ReqEntry {
    fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
        w.value("Ducks", &self.ducks);
        w.value("Count", &self.count);
        InflectableEntry::<metrique_core::Identity>::write(&self.child, w);
    }
}

impl Req {
    pub fn add(&self, n: u64) {
        self.count.fetch_add(n, Ordering::Relaxed);
    }
}

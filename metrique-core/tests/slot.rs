//! `Slot`, `LazySlot`, `SlotGuard` and `OnParentDrop` (reference §5.4).

#[path = "guard_support/recorder.rs"]
mod support;

use metrique_core::{CloseValue, LazySlot, OnParentDrop, Slot, append_and_close};
use support::{Child, ChildEntry, Recorder, Req, ReqEntry};

#[test]
fn unopened_slot_closes_to_none() {
    let slot: Slot<Child> = Slot::default();
    assert_eq!(slot.close(), None);
    let slot: Slot<Child> = Slot::new(Child { n: 3 });
    assert_eq!((&slot).close(), None);
}

#[test]
fn opened_and_dropped_slot_closes_to_data() {
    let mut slot = Slot::new(Child { n: 1 });
    let mut g = slot.open(OnParentDrop::Discard).unwrap();
    g.n += 1;
    assert!(!g.parent_is_closed());
    drop(g);
    assert_eq!(slot.close(), Some(ChildEntry { n: 2 }));
}

#[test]
fn open_twice_returns_none() {
    let mut slot = Slot::new(Child { n: 1 });
    let g = slot.open(OnParentDrop::Discard);
    assert!(g.is_some());
    assert!(slot.open(OnParentDrop::Discard).is_none());
    drop(g);
    assert!(slot.open(OnParentDrop::Discard).is_none());
}

#[test]
fn slot_still_open_at_close_is_none() {
    let mut slot = Slot::new(Child { n: 1 });
    let g = slot.open(OnParentDrop::Discard).unwrap();
    assert_eq!(slot.close(), None);
    assert!(g.parent_is_closed());
    drop(g);
}

#[test]
fn close_by_ref_takes_the_data() {
    let mut slot = Slot::new(Child { n: 4 });
    drop(slot.open(OnParentDrop::Discard).unwrap());
    assert_eq!((&slot).close(), Some(ChildEntry { n: 4 }));
    assert_eq!((&slot).close(), None);
}

#[test]
fn discard_mode_parent_emitted_first_drops_child_data() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let mut child = parent.child.open(OnParentDrop::Discard).unwrap();
    drop(parent);
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].child, None);
    assert!(child.parent_is_closed());
    child.n = 5; // writes into a dead record
    drop(child);
    assert_eq!(sink.len(), 0);
}

#[test]
fn discard_mode_child_first_is_included() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let mut child = parent.child.open(OnParentDrop::Discard).unwrap();
    child.n = 5;
    drop(child);
    drop(parent);
    assert_eq!(sink.take()[0].child, Some(ChildEntry { n: 5 }));
}

#[test]
fn wait_mode_parent_waits_for_child() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let flush = parent.flush_guard();
    let mut child = parent.child.open(OnParentDrop::Wait(flush)).unwrap();
    drop(parent);
    assert_eq!(sink.len(), 0, "the slot's flush guard delays the parent");
    assert!(!child.parent_is_closed());
    child.n = 6;
    drop(child);
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].child,
        Some(ChildEntry { n: 6 }),
        "data is sent before the flush guard is released"
    );
}

#[test]
fn delay_flush_after_open() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let mut child = parent.child.open(OnParentDrop::Discard).unwrap();
    child.delay_flush(parent.flush_guard());
    drop(parent);
    assert_eq!(sink.len(), 0);
    child.n = 7;
    drop(child);
    assert_eq!(sink.take()[0].child, Some(ChildEntry { n: 7 }));
}

#[test]
fn wait_mode_from_another_thread() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let flush = parent.flush_guard();
    let mut child = parent.child.open(OnParentDrop::Wait(flush)).unwrap();
    let t = std::thread::spawn(move || {
        child.n = 8;
    });
    drop(parent);
    t.join().unwrap();
    assert_eq!(sink.take()[0].child, Some(ChildEntry { n: 8 }));
}

#[tokio::test]
async fn wait_for_data_awaits_the_child() {
    let mut slot = Slot::new(Child { n: 0 });
    let mut g = slot.open(OnParentDrop::Discard).unwrap();
    let task = tokio::spawn(async move {
        tokio::task::yield_now().await;
        g.n = 9;
    });
    assert_eq!(*slot.wait_for_data().await, Some(ChildEntry { n: 9 }));
    task.await.unwrap();
    // Still there when the slot closes.
    assert_eq!(slot.close(), Some(ChildEntry { n: 9 }));
}

#[tokio::test]
async fn wait_for_data_on_unopened_slot_is_none_at_once() {
    let mut slot = Slot::new(Child { n: 0 });
    assert_eq!(*slot.wait_for_data().await, None);
    // Still openable.
    assert!(slot.open(OnParentDrop::Discard).is_some());
}

#[tokio::test]
async fn wait_for_data_through_the_guard() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let mut child = parent.child.open(OnParentDrop::Discard).unwrap();
    tokio::spawn(async move {
        child.n = 10;
    });
    parent.child.wait_for_data().await;
    drop(parent);
    assert_eq!(sink.take()[0].child, Some(ChildEntry { n: 10 }));
}

#[test]
fn panicking_child_delivers_nothing_but_releases_the_parent() {
    let sink = Recorder::<ReqEntry>::default();
    let mut parent = append_and_close(Req::default(), sink.clone());
    let flush = parent.flush_guard();
    let child = parent.child.open(OnParentDrop::Wait(flush)).unwrap();
    drop(parent);
    let r = std::thread::spawn(move || {
        let _child = child;
        panic!("child task failed");
    })
    .join();
    assert!(r.is_err());
    // The guard was dropped during unwinding: data sent, then the flush guard released.
    assert_eq!(sink.take().len(), 1);
}

#[test]
fn lazy_slot() {
    let slot: LazySlot<Child> = LazySlot::default();
    assert_eq!(slot.close(), None);

    let mut slot: LazySlot<Child> = LazySlot::default();
    let mut g = slot.open(Child { n: 1 }, OnParentDrop::Discard).unwrap();
    assert!(slot.open(Child { n: 2 }, OnParentDrop::Discard).is_none());
    g.n += 10;
    drop(g);
    assert_eq!((&slot).close(), Some(ChildEntry { n: 11 }));
}

#[tokio::test]
async fn lazy_slot_wait_for_data() {
    let mut slot: LazySlot<Child> = LazySlot::default();
    let g = slot.open(Child { n: 1 }, OnParentDrop::Discard).unwrap();
    tokio::spawn(async move { drop(g) });
    assert_eq!(*slot.wait_for_data().await, Some(ChildEntry { n: 1 }));
}

#[test]
fn debug_impls() {
    let mut slot = Slot::new(Child { n: 1 });
    assert_eq!(format!("{slot:?}"), r#"Slot { stage: "unopened" }"#);
    let g = slot.open(OnParentDrop::Discard).unwrap();
    assert_eq!(format!("{slot:?}"), r#"Slot { stage: "waiting" }"#);
    assert_eq!(
        format!("{g:?}"),
        "SlotGuard { value: Some(Child { n: 1 }), mode: Discard }"
    );
    let lazy: LazySlot<Child> = LazySlot::default();
    assert_eq!(format!("{lazy:?}"), r#"LazySlot { stage: "vacant" }"#);
    let sink = Recorder::<ReqEntry>::default();
    let parent = append_and_close(Req::default(), sink);
    let mode = OnParentDrop::Wait(parent.flush_guard());
    assert_eq!(format!("{mode:?}"), "Wait(FlushGuard { .. })");
}

#[test]
fn slot_types_are_send_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Slot<Child>>();
    send_sync::<LazySlot<Child>>();
    send_sync::<metrique_core::SlotGuard<Child>>();
    send_sync::<OnParentDrop>();
}

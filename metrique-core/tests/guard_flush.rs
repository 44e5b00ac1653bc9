//! The flush-guard truth table (reference §5.2): what is appended, and when.

#[path = "guard_support/recorder.rs"]
mod support;

use metrique_core::{
    AppendAndCloseOnDrop, AppendAndCloseOnDropHandle, FlushGuard, ForceFlushGuard, append_and_close,
};
use support::{Recorder, Req, ReqEntry};

type Guard = AppendAndCloseOnDrop<Req, Recorder<ReqEntry>>;

fn guard(ducks: u64) -> (Guard, Recorder<ReqEntry>) {
    let sink = Recorder::default();
    let g = append_and_close(
        Req {
            ducks,
            ..Req::default()
        },
        sink.clone(),
    );
    (g, sink)
}

fn ducks(sink: &Recorder<ReqEntry>) -> Vec<u64> {
    sink.take().into_iter().map(|e| e.ducks).collect()
}

#[test]
fn emits_once_without_promotion() {
    let (mut g, sink) = guard(1);
    g.ducks += 1;
    assert_eq!(sink.len(), 0);
    drop(g);
    assert_eq!(ducks(&sink), [2]);
}

#[test]
fn discard_without_promotion_emits_nothing() {
    let (g, sink) = guard(1);
    g.discard();
    assert_eq!(sink.len(), 0);
}

#[test]
fn discard_after_promotion_emits_nothing() {
    let (g, sink) = guard(1);
    let f1 = g.flush_guard();
    let f2 = g.flush_guard();
    let force = g.force_flush_guard();
    drop(f1);
    g.discard();
    drop(force);
    drop(f2);
    assert_eq!(sink.len(), 0);
}

#[test]
fn discard_after_promotion_then_guards_dropped_first() {
    let (g, sink) = guard(1);
    drop(g.flush_guard());
    g.discard();
    assert_eq!(sink.len(), 0);
}

#[test]
fn guard_outlives_parent_emits_at_guard_drop_with_latest_values() {
    let (mut g, sink) = guard(1);
    let f = g.flush_guard();
    g.ducks = 5;
    g.add(3);
    drop(g);
    assert_eq!(sink.len(), 0, "the flush guard delays emission");
    drop(f);
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].ducks, got[0].count), (5, 3));
}

#[test]
fn guard_dropped_before_parent_emits_at_parent_drop() {
    let (mut g, sink) = guard(1);
    let f = g.flush_guard();
    drop(f);
    assert_eq!(sink.len(), 0);
    g.ducks = 7;
    drop(g);
    assert_eq!(ducks(&sink), [7]);
}

#[test]
fn n_guards_emit_after_the_last() {
    let (g, sink) = guard(1);
    let guards: Vec<FlushGuard> = (0..5).map(|_| g.flush_guard()).collect();
    drop(g);
    for (i, f) in guards.into_iter().enumerate() {
        assert_eq!(sink.len(), 0, "emitted with {} guards left", 5 - i);
        drop(f);
    }
    assert_eq!(ducks(&sink), [1]);
}

#[test]
fn force_guard_overrides_outstanding_guards() {
    let (g, sink) = guard(1);
    let f = g.flush_guard();
    let force = g.force_flush_guard();
    g.add(2);
    drop(g);
    assert_eq!(sink.len(), 0);
    drop(force);
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].count, 2);
    // The outstanding flush guard is now a no-op.
    drop(f);
    assert_eq!(sink.len(), 0);
}

#[test]
fn force_guard_dropped_before_parent_emits_at_parent_drop() {
    let (mut g, sink) = guard(1);
    let f = g.flush_guard();
    drop(g.force_flush_guard());
    assert_eq!(sink.len(), 0);
    g.ducks = 9;
    drop(g);
    assert_eq!(
        ducks(&sink),
        [9],
        "emitted at parent drop despite the flush guard"
    );
    drop(f);
    assert_eq!(sink.len(), 0);
}

#[test]
fn holding_a_force_guard_does_not_delay_emission() {
    let (g, sink) = guard(1);
    let force = g.force_flush_guard();
    drop(g);
    assert_eq!(ducks(&sink), [1]);
    drop(force);
    assert_eq!(sink.len(), 0);
}

#[test]
fn handle_without_promotion_emits_on_last_handle_drop() {
    let (g, sink) = guard(1);
    let h = g.handle();
    let clones: Vec<_> = (0..3).map(|_| h.clone()).collect();
    drop(h);
    for c in &clones {
        c.add(1);
    }
    assert_eq!(sink.len(), 0);
    let mut clones = clones;
    let last = clones.pop().unwrap();
    drop(clones);
    assert_eq!(sink.len(), 0);
    drop(last);
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].count, 3);
}

#[test]
fn flush_guard_then_handle_emits_on_the_last_of_both() {
    // Handles last.
    let (g, sink) = guard(1);
    let f = g.flush_guard();
    let h = g.handle();
    drop(f);
    assert_eq!(sink.len(), 0);
    drop(h);
    assert_eq!(ducks(&sink), [1]);

    // Flush guard last.
    let (g, sink) = guard(2);
    let f = g.flush_guard();
    let h = g.handle();
    let h2 = h.clone();
    drop(h);
    drop(h2);
    assert_eq!(sink.len(), 0);
    drop(f);
    assert_eq!(ducks(&sink), [2]);
}

#[test]
fn deref_mut_mutations_after_promotion_are_reflected() {
    let (mut g, sink) = guard(0);
    let f = g.flush_guard();
    g.ducks += 10;
    let f2 = g.flush_guard();
    g.ducks += 1;
    drop(f);
    g.ducks += 1;
    drop(g);
    drop(f2);
    assert_eq!(ducks(&sink), [12]);
}

#[test]
fn emission_closes_at_emission_time() {
    // A value written through a clone of the data after the owner is gone is included.
    let (g, sink) = guard(0);
    let f = g.flush_guard();
    let h = g.handle();
    let h2 = h.clone();
    drop(h);
    h2.add(4);
    drop(h2);
    assert_eq!(sink.len(), 0);
    drop(f);
    assert_eq!(sink.take()[0].count, 4);
}

#[test]
fn emission_runs_on_the_thread_that_releases_last() {
    let (g, sink) = guard(3);
    let f = g.flush_guard();
    drop(g);
    let t = std::thread::spawn(move || {
        drop(f);
        std::thread::current().id()
    });
    let id = t.join().unwrap();
    assert_ne!(id, std::thread::current().id());
    assert_eq!(ducks(&sink), [3]);
}

#[test]
fn concurrent_first_flush_guard_promotes_once() {
    let (g, sink) = guard(1);
    let guards: Vec<FlushGuard> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4).map(|_| s.spawn(|| g.flush_guard())).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    drop(g);
    let last = guards.len() - 1;
    for (i, f) in guards.into_iter().enumerate() {
        assert_eq!(sink.len(), 0);
        drop(f);
        assert_eq!(sink.len(), usize::from(i == last));
    }
}

#[test]
fn types_are_send_sync_and_debug() {
    fn send_sync<T: Send + Sync + std::fmt::Debug>() {}
    send_sync::<FlushGuard>();
    send_sync::<ForceFlushGuard>();
    send_sync::<Guard>();
    send_sync::<AppendAndCloseOnDropHandle<Req, Recorder<ReqEntry>>>();
    fn unpin<T: Unpin>() {}
    unpin::<Guard>();
    unpin::<FlushGuard>();

    let (g, _sink) = guard(1);
    let f = g.flush_guard();
    let force = g.force_flush_guard();
    assert!(format!("{f:?}").starts_with("FlushGuard"));
    assert!(format!("{force:?}").starts_with("ForceFlushGuard"));
    assert!(format!("{g:?}").contains("ducks: 1"));
    let h = g.handle();
    assert!(format!("{h:?}").starts_with("AppendAndCloseOnDropHandle"));
}

/// `ForceFlushGuard` is `!Unpin`: this only compiles if `T: Unpin` is *not* implemented (the
/// "ambiguous impl" trick, as static_assertions does).
#[test]
fn force_flush_guard_is_not_unpin() {
    trait AmbiguousIfUnpin<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfUnpin<()> for T {}
    impl<T: ?Sized + Unpin> AmbiguousIfUnpin<u8> for T {}
    <ForceFlushGuard as AmbiguousIfUnpin<_>>::some_item();
}

//! `State<T>`: pinning, fresh clones, closing.
#![cfg(feature = "state")]

use std::sync::Arc;

use metrique_core::CloseValue;
use metrique_util::{LatestRef, State};

#[test]
fn first_snapshot_pins() {
    let state = State::new(1u64);
    assert_eq!(*state.snapshot(), 1);
    state.store(Arc::new(2));
    assert_eq!(*state.snapshot(), 1);
    assert_eq!(*state.latest(), 2);
}

#[test]
fn clone_is_a_fresh_unpinned_handle() {
    let state = State::new(1u64);
    let pinned = state.clone();
    assert_eq!(*pinned.snapshot(), 1);
    state.store(Arc::new(2));
    let fresh = pinned.clone();
    assert_eq!(*fresh.snapshot(), 2);
    assert_eq!(*pinned.snapshot(), 1);
    // Stores through any handle are shared.
    fresh.store(Arc::new(3));
    assert_eq!(*state.clone().snapshot(), 3);
    assert_eq!(*state.latest(), 3);
}

#[test]
fn unread_handle_pins_at_close() {
    let state = State::new(1u64);
    let request = state.clone();
    state.store(Arc::new(2));
    assert_eq!((&request).close(), 2);
    state.store(Arc::new(3));
    // Closing pinned the version it emitted.
    assert_eq!(request.close(), 2);
}

#[test]
fn closes_the_pinned_snapshot_not_the_latest() {
    let state = State::new(10u32);
    let request = state.clone();
    let _ = request.snapshot();
    state.store(Arc::new(20));
    assert_eq!(request.close(), 10);
}

/// A by-value closing struct, like a `#[metrics(subfield_owned)]` config.
#[derive(Clone, Debug, PartialEq)]
struct Config {
    version: u64,
    name: String,
}

impl CloseValue for Config {
    type Closed = (u64, String);
    fn close(self) -> (u64, String) {
        (self.version, self.name)
    }
}

#[test]
fn struct_state_closes_by_value() {
    let state = State::new(Config {
        version: 1,
        name: "a".into(),
    });
    let request = state.clone();
    state.store(Arc::new(Config {
        version: 2,
        name: "b".into(),
    }));
    assert_eq!(request.close(), (2, "b".to_owned()));
    assert_eq!(state.latest().to_arc().version, 2);
    assert!(format!("{state:?}").contains("version: 2"));
}

#[test]
fn handles_work_across_threads() {
    let state = State::new(0u64);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let s = state.clone();
            std::thread::spawn(move || {
                s.store(Arc::new(i));
                *s.snapshot()
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap() < 4);
    }
}

/// Compiles only if `LatestRef` is not `Send` (the call is ambiguous exactly when it is).
#[test]
fn latest_ref_is_not_send() {
    trait AmbiguousIfSend<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    <LatestRef<u64> as AmbiguousIfSend<_>>::check();
}

//! `Counter` and its scoped/owned guards.

use std::sync::Arc;

use metrique_core::{CloseValue, Counter};

#[test]
fn counts_through_shared_references() {
    let c = Counter::new(5);
    c.increment();
    c.add(10);
    assert_eq!((&c).close(), 16);
    c.set(2);
    assert_eq!(c.close(), 2);
    assert_eq!(Counter::default().close(), 0);
}

#[test]
fn counts_from_many_threads() {
    let c = Arc::new(Counter::new(0));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for _ in 0..1000 {
                    c.increment();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!((&*c).close(), 4000);
}

#[test]
fn scoped_guard_decrements_on_drop() {
    static IN_FLIGHT: Counter = Counter::new(0);
    let (a, n) = IN_FLIGHT.increment_scoped();
    assert_eq!(n, 1);
    let (b, n) = IN_FLIGHT.increment_scoped();
    assert_eq!(n, 2);
    assert_eq!((&a).close(), 2);
    drop(b);
    assert_eq!((&IN_FLIGHT).close(), 1);
    // The guard closes to the count it sees, then decrements as it drops.
    assert_eq!(a.close(), 1);
    assert_eq!((&IN_FLIGHT).close(), 0);
}

#[test]
fn guard_decrement_saturates_at_zero() {
    let c = Counter::new(0);
    let (guard, _) = c.increment_scoped();
    c.set(0);
    drop(guard);
    assert_eq!(c.get(), 0);
}

#[test]
fn owned_guard_moves_across_threads() {
    let c = Arc::new(Counter::new(0));
    let (g1, n1) = c.increment_owned();
    let (g2, n2) = c.increment_owned();
    assert_eq!((n1, n2), (1, 2));
    assert_eq!((&g1).close(), 2);
    std::thread::spawn(move || drop(g1)).join().unwrap();
    assert_eq!(c.get(), 1);
    assert_eq!(g2.close(), 1);
    assert_eq!(c.get(), 0);

    let (g, _) = c.increment_owned();
    c.set(0);
    drop(g);
    assert_eq!(c.get(), 0);
}

#[test]
fn debug_shows_the_value() {
    let c = Counter::new(3);
    assert!(format!("{c:?}").contains('3'));
    let (g, _) = c.increment_scoped();
    assert!(format!("{g:?}").contains('4'));
}

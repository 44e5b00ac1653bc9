//! `CloseValue` for std types: atomics, `Mutex`, `OnceLock`, smart pointers.

use std::borrow::Cow;
use std::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicU8, AtomicU16,
    AtomicU32, AtomicU64, AtomicUsize,
};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use metrique_core::{CloseValue, CloseValueRef, Counter};

fn close_ref<T: CloseValueRef + ?Sized>(v: &T) -> T::Closed {
    v.close_ref()
}

#[test]
fn atomics_close_to_their_value() {
    assert!(close_ref(&AtomicBool::new(true)));
    assert_eq!(close_ref(&AtomicU8::new(8)), 8u8);
    assert_eq!(close_ref(&AtomicU16::new(16)), 16u16);
    assert_eq!(close_ref(&AtomicU32::new(32)), 32u32);
    assert_eq!(close_ref(&AtomicU64::new(64)), 64u64);
    assert_eq!(close_ref(&AtomicUsize::new(7)), 7usize);
    assert_eq!(close_ref(&AtomicI8::new(-8)), -8i8);
    assert_eq!(close_ref(&AtomicI16::new(-16)), -16i16);
    assert_eq!(close_ref(&AtomicI32::new(-32)), -32i32);
    assert_eq!(close_ref(&AtomicI64::new(-64)), -64i64);
    assert_eq!(close_ref(&AtomicIsize::new(-1)), -1isize);
    assert_eq!(AtomicU64::new(3).close(), 3);
    assert_eq!(AtomicI64::new(-3).close(), -3);
    assert!(!AtomicBool::new(false).close());
}

#[test]
fn atomics_inside_arc_close_by_reference() {
    let shared = Arc::new(AtomicU64::new(1));
    let other = Arc::clone(&shared);
    other.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(shared.close(), 2);
}

#[test]
fn mutex_closes_its_value() {
    let m = Mutex::new(5u32);
    assert_eq!((&m).close(), Some(5));
    assert_eq!(m.close(), Some(5));
    let m = Mutex::new(Counter::new(2));
    assert_eq!((&m).close(), Some(2));
    let guard = m.lock().unwrap();
    assert_eq!((&guard).close(), 2);
    assert_eq!(guard.close(), 2);
}

fn poisoned<T: Send + 'static>(value: T) -> Arc<Mutex<T>> {
    let m = Arc::new(Mutex::new(value));
    let m2 = Arc::clone(&m);
    let _ = std::thread::spawn(move || {
        let _guard = m2.lock().unwrap();
        panic!("poison the mutex");
    })
    .join();
    assert!(m.is_poisoned());
    m
}

#[test]
fn poisoned_mutex_closes_to_none() {
    let m = poisoned(7u64);
    assert_eq!((&*m).close(), None);
    assert_eq!(m.close(), None);
    let m = Arc::into_inner(poisoned(7u64)).unwrap();
    assert_eq!(m.close(), None);
}

#[test]
fn once_lock_unset_is_none() {
    let lock: OnceLock<u64> = OnceLock::new();
    assert_eq!((&lock).close(), None);
    lock.set(9).unwrap();
    assert_eq!((&lock).close(), Some(9));
    assert_eq!((&&lock).close(), Some(9));
    assert_eq!(lock.close(), Some(9));
    assert_eq!(OnceLock::<u64>::new().close(), None);
}

#[test]
fn static_once_lock_of_string_borrows() {
    static INSTANCE_ID: OnceLock<String> = OnceLock::new();
    assert_eq!((&INSTANCE_ID).close(), None);
    INSTANCE_ID.set("i-123".to_owned()).unwrap();
    let closed: Option<&'static str> = (&INSTANCE_ID).close();
    assert_eq!(closed, Some("i-123"));
}

#[test]
fn once_lock_of_counter_closes_by_reference() {
    static REQUESTS: OnceLock<Counter> = OnceLock::new();
    REQUESTS.get_or_init(Counter::default).add(4);
    assert_eq!(close_ref(&REQUESTS), Some(4));
}

#[test]
fn plain_values_close_to_themselves() {
    assert!(true.close());
    assert_eq!((-5i32).close(), -5);
    assert_eq!((&2.5f64).close(), 2.5);
    assert_eq!(Duration::from_secs(1).close(), Duration::from_secs(1));
    assert_eq!(String::from("s").close(), "s");
    assert_eq!("x".close(), "x");
    assert_eq!((&Arc::<str>::from("a")).close(), Arc::<str>::from("a"));
    assert_eq!(Cow::Borrowed("c").close(), "c");
    assert_eq!(Some(3u8).close(), Some(3));
    assert_eq!((&None::<u8>).close(), None);
    assert_eq!(vec![1u64, 2].close(), vec![1, 2]);
    assert_eq!(Box::new(AtomicU32::new(6)).close(), 6);
    assert_eq!((&Box::new(4u16)).close(), 4);
}

#[test]
fn writer_wrappers_close_their_inner_value() {
    use metrique_writer::unit::{Millisecond, WithUnit};
    use metrique_writer::value::WithDimension;

    let v: WithUnit<Counter, Millisecond> = WithUnit::from(Counter::new(3));
    assert_eq!(*(&v).close(), 3);
    assert_eq!(v.close().into_inner(), 3);
    let d = WithDimension::new(AtomicU64::new(2), "Op", "Get");
    let closed = d.close();
    assert_eq!(*closed, 2);
    assert_eq!(closed.dimensions().collect::<Vec<_>>(), [("Op", "Get")]);
}

use std::time::{Duration, UNIX_EPOCH};

use super::fakes_impl::{ManuallyAdvancedTimeSource, StaticTimeSource};
use super::*;

fn at(secs: u64) -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn system_is_the_default() {
    assert!(matches!(time_source(), TimeSource::System));
    assert!(matches!(TimeSource::default(), TimeSource::System));
}

#[test]
fn thread_local_override_is_scoped_and_nests() {
    let outer = set_time_source(TimeSource::at_time(at(1)));
    assert_eq!(time_source().now(), at(1));
    {
        let _inner = set_time_source(TimeSource::at_time(at(2)));
        assert_eq!(time_source().now(), at(2));
    }
    assert_eq!(time_source().now(), at(1));
    drop(outer);
    assert!(matches!(time_source(), TimeSource::System));
}

#[test]
fn override_is_per_thread() {
    let _guard = set_time_source(TimeSource::at_time(at(5)));
    let other = std::thread::spawn(|| matches!(time_source(), TimeSource::System))
        .join()
        .unwrap();
    assert!(other);
    assert_eq!(time_source().now(), at(5));
}

#[test]
fn with_time_source_restores() {
    let seen = with_time_source(TimeSource::at_time(at(3)), || time_source().now());
    assert_eq!(seen, at(3));
    assert!(matches!(time_source(), TimeSource::System));
}

#[test]
fn explicit_source_wins() {
    let _guard = set_time_source(TimeSource::at_time(at(1)));
    assert_eq!(
        get_time_source(Some(TimeSource::at_time(at(9)))).now(),
        at(9)
    );
    assert_eq!(get_time_source(None).now(), at(1));
}

#[test]
fn static_source_is_frozen() {
    let ts = TimeSource::custom(StaticTimeSource::at_time(at(7)));
    let start = ts.instant();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(ts.system_time().as_std(), at(7));
    assert_eq!(ts.system_time().elapsed().unwrap(), Duration::ZERO);
}

#[test]
fn manual_source_moves_both_clocks() {
    let clock = ManuallyAdvancedTimeSource::at_time(at(10));
    let ts = TimeSource::from(clock.clone());
    let start = ts.instant();
    let wall = ts.system_time();
    clock.advance(Duration::from_millis(3));
    assert_eq!(start.elapsed(), Duration::from_millis(3));
    assert_eq!(wall.elapsed().unwrap(), Duration::from_millis(3));
    clock.update_time(at(12));
    assert_eq!(ts.now(), at(12));
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    clock.update_time(at(11));
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    let later = start.as_std() + Duration::from_secs(30);
    clock.update_instant(later);
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    assert_eq!(ts.now(), at(11));
}

/// Compiles only if the guard is neither `Send` nor `Sync` (the `static_assertions` trick: the
/// call is ambiguous exactly when the type implements the trait).
#[test]
fn guard_is_neither_send_nor_sync() {
    trait AmbiguousIfSend<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    trait AmbiguousIfSync<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfSync<()> for T {}
    impl<T: ?Sized + Sync> AmbiguousIfSync<u8> for T {}
    <ThreadLocalTimeSourceGuard as AmbiguousIfSend<_>>::check();
    <ThreadLocalTimeSourceGuard as AmbiguousIfSync<_>>::check();
}

#[cfg(feature = "tokio")]
mod tokio_tests {
    use super::*;
    use crate::timesource::tokio::{
        TokioTime, set_time_source_for_current_runtime, set_time_source_for_runtime,
    };

    #[test]
    fn runtime_override_applies_inside_that_runtime_only() {
        let rt = ::tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _guard = set_time_source_for_runtime(rt.handle(), TimeSource::at_time(at(4)));
        assert_eq!(rt.block_on(async { time_source().now() }), at(4));
        assert!(matches!(time_source(), TimeSource::System));
        // Thread-local beats runtime.
        let seen = rt.block_on(async {
            with_time_source(TimeSource::at_time(at(6)), || time_source().now())
        });
        assert_eq!(seen, at(6));
    }

    #[test]
    fn runtime_override_is_removed_on_drop() {
        let rt = ::tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let guard = set_time_source_for_current_runtime(TimeSource::at_time(at(8)));
            assert_eq!(time_source().now(), at(8));
            drop(guard);
            assert!(matches!(time_source(), TimeSource::System));
        });
    }

    #[test]
    #[should_panic(expected = "already installed")]
    fn second_runtime_override_panics() {
        let rt = ::tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _a = set_time_source_for_runtime(rt.handle(), TimeSource::System);
        let _b = set_time_source_for_runtime(rt.handle(), TimeSource::System);
    }

    #[test]
    fn tokio_time_follows_paused_clock() {
        let rt = ::tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            let ts = TimeSource::tokio(at(100));
            let start = ts.instant();
            ::tokio::time::advance(Duration::from_millis(250)).await;
            assert_eq!(start.elapsed(), Duration::from_millis(250));
            assert_eq!(ts.now(), at(100) + Duration::from_millis(250));
            let t = TokioTime::initialize_at(at(1));
            ::tokio::time::advance(Duration::from_secs(1)).await;
            assert_eq!(t.now(), at(2));
        });
    }
}

//! [`CloseValue`] for standard-library types.

use std::borrow::Cow;
use std::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicU8, AtomicU16,
    AtomicU32, AtomicU64, AtomicUsize, Ordering,
};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime};

use metrique_writer::unit::WithUnit;
use metrique_writer::value::{Distribution, ForceFlag, Mean, WithDimensions};

use super::{CloseValue, CloseValueRef};

/// Types that close to themselves, by value and by reference.
macro_rules! identity {
    ($($t:ty),*) => {$(
        impl CloseValue for $t {
            type Closed = $t;
            #[inline(always)]
            fn close(self) -> $t { self }
        }
        impl CloseValue for &$t {
            type Closed = $t;
            #[inline(always)]
            fn close(self) -> $t { *self }
        }
    )*};
}
identity!(
    bool,
    u8,
    u16,
    u32,
    u64,
    usize,
    i8,
    i16,
    i32,
    i64,
    isize,
    f32,
    f64,
    Duration,
    SystemTime,
    metrique_writer::Observation
);

impl CloseValue for String {
    type Closed = String;
    #[inline]
    fn close(self) -> String {
        self
    }
}

impl<'a> CloseValue for &'a str {
    type Closed = &'a str;
    #[inline(always)]
    fn close(self) -> &'a str {
        self
    }
}

impl<'a> CloseValue for &&'a str {
    type Closed = &'a str;
    #[inline(always)]
    fn close(self) -> &'a str {
        self
    }
}

impl CloseValue for Arc<str> {
    type Closed = Arc<str>;
    #[inline]
    fn close(self) -> Arc<str> {
        self
    }
}

impl CloseValue for &Arc<str> {
    type Closed = Arc<str>;
    #[inline]
    fn close(self) -> Arc<str> {
        self.clone()
    }
}

impl CloseValue for Arc<String> {
    type Closed = Arc<String>;
    #[inline]
    fn close(self) -> Arc<String> {
        self
    }
}

impl CloseValue for &Arc<String> {
    type Closed = Arc<String>;
    #[inline]
    fn close(self) -> Arc<String> {
        self.clone()
    }
}

impl<'a, T: ToOwned + ?Sized + 'a> CloseValue for Cow<'a, T> {
    type Closed = Cow<'a, T>;
    #[inline]
    fn close(self) -> Cow<'a, T> {
        self
    }
}

impl<T: CloseValue> CloseValue for Option<T> {
    type Closed = Option<T::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.map(CloseValue::close)
    }
}

impl<'a, T> CloseValue for &'a Option<T>
where
    &'a T: CloseValue,
{
    type Closed = Option<<&'a T as CloseValue>::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.as_ref().map(CloseValue::close)
    }
}

impl<T: CloseValue> CloseValue for Vec<T> {
    type Closed = Vec<T::Closed>;
    fn close(self) -> Self::Closed {
        self.into_iter().map(CloseValue::close).collect()
    }
}

impl<T: CloseValue> CloseValue for Box<T> {
    type Closed = T::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (*self).close()
    }
}

impl<'a, T: ?Sized> CloseValue for &'a Box<T>
where
    &'a T: CloseValue,
{
    type Closed = <&'a T as CloseValue>::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (**self).close()
    }
}

/// An `Arc<T>` closes by reference (others may still hold it).
impl<T: CloseValueRef + ?Sized> CloseValue for Arc<T> {
    type Closed = T::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (*self).close_ref()
    }
}

impl<T: CloseValueRef + ?Sized> CloseValue for &Arc<T> {
    type Closed = T::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (**self).close_ref()
    }
}

/// Std atomics close to their current value: by reference with a `Relaxed` load (other threads
/// may still write), by value with `into_inner`.
macro_rules! atomic {
    ($($atomic:ty => $t:ty),* $(,)?) => {$(
        impl CloseValue for $atomic {
            type Closed = $t;
            #[inline]
            fn close(self) -> $t {
                self.into_inner()
            }
        }
        impl CloseValue for &$atomic {
            type Closed = $t;
            #[inline]
            fn close(self) -> $t {
                self.load(Ordering::Relaxed)
            }
        }
    )*};
}
atomic!(
    AtomicBool => bool,
    AtomicU8 => u8,
    AtomicU16 => u16,
    AtomicU32 => u32,
    AtomicU64 => u64,
    AtomicUsize => usize,
    AtomicI8 => i8,
    AtomicI16 => i16,
    AtomicI32 => i32,
    AtomicI64 => i64,
    AtomicIsize => isize,
);

/// A `Mutex<T>` closes to `Some(closed T)`, or `None` if the mutex is poisoned (a thread
/// panicked while holding it, so the value may be half-written).
impl<T: CloseValue> CloseValue for Mutex<T> {
    type Closed = Option<T::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.into_inner().ok().map(CloseValue::close)
    }
}

/// Locks the mutex for the duration of the close; `None` if it is poisoned.
impl<T: CloseValueRef + ?Sized> CloseValue for &Mutex<T> {
    type Closed = Option<T::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.lock().ok().map(|guard| guard.close_ref())
    }
}

/// A held lock closes its value by reference.
impl<T: CloseValueRef + ?Sized> CloseValue for MutexGuard<'_, T> {
    type Closed = T::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (*self).close_ref()
    }
}

impl<T: CloseValueRef + ?Sized> CloseValue for &MutexGuard<'_, T> {
    type Closed = T::Closed;
    #[inline]
    fn close(self) -> Self::Closed {
        (**self).close_ref()
    }
}

/// A `OnceLock<T>` closes to `Some(closed T)`, or `None` if it was never set.
impl<T: CloseValue> CloseValue for OnceLock<T> {
    type Closed = Option<T::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.into_inner().map(CloseValue::close)
    }
}

/// By reference (this also covers `&'static OnceLock<T>` fields): `None` if unset.
impl<'a, T> CloseValue for &'a OnceLock<T>
where
    &'a T: CloseValue,
{
    type Closed = Option<<&'a T as CloseValue>::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.get().map(CloseValue::close)
    }
}

/// A process-wide `&'static OnceLock<String>` closes to the `&'static str` inside, without
/// copying (there is deliberately no `CloseValue for &String`: a borrowed `String` field of a
/// by-reference struct would have to be copied at every close).
impl CloseValue for &'static OnceLock<String> {
    type Closed = Option<&'static str>;
    #[inline]
    fn close(self) -> Option<&'static str> {
        self.get().map(String::as_str)
    }
}

impl<'a, T> CloseValue for &&'a OnceLock<T>
where
    &'a T: CloseValue,
{
    type Closed = Option<<&'a T as CloseValue>::Closed>;
    #[inline]
    fn close(self) -> Self::Closed {
        (*self).close()
    }
}

/// Closes the wrapped value, keeping the dimensions.
impl<V: CloseValue, const N: usize> CloseValue for WithDimensions<V, N> {
    type Closed = WithDimensions<V::Closed, N>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.map_value(CloseValue::close)
    }
}

/// Closes the wrapped value, keeping the flag.
impl<T: CloseValue, F> CloseValue for ForceFlag<T, F> {
    type Closed = ForceFlag<T::Closed, F>;
    #[inline]
    fn close(self) -> Self::Closed {
        self.map_value(CloseValue::close)
    }
}

impl<T: CloseValueRef, F> CloseValue for &ForceFlag<T, F> {
    type Closed = ForceFlag<T::Closed, F>;
    #[inline]
    fn close(self) -> Self::Closed {
        ForceFlag::from((**self).close_ref())
    }
}

/// Closes the wrapped value, keeping the unit.
impl<V: CloseValue, U> CloseValue for WithUnit<V, U> {
    type Closed = WithUnit<V::Closed, U>;
    #[inline]
    fn close(self) -> Self::Closed {
        WithUnit::from(self.into_inner().close())
    }
}

impl<V: CloseValueRef, U> CloseValue for &WithUnit<V, U> {
    type Closed = WithUnit<V::Closed, U>;
    #[inline]
    fn close(self) -> Self::Closed {
        WithUnit::from((**self).close_ref())
    }
}

/// A distribution is already inert: it closes to itself. (No by-reference impl: it would copy
/// every value; close it by value, or use `Mean` in by-reference subfields.)
#[diagnostic::do_not_recommend]
impl<V, const N: usize> CloseValue for Distribution<V, N> {
    type Closed = Self;
    #[inline]
    fn close(self) -> Self {
        self
    }
}

/// A mean is already inert: it closes to itself, by value and by reference.
#[diagnostic::do_not_recommend]
impl<U> CloseValue for Mean<U> {
    type Closed = Self;
    #[inline]
    fn close(self) -> Self {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<U> CloseValue for &Mean<U> {
    type Closed = Mean<U>;
    #[inline]
    fn close(self) -> Mean<U> {
        *self
    }
}

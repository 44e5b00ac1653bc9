//! [`CloseValue`] for standard-library types.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

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

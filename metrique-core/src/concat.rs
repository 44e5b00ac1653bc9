//! Compile-time string concatenation for prefixed metric names.
//!
//! A flattened child's names are `prefix chain + field name`, where both parts are known at
//! compile time but meet only through generic types. [`Concat`] joins two [`ConstStr`]s in a
//! `const` so the result is a `&'static str` baked into the binary: no name is built at run time.
//! Names up to 2048 bytes are supported (longer ones fail to compile; CloudWatch caps metric
//! names at 1024 bytes in its clients and 255 in its schema).

use std::marker::PhantomData;

/// A string known at compile time.
pub trait ConstStr {
    /// The string.
    const VALUE: &'static str;
}

/// The empty string.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyConstStr;

impl ConstStr for EmptyConstStr {
    const VALUE: &'static str = "";
}

/// `A` followed by `B`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Concat<A, B>(PhantomData<(A, B)>);

#[doc(hidden)]
#[derive(Debug)]
pub struct Buf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

const SMALL: usize = 128;
const LARGE: usize = 2048;

const fn concat_buf<const N: usize>(a: &str, b: &str) -> Buf<N> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len() + b.len();
    assert!(len <= N, "metric name longer than 2048 bytes");
    let mut bytes = [0u8; N];
    let mut i = 0;
    while i < a.len() {
        bytes[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        bytes[i + j] = b[j];
        j += 1;
    }
    Buf { bytes, len }
}

const fn as_str<const N: usize>(buf: &'static Buf<N>) -> &'static str {
    match std::str::from_utf8(buf.bytes.split_at(buf.len).0) {
        Ok(s) => s,
        Err(_) => panic!("concatenation of two str is valid UTF-8"),
    }
}

trait Bufs {
    const LEN: usize;
    const SMALL: Buf<SMALL>;
    const LARGE: Buf<LARGE>;
}

impl<A: ConstStr, B: ConstStr> Bufs for Concat<A, B> {
    const LEN: usize = A::VALUE.len() + B::VALUE.len();
    // Only the buffer that fits is filled, so short names cost 128 bytes of rodata, not 2048.
    const SMALL: Buf<SMALL> = if Self::LEN <= SMALL {
        concat_buf(A::VALUE, B::VALUE)
    } else {
        concat_buf("", "")
    };
    const LARGE: Buf<LARGE> = if Self::LEN <= SMALL {
        concat_buf("", "")
    } else {
        concat_buf(A::VALUE, B::VALUE)
    };
}

impl<A: ConstStr, B: ConstStr> ConstStr for Concat<A, B> {
    const VALUE: &'static str = if A::VALUE.is_empty() {
        B::VALUE
    } else if B::VALUE.is_empty() {
        A::VALUE
    } else if <Self as Bufs>::LEN <= SMALL {
        as_str(&<Self as Bufs>::SMALL)
    } else {
        as_str(&<Self as Bufs>::LARGE)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    struct A;
    impl ConstStr for A {
        const VALUE: &'static str = "prefix_";
    }
    struct B;
    impl ConstStr for B {
        const VALUE: &'static str = "field";
    }
    struct Long;
    impl ConstStr for Long {
        const VALUE: &'static str = "a_name_segment_that_is_rather_long_and_repeats_a_name_segment_that_is_rather_long_and_repeats_";
    }

    #[test]
    fn concatenates_at_compile_time() {
        assert_eq!(<Concat<A, B>>::VALUE, "prefix_field");
        assert_eq!(<Concat<EmptyConstStr, B>>::VALUE, "field");
        assert_eq!(<Concat<A, EmptyConstStr>>::VALUE, "prefix_");
        let long = <Concat<Concat<Long, Long>, B>>::VALUE;
        assert_eq!(long.len(), 2 * Long::VALUE.len() + 5);
        assert!(long.ends_with("repeats_field"));
    }
}

//! Floats as JSON number text: the shortest decimal that reads back as the same `f64`, in plain
//! notation (see the [parent module](super)). Values with at most nine decimals are written from
//! their integer scaling; the rest goes through zmij, which gives the same shortest digits as
//! `ryu`. (Durations usually skip the float altogether: see `duration.rs`.)

use super::digits::eight_digit_values;
use super::{push_i64, push_u64};

/// Clamps ±∞ to ±`f64::MAX`; returns `None` for NaN.
#[inline]
pub(crate) fn finite(v: f64) -> Option<f64> {
    if v.is_finite() {
        Some(v)
    } else if v.is_nan() {
        None
    } else if v > 0.0 {
        Some(f64::MAX)
    } else {
        Some(f64::MIN)
    }
}

/// Appends a finite float in plain decimal notation (see the module docs). Non-finite input is
/// clamped (NaN is written as `0`; callers filter NaN before).
#[inline]
pub(crate) fn push_f64(buf: &mut Vec<u8>, v: f64) {
    let a = v.abs();
    // The usual metric value: 1e-4 <= |v| < 1e15. Integral values there are exact as `i64`
    // (cheaper than `trunc`, a libm call without SSE4.1); the others print in zmij's fixed
    // notation (decimal exponents -5..=15), which never ends in `.0` for a non-integer, so
    // the text is used as is.
    if (1e-4..1e15).contains(&a) {
        #[allow(clippy::cast_possible_truncation)] // |v| < 1e15
        let i = v as i64;
        #[allow(clippy::cast_precision_loss, clippy::float_cmp)] // exact: |i| < 2^53
        if i as f64 == v {
            push_i64(buf, i);
        } else if !push_nine_decimals(buf, v, a) {
            buf.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        }
        return;
    }
    push_f64_general(buf, v);
}

/// Writes `v` (`a = |v|`, not an integer) as plain decimal text if it has at most nine
/// decimals and `a < 1e6`, and returns whether it did.
///
/// `n`, the integer nearest `a · 10⁹`, has at most 15 digits; if `n / 10⁹` reads back as `a`
/// (the division is correctly rounded, like a parser), that decimal is the shortest text
/// reading back as `a`: no two decimals of at most 15 significant digits read back as the same
/// `f64` (`DBL_DIG`), so the shortest round-trip digits zmij finds are these, at about a third
/// of zmij's cost. Durations in milliseconds (`nanos / 1e6`) that reach a float writer (sampled
/// entries, boxed writers) take this path.
#[inline]
fn push_nine_decimals(buf: &mut Vec<u8>, v: f64, a: f64) -> bool {
    const SCALE: u64 = 1_000_000_000;
    if !(1e-9..1e6).contains(&a) {
        return false;
    }
    // a · 10⁹ < 10¹⁵ < 2⁵³: the conversions below are exact (through `i64`, a single
    // instruction each way).
    #[allow(clippy::cast_possible_truncation)]
    let n = (a * 1e9 + 0.5) as i64;
    #[allow(clippy::cast_precision_loss, clippy::float_cmp)]
    if n as f64 / 1e9 != a {
        return false;
    }
    #[allow(clippy::cast_sign_loss)] // n >= 1
    let n = n as u64;
    if v < 0.0 {
        buf.push(b'-');
    }
    push_u64(buf, n / SCALE);
    // The nine decimals: the first, then eight from one register, trailing zeros dropped
    // (the highest zero bytes: the last digit is in the highest byte). `v` is not an integer,
    // so `frac > 0` and a non-zero digit stays.
    #[allow(clippy::cast_possible_truncation)] // below 10^9
    let frac = (n % SCALE) as u32;
    let (top, low) = (frac / 100_000_000, eight_digit_values(frac % 100_000_000));
    let kept = 8 - (low.leading_zeros() / 8) as usize;
    #[allow(clippy::cast_possible_truncation)] // one digit
    let head = [b'.', b'0' + top as u8];
    let end = buf.len() + 2 + kept;
    buf.extend_from_slice(&head);
    buf.extend_from_slice(&(low | 0x3030_3030_3030_3030).to_le_bytes());
    buf.truncate(end);
    true
}

/// [`push_f64`] outside the usual range: zero, tiny and huge magnitudes, non-finite input.
#[cold]
fn push_f64_general(buf: &mut Vec<u8>, v: f64) {
    let v = finite(v).unwrap_or(0.0);
    #[allow(clippy::float_cmp)] // exact integrality test
    if v.trunc() == v && v.abs() < 1e15 {
        if v == 0.0 && v.is_sign_negative() {
            buf.extend_from_slice(b"-0");
        } else {
            #[allow(clippy::cast_possible_truncation)] // |v| < 1e15 and integral
            push_i64(buf, v as i64);
        }
        return;
    }
    if push_nine_decimals(buf, v, v.abs()) {
        return;
    }
    // zmij: the same shortest round-trip digits as ryu, in about a third of the instructions.
    let mut b = zmij::Buffer::new();
    let s = b.format_finite(v).as_bytes();
    match s.iter().position(|&c| c == b'e') {
        None => buf.extend_from_slice(s.strip_suffix(b".0").unwrap_or(s)),
        Some(e) => expand_exponent(buf, &s[..e], &s[e + 1..]),
    }
}

/// Writes `mantissa × 10^exp` (scientific form: one digit, optional `.digits`; the exponent
/// with an optional sign and leading zeros, e.g. `e-7`, `e+21`, `e-07`) in plain decimal
/// notation.
#[cold]
fn expand_exponent(buf: &mut Vec<u8>, mantissa: &[u8], exp: &[u8]) {
    let (neg, mantissa) = match mantissa.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, mantissa),
    };
    let (exp_neg, exp_digits) = match exp.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, exp),
    };
    let exp_abs = exp_digits
        .iter()
        .fold(0usize, |acc, &d| acc * 10 + usize::from(d - b'0'));
    if neg {
        buf.push(b'-');
    }
    // Digits without the decimal point; ryu puts exactly one digit before it.
    let first = mantissa[0];
    let frac = mantissa.get(2..).unwrap_or(&[]);
    if exp_neg {
        buf.extend_from_slice(b"0.");
        buf.resize(buf.len() + exp_abs - 1, b'0');
        buf.push(first);
        buf.extend_from_slice(frac);
    } else {
        buf.push(first);
        if frac.len() <= exp_abs {
            buf.extend_from_slice(frac);
            buf.resize(buf.len() + exp_abs - frac.len(), b'0');
        } else {
            buf.extend_from_slice(&frac[..exp_abs]);
            buf.push(b'.');
            buf.extend_from_slice(&frac[exp_abs..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::json_encode::tests::xorshift;

    fn f(v: f64) -> String {
        let mut b = Vec::new();
        push_f64(&mut b, v);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn floats_match_dtoa_for_ordinary_values_and_never_use_exponents() {
        assert_eq!(f(0.003024), "0.003024");
        assert_eq!(f(142.857_142_857_142_86), "142.85714285714286");
        assert_eq!(f(42.0), "42");
        assert_eq!(f(-42.5), "-42.5");
        assert_eq!(f(0.0), "0");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(1e-7), "0.0000001");
        assert_eq!(f(1.5e-7), "0.00000015");
        assert_eq!(f(1e21), "1000000000000000000000");
        assert_eq!(f(1.25e16), "12500000000000000");
        assert_eq!(f(1e15), "1000000000000000");
        assert_eq!(f(123_456_789.125), "123456789.125");
        assert_eq!(f(f64::INFINITY), f(f64::MAX));
        assert_eq!(f(f64::MAX).len(), 309);
        assert_eq!(
            f(f64::MIN_POSITIVE).parse::<f64>().unwrap(),
            f64::MIN_POSITIVE
        );
        for v in [1e-300, 3.3e-5, 7.77e22, 1.0 / 3.0, 2.5e-10, 9.999_999e15] {
            assert_eq!(f(v).parse::<f64>().unwrap(), v, "{v}");
            assert!(!f(v).contains('e'));
        }
    }

    /// The next `f64` away from zero.
    fn next_up(v: f64) -> f64 {
        f64::from_bits(v.to_bits() + 1)
    }

    /// The text `push_f64` wrote with ryu (metrique 0.1.33 wrote these with dtoa).
    fn f_ryu(v: f64) -> String {
        let v = finite(v).unwrap_or(0.0);
        let mut buf = Vec::new();
        #[allow(clippy::float_cmp)]
        if v.trunc() == v && v.abs() < 1e15 {
            if v == 0.0 && v.is_sign_negative() {
                return "-0".into();
            }
            #[allow(clippy::cast_possible_truncation)]
            push_i64(&mut buf, v as i64);
        } else {
            let mut b = ryu::Buffer::new();
            let s = b.format_finite(v).as_bytes();
            match s.iter().position(|&c| c == b'e') {
                None => buf.extend_from_slice(s.strip_suffix(b".0").unwrap_or(s)),
                Some(e) => expand_exponent(&mut buf, &s[..e], &s[e + 1..]),
            }
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn floats_are_written_as_before_with_ryu() {
        // Every binade, both signs, and values around the notation switches.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            let v = f64::from_bits(xorshift(&mut x));
            if v.is_finite() {
                assert_eq!(f(v), f_ryu(v), "{v:e} ({:#x})", v.to_bits());
            }
        }
        for e in -30..=30 {
            for m in [1.0, 1.5, 9.999_999_999_999_9, 2.0 / 3.0, 123_456.789] {
                let v = m * 10f64.powi(e);
                assert_eq!(f(v), f_ryu(v), "{v:e}");
                assert_eq!(f(-v), f_ryu(-v), "{v:e}");
            }
        }
        for i in 0..100_000u32 {
            let v = f64::from(i) / 7.0;
            assert_eq!(f(v), f_ryu(v), "{v}");
            let ms = f64::from(i) * 1e-6;
            assert_eq!(f(ms), f_ryu(ms), "{ms}");
        }
        // Decimals of up to nine places and up to 15 digits (the short path), and their
        // neighbours one ulp away (zmij's): durations in ms, as `#[metrics]` timers write them,
        // and `m / 10^k` at every scale.
        for _ in 0..200_000 {
            let r = xorshift(&mut x);
            let nanos = r % 10_000_000_000_000;
            #[allow(clippy::cast_precision_loss)]
            let ms = nanos as f64 / 1e6;
            #[allow(clippy::cast_possible_truncation)]
            let k = (r >> 50) as i32 % 12;
            #[allow(clippy::cast_precision_loss)]
            let dec = (r % 1_000_000_000_000_000) as f64 / 10f64.powi(k);
            for v in [ms, dec, next_up(ms), next_up(dec), -dec] {
                assert_eq!(f(v), f_ryu(v), "{v:e} ({:#x})", v.to_bits());
            }
        }
        for v in [
            1e-9,
            1.5e-9,
            999_999.999_999_999,
            999_999.999_999_999_9,
            123.000_000_001,
        ] {
            assert_eq!(f(v), f_ryu(v), "{v:e}");
        }
        for v in [
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            1e15 + 0.5,
            1e16,
            1e-5,
            1e-4,
            1.000_000_000_000_000_2e-4,
            9.999_999_999_999_999e-5,
            999_999_999_999_999.9,
            999_999_999_999_999.0,
            -999_999_999_999_999.9,
            1e15 - 0.125,
            0.1,
            -0.5,
            4_503_599_627_370_495.5,
        ] {
            assert_eq!(f(v), f_ryu(v), "{v:e}");
        }
    }
}

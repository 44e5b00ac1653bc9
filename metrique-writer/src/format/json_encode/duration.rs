//! Durations in milliseconds as JSON number text, from their integer nanoseconds.
//!
//! A [`Duration`] is written as the `f64` `nanos / 10⁶` (see `Value for Duration`), in the
//! shortest text that reads back as that float ([`push_f64`]). Below 10¹⁵ ns (about 11.5 days)
//! that text is the exact decimal `nanos / 10⁶` with its trailing zeros dropped: the decimal has
//! at most 15 significant digits, the float nearest to it is the value written, and no other
//! decimal of at most 15 significant digits reads back as the same float (`DBL_DIG`), so no
//! shorter text does either. Writing the decimal from the integers skips the two float
//! divisions (`nanos / 10⁶`, then the round-trip check of [`push_f64`]).

use std::time::Duration;

use super::digits::eight_digit_values;
use super::{push_f64, push_u64};
use crate::value::millis_f64;

/// Appends `d` in milliseconds: the same bytes as [`push_f64`] of `millis_f64(d)`.
#[inline]
pub(crate) fn push_duration_millis(buf: &mut Vec<u8>, d: Duration) {
    /// 10¹⁵ ns: from here the decimal may need 16 significant digits (see the module docs).
    const EXACT_SECS: u64 = 1_000_000;
    if d.as_secs() >= EXACT_SECS {
        return push_f64(buf, millis_f64(&d));
    }
    let nanos = d.as_secs() * 1_000_000_000 + u64::from(d.subsec_nanos());
    push_u64(buf, nanos / 1_000_000);
    #[allow(clippy::cast_possible_truncation)] // below 10⁶
    let frac = (nanos % 1_000_000) as u32;
    if frac == 0 {
        return;
    }
    // Six decimals, as eight digit values of `frac · 100` (the last two are zeros), trailing
    // zeros dropped: they are the highest zero bytes, and `frac > 0` keeps a non-zero digit.
    let digits = eight_digit_values(frac * 100);
    let kept = 8 - (digits.leading_zeros() / 8) as usize;
    let end = buf.len() + 1 + kept;
    buf.push(b'.');
    buf.extend_from_slice(&(digits | 0x3030_3030_3030_3030).to_le_bytes());
    buf.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::json_encode::tests::xorshift;

    fn both(d: Duration) -> (String, String) {
        let (mut fast, mut float) = (Vec::new(), Vec::new());
        push_duration_millis(&mut fast, d);
        push_f64(&mut float, millis_f64(&d));
        (
            String::from_utf8(fast).expect("ascii"),
            String::from_utf8(float).expect("ascii"),
        )
    }

    #[test]
    fn durations_read_as_the_float_text_of_their_milliseconds() {
        let fixed = [
            (Duration::ZERO, "0"),
            (Duration::from_nanos(1), "0.000001"),
            (Duration::from_nanos(5), "0.000005"),
            (Duration::from_nanos(120), "0.00012"),
            (Duration::from_nanos(999_999), "0.999999"),
            (Duration::from_millis(1), "1"),
            (Duration::from_nanos(1_500_000), "1.5"),
            (Duration::from_nanos(12_345_678), "12.345678"),
            (Duration::from_secs(3_600), "3600000"),
            (Duration::new(999_999, 999_999_999), "999999999.999999"),
        ];
        for (d, text) in fixed {
            let (fast, float) = both(d);
            assert_eq!(fast, text, "{d:?}");
            assert_eq!(fast, float, "{d:?}");
        }
    }

    #[test]
    fn random_durations_of_every_magnitude_match_the_float_path() {
        let mut x = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            let r = xorshift(&mut x);
            // Nanoseconds of 1 to 17 digits, so both sides of 10¹⁵ ns are covered.
            let digits = 1 + (r % 17) as u32;
            let nanos = xorshift(&mut x) % 10u64.pow(digits);
            let d = Duration::from_nanos(nanos);
            let (fast, float) = both(d);
            assert_eq!(fast, float, "{d:?}");
        }
    }
}

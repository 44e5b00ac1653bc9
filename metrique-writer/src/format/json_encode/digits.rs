//! Fixed-width decimal digits computed in a register (SWAR: several digits per multiply), for
//! the number writers of the parent module.
//!
//! The digits come out as ASCII in one integer, first digit in the lowest byte, so they are
//! stored with one little-endian store straight from the register. Building them byte by byte
//! in a stack array and copying that would read back narrow stores with one wide load, which
//! the store buffer cannot forward: a stall of a dozen cycles per number.

/// `0x30` in every byte: digit values to ASCII.
const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// The eight decimal digits of `v` (`v < 10⁸`, leading zeros included) as values `0..=9`, first
/// digit in the lowest byte.
#[inline(always)]
pub(super) const fn eight_digit_values(v: u32) -> u64 {
    // Two lanes of 32 bits: the high four digits in the low lane (they come first).
    let x = (v / 10_000) as u64 | (((v % 10_000) as u64) << 32);
    // Each lane n < 10⁴ → n / 100 | (n % 100) << 16. `n * 10_486 >> 20` is `n / 100` for
    // every n < 10⁴ (10_486 / 2²⁰ exceeds 1/100 by less than 1/(100 · 10⁴)), and stays
    // below 2³² (no carry into the next lane).
    let h = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let x = h | ((x - h * 100) << 16);
    // Each 16-bit lane m < 100 → m / 10 | (m % 10) << 8, with `m * 103 >> 10` = `m / 10`
    // for m < 100 (and below 2¹⁶).
    let h = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    h | ((x - h * 10) << 8)
}

/// The eight decimal digits of `v` (`v < 10⁸`, leading zeros included) in ASCII, first digit
/// in the lowest byte.
#[inline(always)]
pub(super) const fn eight_digits(v: u32) -> u64 {
    eight_digit_values(v) | ASCII_ZEROS
}

/// The four decimal digits of `v` (`v < 10⁴`, leading zeros included) in ASCII, first digit in
/// the lowest byte.
#[inline(always)]
pub(super) const fn four_digits(v: u32) -> u32 {
    // `v * 5_243 >> 19` is `v / 100` for every v < 10⁴ (as in `eight_digit_values`).
    let h = (v * 5_243) >> 19;
    let x = h | ((v - h * 100) << 16);
    let h = ((x * 103) >> 10) & 0x000f_000f;
    (h | ((x - h * 10) << 8)) | 0x3030_3030
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_for_every_value_matches_format() {
        // Every value below 10⁸ would take a while in debug builds: every value below 10⁶
        // and every multiple of 97 above, which covers each lane's full range.
        let values = (0..1_000_000).chain((1_000_000..100_000_000).step_by(97));
        for v in values.chain([99_999_999, 10_000_000, 9_999_999]) {
            let text = format!("{v:08}");
            assert_eq!(&eight_digits(v).to_le_bytes(), text.as_bytes(), "{v}");
        }
    }

    #[test]
    fn the_reciprocal_multiplications_divide_exactly_in_range() {
        for n in 0..10_000u64 {
            assert_eq!((n * 10_486) >> 20, n / 100, "{n}");
            assert_eq!((n * 5_243) >> 19, n / 100, "{n}");
        }
        for m in 0..100u64 {
            assert_eq!((m * 103) >> 10, m / 10, "{m}");
        }
    }

    #[test]
    fn four_digits_for_every_value_matches_format() {
        for v in 0..10_000 {
            let text = format!("{v:04}");
            assert_eq!(&four_digits(v).to_le_bytes(), text.as_bytes(), "{v}");
        }
    }
}

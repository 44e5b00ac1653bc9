//! JSON encoding primitives shared by the EMF and JSON formats: string escaping, integers,
//! floats, and list elements.
//!
//! Everything appends to a `Vec<u8>` that the caller reuses across entries, so encoding never
//! allocates once the buffer has grown to its working size.
//!
//! - Strings are escaped exactly like `serde_json` (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
//!   other control characters as `\u00xx`; everything else, including non-ASCII, verbatim). Names
//!   and values rarely need escaping, so the common case checks 8 bytes at a time and copies the
//!   whole string with one `extend_from_slice`.
//! - Integers go through `itoa`.
//! - Floats are written as the shortest decimal that round-trips (the digits `ryu` gives; see
//!   [`float`] for how they are found), **never** in scientific
//!   notation, and with a trailing `.0` removed (`42.0` → `42`). For ordinary magnitudes this is
//!   the text metrique 0.1.33 produces with `dtoa` (`0.003024`, `142.85714285714286`); where
//!   `dtoa` would switch to an exponent (`1e-7`, `1e21`) the exponent is expanded (`0.0000001`,
//!   `1000000000000000000000`).

use crate::unit::Unit;
use crate::validate::ValidationError;
use crate::value::{MetricFlags, Observation, Value, ValueWriter};

mod digits;
mod duration;
mod float;

pub(crate) use duration::push_duration_millis;
pub(crate) use float::{finite, push_f64};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `x` (and possibly of bytes after one).
#[inline(always)]
const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// `ESCAPE[b]` is 0 if byte `b` is written verbatim, otherwise the character after the `\`
/// (`u` for `\u00xx`).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// True if `s` contains a byte that JSON strings must escape.
#[inline]
pub(crate) fn needs_escape(s: &[u8]) -> bool {
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        if escape_mask(x) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| ESCAPE[b as usize] != 0)
}

/// Appends the escaped contents of `s` (without quotes).
#[inline(always)]
pub(crate) fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let n = bytes.len();
    // Short strings (most names and property values): two overlapping loads cover the whole
    // string and are checked 8 bytes at a time; each is stored straight from its register, the
    // second overlapping the first: no byte loop, no `memcpy` call. Not through a stack array:
    // a wide load of narrower stores just made cannot be forwarded from the store buffer and
    // stalls (perf showed it on most string values).
    if (8..=16).contains(&n) {
        let (lo, hi) = (u64_at(bytes, 0), u64_at(bytes, n - 8));
        if escape_mask(lo) | escape_mask(hi) == 0 {
            let len = buf.len();
            buf.extend_from_slice(&lo.to_le_bytes());
            buf.truncate(len + n - 8);
            buf.extend_from_slice(&hi.to_le_bytes());
            return;
        }
    } else if (4..8).contains(&n) {
        let (lo, hi) = (u32_at(bytes, 0), u32_at(bytes, n - 4));
        if escape_mask(u64::from(lo) | (u64::from(hi) << 32)) == 0 {
            let len = buf.len();
            buf.extend_from_slice(&lo.to_le_bytes());
            buf.truncate(len + n - 4);
            buf.extend_from_slice(&hi.to_le_bytes());
            return;
        }
    }
    push_escaped_any(buf, bytes);
}

/// [`push_escaped`] for any length.
#[inline(never)]
fn push_escaped_any(buf: &mut Vec<u8>, bytes: &[u8]) {
    if needs_escape(bytes) {
        push_escaped_slow(buf, bytes);
    } else {
        buf.extend_from_slice(bytes);
    }
}

/// The 8 bytes of `s` at `i` (`i + 8 <= s.len()`), little-endian.
#[inline(always)]
fn u64_at(s: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]))
}

/// The 4 bytes of `s` at `i` (`i + 4 <= s.len()`), little-endian.
#[inline(always)]
fn u32_at(s: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(s[i..i + 4].try_into().unwrap_or([0; 4]))
}

/// Non-zero if one of the 8 bytes of `x` must be escaped in a JSON string (a control
/// character, `"` or `\\`).
#[inline(always)]
const fn escape_mask(x: u64) -> u64 {
    // Bytes below 0x20: like `zero_bytes`, with 0x20 subtracted from each byte.
    (x.wrapping_sub(LO * 0x20) & !x & HI)
        | zero_bytes(x ^ (LO * b'"' as u64))
        | zero_bytes(x ^ (LO * b'\\' as u64))
}

#[cold]
fn push_escaped_slow(buf: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ]);
        } else {
            buf.extend_from_slice(&[b'\\', e]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// Appends `s` as a quoted JSON string.
#[inline]
pub(crate) fn push_string(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    push_escaped(buf, s);
    buf.push(b'"');
}

/// Appends an integer.
#[inline]
pub(crate) fn push_int(buf: &mut Vec<u8>, v: impl itoa::Integer) {
    buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// Two-digit pairs `00` … `99`.
static PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Appends `v` in decimal. Numbers below 10 000 (most metric values) are written with one
/// small constant-size copy and no division loop; larger ones go through `itoa`.
#[inline(always)]
pub(crate) fn push_u64(buf: &mut Vec<u8>, v: u64) {
    #[allow(clippy::cast_possible_truncation)] // bounded by the comparison
    if v < 10 {
        buf.push(b'0' + v as u8);
    } else {
        push_u64_multi_digit(buf, v);
    }
}

/// [`push_u64`] for `v >= 10`.
#[inline(never)]
fn push_u64_multi_digit(buf: &mut Vec<u8>, v: u64) {
    #[allow(clippy::cast_possible_truncation)] // bounded by the comparisons
    if v < 100 {
        let p = 2 * v as usize;
        buf.extend_from_slice(&[PAIRS[p], PAIRS[p + 1]]);
    } else if v < 10_000 {
        // Four digits in a register; below 1000 the leading zero is shifted out and the
        // store trimmed.
        let digits = digits::four_digits(v as u32);
        let len = buf.len();
        if v < 1000 {
            buf.extend_from_slice(&(digits >> 8).to_le_bytes());
            buf.truncate(len + 3);
        } else {
            buf.extend_from_slice(&digits.to_le_bytes());
        }
    } else {
        push_int(buf, v);
    }
}

/// Millisecond timestamps as text, reusing the ten digits of the seconds while they repeat
/// (consecutive entries usually fall in the same second). Writes what [`push_u64`] writes.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct MillisText {
    /// The seconds `digits` spell (0: none yet; 0 is never in the cached range).
    secs: u64,
    digits: [u8; 10],
}

impl MillisText {
    /// Appends `v` in decimal.
    #[inline]
    pub(crate) fn push(&mut self, buf: &mut Vec<u8>, v: u64) {
        const LO: u64 = 1_000_000_000_000;
        if !(LO..10 * LO).contains(&v) {
            return push_u64(buf, v);
        }
        let (secs, ms) = (v / 1000, (v % 1000) as u32);
        if secs != self.secs {
            self.digits = ten_digits(secs);
            self.secs = secs;
        }
        // The cached ten digits, then the milliseconds' three from a register (the leading
        // zero of four shifted out, the store trimmed).
        let end = buf.len() + 13;
        buf.extend_from_slice(&self.digits);
        buf.extend_from_slice(&(digits::four_digits(ms) >> 8).to_le_bytes());
        buf.truncate(end);
    }
}

/// The ten decimal digits of `v` (`10^9 <= v < 10^10`).
fn ten_digits(v: u64) -> [u8; 10] {
    #[allow(clippy::cast_possible_truncation)] // both parts are below 10^8
    let (hi, lo) = ((v / 100_000_000) as usize, (v % 100_000_000) as usize);
    let pair = |n: usize| [PAIRS[2 * n], PAIRS[2 * n + 1]];
    let (h, l1, l2, l3, l4) = (
        pair(hi),
        pair(lo / 1_000_000),
        pair(lo / 10_000 % 100),
        pair(lo / 100 % 100),
        pair(lo % 100),
    );
    [
        h[0], h[1], l1[0], l1[1], l2[0], l2[1], l3[0], l3[1], l4[0], l4[1],
    ]
}

/// Appends a timestamp in milliseconds in decimal, like [`push_u64`]. Every millisecond
/// timestamp from 2001-09-09 to 2286-11-20 has 13 digits; those are written with fixed
/// divisions and two stores instead of `itoa`'s loop.
#[inline]
pub(crate) fn push_millis(buf: &mut Vec<u8>, v: u64) {
    const LO: u64 = 1_000_000_000_000;
    if !(LO..10 * LO).contains(&v) {
        return push_u64(buf, v);
    }
    // v = hi * 10^8 + lo, hi in 10_000..100_000 (5 digits), lo < 10^8 (8 digits): eight
    // digits each from a register, the three leading zeros of `hi`'s shifted out.
    #[allow(clippy::cast_possible_truncation)] // both parts are below 10^8
    let (hi, lo) = ((v / 100_000_000) as u32, (v % 100_000_000) as u32);
    let end = buf.len() + 13;
    buf.extend_from_slice(&(digits::eight_digits(hi) >> 24).to_le_bytes());
    buf.truncate(end - 8);
    buf.extend_from_slice(&digits::eight_digits(lo).to_le_bytes());
    debug_assert_eq!(buf.len(), end);
}

/// Appends `v` in decimal (see [`push_u64`]).
#[inline]
pub(crate) fn push_i64(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    push_u64(buf, v.unsigned_abs());
}

/// A scalar observation as JSON number text: integers stay integers, floats go through
/// [`push_f64`], [`Observation::Repeated`] writes its mean.
#[inline]
pub(crate) fn push_observation_value(buf: &mut Vec<u8>, obs: Observation) {
    match obs {
        Observation::Unsigned(v) => push_u64(buf, v),
        Observation::Signed(v) => push_i64(buf, v),
        other => push_f64(buf, other.as_f64()),
    }
}

/// Normalizes an observation for output: NaN (and NaN means, and `Repeated` with zero
/// occurrences) → `None`; ±∞ clamped.
#[inline]
pub(crate) fn clean_observation(obs: Observation) -> Option<Observation> {
    match obs {
        Observation::Floating(v) => finite(v).map(Observation::Floating),
        Observation::Repeated { total, occurrences } => {
            if occurrences == 0 || total.is_nan() {
                None
            } else {
                Some(Observation::Repeated {
                    total: finite(total)?,
                    occurrences,
                })
            }
        }
        o => Some(o),
    }
}

/// Writes the elements of a list (`ValueWriter::values`) as the body of a JSON array (no
/// brackets): strings quoted, single observations as numbers, several observations as a nested
/// array, elements that write nothing skipped, nested lists joined into one string.
///
/// # Errors
/// The first element error, if any (the buffer then holds a partial array; callers discard it).
pub(crate) fn push_list_elements<'a, V: Value + 'a>(
    buf: &mut Vec<u8>,
    values: impl IntoIterator<Item = &'a V>,
) -> Result<(), ValidationError> {
    let mut first = true;
    let mut error = None;
    for v in values {
        v.write(ElementWriter {
            buf,
            first: &mut first,
            error: &mut error,
        });
        if let Some(e) = error {
            return Err(e);
        }
    }
    Ok(())
}

/// Writes one list element.
struct ElementWriter<'b> {
    buf: &'b mut Vec<u8>,
    first: &'b mut bool,
    error: &'b mut Option<ValidationError>,
}

impl ElementWriter<'_> {
    fn sep(&mut self) {
        if !std::mem::replace(self.first, false) {
            self.buf.push(b',');
        }
    }
}

impl ValueWriter for ElementWriter<'_> {
    fn string(mut self, value: &str) {
        self.sep();
        push_string(self.buf, value);
    }

    fn metric<'a>(
        mut self,
        distribution: impl IntoIterator<Item = Observation>,
        _unit: Unit,
        _dimensions: impl IntoIterator<Item = (&'a str, &'a str)>,
        _flags: MetricFlags<'_>,
    ) {
        let mut iter = distribution.into_iter().filter_map(clean_observation);
        let Some(first) = iter.next() else { return };
        self.sep();
        match iter.next() {
            None => push_observation_value(self.buf, first),
            Some(second) => {
                self.buf.push(b'[');
                push_observation_value(self.buf, first);
                for o in std::iter::once(second).chain(iter) {
                    self.buf.push(b',');
                    push_observation_value(self.buf, o);
                }
                self.buf.push(b']');
            }
        }
    }

    fn error(self, error: ValidationError) {
        *self.error = Some(error);
    }

    fn values<'a, V: Value + 'a>(self, values: impl IntoIterator<Item = &'a V>) {
        // Nested lists become one string element.
        crate::value::write_values_as_string(self, values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut b = Vec::new();
        push_string(&mut b, s);
        String::from_utf8(b).unwrap()
    }

    /// A xorshift64 step: deterministic pseudo-random test inputs.
    pub(super) fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    #[test]
    fn millis_text_matches_push_u64_across_seconds() {
        let mut cache = MillisText::default();
        let mut vals = vec![0, 7, 999_999_999_999, 1_000_000_000_000, 9_999_999_999_999];
        vals.extend([10_000_000_000_000, u64::MAX, 1_763_784_000_123]);
        // Runs within one second, then across second and digit boundaries, back and forth.
        for base in [1_763_784_000_000u64, 1_763_784_001_000, 1_999_999_999_000] {
            vals.extend((0..2000).step_by(7).map(|d| base + d));
        }
        vals.extend([1_763_784_000_999, 1_763_784_000_998, 1_000_000_000_000]);
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        vals.extend((0..50_000).map(|_| 1_000_000_000_000 + xorshift(&mut x) % 9_000_000_000_000));
        for v in vals {
            let (mut a, mut b) = (vec![b'x'], vec![b'x']);
            cache.push(&mut a, v);
            push_u64(&mut b, v);
            assert_eq!(a, b, "{v}");
        }
    }

    #[test]
    fn push_millis_matches_push_u64() {
        let mut vals = vec![0, 9, 999_999_999_999, 1_000_000_000_000, 9_999_999_999_999];
        vals.extend([
            10_000_000_000_000,
            u64::MAX,
            1_763_784_000_123,
            1_700_000_000_007,
        ]);
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        vals.extend((0..100_000).map(|_| 1_000_000_000_000 + xorshift(&mut x) % 9_000_000_000_000));
        for v in vals {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            push_millis(&mut a, v);
            push_u64(&mut b, v);
            assert_eq!(a, b, "{v}");
        }
    }

    #[test]
    fn strings_escape_like_serde_json() {
        for s in [
            "plain",
            "quo\"te",
            "back\\slash",
            "tab\there\n\r",
            "\u{1}\u{1f}\u{7f}",
            "emoji 🦆",
            "",
            "12345678\"",
            "1234567\u{0}",
        ] {
            assert_eq!(esc(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn integers_match_itoa() {
        let mut vals: Vec<u64> = vec![
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            12345,
            u64::MAX,
            u64::MAX - 1,
        ];
        vals.extend((0..20).map(|p| 10u64.pow(p)));
        vals.extend((1..20).map(|p| 10u64.pow(p) - 1));
        for v in vals {
            let mut b = Vec::new();
            push_u64(&mut b, v);
            assert_eq!(String::from_utf8(b).unwrap(), v.to_string());
        }
        for v in [0i64, -1, -10, -99, i64::MIN, i64::MAX, 42] {
            let mut b = vec![b'x'];
            push_i64(&mut b, v);
            assert_eq!(String::from_utf8(b).unwrap(), format!("x{v}"));
        }
    }

    #[test]
    fn short_strings_escape_like_serde_json_at_every_length_and_position() {
        for n in 0..=20 {
            let plain: String = "abcdefghijklmnopqrstu"[..n].to_owned();
            assert_eq!(esc(&plain), serde_json::to_string(&plain).unwrap());
            for pos in 0..n {
                for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '\u{7f}', 'é'] {
                    let mut s: Vec<char> = plain.chars().collect();
                    s[pos] = c;
                    let s: String = s.into_iter().collect();
                    assert_eq!(esc(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn needs_escape_is_exact() {
        for b in 0u8..=255 {
            let mut s = [b'a'; 11];
            for pos in 0..11 {
                s[pos] = b;
                assert_eq!(needs_escape(&s), ESCAPE[b as usize] != 0, "{b} at {pos}");
                s[pos] = b'a';
            }
        }
    }
}

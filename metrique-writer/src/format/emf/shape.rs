//! The shape cache: what the fields of the previous entry looked like, pre-encoded.
//!
//! Entries of one type write the same names, in the same order, with the same kinds and units,
//! over and over. For each field the cache keeps the raw name (to recognise it), its encoded
//! key fragment `,"Name":` and its metric definition `,{"Name":"Name","Unit":"…"}`. When the
//! next entry writes the same field at the same position, the format copies the fragment
//! instead of escaping the name again and building the definition; when every field matched,
//! the whole definition list is one slice of [`Shape::defs`].
//!
//! A field whose key fits in [`PAD`] bytes keeps it inline, zero-padded, and a name that needs no
//! escaping is matched against the copy inside it: the hit path then reads one cache line and
//! copies a fixed number of bytes, which the compiler unrolls when the name is a constant (as in
//! `#[metrics]` entries).
//!
//! Matching compares the name bytes (never pointers), so a hit is always correct. Optional
//! fields that are absent in one entry are tolerated by looking up to [`SKIP`] fields ahead;
//! any other difference re-records the rest of the shape from that field on.

use super::names::{Kind, hash_bytes};
use crate::format::json_encode::{push_escaped, push_string};
use crate::unit::Unit;

/// How many cached fields may be skipped (absent optional fields) when matching.
const SKIP: usize = 2;

/// Keys (`,"Name":` and the like) up to this many bytes are kept inline in their [`Field`].
/// Zero bytes are also kept after the last fragment in [`Shape::frags`], so that short escaped
/// keys can be copied as one fixed-size block (see [`Shape::push_frag`]).
const PAD: usize = 32;

/// [`Field::verbatim`] of a name matched through [`Shape::raw`] (no [`verbatim_key`] has it).
const NOT_VERBATIM: u64 = u64::MAX;

/// What the hit path compares in one go: the name's length, the kind, the definition kind and
/// the unit ([`unit_code`]).
#[inline(always)]
fn verbatim_key(len: usize, kind: Kind, def_kind: DefKind, unit: Unit) -> u64 {
    // Names are far shorter than 4 GiB; a longer one just never hits.
    (len as u64 & 0xffff_ffff)
        | (kind as u64) << 32
        | (def_kind as u64) << 40
        | unit_code(unit) << 48
}

/// A distinct number per unit, so that [`verbatim_key`] compares units with the rest (a
/// constant when the unit is, as for the standard values). 0 for custom units: a field with one
/// is never verbatim, so their names are compared off the hit path.
#[inline(always)]
fn unit_code(unit: Unit) -> u64 {
    use crate::unit::{NegativeScale as N, PositiveScale as P};
    let positive = |p: P| match p {
        P::One => 0,
        P::Kilo => 1,
        P::Mega => 2,
        P::Giga => 3,
        P::Tera => 4,
    };
    match unit {
        Unit::Custom(_) => 0,
        Unit::None => 1,
        Unit::Count => 2,
        Unit::CountPerSecond => 3,
        Unit::Percent => 4,
        Unit::Second(N::Micro) => 5,
        Unit::Second(N::Milli) => 6,
        Unit::Second(N::One) => 7,
        Unit::Byte(p) => 8 + positive(p),
        Unit::BytePerSecond(p) => 13 + positive(p),
        Unit::Bit(p) => 18 + positive(p),
        Unit::BitPerSecond(p) => 23 + positive(p),
    }
}

/// The bytes of a key besides the name: `,"` and `":`, plus `"` or `[` for properties.
#[inline(always)]
fn key_extra(kind: Kind) -> usize {
    match kind {
        Kind::Metric | Kind::Dimension => 4,
        Kind::Property | Kind::List => 5,
    }
}

/// How a metric's definition is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DefKind {
    /// `{"Name":…}` (+ unit).
    Standard,
    /// `,"StorageResolution":1` added.
    HighResolution,
    /// No definition (`NoMetric`), or not a metric.
    None,
}

/// One cached field. Ranges index [`Shape::raw`], [`Shape::frags`] and [`Shape::defs`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    /// The key (`frags[frag]`), zero-padded, if it fits in [`PAD`] bytes.
    block: [u8; PAD],
    /// [`verbatim_key`] of the field if its name is written verbatim at `block[2..]` (it needs
    /// no escaping and the key fits); [`NOT_VERBATIM`] otherwise.
    verbatim: u64,
    raw: (u32, u32),
    kind: Kind,
    def_kind: DefKind,
    pub(super) frag: (u32, u32),
    pub(super) def: (u32, u32),
    /// Hash of the escaped name (for duplicate detection).
    pub(super) hash: u64,
    unit: Unit,
}

impl Field {
    /// The hit path's test: a verbatim name, compared inside the inline key.
    #[inline(always)]
    fn hit(&self, name: &[u8], kind: Kind, unit: Unit, def_kind: DefKind) -> bool {
        self.verbatim == verbatim_key(name.len(), kind, def_kind, unit)
            && self
                .block
                .get(2..2 + name.len())
                .is_some_and(|b| same_bytes(b, name))
    }

    /// The key's length in bytes.
    pub(super) fn frag_len(&self) -> usize {
        (self.frag.1 - self.frag.0) as usize
    }

    #[inline(always)]
    fn matches(&self, raw: &[u8], name: &[u8], kind: Kind, unit: Unit, def_kind: DefKind) -> bool {
        self.kind == kind
            && self.def_kind == def_kind
            && (self.raw.1 - self.raw.0) as usize == name.len()
            && self.unit == unit
            && raw
                .get(self.raw.0 as usize..self.raw.1 as usize)
                .is_some_and(|r| same_bytes(r, name))
    }
}

/// `a == b` for slices of equal length, without a `memcmp` call for short names: compares
/// the first and last 8 (or 4) bytes as integers, overlapping, plus 8-byte blocks between.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let u64_at = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let u32_at = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().unwrap_or([0; 4]));
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if u64_at(a, i) != u64_at(b, i) {
                return false;
            }
            i += 8;
        }
        u64_at(a, n - 8) == u64_at(b, n - 8)
    } else if n >= 4 {
        u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// The cursor of the entry being written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cursor {
    /// The next field index to match.
    pos: usize,
    /// Fields `0..pos` were all used, in order (no skip).
    pub(super) contiguous: bool,
    /// After the first skip: the end of the definitions of the fields used before it.
    pub(super) prefix_def_end: u32,
    /// Every field needs the writer's bookkeeping: set by [`Cursor::new`] (recording pass,
    /// validations) or at the first skip.
    pub(super) slow: bool,
}

impl Default for Cursor {
    fn default() -> Self {
        Self::new(false)
    }
}

impl Cursor {
    /// A cursor at the first field; `slow` as in [`Cursor::slow`].
    pub(super) fn new(slow: bool) -> Self {
        Self {
            pos: 0,
            contiguous: true,
            prefix_def_end: 0,
            slow,
        }
    }
}

/// The cache (see the module docs).
#[derive(Debug, Default)]
pub(super) struct Shape {
    fields: Vec<Field>,
    raw: Vec<u8>,
    pub(super) frags: Vec<u8>,
    pub(super) defs: Vec<u8>,
    /// Bumped whenever cached fields are forgotten or replaced, so that text built from
    /// `defs` (the writer's line header) can tell it is stale.
    pub(super) generation: u64,
}

#[allow(clippy::cast_possible_truncation)] // buffer offsets: lines are capped far below 4 GiB
fn u(n: usize) -> u32 {
    n as u32
}

impl Shape {
    /// Appends the key of the field for `name` at the cursor to `out` (`,"Name":`, with `"` or
    /// `[` after it for string and list properties) and returns the field's index; the field is
    /// recorded if the cache does not have it.
    #[inline(always)]
    pub(super) fn push_key(
        &mut self,
        cur: &mut Cursor,
        name: &str,
        kind: Kind,
        unit: Unit,
        def_kind: DefKind,
        out: &mut Vec<u8>,
    ) -> usize {
        let pos = cur.pos;
        if let Some(f) = self.fields.get(pos)
            && f.hit(name.as_bytes(), kind, unit, def_kind)
            && let Some(key) = f.block.get(..name.len() + key_extra(kind))
        {
            cur.pos = pos + 1;
            out.extend_from_slice(key);
            return pos;
        }
        self.push_key_slow(cur, name, kind, unit, def_kind, out)
    }

    /// [`Shape::push_key`] for anything but a verbatim name at the cursor.
    #[inline(never)]
    fn push_key_slow(
        &mut self,
        cur: &mut Cursor,
        name: &str,
        kind: Kind,
        unit: Unit,
        def_kind: DefKind,
        out: &mut Vec<u8>,
    ) -> usize {
        let i = self.field(cur, name, kind, unit, def_kind);
        self.push_frag(&self.fields[i], out);
        i
    }

    /// The index of the field for `name` at the cursor, recorded if the cache does not have
    /// it.
    #[inline(always)]
    fn field(
        &mut self,
        cur: &mut Cursor,
        name: &str,
        kind: Kind,
        unit: Unit,
        def_kind: DefKind,
    ) -> usize {
        let pos = cur.pos;
        if let Some(f) = self.fields.get(pos)
            && f.matches(&self.raw, name.as_bytes(), kind, unit, def_kind)
        {
            cur.pos = pos + 1;
            return pos;
        }
        self.field_slow(cur, name, kind, unit, def_kind)
    }

    /// The field at `i`.
    #[inline(always)]
    pub(super) fn get(&self, i: usize) -> &Field {
        &self.fields[i]
    }

    /// Looks a few fields ahead (absent optional fields), else records.
    #[cold]
    fn field_slow(
        &mut self,
        cur: &mut Cursor,
        name: &str,
        kind: Kind,
        unit: Unit,
        def_kind: DefKind,
    ) -> usize {
        let end = (cur.pos + SKIP + 1).min(self.fields.len());
        for j in cur.pos + 1..end {
            if self.fields[j].matches(&self.raw, name.as_bytes(), kind, unit, def_kind) {
                if cur.contiguous {
                    cur.prefix_def_end = cur.pos.checked_sub(1).map_or(0, |i| self.fields[i].def.1);
                    cur.contiguous = false;
                    cur.slow = true;
                }
                cur.pos = j + 1;
                return j;
            }
        }
        self.record(cur, name, kind, unit, def_kind)
    }

    fn record(
        &mut self,
        cur: &mut Cursor,
        name: &str,
        kind: Kind,
        unit: Unit,
        def_kind: DefKind,
    ) -> usize {
        // Forget the fields from the cursor on: this entry diverges there.
        self.generation = self.generation.wrapping_add(1);
        match cur.pos.checked_sub(1).map(|i| self.fields[i]) {
            Some(last) => {
                self.raw.truncate(last.raw.1 as usize);
                self.frags.truncate(last.frag.1 as usize);
                self.defs.truncate(last.def.1 as usize);
            }
            None => {
                self.raw.clear();
                self.frags.clear();
                self.defs.clear();
            }
        }
        self.fields.truncate(cur.pos);

        let raw = (u(self.raw.len()), u(self.raw.len() + name.len()));
        self.raw.extend_from_slice(name.as_bytes());
        // Drop the padding; it is put back after the new fragment.
        self.frags
            .truncate(self.fields.last().map_or(0, |f| f.frag.1 as usize));
        let frag_start = self.frags.len();
        self.frags.extend_from_slice(b",\"");
        push_escaped(&mut self.frags, name);
        let escaped = frag_start + 2..self.frags.len();
        // The key, plus the opening quote or bracket of a property's value.
        self.frags.extend_from_slice(match kind {
            Kind::Metric | Kind::Dimension => b"\":",
            Kind::Property => b"\":\"",
            Kind::List => b"\":[",
        });
        let hash = hash_bytes(&self.frags[escaped.clone()]);
        let def_start = self.defs.len();
        if kind == Kind::Metric && def_kind != DefKind::None {
            self.defs.extend_from_slice(b",{\"Name\":\"");
            self.defs.extend_from_slice(&self.frags[escaped]);
            self.defs.push(b'"');
            if unit != Unit::None {
                self.defs.extend_from_slice(b",\"Unit\":");
                push_string(&mut self.defs, unit.name());
            }
            if def_kind == DefKind::HighResolution {
                self.defs.extend_from_slice(b",\"StorageResolution\":1");
            }
            self.defs.push(b'}');
        }
        let frag = frag_start..self.frags.len();
        let mut block = [0; PAD];
        let fits = frag.len() <= PAD;
        if fits {
            block[..frag.len()].copy_from_slice(&self.frags[frag.clone()]);
        }
        let verbatim =
            fits && frag.len() == name.len() + key_extra(kind) && !matches!(unit, Unit::Custom(_));
        let field = Field {
            block,
            verbatim: if verbatim {
                verbatim_key(name.len(), kind, def_kind, unit)
            } else {
                NOT_VERBATIM
            },
            raw,
            frag: (u(frag.start), u(frag.end)),
            def: (u(def_start), u(self.defs.len())),
            hash,
            kind,
            def_kind,
            unit,
        };
        self.frags.resize(self.frags.len() + PAD, 0);
        self.fields.push(field);
        cur.pos = self.fields.len();
        cur.pos - 1
    }

    /// The encoded key of `f`.
    #[cfg(test)]
    fn frag(&self, f: &Field) -> &[u8] {
        &self.frags[f.frag.0 as usize..f.frag.1 as usize]
    }

    /// Appends the encoded key of `f` to `out` (`,"Name":`, with `"` or `[` after it for
    /// string and list properties); returns its length. Fragments up to
    /// [`PAD`] bytes are copied as one fixed-size block (no `memcpy` call), then trimmed.
    #[inline(always)]
    pub(super) fn push_frag(&self, f: &Field, out: &mut Vec<u8>) -> usize {
        let (s, e) = (f.frag.0 as usize, f.frag.1 as usize);
        let n = e - s;
        if n <= PAD
            && let Some(block) = self
                .frags
                .get(s..s + PAD)
                .and_then(|b| <&[u8; PAD]>::try_from(b).ok())
        {
            let len = out.len();
            out.extend_from_slice(block);
            out.truncate(len + n);
        } else {
            self.push_long_frag(f, out);
        }
        n
    }

    /// [`Shape::push_frag`] for names longer than the fixed-size block.
    #[cold]
    #[inline(never)]
    fn push_long_frag(&self, f: &Field, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.frags[f.frag.0 as usize..f.frag.1 as usize]);
    }

    /// The definitions of the metrics written before the first skip (all of them if there
    /// was none), as one slice (with a leading comma when not empty). Metrics written after a
    /// skip are listed separately by the writer.
    pub(super) fn prefix_defs(&self, cur: &Cursor) -> &[u8] {
        let end = if cur.contiguous {
            cur.pos
                .checked_sub(1)
                .map_or(0, |i| self.fields[i].def.1 as usize)
        } else {
            cur.prefix_def_end as usize
        };
        &self.defs[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(s: &Shape, f: &Field) -> String {
        String::from_utf8(s.frag(f).to_vec()).unwrap()
    }

    #[test]
    fn hits_skips_and_rerecords() {
        let mut s = Shape::default();
        let ms = Unit::Second(crate::unit::NegativeScale::Milli);
        let write = |s: &mut Shape, fields: &[(&str, Kind)]| {
            let mut c = Cursor::default();
            let out: Vec<String> = fields
                .iter()
                .map(|(n, k)| {
                    let unit = if *k == Kind::Metric { ms } else { Unit::None };
                    let mut pushed = b"x".to_vec();
                    let f = s.push_key(&mut c, n, *k, unit, DefKind::Standard, &mut pushed);
                    assert_eq!(&pushed[1..], s.frag(s.get(f)));
                    assert_eq!(s.get(f).frag_len(), pushed.len() - 1);
                    let mut copied = Vec::new();
                    assert_eq!(s.push_frag(s.get(f), &mut copied), copied.len());
                    assert_eq!(copied, pushed[1..]);
                    frag(s, s.get(f))
                })
                .collect();
            let defs = c
                .contiguous
                .then(|| String::from_utf8(s.prefix_defs(&c).to_vec()).unwrap());
            (out, c, defs)
        };
        let all = [
            ("A", Kind::Metric),
            ("B\"", Kind::Metric),
            ("S", Kind::Property),
            ("C", Kind::Metric),
        ];
        for _ in 0..2 {
            let (frags, _, defs) = write(&mut s, &all);
            assert_eq!(frags, [",\"A\":", ",\"B\\\"\":", ",\"S\":\"", ",\"C\":"]);
            assert!(
                same_bytes(b"abcdefghij", b"abcdefghij")
                    && !same_bytes(b"abcdefghij", b"abcdefghiJ")
            );
            assert!(same_bytes(b"abcde", b"abcde") && !same_bytes(b"abcde", b"Abcde"));
            assert!(
                !same_bytes(b"ab", b"aB")
                    && !same_bytes(b"abcdefghijklmnopq", b"abcdefghIjklmnopq")
            );
            assert_eq!(
                defs.unwrap(),
                r#",{"Name":"A","Unit":"Milliseconds"},{"Name":"B\"","Unit":"Milliseconds"},{"Name":"C","Unit":"Milliseconds"}"#
            );
        }
        // B absent: a skip, defs are not contiguous, the cache is kept.
        let (frags, c, defs) = write(&mut s, &[all[0], all[2], all[3]]);
        assert_eq!(frags, [",\"A\":", ",\"S\":\"", ",\"C\":"]);
        assert!(!c.contiguous && defs.is_none());
        assert_eq!(s.prefix_defs(&c), br#",{"Name":"A","Unit":"Milliseconds"}"#);
        assert_eq!(write(&mut s, &all).0.len(), 4);
        // A different field re-records from there.
        let (frags, _, defs) = write(&mut s, &[all[0], ("X", Kind::Property)]);
        assert_eq!(frags, [",\"A\":", ",\"X\":\""]);
        assert_eq!(defs.unwrap(), r#",{"Name":"A","Unit":"Milliseconds"}"#);
        let (_, _, defs) = write(&mut s, &all);
        assert_eq!(defs.unwrap().matches("Name").count(), 3);
    }

    #[test]
    fn verbatim_names_hit_inline_and_the_others_through_the_raw_bytes() {
        let mut s = Shape::default();
        let long = "a_metric_name_too_long_for_the_inline_key";
        let names = [
            ("Short", Kind::Metric),
            ("Esc\"aped", Kind::Metric),
            (long, Kind::Metric),
            ("Prop", Kind::Property),
        ];
        let expected = format!(",\"Short\":,\"Esc\\\"aped\":,\"{long}\":,\"Prop\":\"");
        let mut recorded = None;
        for _ in 0..3 {
            let mut c = Cursor::default();
            let mut out = Vec::new();
            for (n, k) in names {
                s.push_key(&mut c, n, k, Unit::None, DefKind::Standard, &mut out);
            }
            assert_eq!(String::from_utf8(out).unwrap(), expected);
            // Recorded once, then every field is a hit (verbatim or not).
            assert_eq!(*recorded.get_or_insert(s.generation), s.generation);
        }
        let verbatim: Vec<_> = s.fields.iter().map(|f| f.verbatim).collect();
        let key = |len, kind| verbatim_key(len, kind, DefKind::Standard, Unit::None);
        assert_eq!(
            verbatim,
            [
                key(5, Kind::Metric),
                NOT_VERBATIM,
                NOT_VERBATIM,
                key(4, Kind::Property)
            ]
        );
        // Same length, one byte different: not a hit.
        let mut c = Cursor::default();
        let mut out = Vec::new();
        s.push_key(
            &mut c,
            "Shorx",
            Kind::Metric,
            Unit::None,
            DefKind::Standard,
            &mut out,
        );
        assert_eq!(out, b",\"Shorx\":");
        assert_ne!(recorded, Some(s.generation));
    }

    #[test]
    fn a_unit_change_is_a_miss_and_custom_units_are_matched_off_the_hit_path() {
        use crate::unit::{NegativeScale as N, PositiveScale as P};
        let units = [
            Unit::None,
            Unit::Count,
            Unit::CountPerSecond,
            Unit::Percent,
            Unit::Second(N::Micro),
            Unit::Second(N::Milli),
            Unit::Second(N::One),
            Unit::Byte(P::One),
            Unit::Byte(P::Tera),
            Unit::BytePerSecond(P::Kilo),
            Unit::Bit(P::Mega),
            Unit::BitPerSecond(P::Giga),
            Unit::BitPerSecond(P::Tera),
        ];
        let codes: std::collections::HashSet<_> = units.iter().map(|&u| unit_code(u)).collect();
        assert_eq!(codes.len(), units.len(), "one code per unit");
        assert!(!codes.contains(&0), "0 is the custom units' code");

        let mut s = Shape::default();
        let mut write = |unit: Unit| {
            let (mut c, mut out) = (Cursor::default(), Vec::new());
            let i = s.push_key(
                &mut c,
                "Latency",
                Kind::Metric,
                unit,
                DefKind::Standard,
                &mut out,
            );
            let def = s.get(i).def;
            (
                s.generation,
                String::from_utf8(s.defs[def.0 as usize..def.1 as usize].to_vec()).unwrap(),
                s.get(i).verbatim,
            )
        };
        let (g0, def, verbatim) = write(Unit::Second(N::Milli));
        assert_eq!(def, r#",{"Name":"Latency","Unit":"Milliseconds"}"#);
        assert_ne!(verbatim, NOT_VERBATIM);
        assert_eq!(write(Unit::Second(N::Milli)).0, g0, "same unit: a hit");
        let (g1, def, _) = write(Unit::Second(N::Micro));
        assert_ne!(g1, g0, "another unit: re-recorded");
        assert_eq!(def, r#",{"Name":"Latency","Unit":"Microseconds"}"#);
        let (g2, def, verbatim) = write(Unit::Custom("Parsecs"));
        assert_ne!(g2, g1);
        assert_eq!(def, r#",{"Name":"Latency","Unit":"Parsecs"}"#);
        assert_eq!(verbatim, NOT_VERBATIM);
        assert_eq!(
            write(Unit::Custom("Parsecs")).0,
            g2,
            "same custom unit: a hit"
        );
        let (g3, def, _) = write(Unit::Custom("Furlongs"));
        assert_ne!(g3, g2, "another custom unit: re-recorded");
        assert_eq!(def, r#",{"Name":"Latency","Unit":"Furlongs"}"#);
    }
}

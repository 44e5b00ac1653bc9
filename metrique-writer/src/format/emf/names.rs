//! Allocation-free duplicate-name tracking: an open-addressing table of names already written
//! in this entry. Names are not copied: a record points at the escaped name inside one of the
//! format's reused buffers.

/// Which buffer a name lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BufId {
    Vals,
    Props,
    /// Per-metric dimension text.
    Dims,
}

/// Where a name lives: `buf[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Loc {
    pub(super) buf: BufId,
    pub(super) start: u32,
    pub(super) end: u32,
}

/// What a name was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Metric,
    /// A string property.
    Property,
    /// A list property (not usable as a dimension).
    List,
    /// A per-metric dimension key (written as a string on its split line).
    Dimension,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct NameRec {
    pub(super) hash: u64,
    pub(super) loc: Loc,
    pub(super) kind: Kind,
    /// Per-metric dimension group (0 = none): the same metric may appear once per group.
    pub(super) group: u32,
    slot: u32,
}

/// The table. Cleared per entry by zeroing only the slots in use.
#[derive(Debug, Default)]
pub(super) struct NameTable {
    recs: Vec<NameRec>,
    /// 0 = empty, otherwise index into `recs` + 1. Length is a power of two (or 0).
    slots: Vec<u32>,
}

const K: u64 = 0x517c_c1b7_2722_0a95;

/// A fast (FxHash-style) hash of name bytes.
#[inline]
pub(super) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ x).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    let r = chunks.remainder();
    tail[..r.len()].copy_from_slice(r);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^ (h >> 29)
}

impl NameTable {
    pub(super) fn clear(&mut self) {
        // Every occupied slot belongs to a record: with no records the table is already clear
        // (the usual case when name validations are off).
        if self.recs.is_empty() {
            return;
        }
        if self.slots.len() <= 64 {
            self.slots.fill(0);
        } else {
            for r in &self.recs {
                self.slots[r.slot as usize] = 0;
            }
        }
        self.recs.clear();
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(32);
        self.slots.clear();
        self.slots.resize(n, 0);
        let mask = n - 1;
        for i in 0..self.recs.len() {
            #[allow(clippy::cast_possible_truncation)] // table sizes fit in u32
            let mut p = (self.recs[i].hash as usize) & mask;
            while self.slots[p] != 0 {
                p = (p + 1) & mask;
            }
            self.slots[p] = i as u32 + 1;
            self.recs[i].slot = p as u32;
        }
    }

    /// Adds a name. Returns the conflicting record if the name was already written. A metric
    /// may appear once per per-metric dimension group (each group is its own line); a property
    /// conflicts with every other use of its name.
    pub(super) fn insert<'b>(
        &mut self,
        hash: u64,
        loc: Loc,
        kind: Kind,
        group: u32,
        bytes_of: impl Fn(Loc) -> &'b [u8],
    ) -> Option<NameRec> {
        if (self.recs.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.mask();
        let name = bytes_of(loc);
        #[allow(clippy::cast_possible_truncation)] // masked
        let mut p = (hash as usize) & mask;
        while self.slots[p] != 0 {
            let r = self.recs[self.slots[p] as usize - 1];
            let conflict = match (r.kind, kind) {
                (Kind::Dimension, Kind::Dimension) => false,
                (Kind::Dimension, _) | (_, Kind::Dimension) => true,
                (Kind::Metric, Kind::Metric) => r.group == group,
                _ => true,
            };
            if r.hash == hash && conflict && bytes_of(r.loc) == name {
                return Some(r);
            }
            p = (p + 1) & mask;
        }
        #[allow(clippy::cast_possible_truncation)] // entries have far fewer than 2^32 fields
        {
            self.slots[p] = self.recs.len() as u32 + 1;
            self.recs.push(NameRec {
                hash,
                loc,
                kind,
                group,
                slot: p as u32,
            });
        }
        None
    }

    /// Finds a field name (any group), preferring a string property. Per-metric dimension
    /// keys are not fields and are not found.
    pub(super) fn find<'b>(
        &self,
        hash: u64,
        name: &[u8],
        bytes_of: impl Fn(Loc) -> &'b [u8],
    ) -> Option<NameRec> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        #[allow(clippy::cast_possible_truncation)] // masked
        let mut p = (hash as usize) & mask;
        let mut found = None;
        while self.slots[p] != 0 {
            let r = self.recs[self.slots[p] as usize - 1];
            if r.hash == hash && r.kind != Kind::Dimension && bytes_of(r.loc) == name {
                if r.kind == Kind::Property {
                    return Some(r);
                }
                found = Some(r);
            }
            p = (p + 1) & mask;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_and_clears() {
        let buf = b"abcabcxyz".to_vec();
        let get = |l: Loc| &buf[l.start as usize..l.end as usize];
        let loc = |s, e| Loc {
            buf: BufId::Props,
            start: s,
            end: e,
        };
        let mut t = NameTable::default();
        for round in 0..3 {
            let h = hash_bytes(b"abc");
            assert!(
                t.insert(h, loc(0, 3), Kind::Property, 0, get).is_none(),
                "{round}"
            );
            assert!(t.insert(h, loc(3, 6), Kind::Metric, 0, get).is_some());
            assert!(
                t.insert(hash_bytes(b"xyz"), loc(6, 9), Kind::Metric, 0, get)
                    .is_none()
            );
            assert!(t.find(hash_bytes(b"xyz"), b"xyz", get).is_some());
            assert!(t.find(hash_bytes(b"nope"), b"nope", get).is_none());
            t.clear();
        }
        // Many names: the table grows and stays consistent.
        let names: Vec<String> = (0..500).map(|i| format!("n{i}")).collect();
        let all: Vec<u8> = names.concat().into_bytes();
        let get = |l: Loc| &all[l.start as usize..l.end as usize];
        let mut off = 0u32;
        for n in &names {
            let e = off + n.len() as u32;
            assert!(
                t.insert(hash_bytes(n.as_bytes()), loc(off, e), Kind::Metric, 0, get)
                    .is_none()
            );
            off = e;
        }
        for n in &names {
            assert!(
                t.find(hash_bytes(n.as_bytes()), n.as_bytes(), get)
                    .is_some()
            );
        }
        t.clear();
        assert!(t.find(hash_bytes(b"n1"), b"n1", get).is_none());
    }
}

//! The single line's header of the last few entry shapes.
//!
//! The header (`{"_aws":{…"Metrics":[definitions]…"Timestamp":`) depends only on the format's
//! configuration, fixed for one [`State`](super::writer::State), and on which cached metric
//! definitions the entry used: the run of definitions before its first skipped field plus the
//! ones after (`late`). Entries of one type with optional fields alternate between a few such
//! sets; each set's header is built once and then copied with one `extend_from_slice`.

/// Headers kept; entries with up to two independent optional fields hit every time.
const SLOTS: usize = 4;

/// One cached header and what it was built from.
#[derive(Debug, Default)]
struct Slot {
    /// Shape generation and the length of the definitions before the first skip.
    key: Option<(u64, usize)>,
    /// Definitions used after the first skip (ranges into the shape's definitions).
    late: Vec<(u32, u32)>,
    text: Vec<u8>,
}

/// The cache (see the module docs).
#[derive(Debug, Default)]
pub(super) struct Headers {
    slots: [Slot; SLOTS],
    /// The slot the next miss replaces (round robin).
    next: usize,
}

impl Headers {
    /// Appends the header for the definitions `(generation, prefix_len, late)` to `out`,
    /// building it with `build` if it is not cached.
    #[inline]
    pub(super) fn push(
        &mut self,
        out: &mut Vec<u8>,
        generation: u64,
        prefix_len: usize,
        late: &[(u32, u32)],
        build: impl FnOnce(&mut Vec<u8>),
    ) {
        let key = Some((generation, prefix_len));
        let slot = match self
            .slots
            .iter()
            .position(|s| s.key == key && s.late == late)
        {
            Some(i) => &self.slots[i],
            None => {
                let slot = &mut self.slots[self.next];
                self.next = (self.next + 1) % SLOTS;
                slot.text.clear();
                build(&mut slot.text);
                slot.key = key;
                slot.late.clear();
                slot.late.extend_from_slice(late);
                slot
            }
        };
        out.extend_from_slice(&slot.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shape generation, definitions before the first skip, definitions after it.
    type Set = (u64, usize, &'static [(u32, u32)]);

    #[test]
    fn each_definition_set_is_built_once_until_evicted() {
        let mut h = Headers::default();
        let mut builds = 0;
        let sets: [Set; 4] = [
            (1, 10, &[]),
            (1, 4, &[(6, 10)]),
            (1, 4, &[(8, 10)]),
            (2, 10, &[]),
        ];
        for _ in 0..3 {
            for (g, p, l) in sets {
                let mut out = b"x".to_vec();
                h.push(&mut out, g, p, l, |t| {
                    builds += 1;
                    t.extend_from_slice(format!("{g}/{p}/{l:?}").as_bytes());
                });
                assert_eq!(String::from_utf8(out).unwrap(), format!("x{g}/{p}/{l:?}"));
            }
        }
        assert_eq!(builds, 4, "four sets fit");
        let mut builds = 0;
        let mut h = Headers::default();
        for round in 0..2 {
            for g in 0..=SLOTS as u64 {
                h.push(&mut Vec::new(), g, 0, &[], |_| builds += 1);
            }
            assert_eq!(
                builds,
                (round + 1) * (SLOTS + 1),
                "one set too many: every one evicted"
            );
        }
    }
}

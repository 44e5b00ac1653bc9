//! Distributions: `{"Values":[…],"Counts":[…]}`, with equal values folded and long
//! distributions continued on further lines (the 100-values limit, see [`super::limits`]).

use super::limits::MAX_VALUES_PER_METRIC;
use super::writer::State;
use crate::format::json_encode::{push_int, push_observation_value};
use crate::value::Observation;

#[allow(clippy::cast_possible_truncation)] // buffer offsets: lines are capped far below 4 GiB
fn u(n: usize) -> u32 {
    n as u32
}

impl State {
    /// Writes `{"Values":[…],"Counts":[…]}` for `self.obs` into `vals`. Over
    /// [`MAX_VALUES_PER_METRIC`] observations, equal values are folded; if `split` and more than
    /// that many distinct values remain, the rest go to continuation fields (`,"Name":{…}`)
    /// appended to `vals` and listed in `pending`.
    pub(super) fn write_histogram(&mut self, name: (usize, usize), multiplicity: u64, split: bool) {
        let State {
            obs,
            folded,
            vals,
            pending,
            ..
        } = self;
        folded.clear();
        pending.clear();
        let weighted = |o: Observation| {
            let count = o.occurrences().saturating_mul(multiplicity);
            let value = match o {
                Observation::Repeated { .. } => Observation::Floating(o.as_f64()),
                o => o,
            };
            (value, count)
        };
        folded.extend(obs.iter().copied().map(weighted));
        if folded.len() > MAX_VALUES_PER_METRIC {
            fold(folded);
        }
        let chunk = if split {
            MAX_VALUES_PER_METRIC
        } else {
            usize::MAX
        };
        let mut parts = folded.chunks(chunk);
        if let Some(first) = parts.next() {
            push_values_counts(vals, first);
        }
        for part in parts {
            let start = vals.len();
            vals.extend_from_slice(b",\"");
            vals.extend_from_within(name.0..name.1);
            vals.extend_from_slice(b"\":");
            push_values_counts(vals, part);
            pending.push((u(start), u(vals.len())));
        }
    }
}

/// Folds equal values (same representation) into one, summing their counts. Sorts by value.
fn fold(folded: &mut Vec<(Observation, u64)>) {
    fn key(o: &Observation) -> (f64, u8, u64) {
        match *o {
            Observation::Unsigned(v) => (o.as_f64(), 0, v),
            Observation::Signed(v) => (o.as_f64(), 1, v.cast_unsigned()),
            Observation::Floating(v) => (v, 2, v.to_bits()),
            Observation::Repeated { total, .. } => (o.as_f64(), 3, total.to_bits()),
        }
    }
    folded.sort_unstable_by(|a, b| {
        let (ka, kb) = (key(&a.0), key(&b.0));
        ka.0.total_cmp(&kb.0)
            .then(ka.1.cmp(&kb.1))
            .then(ka.2.cmp(&kb.2))
    });
    folded.dedup_by(|later, kept| {
        let same = {
            let (a, b) = (key(&later.0), key(&kept.0));
            a.1 == b.1 && a.2 == b.2
        };
        if same {
            kept.1 = kept.1.saturating_add(later.1);
        }
        same
    });
}

fn push_values_counts(vals: &mut Vec<u8>, part: &[(Observation, u64)]) {
    vals.extend_from_slice(b"{\"Values\":[");
    for (i, (o, _)) in part.iter().enumerate() {
        if i > 0 {
            vals.push(b',');
        }
        push_observation_value(vals, *o);
    }
    vals.extend_from_slice(b"],\"Counts\":[");
    for (i, (_, c)) in part.iter().enumerate() {
        if i > 0 {
            vals.push(b',');
        }
        push_int(vals, *c);
    }
    vals.extend_from_slice(b"]}");
}

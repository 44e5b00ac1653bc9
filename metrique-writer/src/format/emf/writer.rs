//! Collecting one entry: the [`EntryWriter`]/[`ValueWriter`] implementations that encode each
//! field straight into the format's reused buffers.
//!
//! Three buffers are filled in one pass, in write order:
//! - `vals`: metric fields, `,"Name":value` each;
//! - `defs`: metric definitions, `,{"Name":"…","Unit":"…"}` each;
//! - `props`: string and list properties, `,"Name":"…"` each.
//!
//! Each metric also gets a [`MetricRec`] (byte ranges into `vals`/`defs`), which is what
//! [`super::assemble`] needs to split an entry over several lines. The leading commas let the
//! common single-line case copy each buffer with one `extend_from_slice`.

use std::borrow::Cow;
use std::time::SystemTime;

use super::EmfConfig;
use super::flags_impl::{HighStorageResolutionFlag, NoMetricFlag};
use super::limits::MAX_VALUES_PER_METRIC;
use super::names::{BufId, Kind, Loc, NameTable, hash_bytes};
use crate::config::{AllowSplitEntries, AllowUnroutableEntries, EntryDimensions};
use crate::entry::{Entry, EntryConfig, EntryWriter};
use crate::format::json_encode::{
    clean_observation, push_escaped, push_int, push_list_elements, push_observation_value,
    push_string,
};
use crate::unit::Unit;
use crate::validate::{ValidationError, ValidationErrorBuilder};
use crate::value::{
    DistributionFlag as Distribution, MetricFlags, Observation, Value, ValueWriter,
};

/// One metric field: where its value and definition live.
#[derive(Debug, Clone, Copy)]
pub(super) struct MetricRec {
    /// `defs[def.0..def.1]`, with a leading comma; empty for `NoMetric`.
    pub(super) def: (u32, u32),
    /// `vals[val.0..val.1]`, with a leading comma.
    pub(super) val: (u32, u32),
    /// Per-metric dimension group (0 = none; `n` = `groups[n - 1]`).
    pub(super) group: u32,
    /// 0 for the metric's first 100 values, `k` for its `k`-th continuation.
    pub(super) pass: u32,
}

/// A distinct per-metric dimension tuple, as text in `dimtext`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    /// `,"k":"v"` for each dimension.
    pub(super) fields: (u32, u32),
    /// `"k1","k2"`.
    pub(super) keys: (u32, u32),
    pub(super) count: u32,
}

/// The biggest field written so far (for size-cap errors).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Largest {
    pub(super) size: usize,
    pub(super) loc: Option<Loc>,
}

/// The reusable buffers of an [`Emf`](super::Emf).
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(super) vals: Vec<u8>,
    pub(super) defs: Vec<u8>,
    pub(super) props: Vec<u8>,
    pub(super) recs: Vec<MetricRec>,
    pub(super) def_count: usize,
    /// Some metric continues on further lines (over 100 distinct values).
    pub(super) overflow: bool,
    pub(super) names: NameTable,
    obs: Vec<Observation>,
    folded: Vec<(Observation, u64)>,
    pending: Vec<(u32, u32)>,
    pub(super) groups: Vec<Group>,
    pub(super) dimtext: Vec<u8>,
    pub(super) largest: Largest,
    pub(super) out: Vec<u8>,
    pub(super) scratch: Vec<u8>,
    /// Dimension sets of this entry: `(start, end, key count)` into `settext`.
    pub(super) sets: Vec<(u32, u32, u32)>,
    pub(super) settext: Vec<u8>,
    pub(super) chunk: Vec<u32>,
}

#[allow(clippy::cast_possible_truncation)] // buffer offsets: lines are capped far below 4 GiB
fn u(n: usize) -> u32 {
    n as u32
}

impl State {
    fn reset(&mut self) {
        self.vals.clear();
        self.defs.clear();
        self.props.clear();
        self.recs.clear();
        self.def_count = 0;
        self.overflow = false;
        self.names.clear();
        self.groups.clear();
        self.dimtext.clear();
        self.largest = Largest::default();
        self.out.clear();
    }

    /// Drops buffers that grew unusually large, so one huge entry does not pin memory.
    pub(crate) fn shrink_if_huge(&mut self) {
        const HUGE: usize = 4 << 20;
        if self.out.capacity() > HUGE || self.vals.capacity() > HUGE || self.props.capacity() > HUGE
        {
            *self = State::default();
        }
    }

    /// The bytes at `loc`.
    pub(super) fn bytes(&self, loc: Loc) -> &[u8] {
        let buf = match loc.buf {
            BufId::Vals => &self.vals,
            BufId::Props => &self.props,
        };
        &buf[loc.start as usize..loc.end as usize]
    }

    fn note_field(&mut self, loc: Loc, size: usize) {
        if size > self.largest.size {
            self.largest = Largest {
                size,
                loc: Some(loc),
            };
        }
    }

    /// Records a name; returns true if it was already written.
    fn is_duplicate(&mut self, loc: Loc, kind: Kind, group: u32) -> bool {
        let State {
            names, vals, props, ..
        } = self;
        let bytes_of = |l: Loc| {
            let b = match l.buf {
                BufId::Vals => &vals[..],
                BufId::Props => &props[..],
            };
            &b[l.start as usize..l.end as usize]
        };
        let hash = hash_bytes(bytes_of(loc));
        names.insert(hash, loc, kind, group, bytes_of).is_some()
    }

    /// Writes `{"Values":[…],"Counts":[…]}` for `self.obs` into `vals`. Over
    /// [`MAX_VALUES_PER_METRIC`] observations, equal values are folded; if `split` and more than
    /// that many distinct values remain, the rest go to continuation fields (`,"Name":{…}`)
    /// appended to `vals` and listed in `pending`.
    fn write_histogram(&mut self, name: (usize, usize), multiplicity: u64, split: bool) {
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

    /// The group for a per-metric dimension tuple, created if new. `None` if a key is `_aws`
    /// (it would replace the EMF metadata).
    fn group_for<'d>(&mut self, dims: impl Iterator<Item = (&'d str, &'d str)>) -> Option<u32> {
        let State {
            dimtext,
            scratch,
            groups,
            ..
        } = self;
        let start = dimtext.len();
        scratch.clear();
        let mut count = 0;
        for (k, v) in dims {
            if k == "_aws" {
                dimtext.truncate(start);
                return None;
            }
            dimtext.push(b',');
            let ks = dimtext.len();
            push_string(dimtext, k);
            if count > 0 {
                scratch.push(b',');
            }
            scratch.extend_from_slice(&dimtext[ks..]);
            dimtext.push(b':');
            push_string(dimtext, v);
            count += 1;
        }
        let fields = (u(start), u(dimtext.len()));
        let text = start..dimtext.len();
        for (i, g) in groups.iter().enumerate() {
            if dimtext[g.fields.0 as usize..g.fields.1 as usize] == dimtext[text.clone()] {
                dimtext.truncate(start);
                return Some(u(i + 1));
            }
        }
        dimtext.extend_from_slice(scratch);
        groups.push(Group {
            fields,
            keys: (fields.1, u(dimtext.len())),
            count,
        });
        Some(u(groups.len()))
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

/// What one entry told the writer besides its fields.
#[derive(Debug, Default)]
pub(super) struct EntryState<'a> {
    pub(super) timestamp: Option<SystemTime>,
    pub(super) timestamps: u32,
    pub(super) errors: ValidationErrorBuilder,
    pub(super) entry_dims: Option<&'a EntryDimensions>,
    pub(super) split: bool,
    pub(super) unroutable: bool,
    pub(super) multiplicity: Option<u64>,
}

/// Formats `entry` into `state.out`, returning the bytes to write.
pub(super) fn format_entry<'s>(
    cfg: &EmfConfig,
    st: &'s mut State,
    entry: &impl Entry,
    multiplicity: Option<u64>,
) -> Result<&'s [u8], ValidationError> {
    st.reset();
    let mut w = EmfWriter {
        cfg,
        st: &mut *st,
        track_names: cfg.validations.unique_names || cfg.validations.dimensions_exist,
        e: EntryState {
            multiplicity,
            ..EntryState::default()
        },
    };
    entry.write(&mut w);
    let e = w.e;
    super::assemble::finish(cfg, st, e)?;
    Ok(&st.out)
}

struct EmfWriter<'s, 'a> {
    cfg: &'s EmfConfig,
    st: &'s mut State,
    track_names: bool,
    e: EntryState<'a>,
}

impl<'a> EntryWriter<'a> for EmfWriter<'_, 'a> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.e.timestamps += 1;
        if self.e.timestamp.is_none() {
            self.e.timestamp = Some(timestamp);
        }
    }

    #[inline]
    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        let name = name.into();
        // A field named `_aws` would replace the metadata object: never skipped.
        if name == "_aws" {
            self.e.errors.invalid_mut("name can't be `_aws`");
            return;
        }
        if self.cfg.validations.names && name.is_empty() {
            self.e.errors.invalid_mut("name can't be empty");
            return;
        }
        value.write(FieldWriter {
            w: self,
            name: &name,
        });
    }

    fn config(&mut self, config: &'a dyn EntryConfig) {
        if let Some(dims) = config.downcast_ref::<EntryDimensions>() {
            let errors = &mut self.e.errors;
            if self.e.entry_dims.is_some() {
                errors.invalid_mut("entry dimensions cannot be set twice");
            } else if dims.is_empty() {
                errors.invalid_mut("entry dimensions cannot be empty");
            } else if !self.st.groups.is_empty() {
                errors.invalid_mut(
                    "entry dimensions must be configured before emitting a metric with custom dimensions",
                );
            } else {
                self.e.entry_dims = Some(dims);
            }
        } else if config.downcast_ref::<AllowSplitEntries>().is_some() {
            self.e.split = true;
        } else if config.downcast_ref::<AllowUnroutableEntries>().is_some() {
            self.e.unroutable = true;
        }
    }
}

struct FieldWriter<'w, 's, 'a> {
    w: &'w mut EmfWriter<'s, 'a>,
    name: &'w str,
}

impl FieldWriter<'_, '_, '_> {
    fn duplicate(self) {
        let e = ValidationError::invalid("duplicate field").for_field(self.name);
        self.w.e.errors.extend_mut(e);
    }

    /// Starts a property: `,"name":`; returns (field start, name location).
    fn begin_property(&mut self) -> (usize, Loc) {
        let props = &mut self.w.st.props;
        let start = props.len();
        props.extend_from_slice(b",\"");
        let ns = props.len();
        push_escaped(props, self.name);
        let ne = props.len();
        props.extend_from_slice(b"\":");
        (
            start,
            Loc {
                buf: BufId::Props,
                start: u(ns),
                end: u(ne),
            },
        )
    }

    fn end_property(self, start: usize, loc: Loc, kind: Kind) {
        let st = &mut *self.w.st;
        st.note_field(loc, st.props.len() - start);
        if self.w.track_names
            && st.is_duplicate(loc, kind, 0)
            && self.w.cfg.validations.unique_names
        {
            self.duplicate();
        }
    }
}

impl ValueWriter for FieldWriter<'_, '_, '_> {
    #[inline]
    fn string(mut self, value: &str) {
        let (start, loc) = self.begin_property();
        push_string(&mut self.w.st.props, value);
        self.end_property(start, loc, Kind::Property);
    }

    #[inline]
    fn metric<'d>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'d str, &'d str)>,
        flags: MetricFlags<'_>,
    ) {
        let no_metric = flags.has::<NoMetricFlag>();
        let high_res = !no_metric && flags.has::<HighStorageResolutionFlag>();
        let multiplicity = self.w.e.multiplicity;
        let force_histogram = multiplicity.is_some() || flags.has::<Distribution>();
        let st = &mut *self.w.st;

        let start = st.vals.len();
        st.vals.extend_from_slice(b",\"");
        let ns = st.vals.len();
        push_escaped(&mut st.vals, self.name);
        let ne = st.vals.len();
        st.vals.extend_from_slice(b"\":");

        let mut it = distribution.into_iter().filter_map(clean_observation);
        let Some(first) = it.next() else {
            // No observation (or only NaN): nothing is written.
            st.vals.truncate(start);
            return;
        };
        let second = it.next();
        st.pending.clear();
        if second.is_none() && !force_histogram && !matches!(first, Observation::Repeated { .. }) {
            push_observation_value(&mut st.vals, first);
        } else {
            st.obs.clear();
            st.obs.push(first);
            st.obs.extend(second);
            st.obs.extend(it);
            st.write_histogram((ns, ne), multiplicity.unwrap_or(1), !no_metric);
        }
        let val_end = st.pending.first().map_or(st.vals.len(), |p| p.0 as usize);

        let mut dims = dimensions.into_iter().peekable();
        let group = if dims.peek().is_none() {
            Ok(0)
        } else if self.w.e.split {
            st.group_for(dims).ok_or("dimension name can't be `_aws`")
        } else if self.w.cfg.allow_ignored_dimensions {
            Ok(0)
        } else {
            Err(
                "can't use per-metric dimensions without split entries - you probably want to remove WithDimensions<>",
            )
        };
        let group = match group {
            Ok(g) => g,
            Err(reason) => {
                st.vals.truncate(start);
                let e = ValidationError::invalid(reason).for_field(self.name);
                self.w.e.errors.extend_mut(e);
                return;
            }
        };

        let def_start = st.defs.len();
        if !no_metric {
            st.defs.extend_from_slice(b",{\"Name\":\"");
            st.defs.extend_from_slice(&st.vals[ns..ne]);
            st.defs.push(b'"');
            if unit != Unit::None {
                st.defs.extend_from_slice(b",\"Unit\":");
                push_string(&mut st.defs, unit.name());
            }
            if high_res {
                st.defs.extend_from_slice(b",\"StorageResolution\":1");
            }
            st.defs.push(b'}');
            st.def_count += 1;
        }
        let def = (u(def_start), u(st.defs.len()));
        st.recs.push(MetricRec {
            def,
            val: (u(start), u(val_end)),
            group,
            pass: 0,
        });
        for (k, &val) in st.pending.iter().enumerate() {
            st.recs.push(MetricRec {
                def,
                val,
                group,
                pass: u(k + 1),
            });
            st.overflow = true;
        }
        let loc = Loc {
            buf: BufId::Vals,
            start: u(ns),
            end: u(ne),
        };
        st.note_field(loc, (val_end - start) + (st.defs.len() - def_start));
        if self.w.track_names
            && st.is_duplicate(loc, Kind::Metric, group)
            && self.w.cfg.validations.unique_names
        {
            self.duplicate();
        }
    }

    fn error(self, error: ValidationError) {
        self.w.e.errors.extend_mut(error.for_field(self.name));
    }

    fn values<'v, V: Value + 'v>(mut self, values: impl IntoIterator<Item = &'v V>) {
        let (start, loc) = self.begin_property();
        let props = &mut self.w.st.props;
        props.push(b'[');
        match push_list_elements(props, values) {
            Ok(()) => {
                props.push(b']');
                self.end_property(start, loc, Kind::List);
            }
            Err(e) => {
                props.truncate(start);
                self.error(e);
            }
        }
    }
}

//! Collecting one entry: the [`EntryWriter`]/[`ValueWriter`] implementations that encode each
//! field straight into the format's reused buffers.
//!
//! Two buffers are filled in one pass, in write order:
//! - `vals`: metric fields, `,"Name":value` each;
//! - `props`: string and list properties, `,"Name":"…"` each.
//!
//! Names and metric definitions (`,{"Name":"…","Unit":"…"}`) come from the [`Shape`] cache,
//! so an entry shaped like the previous one neither escapes names nor builds definitions.
//! Each metric also gets a [`MetricRec`] (byte ranges into `vals` and the shape's definitions),
//! which is what [`super::assemble`] needs to split an entry over several lines. The leading
//! commas let the common single-line case copy each buffer with one `extend_from_slice`.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use super::EmfConfig;
use super::flags_impl::{HighStorageResolutionFlag, NoMetricFlag};
use super::header::Headers;
use super::names::{BufId, Kind, Loc, NameTable, hash_bytes};
use super::shape::{Cursor, DefKind, Shape};
use crate::config::{AllowSplitEntries, AllowUnroutableEntries, EntryDimensions};
use crate::entry::{Entry, EntryConfig, EntryWriter};
use crate::format::epoch_millis::EpochMillis;
use crate::format::json_encode::{
    MillisText, clean_observation, finite, push_duration_millis, push_escaped, push_f64, push_i64,
    push_list_elements, push_observation_value, push_string, push_u64,
};
use crate::unit::Unit;
use crate::validate::{ValidationError, ValidationErrorBuilder};
use crate::value::{
    DistributionFlag as Distribution, MetricFlags, Observation, Value, ValueWriter, millis_f64,
};

/// One metric field: where its value and definition live.
#[derive(Debug, Clone, Copy)]
pub(super) struct MetricRec {
    /// `shape.defs[def.0..def.1]`, with a leading comma; empty for `NoMetric`.
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
    pub(super) props: Vec<u8>,
    pub(super) shape: Shape,
    pub(super) cursor: Cursor,
    /// Record [`MetricRec`]s and the largest field (the second, splitting pass).
    pub(super) record: bool,
    pub(super) recs: Vec<MetricRec>,
    pub(super) def_count: usize,
    /// Definitions of metrics written after a skipped cached field (see [`Shape::prefix_defs`]).
    pub(super) late_defs: Vec<(u32, u32)>,
    /// Some metric continues on further lines (over 100 distinct values).
    pub(super) overflow: bool,
    pub(super) names: NameTable,
    pub(super) obs: Vec<Observation>,
    pub(super) folded: Vec<(Observation, u64)>,
    pub(super) pending: Vec<(u32, u32)>,
    pub(super) groups: Vec<Group>,
    pub(super) dimtext: Vec<u8>,
    /// Escaped keys (ranges in `dimtext`) of the group `group_for` just created.
    new_keys: Vec<(u32, u32)>,
    pub(super) largest: Largest,
    pub(super) out: Vec<u8>,
    pub(super) scratch: Vec<u8>,
    /// Dimension sets of this entry: `(start, end, key count)` into `settext`.
    pub(super) sets: Vec<(u32, u32, u32)>,
    pub(super) settext: Vec<u8>,
    pub(super) chunk: Vec<u32>,
    /// The single line's headers of recent definition sets.
    pub(super) headers: Headers,
    pub(super) millis_text: MillisText,
    pub(super) epoch_millis: EpochMillis,
    /// Where this entry's lines start in `out`: bytes before it belong to the caller (see
    /// [`format_entry_into`]).
    pub(super) base: usize,
}

#[allow(clippy::cast_possible_truncation)] // buffer offsets: lines are capped far below 4 GiB
fn u(n: usize) -> u32 {
    n as u32
}

impl State {
    /// Clears what one entry left; `slow` as in [`Cursor::slow`].
    fn reset(&mut self, slow: bool) {
        self.vals.clear();
        self.props.clear();
        self.cursor = Cursor::new(slow);
        self.recs.clear();
        self.def_count = 0;
        self.late_defs.clear();
        self.overflow = false;
        self.names.clear();
        self.groups.clear();
        self.dimtext.clear();
        self.new_keys.clear();
        self.largest = Largest::default();
        self.out.truncate(self.base);
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
            BufId::Dims => &self.dimtext,
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

    /// Records a name (escaped, at `loc`, hashing to `hash`); returns true if it was already
    /// written.
    fn is_duplicate(&mut self, hash: u64, loc: Loc, kind: Kind, group: u32) -> bool {
        let State {
            names,
            vals,
            props,
            dimtext,
            ..
        } = self;
        let bytes_of = |l: Loc| {
            let b = match l.buf {
                BufId::Vals => &vals[..],
                BufId::Props => &props[..],
                BufId::Dims => &dimtext[..],
            };
            &b[l.start as usize..l.end as usize]
        };
        names.insert(hash, loc, kind, group, bytes_of).is_some()
    }

    /// The group for a per-metric dimension tuple, created if new (its escaped keys are then
    /// listed in `new_keys`). `None` if a key is `_aws` (it would replace the EMF metadata).
    fn group_for<'d>(&mut self, dims: impl Iterator<Item = (&'d str, &'d str)>) -> Option<u32> {
        let State {
            dimtext,
            scratch,
            groups,
            new_keys,
            ..
        } = self;
        new_keys.clear();
        let start = dimtext.len();
        scratch.clear();
        let mut count = 0;
        for (k, v) in dims {
            if k == "_aws" {
                // Nothing of this tuple may survive: the caller reports the error and the
                // next metric must not see these keys as new.
                dimtext.truncate(start);
                new_keys.clear();
                return None;
            }
            dimtext.push(b',');
            let ks = dimtext.len();
            push_string(dimtext, k);
            new_keys.push((u(ks + 1), u(dimtext.len() - 1)));
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
                new_keys.clear();
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
///
/// The first pass writes the entry's fields without recording per-metric ranges and builds
/// the single line of the common case. Only if the entry needs the general path (per-metric
/// dimensions, more than 100 metrics or values, over the size cap) is it written again with
/// recording on; [`Entry::write`] is pure, so both passes see the same fields.
pub(super) fn format_entry<'s>(
    cfg: &EmfConfig,
    st: &'s mut State,
    entry: &impl Entry,
    multiplicity: Option<u64>,
) -> Result<&'s [u8], ValidationError> {
    format_lines(cfg, st, entry, multiplicity)?;
    Ok(&st.out)
}

/// Appends the lines of `entry` to `dest` directly (no copy through `state.out`). On error
/// `dest` is left as it was.
pub(super) fn format_entry_into(
    cfg: &EmfConfig,
    st: &mut State,
    entry: &impl Entry,
    multiplicity: Option<u64>,
    dest: &mut Vec<u8>,
) -> Result<(), ValidationError> {
    /// Gives `dest` back (and the state its own buffer) even if the entry panics.
    struct Lend<'x> {
        st: &'x mut State,
        dest: &'x mut Vec<u8>,
    }
    impl Drop for Lend<'_> {
        fn drop(&mut self) {
            std::mem::swap(&mut self.st.out, self.dest);
            self.st.base = 0;
        }
    }
    std::mem::swap(&mut st.out, dest);
    st.base = st.out.len();
    let lend = Lend { st, dest };
    format_lines(cfg, lend.st, entry, multiplicity)
}

fn format_lines(
    cfg: &EmfConfig,
    st: &mut State,
    entry: &impl Entry,
    multiplicity: Option<u64>,
) -> Result<(), ValidationError> {
    let e = write_fields(cfg, st, entry, multiplicity, false);
    let done = super::assemble::finish_single_line(cfg, st, e).and_then(|single| {
        if !single {
            let e = write_fields(cfg, st, entry, multiplicity, true);
            super::assemble::finish(cfg, st, e)?;
        }
        Ok(())
    });
    if done.is_err() {
        st.out.truncate(st.base);
    }
    done
}

fn write_fields<'a>(
    cfg: &EmfConfig,
    st: &mut State,
    entry: &'a impl Entry,
    multiplicity: Option<u64>,
    record: bool,
) -> EntryState<'a> {
    let track_names = cfg.validations.unique_names || cfg.validations.dimensions_exist;
    st.reset(record || track_names);
    st.record = record;
    let mut w = EmfWriter {
        cfg,
        st,
        track_names,
        e: EntryState {
            multiplicity,
            ..EntryState::default()
        },
    };
    entry.__write_emf(&mut w);
    w.e
}

/// The [`EntryWriter`] of the EMF format. Public (hidden) only so that [`Entry::__write_emf`]
/// can name it: a boxed entry then writes into it through one virtual call instead of one per
/// field.
#[doc(hidden)]
#[allow(missing_debug_implementations)] // not public API
pub struct EmfWriter<'s, 'a> {
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

    #[inline(always)]
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
    /// Writes a single-observation metric without flags or dimensions: the hot path.
    #[inline(always)]
    fn scalar(self, unit: Unit, value: impl FnOnce(&mut Vec<u8>)) {
        let st = &mut *self.w.st;
        let start = st.vals.len();
        let i = st.shape.push_key(
            &mut st.cursor,
            self.name,
            Kind::Metric,
            unit,
            DefKind::Standard,
            &mut st.vals,
        );
        value(&mut st.vals);
        st.def_count += 1;
        if st.cursor.slow {
            self.scalar_bookkeeping(i, start);
        }
    }

    /// What [`FieldWriter::scalar`] records besides the text: a definition written after a
    /// skipped cached field, the metric's ranges (second pass), its name (validations).
    #[inline(never)]
    fn scalar_bookkeeping(self, i: usize, start: usize) {
        let st = &mut *self.w.st;
        let f = st.shape.get(i);
        let (def, hash, n) = (f.def, f.hash, f.frag_len());
        if !st.cursor.contiguous {
            st.late_defs.push(def);
        }
        let loc = Loc {
            buf: BufId::Vals,
            start: u(start + 2),
            end: u(start + n - 2),
        };
        if st.record {
            let end = st.vals.len();
            st.recs.push(MetricRec {
                def,
                val: (u(start), u(end)),
                group: 0,
                pass: 0,
            });
            st.note_field(loc, (end - start) + (def.1 - def.0) as usize);
        }
        if self.w.track_names {
            self.check_metric_name(hash, loc, 0);
        }
    }

    #[inline(never)]
    fn check_metric_name(self, hash: u64, loc: Loc, group: u32) {
        if self.w.st.is_duplicate(hash, loc, Kind::Metric, group)
            && self.w.cfg.validations.unique_names
        {
            self.duplicate();
        }
    }

    /// Every other metric: flags, several observations, per-metric dimensions, sampling.
    #[inline(never)]
    fn general_metric<'d>(
        self,
        distribution: impl Iterator<Item = Observation>,
        unit: Unit,
        mut dims: std::iter::Peekable<impl Iterator<Item = (&'d str, &'d str)>>,
        flags: MetricFlags<'_>,
    ) {
        let (def_kind, distribution_flag) = if flags.is_empty() {
            (DefKind::Standard, false)
        } else if flags.has::<NoMetricFlag>() {
            (DefKind::None, flags.has::<Distribution>())
        } else if flags.has::<HighStorageResolutionFlag>() {
            (DefKind::HighResolution, flags.has::<Distribution>())
        } else {
            (DefKind::Standard, flags.has::<Distribution>())
        };
        let multiplicity = self.w.e.multiplicity;
        let force_histogram = distribution_flag || multiplicity.is_some();

        let mut it = distribution.filter_map(clean_observation);
        let Some(first) = it.next() else {
            // No observation (or only NaN): nothing is written.
            return;
        };
        let second = it.next();

        let st = &mut *self.w.st;
        let start = st.vals.len();
        let i = st.shape.push_key(
            &mut st.cursor,
            self.name,
            Kind::Metric,
            unit,
            def_kind,
            &mut st.vals,
        );
        let f = st.shape.get(i);
        let (def, hash) = (f.def, f.hash);
        let n = st.vals.len() - start;
        let name = (start + 2, start + n - 2);

        st.pending.clear();
        if second.is_none() && !force_histogram && !matches!(first, Observation::Repeated { .. }) {
            push_observation_value(&mut st.vals, first);
        } else {
            st.obs.clear();
            st.obs.push(first);
            st.obs.extend(second);
            st.obs.extend(it);
            st.write_histogram(name, multiplicity.unwrap_or(1), def_kind != DefKind::None);
        }
        let val_end = st.pending.first().map_or(st.vals.len(), |p| p.0 as usize);

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
        // A new group's keys become string fields of its line: they must not collide with
        // the entry's fields.
        if self.w.track_names && self.w.cfg.validations.unique_names {
            for k in 0..st.new_keys.len() {
                let (ks, ke) = st.new_keys[k];
                let loc = Loc {
                    buf: BufId::Dims,
                    start: ks,
                    end: ke,
                };
                let hash = hash_bytes(&st.dimtext[ks as usize..ke as usize]);
                if st.is_duplicate(hash, loc, Kind::Dimension, group) {
                    let key =
                        String::from_utf8_lossy(&st.dimtext[ks as usize..ke as usize]).into_owned();
                    let e = ValidationError::invalid("duplicate field").for_field(&key);
                    self.w.e.errors.extend_mut(e);
                }
            }
        }
        st.new_keys.clear();

        st.def_count += usize::from(def.1 > def.0);
        if !st.cursor.contiguous && def.1 > def.0 {
            st.late_defs.push(def);
        }
        st.recs.push(MetricRec {
            def,
            val: (u(start), u(val_end)),
            group,
            pass: 0,
        });
        if !st.pending.is_empty() {
            st.overflow = true;
            for (k, &val) in st.pending.iter().enumerate() {
                st.recs.push(MetricRec {
                    def,
                    val,
                    group,
                    pass: u(k + 1),
                });
            }
        }
        let loc = Loc {
            buf: BufId::Vals,
            start: u(name.0),
            end: u(name.1),
        };
        st.note_field(loc, (val_end - start) + (def.1 - def.0) as usize);
        if self.w.track_names {
            self.check_metric_name(hash, loc, group);
        }
    }

    fn duplicate(self) {
        let e = ValidationError::invalid("duplicate field").for_field(self.name);
        self.w.e.errors.extend_mut(e);
    }

    /// Starts a property: `,"name":"` or `,"name":[`; returns (field start, name location,
    /// cached field index).
    #[inline(always)]
    fn begin_property(&mut self, kind: Kind) -> (usize, Loc, usize) {
        let st = &mut *self.w.st;
        let start = st.props.len();
        let i = st.shape.push_key(
            &mut st.cursor,
            self.name,
            kind,
            Unit::None,
            DefKind::None,
            &mut st.props,
        );
        let n = st.props.len() - start;
        let loc = Loc {
            buf: BufId::Props,
            start: u(start + 2),
            end: u(start + n - 3),
        };
        (start, loc, i)
    }

    #[inline(always)]
    fn end_property(self, start: usize, loc: Loc, field: usize, kind: Kind) {
        let st = &mut *self.w.st;
        if st.record {
            st.note_field(loc, st.props.len() - start);
        }
        if self.w.track_names {
            let hash = st.shape.get(field).hash;
            if st.is_duplicate(hash, loc, kind, 0) && self.w.cfg.validations.unique_names {
                self.duplicate();
            }
        }
    }
}

impl ValueWriter for FieldWriter<'_, '_, '_> {
    #[inline(always)]
    fn string(mut self, value: &str) {
        let (start, loc, field) = self.begin_property(Kind::Property);
        push_escaped(&mut self.w.st.props, value);
        self.w.st.props.push(b'"');
        self.end_property(start, loc, field, Kind::Property);
    }

    #[inline(always)]
    fn metric<'d>(
        self,
        distribution: impl IntoIterator<Item = Observation>,
        unit: Unit,
        dimensions: impl IntoIterator<Item = (&'d str, &'d str)>,
        flags: MetricFlags<'_>,
    ) {
        let mut it = distribution.into_iter();
        let Some(first) = it.next() else { return };
        let second = it.next();
        let mut dims = dimensions.into_iter().peekable();
        // One observation, no flags, no dimensions: what `__scalar` handles.
        if second.is_none() && flags.is_empty() && dims.peek().is_none() {
            return self.__scalar(first, unit);
        }
        let obs = std::iter::once(first).chain(second).chain(it);
        self.general_metric(obs, unit, dims, flags);
    }

    /// The common case: one plain observation, not sampled, written by [`FieldWriter::scalar`].
    #[inline(always)]
    fn __scalar(self, observation: Observation, unit: Unit) {
        if self.w.e.multiplicity.is_some() || matches!(observation, Observation::Repeated { .. }) {
            return self.general_metric(
                std::iter::once(observation),
                unit,
                std::iter::empty::<(&str, &str)>().peekable(),
                MetricFlags::empty(),
            );
        }
        match observation {
            Observation::Unsigned(v) => self.scalar(unit, |b| push_u64(b, v)),
            Observation::Signed(v) => self.scalar(unit, |b| push_i64(b, v)),
            Observation::Floating(v) => {
                // NaN writes nothing; ±∞ is clamped.
                if let Some(v) = finite(v) {
                    self.scalar(unit, |b| push_f64(b, v));
                }
            }
            Observation::Repeated { .. } => {}
        }
    }

    #[inline(always)]
    fn __duration_millis(self, duration: Duration, unit: Unit) {
        if self.w.e.multiplicity.is_some() {
            return self.__scalar(Observation::Floating(millis_f64(&duration)), unit);
        }
        self.scalar(unit, |b| push_duration_millis(b, duration));
    }

    fn error(self, error: ValidationError) {
        self.w.e.errors.extend_mut(error.for_field(self.name));
    }

    fn values<'v, V: Value + 'v>(mut self, values: impl IntoIterator<Item = &'v V>) {
        let (start, loc, field) = self.begin_property(Kind::List);
        let props = &mut self.w.st.props;
        match push_list_elements(props, values) {
            Ok(()) => {
                props.push(b']');
                self.end_property(start, loc, field, Kind::List);
            }
            Err(e) => {
                props.truncate(start);
                self.error(e);
            }
        }
    }
}

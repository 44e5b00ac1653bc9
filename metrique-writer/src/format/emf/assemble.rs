//! Turning a collected entry into lines: validation, dimension sets, and the split into
//! several lines when the [limits](super::limits) require it.
//!
//! The common case (no per-metric dimensions, at most 100 metrics, under the size cap) is one
//! line made of a few `extend_from_slice` calls. Everything else goes through [`general`], which
//! groups metrics by per-metric dimension tuple and continuation pass and packs them greedily
//! into lines of at most 100 definitions and at most the size cap.

use std::time::SystemTime;

use super::EmfConfig;
use super::limits::{
    MAX_DIMENSIONS_PER_SET, MAX_METRICS_PER_DIRECTIVE, dimension_set_error, line_too_large_error,
};
use super::names::{Kind, hash_bytes};
use super::writer::{EntryState, MetricRec, State};
use crate::format::json_encode::{push_escaped, push_millis, push_string};
use crate::validate::ValidationError;

const METRICS_OPEN: &[u8] = b",\"Metrics\":[";
const DIRECTIVE_CLOSE: &[u8] = b"]}";

#[allow(clippy::cast_possible_truncation)] // buffer offsets: lines are capped far below 4 GiB
fn u(n: usize) -> u32 {
    n as u32
}

fn range(r: (u32, u32)) -> std::ops::Range<usize> {
    r.0 as usize..r.1 as usize
}

/// Validates the entry; on success returns its timestamp in milliseconds.
#[inline(always)]
fn validate(
    cfg: &EmfConfig,
    st: &mut State,
    e: &mut EntryState<'_>,
) -> Result<u64, ValidationError> {
    // The common case has nothing to check: no errors reported while writing, one timestamp
    // at most, no name validations, no entry dimensions.
    let quiet = e.errors.is_empty()
        && e.timestamps <= 1
        && cfg.default_sets_error.is_none()
        && !(cfg.validations.unique_names || cfg.validations.dimensions_exist)
        && e.entry_dims.is_none();
    if !quiet {
        validate_fully(cfg, st, e)?;
    }
    Ok(st
        .epoch_millis
        .of(e.timestamp.unwrap_or_else(SystemTime::now)))
}

/// Every check of [`validate`].
#[inline(never)]
fn validate_fully(
    cfg: &EmfConfig,
    st: &mut State,
    e: &mut EntryState<'_>,
) -> Result<(), ValidationError> {
    let mut errors = std::mem::take(&mut e.errors);
    if e.timestamps > 1 {
        errors.invalid_mut("multiple timestamps written");
    }
    if let Some(msg) = &cfg.default_sets_error {
        errors.invalid_mut(msg.clone());
    }
    if cfg.validations.unique_names || cfg.validations.dimensions_exist {
        check_dimension_fields(cfg, st, e, &mut errors);
    }
    if let Some(entry_dims) = e.entry_dims {
        cross_join(cfg, st, entry_dims, &mut errors);
    }
    errors.build()
}

/// Validates the entry and, in the common case, writes it as one line into `st.out`.
/// Returns `Ok(false)` if the entry needs [`finish`] (written again with recording on).
pub(super) fn finish_single_line(
    cfg: &EmfConfig,
    st: &mut State,
    mut e: EntryState<'_>,
) -> Result<bool, ValidationError> {
    let millis = validate(cfg, st, &mut e)?;
    if !st.groups.is_empty() || st.overflow || st.def_count > MAX_METRICS_PER_DIRECTIVE {
        return Ok(false);
    }
    if e.entry_dims.is_some() {
        let mut scratch = std::mem::take(&mut st.scratch);
        scratch.clear();
        push_dims_text(&mut scratch, st, None);
        st.scratch = scratch;
    }
    let State {
        out,
        shape,
        cursor,
        late_defs,
        vals,
        props,
        scratch,
        headers,
        millis_text,
        base,
        ..
    } = &mut *st;
    let base = *base;
    let prefix = shape.prefix_defs(cursor);
    let push_all_defs = |out: &mut Vec<u8>| {
        // Each definition starts with a comma; the first one's is dropped.
        let mut first = true;
        let late = late_defs
            .iter()
            .map(|&(s, e)| &shape.defs[s as usize..e as usize]);
        for d in std::iter::once(prefix).chain(late) {
            if let Some(rest) = d.get(usize::from(first)..).filter(|_| !d.is_empty()) {
                out.extend_from_slice(rest);
                first = false;
            }
        }
    };
    if e.entry_dims.is_none() && cfg.more_namespaces.is_empty() {
        // The hot path: a few copies of pre-rendered fragments. The header depends only on
        // the configuration (fixed for this state) and which cached definitions were used.
        headers.push(out, shape.generation, prefix.len(), late_defs, |header| {
            header.extend_from_slice(&cfg.single_prefix);
            push_all_defs(header);
            header.extend_from_slice(&cfg.single_tail);
        });
        millis_text.push(out, millis);
        out.push(b'}');
        out.extend_from_slice(vals);
        out.extend_from_slice(props);
        out.extend_from_slice(b"}\n");
    } else {
        let dims: &[u8] = if e.entry_dims.is_some() {
            scratch
        } else {
            &cfg.default_dims_text
        };
        let parts = LineParts {
            dims,
            millis,
            group_fields: &[],
            props,
        };
        write_line(cfg, out, &parts, push_all_defs, |out| {
            out.extend_from_slice(vals);
        });
    }
    if out.len() - base - 1 <= cfg.max_line_bytes {
        return Ok(true);
    }
    out.truncate(base);
    Ok(false)
}

/// The general case: validates the entry (written with recording on) and writes its lines.
pub(super) fn finish(
    cfg: &EmfConfig,
    st: &mut State,
    mut e: EntryState<'_>,
) -> Result<(), ValidationError> {
    let millis = validate(cfg, st, &mut e)?;
    if e.entry_dims.is_none() {
        st.sets.clear();
        st.settext.clear();
        for s in &cfg.default_sets {
            let start = st.settext.len();
            st.settext.extend_from_slice(&s.keys);
            st.sets.push((u(start), u(st.settext.len()), u(s.count)));
        }
    }
    general(cfg, st, millis)
}

/// "missing dimension" / "can't use metric in dimension field" for every dimension key.
fn check_dimension_fields(
    cfg: &EmfConfig,
    st: &mut State,
    e: &EntryState<'_>,
    errors: &mut crate::validate::ValidationErrorBuilder,
) {
    let mut check =
        |st: &State, raw: &str, escaped: &[u8], hash: u64| match st
            .names
            .find(hash, escaped, |l| st.bytes(l))
        {
            None if cfg.validations.dimensions_exist && !e.unroutable => {
                errors.extend_mut(ValidationError::invalid("missing dimension").for_field(raw));
            }
            Some(r) if r.kind == Kind::Metric && cfg.validations.unique_names => {
                errors.extend_mut(
                    ValidationError::invalid("can't use metric in dimension field").for_field(raw),
                );
            }
            Some(r) if r.kind == Kind::List && cfg.validations.unique_names => {
                errors.extend_mut(
                    ValidationError::invalid("can't use a list in dimension field").for_field(raw),
                );
            }
            _ => {}
        };
    for (raw, escaped, hash) in &cfg.default_keys {
        check(st, raw, escaped, *hash);
    }
    if let Some(dims) = e.entry_dims {
        let mut scratch = std::mem::take(&mut st.scratch);
        for set in dims.dim_sets() {
            for key in set {
                scratch.clear();
                push_escaped(&mut scratch, key);
                check(st, key, &scratch, hash_bytes(&scratch));
            }
        }
        st.scratch = scratch;
    }
}

/// Every default set extended with every entry set, into `st.sets`.
fn cross_join(
    cfg: &EmfConfig,
    st: &mut State,
    entry_dims: &crate::config::EntryDimensions,
    errors: &mut crate::validate::ValidationErrorBuilder,
) {
    st.sets.clear();
    st.settext.clear();
    for (d, raw) in cfg.default_sets.iter().zip(&cfg.default_dimensions) {
        for (j, set) in entry_dims.dim_sets().enumerate() {
            let start = st.settext.len();
            st.settext.extend_from_slice(&d.keys);
            let mut count = d.count;
            for key in set {
                if count > 0 {
                    st.settext.push(b',');
                }
                push_string(&mut st.settext, key);
                count += 1;
            }
            if count > MAX_DIMENSIONS_PER_SET && d.count <= MAX_DIMENSIONS_PER_SET {
                let keys = raw.iter().map(String::as_str);
                let extra = entry_dims.dim_sets().nth(j).into_iter().flatten();
                errors.invalid_mut(dimension_set_error(keys.chain(extra), count));
            }
            st.sets.push((u(start), u(st.settext.len()), u(count)));
        }
    }
}

/// Writes the `Dimensions` array for this entry's sets, each extended with `group_keys`.
fn push_dims_text(text: &mut Vec<u8>, st: &State, group_keys: Option<&[u8]>) {
    text.push(b'[');
    for (i, &(s, e, count)) in st.sets.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        text.push(b'[');
        text.extend_from_slice(&st.settext[s as usize..e as usize]);
        if let Some(g) = group_keys {
            if count > 0 {
                text.push(b',');
            }
            text.extend_from_slice(g);
        }
        text.push(b']');
    }
    text.push(b']');
}

/// Writes one line: `{"_aws":{…directives…,"Timestamp":T}` + group fields + metric values +
/// properties + `}\n`. `defs` writes the metric definitions (called once per namespace).
/// What one line holds besides its metrics.
struct LineParts<'x> {
    /// The `Dimensions` array.
    dims: &'x [u8],
    millis: u64,
    /// Per-metric dimension values, `,"k":"v"` each.
    group_fields: &'x [u8],
    props: &'x [u8],
}

fn write_line(
    cfg: &EmfConfig,
    out: &mut Vec<u8>,
    line: &LineParts<'_>,
    mut defs: impl FnMut(&mut Vec<u8>),
    vals: impl FnOnce(&mut Vec<u8>),
) {
    let LineParts {
        dims,
        millis,
        group_fields,
        props,
    } = *line;
    out.extend_from_slice(&cfg.head);
    out.extend_from_slice(dims);
    out.extend_from_slice(METRICS_OPEN);
    defs(out);
    out.extend_from_slice(DIRECTIVE_CLOSE);
    for ns in &cfg.more_namespaces {
        out.extend_from_slice(ns);
        out.extend_from_slice(dims);
        out.extend_from_slice(METRICS_OPEN);
        defs(out);
        out.extend_from_slice(DIRECTIVE_CLOSE);
    }
    out.extend_from_slice(&cfg.tail);
    push_millis(out, millis);
    out.push(b'}');
    out.extend_from_slice(group_fields);
    vals(out);
    out.extend_from_slice(props);
    out.extend_from_slice(b"}\n");
}

/// Writes the definitions of `metrics` (comma-separated).
fn push_defs<'r>(out: &mut Vec<u8>, defs: &[u8], metrics: impl Iterator<Item = &'r MetricRec>) {
    let mut first = true;
    for r in metrics {
        let d = range(r.def);
        if !d.is_empty() {
            let skip = usize::from(first);
            out.extend_from_slice(&defs[d.start + skip..d.end]);
            first = false;
        }
    }
}

/// The size-cap error for a line of `line` bytes.
fn too_large(cfg: &EmfConfig, st: &State, line: usize) -> ValidationError {
    let (name, size) = match st.largest.loc {
        Some(loc) => (
            String::from_utf8_lossy(st.bytes(loc)).into_owned(),
            st.largest.size,
        ),
        None => (String::from("_aws"), line),
    };
    ValidationError::invalid(line_too_large_error(line, cfg.max_line_bytes, &name, size))
}

/// The general case: per-metric dimension groups, continuation passes, and packing into lines
/// of at most 100 definitions and `max_line_bytes`.
fn general(cfg: &EmfConfig, st: &mut State, millis: u64) -> Result<(), ValidationError> {
    let namespaces = 1 + cfg.more_namespaces.len();
    let ns_overhead: usize = cfg.more_namespaces.iter().map(Vec::len).sum();
    let mut wrote_dimensioned = false;
    let groups = st.groups.len();
    // Dimensioned groups first, then the undimensioned metrics (written only if it has metrics
    // or nothing else was written, so every entry produces at least one line).
    for g in (1..=u(groups)).chain([0]) {
        let (group_fields, group_keys) = if g == 0 {
            (0..0, None)
        } else {
            let grp = st.groups[g as usize - 1];
            for &(_, _, count) in &st.sets {
                let total = (count + grp.count) as usize;
                if total > MAX_DIMENSIONS_PER_SET {
                    let keys = String::from_utf8_lossy(&st.dimtext[range(grp.keys)]).into_owned();
                    return Err(ValidationError::invalid(dimension_set_error(
                        std::iter::once(keys.as_str()),
                        total,
                    )));
                }
            }
            (range(grp.fields), Some(range(grp.keys)))
        };
        let mut dims = std::mem::take(&mut st.scratch);
        dims.clear();
        push_dims_text(&mut dims, st, group_keys.map(|r| &st.dimtext[r]));
        let max_pass = st
            .recs
            .iter()
            .filter(|r| r.group == g)
            .map(|r| r.pass)
            .max();
        if max_pass.is_none() && (g != 0 || wrote_dimensioned) {
            st.scratch = dims;
            continue;
        }
        let fixed = cfg.head.len()
            + ns_overhead
            + namespaces * (dims.len() + METRICS_OPEN.len() + DIRECTIVE_CLOSE.len())
            + cfg.tail.len()
            + 20 // timestamp digits
            + 1
            + group_fields.len()
            + st.props.len()
            + 1;
        for pass in 0..=max_pass.unwrap_or(0) {
            let mut chunk = std::mem::take(&mut st.chunk);
            chunk.clear();
            chunk.extend(
                st.recs
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.group == g && r.pass == pass)
                    .map(|(i, _)| u(i)),
            );
            let result = write_packed(cfg, st, &chunk, &dims, group_fields.clone(), millis, fixed);
            st.chunk = chunk;
            if let Err(e) = result {
                st.scratch = dims;
                return Err(e);
            }
        }
        wrote_dimensioned |= g != 0;
        st.scratch = dims;
    }
    Ok(())
}

/// Writes the metrics `idx` (all of one group and pass) as as few lines as the limits allow.
fn write_packed(
    cfg: &EmfConfig,
    st: &mut State,
    idx: &[u32],
    dims: &[u8],
    group_fields: std::ops::Range<usize>,
    millis: u64,
    fixed: usize,
) -> Result<(), ValidationError> {
    let namespaces = 1 + cfg.more_namespaces.len();
    let cost =
        |r: &MetricRec| (r.val.1 - r.val.0) as usize + (r.def.1 - r.def.0) as usize * namespaces;
    let mut i = 0;
    loop {
        // Greedy: take metrics while the line has room for their definitions and bytes.
        let mut j = i;
        let mut n_defs = 0;
        let mut bytes = fixed;
        while j < idx.len() {
            let r = &st.recs[idx[j] as usize];
            let has_def = r.def.1 > r.def.0;
            if has_def && n_defs == MAX_METRICS_PER_DIRECTIVE {
                break;
            }
            if j > i && bytes + cost(r) > cfg.max_line_bytes {
                break;
            }
            bytes += cost(r);
            n_defs += usize::from(has_def);
            j += 1;
        }
        let line_start = st.out.len();
        let State {
            out,
            recs,
            shape,
            vals,
            props,
            dimtext,
            ..
        } = &mut *st;
        let line = &idx[i..j];
        let parts = LineParts {
            dims,
            millis,
            group_fields: &dimtext[group_fields.clone()],
            props,
        };
        write_line(
            cfg,
            out,
            &parts,
            |out| push_defs(out, &shape.defs, line.iter().map(|&k| &recs[k as usize])),
            |out| {
                for &k in line {
                    out.extend_from_slice(&vals[range(recs[k as usize].val)]);
                }
            },
        );
        let len = st.out.len() - line_start - 1;
        if len > cfg.max_line_bytes {
            return Err(too_large(cfg, st, len));
        }
        i = j;
        if i >= idx.len() {
            return Ok(());
        }
    }
}

//! [`Emf`]: Amazon CloudWatch Embedded Metric Format, one JSON object per line.
//!
//! Each entry becomes one line (or several, see below) of the form
//!
//! ```text
//! {"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{"Name":"NumberOfDucks"},{"Name":"OperationTime","Unit":"Milliseconds"}]}],"Timestamp":1752774958378},"NumberOfDucks":5,"OperationTime":0.003024,"Operation":"CountDucks"}
//! ```
//!
//! byte-identical to metrique 0.1.33 for the same entry: metric definitions and metric values
//! in write order, then string and list properties in write order; a single observation as a
//! plain number, anything else (several observations, [`Observation::Repeated`](crate::Observation::Repeated), the
//! [`DistributionFlag`](crate::value::DistributionFlag), sampling) as `{"Values":[…],"Counts":[…]}`.
//!
//! # Better than metrique 0.1.33
//! - **CloudWatch limits are enforced** ([`limits`]): more than 100 metrics → several lines;
//!   more than 100 distinct values in a metric → several lines; a dimension set over 30 keys or
//!   a line over the size cap ([`EmfBuilder::max_line_bytes`]) → a validation error with a clear
//!   message. Every line written is one valid JSON object, and an entry that fails validation
//!   writes nothing.
//! - **Validation runs in release builds too**: [`Emf::all_validations`] and
//!   [`Emf::builder`]`(..).build()` validate in every build profile.
//! - Signed integers ([`Observation::Signed`](crate::Observation::Signed)) are written as JSON integers.
//!
//! # Examples
//! ```
//! use metrique_writer::format::{Format, emf::Emf};
//! use metrique_writer::{Entry, EntryWriter};
//! use std::time::{Duration, SystemTime};
//!
//! struct Ducks;
//! impl Entry for Ducks {
//!     fn write<'a>(&'a self, w: &mut impl EntryWriter<'a>) {
//!         w.timestamp(SystemTime::UNIX_EPOCH + Duration::from_millis(1752774958378));
//!         w.value("NumberOfDucks", &5u64);
//!         w.value("OperationTime", &Duration::from_nanos(3024));
//!         w.value("Operation", "CountDucks");
//!     }
//! }
//!
//! let mut emf = Emf::all_validations("Ns".to_string(), vec![vec![]]);
//! let mut out = Vec::new();
//! emf.format(&Ducks, &mut out).unwrap();
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Ns","Dimensions":[[]],"Metrics":[{"Name":"NumberOfDucks"},{"Name":"OperationTime","Unit":"Milliseconds"}]}],"Timestamp":1752774958378},"NumberOfDucks":5,"OperationTime":0.003024,"Operation":"CountDucks"}"#.to_string() + "\n",
//! );
//! ```
//!
//! # Dimensions
//! The directive's `Dimensions` are the builder's default dimension sets, each extended with
//! every entry dimension set (an [`EntryDimensions`] config, written by
//! `#[metrics(emf::dimension_sets = …)]`). Dimension keys must name string properties of the
//! entry ("missing dimension", "can't use metric in dimension field").
//!
//! Per-metric dimensions ([`WithDimensions`](crate::value::WithDimensions)) need the
//! [`AllowSplitEntries`] config: each distinct `(key → value)` tuple then gets its own line whose
//! dimension sets are the entry's sets extended with the tuple's keys, and whose fields are the
//! tuple's values, its metrics and all string properties. The line of metrics without
//! per-metric dimensions is written if it has metrics or if no other line was written. Without
//! `AllowSplitEntries` per-metric dimensions are a validation error unless
//! [`EmfBuilder::allow_ignored_dimensions`] drops them. `AllowSplitEntries` and
//! `EntryDimensions` must be written before the first metric with per-metric dimensions.

use std::io;
use std::sync::Arc;

use crate::entry::Entry;
use crate::format::Format;
use crate::stream::IoStreamError;

pub use crate::config::{AllowSplitEntries, EntryDimensions};

mod assemble;
mod directive;
mod flags_impl;
mod header;
mod histogram;
pub mod limits;
mod names;
mod sampled;
mod shape;
pub(crate) mod writer;

pub use directive::{MetricDefinition, MetricDirective, StorageResolution};
pub use flags_impl::{
    HighStorageResolution, HighStorageResolutionCtor, HighStorageResolutionFlag, NoMetric,
    NoMetricCtor, NoMetricFlag,
};
pub use sampled::SampledEmf;

use crate::format::json_encode::{push_escaped, push_string};

/// Flag constructors for `#[metrics(flags(..))]` and `default_flags(..)`.
///
/// ```
/// use metrique_writer::format::emf::flags::{HighStorageResolution, NoMetric};
/// use metrique_writer::value::FlagConstructor;
/// assert!(!<HighStorageResolution as FlagConstructor>::construct().is_empty());
/// assert!(!<NoMetric as FlagConstructor>::construct().is_empty());
/// ```
pub mod flags {
    /// Publishes the metric at high (1 second) storage resolution: `"StorageResolution":1`.
    pub type HighStorageResolution = super::HighStorageResolutionCtor;
    /// Writes the value into the JSON but publishes no metric for it. Wins over
    /// [`HighStorageResolution`].
    pub type NoMetric = super::NoMetricCtor;
}

/// The Embedded Metric Format (see the [module docs](self)).
///
/// `Emf` keeps reusable buffers, so formatting does not allocate once warmed up. Cloning gives
/// a format with the same configuration and fresh buffers.
pub struct Emf {
    config: Arc<EmfConfig>,
    state: writer::State,
}

impl Clone for Emf {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            state: writer::State::default(),
        }
    }
}

impl std::fmt::Debug for Emf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emf")
            .field("namespaces", &self.config.namespaces)
            .field("default_dimensions", &self.config.default_dimensions)
            .field("validations", &self.config.validations)
            .field("max_line_bytes", &self.config.max_line_bytes)
            .finish_non_exhaustive()
    }
}

impl Emf {
    /// A builder publishing to `namespace` with the given default ("dev-ops") dimension sets.
    /// `vec![vec![]]` means "one dimension set with no dimensions". All validations are on.
    ///
    /// # Panics
    /// If `default_dimensions` is empty: without a dimension set CloudWatch publishes no metric.
    pub fn builder(namespace: String, default_dimensions: Vec<Vec<String>>) -> EmfBuilder {
        assert!(
            !default_dimensions.is_empty(),
            "Without dimension sets no metrics can be published. Pass `default_dimensions=vec![vec![]]` to publish metrics with no dimensions."
        );
        EmfBuilder {
            namespaces: vec![namespace],
            default_dimensions,
            validations: Validations::ALL,
            allow_ignored_dimensions: false,
            log_group_name: None,
            directives: Vec::new(),
            max_line_bytes: limits::DEFAULT_MAX_LINE_BYTES,
        }
    }

    /// An EMF format with every validation on, in every build profile (metrique 0.1.33 turns
    /// them off in release builds).
    ///
    /// # Panics
    /// As [`Emf::builder`].
    pub fn all_validations(namespace: String, default_dimensions: Vec<Vec<String>>) -> Self {
        Self::builder(namespace, default_dimensions).build()
    }

    /// An EMF format that skips the skippable validations (unique names, dimension presence,
    /// name checks). The CloudWatch limits are still enforced.
    ///
    /// # Panics
    /// As [`Emf::builder`].
    pub fn no_validations(namespace: String, default_dimensions: Vec<Vec<String>>) -> Self {
        Self::builder(namespace, default_dimensions)
            .skip_all_validations(true)
            .build()
    }

    /// This format, weighting sampled entries by the inverse of their sample rate (see
    /// [`SampledEmf`]).
    pub fn with_sampling(self) -> SampledEmf {
        SampledEmf::new(self)
    }

    /// Formats `entry` with an optional sampling multiplicity.
    fn format_with_multiplicity(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
        multiplicity: Option<u64>,
    ) -> Result<(), IoStreamError> {
        let Self { config, state } = self;
        let out = writer::format_entry(config, state, entry, multiplicity)?;
        output.write_all(out)?;
        state.shrink_if_huge();
        Ok(())
    }
}

impl Format for Emf {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.format_with_multiplicity(entry, output, None)
    }

    fn __format_to_vec(
        &mut self,
        entry: &impl Entry,
        output: &mut Vec<u8>,
    ) -> Result<(), IoStreamError> {
        let Self { config, state } = self;
        writer::format_entry_into(config, state, entry, None, output)?;
        Ok(())
    }

    fn __fork<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        // Entries are independent lines: a copy with the same configuration formats the same
        // bytes.
        let mut emf = self.clone();
        Some(Box::new(move |entry: &T, out: &mut Vec<u8>| {
            emf.__format_to_vec(entry, out)
        }))
    }
}

/// Which skippable validations run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Validations {
    unique_names: bool,
    dimensions_exist: bool,
    names: bool,
}

impl Validations {
    const ALL: Self = Self {
        unique_names: true,
        dimensions_exist: true,
        names: true,
    };
}

/// Builds an [`Emf`]; see [`Emf::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct EmfBuilder {
    namespaces: Vec<String>,
    default_dimensions: Vec<Vec<String>>,
    validations: Validations,
    allow_ignored_dimensions: bool,
    log_group_name: Option<String>,
    directives: Vec<MetricDirective>,
    max_line_bytes: usize,
}

impl EmfBuilder {
    /// Skips the check that every dimension named by a dimension set was written as a string
    /// property (metrics then may not be routable).
    pub fn allow_dimensions_with_no_data(mut self, allow: bool) -> Self {
        self.validations.dimensions_exist = !allow;
        self
    }

    /// Skips (or re-enables) every skippable validation: unique names, dimension presence and
    /// empty names. Never skipped: a field named `_aws` (it would replace the EMF metadata),
    /// two timestamps, value errors, entry-dimension misuse and the CloudWatch [`limits`].
    pub fn skip_all_validations(mut self, skip: bool) -> Self {
        let on = !skip;
        self.validations = Validations {
            unique_names: on,
            dimensions_exist: on,
            names: on,
        };
        self
    }

    /// Drops per-metric dimensions of entries that do not allow split entries, instead of
    /// failing them.
    pub fn allow_ignored_dimensions(mut self, allow: bool) -> Self {
        self.allow_ignored_dimensions = allow;
        self
    }

    /// Also publishes every metric to `namespace` (one more directive per line).
    pub fn add_namespace(mut self, namespace: String) -> Self {
        self.namespaces.push(namespace);
        self
    }

    /// Adds `"LogGroupName"` to `_aws` (for the CloudWatch agent's TCP/UDP endpoint).
    pub fn log_group_name(mut self, name: String) -> Self {
        self.log_group_name = Some(name);
        self
    }

    /// Appends a custom directive verbatim to every line (e.g. extra dimension sets for
    /// specific metrics). Its units are not rescaled.
    pub fn directive(mut self, directive: MetricDirective) -> Self {
        self.directives.push(directive);
        self
    }

    /// The largest line, in bytes (without the newline), this format writes. Entries whose
    /// metrics do not fit in one line are split over several lines; an entry whose properties
    /// alone (or one of whose metrics) exceed the cap is a validation error naming the largest
    /// field. Defaults to [`limits::DEFAULT_MAX_LINE_BYTES`] (256 KiB); CloudWatch Logs itself
    /// accepts events up to [`limits::CLOUDWATCH_MAX_EVENT_BYTES`].
    pub fn max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = max;
        self
    }

    /// Builds the format.
    pub fn build(self) -> Emf {
        Emf {
            config: Arc::new(EmfConfig::new(self)),
            state: writer::State::default(),
        }
    }
}

/// One pre-escaped dimension set: `"a","b"` and its key count.
#[derive(Debug, Clone)]
struct DimSetText {
    keys: Vec<u8>,
    count: usize,
}

/// The immutable part of an [`Emf`], with every static JSON fragment pre-rendered.
#[derive(Debug)]
struct EmfConfig {
    namespaces: Vec<String>,
    default_dimensions: Vec<Vec<String>>,
    validations: Validations,
    allow_ignored_dimensions: bool,
    max_line_bytes: usize,
    /// `{"_aws":{"CloudWatchMetrics":[{"Namespace":"<ns0>","Dimensions":`
    head: Vec<u8>,
    /// `,{"Namespace":"<nsN>","Dimensions":` for namespaces after the first.
    more_namespaces: Vec<Vec<u8>>,
    /// The default `Dimensions` array, e.g. `[["Operation"]]`.
    default_dims_text: Vec<u8>,
    default_sets: Vec<DimSetText>,
    /// Distinct default dimension keys: raw, escaped, hash of the escaped form.
    default_keys: Vec<(String, Vec<u8>, u64)>,
    /// Error for a default dimension set over the limit.
    default_sets_error: Option<String>,
    /// `,{custom directive}` …, then `],"LogGroupName":"…","Timestamp":`
    tail: Vec<u8>,
    /// `head` + `default_dims_text` + `,"Metrics":[`: the start of a one-namespace line.
    single_prefix: Vec<u8>,
    /// `]}` + `tail`.
    single_tail: Vec<u8>,
}

impl EmfConfig {
    fn new(b: EmfBuilder) -> Self {
        let mut head = b"{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":".to_vec();
        push_string(&mut head, &b.namespaces[0]);
        head.extend_from_slice(b",\"Dimensions\":");
        let more_namespaces = b.namespaces[1..]
            .iter()
            .map(|ns| {
                let mut v = b",{\"Namespace\":".to_vec();
                push_string(&mut v, ns);
                v.extend_from_slice(b",\"Dimensions\":");
                v
            })
            .collect();
        let default_sets: Vec<DimSetText> = b
            .default_dimensions
            .iter()
            .map(|set| {
                let mut keys = Vec::new();
                for (i, k) in set.iter().enumerate() {
                    if i > 0 {
                        keys.push(b',');
                    }
                    push_string(&mut keys, k);
                }
                DimSetText {
                    keys,
                    count: set.len(),
                }
            })
            .collect();
        let mut default_dims_text = vec![b'['];
        for (i, s) in default_sets.iter().enumerate() {
            if i > 0 {
                default_dims_text.push(b',');
            }
            default_dims_text.push(b'[');
            default_dims_text.extend_from_slice(&s.keys);
            default_dims_text.push(b']');
        }
        default_dims_text.push(b']');
        let mut default_keys: Vec<(String, Vec<u8>, u64)> = Vec::new();
        for k in b.default_dimensions.iter().flatten() {
            let mut e = Vec::new();
            push_escaped(&mut e, k);
            if !default_keys.iter().any(|(_, x, _)| *x == e) {
                let h = names::hash_bytes(&e);
                default_keys.push((k.clone(), e, h));
            }
        }
        let default_sets_error = b
            .default_dimensions
            .iter()
            .find(|s| s.len() > limits::MAX_DIMENSIONS_PER_SET)
            .map(|s| limits::dimension_set_error(s.iter().map(String::as_str), s.len()));
        let mut tail = Vec::new();
        for d in &b.directives {
            tail.push(b',');
            d.write_json(&mut tail);
        }
        tail.push(b']');
        if let Some(lg) = &b.log_group_name {
            tail.extend_from_slice(b",\"LogGroupName\":");
            push_string(&mut tail, lg);
        }
        tail.extend_from_slice(b",\"Timestamp\":");
        let single_prefix = [&head[..], &default_dims_text, b",\"Metrics\":["].concat();
        let single_tail = [&b"]}"[..], &tail].concat();
        Self {
            single_prefix,
            single_tail,
            namespaces: b.namespaces,
            default_dimensions: b.default_dimensions,
            validations: b.validations,
            allow_ignored_dimensions: b.allow_ignored_dimensions,
            max_line_bytes: b.max_line_bytes,
            head,
            more_namespaces,
            default_dims_text,
            default_sets,
            default_keys,
            default_sets_error,
            tail,
        }
    }
}

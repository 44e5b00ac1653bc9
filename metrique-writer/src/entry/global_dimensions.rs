//! [`WithGlobalDimensions`]: the same per-metric dimensions on every metric of an entry.
//!
//! This is what [`merge_global_dimensions`](crate::EntryIoStreamExt::merge_global_dimensions)
//! applies to every entry of a stream (an availability zone, a cell, a host class…), so that
//! CloudWatch publishes each metric both per that dimension and, for denylisted names, without
//! it. In EMF per-metric dimensions need split entries; the wrapper writes the
//! [`AllowSplitEntries`] configuration itself (metrique 0.1.33 left that to the entry, so
//! `#[metrics]` entries failed validation), then the entry is written as usual.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::{Deref, DerefMut};
use std::time::SystemTime;

use smallvec::SmallVec;

use super::{Entry, EntryConfig, EntryWriter, SampleGroupElement};
use crate::config::AllowSplitEntries;
use crate::value::Value;
use crate::value::dimensions::{Dim, DimRef};

/// A `Cow<'static, str>`: a dimension name or value, borrowed when static.
pub type CowStr = Cow<'static, str>;

/// An entry whose metrics all carry `global_dimensions`, except metrics named in the denylist.
///
/// Up to `N` dimensions are stored inline. String properties are unchanged.
///
/// # Examples
/// ```
/// use metrique_writer::entry::WithGlobalDimensions;
/// use metrique_writer::format::{FormatExt, emf::Emf};
/// use metrique_writer::test_stream::TestSink;
/// use metrique_writer::EntryIoStream;
/// use std::collections::HashSet;
///
/// let entry = WithGlobalDimensions::<_, 1>::new_with_global_dimensions(
///     vec![("Requests", 1u64), ("Queued", 2)],
///     [("AZ", "us-east-1a")],
///     HashSet::from(["Queued".into()]),
/// );
/// let sink = TestSink::new();
/// let mut stream = Emf::all_validations("Ns".into(), vec![vec![]]).output_to(sink.clone());
/// stream.next(&entry).unwrap();
/// let lines = sink.lines();
/// assert_eq!(lines.len(), 2); // `Requests` per AZ, then `Queued` without dimensions
/// assert!(lines[0].contains(r#""Dimensions":[["AZ"]]"#) && lines[0].contains(r#""AZ":"us-east-1a","Requests":1"#));
/// assert!(lines[1].contains(r#""Dimensions":[[]]"#) && lines[1].ends_with(r#""Queued":2}"#));
/// ```
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WithGlobalDimensions<E, const N: usize> {
    entry: E,
    global_dimensions: SmallVec<[Dim; N]>,
    global_dimensions_denylist: HashSet<CowStr>,
}

impl<E, const N: usize> WithGlobalDimensions<E, N> {
    /// Wraps `entry` with `global_dimensions` (`(name, value)` pairs), which are not added to
    /// the metrics named in `global_dimensions_denylist`.
    pub fn new_with_global_dimensions<C, I>(
        entry: E,
        global_dimensions: impl IntoIterator<Item = (C, I)>,
        global_dimensions_denylist: HashSet<CowStr>,
    ) -> Self
    where
        C: Into<CowStr>,
        I: Into<CowStr>,
    {
        Self {
            entry,
            global_dimensions: global_dimensions
                .into_iter()
                .map(|(c, i)| (c.into(), i.into()))
                .collect(),
            global_dimensions_denylist,
        }
    }

    /// The dimensions added to every metric.
    pub fn global_dimensions(&self) -> &[(CowStr, CowStr)] {
        &self.global_dimensions
    }

    /// The metric names that get no global dimensions.
    pub fn global_dimensions_denylist(&self) -> &HashSet<CowStr> {
        &self.global_dimensions_denylist
    }

    /// Adds a dimension.
    pub fn add_global_dimension(
        &mut self,
        class: impl Into<CowStr>,
        instance: impl Into<CowStr>,
    ) -> &mut Self {
        self.global_dimensions.push((class.into(), instance.into()));
        self
    }

    /// Removes every dimension (the entry is then written unchanged).
    pub fn clear_global_dimensions(&mut self) {
        self.global_dimensions.clear();
    }

    /// Empties the denylist.
    pub fn clear_global_dimensions_denylist(&mut self) {
        self.global_dimensions_denylist.clear();
    }

    /// The wrapped entry.
    pub fn into_inner(self) -> E {
        self.entry
    }
}

impl<E, const N: usize> From<E> for WithGlobalDimensions<E, N> {
    fn from(entry: E) -> Self {
        Self {
            entry,
            global_dimensions: SmallVec::new(),
            global_dimensions_denylist: HashSet::new(),
        }
    }
}

impl<E, const N: usize> Deref for WithGlobalDimensions<E, N> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.entry
    }
}

impl<E, const N: usize> DerefMut for WithGlobalDimensions<E, N> {
    fn deref_mut(&mut self) -> &mut E {
        &mut self.entry
    }
}

#[diagnostic::do_not_recommend]
impl<E: Entry, const N: usize> Entry for WithGlobalDimensions<E, N> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        write_with_global_dimensions(
            &self.entry,
            &self.global_dimensions,
            &self.global_dimensions_denylist,
            writer,
        );
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.entry.sample_group()
    }
}

/// [`WithGlobalDimensions`] by reference: what the stream and format wrappers write, so that
/// adding global dimensions costs no copy per entry.
pub(crate) struct GlobalDimensionsRef<'g, E: ?Sized> {
    entry: &'g E,
    dimensions: &'g [Dim],
    denylist: &'g HashSet<CowStr>,
}

impl<'g, E: ?Sized> GlobalDimensionsRef<'g, E> {
    pub(crate) fn new(entry: &'g E, dimensions: &'g [Dim], denylist: &'g HashSet<CowStr>) -> Self {
        Self {
            entry,
            dimensions,
            denylist,
        }
    }
}

impl<E: Entry + ?Sized> Entry for GlobalDimensionsRef<'_, E> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        write_with_global_dimensions(self.entry, self.dimensions, self.denylist, writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.entry.sample_group()
    }
}

fn write_with_global_dimensions<'a, E: Entry + ?Sized>(
    entry: &'a E,
    dimensions: &'a [Dim],
    denylist: &'a HashSet<CowStr>,
    writer: &mut impl EntryWriter<'a>,
) {
    if dimensions.is_empty() {
        entry.write(writer);
        return;
    }
    writer.config(const { &AllowSplitEntries::new() });
    entry.write(&mut GlobalDimensionsWriter {
        inner: writer,
        dimensions,
        denylist,
    });
}

struct GlobalDimensionsWriter<'g, W> {
    inner: W,
    dimensions: &'g [Dim],
    denylist: &'g HashSet<CowStr>,
}

impl<'a, W: EntryWriter<'a>> EntryWriter<'a> for GlobalDimensionsWriter<'_, W> {
    fn timestamp(&mut self, timestamp: SystemTime) {
        self.inner.timestamp(timestamp);
    }

    fn value(&mut self, name: impl Into<Cow<'a, str>>, value: &(impl Value + ?Sized)) {
        let name = name.into();
        if !self.denylist.is_empty() && self.denylist.contains(&*name) {
            self.inner.value(name, value);
        } else {
            self.inner.value(
                name,
                &DimRef {
                    value,
                    extra: self.dimensions,
                },
            );
        }
    }

    fn config(&mut self, config: &'a dyn EntryConfig) {
        self.inner.config(config);
    }
}

//! [`MergeGlobalDimensions`]: add per-metric dimensions to every entry of a stream or format.

use std::collections::HashSet;
use std::io;

use smallvec::SmallVec;

use super::{EntryIoStream, IoStreamError};
use crate::entry::{CowStr, Entry, GlobalDimensionsRef};
use crate::format::Format;
use crate::sample::SampledFormat;

/// Writes every entry with global per-metric dimensions; see
/// [`EntryIoStreamExt::merge_global_dimensions`](super::EntryIoStreamExt::merge_global_dimensions)
/// and [`FormatExt::merge_global_dimensions`](crate::FormatExt::merge_global_dimensions).
///
/// Unlike metrique 0.1.33 the dimensions are borrowed, not cloned, for each entry.
#[derive(Debug, Clone)]
pub struct MergeGlobalDimensions<S, const N: usize> {
    stream: S,
    global_dimensions: SmallVec<[(CowStr, CowStr); N]>,
    global_dimensions_denylist: HashSet<CowStr>,
}

impl<S, const N: usize> MergeGlobalDimensions<S, N> {
    /// Wraps `stream` (an [`EntryIoStream`] or a [`Format`]).
    pub fn new(
        stream: S,
        global_dimensions: SmallVec<[(CowStr, CowStr); N]>,
        global_dimensions_denylist: Option<HashSet<CowStr>>,
    ) -> Self {
        Self {
            stream,
            global_dimensions,
            global_dimensions_denylist: global_dimensions_denylist.unwrap_or_default(),
        }
    }
}

impl<S: EntryIoStream, const N: usize> EntryIoStream for MergeGlobalDimensions<S, N> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        let Self {
            stream,
            global_dimensions,
            global_dimensions_denylist,
        } = self;
        stream.next(&GlobalDimensionsRef::new(
            entry,
            global_dimensions,
            global_dimensions_denylist,
        ))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl<F: Format, const N: usize> Format for MergeGlobalDimensions<F, N> {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        let Self {
            stream,
            global_dimensions,
            global_dimensions_denylist,
        } = self;
        stream.format(
            &GlobalDimensionsRef::new(entry, global_dimensions, global_dimensions_denylist),
            output,
        )
    }
}

impl<F: SampledFormat, const N: usize> SampledFormat for MergeGlobalDimensions<F, N> {
    fn format_with_sample_rate(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
        rate: f32,
    ) -> Result<(), IoStreamError> {
        let Self {
            stream,
            global_dimensions,
            global_dimensions_denylist,
        } = self;
        stream.format_with_sample_rate(
            &GlobalDimensionsRef::new(entry, global_dimensions, global_dimensions_denylist),
            output,
            rate,
        )
    }
}

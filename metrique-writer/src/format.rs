//! [`Format`]: turns one [`Entry`] into bytes; [`FormatExt`] binds a format to an output.

use std::io::{self, Write as _};

use std::collections::HashSet;

use smallvec::SmallVec;

use crate::entry::{CowStr, Entry};
use crate::stream::{EntryIoStream, IoStreamError, MergeGlobalDimensions};

#[cfg(feature = "emf")]
pub mod emf;
pub(crate) mod epoch_millis;
#[cfg(feature = "json")]
pub mod json;
#[cfg(any(feature = "emf", feature = "json"))]
pub(crate) mod json_encode;
#[cfg(feature = "local-format")]
pub mod local;

/// A serialization of entries (EMF, JSON lines, …).
pub trait Format {
    /// Formats `entry` into `output`. One call per entry; `output` may differ between calls (log
    /// rotation), so a format must not keep state that assumes the same output.
    ///
    /// # Errors
    /// [`IoStreamError::Validation`] if the entry is invalid (then nothing is written),
    /// [`IoStreamError::Io`] if `output` fails.
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError>;

    /// Not public API: an independent copy of this format (same configuration, fresh state)
    /// for another thread, letting a [`BackgroundQueue`](crate::sink::BackgroundQueue) format
    /// on two threads when it falls behind. `None` (the default) keeps formatting on one thread;
    /// formats whose output depends on earlier entries must keep the default.
    #[doc(hidden)]
    fn __fork<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        None
    }

    /// Not public API: [`Format::format`] appending to a `Vec`. A format that assembles each
    /// line in a buffer of its own overrides it to assemble the line in `output` directly,
    /// saving one copy of every line. On error, `output` keeps only what it held before.
    ///
    /// # Errors
    /// As [`Format::format`].
    #[doc(hidden)]
    fn __format_to_vec(
        &mut self,
        entry: &impl Entry,
        output: &mut Vec<u8>,
    ) -> Result<(), IoStreamError> {
        let start = output.len();
        let result = self.format(entry, output);
        if result.is_err() {
            output.truncate(start);
        }
        result
    }
}

impl<F: Format + ?Sized> Format for &mut F {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        (**self).format(entry, output)
    }

    fn __fork<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        (**self).__fork()
    }

    fn __format_to_vec(
        &mut self,
        entry: &impl Entry,
        output: &mut Vec<u8>,
    ) -> Result<(), IoStreamError> {
        (**self).__format_to_vec(entry, output)
    }
}

/// A [`Format`] writing to one `io::Write` (see [`FormatExt::output_to`]).
#[derive(Debug, Clone)]
pub struct FormattedEntryIoStream<F, W> {
    format: F,
    output: W,
}

impl<F, W> FormattedEntryIoStream<F, W> {
    /// Binds `format` to `output`.
    pub fn new(format: F, output: W) -> Self {
        Self { format, output }
    }

    /// The format and the output.
    pub fn into_parts(self) -> (F, W) {
        (self.format, self.output)
    }
}

impl<F: Format, W: io::Write> EntryIoStream for FormattedEntryIoStream<F, W> {
    #[inline]
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        self.format.format(entry, &mut self.output)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }

    fn __fork_format<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        self.format.__fork()
    }

    fn __write_formatted(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.output.write_all(bytes)
    }
}

/// A [`Format`] writing each entry to a fresh writer from a
/// [`MakeWriter`](tracing_subscriber::fmt::MakeWriter) (see [`FormatExt::output_to_makewriter`]).
///
/// Each entry is formatted into a reused buffer first and handed to the writer with one
/// `write_all`, so writers that lock per call (`stdout`) never see a torn line.
pub struct FormattedMakeWriterEntryIoStream<F, M> {
    format: F,
    make_writer: M,
    buffer: Vec<u8>,
}

impl<F: std::fmt::Debug, M> std::fmt::Debug for FormattedMakeWriterEntryIoStream<F, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormattedMakeWriterEntryIoStream")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl<F, M> FormattedMakeWriterEntryIoStream<F, M> {
    /// Binds `format` to `make_writer`.
    pub fn new(format: F, make_writer: M) -> Self {
        Self {
            format,
            make_writer,
            buffer: Vec::new(),
        }
    }
}

impl<F, M> EntryIoStream for FormattedMakeWriterEntryIoStream<F, M>
where
    F: Format,
    M: for<'w> tracing_subscriber::fmt::MakeWriter<'w>,
{
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        self.buffer.clear();
        self.format.__format_to_vec(entry, &mut self.buffer)?;
        let mut w = self.make_writer.make_writer();
        w.write_all(&self.buffer)?;
        w.flush()?;
        // Keep memory bounded after an unusually large entry.
        if self.buffer.capacity() > 1 << 20 {
            self.buffer = Vec::new();
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Binds formats to outputs.
pub trait FormatExt: Format + Sized {
    /// Writes every entry to `output`.
    ///
    /// Wrap files in a [`BufWriter`](std::io::BufWriter); the stream is flushed by the sink
    /// (every flush interval for a background queue).
    fn output_to<W: io::Write>(self, output: W) -> FormattedEntryIoStream<Self, W> {
        FormattedEntryIoStream::new(self, output)
    }

    /// Writes every entry to a fresh writer from `make_writer` (e.g. `|| std::io::stdout()`,
    /// or a rolling file appender).
    fn output_to_makewriter<M>(self, make_writer: M) -> FormattedMakeWriterEntryIoStream<Self, M>
    where
        M: for<'w> tracing_subscriber::fmt::MakeWriter<'w>,
    {
        FormattedMakeWriterEntryIoStream::new(self, make_writer)
    }

    /// Adds `global_dimensions` as per-metric dimensions to every metric except those named in
    /// `global_dimensions_denylist`; see
    /// [`EntryIoStreamExt::merge_global_dimensions`](crate::EntryIoStreamExt::merge_global_dimensions).
    fn merge_global_dimensions<const N: usize>(
        self,
        global_dimensions: SmallVec<[(CowStr, CowStr); N]>,
        global_dimensions_denylist: Option<HashSet<CowStr>>,
    ) -> MergeGlobalDimensions<Self, N> {
        MergeGlobalDimensions::new(self, global_dimensions, global_dimensions_denylist)
    }

    /// Formats every entry merged with `globals` (globals first).
    fn merge_globals<G: Entry>(self, globals: G) -> MergeGlobalsFormat<Self, G> {
        MergeGlobalsFormat {
            format: self,
            globals,
        }
    }
}

impl<F: Format> FormatExt for F {}

/// A format that merges a globals entry into every entry; see [`FormatExt::merge_globals`].
#[derive(Debug, Clone)]
pub struct MergeGlobalsFormat<F, G> {
    format: F,
    globals: G,
}

impl<F: Format, G: Entry> Format for MergeGlobalsFormat<F, G> {
    fn format(
        &mut self,
        entry: &impl Entry,
        output: &mut impl io::Write,
    ) -> Result<(), IoStreamError> {
        self.format
            .format(&self.globals.merge_by_ref(entry), output)
    }
}

//! [`EntryIoStream`]: something that writes entries, one at a time, to an output.

use std::collections::HashSet;
use std::fmt;
use std::io;

use smallvec::SmallVec;

use crate::entry::{CowStr, Entry};
use crate::validate::ValidationError;

mod merge_global_dimensions;
mod merge_globals;
mod tee;

pub use merge_global_dimensions::MergeGlobalDimensions;
pub use merge_globals::MergeGlobals;
pub use tee::{Tee, tee};

/// Why [`EntryIoStream::next`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum IoStreamError {
    /// The entry was invalid; nothing was written for it.
    Validation(ValidationError),
    /// The output failed.
    Io(io::Error),
}

impl fmt::Display for IoStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IoStreamError::Validation(e) => write!(f, "invalid entry: {e}"),
            IoStreamError::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for IoStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IoStreamError::Validation(e) => Some(e),
            IoStreamError::Io(e) => Some(e),
        }
    }
}

impl From<ValidationError> for IoStreamError {
    fn from(e: ValidationError) -> Self {
        IoStreamError::Validation(e)
    }
}

impl From<io::Error> for IoStreamError {
    fn from(e: io::Error) -> Self {
        IoStreamError::Io(e)
    }
}

/// Writes entries to an output, usually a [`Format`](crate::format::Format) bound to an
/// `io::Write` with [`FormatExt`](crate::FormatExt).
pub trait EntryIoStream {
    /// Writes one entry.
    ///
    /// # Errors
    /// [`IoStreamError::Validation`] if the entry is invalid (nothing was written for it),
    /// [`IoStreamError::Io`] if the output failed. The stream stays usable after either.
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError>;

    /// Flushes buffered output.
    ///
    /// # Errors
    /// The output's flush error.
    fn flush(&mut self) -> io::Result<()>;

    /// Not public API: a copy of this stream's format for another thread (see
    /// [`Format::__fork`](crate::Format::__fork)), whose bytes are then written in order with
    /// [`__write_formatted`](Self::__write_formatted). `None` (the default) for streams that do
    /// more than format and write (wrappers such as [`Tee`] or [`MergeGlobals`]).
    #[doc(hidden)]
    fn __fork_format<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        None
    }

    /// Not public API: writes entries formatted by a [`__fork_format`](Self::__fork_format)
    /// copy, as they are, to the output.
    ///
    /// # Errors
    /// The output's error; `Unsupported` for streams without a fork.
    #[doc(hidden)]
    fn __write_formatted(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Err(io::ErrorKind::Unsupported.into())
    }
}

impl<S: EntryIoStream + ?Sized> EntryIoStream for &mut S {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        (**self).next(entry)
    }
    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
    fn __fork_format<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        (**self).__fork_format()
    }
    fn __write_formatted(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).__write_formatted(bytes)
    }
}

impl<S: EntryIoStream + ?Sized> EntryIoStream for Box<S> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        (**self).next(entry)
    }
    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
    fn __fork_format<T: Entry + 'static>(&self) -> Option<crate::__private::ForkedFormat<T>> {
        (**self).__fork_format()
    }
    fn __write_formatted(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).__write_formatted(bytes)
    }
}

/// A stream that discards everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NullEntryIoStream;

impl EntryIoStream for NullEntryIoStream {
    fn next(&mut self, _entry: &impl Entry) -> Result<(), IoStreamError> {
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Combinators on every [`EntryIoStream`].
pub trait EntryIoStreamExt: EntryIoStream + Sized {
    /// Writes every entry to `self` and to `other` (both are always attempted; the first error
    /// is returned).
    fn tee<B: EntryIoStream>(self, other: B) -> Tee<Self, B> {
        tee(self, other)
    }

    /// Writes every entry merged with `globals` (globals first), e.g. a region or host name.
    fn merge_globals<G: Entry>(self, globals: G) -> MergeGlobals<Self, G> {
        MergeGlobals::new(self, globals)
    }

    /// Adds `global_dimensions` (`(name, value)` pairs) as per-metric dimensions to every metric
    /// of every entry, except metrics named in `global_dimensions_denylist`.
    ///
    /// In EMF each metric is then published per these dimensions (one line per distinct
    /// dimension tuple, the denylisted metrics on a line of their own); the wrapper enables
    /// split entries itself. Same as [`FormatExt::merge_global_dimensions`](crate::FormatExt::merge_global_dimensions).
    ///
    /// ```
    /// use metrique_writer::format::{FormatExt, emf::Emf};
    /// use metrique_writer::stream::EntryIoStreamExt;
    /// use metrique_writer::test_stream::TestSink;
    /// use metrique_writer::EntryIoStream;
    /// use smallvec::smallvec;
    /// use std::collections::HashSet;
    ///
    /// let sink = TestSink::new();
    /// let mut stream = Emf::all_validations("Ns".into(), vec![vec![]])
    ///     .output_to(sink.clone())
    ///     .merge_global_dimensions::<1>(
    ///         smallvec![("AZ".into(), "us-east-1a".into())],
    ///         Some(HashSet::from(["Queued".into()])),
    ///     );
    /// stream.next(&vec![("Requests", 1u64), ("Queued", 2)]).unwrap();
    /// assert_eq!(sink.lines().len(), 2);
    /// ```
    fn merge_global_dimensions<const N: usize>(
        self,
        global_dimensions: SmallVec<[(CowStr, CowStr); N]>,
        global_dimensions_denylist: Option<HashSet<CowStr>>,
    ) -> MergeGlobalDimensions<Self, N> {
        MergeGlobalDimensions::new(self, global_dimensions, global_dimensions_denylist)
    }
}

impl<S: EntryIoStream> EntryIoStreamExt for S {}

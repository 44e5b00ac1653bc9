//! [`MergeGlobals`]: add the same fields to every entry of a stream.

use std::io;

use super::{EntryIoStream, IoStreamError};
use crate::entry::Entry;

/// Writes every entry merged with a globals entry (globals first); see
/// [`EntryIoStreamExt::merge_globals`](super::EntryIoStreamExt::merge_globals).
#[derive(Debug, Clone)]
pub struct MergeGlobals<S, G> {
    stream: S,
    globals: G,
}

impl<S, G> MergeGlobals<S, G> {
    /// Wraps `stream`.
    pub fn new(stream: S, globals: G) -> Self {
        Self { stream, globals }
    }
}

impl<S: EntryIoStream, G: Entry> EntryIoStream for MergeGlobals<S, G> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        self.stream.next(&self.globals.merge_by_ref(entry))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

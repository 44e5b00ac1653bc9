//! [`Tee`]: write every entry to two streams.

use std::io;

use super::{EntryIoStream, IoStreamError};
use crate::entry::Entry;

/// Writes every entry to two streams; see [`EntryIoStreamExt::tee`](super::EntryIoStreamExt::tee).
#[derive(Debug, Clone)]
pub struct Tee<A, B> {
    a: A,
    b: B,
}

/// Builds a [`Tee`].
pub fn tee<A: EntryIoStream, B: EntryIoStream>(a: A, b: B) -> Tee<A, B> {
    Tee { a, b }
}

impl<A, B> Tee<A, B> {
    /// The two streams.
    pub fn into_parts(self) -> (A, B) {
        (self.a, self.b)
    }
}

impl<A: EntryIoStream, B: EntryIoStream> EntryIoStream for Tee<A, B> {
    fn next(&mut self, entry: &impl Entry) -> Result<(), IoStreamError> {
        let ra = self.a.next(entry);
        let rb = self.b.next(entry);
        ra.and(rb)
    }
    fn flush(&mut self) -> io::Result<()> {
        let ra = self.a.flush();
        let rb = self.b.flush();
        ra.and(rb)
    }
}

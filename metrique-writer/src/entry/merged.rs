//! [`Merged`] and [`MergedRef`]: two entries written as one.

use super::{Entry, EntryWriter, SampleGroupElement};

/// Two entries written as one: `first`, then `second` (see [`Entry::merge`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Merged<A, B> {
    first: A,
    second: B,
}

impl<A, B> Merged<A, B> {
    /// Merges `first` and `second`.
    pub fn new(first: A, second: B) -> Self {
        Self { first, second }
    }

    /// Splits the merged entry back into its parts.
    pub fn into_parts(self) -> (A, B) {
        (self.first, self.second)
    }
}

impl<A: Entry, B: Entry> Entry for Merged<A, B> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.first.write(writer);
        self.second.write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.first.sample_group().chain(self.second.sample_group())
    }
}

/// Two borrowed entries written as one (see [`Entry::merge_by_ref`]).
#[derive(Debug)]
pub struct MergedRef<'e, A: ?Sized, B: ?Sized> {
    first: &'e A,
    second: &'e B,
}

impl<A: ?Sized, B: ?Sized> Clone for MergedRef<'_, A, B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A: ?Sized, B: ?Sized> Copy for MergedRef<'_, A, B> {}

impl<'e, A: ?Sized, B: ?Sized> MergedRef<'e, A, B> {
    /// Merges `first` and `second` by reference.
    pub fn new(first: &'e A, second: &'e B) -> Self {
        Self { first, second }
    }
}

impl<A: Entry + ?Sized, B: Entry + ?Sized> Entry for MergedRef<'_, A, B> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        self.first.write(writer);
        self.second.write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.first.sample_group().chain(self.second.sample_group())
    }
}

//! [`InflectableEntry`]: a closed entry whose field names are chosen by a type-level
//! [`NameStyle`].
//!
//! `#[metrics]` computes every spelling of every field name at compile time (as written,
//! PascalCase, snake_case, kebab-case, SCREAMING_SNAKE_CASE) and the entry picks one through its
//! `NS` parameter. A flatten site with a prefix extends `NS` with that prefix (in the style in
//! force there), so a child's names are `prefix chain + name`, concatenated in a `const` (see
//! [`crate::concat`]). Writing an entry therefore never builds a name at run time.

use metrique_writer::EntryWriter;
use metrique_writer::entry::SampleGroupElement;

pub mod styles;
mod wrappers;

pub use styles::Identity;

/// A closed `#[metrics]` entry that can be written under any [`NameStyle`].
///
/// It is not an [`Entry`](metrique_writer::Entry) itself: wrap it in `RootEntry` (the guards
/// and `test_metric` do) to choose the root style.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[metrics]` entry",
    note = "fields written with `#[metrics(flatten)]` must close to a `#[metrics]` struct; for a hand-written `Entry` use `#[metrics(flatten_entry)]`"
)]
pub trait InflectableEntry<NS: NameStyle = Identity> {
    /// Writes the entry's fields with names in style `NS`.
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>);

    /// The entry's sample-group elements (empty by default).
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        std::iter::empty()
    }
}

/// The five spellings of one name, computed by `#[metrics]`:
/// `[as written, PascalCase, snake_case, kebab-case, SCREAMING_SNAKE_CASE]`.
pub trait NameSet: 'static {
    /// The spellings.
    const NAMES: [&'static str; 5];
}

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// A case style plus an accumulated prefix chain, chosen at compile time.
///
/// The associated types switch the case while keeping the prefix (a child's `rename_all`), or
/// extend the prefix (a flatten site's `prefix`).
pub trait NameStyle: Sealed + 'static {
    /// Same prefix, names as written.
    type Identity: NameStyle;
    /// Same prefix, PascalCase names.
    type PascalCase: NameStyle;
    /// Same prefix, snake_case names.
    type SnakeCase: NameStyle;
    /// Same prefix, kebab-case names.
    type KebabCase: NameStyle;
    /// Same prefix, SCREAMING_SNAKE_CASE names.
    type ScreamingSnakeCase: NameStyle;
    /// Same case, prefix extended by `P`'s spelling in this style.
    type AppendPrefix<P: NameSet>: NameStyle;

    /// The name `N` in this style, after the prefix chain.
    fn name<N: NameSet>() -> &'static str;
}

impl<T: InflectableEntry<NS> + ?Sized, NS: NameStyle> InflectableEntry<NS> for &T {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        (**self).write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        (**self).sample_group()
    }
}

impl<T: InflectableEntry<NS>, NS: NameStyle> InflectableEntry<NS> for Option<T> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        if let Some(e) = self {
            e.write(writer);
        }
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        self.iter().flat_map(InflectableEntry::<NS>::sample_group)
    }
}

impl<T: InflectableEntry<NS> + ?Sized, NS: NameStyle> InflectableEntry<NS> for Box<T> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        (**self).write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        (**self).sample_group()
    }
}

impl<T: InflectableEntry<NS> + ?Sized, NS: NameStyle> InflectableEntry<NS> for std::sync::Arc<T> {
    #[inline]
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        (**self).write(writer);
    }
    fn sample_group(&self) -> impl Iterator<Item = SampleGroupElement> {
        (**self).sample_group()
    }
}

/// The name of a field in style `$ns`, as a `&'static str` computed at compile time.
///
/// Used by `#[metrics]` expansions: `__metrique_name!(NS; "as_written", "Pascal", "snake",
/// "kebab", "SCREAMING")`.
#[doc(hidden)]
#[macro_export]
macro_rules! __metrique_name {
    ($ns:ty; $id:expr, $pascal:expr, $snake:expr, $kebab:expr, $screaming:expr) => {{
        struct __MetriqueName;
        impl $crate::NameSet for __MetriqueName {
            const NAMES: [&'static str; 5] = [$id, $pascal, $snake, $kebab, $screaming];
        }
        <$ns as $crate::NameStyle>::name::<__MetriqueName>()
    }};
}

/// Writes a flattened child entry under style `$ns` extended by a prefix with the given five
/// spellings: `__metrique_write_prefixed!(NS; ["id", "Pascal", "snake_", "kebab-", "SNAKE_"];
/// &self.child, writer)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __metrique_write_prefixed {
    ($ns:ty; [$id:expr, $pascal:expr, $snake:expr, $kebab:expr, $screaming:expr]; $child:expr, $writer:expr) => {{
        struct __MetriquePrefix;
        impl $crate::NameSet for __MetriquePrefix {
            const NAMES: [&'static str; 5] = [$id, $pascal, $snake, $kebab, $screaming];
        }
        $crate::InflectableEntry::<<$ns as $crate::NameStyle>::AppendPrefix<__MetriquePrefix>>::write(
            $child, $writer,
        )
    }};
}

/// Like [`__metrique_write_prefixed!`] for the sample group of a prefixed flattened child.
#[doc(hidden)]
#[macro_export]
macro_rules! __metrique_sample_group_prefixed {
    ($ns:ty; [$id:expr, $pascal:expr, $snake:expr, $kebab:expr, $screaming:expr]; $child:expr) => {{
        struct __MetriquePrefix;
        impl $crate::NameSet for __MetriquePrefix {
            const NAMES: [&'static str; 5] = [$id, $pascal, $snake, $kebab, $screaming];
        }
        $crate::InflectableEntry::<<$ns as $crate::NameStyle>::AppendPrefix<__MetriquePrefix>>::sample_group(
            $child,
        )
    }};
}

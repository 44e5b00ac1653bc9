//! The `#[metrics]` attribute macro and `#[derive(Entry)]` of metrique. Use them through
//! `metrique::unit_of_work::metrics` and `metrique::writer::Entry` (or `metrique_writer::Entry`).
//!
//! Layout: `attr` (syntax) → `model` + `check` (semantics, errors accumulated) → `codegen`
//! (infallible), with `naming` holding the case-conversion rules and `paths` every runtime path.

mod attr;
mod check;
mod codegen;
mod diagnostics;
mod entry_derive;
mod expand;
mod fallback;
mod model;
mod naming;
mod paths;
#[cfg(test)]
mod tests;

/// Turns a struct or enum into a wide-event metrics entry. See the attribute reference below.
#[doc = include_str!("../docs/metrics.md")]
#[proc_macro_attribute]
pub fn metrics(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::metrics(args.into(), item.into()).into()
}

/// Implements `metrique_writer::Entry` for a struct or enum whose fields are already values:
/// the non-closing alternative to `#[metrics]`. Use it as `metrique_writer::Entry`.
#[doc = include_str!("../docs/entry.md")]
#[proc_macro_derive(Entry, attributes(entry))]
pub fn derive_entry(item: proc_macro::TokenStream) -> proc_macro::TokenStream {
    entry_derive::derive(item.into(), paths::WriterRoot::Writer).into()
}

/// `#[derive(Entry)]` for users of the `metrique` facade, re-exported as
/// `metrique::writer::Entry`: the expansion names `::metrique::writer::…`.
#[doc = include_str!("../docs/entry.md")]
#[proc_macro_derive(MetriqueEntry, attributes(entry))]
pub fn derive_metrique_entry(item: proc_macro::TokenStream) -> proc_macro::TokenStream {
    entry_derive::derive(item.into(), paths::WriterRoot::Metrique).into()
}

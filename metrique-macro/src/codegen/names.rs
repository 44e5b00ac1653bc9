//! Generated names: the single source of truth for `<Name>Entry`, `<Name>Guard`, ... and the
//! hidden locals of expansions.

use proc_macro2::{Ident, Span};
use quote::format_ident;

/// `<Name>Entry`: the closed entry of a struct or entry enum.
pub(crate) fn entry(ident: &Ident) -> Ident {
    format_ident!("{}Entry", ident)
}
/// `<Name>Value`: the closed value of a `value` / `value(string)` type.
pub(crate) fn value(ident: &Ident) -> Ident {
    format_ident!("{}Value", ident)
}
/// `<Name>Guard`.
pub(crate) fn guard(ident: &Ident) -> Ident {
    format_ident!("{}Guard", ident)
}
/// `<Name>Handle`.
pub(crate) fn handle(ident: &Ident) -> Ident {
    format_ident!("{}Handle", ident)
}

/// A hidden local. Mixed-site hygiene keeps it apart from user code, including code written
/// inside a `macro_rules!` that declares the item.
pub(crate) fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `self`, with the same hygiene everywhere it appears (parameter and uses). Tokens spanned at a
/// user field inside a `macro_rules!` would otherwise give `self` a different hygiene context.
pub(crate) fn self_() -> Ident {
    Ident::new("self", Span::mixed_site())
}

/// The binding of the `index`-th field of an enum variant in generated `match` arms.
pub(crate) fn binding(index: usize) -> Ident {
    Ident::new(&format!("__metrique_{index}"), Span::mixed_site())
}

/// The name-style type parameter of generated `InflectableEntry` impls.
pub(crate) fn ns() -> Ident {
    Ident::new("__NS", Span::call_site())
}

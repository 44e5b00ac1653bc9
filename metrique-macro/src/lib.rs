//! The `#[metrics]` attribute macro of metrique. Use it through `metrique::unit_of_work::metrics`.
//!
//! Layout: `attr` (syntax) → `model` + `check` (semantics, errors accumulated) → `codegen`
//! (infallible), with `naming` holding the case-conversion rules and `paths` every runtime path.

mod attr;
mod check;
mod codegen;
mod diagnostics;
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

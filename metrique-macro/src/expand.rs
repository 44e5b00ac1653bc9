//! The `#[metrics]` pipeline, readable top to bottom: parse → validate → check → generate.

use proc_macro2::TokenStream;
use quote::quote;

use crate::attr::RawContainer;
use crate::diagnostics::Errors;
use crate::{codegen, fallback, model};

/// Expands `#[metrics(args)] item`.
pub(crate) fn metrics(args: TokenStream, item: TokenStream) -> TokenStream {
    // An item that does not parse is passed through untouched (plus the error), so the IDE and
    // the rest of the crate keep working.
    let mut item: syn::DeriveInput = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(e) => {
            let e = e.to_compile_error();
            return quote!(#item #e);
        }
    };
    let mut errs = Errors::default();
    let raw = RawContainer::parse(args, &mut errs); // 1 parse
    let model = model::Input::from_raw(raw, &mut item, &mut errs); // 2 validate + check
    let ident = item.ident.clone();
    let out = match (errs.finish(), model) {
        (Ok(()), Some(model)) => {
            let generated = codegen::expand(&model); // 3 generate
            quote!(#item #generated)
        }
        (Err(errors), _) => fallback::expand(item, errors),
        (Ok(()), None) => fallback::expand(item, TokenStream::new()),
    };
    debug_print(&ident, "#[metrics]", &out);
    out
}

/// Prints an expansion to stderr at compile time when the `MACRO_DEBUG` environment variable
/// is set: to anything for every item, or to an item's name for that item only.
///
/// Cargo does not track the variable, so touch the file (or `cargo clean -p`) to re-expand.
pub(crate) fn debug_print(ident: &syn::Ident, what: &str, out: &TokenStream) {
    let Some(filter) = std::env::var_os("MACRO_DEBUG") else {
        return;
    };
    let filter = filter.to_string_lossy();
    if filter.is_empty() || filter == "1" || *ident == *filter {
        eprintln!("// MACRO_DEBUG: {what} on `{ident}`\n{out}");
    }
}

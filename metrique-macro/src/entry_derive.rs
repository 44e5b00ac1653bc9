//! The `#[derive(Entry)]` pipeline: parse `#[entry(...)]` → validate → generate `impl Entry`.
//!
//! The non-closing alternative to `#[metrics]`: the type itself is the entry, names are fixed
//! at compile time (no inflection at run time, no prefixes) and nothing is closed.

use proc_macro2::TokenStream;

use crate::diagnostics::Errors;
use crate::paths::WriterRoot;

mod attr;
mod codegen;
mod model;

/// Expands `#[derive(Entry)]` on `item`, naming the writer crate through `root`.
pub(crate) fn derive(item: TokenStream, root: WriterRoot) -> TokenStream {
    let item: syn::DeriveInput = match syn::parse2(item) {
        Ok(item) => item,
        Err(e) => return e.to_compile_error(),
    };
    let mut errs = Errors::for_attribute("entry");
    let model = model::Input::from_derive(&item, &mut errs);
    let out = match (errs.finish(), model) {
        (Ok(()), Some(model)) => codegen::expand(&model, root),
        // An empty impl keeps uses of the type as an `Entry` from adding errors of their own.
        (Err(errors), Some(_)) => {
            let stub = codegen::stub(&item, root);
            quote::quote!(#errors #stub)
        }
        (Err(errors), None) => errors,
        (Ok(()), None) => TokenStream::new(),
    };
    crate::expand::debug_print(&item.ident, "derive(Entry)", &out);
    out
}

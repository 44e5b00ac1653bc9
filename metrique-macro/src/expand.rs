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
    match (errs.finish(), model) {
        (Ok(()), Some(model)) => {
            let generated = codegen::expand(&model); // 3 generate
            quote!(#item #generated)
        }
        (Err(errors), _) => fallback::expand(item, errors),
        (Ok(()), None) => fallback::expand(item, TokenStream::new()),
    }
}

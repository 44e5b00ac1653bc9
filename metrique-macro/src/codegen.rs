//! Generation: turns a validated [`Input`] into tokens. Infallible by design: every rule that
//! could fail lives in `model`/`check`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Body, Input, Mode};

mod close_value;
mod entry_impl;
mod entry_type;
pub(crate) mod field;
pub(crate) mod generics;
mod guard;
pub(crate) mod names;
mod value_impl;

/// Everything generated for `input` (the cleaned user item is emitted by the caller).
pub(crate) fn expand(input: &Input) -> TokenStream {
    match (input.container.mode, &input.body) {
        (Mode::Value, Body::Struct { .. }) => value_impl::newtype(input),
        (Mode::ValueString, Body::Enum(variants)) => value_impl::string_enum(input, variants),
        _ => {
            let entry_type = entry_type::expand(input);
            let close = close_value::expand(input);
            let entry_impl = entry_impl::expand(input);
            let guard = guard::expand(input);
            quote! {
                #entry_type
                #close
                #entry_impl
                #guard
            }
        }
    }
}

//! Error recovery: the user item with every `#[metrics]` attribute stripped, plus the errors.
//!
//! Emitting the item keeps the rest of the crate compiling, so only the real errors show.

use proc_macro2::TokenStream;
use quote::quote;

use crate::attr::take_metrics_attrs;

/// The cleaned `item` followed by `errors`.
pub(crate) fn expand(mut item: syn::DeriveInput, errors: TokenStream) -> TokenStream {
    match &mut item.data {
        syn::Data::Struct(s) => s
            .fields
            .iter_mut()
            .for_each(|f| drop(take_metrics_attrs(&mut f.attrs))),
        syn::Data::Enum(e) => e.variants.iter_mut().for_each(|v| {
            drop(take_metrics_attrs(&mut v.attrs));
            v.fields
                .iter_mut()
                .for_each(|f| drop(take_metrics_attrs(&mut f.attrs)));
        }),
        syn::Data::Union(u) => u
            .fields
            .named
            .iter_mut()
            .for_each(|f| drop(take_metrics_attrs(&mut f.attrs))),
    }
    quote!(#item #errors)
}

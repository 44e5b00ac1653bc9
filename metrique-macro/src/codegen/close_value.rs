//! `impl CloseValue for <Name>` (owned modes) or `for &<Name>` plus a by-value proxy (by-ref
//! modes): close every written field into the entry.

use proc_macro2::TokenStream;
use quote::quote;

use super::entry_type::{close_predicates, written};
use super::field::close_expr;
use super::generics::with_predicates;
use super::names;
use crate::model::{Body, Field, FieldKind, Input, Variant, VariantFields};
use crate::paths;

pub(crate) fn expand(input: &Input) -> TokenStream {
    let ident = &input.ident;
    let entry = names::entry(ident);
    let mode = input.container.mode;
    let cv = paths::close_value();
    let self_ = names::self_();
    let generics = with_predicates(&input.generics, close_predicates(input));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();

    let body = match &input.body {
        Body::Struct { fields, .. } => {
            let inits = written(fields).map(|(_, f)| {
                let member = &f.member;
                let access = if mode.by_ref() {
                    quote!(&#self_.#member)
                } else {
                    quote!(#self_.#member)
                };
                let cfgs = &f.cfgs;
                let expr = close_expr(f, mode, access);
                quote!(#(#cfgs)* #member: #expr)
            });
            let phantom = super::generics::phantom(&input.generics)
                .map(|_| quote!(__metrique_phantom: ::core::marker::PhantomData,));
            quote!(#entry { #(#inits,)* #phantom })
        }
        Body::Enum(variants) => {
            let arms = variants.iter().map(|v| close_arm(ident, &entry, v, input));
            quote!(match #self_ { #(#arms)* })
        }
    };

    let closeable = input.container.closeable_entry.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #cv for #entry #ty_generics #where_clause {
                type Closed = Self;
                #[inline]
                fn close(#self_) -> Self { #self_ }
            }
        }
    });

    if mode.by_ref() {
        let ref_generics = super::generics::with_param(&generics, quote!('__metrique_ref));
        let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #ref_impl_generics #cv for &'__metrique_ref #ident #ty_generics #where_clause {
                type Closed = #entry #ty_generics;
                #[inline]
                fn close(#self_) -> Self::Closed { #body }
            }
            #[automatically_derived]
            impl #impl_generics #cv for #ident #ty_generics #where_clause {
                type Closed = #entry #ty_generics;
                #[inline]
                fn close(#self_) -> Self::Closed { <&Self as #cv>::close(&#self_) }
            }
            #closeable
        }
    } else {
        quote! {
            #[automatically_derived]
            impl #impl_generics #cv for #ident #ty_generics #where_clause {
                type Closed = #entry #ty_generics;
                #[inline]
                fn close(#self_) -> Self::Closed { #body }
            }
            #closeable
        }
    }
}

/// The pattern binding a variant's written fields (`__metrique_<i>` by original position).
pub(crate) fn variant_pattern(path: TokenStream, v: &Variant, only_written: bool) -> TokenStream {
    let bind = |i: usize, f: &Field| {
        if !only_written && matches!(f.kind, FieldKind::Ignore) {
            quote!(_)
        } else {
            let b = names::binding(i);
            quote!(#b)
        }
    };
    let ident = &v.ident;
    match &v.fields {
        VariantFields::Unit => quote!(#path::#ident),
        VariantFields::Tuple(fields) => {
            let pats = fields.iter().enumerate().map(|(i, f)| bind(i, f));
            quote!(#path::#ident(#(#pats),*))
        }
        VariantFields::Named(fields) => {
            let pats = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !matches!(f.kind, FieldKind::Ignore))
                .map(|(i, f)| {
                    let (member, b) = (&f.member, names::binding(i));
                    quote!(#member: #b)
                });
            quote!(#path::#ident { #(#pats,)* .. })
        }
    }
}

/// The pattern binding every field of a closed entry variant (ignored fields are absent there).
pub(crate) fn entry_variant_pattern(path: TokenStream, v: &Variant) -> TokenStream {
    let ident = &v.ident;
    let bindings = v
        .fields
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.kind, FieldKind::Ignore))
        .map(|(i, f)| (names::binding(i), f));
    match &v.fields {
        VariantFields::Unit => quote!(#path::#ident),
        VariantFields::Tuple(_) => {
            let b = bindings.map(|(b, _)| b);
            quote!(#path::#ident(#(#b),*))
        }
        VariantFields::Named(_) => {
            let b = bindings.map(|(b, f)| {
                let member = &f.member;
                quote!(#member: #b)
            });
            quote!(#path::#ident { #(#b),* })
        }
    }
}

fn close_arm(ident: &syn::Ident, entry: &syn::Ident, v: &Variant, input: &Input) -> TokenStream {
    let mode = input.container.mode;
    let pat = variant_pattern(quote!(#ident), v, false);
    let closed = v
        .fields
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.kind, FieldKind::Ignore))
        .map(|(i, f)| {
            (
                f,
                close_expr(f, mode, {
                    let b = names::binding(i);
                    quote!(#b)
                }),
            )
        });
    let vident = &v.ident;
    let value = match &v.fields {
        VariantFields::Unit => quote!(#entry::#vident),
        VariantFields::Tuple(_) => {
            let exprs = closed.map(|(_, e)| e);
            quote!(#entry::#vident(#(#exprs),*))
        }
        VariantFields::Named(_) => {
            let inits = closed.map(|(f, e)| {
                let member = &f.member;
                quote!(#member: #e)
            });
            quote!(#entry::#vident { #(#inits),* })
        }
    };
    quote!(#pat => #value,)
}

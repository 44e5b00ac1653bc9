//! `value` and `value(string)` modes: the closed form is a `Value` named `<Name>Value`.

use proc_macro2::TokenStream;
use quote::quote;

use super::close_value::variant_pattern;
use super::entry_type::close_predicates;
use super::field::{close_expr, closed_ty, plain_value};
use super::generics::{phantom, with_param, with_predicates};
use super::names;
use crate::model::{FieldKind, Input, Variant};
use crate::paths;

/// `#[metrics(value)]` on a newtype struct: `<Name>Value` writes its single field.
pub(crate) fn newtype(input: &Input) -> TokenStream {
    let (ident, vis) = (&input.ident, &input.vis);
    let value_ident = names::value(ident);
    let mode = input.container.mode;
    let Some(field) = input
        .fields()
        .iter()
        .find(|f| !matches!(f.kind, FieldKind::Ignore))
    else {
        return TokenStream::new();
    };
    let (cv, v, vw, sg) = (
        paths::close_value(),
        paths::value(),
        paths::value_writer(),
        paths::sample_group(),
    );
    let self_ = names::self_();
    let writer = names::local("writer");
    let generics = with_predicates(&input.generics, close_predicates(input));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let ref_generics = with_param(&generics, quote!('__metrique_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    let params = &generics.params;
    let derives = &input.derives;
    let derive = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
    let ty = closed_ty(field, mode);
    let member = &field.member;
    let close = close_expr(field, mode, quote!(&#self_.#member));
    let phantom_ty = phantom(&input.generics);
    let phantom_field = phantom_ty.as_ref().map(|p| quote!(, #p));
    let phantom_init = phantom_ty
        .as_ref()
        .map(|_| quote!(, ::core::marker::PhantomData));
    let value = match &field.kind {
        FieldKind::Plain(p) => plain_value(field, p, quote!(&#self_.0)),
        _ => quote!(&#self_.0),
    };
    let sample_group = input.container.sample_group.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #sg for #value_ident #ty_generics #where_clause {
                fn as_sample_group(&#self_) -> ::std::borrow::Cow<'static, str> { #sg::as_sample_group(&#self_.0) }
            }
        }
    });
    let doc = format!(" The closed form of [`{ident}`]: a metric value.");
    quote! {
        #[doc = #doc]
        #derive
        #vis struct #value_ident<#params>(#ty #phantom_field) #where_clause;
        #[automatically_derived]
        impl #ref_impl_generics #cv for &'__metrique_ref #ident #ty_generics #where_clause {
            type Closed = #value_ident #ty_generics;
            fn close(#self_) -> Self::Closed { #value_ident(#close #phantom_init) }
        }
        #[automatically_derived]
        impl #impl_generics #cv for #ident #ty_generics #where_clause {
            type Closed = #value_ident #ty_generics;
            #[inline]
            fn close(#self_) -> Self::Closed { <&Self as #cv>::close(&#self_) }
        }
        #[automatically_derived]
        impl #impl_generics #v for #value_ident #ty_generics #where_clause {
            fn write(&#self_, #writer: impl #vw) { #v::write(#value, #writer) }
        }
        #sample_group
    }
}

/// `#[metrics(value(string))]` on a fieldless enum: `<Name>Value` writes the variant string.
pub(crate) fn string_enum(input: &Input, variants: &[Variant]) -> TokenStream {
    let (ident, vis) = (&input.ident, &input.vis);
    let value_ident = names::value(ident);
    let (cv, v, vw, sg) = (
        paths::close_value(),
        paths::value(),
        paths::value_writer(),
        paths::sample_group(),
    );
    let self_ = names::self_();
    let writer = names::local("writer");
    let variant_idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let strings = variants.iter().map(|v| &v.string);
    let patterns = variants
        .iter()
        .map(|v| variant_pattern(quote!(#ident), v, false));
    let doc = format!(" The closed form of [`{ident}`]: the variant, written as a string.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #value_ident {
            #(
                #[allow(missing_docs)] // mirrors the user's variant
                #variant_idents,
            )*
        }
        impl #value_ident {
            /// The variant's string.
            #vis const fn as_str(#self_) -> &'static str {
                match #self_ { #(#value_ident::#variant_idents => #strings,)* }
            }
        }
        #[automatically_derived]
        impl<'__metrique_ref> #cv for &'__metrique_ref #ident {
            type Closed = #value_ident;
            fn close(#self_) -> #value_ident {
                match #self_ { #(#patterns => #value_ident::#variant_idents,)* }
            }
        }
        #[automatically_derived]
        impl #cv for #ident {
            type Closed = #value_ident;
            #[inline]
            fn close(#self_) -> #value_ident { <&Self as #cv>::close(&#self_) }
        }
        #[automatically_derived]
        impl #v for #value_ident {
            fn write(&#self_, #writer: impl #vw) { #vw::string(#writer, #value_ident::as_str(*#self_)) }
        }
        #[automatically_derived]
        impl ::core::convert::From<&#ident> for &'static str {
            fn from(value: &#ident) -> Self { #value_ident::as_str(#cv::close(value)) }
        }
        #[automatically_derived]
        impl ::core::convert::From<#ident> for &'static str {
            fn from(value: #ident) -> Self { #value_ident::as_str(#cv::close(&value)) }
        }
        #[automatically_derived]
        impl #sg for #ident {
            fn as_sample_group(&#self_) -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#value_ident::as_str(#cv::close(#self_)))
            }
        }
        #[automatically_derived]
        impl #sg for #value_ident {
            fn as_sample_group(&#self_) -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#value_ident::as_str(*#self_))
            }
        }
    }
}

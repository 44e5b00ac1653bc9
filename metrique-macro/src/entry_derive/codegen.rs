//! `impl Entry for T`: writes the fields in declaration order with names fixed at compile time,
//! and chains the fields' sample groups. Infallible: every check happened in `model`.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};

use super::model::{Body, Field, FieldKind, Input, Variant};
use crate::codegen::field::{cfg_gated_iter, chain};
use crate::codegen::generics::{mentions_type_param, with_predicates};
use crate::codegen::names;
use crate::paths::{WriterRoot, respan};

pub(crate) fn expand(input: &Input, root: WriterRoot) -> TokenStream {
    let ident = &input.ident;
    let generics = with_predicates(&input.generics, predicates(input, root));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let (entry, ew, sge) = (
        root.entry(),
        root.entry_writer(),
        root.sample_group_element(),
    );
    let self_ = names::self_();
    let writer = names::local("writer");

    // Fields are bound by a pattern (`let Self { a: __metrique_0, .. } = self;`, or a `match`
    // arm), and each binding is located at its field: rustc reports a failed bound on a call's
    // argument at the argument, so type errors then point at the user's field.
    let (body, groups) = match &input.body {
        Body::Struct(fields) => {
            let pat = pattern(quote!(Self), fields, Binds::Written);
            let group_pat = pattern(quote!(Self), fields, Binds::Groups);
            let stmts = bound(fields).map(|(b, f)| write_stmt(f, &b, &writer, root));
            let groups: Vec<TokenStream> = bound(fields)
                .filter_map(|(b, f)| sample_group_iter(f, &b, root))
                .collect();
            let groups = chain(groups).map(|chain| quote!({ let #group_pat = #self_; #chain }));
            (quote!(let #pat = #self_; #(#stmts)*), groups)
        }
        Body::Enum(variants) if variants.is_empty() => (quote!(match *#self_ {}), None),
        Body::Enum(variants) => {
            let arms = variants.iter().map(|v| {
                let pat = variant_pattern(v, Binds::Written);
                let stmts = bound(&v.fields).map(|(b, f)| write_stmt(f, &b, &writer, root));
                quote!(#pat => { #(#stmts)* })
            });
            let body = quote!(match #self_ { #(#arms)* });
            let iter = names::local("iter");
            let groups = variants
                .iter()
                .filter_map(|v| {
                    let iters = bound(&v.fields)
                        .filter_map(|(b, f)| sample_group_iter(f, &b, root))
                        .collect();
                    let chained = chain(iters)?;
                    let pat = variant_pattern(v, Binds::Groups);
                    // `_` is unreachable in single-variant enums (lint `unreachable_patterns`).
                    Some(quote!({
                        #[allow(unreachable_patterns)]
                        let #iter = match #self_ {
                            #pat => ::core::option::Option::Some(#chained),
                            _ => ::core::option::Option::None,
                        };
                        ::core::iter::Iterator::flatten(::core::iter::IntoIterator::into_iter(#iter))
                    }))
                })
                .collect();
            (body, chain(groups))
        }
    };
    let sample_group = groups.map(|chain| {
        quote! {
            fn sample_group(&#self_) -> impl ::core::iter::Iterator<Item = #sge> { #chain }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #entry for #ident #ty_generics #where_clause {
            fn write<'__w>(&'__w #self_, #writer: &mut impl #ew<'__w>) {
                #body
            }
            #sample_group
        }
    }
}

/// An `impl Entry` writing nothing, emitted next to errors.
pub(crate) fn stub(item: &syn::DeriveInput, root: WriterRoot) -> TokenStream {
    let ident = &item.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let (entry, ew) = (root.entry(), root.entry_writer());
    quote! {
        #[automatically_derived]
        impl #impl_generics #entry for #ident #ty_generics #where_clause {
            fn write<'__w>(&'__w self, _: &mut impl #ew<'__w>) {}
        }
    }
}

/// The written fields with their bindings, spanned at the fields. rustc reports an argument's
/// failed bound at the argument only if it shares the call's context, so the binding takes the
/// field's span outright (a mixed-site binding would be reported at the derive).
fn bound(fields: &[Field]) -> impl Iterator<Item = (Ident, &Field)> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.kind, FieldKind::Ignore))
        .map(|(i, f)| (Ident::new(&format!("__metrique_{i}"), f.span), f))
}

/// `path { a: __metrique_0, 1: __metrique_1, .. }`: braced patterns match named, tuple and unit
/// shapes alike, and leave ignored fields out.
fn pattern(path: TokenStream, fields: &[Field], binds: Binds) -> TokenStream {
    let fields = bound(fields)
        .filter(|(_, f)| binds == Binds::Written || contributes_group(f))
        .map(|(b, f)| {
            let (cfgs, member) = (&f.cfgs, &f.member);
            quote!(#(#cfgs)* #member: #b)
        });
    quote!(#path { #(#fields,)* .. })
}

fn variant_pattern(v: &Variant, binds: Binds) -> TokenStream {
    let ident = &v.ident;
    pattern(quote!(Self::#ident), &v.fields, binds)
}

/// Which fields a pattern binds: the written ones, or only those with a sample-group
/// contribution (unused bindings would warn).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binds {
    Written,
    Groups,
}

fn contributes_group(f: &Field) -> bool {
    matches!(
        f.kind,
        FieldKind::Flatten
            | FieldKind::Value {
                sample_group: true,
                ..
            }
    )
}

/// The statement writing one field; `access` is a reference to the field.
fn write_stmt(f: &Field, access: &Ident, writer: &Ident, root: WriterRoot) -> TokenStream {
    let cfgs = &f.cfgs;
    let stmt = match &f.kind {
        FieldKind::Value { name, format, .. } => {
            let value = match format {
                Some(format) => {
                    let fv = root.formatted_value();
                    quote_spanned!(f.span=> &#fv::<_, #format>::new(#access))
                }
                None => quote!(#access),
            };
            // Called through the trait path (respanned) so a missing `Value` impl is reported
            // on the field.
            let ew = respan(root.entry_writer(), f.span);
            quote_spanned!(f.span=> #ew::value(&mut *#writer, #name, #value);)
        }
        FieldKind::Flatten => {
            let entry = respan(root.entry(), f.span);
            quote_spanned!(f.span=> #entry::write(#access, #writer);)
        }
        FieldKind::Timestamp => {
            let ts = respan(root.timestamp_fn(), f.span);
            quote_spanned!(f.span=> #writer.timestamp(#ts(#access));)
        }
        FieldKind::Ignore => return TokenStream::new(),
    };
    quote!(#(#cfgs)* #stmt)
}

/// The field's sample-group iterator, if it contributes one.
fn sample_group_iter(f: &Field, access: &Ident, root: WriterRoot) -> Option<TokenStream> {
    let iter = match &f.kind {
        FieldKind::Value {
            name,
            sample_group: true,
            ..
        } => {
            let private = root.private();
            quote_spanned!(f.span=> ::core::iter::once((
                ::std::borrow::Cow::Borrowed(#name),
                {
                    // Only one of the two traits is used for a given type (`unused_imports`).
                    #[allow(unused_imports)]
                    use #private::{ViaInto as _, ViaSampleGroup as _};
                    (&#private::SampleGroupValue(#access)).sample_group_value()
                },
            )))
        }
        FieldKind::Flatten => {
            let entry = respan(root.entry(), f.span);
            quote_spanned!(f.span=> #entry::sample_group(#access))
        }
        _ => return None,
    };
    Some(cfg_gated_iter(&f.cfgs, iter, root.sample_group_element()))
}

/// Bounds for fields whose types mention type parameters (skipped under `cfg`: predicates
/// cannot carry attributes).
fn predicates(input: &Input, root: WriterRoot) -> Vec<TokenStream> {
    let fields: Vec<&Field> = match &input.body {
        Body::Struct(fields) => fields.iter().collect(),
        Body::Enum(variants) => variants.iter().flat_map(|v| &v.fields).collect(),
    };
    fields
        .into_iter()
        .filter(|f| f.cfgs.is_empty() && mentions_type_param(&f.ty, &input.generics))
        .filter_map(|f| {
            let ty = &f.ty;
            Some(match &f.kind {
                FieldKind::Value {
                    format: Some(format),
                    ..
                } => {
                    let vf = root.value_formatter();
                    quote_spanned!(f.span=> #format: #vf<#ty>)
                }
                FieldKind::Value { .. } => {
                    let value = root.value();
                    quote_spanned!(f.span=> #ty: #value)
                }
                FieldKind::Flatten => {
                    let entry = root.entry();
                    quote_spanned!(f.span=> #ty: #entry)
                }
                FieldKind::Timestamp => quote_spanned!(f.span=>
                    #ty: ::core::marker::Copy + ::core::convert::Into<::std::time::SystemTime>),
                FieldKind::Ignore => return None,
            })
        })
        .collect()
}

//! `impl<NS: NameStyle> InflectableEntry<NS> for <Name>Entry`: writes the fields in declaration
//! order under the effective name style, and chains the fields' sample groups.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::close_value::entry_variant_pattern;
use super::entry_type::{close_predicates, phantom_variant, written};
use super::field::{self, closed_ty, name, sample_group_iter, write_stmt};
use super::generics::{mentions_type_param, with_param, with_predicates};
use super::names;
use crate::model::{Body, Field, FieldKind, Input, Plain};
use crate::naming::Spellings;
use crate::paths;

/// The effective style of the container's own fields: the inherited `__NS`, or its `rename_all`.
fn effective_ns(input: &Input) -> TokenStream {
    let ns = names::ns();
    let name_style = paths::name_style();
    match input.container.rename_all {
        None => quote!(#ns),
        Some(style) => {
            let assoc = match style {
                crate::naming::Style::Pascal => quote!(PascalCase),
                crate::naming::Style::Snake => quote!(SnakeCase),
                crate::naming::Style::Kebab => quote!(KebabCase),
                crate::naming::Style::ScreamingSnake => quote!(ScreamingSnakeCase),
            };
            quote!(<#ns as #name_style>::#assoc)
        }
    }
}

/// Named prefix types of generic prefixed `flatten` fields.
///
/// A prefixed flatten site normally names its prefix through a type local to the
/// `write_prefixed!` expansion. A generic field needs the bound `Closed:
/// InflectableEntry<<NS as NameStyle>::AppendPrefix<P>>` in the impl's where clause, where a
/// local type cannot be named, so these fields get a `__MetriquePrefixN` type declared next to
/// the impl (inside a `const _` block).
pub(crate) struct PrefixTypes<'a> {
    types: Vec<(&'a Field, Ident, &'a Spellings)>,
}

impl<'a> PrefixTypes<'a> {
    fn new(input: &'a Input) -> Self {
        let types = super::entry_type::all_fields(input)
            .into_iter()
            .filter(|f| mentions_type_param(&f.ty, &input.generics))
            .filter_map(|f| match &f.kind {
                FieldKind::Flatten {
                    prefix: Some(prefix),
                    ..
                } => Some((f, prefix)),
                _ => None,
            })
            .enumerate()
            .map(|(i, (f, prefix))| (f, format_ident!("__MetriquePrefix{}", i), prefix))
            .collect();
        PrefixTypes { types }
    }

    /// The named prefix type of `f`, if it has one.
    pub(crate) fn get(&self, f: &Field) -> Option<&Ident> {
        self.types
            .iter()
            .find(|(g, _, _)| std::ptr::eq(*g, f))
            .map(|(_, ident, _)| ident)
    }

    /// The type declarations and their `NameSet` impls.
    fn declarations(&self) -> TokenStream {
        let name_set = paths::name_set();
        self.types
            .iter()
            .map(|(_, ident, prefix)| {
                let spellings = field::spellings(prefix);
                quote! {
                    struct #ident;
                    impl #name_set for #ident {
                        const NAMES: [&'static str; 5] = [#spellings];
                    }
                }
            })
            .collect()
    }
}

/// Bounds the write path needs on closed types that mention type parameters.
fn write_predicates(
    input: &Input,
    ns: &TokenStream,
    prefixes: &PrefixTypes<'_>,
) -> Vec<TokenStream> {
    let mode = input.container.mode;
    let mut preds = Vec::new();
    for f in super::entry_type::all_fields(input) {
        if matches!(f.kind, FieldKind::Ignore) || !mentions_type_param(&f.ty, &input.generics) {
            continue;
        }
        let ty = closed_ty(f, mode);
        let bound = match &f.kind {
            FieldKind::Plain(Plain {
                format: Some(format),
                ..
            }) => {
                let vf = paths::value_formatter();
                preds.push(quote_spanned!(f.span=> #format: #vf<#ty>));
                continue;
            }
            FieldKind::Plain(Plain {
                sample_group: true, ..
            }) => {
                let (v, sg) = (paths::value(), paths::sample_group());
                quote!(#v + #sg)
            }
            FieldKind::Plain(_) => paths::value(),
            FieldKind::Flatten { prefix: None, .. } => {
                let ie = paths::inflectable_entry();
                quote!(#ie<#ns>)
            }
            FieldKind::Flatten {
                prefix: Some(_), ..
            } => {
                let (ie, name_style) = (paths::inflectable_entry(), paths::name_style());
                let prefix = prefixes
                    .get(f)
                    .expect("generic prefixed flatten fields are named");
                quote!(#ie<<#ns as #name_style>::AppendPrefix<#prefix>>)
            }
            FieldKind::FlattenEntry => paths::entry(),
            FieldKind::Timestamp => {
                quote!(::core::marker::Copy + ::core::convert::Into<::std::time::SystemTime>)
            }
            FieldKind::Ignore => continue,
        };
        preds.push(quote_spanned!(f.span=> #ty: #bound));
    }
    preds
}

pub(crate) fn expand(input: &Input) -> TokenStream {
    let entry = names::entry(&input.ident);
    let ns = effective_ns(input);
    let (ns_param, name_style) = (names::ns(), paths::name_style());
    let prefixes = PrefixTypes::new(input);
    let mut preds = close_predicates(input);
    preds.extend(write_predicates(input, &ns, &prefixes));
    let generics = with_predicates(&input.generics, preds);
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let impl_generics_full = with_param(&generics, quote!(#ns_param: #name_style));
    let (impl_generics, _, where_clause) = impl_generics_full.split_for_impl();
    let (ie, ew, sge) = (
        paths::inflectable_entry(),
        paths::entry_writer(),
        paths::sample_group_element(),
    );
    let self_ = names::self_();
    let writer = names::local("writer");
    let writer_ts = quote!(#writer);

    let config = input.container.dimension_sets.as_ref().map(|sets| {
        let dims = paths::entry_dimensions();
        let sets = sets.iter().map(
            |set| quote!(::std::borrow::Cow::Borrowed(&[#(::std::borrow::Cow::Borrowed(#set)),*])),
        );
        quote! {
            static DIMENSIONS: #dims = #dims::new_static(&[#(#sets),*]);
            #writer.config(&DIMENSIONS);
        }
    });

    let (body, sample_group) = match &input.body {
        Body::Struct { fields, .. } => {
            let access = |f: &Field| {
                let member = &f.member;
                quote!(&#self_.#member)
            };
            let stmts = written(fields)
                .map(|(_, f)| write_stmt(f, &ns, access(f), &writer_ts, prefixes.get(f)));
            let groups = written(fields)
                .filter_map(|(_, f)| sample_group_iter(f, &ns, access(f), prefixes.get(f)))
                .collect();
            (quote!(#(#stmts)*), field::chain(groups))
        }
        Body::Enum(variants) => {
            let path = quote!(#entry);
            let phantom = super::generics::phantom(&input.generics).map(|_| {
                let pv = phantom_variant();
                quote!(#path::#pv(_, never) => match *never {},)
            });
            let tag = input.container.tag.as_ref();
            let arms = variants.iter().map(|v| {
                let pat = entry_variant_pattern(path.clone(), v);
                let tag_stmt = tag.map(|t| {
                    let (name, s) = (name(&ns, &t.name), &v.string);
                    quote!(#writer.value(#name, #s);)
                });
                let stmts = bound_fields(v.fields.fields())
                    .map(|(b, f)| write_stmt(f, &ns, quote!(#b), &writer_ts, prefixes.get(f)));
                quote!(#pat => { #tag_stmt #(#stmts)* })
            });
            let body = quote!(match #self_ { #(#arms)* #phantom });
            let groups: Vec<TokenStream> = variants
                .iter()
                .filter_map(|v| {
                    let mut iters: Vec<TokenStream> = Vec::new();
                    if let Some(t) = tag.filter(|t| t.sample_group) {
                        let (element, name, s) = (paths::sample_group_element_fn(), name(&ns, &t.name), &v.string);
                        iters.push(quote!(::core::iter::once(#element(#name, &#s))));
                    }
                    iters.extend(bound_fields(v.fields.fields()).filter_map(|(b, f)| sample_group_iter(f, &ns, quote!(#b), prefixes.get(f))));
                    let chained = field::chain(iters)?;
                    let pat = entry_variant_pattern(path.clone(), v);
                    // `_` is unreachable for single-variant enums (lint `unreachable_patterns`).
                    Some(quote! {
                        #[allow(unreachable_patterns)]
                        let iter = match #self_ { #pat => ::core::option::Option::Some(#chained), _ => ::core::option::Option::None };
                        ::core::iter::Iterator::flatten(::core::iter::IntoIterator::into_iter(iter))
                    })
                })
                .map(|block| quote!({ #block }))
                .collect();
            (body, field::chain(groups))
        }
    };
    let sample_group = sample_group.map(|chain| {
        quote! {
            fn sample_group(&#self_) -> impl ::core::iter::Iterator<Item = #sge> { #chain }
        }
    });
    let imp = quote! {
        #[automatically_derived]
        impl #impl_generics #ie<#ns_param> for #entry #ty_generics #where_clause {
            fn write<'__w>(&'__w #self_, #writer: &mut impl #ew<'__w>) {
                #config
                #body
            }
            #sample_group
        }
    };
    if prefixes.types.is_empty() {
        imp
    } else {
        let declarations = prefixes.declarations();
        quote!(const _: () = { #declarations #imp };)
    }
}

/// A variant's written fields with their bindings.
fn bound_fields(fields: &[Field]) -> impl Iterator<Item = (proc_macro2::Ident, &Field)> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !matches!(f.kind, FieldKind::Ignore))
        .map(|(i, f)| (names::binding(i), f))
}

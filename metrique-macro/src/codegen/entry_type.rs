//! The closed entry type `<Name>Entry`: one private field per written field, typed by what the
//! field closes to.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::field::closed_ty;
use super::generics::{mentions_type_param, phantom, with_predicates};
use super::names;
use crate::model::{Body, Field, FieldKind, Input, VariantFields};
use crate::paths;

/// Fields that are part of the entry.
pub(crate) fn written(fields: &[Field]) -> impl Iterator<Item = (usize, &Field)> {
    fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Ignore))
        .enumerate()
}

/// All fields of the item (struct fields, or every variant's fields).
pub(crate) fn all_fields(input: &Input) -> Vec<&Field> {
    match &input.body {
        Body::Struct { fields, .. } => fields.iter().collect(),
        Body::Enum(variants) => variants.iter().flat_map(|v| v.fields.fields()).collect(),
    }
}

/// `F: CloseValue` for every closed field whose type mentions a type parameter: the entry's
/// field types are projections that need it.
pub(crate) fn close_predicates(input: &Input) -> Vec<TokenStream> {
    let bound = if input.container.mode.by_ref() {
        paths::close_value_ref()
    } else {
        paths::close_value()
    };
    all_fields(input)
        .into_iter()
        .filter(|f| !f.no_close && !matches!(f.kind, FieldKind::Ignore))
        .filter(|f| mentions_type_param(&f.ty, &input.generics))
        .map(|f| {
            let ty = &f.ty;
            quote_spanned!(f.span=> #ty: #bound)
        })
        .collect()
}

/// The name of the hidden variant that keeps generic parameters used in entry enums.
pub(crate) fn phantom_variant() -> proc_macro2::Ident {
    proc_macro2::Ident::new("__MetriquePhantom", proc_macro2::Span::call_site())
}

pub(crate) fn expand(input: &Input) -> TokenStream {
    let vis = &input.vis;
    let entry = names::entry(&input.ident);
    let mode = input.container.mode;
    let generics = with_predicates(&input.generics, close_predicates(input));
    let (_, _, where_clause) = generics.split_for_impl();
    let params = &generics.params;
    let derives = &input.derives;
    let derive = (!derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]));
    let doc = format!(
        " The closed form of [`{}`], written when its guard drops.",
        input.ident
    );
    let phantom = phantom(&input.generics);
    match &input.body {
        Body::Struct { fields, .. } => {
            let fields = written(fields).map(|(_, f)| {
                let (cfgs, ty) = (&f.cfgs, closed_ty(f, mode));
                let member = &f.member;
                quote!(#(#cfgs)* #member: #ty)
            });
            let phantom = phantom.map(|p| quote!(__metrique_phantom: #p,));
            quote! {
                #[doc = #doc]
                #[doc(hidden)]
                #derive
                #vis struct #entry<#params> #where_clause {
                    #(#fields,)*
                    #phantom
                }
            }
        }
        Body::Enum(variants) => {
            let variants = variants.iter().map(|v| {
                let ident = &v.ident;
                let tys = written(v.fields.fields()).map(|(_, f)| closed_ty(f, mode));
                match &v.fields {
                    VariantFields::Unit => quote!(#ident),
                    VariantFields::Tuple(_) => quote!(#ident(#(#tys),*)),
                    VariantFields::Named(fields) => {
                        let members = written(fields).map(|(_, f)| &f.member);
                        quote!(#ident { #(#members: #tys),* })
                    }
                }
            });
            let phantom_variant = phantom_variant();
            let phantom = phantom
                .map(|p| quote!(#[doc(hidden)] #phantom_variant(#p, ::core::convert::Infallible),));
            quote! {
                #[doc = #doc]
                #[doc(hidden)]
                #derive
                #vis enum #entry<#params> #where_clause {
                    #(#variants,)*
                    #phantom
                }
            }
        }
    }
}

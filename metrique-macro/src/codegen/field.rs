//! Per-field pieces shared by struct and enum-variant expansions: the closed type, the close
//! expression, the write statement and the sample-group contribution.
//!
//! Everything that can fail to type-check is spanned at the user's field so rustc points there.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use crate::model::{Field, FieldKind, Mode, Plain};
use crate::naming::Spellings;
use crate::paths;

/// `"id", "Pascal", "snake", "kebab", "SCREAMING"`.
pub(crate) fn spellings(s: &Spellings) -> TokenStream {
    let [a, b, c, d, e] = s;
    quote!(#a, #b, #c, #d, #e)
}

/// `name!(NS; ...)`: the name in style `ns`, resolved at compile time.
pub(crate) fn name(ns: &TokenStream, s: &Spellings) -> TokenStream {
    let name = paths::name_macro();
    let s = spellings(s);
    quote!(#name(#ns; #s))
}

/// The type a field closes to (before `unit` wrapping).
fn closed_inner(f: &Field, mode: Mode) -> TokenStream {
    let ty = &f.ty;
    if f.no_close {
        quote!(#ty)
    } else if mode.by_ref() {
        let (hint, by_ref) = (paths::subfield_owned_hint(), paths::close_by_ref());
        quote_spanned!(f.span=> <#hint<#ty> as #by_ref>::Closed)
    } else {
        let cv = paths::close_value();
        quote_spanned!(f.span=> <#ty as #cv>::Closed)
    }
}

/// The entry field's type.
pub(crate) fn closed_ty(f: &Field, mode: Mode) -> TokenStream {
    let inner = closed_inner(f, mode);
    match &f.kind {
        FieldKind::Plain(Plain {
            unit: Some(unit), ..
        }) => {
            let with_unit = paths::with_unit();
            quote_spanned!(f.span=> #with_unit<#inner, #unit>)
        }
        _ => inner,
    }
}

/// The expression closing a field; `access` is the field by value (owned modes) or by reference
/// (by-ref modes).
pub(crate) fn close_expr(f: &Field, mode: Mode, access: TokenStream) -> TokenStream {
    let cv = paths::close_value();
    let closed = if f.no_close {
        if mode.by_ref() {
            quote_spanned!(f.span=> ::core::clone::Clone::clone(#access))
        } else {
            access
        }
    } else if mode.by_ref() {
        // Routed through a named wrapper so that a by-value-only type produces an error that
        // mentions `IfYouSeeThisUseSubfieldOwned` (and the trait note suggests the fix).
        let hint = paths::subfield_owned_hint();
        quote_spanned!(f.span=> #cv::close(#hint(#access)))
    } else {
        quote_spanned!(f.span=> #cv::close(#access))
    };
    match &f.kind {
        FieldKind::Plain(Plain { unit: Some(_), .. }) => {
            quote_spanned!(f.span=> ::core::convert::From::from(#closed))
        }
        _ => closed,
    }
}

/// The value written for a plain field: `access` (a reference to the closed value), formatted
/// and flagged as asked.
pub(crate) fn plain_value(f: &Field, p: &Plain, access: TokenStream) -> TokenStream {
    let mut value = access;
    if let Some(format) = &p.format {
        let fv = paths::formatted_value();
        value = quote_spanned!(f.span=> &#fv::<_, #format>::new(#value));
    }
    for flag in &p.flags {
        let ff = paths::force_flag();
        value = quote_spanned!(f.span=> &#ff::<_, #flag>::from(#value));
    }
    value
}

/// The statement writing one field; `ns` is the effective name style of the field's container.
/// `prefix_ty` is the named prefix type of a generic prefixed `flatten` field (see
/// `entry_impl::PrefixTypes`).
pub(crate) fn write_stmt(
    f: &Field,
    ns: &TokenStream,
    access: TokenStream,
    writer: &TokenStream,
    prefix_ty: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let cfgs = &f.cfgs;
    let stmt = match &f.kind {
        FieldKind::Plain(p) => {
            let name = name(ns, &p.name);
            let value = plain_value(f, p, access);
            quote_spanned!(f.span=> #writer.value(#name, #value);)
        }
        FieldKind::Flatten {
            prefix,
            default_flags,
        } => {
            let mut w = writer.clone();
            for flag in default_flags {
                let ffw = paths::force_flag_entry_writer();
                w = quote_spanned!(f.span=> &mut #ffw::<_, #flag>::new(&mut *#w));
            }
            match prefix {
                None => {
                    let ie = paths::inflectable_entry();
                    quote_spanned!(f.span=> #ie::<#ns>::write(#access, #w);)
                }
                Some(_) if prefix_ty.is_some() => {
                    let (ie, name_style) = (paths::inflectable_entry(), paths::name_style());
                    quote_spanned!(f.span=> #ie::<<#ns as #name_style>::AppendPrefix<#prefix_ty>>::write(#access, #w);)
                }
                Some(prefix) => {
                    let wp = paths::write_prefixed_macro();
                    let p = spellings(prefix);
                    quote_spanned!(f.span=> #wp(#ns; [#p]; #access, #w);)
                }
            }
        }
        FieldKind::FlattenEntry => {
            let entry = paths::entry();
            quote_spanned!(f.span=> #entry::write(#access, #writer);)
        }
        FieldKind::Timestamp => {
            let ts = paths::timestamp_fn();
            quote_spanned!(f.span=> #writer.timestamp(#ts(#access));)
        }
        FieldKind::Ignore => return TokenStream::new(),
    };
    quote!(#(#cfgs)* #stmt)
}

/// The field's sample-group iterator, if it contributes one.
pub(crate) fn sample_group_iter(
    f: &Field,
    ns: &TokenStream,
    access: TokenStream,
    prefix_ty: Option<&proc_macro2::Ident>,
) -> Option<TokenStream> {
    let iter = match &f.kind {
        FieldKind::Plain(p) if p.sample_group => {
            let element = paths::respan(paths::sample_group_element_fn(), f.span);
            let name = name(ns, &p.name);
            // rustc reports a failed `SampleGroup` bound at the argument (and the call); both
            // spanned at the field's type make that the user's field, not `#[metrics]`.
            let bind = proc_macro2::Ident::new("__metrique_sample_group", f.span);
            quote_spanned!(f.span=> ::core::iter::once({ let #bind = #access; #element(#name, #bind) }))
        }
        FieldKind::Flatten { prefix: None, .. } => {
            let ie = paths::inflectable_entry();
            quote_spanned!(f.span=> #ie::<#ns>::sample_group(#access))
        }
        FieldKind::Flatten {
            prefix: Some(_), ..
        } if prefix_ty.is_some() => {
            let (ie, name_style) = (paths::inflectable_entry(), paths::name_style());
            quote_spanned!(f.span=> #ie::<<#ns as #name_style>::AppendPrefix<#prefix_ty>>::sample_group(#access))
        }
        FieldKind::Flatten {
            prefix: Some(prefix),
            ..
        } => {
            let sp = paths::sample_group_prefixed_macro();
            let p = spellings(prefix);
            quote_spanned!(f.span=> #sp(#ns; [#p]; #access))
        }
        FieldKind::FlattenEntry => {
            let entry = paths::entry();
            quote_spanned!(f.span=> #entry::sample_group(#access))
        }
        _ => return None,
    };
    Some(cfg_gated_iter(&f.cfgs, iter, paths::sample_group_element()))
}

/// Chains iterators: `a.chain(b).chain(c)`; `None` if there are none.
pub(crate) fn chain(iters: Vec<TokenStream>) -> Option<TokenStream> {
    let mut iter = iters.into_iter();
    let first = iter.next()?;
    Some(iter.fold(
        first,
        |acc, next| quote!(::core::iter::Iterator::chain(#acc, #next)),
    ))
}

/// `iter`, or an empty iterator of `item` when the field's `#[cfg]`s are off.
///
/// A `cfg` cannot sit on an argument of `Iterator::chain`, so the contribution is bound in a
/// block whose two `let`s carry the field's predicates and their negation; the two branches
/// may have different iterator types because only one of them is ever compiled.
pub(crate) fn cfg_gated_iter(
    cfgs: &[syn::Attribute],
    iter: TokenStream,
    item: TokenStream,
) -> TokenStream {
    let preds: Vec<&TokenStream> = cfgs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.meta.require_list().ok().map(|l| &l.tokens))
        .collect();
    if preds.is_empty() {
        return iter;
    }
    let local = super::names::local("__metrique_iter");
    quote! {{
        #[cfg(all(#(#preds),*))]
        let #local = #iter;
        #[cfg(not(all(#(#preds),*)))]
        let #local = ::core::iter::empty::<#item>();
        #local
    }}
}

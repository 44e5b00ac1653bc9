//! Root mode: `<Name>Guard` / `<Name>Handle` aliases and the inherent `append_on_drop`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::entry_type::close_predicates;
use super::generics::{alias_parts, with_predicates};
use super::names;
use crate::model::{Input, Mode};
use crate::paths;

pub(crate) fn expand(input: &Input) -> TokenStream {
    if input.container.mode != Mode::Root {
        return TokenStream::new();
    }
    let (ident, vis) = (&input.ident, &input.vis);
    let (entry, guard, handle) = (
        names::entry(ident),
        names::guard(ident),
        names::handle(ident),
    );
    let (default_sink, guard_ty, handle_ty) =
        (paths::default_sink(), paths::guard(), paths::handle());
    let (sink, root, append) = (
        paths::entry_sink(),
        paths::root_entry(),
        paths::append_and_close(),
    );
    let (params, args) = alias_parts(&input.generics);
    let q = format_ident!("Q");
    let args = if args.is_empty() {
        quote!()
    } else {
        quote!(<#(#args),*>)
    };
    let generics = with_predicates(&input.generics, close_predicates(input));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let self_ = names::self_();
    let guard_doc = format!(" Closes a [`{ident}`] and appends it to sink `Q` when dropped.");
    let handle_doc = format!(" A shared, clonable handle to a [`{ident}`] guard.");
    // The alias only names the guard when the type has no parameters to substitute.
    let (ret, bound) = if input.generics.params.is_empty() {
        (quote!(#guard<#q>), None)
    } else {
        // Bounding the entry type (not `Self: CloseEntry`, which would shadow the `CloseValue`
        // impl and stop `Self::Closed` from normalizing).
        let ie = paths::inflectable_entry();
        (
            quote!(#guard_ty<Self, #q>),
            Some(quote!(where #entry #ty_generics: #ie)),
        )
    };
    // `dead_code` fires on these convenience items when a private type never uses them (it does
    // for items spanned inside a caller's `macro_rules!`).
    quote! {
        #[doc = #guard_doc]
        #[allow(dead_code)]
        #vis type #guard<#(#params,)* #q = #default_sink> = #guard_ty<#ident #args, #q>;
        #[doc = #handle_doc]
        #[allow(dead_code)]
        #vis type #handle<#(#params,)* #q = #default_sink> = #handle_ty<#ident #args, #q>;
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #where_clause {
            /// Closes `self` and appends it to `sink` when the returned guard drops.
            #vis fn append_on_drop<#q: #sink<#root<#entry #ty_generics>> + ::core::marker::Send + ::core::marker::Sync + 'static>(
                #self_,
                sink: #q,
            ) -> #ret #bound {
                #append(#self_, sink)
            }
        }
    }
}

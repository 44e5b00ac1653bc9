//! Generics of generated items: bounds for fields whose types mention type parameters, the
//! phantom field that keeps every parameter used, and the `'static` arguments of guard aliases.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit::Visit;
use syn::{GenericParam, Generics, Type};

/// True if `ty` mentions one of the type parameters of `generics`.
pub(crate) fn mentions_type_param(ty: &Type, generics: &Generics) -> bool {
    struct Finder<'g> {
        generics: &'g Generics,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if let Some(first) = path.segments.first()
                && self.generics.type_params().any(|p| p.ident == first.ident)
            {
                self.found = true;
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut finder = Finder {
        generics,
        found: false,
    };
    finder.visit_type(ty);
    finder.found
}

/// `generics` plus the where-clause predicates `preds`.
pub(crate) fn with_predicates(generics: &Generics, preds: Vec<TokenStream>) -> Generics {
    let mut g = generics.clone();
    if !preds.is_empty() {
        let wc = g.make_where_clause();
        for p in preds {
            wc.predicates.push(syn::parse_quote!(#p));
        }
    }
    g
}

/// `generics` with one more parameter (`__NS: NameStyle`, `'__metrique_ref`).
pub(crate) fn with_param(generics: &Generics, param: TokenStream) -> Generics {
    let mut g = generics.clone();
    let param: GenericParam = syn::parse_quote!(#param);
    // Lifetimes must precede type and const parameters.
    if matches!(param, GenericParam::Lifetime(_)) {
        g.params.insert(0, param);
    } else {
        g.params.push(param);
    }
    g
}

/// The type of a phantom field using every lifetime and type parameter, if there is any.
pub(crate) fn phantom(generics: &Generics) -> Option<TokenStream> {
    let parts: Vec<TokenStream> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Lifetime(l) => {
                let l = &l.lifetime;
                Some(quote!(&#l ()))
            }
            GenericParam::Type(t) => {
                let t = &t.ident;
                Some(quote!(::core::marker::PhantomData<#t>))
            }
            GenericParam::Const(_) => None,
        })
        .collect();
    (!parts.is_empty()).then(|| quote!(::core::marker::PhantomData<fn() -> (#(#parts,)*)>))
}

/// Alias parameters (bounds dropped, lifetimes removed) and the type's arguments with `'static`
/// for every lifetime: `(<T, const N: usize>, <'static, T, N>)`.
pub(crate) fn alias_parts(generics: &Generics) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut args = Vec::new();
    for p in &generics.params {
        match p {
            GenericParam::Lifetime(_) => args.push(quote!('static)),
            GenericParam::Type(t) => {
                let ident = &t.ident;
                let default = t.default.as_ref().map(|d| quote!(= #d));
                params.push(quote!(#ident #default));
                args.push(quote!(#ident));
            }
            GenericParam::Const(c) => {
                let (ident, ty) = (&c.ident, &c.ty);
                let default = c.default.as_ref().map(|d| quote!(= #d));
                params.push(quote!(const #ident: #ty #default));
                args.push(quote!(#ident));
            }
        }
    }
    (params, args)
}

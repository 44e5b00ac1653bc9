//! Container attributes: `#[metrics(rename_all = .., prefix = .., subfield, ...)]` on the item.

use proc_macro2::{Span, TokenStream};
use syn::{LitStr, Path};

use super::{Flag, flag, path_list, set, string, unknown};
use crate::diagnostics::Errors;

const KNOWN: &[&str] = &[
    "rename_all",
    "prefix",
    "exact_prefix",
    "subfield",
    "subfield_owned",
    "value",
    "sample_group",
    "emf::dimension_sets",
    "tag",
    "default_flags",
    "closeable_entry",
];

/// The container attribute as written.
#[derive(Default)]
pub(crate) struct RawContainer {
    pub(crate) rename_all: Option<LitStr>,
    pub(crate) prefix: Option<LitStr>,
    pub(crate) exact_prefix: Option<LitStr>,
    pub(crate) subfield: Flag,
    pub(crate) subfield_owned: Flag,
    pub(crate) value: Flag,
    pub(crate) value_string: Flag,
    pub(crate) sample_group: Flag,
    pub(crate) dimension_sets: Option<syn::Expr>,
    pub(crate) tag: Option<RawTag>,
    pub(crate) default_flags: Option<(Span, Vec<Path>)>,
    pub(crate) closeable_entry: Flag,
}

/// `tag(name = "..", name_exact = "..", sample_group)`.
pub(crate) struct RawTag {
    pub(crate) span: Span,
    pub(crate) name: Option<LitStr>,
    pub(crate) name_exact: Option<LitStr>,
    pub(crate) sample_group: Flag,
}

impl RawContainer {
    /// Parses the arguments of the `#[metrics(...)]` attribute itself.
    pub(crate) fn parse(args: TokenStream, errs: &mut Errors) -> RawContainer {
        let mut raw = RawContainer::default();
        let parser = syn::meta::parser(|meta| {
            let key = super::path_str(&meta.path);
            match key.as_str() {
                "rename_all" => string(errs, &mut raw.rename_all, &meta),
                "prefix" => string(errs, &mut raw.prefix, &meta),
                "exact_prefix" => string(errs, &mut raw.exact_prefix, &meta),
                "subfield" => flag(errs, &mut raw.subfield, &meta),
                "subfield_owned" => flag(errs, &mut raw.subfield_owned, &meta),
                "sample_group" => flag(errs, &mut raw.sample_group, &meta),
                "closeable_entry" => flag(errs, &mut raw.closeable_entry, &meta),
                "default_flags" => path_list(errs, &mut raw.default_flags, &meta),
                "value" if meta.input.peek(syn::token::Paren) => {
                    let span = meta.path.segments[0].ident.span();
                    meta.parse_nested_meta(|inner| {
                        if inner.path.is_ident("string") {
                            set(errs, &mut raw.value_string, span, &inner);
                            Ok(())
                        } else {
                            unknown(errs, &inner, "`value(...)` option", &["string"])
                        }
                    })
                }
                "value" => flag(errs, &mut raw.value, &meta),
                "emf::dimension_sets" => {
                    let expr: syn::Expr = meta.value()?.parse()?;
                    set(errs, &mut raw.dimension_sets, expr, &meta);
                    Ok(())
                }
                "tag" => {
                    let mut tag = RawTag {
                        span: meta.path.segments[0].ident.span(),
                        name: None,
                        name_exact: None,
                        sample_group: None,
                    };
                    if meta.input.peek(syn::token::Paren) {
                        meta.parse_nested_meta(|inner| {
                            match super::path_str(&inner.path).as_str() {
                                "name" => string(errs, &mut tag.name, &inner),
                                "name_exact" => string(errs, &mut tag.name_exact, &inner),
                                "sample_group" => flag(errs, &mut tag.sample_group, &inner),
                                _ => unknown(
                                    errs,
                                    &inner,
                                    "`tag(...)` option",
                                    &["name", "name_exact", "sample_group"],
                                ),
                            }
                        })?;
                    }
                    set(errs, &mut raw.tag, tag, &meta);
                    Ok(())
                }
                _ => unknown(errs, &meta, "`#[metrics]` container attribute", KNOWN),
            }
        });
        let result = syn::parse::Parser::parse2(parser, args);
        errs.record(result);
        raw
    }
}

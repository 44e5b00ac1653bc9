//! Field and variant attributes: `#[metrics(name = .., unit = .., flatten, ...)]`.

use proc_macro2::Span;
use syn::{Attribute, LitStr, Path};

use super::{Flag, flag, path, path_list, set, skip_value, string, unknown};
use crate::diagnostics::Errors;

const KNOWN: &[&str] = &[
    "name",
    "unit",
    "format",
    "timestamp",
    "ignore",
    "flatten",
    "flatten_entry",
    "no_close",
    "sample_group",
    "prefix",
    "exact_prefix",
    "flags",
    "default_flags",
];

/// A field's `#[metrics(...)]` attributes as written (several attributes are merged).
#[derive(Default)]
pub(crate) struct RawField {
    pub(crate) name: Option<LitStr>,
    pub(crate) unit: Option<Path>,
    pub(crate) format: Option<Path>,
    pub(crate) timestamp: Flag,
    pub(crate) ignore: Flag,
    pub(crate) flatten: Flag,
    pub(crate) flatten_entry: Flag,
    pub(crate) no_close: Flag,
    pub(crate) sample_group: Flag,
    pub(crate) prefix: Option<LitStr>,
    pub(crate) exact_prefix: Option<LitStr>,
    pub(crate) flags: Option<RawFlags>,
    pub(crate) default_flags: Option<(Span, Vec<Path>)>,
}

/// `flags(A, B, skip(C))`.
pub(crate) struct RawFlags {
    pub(crate) span: Span,
    pub(crate) present: Vec<Path>,
    pub(crate) skipped: Vec<Path>,
}

impl RawField {
    pub(crate) fn parse(attrs: &[Attribute], errs: &mut Errors) -> RawField {
        let mut raw = RawField::default();
        for attr in attrs {
            let result =
                attr.parse_nested_meta(|meta| match super::path_str(&meta.path).as_str() {
                    "name" => string(errs, &mut raw.name, &meta),
                    "unit" => path(errs, &mut raw.unit, &meta),
                    "format" => path(errs, &mut raw.format, &meta),
                    "timestamp" => flag(errs, &mut raw.timestamp, &meta),
                    "ignore" => flag(errs, &mut raw.ignore, &meta),
                    "flatten" => flag(errs, &mut raw.flatten, &meta),
                    "flatten_entry" => flag(errs, &mut raw.flatten_entry, &meta),
                    "no_close" => flag(errs, &mut raw.no_close, &meta),
                    "sample_group" => flag(errs, &mut raw.sample_group, &meta),
                    "prefix" => string(errs, &mut raw.prefix, &meta),
                    "exact_prefix" => string(errs, &mut raw.exact_prefix, &meta),
                    "default_flags" => path_list(errs, &mut raw.default_flags, &meta),
                    "flags" => {
                        let mut flags = RawFlags {
                            span: meta.path.segments[0].ident.span(),
                            present: Vec::new(),
                            skipped: Vec::new(),
                        };
                        meta.parse_nested_meta(|inner| {
                            if inner.path.is_ident("skip") {
                                inner.parse_nested_meta(|s| {
                                    skip_value(&s)?;
                                    flags.skipped.push(s.path);
                                    Ok(())
                                })
                            } else if inner.input.peek(syn::token::Paren)
                                || inner.input.peek(syn::Token![=])
                            {
                                skip_value(&inner)?;
                                errs.spanned(
                                    &inner.path,
                                    "expected a path or `skip(Path)` in `flags(...)`",
                                );
                                Ok(())
                            } else {
                                flags.present.push(inner.path);
                                Ok(())
                            }
                        })?;
                        set(errs, &mut raw.flags, flags, &meta);
                        Ok(())
                    }
                    _ => unknown(errs, &meta, "`#[metrics]` field attribute", KNOWN),
                });
            errs.record(result);
        }
        raw
    }
}

/// An enum variant's `#[metrics(name = "..")]`.
#[derive(Default)]
pub(crate) struct RawVariant {
    pub(crate) name: Option<LitStr>,
}

impl RawVariant {
    pub(crate) fn parse(attrs: &[Attribute], errs: &mut Errors) -> RawVariant {
        let mut raw = RawVariant::default();
        for attr in attrs {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    string(errs, &mut raw.name, &meta)
                } else {
                    unknown(errs, &meta, "`#[metrics]` variant attribute", &["name"])
                }
            });
            errs.record(result);
        }
        raw
    }
}

//! Parsing `#[metrics(...)]` into raw structs that mirror what users can write.
//!
//! This stage knows the syntax only: which keys exist and what kind of value each takes. Every
//! value keeps its span; semantic rules (what combines with what) live in `model` and `check`.
//! Parsing never stops at the first mistake: unknown keys are skipped (with their values) and
//! reported, so one expansion reports every error.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{LitStr, Path};

use crate::diagnostics::Errors;

mod container;
mod field;

pub(crate) use container::RawContainer;
pub(crate) use field::{RawField, RawFlags, RawVariant};

/// A flag (`ignore`) or key (`name = ..`) as written: its span, for error placement.
pub(crate) type Flag = Option<Span>;

/// The `#[metrics(...)]` attributes among `attrs`, removed from the list.
pub(crate) fn take_metrics_attrs(attrs: &mut Vec<syn::Attribute>) -> Vec<syn::Attribute> {
    let (ours, rest) = std::mem::take(attrs)
        .into_iter()
        .partition(|a| a.path().is_ident("metrics"));
    *attrs = rest;
    ours
}

/// `a::b` as written, for messages.
pub(crate) fn path_str(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Stores `value` in `slot`, reporting a duplicate key.
pub(crate) fn set<T>(
    errs: &mut Errors,
    slot: &mut Option<T>,
    value: T,
    meta: &ParseNestedMeta<'_>,
) {
    if slot.is_some() {
        let attribute = errs.attribute();
        errs.spanned(
            &meta.path,
            format_args!(
                "duplicate `{}` in `#[{attribute}]`; remove one of them",
                path_str(&meta.path)
            ),
        );
    } else {
        *slot = Some(value);
    }
}

/// A flag key: `ignore`. A value after it is an error.
pub(crate) fn flag(
    errs: &mut Errors,
    slot: &mut Flag,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        let name = path_str(&meta.path);
        skip_value(meta)?;
        let attribute = errs.attribute();
        errs.spanned(
            &meta.path,
            format_args!("`{name}` takes no value; write `#[{attribute}({name})]`"),
        );
        return Ok(());
    }
    let span = meta.path.segments[0].ident.span();
    set(errs, slot, span, meta);
    Ok(())
}

/// A string key: `name = "Custom"`.
pub(crate) fn string(
    errs: &mut Errors,
    slot: &mut Option<LitStr>,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<()> {
    let name = path_str(&meta.path);
    if !meta.input.peek(syn::Token![=]) {
        skip_value(meta)?;
        errs.spanned(
            &meta.path,
            format_args!("`{name}` expects a string, e.g. `{name} = \"...\"`"),
        );
        return Ok(());
    }
    let expr = ungroup(meta.value()?.parse()?);
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => set(errs, slot, s, meta),
        other => errs.spanned(
            other,
            format_args!("`{name}` expects a string literal, e.g. `{name} = \"...\"`"),
        ),
    }
    Ok(())
}

/// A path key: `unit = Millisecond`.
pub(crate) fn path(
    errs: &mut Errors,
    slot: &mut Option<Path>,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<()> {
    let name = path_str(&meta.path);
    if !meta.input.peek(syn::Token![=]) {
        skip_value(meta)?;
        errs.spanned(
            &meta.path,
            format_args!("`{name}` expects a type path, e.g. `{name} = Millisecond`"),
        );
        return Ok(());
    }
    let expr = ungroup(meta.value()?.parse()?);
    match expr {
        syn::Expr::Path(p) if p.qself.is_none() => set(errs, slot, p.path, meta),
        other => errs.spanned(
            other,
            format_args!("`{name}` expects a type path, e.g. `{name} = Millisecond`"),
        ),
    }
    Ok(())
}

/// Removes the invisible groups `macro_rules!` wraps around `$x:literal` / `$x:path` fragments.
pub(crate) fn ungroup(mut expr: syn::Expr) -> syn::Expr {
    while let syn::Expr::Group(g) = expr {
        expr = *g.expr;
    }
    expr
}

/// A list of paths: `default_flags(A, B)`; `skip(..)` inside is reported.
pub(crate) fn path_list(
    errs: &mut Errors,
    slot: &mut Option<(Span, Vec<Path>)>,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<()> {
    let mut paths = Vec::new();
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("skip") {
            skip_value(&inner)?;
            errs.spanned(
                &inner.path,
                "`skip(...)` is not allowed in `default_flags(...)`; use `flags(skip(...))` on the field that opts out",
            );
        } else {
            skip_value(&inner)?;
            paths.push(inner.path);
        }
        Ok(())
    })?;
    let span = meta.path.segments[0].ident.span();
    set(errs, slot, (span, paths), meta);
    Ok(())
}

/// Consumes whatever follows a key (`= expr` or `( ... )`), so parsing can go on after an error.
pub(crate) fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// Reports an unknown key, suggesting the closest known one.
pub(crate) fn unknown(
    errs: &mut Errors,
    meta: &ParseNestedMeta<'_>,
    what: &str,
    known: &[&str],
) -> syn::Result<()> {
    skip_value(meta)?;
    let key = path_str(&meta.path);
    let suggestion = known
        .iter()
        .map(|k| (edit_distance(&key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_else(|| {
            format!(
                "; expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    errs.spanned(
        &meta.path,
        format_args!("unknown {what} `{key}`{suggestion}"),
    );
    Ok(())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

//! One validated field: its kind (plain, flatten, ...) and its precomputed name spellings.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Member, Path, Type};

use super::{Container, Mode, NamePrefix, check_name, check_prefix};
use crate::attr::RawField;
use crate::diagnostics::Errors;
use crate::naming::{self, Spellings};

/// A validated field.
pub(crate) struct Field {
    /// `self.<member>` on the user type (an ident, or an index for tuple structs/variants).
    pub(crate) member: Member,
    pub(crate) ty: Type,
    /// The field's span, so type errors point at the user's field.
    pub(crate) span: Span,
    /// `#[cfg]`/`#[cfg_attr]`/`#[allow]` attributes, replicated on everything generated for the
    /// field.
    pub(crate) cfgs: Vec<Attribute>,
    /// Use the field as already closed.
    pub(crate) no_close: bool,
    pub(crate) kind: FieldKind,
}

/// What a field contributes to the entry.
pub(crate) enum FieldKind {
    /// A named value.
    Plain(Plain),
    /// A nested `#[metrics]` entry, written inline; `prefix` extends the name chain.
    Flatten {
        prefix: Option<Spellings>,
        default_flags: Vec<Path>,
    },
    /// A hand-written `Entry`, written as is.
    FlattenEntry,
    /// The entry's timestamp.
    Timestamp,
    /// Not part of the entry.
    Ignore,
}

/// A plain value field.
pub(crate) struct Plain {
    pub(crate) name: Spellings,
    pub(crate) unit: Option<Path>,
    pub(crate) format: Option<Path>,
    pub(crate) sample_group: bool,
    /// Field flags, then the container's `default_flags` it does not skip.
    pub(crate) flags: Vec<Path>,
}

impl Field {
    pub(crate) fn from_raw(
        field: &syn::Field,
        index: usize,
        attrs: &[Attribute],
        container: &Container,
        errs: &mut Errors,
    ) -> Field {
        let mut raw = RawField::parse(attrs, errs);
        let member = match &field.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(syn::Index {
                index: index as u32,
                span: field.ty.span(),
            }),
        };
        let cfgs = field
            .attrs
            .iter()
            .filter(|a| {
                ["cfg", "cfg_attr", "allow"]
                    .iter()
                    .any(|k| a.path().is_ident(k))
            })
            .cloned()
            .collect();

        // The field kinds are mutually exclusive.
        let kinds = [
            ("flatten", raw.flatten),
            ("flatten_entry", raw.flatten_entry),
            ("timestamp", raw.timestamp),
            ("ignore", raw.ignore),
        ];
        let mut kind_name = None;
        for (name, flag) in kinds {
            let Some(span) = flag else { continue };
            match kind_name {
                Some(first) => errs.at(
                    span,
                    format_args!("cannot combine `{first}` with `{name}`; a field has one kind"),
                ),
                None => kind_name = Some(name),
            }
        }

        // Options that only make sense on plain fields.
        if let Some(kind) = kind_name {
            let plain_only: [(&str, Option<Span>); 5] = [
                ("name", raw.name.as_ref().map(|l| l.span())),
                ("unit", raw.unit.as_ref().map(|p| p.span())),
                ("format", raw.format.as_ref().map(|p| p.span())),
                ("sample_group", raw.sample_group),
                ("flags", raw.flags.as_ref().map(|f| f.span)),
            ];
            for (option, span) in plain_only {
                let Some(span) = span else { continue };
                let msg = match (option, kind) {
                    ("flags", "flatten" | "flatten_entry") => "`flags(...)` cannot be used on `flatten` or `flatten_entry` fields; apply flags on the child struct with `default_flags(...)`".to_owned(),
                    ("name", "flatten") => "cannot combine `flatten` with `name`: a flattened entry writes its own names; use `prefix = \"...\"` to prefix them".to_owned(),
                    _ => format!("cannot combine `{kind}` with `{option}`; `{option}` applies to plain value fields only"),
                };
                errs.at(span, msg);
            }
        }
        if let (Some(span), Some(_)) = (raw.no_close, raw.ignore) {
            errs.at(
                span,
                "cannot combine `ignore` with `no_close`; an ignored field is never closed",
            );
        }
        if container.mode == Mode::Value {
            if let Some(name) = &raw.name {
                errs.spanned(name, "`name` is not supported in `#[metrics(value)]` structs: a value has no name of its own");
            }
            if let Some(span) = raw.sample_group {
                errs.at(span, "`sample_group` in a `#[metrics(value)]` struct is a container attribute; write `#[metrics(value, sample_group)]`");
            }
        }

        // Flatten-site prefixes.
        let flatten = kind_name == Some("flatten");
        let prefix = match (&raw.prefix, &raw.exact_prefix) {
            (Some(_), Some(e)) => {
                errs.spanned(
                    e,
                    "cannot combine `prefix` with `exact_prefix`; keep one of them",
                );
                None
            }
            (Some(p), None) => check_prefix(p, false, errs).map(|p| naming::inflect_prefix(&p)),
            (None, Some(e)) => {
                check_name(e, "exact_prefix", errs).then(|| naming::exact(&e.value()))
            }
            (None, None) => None,
        };
        if !flatten {
            for (what, lit) in [("prefix", &raw.prefix), ("exact_prefix", &raw.exact_prefix)] {
                if let Some(lit) = lit {
                    errs.spanned(lit, format_args!("`{what}` requires `flatten`; add `#[metrics(flatten)]` or move the prefix to the child's container attribute"));
                }
            }
        }
        let default_flags = match raw.default_flags.take() {
            Some((span, _)) if !flatten => {
                errs.at(span, "`default_flags(...)` on a field requires `flatten`; use `flags(...)` on a plain field");
                Vec::new()
            }
            Some((_, flags)) => flags,
            None => Vec::new(),
        };

        let kind = match kind_name {
            Some("flatten") => FieldKind::Flatten {
                prefix,
                default_flags,
            },
            Some("flatten_entry") => FieldKind::FlattenEntry,
            Some("timestamp") => FieldKind::Timestamp,
            Some("ignore") => FieldKind::Ignore,
            _ => FieldKind::Plain(Plain {
                name: plain_name(field, &raw, container, errs),
                unit: raw.unit.take(),
                format: raw.format.take(),
                sample_group: raw.sample_group.is_some(),
                flags: field_flags(raw.flags.take(), container, errs),
            }),
        };
        Field {
            member,
            ty: field.ty.clone(),
            span: field.ty.span(),
            cfgs,
            no_close: raw.no_close.is_some(),
            kind,
        }
    }
}

/// The five spellings of a plain field's name (reference §3.5 steps 3 and 4).
fn plain_name(
    field: &syn::Field,
    raw: &RawField,
    container: &Container,
    errs: &mut Errors,
) -> Spellings {
    if let Some(name) = &raw.name {
        check_name(name, "name", errs);
        return naming::exact(&name.value());
    }
    let ident = match &field.ident {
        Some(ident) => syn::ext::IdentExt::unraw(ident).to_string(),
        None => String::new(),
    };
    match &container.prefix {
        Some(NamePrefix::Inflect(p)) => naming::inflect(&format!("{p}{ident}")),
        Some(NamePrefix::Exact(p)) => naming::exact_then_inflect(p, &ident),
        None => naming::inflect(&ident),
    }
}

/// Field flags, then the container's default flags not skipped by the field.
fn field_flags(
    raw: Option<crate::attr::RawFlags>,
    container: &Container,
    errs: &mut Errors,
) -> Vec<Path> {
    let (present, skipped) = raw.map(|f| (f.present, f.skipped)).unwrap_or_default();
    for s in &skipped {
        if present.contains(s) {
            errs.spanned(
                s,
                format_args!(
                    "conflicting `flags`: `{}` is both present and skipped; remove one",
                    crate::attr::path_str(s)
                ),
            );
        }
    }
    let defaults: Vec<Path> = container
        .default_flags
        .iter()
        .filter(|d| !skipped.contains(d) && !present.contains(d))
        .cloned()
        .collect();
    let mut flags = present;
    flags.extend(defaults);
    flags
}

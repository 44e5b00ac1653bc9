//! The validated model of one `#[derive(Entry)]` item. Every name is final here: `rename_all`
//! is applied at compile time, so generated code writes string literals.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Generics, Ident, LitStr, Member, Path, Type};

use super::attr::{RawContainer, RawField};
use crate::diagnostics::Errors;
use crate::model::check_name;
use crate::naming::EntryStyle;

/// The validated item.
pub(crate) struct Input {
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    pub(crate) body: Body,
}

/// The item's shape.
pub(crate) enum Body {
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
}

/// An enum variant: written like a struct with its own effective `rename_all`.
pub(crate) struct Variant {
    pub(crate) ident: Ident,
    pub(crate) fields: Vec<Field>,
}

/// A validated field.
pub(crate) struct Field {
    pub(crate) member: Member,
    pub(crate) ty: Type,
    /// The field's type span, so type errors point at the user's field.
    pub(crate) span: Span,
    /// `#[cfg]`/`#[cfg_attr]` attributes, replicated on the field's write statement and
    /// sample-group contribution.
    pub(crate) cfgs: Vec<Attribute>,
    pub(crate) kind: FieldKind,
}

/// What a field contributes to the entry.
pub(crate) enum FieldKind {
    /// `writer.value(name, &field)` (through the formatter, if any).
    Value {
        name: String,
        format: Option<Path>,
        sample_group: bool,
    },
    /// The field is an `Entry`, written inline; its sample group is chained.
    Flatten,
    /// The entry's timestamp.
    Timestamp,
    /// Not written.
    Ignore,
}

impl Input {
    /// Validates `item`; `None` if it cannot be modelled at all (a union).
    pub(crate) fn from_derive(item: &syn::DeriveInput, errs: &mut Errors) -> Option<Input> {
        let container = RawContainer::parse(&item.attrs, "container", errs);
        let style = parse_style(container.rename_all.as_ref(), errs);
        let body = match &item.data {
            syn::Data::Struct(s) => Body::Struct(fields(&s.fields, style, errs)),
            syn::Data::Enum(e) => Body::Enum(
                e.variants
                    .iter()
                    .map(|v| {
                        let raw = RawContainer::parse(&v.attrs, "variant", errs);
                        // A variant's own `rename_all` overrides the container's.
                        let style = parse_style(raw.rename_all.as_ref(), errs).or(style);
                        Variant {
                            ident: v.ident.clone(),
                            fields: fields(&v.fields, style, errs),
                        }
                    })
                    .collect(),
            ),
            syn::Data::Union(u) => {
                errs.spanned(
                    u.union_token,
                    "can't derive `Entry` for unions; use a struct or an enum",
                );
                return None;
            }
        };
        Some(Input {
            ident: item.ident.clone(),
            generics: item.generics.clone(),
            body,
        })
    }
}

fn parse_style(lit: Option<&LitStr>, errs: &mut Errors) -> Option<EntryStyle> {
    let lit = lit?;
    let style = EntryStyle::parse(&lit.value());
    if style.is_none() {
        let expected = EntryStyle::LITERALS
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", ");
        errs.spanned(
            lit,
            format_args!(
                "unknown name style {:?} in `rename_all`; expected one of {expected}",
                lit.value()
            ),
        );
    }
    style
}

fn fields(fields: &syn::Fields, style: Option<EntryStyle>, errs: &mut Errors) -> Vec<Field> {
    let fields: Vec<Field> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field::from_syn(f, i, style, errs))
        .collect();
    check_unique_names(&fields, errs);
    fields
}

/// Two fields writing the same name would be a validation error at run time; catch it here.
fn check_unique_names(fields: &[Field], errs: &mut Errors) {
    for (i, f) in fields.iter().enumerate() {
        // Fields under `cfg` may be mutually exclusive.
        let FieldKind::Value { name, .. } = &f.kind else {
            continue;
        };
        if !f.cfgs.is_empty() {
            continue;
        }
        let earlier = fields[..i].iter().any(|g| {
            g.cfgs.is_empty() && matches!(&g.kind, FieldKind::Value { name: n, .. } if n == name)
        });
        if earlier {
            errs.at(
                f.span,
                format_args!("duplicate entry name `{name}`; give one of the fields another `#[entry(name = \"...\")]`"),
            );
        }
    }
}

impl Field {
    fn from_syn(
        field: &syn::Field,
        index: usize,
        style: Option<EntryStyle>,
        errs: &mut Errors,
    ) -> Field {
        let raw = RawField::parse(&field.attrs, errs);
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
            .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
            .cloned()
            .collect();

        // The kinds are mutually exclusive.
        let mut kind_name = None;
        for (name, flag) in [
            ("flatten", raw.flatten),
            ("timestamp", raw.timestamp),
            ("ignore", raw.ignore),
        ] {
            let Some(span) = flag else { continue };
            match kind_name {
                Some(first) => errs.at(
                    span,
                    format_args!("cannot combine `{first}` with `{name}`; a field has one kind"),
                ),
                None => kind_name = Some(name),
            }
        }
        if let Some(kind) = kind_name {
            let value_only = [
                ("name", raw.name.as_ref().map(LitStr::span)),
                ("format", raw.format.as_ref().map(Spanned::span)),
                ("sample_group", raw.sample_group),
            ];
            for (option, span) in value_only {
                let Some(span) = span else { continue };
                errs.at(
                    span,
                    format_args!("cannot combine `{kind}` with `{option}`; `{option}` applies to value fields only"),
                );
            }
        }

        let kind = match kind_name {
            Some("flatten") => FieldKind::Flatten,
            Some("timestamp") => FieldKind::Timestamp,
            Some("ignore") => FieldKind::Ignore,
            _ => FieldKind::Value {
                name: value_name(field, raw.name.as_ref(), style, errs),
                format: raw.format,
                sample_group: raw.sample_group.is_some(),
            },
        };
        Field {
            member,
            ty: field.ty.clone(),
            span: field.ty.span(),
            cfgs,
            kind,
        }
    }
}

/// The written name: `name = "..."` verbatim, else the field's ident in the effective style.
fn value_name(
    field: &syn::Field,
    name: Option<&LitStr>,
    style: Option<EntryStyle>,
    errs: &mut Errors,
) -> String {
    if let Some(name) = name {
        check_name(name, "name", errs);
        return name.value();
    }
    let Some(ident) = &field.ident else {
        errs.at(
            field.ty.span(),
            "a tuple field needs a name: add `#[entry(name = \"...\")]`, or use `flatten` or `ignore`",
        );
        return String::new();
    };
    let ident = syn::ext::IdentExt::unraw(ident).to_string();
    match style {
        Some(style) => style.apply(&ident),
        None => ident,
    }
}

//! One validated enum variant.

use syn::Ident;

use super::{Container, Field, FieldKind, Mode, check_name};
use crate::attr::{RawVariant, take_metrics_attrs};
use crate::diagnostics::Errors;

/// A validated variant.
pub(crate) struct Variant {
    pub(crate) ident: Ident,
    /// The variant's string: its `name`, or its ident in the enum's own `rename_all` style.
    pub(crate) string: String,
    pub(crate) fields: VariantFields,
}

/// A variant's data.
pub(crate) enum VariantFields {
    Unit,
    Tuple(Vec<Field>),
    Named(Vec<Field>),
}

impl VariantFields {
    pub(crate) fn fields(&self) -> &[Field] {
        match self {
            VariantFields::Unit => &[],
            VariantFields::Tuple(f) | VariantFields::Named(f) => f,
        }
    }
}

impl Variant {
    pub(crate) fn from_raw(
        variant: &mut syn::Variant,
        container: &Container,
        errs: &mut Errors,
    ) -> Variant {
        let attrs = take_metrics_attrs(&mut variant.attrs);
        let raw = RawVariant::parse(&attrs, errs);
        let string = match &raw.name {
            Some(name) => {
                check_name(name, "name", errs);
                name.value()
            }
            None => {
                let ident = variant.ident.to_string();
                match container.rename_all {
                    Some(style) => style.apply(&ident),
                    None => ident,
                }
            }
        };
        if container.mode == Mode::ValueString && !matches!(variant.fields, syn::Fields::Unit) {
            errs.spanned(
                &variant.fields,
                "`value(string)` enum variants may not contain data; use an entry enum with `#[metrics(tag(name = \"MyField\"))]` instead",
            );
        }
        let named = matches!(variant.fields, syn::Fields::Named(_));
        let mut fields = Vec::new();
        for (i, f) in variant.fields.iter_mut().enumerate() {
            let attrs = take_metrics_attrs(&mut f.attrs);
            if let Some(cfg) = f
                .attrs
                .iter()
                .find(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
            {
                errs.spanned(
                    cfg,
                    "`cfg` attributes on fields inside enum variants are not supported; use a cfg-gated variant or an `Option` field instead",
                );
            }
            let field = Field::from_raw(f, i, &attrs, container, errs);
            if !named
                && container.mode != Mode::ValueString
                && !matches!(
                    field.kind,
                    FieldKind::Flatten { .. } | FieldKind::FlattenEntry | FieldKind::Ignore
                )
            {
                errs.spanned(
                    &f.ty,
                    "tuple variant fields have no name: mark them `#[metrics(flatten)]`, `#[metrics(flatten_entry)]` or `#[metrics(ignore)]`, or use a struct variant with named fields",
                );
            }
            fields.push(field);
        }
        let fields = match &variant.fields {
            syn::Fields::Unit => VariantFields::Unit,
            syn::Fields::Unnamed(_) => VariantFields::Tuple(fields),
            syn::Fields::Named(_) => VariantFields::Named(fields),
        };
        Variant {
            ident: variant.ident.clone(),
            string,
            fields,
        }
    }
}

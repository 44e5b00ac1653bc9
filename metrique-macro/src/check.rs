//! Cross-cutting rules that need the whole model (serde's `check.rs`).

use crate::diagnostics::Errors;
use crate::model::{Body, FieldKind, Input, Mode};

/// Checks rules spanning several attributes or the item's shape.
pub(crate) fn run(input: &Input, errs: &mut Errors) {
    let mode = input.container.mode;
    match &input.body {
        Body::Struct { fields, .. } if mode == Mode::Value => {
            let written: Vec<_> = fields
                .iter()
                .filter(|f| !matches!(f.kind, FieldKind::Ignore))
                .collect();
            match written.as_slice() {
                [] if input.container.sample_group => errs.spanned(
                    &input.ident,
                    "`sample_group` requires a non-ignored field in a `#[metrics(value)]` struct",
                ),
                [] => errs.spanned(&input.ident, "a `#[metrics(value)]` struct needs exactly one non-ignored field"),
                [_] => {}
                [_, second, ..] => errs.at(
                    second.span,
                    "a `#[metrics(value)]` struct needs exactly one non-ignored field; mark the others `#[metrics(ignore)]`",
                ),
            }
            for f in &written {
                if !matches!(f.kind, FieldKind::Plain(_)) {
                    errs.at(f.span, "the field of a `#[metrics(value)]` struct must be a plain value (no `flatten`, `flatten_entry` or `timestamp`)");
                }
            }
        }
        Body::Struct { .. } => {}
        Body::Enum(variants) => {
            if variants.is_empty() {
                errs.spanned(
                    &input.ident,
                    "`#[metrics]` enums must have at least one variant",
                );
            }
            if mode == Mode::ValueString
                && (!input.generics.params.is_empty() || input.generics.where_clause.is_some())
            {
                errs.spanned(
                    &input.generics,
                    "generics and lifetimes are not supported on `#[metrics(value(string))]` enums",
                );
            }
        }
    }
}

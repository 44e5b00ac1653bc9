//! Parsing `#[entry(...)]` helper attributes into raw structs that mirror what users can write.
//!
//! Syntax only; what combines with what is decided in `model`. Unknown keys are reported and
//! skipped, so one expansion reports every mistake.

use syn::{Attribute, LitStr, Path};

use crate::attr::{Flag, flag, path, path_str, string, unknown};
use crate::diagnostics::Errors;

const CONTAINER_KEYS: &[&str] = &["rename_all"];
const FIELD_KEYS: &[&str] = &[
    "name",
    "ignore",
    "flatten",
    "timestamp",
    "sample_group",
    "format",
];

/// The `#[entry(...)]` attributes among `attrs`.
fn entry_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("entry"))
}

/// `#[entry(rename_all = "...")]` on the item or on an enum variant.
#[derive(Default)]
pub(crate) struct RawContainer {
    pub(crate) rename_all: Option<LitStr>,
}

impl RawContainer {
    /// Parses the item's (`what` = "container") or a variant's (`what` = "variant") attributes.
    pub(crate) fn parse(attrs: &[Attribute], what: &str, errs: &mut Errors) -> RawContainer {
        let mut raw = RawContainer::default();
        let what = format!("`#[entry]` {what} attribute");
        for attr in entry_attrs(attrs) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    string(errs, &mut raw.rename_all, &meta)
                } else {
                    unknown(errs, &meta, &what, CONTAINER_KEYS)
                }
            });
            errs.record(result);
        }
        raw
    }
}

/// A field's `#[entry(...)]` attributes (several attributes are merged).
#[derive(Default)]
pub(crate) struct RawField {
    pub(crate) name: Option<LitStr>,
    pub(crate) format: Option<Path>,
    pub(crate) ignore: Flag,
    pub(crate) flatten: Flag,
    pub(crate) timestamp: Flag,
    pub(crate) sample_group: Flag,
}

impl RawField {
    pub(crate) fn parse(attrs: &[Attribute], errs: &mut Errors) -> RawField {
        let mut raw = RawField::default();
        for attr in entry_attrs(attrs) {
            let result = attr.parse_nested_meta(|meta| match path_str(&meta.path).as_str() {
                "name" => string(errs, &mut raw.name, &meta),
                "format" => path(errs, &mut raw.format, &meta),
                "ignore" => flag(errs, &mut raw.ignore, &meta),
                "flatten" => flag(errs, &mut raw.flatten, &meta),
                "timestamp" => flag(errs, &mut raw.timestamp, &meta),
                "sample_group" => flag(errs, &mut raw.sample_group, &meta),
                _ => unknown(errs, &meta, "`#[entry]` field attribute", FIELD_KEYS),
            });
            errs.record(result);
        }
        raw
    }
}

//! The validated model of one `#[metrics]` item: plain types, invalid states unrepresentable.
//!
//! `Input::from_raw` turns the parsed attributes into this model, accumulating every semantic
//! error; generation (`codegen`) then runs only on a model built without errors.

use proc_macro2::Span;
use syn::{Generics, Ident, LitStr, Path, Visibility};

use crate::attr::{RawContainer, take_metrics_attrs};
use crate::diagnostics::Errors;
use crate::naming::{self, Spellings, Style};

mod field;
mod variant;

pub(crate) use field::{Field, FieldKind, Plain};
pub(crate) use variant::{Variant, VariantFields};

/// How the item closes and what it generates (reference §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `impl CloseValue for T`, plus guard aliases and `append_on_drop`.
    Root,
    /// `impl CloseValue for &T` (fields closed by reference) + by-value proxy.
    Subfield,
    /// `impl CloseValue for T` only.
    SubfieldOwned,
    /// A newtype whose closed form is a `Value`.
    Value,
    /// A fieldless enum written as a string.
    ValueString,
}

impl Mode {
    /// Fields are closed by reference.
    pub(crate) fn by_ref(self) -> bool {
        matches!(self, Mode::Subfield | Mode::Value | Mode::ValueString)
    }
}

/// A container `prefix` / `exact_prefix`.
#[derive(Debug, Clone)]
pub(crate) enum NamePrefix {
    Inflect(String),
    Exact(String),
}

/// The `tag(...)` of an entry enum.
pub(crate) struct Tag {
    pub(crate) name: Spellings,
    pub(crate) sample_group: bool,
}

/// Validated container options.
pub(crate) struct Container {
    pub(crate) mode: Mode,
    pub(crate) rename_all: Option<Style>,
    pub(crate) prefix: Option<NamePrefix>,
    pub(crate) sample_group: bool,
    pub(crate) dimension_sets: Option<Vec<Vec<syn::Expr>>>,
    pub(crate) tag: Option<Tag>,
    pub(crate) default_flags: Vec<Path>,
    pub(crate) closeable_entry: bool,
}

/// The item's shape.
pub(crate) enum Body {
    /// A struct (tuple structs are allowed in `value` mode only).
    Struct {
        fields: Vec<Field>,
    },
    Enum(Vec<Variant>),
}

/// The validated item.
pub(crate) struct Input {
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) generics: Generics,
    /// `Debug`/`Clone` derived on the user type are copied to the entry type.
    pub(crate) derives: Vec<Path>,
    pub(crate) container: Container,
    pub(crate) body: Body,
}

impl Input {
    /// Validates `raw` against `item` (whose `#[metrics]` field/variant attributes are stripped
    /// here, so `item` is then the cleaned user item).
    pub(crate) fn from_raw(
        raw: RawContainer,
        item: &mut syn::DeriveInput,
        errs: &mut Errors,
    ) -> Option<Input> {
        let is_enum = matches!(item.data, syn::Data::Enum(_));
        let container = Container::from_raw(raw, is_enum, errs);
        let body = match &mut item.data {
            syn::Data::Struct(s) => {
                let named = matches!(s.fields, syn::Fields::Named(_));
                if !named && container.mode != Mode::Value {
                    errs.spanned(&item.ident, "only structs with named fields are supported by `#[metrics]`; use `#[metrics(value)]` for a newtype");
                }
                let fields = s
                    .fields
                    .iter_mut()
                    .enumerate()
                    .map(|(i, f)| {
                        let attrs = take_metrics_attrs(&mut f.attrs);
                        Field::from_raw(f, i, &attrs, &container, errs)
                    })
                    .collect();
                Body::Struct { fields }
            }
            syn::Data::Enum(e) => Body::Enum(
                e.variants
                    .iter_mut()
                    .map(|v| Variant::from_raw(v, &container, errs))
                    .collect(),
            ),
            syn::Data::Union(u) => {
                errs.spanned(
                    u.union_token,
                    "`#[metrics]` does not support unions; use a struct or an enum",
                );
                return None;
            }
        };
        let input = Input {
            vis: item.vis.clone(),
            ident: item.ident.clone(),
            generics: item.generics.clone(),
            derives: copied_derives(&item.attrs),
            container,
            body,
        };
        crate::check::run(&input, errs);
        Some(input)
    }

    /// The struct's fields (empty for enums).
    pub(crate) fn fields(&self) -> &[Field] {
        match &self.body {
            Body::Struct { fields, .. } => fields,
            Body::Enum(_) => &[],
        }
    }
}

impl Container {
    fn from_raw(raw: RawContainer, is_enum: bool, errs: &mut Errors) -> Container {
        let mut mode = Mode::Root;
        let mut chosen: Option<(&str, Span)> = None;
        for (name, flag, m) in [
            ("subfield", raw.subfield, Mode::Subfield),
            ("subfield_owned", raw.subfield_owned, Mode::SubfieldOwned),
            ("value", raw.value, Mode::Value),
            ("value(string)", raw.value_string, Mode::ValueString),
        ] {
            let Some(span) = flag else { continue };
            match chosen {
                Some((first, _)) => errs.at(
                    span,
                    format_args!("cannot combine `{first}` with `{name}`; choose one mode"),
                ),
                None => {
                    chosen = Some((name, span));
                    mode = m;
                }
            }
        }
        match (mode, is_enum, chosen) {
            (Mode::Value, true, Some((_, span))) => errs.at(
                span,
                "`value` is only supported on structs; use `value(string)` for enums",
            ),
            (Mode::ValueString, false, Some((_, span))) => errs.at(
                span,
                "`value(string)` is only supported on enums; use `value` for newtype structs",
            ),
            _ => {}
        }
        let is_value = matches!(mode, Mode::Value | Mode::ValueString);
        let not_for_value = |errs: &mut Errors, span: Span, what: &str| {
            errs.at(
                span,
                format_args!("`{what}` is not supported with `#[metrics(value)]`; remove it"),
            )
        };

        let rename_all = raw.rename_all.as_ref().and_then(|lit| match Style::parse(&lit.value()) {
            Ok(style) => style,
            Err(()) => {
                errs.spanned(lit, "unknown `rename_all` style; expected \"PascalCase\", \"snake_case\", \"kebab-case\", \"SCREAMING_SNAKE_CASE\" or \"preserve\"");
                None
            }
        });
        if let (Some(lit), Mode::Value) = (&raw.rename_all, mode) {
            not_for_value(errs, lit.span(), "rename_all");
        }

        let prefix = match (&raw.prefix, &raw.exact_prefix) {
            (Some(p), Some(e)) => {
                errs.spanned(
                    e,
                    "cannot combine `prefix` with `exact_prefix`; keep one of them",
                );
                let _ = p;
                None
            }
            (Some(p), None) => check_prefix(p, true, errs).map(NamePrefix::Inflect),
            (None, Some(e)) => {
                check_name(e, "exact_prefix", errs).then(|| NamePrefix::Exact(e.value()))
            }
            (None, None) => None,
        };
        if is_value {
            for lit in [&raw.prefix, &raw.exact_prefix].into_iter().flatten() {
                not_for_value(
                    errs,
                    lit.span(),
                    if raw.prefix.is_some() {
                        "prefix"
                    } else {
                        "exact_prefix"
                    },
                );
            }
        }

        if let (Some(span), false) = (raw.sample_group, mode == Mode::Value) {
            errs.at(span, "`sample_group` as a container attribute requires `#[metrics(value)]`; put it on a field instead");
        }

        let dimension_sets = raw.dimension_sets.as_ref().and_then(|expr| {
            if is_value {
                errs.spanned(
                    expr,
                    "`emf::dimension_sets` is not supported with `#[metrics(value)]`; remove it",
                );
                return None;
            }
            parse_dimension_sets(expr, errs)
        });

        let tag = raw.tag.and_then(|tag| {
            if !is_enum || is_value {
                errs.at(tag.span, "`tag` is only supported on entry enums (`#[metrics]` enums that are not `value(string)`)");
                return None;
            }
            let name = match (&tag.name, &tag.name_exact) {
                (Some(_), Some(e)) => {
                    errs.spanned(e, "`tag` cannot have both `name` and `name_exact`; keep one of them");
                    return None;
                }
                (Some(n), None) => check_name(n, "tag(name)", errs).then(|| match &prefix_for_tag(&raw.prefix, &raw.exact_prefix) {
                    Some(NamePrefix::Inflect(p)) => naming::inflect(&format!("{p}{}", n.value())),
                    Some(NamePrefix::Exact(p)) => naming::exact_then_inflect(p, &n.value()),
                    None => naming::inflect(&n.value()),
                })?,
                (None, Some(e)) => check_name(e, "tag(name_exact)", errs).then(|| naming::exact(&e.value()))?,
                (None, None) => {
                    errs.at(tag.span, "`tag` requires a `name = \"...\"` or `name_exact = \"...\"` parameter");
                    return None;
                }
            };
            Some(Tag { name, sample_group: tag.sample_group.is_some() })
        });

        let default_flags = match raw.default_flags {
            Some((span, _)) if is_value => {
                not_for_value(errs, span, "default_flags");
                Vec::new()
            }
            Some((_, flags)) => flags,
            None => Vec::new(),
        };
        if let (Some(span), true) = (raw.closeable_entry, is_value) {
            not_for_value(errs, span, "closeable_entry");
        }

        Container {
            mode,
            rename_all: if mode == Mode::Value {
                None
            } else {
                rename_all
            },
            prefix,
            sample_group: raw.sample_group.is_some() && mode == Mode::Value,
            dimension_sets,
            tag,
            default_flags,
            closeable_entry: raw.closeable_entry.is_some() && !is_value,
        }
    }
}

fn prefix_for_tag(prefix: &Option<LitStr>, exact: &Option<LitStr>) -> Option<NamePrefix> {
    match (prefix, exact) {
        (Some(p), None) => Some(NamePrefix::Inflect(p.value())),
        (None, Some(e)) => Some(NamePrefix::Exact(e.value())),
        _ => None,
    }
}

/// Validates an inflectable prefix; `container` prefixes must end with a delimiter.
pub(crate) fn check_prefix(lit: &LitStr, container: bool, errs: &mut Errors) -> Option<String> {
    let value = lit.value();
    let mut ok = check_name(lit, "prefix", errs);
    if let Some(c) = naming::invalid_prefix_char(&value) {
        let extra = if c == '.' {
            " (dots are never inflected)"
        } else {
            ""
        };
        errs.spanned(
            lit,
            format_args!("the character `{c}` is not allowed in `prefix`, which may only contain alphanumerics, `_` and `-`; use `exact_prefix = \"{value}\"` to keep it verbatim{extra}"),
        );
        ok = false;
    } else if container && ok && !value.ends_with(['_', '-']) {
        let delimiter = if value.contains('-') && !value.contains('_') {
            '-'
        } else {
            '_'
        };
        errs.spanned(
            lit,
            format_args!("the container `prefix = \"{value}\"` must end with a delimiter; use `prefix = \"{value}{delimiter}\"`"),
        );
        ok = false;
    }
    ok.then_some(value)
}

/// Names must be non-empty and contain no spaces.
pub(crate) fn check_name(lit: &LitStr, what: &str, errs: &mut Errors) -> bool {
    let value = lit.value();
    if value.is_empty() {
        errs.spanned(lit, format_args!("`{what}` must not be empty"));
        false
    } else if value.contains(char::is_whitespace) {
        errs.spanned(lit, format_args!("`{what}` must not contain spaces"));
        false
    } else {
        true
    }
}

fn parse_dimension_sets(expr: &syn::Expr, errs: &mut Errors) -> Option<Vec<Vec<syn::Expr>>> {
    const HINT: &str = "`emf::dimension_sets` expects a nested array of strings, like `[[\"Service\", \"Operation\"], [\"Operation\"]]`";
    let syn::Expr::Array(outer) = expr else {
        errs.spanned(expr, HINT);
        return None;
    };
    let mut sets = Vec::new();
    for set in &outer.elems {
        let syn::Expr::Array(inner) = set else {
            errs.spanned(
                set,
                format_args!(
                    "expected a list of dimensions like `[\"Service\", \"Operation\"]`; {HINT}"
                ),
            );
            return None;
        };
        sets.push(inner.elems.iter().cloned().collect());
    }
    Some(sets)
}

fn copied_derives(attrs: &[syn::Attribute]) -> Vec<Path> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("Debug") || meta.path.is_ident("Clone") {
                out.push(meta.path);
            }
            Ok(())
        });
    }
    out
}

//! [`Errors`]: accumulates every diagnostic of one expansion, so users see all mistakes at once.

use proc_macro2::{Span, TokenStream};

/// Collected errors; turned into `compile_error!`s next to the cleaned user item.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
    /// The attribute being parsed (`metrics` unless set), named in messages.
    attribute: Option<&'static str>,
}

impl Errors {
    /// An accumulator for the helper attribute `#[name(...)]` (`#[entry]` for the derive).
    pub(crate) fn for_attribute(name: &'static str) -> Errors {
        Errors {
            errors: Vec::new(),
            attribute: Some(name),
        }
    }

    /// The attribute being parsed: `metrics` or `entry`.
    pub(crate) fn attribute(&self) -> &'static str {
        self.attribute.unwrap_or("metrics")
    }

    /// Records an error at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error spanning the tokens of `tokens`.
    pub(crate) fn spanned(
        &mut self,
        tokens: impl quote::ToTokens,
        message: impl std::fmt::Display,
    ) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records a parse error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Runs `f`, recording its error if any.
    pub(crate) fn record<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// `Err` with every error as `compile_error!` tokens, or `Ok` if there were none.
    pub(crate) fn finish(self) -> Result<(), TokenStream> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self
                .errors
                .iter()
                .map(syn::Error::to_compile_error)
                .collect())
        }
    }
}

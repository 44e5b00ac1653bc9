//! [`ValidationError`]: why an entry could not be formatted.

use std::fmt;

/// One or more reasons an entry (or one of its values) is invalid.
///
/// `Display` joins the reasons with `", "`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    reasons: Vec<String>,
}

impl ValidationError {
    /// A builder that accumulates reasons.
    pub fn builder() -> ValidationErrorBuilder {
        ValidationErrorBuilder::default()
    }

    /// An error with one reason.
    pub fn invalid(reason: impl Into<String>) -> Self {
        Self {
            reasons: vec![reason.into()],
        }
    }

    /// Adds the reasons of `other`.
    #[must_use]
    pub fn extend(mut self, other: ValidationError) -> Self {
        self.reasons.extend(other.reasons);
        self
    }

    /// Prefixes every reason with "for `name`: ".
    #[must_use]
    pub fn for_field(self, name: &str) -> Self {
        Self {
            reasons: self
                .reasons
                .into_iter()
                .map(|r| format!("for `{name}`: {r}"))
                .collect(),
        }
    }

    /// The individual reasons.
    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.reasons.iter().map(String::as_str)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(r)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Accumulates validation reasons; [`build`](Self::build) returns `Ok` if there are none.
#[derive(Debug, Default, Clone)]
pub struct ValidationErrorBuilder {
    reasons: Vec<String>,
}

impl ValidationErrorBuilder {
    /// Adds a reason.
    #[must_use]
    pub fn invalid(mut self, reason: impl Into<String>) -> Self {
        self.invalid_mut(reason);
        self
    }

    /// Adds a reason in place.
    pub fn invalid_mut(&mut self, reason: impl Into<String>) -> &mut Self {
        self.reasons.push(reason.into());
        self
    }

    /// Adds the reasons of `error`.
    #[must_use]
    pub fn extend(mut self, error: ValidationError) -> Self {
        self.extend_mut(error);
        self
    }

    /// Adds the reasons of `error` in place.
    pub fn extend_mut(&mut self, error: ValidationError) -> &mut Self {
        self.reasons.extend(error.reasons);
        self
    }

    /// True if no reason was added.
    pub fn is_empty(&self) -> bool {
        self.reasons.is_empty()
    }

    /// # Errors
    /// Returns the accumulated reasons, if any.
    pub fn build(self) -> Result<(), ValidationError> {
        if self.reasons.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                reasons: self.reasons,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_accumulates_and_display_joins() {
        assert!(ValidationError::builder().build().is_ok());
        let e = ValidationError::builder()
            .invalid("a")
            .extend(ValidationError::invalid("b").for_field("x"))
            .build()
            .unwrap_err();
        assert_eq!(e.to_string(), "a, for `x`: b");
    }
}

//! The `#[metrics]` attribute macro.
